"""Ingest: every kind of bad input gets a named error and nothing is written."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from pipelines.catalog import RawTables
from pipelines.contract import OPTIONAL_TABLES, REQUIRED_TABLES, TABLES
from pipelines.datasets import read_pointer
from pipelines.ingest import IngestConfig, ingest, validate_source
from pipelines.raw_tables import read_raw_tables
from pipelines.readers import SourceError
from pipelines.violations import ContractError
from tests.pipelines.contract_tables import tiny_tables, write_export


def _ingest(tmp_path, tables, fmt="csv", encoding="utf-8"):
    source = write_export(tables, tmp_path / "export", fmt=fmt, encoding=encoding)
    return ingest(IngestConfig(source_dir=source, raw_dir=tmp_path / "raw"))


@pytest.mark.parametrize(
    ("fmt", "encoding"),
    [("csv", "utf-8"), ("csv", "utf-8-sig"), ("csv", "gbk"), ("parquet", "")],
)
def test_valid_export_round_trips_in_every_format(tmp_path, fmt, encoding):
    report = _ingest(tmp_path, tiny_tables(), fmt=fmt, encoding=encoding)
    raw = read_raw_tables(tmp_path / "raw")
    contacts = raw["contacts"].sort_values("contact_id", ignore_index=True)
    customers = raw["customers"]
    assert report.rows["contacts"] == 3
    assert contacts.loc[0, "text"] == "欠费0.1元就停机，太过分了"
    assert customers["region"].tolist() == ["广州", "深圳", "广州"]
    assert customers["msisdn"].tolist()[0] == "13800000001"
    assert contacts["ts"].dtype == "datetime64[ns]"
    assert contacts["resolved"].dtype == bool
    assert (tmp_path / "raw" / "_manifest.json").is_file()


def test_same_data_in_csv_and_parquet_has_the_same_fingerprint(tmp_path):
    csv = _ingest(tmp_path / "a", tiny_tables(), fmt="csv", encoding="gbk")
    parquet = _ingest(tmp_path / "b", tiny_tables(), fmt="parquet")
    assert csv.fingerprint == parquet.fingerprint


def test_aware_timestamps_are_converted_to_shanghai_wall_clock(tmp_path):
    tables = tiny_tables()
    tables["contacts"]["ts"] = tables["contacts"]["ts"].astype(str)
    tables["contacts"].loc[0, "ts"] = "2026-02-10T02:00:00Z"
    tables["contacts"].loc[1, "ts"] = "2026-02-11T11:00:00+08:00"
    _ingest(tmp_path, tables)
    contacts = read_raw_tables(tmp_path / "raw")["contacts"].sort_values("ts", ignore_index=True)
    assert contacts.loc[0, "ts"] == pd.Timestamp("2026-02-10 10:00")
    assert contacts.loc[1, "ts"] == pd.Timestamp("2026-02-11 11:00")
    assert contacts.loc[2, "ts"] == pd.Timestamp("2026-02-11 12:00")


def test_aware_parquet_timestamps_are_converted(tmp_path):
    tables = tiny_tables()
    tables["service_events"]["ts"] = (
        tables["service_events"]["ts"].dt.tz_localize("Asia/Shanghai").dt.tz_convert("UTC")
    )
    _ingest(tmp_path, tables, fmt="parquet")
    events = read_raw_tables(tmp_path / "raw")["service_events"]
    events = events.sort_values("ts", ignore_index=True)
    assert events.loc[0, "ts"] == pd.Timestamp("2026-02-10 09:00")


def _violations(tmp_path, tables):
    source = write_export(tables, tmp_path / "bad")
    with pytest.raises(ContractError) as caught:
        validate_source(IngestConfig(source_dir=source))
    return caught.value


def test_missing_column_is_named(tmp_path):
    tables = tiny_tables()
    tables["bills"] = tables["bills"].drop(columns=["amount_due"])
    error = _violations(tmp_path, tables)
    assert [(v.table, v.column, v.rule) for v in error.violations] == [
        ("bills", "amount_due", "missing column")
    ]


def test_wrong_type_names_table_column_count_and_rows(tmp_path):
    tables = tiny_tables()
    tables["usage"]["data_gb"] = tables["usage"]["data_gb"].astype(object)
    tables["usage"].loc[1, "data_gb"] = "lots"
    error = _violations(tmp_path, tables)
    (violation,) = error.violations
    assert (violation.table, violation.column, violation.count) == ("usage", "data_gb", 1)
    assert "not a valid float" in violation.rule
    assert violation.examples == ("row 2: 'lots'",)
    assert "usage.data_gb" in str(error)


def test_duplicate_id_is_reported(tmp_path):
    tables = tiny_tables()
    tables["contacts"].loc[2, "contact_id"] = "K1"
    error = _violations(tmp_path, tables)
    assert any(
        v.table == "contacts" and v.rule == "unique(contact_id)" and v.count == 2
        for v in error.violations
    )


def test_orphan_foreign_keys_are_reported(tmp_path):
    tables = tiny_tables()
    tables["bills"].loc[0, "customer_id"] = "C404"
    tables["social_posts"].loc[0, "account_id"] = "A404"
    error = _violations(tmp_path, tables)
    found = {(v.table, v.column) for v in error.violations}
    assert found == {("bills", "customer_id"), ("social_posts", "account_id")}
    assert all("customer" in v.rule or "account" in v.rule for v in error.violations)


def test_enum_range_and_future_timestamp_are_reported(tmp_path):
    tables = tiny_tables()
    tables["contacts"].loc[0, "channel"] = "fax"
    tables["customers"].loc[1, "vip_level"] = 9
    tables["contacts"].loc[1, "ts"] = pd.Timestamp("2026-07-01")
    error = _violations(tmp_path, tables)
    found = {(v.table, v.column) for v in error.violations}
    assert found == {("contacts", "channel"), ("customers", "vip_level"), ("contacts", "ts")}
    assert any("after the end of the data" in v.rule for v in error.violations)


def test_pii_values_never_appear_in_errors(tmp_path):
    tables = tiny_tables()
    tables["customers"].loc[0, "msisdn"] = "12345"
    error = _violations(tmp_path, tables)
    assert "12345" not in str(error)
    assert "customers.msisdn" in str(error)


def test_bad_input_writes_nothing_and_keeps_the_previous_good_files(tmp_path):
    _ingest(tmp_path, tiny_tables())
    raw = tmp_path / "raw"
    before = {p: p.read_bytes() for p in raw.rglob("*") if p.is_file()}
    tables = tiny_tables()
    tables["customers"].loc[0, "plan_type"] = "platinum"
    tables["contacts"].loc[0, "text"] = "new text that must not land"
    with pytest.raises(ContractError):
        _ingest(tmp_path / "second", tables)
    source = write_export(tables, tmp_path / "third")
    with pytest.raises(ContractError):
        ingest(IngestConfig(source_dir=source, raw_dir=raw))
    assert {p: p.read_bytes() for p in raw.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize("table", REQUIRED_TABLES)
def test_missing_required_table_file_is_a_source_error_naming_it(tmp_path, table):
    source = write_export(tiny_tables(), tmp_path / "export")
    (source / f"{table}.csv").unlink()
    with pytest.raises(SourceError, match=table):
        validate_source(IngestConfig(source_dir=source))


@pytest.mark.parametrize(
    "missing",
    [c for n in range(1, 4) for c in itertools.combinations(OPTIONAL_TABLES, n)],
    ids="+".join,
)
def test_missing_optional_tables_are_ingested_empty_and_recorded(tmp_path, missing):
    tables = {k: v for k, v in tiny_tables().items() if k not in missing}
    report = _ingest(tmp_path, tables)
    assert report.missing == missing
    assert read_pointer(RawTables(tmp_path / "raw").manifest)["missing_tables"] == list(missing)
    raw = read_raw_tables(tmp_path / "raw")
    for table in missing:
        assert raw[table].empty
        assert list(raw[table].columns) == list(TABLES[table].columns)
    assert len(raw["contacts"]) == 3


def test_contacts_may_name_social_accounts_when_that_table_is_missing(tmp_path):
    tables = tiny_tables()
    assert tables["contacts"]["social_account_id"].notna().any()
    del tables["social_accounts"], tables["social_posts"]
    report = _ingest(tmp_path, tables)
    assert report.missing == ("social_accounts", "social_posts")


def test_a_missing_table_is_not_a_header_only_one(tmp_path):
    tables = tiny_tables()
    header_only = {**tables, "edges": tables["edges"].iloc[:0]}
    empty = _ingest(tmp_path / "a", header_only)
    missing = _ingest(tmp_path / "b", {k: v for k, v in tables.items() if k != "edges"})
    assert empty.missing == () and missing.missing == ("edges",)
    assert empty.fingerprint != missing.fingerprint
    assert read_pointer(RawTables(tmp_path / "a" / "raw").manifest)["missing_tables"] == []


def test_undecodable_csv_is_a_source_error(tmp_path):
    source = write_export(tiny_tables(), tmp_path / "export")
    (source / "customers.csv").write_bytes(b"customer_id\n\xff\xfe\xfa\xfb\x81\n")
    with pytest.raises(SourceError, match="customers.csv"):
        validate_source(IngestConfig(source_dir=source))
