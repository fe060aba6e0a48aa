"""Ingest: read a source folder, normalize and validate it, then write ``data/raw/*.parquet``."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ConfigDict

from pipelines.catalog import DataLayout, RawTables
from pipelines.contract import TABLE_ORDER
from pipelines.normalize import normalize_table
from pipelines.readers import find_table_file, read_table_file
from pipelines.storage import atomic_path, write_text_atomic
from pipelines.validation import data_end_of, validate_tables
from pipelines.violations import ContractError, Violation

logger = logging.getLogger(__name__)


class IngestConfig(BaseModel):
    """Where to read an export from and where to write the validated tables."""

    model_config = ConfigDict(extra="forbid")

    source_dir: Path
    raw_dir: Path = DataLayout().raw_dir


@dataclass(frozen=True)
class IngestReport:
    """What a validation or ingest run saw."""

    rows: dict[str, int]
    data_end: pd.Timestamp | None
    written: dict[str, Path]
    fingerprint: str


def load_source(source_dir: Path) -> dict[str, pd.DataFrame]:
    """Read, normalize and validate every contract table in ``source_dir``.

    Args:
        source_dir: Folder holding ``<table>.csv`` or ``<table>.parquet`` for each table.

    Returns:
        The normalized tables by name.

    Raises:
        ContractError: If any table breaks the contract (all violations are listed).
        SourceError: If a file is missing or unreadable.
    """
    source_dir = Path(source_dir)
    tables: dict[str, pd.DataFrame] = {}
    violations: list[Violation] = []
    for name in TABLE_ORDER:
        raw = read_table_file(find_table_file(source_dir, name))
        frame, found = normalize_table(name, raw)
        violations.extend(found)
        if not found or all(v.rule != "missing column" for v in found):
            tables[name] = frame
    if violations:
        raise ContractError(violations)
    violations = validate_tables(tables)
    if violations:
        raise ContractError(violations)
    return tables


def fingerprint(tables: dict[str, pd.DataFrame]) -> str:
    """A short content hash of all tables (for MLflow lineage tags)."""
    digest = hashlib.sha256()
    for name in sorted(tables):
        digest.update(name.encode())
        hashed = pd.util.hash_pandas_object(tables[name], index=False).to_numpy()
        digest.update(hashed.tobytes())
    return digest.hexdigest()[:16]


def _write_all_or_nothing(tables: dict[str, pd.DataFrame], raw_dir: Path) -> dict[str, Path]:
    """Stage every table to a temporary file; rename them into place only once all are written."""
    targets = {name: RawTables(raw_dir).table(name) for name in tables}
    with contextlib.ExitStack() as stack:
        staged = {name: stack.enter_context(atomic_path(path)) for name, path in targets.items()}
        for name, tmp in staged.items():
            tables[name].to_parquet(tmp, index=False)
    return targets


def validate_source(config: IngestConfig) -> IngestReport:
    """Check a source folder against the contract without writing anything."""
    tables = load_source(config.source_dir)
    return IngestReport(
        rows={name: len(frame) for name, frame in tables.items()},
        data_end=data_end_of(tables),
        written={},
        fingerprint=fingerprint(tables),
    )


def ingest(config: IngestConfig) -> IngestReport:
    """Validate a source folder and write each table to ``raw_dir/<table>.parquet`` atomically.

    Nothing is written unless every table passes; each file is replaced atomically, and the
    manifest (``_manifest.json``, with row counts and fingerprint) is written last.
    """
    tables = load_source(config.source_dir)
    written = _write_all_or_nothing(tables, config.raw_dir)
    data_end = data_end_of(tables)
    report = IngestReport(
        rows={name: len(frame) for name, frame in tables.items()},
        data_end=data_end,
        written=written,
        fingerprint=fingerprint(tables),
    )
    manifest = {
        "rows": report.rows,
        "data_end": None if data_end is None else data_end.isoformat(),
        "fingerprint": report.fingerprint,
        "source": str(Path(config.source_dir).resolve()),
    }
    write_text_atomic(json.dumps(manifest, indent=2), RawTables(config.raw_dir).manifest)
    logger.info("ingested %d tables into %s", len(written), config.raw_dir)
    return report
