"""Chunked ingest: normalize, validate and write an export with memory bounded by a chunk.

Two passes over each table, in contract order, hold one chunk of rows at a time:

1. *scan*: read the source file chunk by chunk, normalize each chunk with the contract's rules,
   spill it to the work folder, and keep only what the whole export is needed for: the keys
   foreign keys point at, the account owners that decide buckets, the latest bill month (the
   data's end), a hash per row of each unique key, the table's schema and the row hashes of the
   fingerprint. Coercion violations stop the ingest here, as in the whole-table path.
2. *check and write*: read the spills back, validate each chunk against its schema bound to the
   whole export's keys and data end, fold the failures (plus the uniqueness failures found from
   the hashes) into the same violations a whole-table validation reports, and while nothing has
   failed append each chunk's rows to its bucket parts.

The result equals :func:`pipelines.ingest.ingest_whole` (tables, parts, schema, fingerprint,
violations); ``tests/pipelines/test_ingest_stream.py`` holds the two side by side.

An optional table without a file (:data:`pipelines.contract.OPTIONAL_TABLES`) is scanned as
an empty table with the contract's columns, so its parts exist (empty) and readers stay simple;
it is listed in :attr:`ScannedSource.missing`, foreign keys into it are not checked (there is
nothing to check them against) and it is left out of the fingerprint.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from pipelines.buckets import BUCKETED_TABLES
from pipelines.catalog import RawTables
from pipelines.contract import OPTIONAL_TABLES, TABLE_ORDER, TABLES
from pipelines.ingest_files import (
    FILE_MODE,
    PartWriters,
    SchemaSketch,
    bucket_paths,
    private_folder,
    read_spill,
    write_spill,
)
from pipelines.ingest_keys import OWNER_COLUMNS, BucketRouter, UniqueKeys, row_hashes
from pipelines.normalize import normalize_table
from pipelines.readers import find_table_file, iter_table_chunks, whole_number_floats
from pipelines.validation import (
    EXAMPLES,
    FailureTally,
    chunk_schema,
    collect_failures,
    data_end_from_month,
    referenced_keys,
)
from pipelines.violations import ContractError, Violation

logger = logging.getLogger(__name__)

DEFAULT_CHUNK_ROWS = 250_000


@dataclass
class ScannedTable:
    """One table after the scan: its spilled chunks and what its validation needs."""

    name: str
    rows: int = 0
    spills: list[Path] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    sketch: SchemaSketch = field(default_factory=SchemaSketch)
    duplicates: pd.DataFrame | None = None


@dataclass
class ScannedSource:
    """The whole export after the scan (every table valid as far as coercion goes)."""

    tables: dict[str, ScannedTable]
    known_keys: dict[str, pd.Index]
    data_end: pd.Timestamp | None
    router_inputs: dict[str, pd.DataFrame]
    fingerprint: str
    missing: tuple[str, ...] = ()


class _CoercionSum:
    """Coercion violations of one table summed over chunks, in contract column order."""

    def __init__(self, table: str):
        self.table = table
        self._found: dict[tuple[str, str], Violation] = {}

    def add(self, found: list[Violation]) -> None:
        for violation in found:
            key = (violation.column, violation.rule)
            seen = self._found.get(key)
            if seen is None:
                self._found[key] = violation
            else:
                self._found[key] = Violation(
                    self.table,
                    violation.column,
                    violation.rule,
                    seen.count + violation.count,
                    (seen.examples + violation.examples)[:EXAMPLES],
                )

    def violations(self) -> list[Violation]:
        positions = {col: i for i, col in enumerate(TABLES[self.table].columns)}
        return sorted(self._found.values(), key=lambda v: positions.get(v.column, -1))


class _KeyGatherer:
    """The columns of the whole export that foreign keys and buckets need, chunk by chunk."""

    def __init__(self) -> None:
        self.references = [reference.split(".") for reference in referenced_keys()]
        self.parts: dict[tuple[str, str], list[pd.Series]] = {}
        self.owner_parts: dict[str, list[pd.DataFrame]] = {name: [] for name in OWNER_COLUMNS}
        self.last_month: pd.Timestamp | None = None

    def add(self, table: str, frame: pd.DataFrame, referenced: bool = True) -> None:
        for name, column in self.references:
            if name == table and referenced:
                self.parts.setdefault((name, column), []).append(frame[column].dropna())
        if table in OWNER_COLUMNS:
            self.owner_parts[table].append(frame[OWNER_COLUMNS[table]])
        if table == "bills":
            latest = frame["bill_month"].max()
            if pd.notna(latest) and (self.last_month is None or latest > self.last_month):
                self.last_month = pd.Timestamp(latest)

    def known_keys(self) -> dict[str, pd.Index]:
        return {
            f"{name}.{column}": pd.Index(pd.concat(parts, ignore_index=True).unique())
            for (name, column), parts in self.parts.items()
        }

    def router_inputs(self) -> dict[str, pd.DataFrame]:
        return {
            name: pd.concat(parts, ignore_index=True) for name, parts in self.owner_parts.items()
        }


def _hash_file(work: Path, table: str) -> Path:
    return work / f"{table}.hashes"


def _fingerprint(work: Path, names: list[str]) -> str:
    digest = hashlib.sha256()
    for name in sorted(names):
        digest.update(name.encode())
        with _hash_file(work, name).open("rb") as stream:
            while block := stream.read(1 << 24):
                digest.update(block)
    return digest.hexdigest()[:16]


SUFFIXES = (".parquet", ".csv")


def missing_tables(source_dir: Path) -> tuple[str, ...]:
    """Optional tables without a ``<table>.parquet`` or ``<table>.csv`` in ``source_dir``."""
    return tuple(
        name
        for name in OPTIONAL_TABLES
        if not any((Path(source_dir) / f"{name}{suffix}").is_file() for suffix in SUFFIXES)
    )


def absent_table(name: str) -> pd.DataFrame:
    """A missing table as a header-only export reads: the contract's columns, no rows."""
    return pd.DataFrame({col: pd.Series(dtype=object) for col in TABLES[name].columns})


