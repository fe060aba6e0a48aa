"""Chunked ingest equals the whole-table reference: same parts, schema, fingerprint, errors."""

from __future__ import annotations

import json
import stat

import pandas as pd
import pyarrow.parquet as pq
import pytest

from pipelines import readers
from pipelines.contract import TABLE_ORDER
from pipelines.ingest import IngestConfig, ingest, ingest_whole, load_source, validate_source
from pipelines.readers import iter_table_chunks, read_table_file
from pipelines.synthetic.config import WorldConfig
from pipelines.synthetic.world import generate_world
from pipelines.violations import ContractError
from tests.pipelines.contract_tables import tiny_tables, write_export

CSV_ENCODINGS = {"customers": "gbk", "social_accounts": "gbk", "contacts": "utf-8-sig"}


@pytest.fixture(scope="module")
def world_tables() -> dict[str, pd.DataFrame]:
    """A demo-like synthetic world, small enough to ingest many times."""
    return generate_world(WorldConfig(customers=200, months=4, seed=5)).tables()


@pytest.fixture(scope="module")
def parquet_export(world_tables, tmp_path_factory):
    return write_export(world_tables, tmp_path_factory.mktemp("parquet"), fmt="parquet")


@pytest.fixture(scope="module")
def csv_export(world_tables, tmp_path_factory):
    folder = tmp_path_factory.mktemp("csv")
    for name, frame in world_tables.items():
        encoding = CSV_ENCODINGS.get(name, "utf-8")
        frame.to_csv(folder / f"{name}.csv", index=False, encoding=encoding)
    return folder


def _published(raw_dir) -> tuple[dict, dict[str, list[tuple[pd.DataFrame, object]]]]:
    manifest = json.loads((raw_dir / "_manifest.json").read_text())
    version = raw_dir / manifest.pop("version")
    files = {}
    for name in TABLE_ORDER:
        location = version / name if (version / name).is_dir() else version / f"{name}.parquet"
        paths = sorted(location.glob("part-*.parquet")) if location.is_dir() else [location]
        files[name] = [(pd.read_parquet(p), pq.read_schema(p)) for p in paths]
    return manifest, files


def _assert_same_publication(chunked_dir, whole_dir) -> None:
    chunked_manifest, chunked = _published(chunked_dir)
    whole_manifest, whole = _published(whole_dir)
    assert chunked_manifest == whole_manifest
    for name in TABLE_ORDER:
        assert len(chunked[name]) == len(whole[name]), name
        for (frame, schema), (expected, expected_schema) in zip(
            chunked[name], whole[name], strict=True
        ):
            pd.testing.assert_frame_equal(frame, expected, check_exact=True)
            assert schema.equals(expected_schema, check_metadata=True), name


@pytest.mark.parametrize("export", ["parquet_export", "csv_export"])
def test_chunked_ingest_publishes_exactly_the_whole_table_ingest(request, tmp_path, export):
    source = request.getfixturevalue(export)
    whole = ingest_whole(IngestConfig(source_dir=source, raw_dir=tmp_path / "whole", buckets=4))
    chunked = ingest(
        IngestConfig(source_dir=source, raw_dir=tmp_path / "chunked", buckets=4, chunk_rows=53)
    )
    assert chunked.fingerprint == whole.fingerprint
    assert chunked.rows == whole.rows
    assert chunked.rows["contacts"] > 5 * 53
    assert chunked.data_end == whole.data_end
    _assert_same_publication(tmp_path / "chunked", tmp_path / "whole")
    assert validate_source(IngestConfig(source_dir=source, chunk_rows=53)) == (
        type(chunked)(chunked.rows, chunked.data_end, {}, chunked.fingerprint)
    )


@pytest.mark.parametrize("missing", [("edges",), ("social_accounts", "social_posts", "edges")])
def test_chunked_ingest_without_optional_tables_equals_the_whole_table_ingest(
    parquet_export, tmp_path, missing
):
    source = tmp_path / "export"
    source.mkdir()
    for path in parquet_export.glob("*.parquet"):
        if path.stem not in missing:
            (source / path.name).symlink_to(path)
    whole = ingest_whole(IngestConfig(source_dir=source, raw_dir=tmp_path / "whole", buckets=4))
    chunked = ingest(
        IngestConfig(source_dir=source, raw_dir=tmp_path / "chunked", buckets=4, chunk_rows=53)
    )
    assert chunked.missing == whole.missing == missing
    assert chunked.fingerprint == whole.fingerprint
    _assert_same_publication(tmp_path / "chunked", tmp_path / "whole")


def test_csv_and_parquet_exports_of_a_world_share_a_fingerprint(parquet_export, csv_export):
    config = {"chunk_rows": 211}
    parquet = validate_source(IngestConfig(source_dir=parquet_export, **config))
    csv = validate_source(IngestConfig(source_dir=csv_export, **config))
    assert parquet.fingerprint == csv.fingerprint


@pytest.mark.parametrize("path_of", ["csv", "parquet"])
def test_table_chunks_concatenate_to_the_whole_file(parquet_export, csv_export, path_of):
    folder = csv_export if path_of == "csv" else parquet_export
    path = folder / f"contacts.{path_of}"
    chunks = list(iter_table_chunks(path, 61))
    assert len(chunks) > 5
    assert all(len(chunk) <= 61 for chunk in chunks)
    pd.testing.assert_frame_equal(pd.concat(chunks, ignore_index=True), read_table_file(path))


