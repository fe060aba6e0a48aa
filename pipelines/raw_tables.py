"""Read the ingested contract tables: whole, or one customer bucket at a time."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from pipelines.buckets import BUCKETED_TABLES
from pipelines.catalog import RawTables
from pipelines.contract import TABLE_ORDER
from pipelines.datasets import read_parts, read_pointer

INGEST_HINT = "run `procare data ingest SOURCE_DIR` first"


def raw_manifest(raw_dir: Path) -> dict:
    """The manifest of the published ingest (``{}`` for an older single-file ingest)."""
    return read_pointer(RawTables(raw_dir).manifest) or {}


def raw_missing_tables(raw_dir: Path) -> tuple[str, ...]:
    """Optional tables the published ingest's export lacked (read as empty tables).

    An ingest that predates optional tables had them all (none missing).
    """
    return tuple(raw_manifest(raw_dir).get("missing_tables") or ())


def raw_buckets(raw_dir: Path) -> int:
    """Bucket count of the published ingest.

    Raises:
        FileNotFoundError: Nothing was ingested, or by a version that did not split buckets.
    """
    buckets = raw_manifest(raw_dir).get("buckets")
    if not buckets:
        raise FileNotFoundError(f"{INGEST_HINT}: no tables in customer buckets in {raw_dir}")
    return int(buckets)


def raw_data_range(raw_dir: Path) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The span the ingested data cover: from the first instant of the earliest bill month to
    the manifest's ``data_end`` (the last instant of the latest bill month).

    The start is the manifest's ``data_start`` when recorded, else read from the ``bill_month``
    column of the published ``bills`` parts alone.

    Returns:
        ``(start, end)``, or ``None`` when the data have no bills to date them.

    Raises:
        FileNotFoundError: If nothing was ingested.
    """
    manifest = raw_manifest(raw_dir)
    store = RawTables(raw_dir)
    months = None
    if manifest.get("data_start") is None:
        parts = _table_parts(store, "bills", store.version)
        months = read_parts(parts, columns=["bill_month"])["bill_month"].dropna()
    end = manifest.get("data_end")
    if end is None and months is not None and len(months):
        end = months.max() + pd.offsets.MonthBegin(1) - pd.Timedelta(microseconds=1)
    start = manifest.get("data_start")
    if start is None and months is not None and len(months):
        start = months.min()
    if start is None or end is None:
        return None
    return pd.Timestamp(start), pd.Timestamp(end)


def _table_parts(store: RawTables, name: str, version: str | None) -> list[Path]:
    location = store.table(name, version)
    if not location.exists():
        raise FileNotFoundError(f"{location} is missing: {INGEST_HINT}")
    return sorted(location.glob("part-*.parquet")) if location.is_dir() else [location]


def read_raw_tables(raw_dir: Path) -> dict[str, pd.DataFrame]:
    """Read the whole ingested contract tables (every bucket).

    Rows of a table come bucket after bucket, each customer's rows in their export order;
    ``customers`` is sorted by ``customer_id``, the base's canonical order (which does not
    depend on the bucket count).

    Raises:
        FileNotFoundError: If a table has not been ingested (run ``procare data ingest``).
    """
    store = RawTables(raw_dir)
    version = store.version
    tables = {name: read_parts(_table_parts(store, name, version)) for name in TABLE_ORDER}
    customers = tables["customers"]
    order = customers["customer_id"].argsort(kind="stable").to_numpy()
    tables["customers"] = customers.take(order).reset_index(drop=True)
    return tables


def read_raw_bucket(
    raw_dir: Path,
    bucket: int,
    version: str | None = None,
    columns: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, pd.DataFrame]:
    """The rows of one customer bucket of every per-customer table (not ``edges``).

    Args:
        raw_dir: The ingested tables.
        bucket: Bucket number, ``0 <= bucket < raw_buckets(raw_dir)``.
        version: The ingest version to read (default: the published one); a build pins it so
            that a concurrent ingest cannot mix two versions.
        columns: Read only these tables, each with only these columns (default: every
            per-customer table whole). Complaint texts are most of a bucket's bytes and of its
            conversion to Python strings; a pass that needs no text should not read it.

    Raises:
        FileNotFoundError: If the tables were not ingested in buckets.
    """
    store = RawTables(raw_dir)
    version = version or store.version
    if version is None:
        raise FileNotFoundError(f"{INGEST_HINT}: no tables in customer buckets in {raw_dir}")
    tables = {}
    for name in BUCKETED_TABLES if columns is None else columns:
        path = store.part(name, bucket, version)
        if not path.is_file():
            raise FileNotFoundError(f"{path} is missing: {INGEST_HINT}")
        wanted = None if columns is None else list(columns[name])
        if wanted is not None:
            missing = sorted(set(wanted) - set(pq.read_schema(path).names))
            if missing:
                raise ValueError(
                    f"{path}: table {name} lacks column(s) {', '.join(missing)}: {INGEST_HINT}"
                )
        tables[name] = pd.read_parquet(path, columns=wanted)
    return tables


def read_raw_edges(raw_dir: Path, version: str | None = None) -> pd.DataFrame:
    """The global ``edges`` table."""
    store = RawTables(raw_dir)
    return read_parts(_table_parts(store, "edges", version or store.version))