def _raw_chunks(
    name: str, source_dir: Path, chunk_rows: int, missing: bool
) -> tuple[Iterator[pd.DataFrame], dict[str, bool]]:
    if missing:
        return iter([absent_table(name)]), {}
    path = find_table_file(source_dir, name)
    text_columns = [col for col, rule in TABLES[name].columns.items() if rule.kind == "str"]
    return iter_table_chunks(path, chunk_rows), whole_number_floats(path, text_columns)


def _scan_table(
    name: str,
    source_dir: Path,
    work: Path,
    chunk_rows: int,
    keys: _KeyGatherer,
    failed: bool,
    missing: bool = False,
) -> tuple[ScannedTable, list[Violation]]:
    chunks, integral = _raw_chunks(name, source_dir, chunk_rows, missing)
    scanned = ScannedTable(name)
    coercions = _CoercionSum(name)
    unique = UniqueKeys(name)
    folder = private_folder(work / name)
    fd = os.open(_hash_file(work, name), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(fd, "wb") as hashes:
        for raw in chunks:
            frame, found = normalize_table(name, raw, first_row=scanned.rows, integral=integral)
            coercions.add(found)
            failed = failed or bool(found)
            if not failed:
                spill = write_spill(frame, folder / f"chunk-{len(scanned.spills):06d}.arrow")
                scanned.spills.append(spill)
                scanned.starts.append(scanned.rows)
                scanned.sketch.add(frame)
                unique.add(frame)
                keys.add(name, frame, referenced=not missing)
                row_hashes(frame).tofile(hashes)
            scanned.rows += len(raw)
    violations = coercions.violations()
    if not violations and not failed:
        scanned.duplicates = unique.failures(
            lambda chunk, columns: read_spill(scanned.spills[chunk], columns)
        )
    logger.info("%s: %d rows in %d chunk(s) scanned", name, scanned.rows, len(scanned.spills))
    return scanned, violations


def scan_source(
    source_dir: Path, work: Path, chunk_rows: int = DEFAULT_CHUNK_ROWS
) -> ScannedSource:
    """Pass 1: read, normalize and spill every table chunk by chunk.

    Args:
        source_dir: Folder holding ``<table>.csv`` or ``<table>.parquet`` for each table.
        work: An owner-only scratch folder for the spills (the caller removes it).
        chunk_rows: Rows per chunk.

    Returns:
        The spilled tables and the whole export's keys, data end, fingerprint and missing
        optional tables.

    Raises:
        ContractError: If a column is missing or values cannot be coerced (all such
            violations of every table, as the whole-table path reports them).
        SourceError: If a required table's file is missing, or a file is unreadable.
    """
    source_dir = Path(source_dir)
    missing = missing_tables(source_dir)
    if missing:
        logger.info("optional tables missing from the export: %s", ", ".join(missing))
    keys = _KeyGatherer()
    tables: dict[str, ScannedTable] = {}
    violations: list[Violation] = []
    for name in TABLE_ORDER:
        tables[name], found = _scan_table(
            name,
            source_dir,
            work,
            chunk_rows,
            keys,
            failed=bool(violations),
            missing=name in missing,
        )
        violations.extend(found)
    if violations:
        raise ContractError(violations)
    return ScannedSource(
        tables=tables,
        known_keys=keys.known_keys(),
        data_end=data_end_from_month(keys.last_month),
        router_inputs=keys.router_inputs(),
        fingerprint=_fingerprint(work, [name for name in tables if name not in missing]),
        missing=missing,
    )


def _with_missing_flags(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Missing values of a flag column that did not coerce to ``bool`` back as NaN, not None.

    Such a column (object dtype) breaks the contract; restoring NaN keeps its violations'
    examples as the whole-table path prints them.
    """
    for col, rule in TABLES[table].columns.items():
        if rule.kind == "bool" and frame[col].dtype == object:
            frame[col] = frame[col].where(frame[col].notna(), np.nan)
    return frame


def _writers(name: str, scanned: ScannedTable, folder: Path, buckets: int) -> PartWriters:
    store = RawTables(folder.parent)
    location = store.table(name, folder.name)
    if name in BUCKETED_TABLES:
        paths = bucket_paths(private_folder(location), buckets)
    else:
        paths = [location]
    return PartWriters(paths, scanned.sketch.schema())


def check_and_write(
    scanned: ScannedSource, folder: Path | None = None, buckets: int = 1
) -> dict[str, Path]:
    """Pass 2: validate every spilled chunk and, if ``folder`` is given, write the parts.

    Args:
        scanned: The result of :func:`scan_source`.
        folder: The unpublished version folder to write into (``None``: only validate).
        buckets: Bucket count of the per-customer tables.

    Returns:
        Where each table was written (empty when only validating).

    Raises:
        ContractError: Every violation of every table, as the whole-table path reports them
            (the parts written so far stay unpublished in ``folder``).
    """
    router = None
    if folder is not None:
        inputs = scanned.router_inputs
        router = BucketRouter(inputs["customers"], inputs["social_accounts"], buckets)
    violations: list[Violation] = []
    failed = any(table.duplicates is not None for table in scanned.tables.values())
    written: dict[str, Path] = {}
    for name, table in scanned.tables.items():
        tally = FailureTally(name)
        if table.duplicates is not None:
            tally.add(table.duplicates)
        schema = chunk_schema(name, scanned.known_keys, scanned.data_end, unique=False)
        writers = None if router is None or failed else _writers(name, table, folder, buckets)
        try:
            for spill, start in zip(table.spills, table.starts, strict=True):
                frame = _with_missing_flags(name, read_spill(spill))
                frame.index = pd.RangeIndex(start, start + len(frame))
                collect_failures(schema, frame, tally)
                failed = failed or not tally.empty
                if writers is not None and not failed:
                    frame = frame.reset_index(drop=True)
                    rows = router.rows(name, frame) if name in BUCKETED_TABLES else None
                    writers.append(frame, rows)
            if writers is not None and not failed:
                writers.close()
                written[name] = RawTables(folder.parent).table(name, folder.name)
            elif writers is not None:
                writers.abort()
        except BaseException:
            if writers is not None:
                writers.abort()
            raise
        violations.extend(tally.violations())
    if violations:
        raise ContractError(violations)
    return written


def row_counts(scanned: ScannedSource) -> dict[str, int]:
    """Rows of each table."""
    return {name: table.rows for name, table in scanned.tables.items()}