def test_gbk_detection_reads_in_blocks_across_split_characters(tmp_path, monkeypatch):
    path = tmp_path / "gbk.csv"
    path.write_bytes("text\n欠费0.1元就停机\n".encode("gbk"))
    monkeypatch.setattr(readers, "_DECODE_BLOCK", 3)
    assert readers.detect_csv_encoding(path) == "gb18030"
    path.write_bytes("\ufefftext\n欠费0.1元就停机\n".encode())
    assert readers.detect_csv_encoding(path) == "utf-8-sig"


def _bad_world(world_tables) -> dict[str, pd.DataFrame]:
    tables = {name: frame.copy() for name, frame in world_tables.items()}
    contacts = tables["contacts"]
    contacts.loc[contacts.index[3::40], "channel"] = "fax"
    contacts.loc[contacts.index[-1], "contact_id"] = contacts["contact_id"].iloc[0]
    contacts.loc[contacts.index[200], "contact_id"] = contacts["contact_id"].iloc[150]
    contacts.loc[contacts.index[7::90], "ts"] = pd.Timestamp("2031-01-01")
    bills = tables["bills"]
    bills.loc[bills.index[5::70], "customer_id"] = "C-NOBODY"
    bills.loc[bills.index[-2], "amount_due"] = -1.0
    customers = tables["customers"]
    customers["autopay"] = customers["autopay"].astype(object)
    customers.loc[customers.index[[2, 150, 199]], "autopay"] = None
    customers.loc[customers.index[100], "msisdn"] = "12345"
    edges = tables["edges"]
    edges.loc[edges.index[-1], "dst"] = edges["src"].iloc[-1]
    return tables


def test_violations_are_the_same_whatever_the_chunk_size(world_tables, tmp_path):
    source = write_export(_bad_world(world_tables), tmp_path / "bad", fmt="parquet")
    with pytest.raises(ContractError) as whole:
        load_source(source)
    messages = {str(whole.value)}
    for chunk_rows in (29, 1_000_000):
        with pytest.raises(ContractError) as chunked:
            ingest(IngestConfig(source_dir=source, raw_dir=tmp_path / "raw", chunk_rows=chunk_rows))
        assert chunked.value.violations == whole.value.violations
        messages.add(str(chunked.value))
    assert len(messages) == 1
    found = {(v.table, v.column, v.rule.split("(")[0]): v.count for v in whole.value.violations}
    assert found[("contacts", "contact_id", "unique")] == 4
    assert found[("contacts", "channel", "isin")] == len(world_tables["contacts"].index[3::40])
    assert found[("customers", "autopay", "not_nullable")] == 3
    assert "12345" not in messages.pop()
    assert not (tmp_path / "raw").exists() or not any((tmp_path / "raw").iterdir())


def test_coercion_violations_are_summed_over_chunks(tmp_path):
    tables = tiny_tables()
    tables["usage"]["data_gb"] = tables["usage"]["data_gb"].astype(object)
    tables["usage"].loc[[0, 2], "data_gb"] = "lots"
    tables["bills"] = tables["bills"].drop(columns=["vas_fee"])
    source = write_export(tables, tmp_path / "bad")
    with pytest.raises(ContractError) as whole:
        load_source(source)
    with pytest.raises(ContractError) as chunked:
        validate_source(IngestConfig(source_dir=source, chunk_rows=1))
    assert chunked.value.violations == whole.value.violations
    counts = {(v.table, v.column): v.count for v in chunked.value.violations}
    assert counts == {("bills", "vas_fee"): 4, ("usage", "data_gb"): 2}


def test_text_ids_stored_as_floats_read_as_in_the_whole_column(tmp_path):
    tables = tiny_tables()
    tables["contacts"]["ticket_id"] = [1001.0, None, 1002.5]
    source = write_export(tables, tmp_path / "floats", fmt="parquet")
    whole = load_source(source)["contacts"]["ticket_id"].tolist()
    ingest(IngestConfig(source_dir=source, raw_dir=tmp_path / "raw", chunk_rows=1))
    whole_ingest = ingest_whole(IngestConfig(source_dir=source, raw_dir=tmp_path / "ref"))
    _assert_same_publication(tmp_path / "raw", tmp_path / "ref")
    assert whole == ["1001.0", None, "1002.5"]
    assert whole_ingest.rows["contacts"] == 3


def test_a_failure_in_the_last_chunk_publishes_nothing(world_tables, tmp_path):
    good = write_export(world_tables, tmp_path / "good", fmt="parquet")
    raw = tmp_path / "raw"
    ingest(IngestConfig(source_dir=good, raw_dir=raw, chunk_rows=101))
    before = {p: p.read_bytes() for p in raw.rglob("*") if p.is_file()}
    tables = {name: frame.copy() for name, frame in world_tables.items()}
    tables["edges"].loc[tables["edges"].index[-1], "weight"] = -3.0
    bad = write_export(tables, tmp_path / "bad", fmt="parquet")
    with pytest.raises(ContractError, match="edges.weight"):
        ingest(IngestConfig(source_dir=bad, raw_dir=raw, chunk_rows=101))
    assert {p: p.read_bytes() for p in raw.rglob("*") if p.is_file()} == before


def test_published_files_are_owner_only(parquet_export, tmp_path):
    raw = tmp_path / "raw"
    ingest(IngestConfig(source_dir=parquet_export, raw_dir=raw, chunk_rows=500))
    files = [p for p in raw.rglob("*") if p.is_file()]
    folders = [p for p in raw.rglob("*") if p.is_dir()]
    assert len(files) > 8 * 7
    assert {stat.S_IMODE(p.stat().st_mode) for p in files} == {0o600}
    assert {stat.S_IMODE(p.stat().st_mode) for p in folders} == {0o700}
    assert not any(p.name.startswith("_ingest_work") for p in folders)
