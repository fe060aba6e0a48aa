"""Snapshots: read data/raw, build features and labels per as_of, write data/features."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field
from rich.progress import Progress

from features.assemble import FeatureConfig, SourceTables, customer_features, resolve_tables
from features.labels import LABELS, horizon_is_observed, make_labels
from features.text import customer_documents
from pipelines.catalog import DataLayout, RawTables, SnapshotStore, WorldFiles
from pipelines.contract import TABLE_ORDER
from pipelines.stage_schemas import (
    check_file,
    check_same_customers,
    check_snapshot_meta,
    documents_schema,
    features_schema,
)
from pipelines.storage import atomic_path, write_text_atomic
from pipelines.validation import data_end_of

logger = logging.getLogger(__name__)


class SnapshotConfig(BaseModel):
    """Which snapshots to build, from where, to where."""

    model_config = ConfigDict(extra="forbid")

    as_of: list[date] = Field(min_length=1)
    raw_dir: Path = DataLayout().raw_dir
    features_dir: Path = DataLayout().features_dir
    features: FeatureConfig = Field(default_factory=FeatureConfig)


@dataclass(frozen=True)
class SnapshotResult:
    """One written snapshot."""

    as_of: date
    path: Path
    rows: int
    features: int
    label_rates: dict[str, float] | None


def read_raw_tables(raw_dir: Path) -> dict[str, pd.DataFrame]:
    """Read the ingested contract tables.

    Raises:
        FileNotFoundError: If a table has not been ingested (run ``procare data ingest``).
    """
    tables = {}
    for name in TABLE_ORDER:
        path = RawTables(raw_dir).table(name)
        if not path.exists():
            raise FileNotFoundError(
                f"{path} is missing: run `procare data ingest SOURCE_DIR` first"
            )
        tables[name] = pd.read_parquet(path)
    return tables


def snapshot_dir(features_dir: Path, as_of: date) -> Path:
    """The folder of one snapshot, ``<features_dir>/as_of=<YYYY-MM-DD>`` (see the catalog)."""
    return SnapshotStore(features_dir).at(as_of).folder


def build_snapshot(
    tables: SourceTables, as_of: date, config: FeatureConfig, data_end: pd.Timestamp | None
) -> tuple[pd.DataFrame, pd.Series]:
    """Features (+ labels when the horizon is observed) and text documents of one snapshot."""
    frame = customer_features(tables, as_of, config)
    horizon = config.labels.horizon_days
    if data_end is not None and horizon_is_observed(as_of, data_end, horizon):
        labels = make_labels(
            tables.contacts, tables.social_posts, frame.index, as_of, config.labels
        )
        frame = frame.join(labels)
    documents = customer_documents(tables.contacts, as_of, posts=tables.social_posts)
    documents = documents.reindex(frame.index).fillna("")
    return frame, documents


def build_snapshots(config: SnapshotConfig, progress: bool = False) -> list[SnapshotResult]:
    """Build and write every requested snapshot.

    Each snapshot folder holds ``features.parquet`` (one row per customer, labels included when
    the horizon lies inside the data), ``documents.parquet`` (masked jieba tokens per customer,
    for the text model) and ``meta.json``. Files are replaced atomically.
    """
    raw = read_raw_tables(config.raw_dir)
    data_end = data_end_of(raw)
    tables = resolve_tables(raw)
    results = []
    with Progress(disable=not progress, transient=True) as bar:
        task = bar.add_task("building snapshots", total=len(config.as_of))
        for as_of in sorted(config.as_of):
            frame, documents = build_snapshot(tables, as_of, config.features, data_end)
            files = SnapshotStore(config.features_dir).at(as_of)
            with atomic_path(files.features) as tmp:
                frame.reset_index().assign(as_of=pd.Timestamp(as_of)).to_parquet(tmp, index=False)
            with atomic_path(files.documents) as tmp:
                documents.rename("document").reset_index().to_parquet(tmp, index=False)
            label_rates = (
                {name: float(frame[name].mean()) for name in LABELS}
                if set(LABELS) <= set(frame.columns)
                else None
            )
            meta = {
                "as_of": as_of.isoformat(),
                "rows": len(frame),
                "horizon_days": config.features.labels.horizon_days,
                "feature_config": config.features.model_dump(mode="json"),
                "label_rates": label_rates,
                "data_end": None if data_end is None else data_end.isoformat(),
            }
            write_text_atomic(json.dumps(meta, indent=2), files.meta)
            n_features = len([c for c in frame.columns if c not in LABELS])
            results.append(SnapshotResult(as_of, files.folder, len(frame), n_features, label_rates))
            logger.info("snapshot %s: %d customers, %d features", as_of, len(frame), n_features)
            bar.advance(task)
    return results


@dataclass(frozen=True)
class Snapshot:
    """A built snapshot read back from disk."""

    as_of: date
    frame: pd.DataFrame
    documents: pd.Series
    meta: dict


def read_snapshot(features_dir: Path, as_of: date) -> Snapshot:
    """Read one snapshot written by :func:`build_snapshots`.

    Returns:
        The snapshot: ``frame`` indexed by customer_id (features, plus labels when observed),
        ``documents`` (customer_id -> masked token string) and ``meta``.

    Raises:
        FileNotFoundError: If the snapshot was not built (run ``procare features build``).
        StageFileError: If a file of the snapshot breaks its schema (stale or edited).
    """
    files = SnapshotStore(features_dir).at(as_of)
    if not files.published:
        raise FileNotFoundError(
            f"no snapshot at {files.folder}: run `procare features build --as-of "
            f"{as_of.isoformat()}`"
        )
    table = pd.read_parquet(files.features)
    check_file(table, features_schema(), files.features)
    frame = table.set_index("customer_id").drop(columns=["as_of"])
    table = pd.read_parquet(files.documents)
    check_file(table, documents_schema(), files.documents)
    documents = table.set_index("customer_id")["document"]
    check_same_customers(documents.index, frame.index, files.documents)
    meta = json.loads(files.meta.read_text(encoding="utf-8"))
    check_snapshot_meta(meta, as_of, len(frame), files.meta)
    return Snapshot(as_of, frame, documents, meta)


def available_snapshots(features_dir: Path) -> list[date]:
    """Dates of every snapshot folder under ``features_dir``, oldest first."""
    return SnapshotStore(features_dir).available()


def read_oracle(world_dir: Path) -> pd.DataFrame | None:
    """The synthetic world's oracle (true label probabilities), or ``None`` for real data.

    Returns:
        Columns customer_id, as_of (datetime64), p_repeat_contact, p_escalation.
    """
    path = WorldFiles(world_dir).oracle
    if not path.exists():
        return None
    oracle = pd.read_parquet(path)
    oracle["as_of"] = pd.to_datetime(oracle["as_of"])
    return oracle
