"""Snapshots: read data/raw, build features and labels per as_of, write data/features."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field
from rich.progress import Progress

from features.assemble import FeatureConfig, SourceTables, snapshot_customers
from features.graph import graph_features
from features.labels import LABELS
from features.sources import availability, families_absent
from pipelines.catalog import DataLayout, RawTables, SnapshotFiles, SnapshotStore, WorldFiles
from pipelines.datasets import clean_stale, publish_version, read_pointer, staged_version
from pipelines.engine import Engine, EngineConfig, open_engine
from pipelines.raw_tables import (
    raw_buckets,
    raw_data_range,
    raw_manifest,
    raw_missing_tables,
    read_raw_edges,
)
from pipelines.raw_tables import read_raw_bucket as read_raw_bucket
from pipelines.raw_tables import read_raw_tables as read_raw_tables
from pipelines.snapshot_tasks import BucketBase, bucket_base, snapshot_bucket, snapshot_bucket_task
from pipelines.stage_schemas import (
    check_file,
    check_same_customers,
    check_snapshot_meta,
    documents_schema,
    features_schema,
)

logger = logging.getLogger(__name__)


class SnapshotConfig(BaseModel):
    """Which snapshots to build, from where, to where, on which engine."""

    model_config = ConfigDict(extra="forbid")

    as_of: list[date] = Field(min_length=1)
    raw_dir: Path = DataLayout().raw_dir
    features_dir: Path = DataLayout().features_dir
    features: FeatureConfig = Field(default_factory=FeatureConfig)
    engine: EngineConfig = Field(default_factory=EngineConfig)


class DateOutsideDataError(ValueError):
    """A snapshot date the ingested data do not cover (before their start or after their end)."""


@dataclass(frozen=True)
class SnapshotResult:
    """One written snapshot (``families_absent``: left out for lack of optional tables)."""

    as_of: date
    path: Path
    rows: int
    features: int
    label_rates: dict[str, float] | None
    families_absent: tuple[str, ...] = ()


def snapshot_dir(features_dir: Path, as_of: date) -> Path:
    """The folder of one snapshot, ``<features_dir>/as_of=<YYYY-MM-DD>`` (see the catalog)."""
    return SnapshotStore(features_dir).at(as_of).folder


def build_snapshot(
    tables: SourceTables,
    as_of: date,
    config: FeatureConfig,
    data_end: pd.Timestamp | None,
    graph: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.Series]:
    """Features (+ labels when the horizon is observed) and text documents of one snapshot.

    The whole base in one call (the graph computed from ``tables.edges`` unless ``graph`` is
    given); :func:`build_snapshots` runs the same function bucket by bucket.
    """
    return snapshot_bucket(tables, as_of, config, data_end, graph=graph)


@dataclass(frozen=True)
class _BaseInputs:
    """The global inputs of every snapshot of one build."""

    raw_version: str
    buckets: int
    data_end: pd.Timestamp | None
    customers: pd.DataFrame
    regions: tuple[str, ...]
    edges: pd.DataFrame
    bases: list[BucketBase]
    missing_tables: tuple[str, ...] = ()

    def graph(self, as_of: date, config: FeatureConfig) -> pd.DataFrame:
        """The graph family of ``as_of`` for the whole base (sparse, computed once); no
        columns when ``config`` leaves the family out (no ``edges``)."""
        ids = snapshot_customers(self.customers, as_of)
        if "graph" in families_absent(config.missing_tables):
            return pd.DataFrame(index=ids)
        flags = pd.concat([base.flags[as_of] for base in self.bases], ignore_index=True)
        return graph_features(self.edges, ids, flags, as_of, config.graph)


def _base_inputs(config: SnapshotConfig, engine: Engine) -> _BaseInputs:
    raw_version = RawTables(config.raw_dir).version
    buckets = raw_buckets(config.raw_dir)
    data_end = raw_manifest(config.raw_dir).get("data_end")
    dates = sorted(config.as_of)
    found = dict(
        engine.map(
            bucket_base, range(buckets), raw_dir=config.raw_dir, version=raw_version, dates=dates
        )
    )
    bases = [found[bucket] for bucket in range(buckets)]
    customers = pd.concat([base.customers for base in bases], ignore_index=True)
    order = customers["customer_id"].argsort(kind="stable").to_numpy()
    return _BaseInputs(
        raw_version=raw_version,
        buckets=buckets,
        data_end=None if data_end is None else pd.Timestamp(data_end),
        customers=customers.take(order).reset_index(drop=True),
        regions=tuple(sorted(frozenset().union(*(base.regions for base in bases)))),
        edges=read_raw_edges(config.raw_dir, raw_version),
        bases=bases,
        missing_tables=raw_missing_tables(config.raw_dir),
    )


def _build_one(
    config: SnapshotConfig, engine: Engine, inputs: _BaseInputs, as_of: date, bar: Progress
) -> SnapshotResult:
    """Build one snapshot bucket by bucket and publish it (its ``meta.json``) last."""
    feature_config = config.features.without(inputs.missing_tables)
    graph = inputs.graph(as_of, feature_config)
    files = SnapshotStore(config.features_dir).at(as_of)
    task = bar.add_task(f"snapshot {as_of}", total=inputs.buckets)
    with staged_version(files.folder) as version:
        summaries = {}
        for bucket, summary in engine.map(
            snapshot_bucket_task,
            range(inputs.buckets),
            raw_dir=config.raw_dir,
            raw_version=inputs.raw_version,
            features_dir=config.features_dir,
            snapshot_version=version.name,
            as_of=as_of,
            config=feature_config,
            data_end=inputs.data_end,
            regions=inputs.regions,
            graph=graph,
        ):
            summaries[bucket] = summary
            bar.advance(task)
        rows = sum(summary.rows for summary in summaries.values())
        labelled = all(summary.positives for summary in summaries.values())
        label_rates = (
            {name: sum(s.positives[name] for s in summaries.values()) / rows for name in LABELS}
            if labelled and rows
            else None
        )
        meta = {
            "as_of": as_of.isoformat(),
            "rows": rows,
            "horizon_days": feature_config.labels.horizon_days,
            "feature_config": feature_config.model_dump(mode="json"),
            **availability(feature_config.missing_tables),
            "label_rates": label_rates,
            "data_end": None if inputs.data_end is None else inputs.data_end.isoformat(),
            "buckets": inputs.buckets,
            "bucket_rows": [summaries[bucket].rows for bucket in range(inputs.buckets)],
        }
    publish_version(version, files.meta, meta)
    n_features = max(summary.features for summary in summaries.values())
    logger.info("snapshot %s: %d customers, %d features", as_of, rows, n_features)
    absent = tuple(meta["families_absent"])
    return SnapshotResult(as_of, files.folder, rows, n_features, label_rates, absent)


def check_snapshot_dates(raw_dir: Path, dates: Sequence[date]) -> None:
    """Refuse snapshot dates outside the ingested data (:func:`raw_data_range`).

    A date after the data end would be scored as if it were today, with every recent window
    empty; a date before the data start has no history (and no customers). Data without bills
    cannot be dated and are not checked.

    Raises:
        DateOutsideDataError: Naming the first date outside and the data's range.
        FileNotFoundError: If nothing was ingested.
    """
    span = raw_data_range(raw_dir)
    if span is None:
        return
    first, last = span[0].date(), span[1].date()
    outside = [day for day in sorted(dates) if not first <= day <= last]
    if outside:
        raise DateOutsideDataError(
            f"snapshot date {outside[0].isoformat()} is outside the data: the ingested tables "
            f"cover {first.isoformat()} to {last.isoformat()}"
        )


def build_snapshots(config: SnapshotConfig, progress: bool = False) -> list[SnapshotResult]:
    """Build and publish every requested snapshot, bucket by bucket on the configured engine.

    Each snapshot folder holds ``meta.json`` (settings, rows, label rates, buckets, and which
    tables were missing: ``missing_tables``, ``families_available``, ``families_absent``,
    ``label_parts_absent``, see :func:`features.sources.availability`) and a
    version folder with ``features/`` (one row per customer, labels included when the horizon
    lies inside the data) and ``documents/`` (masked jieba tokens per customer, for the text
    model), one Parquet part per bucket. The graph family is computed once per snapshot for
    the whole base; everything else per bucket (see :mod:`pipelines.snapshot_tasks`). Optional
    tables the ingest lacked (its manifest's ``missing_tables``) are added to the feature
    configuration's ``missing_tables``: the families they feed are left out. The meta
    is written last and publishes the snapshot: a failed build leaves the previous one.

    Leftovers of killed builds under ``features_dir`` are removed first
    (:func:`pipelines.datasets.clean_stale`).

    Raises:
        FileNotFoundError: If the tables were not ingested in buckets.
        DateOutsideDataError: If a date lies outside the ingested data.
        BucketTaskError: If a bucket fails (after the engine's retries); names the bucket.
    """
    check_snapshot_dates(config.raw_dir, config.as_of)
    clean_stale(config.features_dir)
    results = []
    with (
        open_engine(config.engine) as engine,
        Progress(disable=not progress, transient=True) as bar,
    ):
        inputs = _base_inputs(config, engine)
        for as_of in sorted(config.as_of):
            results.append(_build_one(config, engine, inputs, as_of, bar))
    return results


@dataclass(frozen=True)
class Snapshot:
    """A built snapshot read back from disk (``documents`` is ``None`` when not read)."""

    as_of: date
    frame: pd.DataFrame
    documents: pd.Series | None
    meta: dict


def _published(features_dir: Path, as_of: date) -> SnapshotFiles:
    files = SnapshotStore(features_dir).at(as_of)
    if not files.published:
        raise FileNotFoundError(
            f"no snapshot at {files.folder}: run `procare features build --as-of "
            f"{as_of.isoformat()}`"
        )
    return files


def _read_parts(
    features: list[Path], documents: list[Path] | None, columns: Sequence[str] | None
) -> tuple[pd.DataFrame, pd.Series | None]:
    """Read and check each part; concatenate them (a bucket: one part each)."""
    wanted = None if columns is None else ["customer_id", *columns]
    frames, texts = [], []
    for position, path in enumerate(features):
        table = pd.read_parquet(path, columns=wanted)
        check_file(table, features_schema(), path)
        frame = table.set_index("customer_id").drop(columns=["as_of"], errors="ignore")
        frames.append(frame)
        if documents is not None:
            table = pd.read_parquet(documents[position])
            check_file(table, documents_schema(), documents[position])
            text = table.set_index("customer_id")["document"]
            check_same_customers(text.index, frame.index, documents[position])
            texts.append(text)
    frame = _concat(frames)
    return frame, (_concat(texts) if documents is not None else None)


def _concat(parts: list) -> pd.DataFrame | pd.Series:
    filled = [part for part in parts if len(part)] or parts[:1]
    return filled[0] if len(filled) == 1 else pd.concat(filled)


def read_snapshot(
    features_dir: Path,
    as_of: date,
    columns: Sequence[str] | None = None,
    documents: bool = True,
) -> Snapshot:
    """Read one snapshot written by :func:`build_snapshots`, whole.

    Args:
        features_dir: The snapshots' folder.
        as_of: Snapshot date.
        columns: Only these feature or label columns (a projection: the other columns are not
            read); all when ``None``.
        documents: Whether to read the documents too.

    Returns:
        The snapshot: ``frame`` indexed by customer_id (features, plus labels when observed),
        sorted by customer_id, ``documents`` (customer_id -> masked token string, same order)
        and ``meta``.

    Raises:
        FileNotFoundError: If the snapshot was not built (run ``procare features build``).
        StageFileError: If a file of the snapshot breaks its schema (stale or edited).
    """
    files = _published(features_dir, as_of)
    texts = files.parts("documents") if documents else None
    frame, text = _read_parts(files.parts("features"), texts, columns)
    if len(files.parts("features")) > 1:
        order = np.argsort(frame.index.to_numpy(dtype=object), kind="stable")
        frame = frame.take(order)
        text = None if text is None else text.take(order)
    meta = json.loads(files.meta.read_text(encoding="utf-8"))
    check_snapshot_meta(meta, as_of, len(frame), files.meta)
    return Snapshot(as_of, frame, text, meta)


def read_snapshot_bucket(
    features_dir: Path,
    as_of: date,
    bucket: int,
    columns: Sequence[str] | None = None,
    documents: bool = True,
) -> Snapshot:
    """Read one customer bucket of a snapshot (``meta["buckets"]`` buckets), as
    :func:`read_snapshot` does the whole.

    Raises:
        FileNotFoundError: If the snapshot was not built in buckets, or has no such bucket.
    """
    files = _published(features_dir, as_of)
    meta = read_pointer(files.meta) or {}
    if not 0 <= bucket < int(meta.get("buckets", 0)):
        raise FileNotFoundError(f"{files.folder} has no bucket {bucket}")
    texts = [files.part("documents", bucket)] if documents else None
    frame, text = _read_parts([files.part("features", bucket)], texts, columns)
    return Snapshot(as_of, frame, text, meta)


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
