"""Ingest: read a source folder, normalize and validate it, then write ``data/raw/*.parquet``.

:func:`ingest` and :func:`validate_source` stream every table in chunks of rows
(:mod:`pipelines.ingest_stream`), so their memory does not grow with the export. The plain
whole-table path (:func:`load_source`, :func:`ingest_whole`) stays beside them as the
reference they are tested equal to.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from pipelines.buckets import DEFAULT_BUCKETS, MAX_BUCKETS, bucket_rows, table_buckets
from pipelines.catalog import DataLayout, RawTables
from pipelines.contract import TABLE_ORDER
from pipelines.datasets import publish_version, staged_version, write_buckets, write_part
from pipelines.ingest_files import private_folder, write_private_text
from pipelines.ingest_stream import (
    DEFAULT_CHUNK_ROWS,
    absent_table,
    check_and_write,
    missing_tables,
    row_counts,
    scan_source,
)
from pipelines.normalize import normalize_table
from pipelines.readers import find_table_file, read_table_file
from pipelines.validation import data_end_of, validate_tables
from pipelines.violations import ContractError, Violation

logger = logging.getLogger(__name__)


class IngestConfig(BaseModel):
    """Where to read an export from, where to write the validated tables, in how many buckets.

    Attributes:
        buckets: Customer buckets the per-customer tables are split into (recorded in the
            manifest). The default suits up to about a million customers; for larger bases
            take ``pipelines.buckets.suggested_buckets(customers)`` (about 125k customers a
            bucket: 128 for 10M), since a snapshot holds one bucket in memory at a time.
        chunk_rows: Rows of a table read, normalized and validated at a time; the ingest's
            memory follows it, not the export's size.
    """

    model_config = ConfigDict(extra="forbid")

    source_dir: Path
    raw_dir: Path = DataLayout().raw_dir
    buckets: int = Field(DEFAULT_BUCKETS, ge=1, le=MAX_BUCKETS)
    chunk_rows: int = Field(DEFAULT_CHUNK_ROWS, ge=1)


@dataclass(frozen=True)
class IngestReport:
    """What a validation or ingest run saw (``missing``: optional tables without a file)."""

    rows: dict[str, int]
    data_end: pd.Timestamp | None
    written: dict[str, Path]
    fingerprint: str
    missing: tuple[str, ...] = ()


def validate_source(config: IngestConfig) -> IngestReport:
    """Check a source folder against the contract without writing anything.

    The chunks are spilled to an owner-only temporary folder, removed on return.

    Raises:
        ContractError: If any table breaks the contract (all violations are listed).
        SourceError: If a file is missing or unreadable.
    """
    with tempfile.TemporaryDirectory(prefix="procare-ingest-") as work:
        scanned = scan_source(config.source_dir, Path(work), config.chunk_rows)
        check_and_write(scanned)
    return IngestReport(
        row_counts(scanned), scanned.data_end, {}, scanned.fingerprint, scanned.missing
    )


def ingest(config: IngestConfig) -> IngestReport:
    """Validate a source folder and publish it under ``raw_dir`` in customer buckets.

    Nothing is written unless every table passes. The tables go to a new version folder
    (per-customer tables as one Parquet part per bucket, ``edges`` whole, see
    :mod:`pipelines.buckets`); the manifest (``_manifest.json``: version, buckets, row counts,
    data end, fingerprint, ``missing_tables``) is replaced last, which publishes them, and
    older versions are then removed. A crash leaves the previous ingest in place. Every table
    is read, checked and written ``chunk_rows`` rows at a time; files are owner-only
    (``0600``, folders ``0700``).

    An optional table without a file (``pipelines.contract.OPTIONAL_TABLES``) is written as
    empty parts and listed in the manifest's ``missing_tables``; snapshots then leave out the
    feature families it feeds (``features.sources``).

    Raises:
        ContractError: If any table breaks the contract (all violations are listed).
        SourceError: If a required table's file is missing, or a file is unreadable.
    """
    with staged_version(config.raw_dir) as folder:
        private_folder(folder)
        work = private_folder(folder / "_ingest_work")
        scanned = scan_source(config.source_dir, work, config.chunk_rows)
        written = check_and_write(scanned, folder, config.buckets)
        shutil.rmtree(work)
    report = IngestReport(
        row_counts(scanned), scanned.data_end, written, scanned.fingerprint, scanned.missing
    )
    _publish(config, folder, report)
    return report


def _publish(config: IngestConfig, folder: Path, report: IngestReport) -> None:
    manifest = {
        "buckets": config.buckets,
        "rows": report.rows,
        "data_end": None if report.data_end is None else report.data_end.isoformat(),
        "fingerprint": report.fingerprint,
        "source": str(Path(config.source_dir).resolve()),
        "missing_tables": list(report.missing),
    }
    publish_version(folder, RawTables(config.raw_dir).manifest, manifest, write=write_private_text)
    logger.info(
        "ingested %d tables into %s (%d buckets)%s",
        len(report.rows) - len(report.missing),
        config.raw_dir,
        config.buckets,
        f"; missing optional tables: {', '.join(report.missing)}" if report.missing else "",
    )


def load_source(source_dir: Path) -> dict[str, pd.DataFrame]:
    """Read, normalize and validate every contract table in ``source_dir``, each whole.

    The plain path: memory grows with the export (see :func:`ingest` for the chunked one).

    Args:
        source_dir: Folder holding ``<table>.csv`` or ``<table>.parquet`` for each table
            (optional tables may have none: they read as empty, see :func:`missing_tables`).

    Returns:
        The normalized tables by name.

    Raises:
        ContractError: If any table breaks the contract (all violations are listed).
        SourceError: If a required table's file is missing, or a file is unreadable.
    """
    source_dir = Path(source_dir)
    missing = missing_tables(source_dir)
    tables: dict[str, pd.DataFrame] = {}
    violations: list[Violation] = []
    for name in TABLE_ORDER:
        if name in missing:
            raw = absent_table(name)
        else:
            raw = read_table_file(find_table_file(source_dir, name))
        frame, found = normalize_table(name, raw)
        violations.extend(found)
        if not found or all(v.rule != "missing column" for v in found):
            tables[name] = frame
    if violations:
        raise ContractError(violations)
    violations = validate_tables({n: f for n, f in tables.items() if n not in missing})
    if violations:
        raise ContractError(violations)
    return tables


def fingerprint(tables: dict[str, pd.DataFrame], missing: tuple[str, ...] = ()) -> str:
    """A short content hash of all tables but the ``missing`` ones (for MLflow lineage tags)."""
    digest = hashlib.sha256()
    for name in sorted(set(tables) - set(missing)):
        digest.update(name.encode())
        hashed = pd.util.hash_pandas_object(tables[name], index=False).to_numpy()
        digest.update(hashed.tobytes())
    return digest.hexdigest()[:16]


def _write_version(tables: dict[str, pd.DataFrame], folder: Path, buckets: int) -> None:
    """Write every table into an unpublished version folder, split into buckets."""
    codes = table_buckets(tables, buckets)
    store = RawTables(folder.parent)
    for name, frame in tables.items():
        if name in codes:
            write_buckets(frame, bucket_rows(codes[name], buckets), store.table(name, folder.name))
        else:
            write_part(frame, store.table(name, folder.name))


def ingest_whole(config: IngestConfig) -> IngestReport:
    """:func:`ingest` on whole tables: the plain reference path, memory growing with the export.

    Publishes the same tables, manifest and fingerprint as :func:`ingest` (its parts keep the
    umask's file modes; only the manifest is owner-only).
    """
    tables = load_source(config.source_dir)
    missing = missing_tables(config.source_dir)
    with staged_version(config.raw_dir) as folder:
        _write_version(tables, folder, config.buckets)
    store = RawTables(config.raw_dir)
    report = IngestReport(
        rows={name: len(frame) for name, frame in tables.items()},
        data_end=data_end_of(tables),
        written={name: store.table(name, folder.name) for name in tables},
        fingerprint=fingerprint(tables, missing),
        missing=missing,
    )
    _publish(config, folder, report)
    return report
