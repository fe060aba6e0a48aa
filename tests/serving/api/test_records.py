"""Feature records: checked key by key, typed like the training frames."""

from __future__ import annotations

import numpy as np
import pytest

from serving.api.records import RecordError, parse_records
from serving.api.schemas import ScoreRequest

REQUIRED = ["bill_shock", "ct_inbound_30d", "acct_plan_type", "id_has_social"]
CATEGORICAL = ["acct_plan_type"]


def record(**overrides):
    base = {
        "bill_shock": 0.5,
        "ct_inbound_30d": 3,
        "acct_plan_type": "prepaid",
        "id_has_social": True,
    }
    return {**base, **overrides}


def test_valid_records_become_a_typed_frame():
    batch = parse_records(
        [record(customer_id="C1"), record(bill_shock=None, acct_plan_type=None, document="账单")],
        REQUIRED,
        CATEGORICAL,
    )
    frame = batch.frame
    assert list(frame.columns) == REQUIRED
    assert np.isnan(frame.loc[1, "bill_shock"])
    assert frame["acct_plan_type"].tolist() == ["prepaid", None]
    assert frame["ct_inbound_30d"].tolist() == [3, 3]
    assert batch.customer_ids == ["C1", None]
    assert batch.documents == [None, "账单"]


def test_optional_registered_features_are_kept():
    batch = parse_records([record(id_followers=5)], REQUIRED, CATEGORICAL, ["id_followers"])
    assert batch.frame["id_followers"].tolist() == [5]


@pytest.mark.parametrize(
    ("records", "field", "message"),
    [
        (
            [record(), {k: v for k, v in record().items() if k != "bill_shock"}],
            "records[1].bill_shock",
            "missing",
        ),
        (
            [{k: v for k, v in record().items() if k != "ct_inbound_30d"}],
            "records[0].ct_inbound_30d",
            "missing",
        ),
        ([record(), record(shoe_size=42)], "records[1].shoe_size", "unknown"),
        ([record(), record(bill_shock="high")], "records[1].bill_shock", "number"),
        ([record(bill_shock=[1, 2])], "records[0].bill_shock", "number"),
        ([record(acct_plan_type={"a": 1})], "records[0].acct_plan_type", "string"),
        ([record(customer_id=7)], "records[0].customer_id", "string"),
    ],
)
def test_bad_records_name_the_record_and_key(records, field, message):
    with pytest.raises(RecordError) as raised:
        parse_records(records, REQUIRED, CATEGORICAL)
    assert raised.value.field == field
    assert message in raised.value.message


def test_records_with_and_without_reserved_keys_mix():
    batch = parse_records([record(customer_id="C1"), record()], REQUIRED, CATEGORICAL)
    assert batch.customer_ids == ["C1", None]


@pytest.mark.parametrize(
    ("records", "field", "message"),
    [
        ([record(customer_id="C" * 10_000)], "records[0].customer_id", "1 to 64 characters"),
        ([record(customer_id="")], "records[0].customer_id", "1 to 64 characters"),
        ([record(document="字" * 20_001)], "records[0].document", "0 to 20000 characters"),
        ([record(acct_plan_type="p" * 101)], "records[0].acct_plan_type", "100 characters"),
        ([record(bill_shock=float("inf"))], "records[0].bill_shock", "finite"),
        ([record(), record(ct_inbound_30d=1e308)], "records[1].ct_inbound_30d", "finite"),
    ],
)
def test_oversized_and_non_finite_values_are_refused(records, field, message):
    with pytest.raises(RecordError) as raised:
        parse_records(records, REQUIRED, CATEGORICAL)
    assert raised.value.field == field
    assert message in raised.value.message


def test_values_at_the_limits_are_accepted():
    batch = parse_records(
        [record(customer_id="C" * 64, document="字" * 20_000, ct_inbound_30d=1e12)],
        REQUIRED,
        CATEGORICAL,
    )
    assert batch.customer_ids == ["C" * 64]
    assert batch.frame["ct_inbound_30d"].tolist() == [1e12]


@pytest.mark.parametrize("key", ["<b>x</b>", "13812345678", "Bill Shock", "x" * 65])
def test_a_key_that_is_not_a_feature_name_is_not_echoed(key):
    with pytest.raises(RecordError) as raised:
        parse_records([record(**{key: 1})], REQUIRED, CATEGORICAL)
    assert raised.value.field == "records[0]"
    assert key not in str(raised.value)


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "1e308", "1e13"])
def test_the_request_schema_refuses_non_finite_and_huge_numbers(value):
    body = '{"records": [{"bill_shock": ' + value + "}]}"
    with pytest.raises(ValueError, match="finite number|less than or equal|greater than or"):
        ScoreRequest.model_validate_json(body)
