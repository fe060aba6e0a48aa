import numpy as np
import pandas as pd
import pytest

from features.core.inputs import customer_index
from features.structured import FEATURES, structured_features
from features.structured.account import account_features
from features.structured.billing import billing_features
from features.structured.contact_history import contact_history_features
from features.structured.usage import usage_features

from .tables import (
    CONTACT_COLUMNS,
    EVENT_COLUMNS,
    bills,
    contacts,
    customers,
    empty,
    random_world,
    usage,
)

AS_OF = "2026-03-31"
PANDAS_DTYPES = {"float": "float64", "int": "int64", "bool": "bool", "category": "category"}


@pytest.fixture(scope="module")
def world() -> dict[str, pd.DataFrame]:
    return random_world(seed=11, n_customers=40)


@pytest.fixture(scope="module")
def batch(world) -> pd.DataFrame:
    return structured_features(as_of=AS_OF, **world)


def test_one_row_per_customer_in_input_order_with_declared_columns_and_dtypes(world, batch):
    assert batch.index.tolist() == world["customers"]["customer_id"].tolist()
    assert batch.index.name == "customer_id"
    assert list(batch.columns) == [spec.name for spec in FEATURES]
    assert {spec.name: str(batch[spec.name].dtype) for spec in FEATURES} == {
        spec.name: PANDAS_DTYPES[spec.dtype] for spec in FEATURES
    }
    assert not batch.drop(columns=["acct_plan_type", "acct_region"]).isna().any().any()


def test_declared_features_are_unique_prefixed_and_bilingual():
    names = [spec.name for spec in FEATURES]
    assert len(names) == len(set(names))
    for spec in FEATURES:
        assert spec.family == "structured"
        assert spec.name.split("_")[0] in {"bill", "use", "acct", "ct"}
        assert spec.description_en and spec.description_zh and spec.reason_en and spec.reason_zh
        sample = {"float": 0.5, "int": 3, "bool": True, "category": "family"}[spec.dtype]
        assert spec.reason(sample, "zh") == spec.reason_zh.format(value=sample)
        assert spec.reason(sample, "en") == spec.reason_en.format(value=sample)


def test_bill_shock_reason_renders_relative_increase():
    spec = next(spec for spec in FEATURES if spec.name == "bill_shock")
    assert spec.reason(0.85) == "账单较近三月均值上涨 85%"


def test_online_equals_offline(world, batch):
    regions = list(batch["acct_region"].cat.categories)
    for customer_id in world["customers"]["customer_id"].iloc[[0, 7, 19, 33]]:
        own = {
            name: frame.loc[frame["customer_id"] == customer_id] for name, frame in world.items()
        }
        online = structured_features(as_of=AS_OF, regions=regions, **own)
        pd.testing.assert_frame_equal(online, batch.loc[[customer_id]])


def test_customer_without_any_rows_and_empty_event_tables():
    result = structured_features(
        customers(["A", "NEW"]),
        bills([{"customer_id": "A", "bill_month": "2026-02-01", "amount_due": 58.0}]),
        usage([{"customer_id": "A", "usage_month": "2026-03-01"}]),
        empty(EVENT_COLUMNS),
        empty(CONTACT_COLUMNS),
        AS_OF,
    )
    assert result.loc["A", "bill_last_amount_due"] == 58.0
    assert result.loc["NEW", "bill_count"] == 0
    assert not result.loc["NEW", "use_has_last_month"]
    assert result.loc["NEW", "ct_inbound_90d"] == 0
    assert np.isfinite(result.select_dtypes("number").to_numpy()).all()


def test_all_nan_csat_gives_neutral_default():
    result = structured_features(
        customers(["A"]),
        bills([]),
        usage([]),
        empty(EVENT_COLUMNS),
        contacts([{"customer_id": "A", "ts": "2026-03-30", "csat": np.nan}]),
        AS_OF,
    )
    assert result.loc["A", "ct_csat_mean_90d"] == 3.0
    assert not result.loc["A", "ct_has_csat_90d"]


@pytest.mark.parametrize(
    ("table", "column"),
    [
        ("customers", "open_date"),
        ("bills", "issued_at"),
        ("usage", "data_gb"),
        ("service_events", "event_type"),
        ("contacts", "direction"),
    ],
)
def test_missing_required_column_names_table_and_column(world, table, column):
    tables = dict(world)
    tables[table] = tables[table].drop(columns=column)
    with pytest.raises(ValueError, match=rf"{table}.*{column}"):
        structured_features(as_of=AS_OF, **tables)


def test_string_timestamps_are_rejected_with_table_and_column(world):
    tables = dict(world)
    tables["contacts"] = tables["contacts"].assign(ts=tables["contacts"]["ts"].astype(str))
    with pytest.raises(ValueError, match=r"contacts\.ts"):
        structured_features(as_of=AS_OF, **tables)


def test_results_do_not_share_memory_with_the_input_tables(world):
    ids = customer_index(world["customers"]["customer_id"])
    results = [
        structured_features(as_of=AS_OF, **world),
        account_features(world["customers"], AS_OF),
        billing_features(world["bills"], world["service_events"], ids, AS_OF),
        usage_features(world["usage"], ids, AS_OF),
        contact_history_features(world["contacts"], ids, AS_OF),
    ]
    inputs = [
        frame[name].to_numpy()
        for frame in world.values()
        for name in frame.columns
        if isinstance(frame[name].dtype, np.dtype)
    ]
    for result in results:
        for name in result.select_dtypes(exclude="category").columns:
            values = result[name].to_numpy()
            assert not any(np.shares_memory(values, source) for source in inputs), name
