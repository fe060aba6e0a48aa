"""Normalization of operators' exports: mobile numbers as operators write them."""

from __future__ import annotations

import pandas as pd
import pytest

from pipelines.ingest import IngestConfig, ingest, validate_source
from pipelines.normalize import normalize_msisdn
from pipelines.raw_tables import read_raw_tables
from pipelines.violations import ContractError
from tests.pipelines.contract_tables import tiny_tables, write_export

VARIANTS = [
    "+86 138 0000 0001",
    "0086-138-0000-0002",
    "(+86)13800000003",
    "86 13800000004",
    "+86-138-0000-0005",
    "138 0000 0006",
    "13800000007",
]


def test_every_written_form_becomes_the_eleven_digit_number():
    normalized = normalize_msisdn(pd.Series([*VARIANTS, None], dtype=object))
    assert normalized.tolist() == [f"1380000000{i}" for i in range(1, 8)] + [None]


@pytest.mark.parametrize("value", ["010-12345678", "+1 415 555 0100", "1380000000", "86123"])
def test_what_is_not_a_mainland_mobile_is_left_for_the_pattern_check(value):
    assert normalize_msisdn(pd.Series([value], dtype=object))[0] != "13800000001"


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_ingest_accepts_the_variants_of_customers_and_bound_accounts(tmp_path, fmt):
    tables = tiny_tables()
    tables["customers"]["msisdn"] = ["+86 138 0000 0001", "0086-138-0000-0002", "13800000003"]
    bound = tables["social_accounts"]["bound_msisdn"].astype(object)
    tables["social_accounts"]["bound_msisdn"] = bound.where(bound.isna(), "+86 " + bound)
    source = write_export(tables, tmp_path / "export", fmt=fmt)
    ingest(IngestConfig(source_dir=source, raw_dir=tmp_path / "raw"))
    raw = read_raw_tables(tmp_path / "raw")
    customers = raw["customers"].sort_values("customer_id")
    assert customers["msisdn"].tolist() == ["13800000001", "13800000002", "13800000003"]
    accounts = raw["social_accounts"].sort_values("account_id", ignore_index=True)
    expected = tiny_tables()["social_accounts"].sort_values("account_id", ignore_index=True)
    pd.testing.assert_series_equal(accounts["bound_msisdn"], expected["bound_msisdn"])


def test_a_landline_in_msisdn_is_refused_naming_the_rule_not_the_number(tmp_path):
    tables = tiny_tables()
    tables["customers"]["msisdn"] = ["+86 138 0000 0001", "020-8888-6666", "13800000003"]
    source = write_export(tables, tmp_path / "bad")
    with pytest.raises(ContractError) as caught:
        validate_source(IngestConfig(source_dir=source))
    message = str(caught.value)
    assert "customers.msisdn" in message and "str_matches" in message
    assert "8888" not in message
