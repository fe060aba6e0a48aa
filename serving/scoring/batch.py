"""Score a whole snapshot once with the champions and store the result for lookups by id.

The base is scored bucket by bucket on the engine (``pipelines.engine``): each task reads one
customer bucket of the snapshot (only the models' input columns and the documents), scores it
in chunks and returns its scores; the driver writes each bucket's scores as that bucket's part
of the score dataset, so the output is the same on every engine. The loaded champions are broadcast
to the tasks (sent once to each Dask worker; see ``benchmarks/bench_batch_scoring.py`` for the
cost against loading them from the registry in each worker). Reasons (TreeSHAP) are computed
only for the customers that can be shown (``ScoringConfig.reasons_for_tiers`` and
``reasons_top_share``); the service computes any other customer's reasons on demand.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from pipelines.catalog import DataLayout, ScoreStore, SnapshotStore
from pipelines.datasets import read_pointer
from pipelines.engine import EngineConfig, open_engine
from pipelines.scores import score_writer
from pipelines.snapshot import Snapshot, available_snapshots, read_snapshot, read_snapshot_bucket
from serving.scoring.score import ShownCustomers, score_customers, top_share_cutoffs
from training.champions import ChampionModels, ScoringConfig, TrackingSettings, load_champions

logger = logging.getLogger(__name__)

WHOLE = -1
"""The one task item of a snapshot written before snapshots had buckets (read whole)."""


class BatchScoreConfig(BaseModel):
    """Which snapshot to score, where to keep the scores, and where the tasks run.

    Tiers, reasons and actions follow the scoring configuration the champions carry (chosen
    when they were trained, see ``TrainConfig.scoring``); it is recorded with the scores.
    """

    model_config = ConfigDict(extra="forbid")

    as_of: date | None = Field(None, description="Snapshot to score; latest when omitted.")
    features_dir: Path = DataLayout().features_dir
    scores_dir: Path = DataLayout().scores_dir
    chunk_rows: int = Field(20_000, ge=100, description="Rows per scoring chunk (memory bound).")
    engine: EngineConfig = Field(default_factory=EngineConfig)


def snapshot_buckets(features_dir: Path, as_of: date) -> list[int]:
    """The task items of a snapshot: its buckets, or :data:`WHOLE` for an unbucketed one.

    Raises:
        FileNotFoundError: When the snapshot was not built.
    """
    files = SnapshotStore(features_dir).at(as_of)
    if not files.published:
        raise FileNotFoundError(
            f"no snapshot at {files.folder}: run `procare features build` first"
        )
    buckets = int((read_pointer(files.meta) or {}).get("buckets") or 0)
    return list(range(buckets)) if buckets else [WHOLE]


def _read(features_dir: Path, as_of: date, bucket: int, columns: list[str]) -> Snapshot:
    if bucket == WHOLE:
        return read_snapshot(features_dir, as_of, columns=columns)
    return read_snapshot_bucket(features_dir, as_of, bucket, columns=columns)


def score_bucket(
    bucket: int,
    *,
    champions: ChampionModels,
    features_dir: Path,
    as_of: date,
    chunk_rows: int,
    shown: ShownCustomers | None = None,
    explain: bool = True,
) -> pd.DataFrame:
    """Score one bucket of a snapshot (the engine task of :func:`score_snapshot`).

    Args:
        bucket: Bucket number (:data:`WHOLE`: the whole of an unbucketed snapshot).
        champions: Loaded models (broadcast).
        features_dir: The snapshots' folder (readable by every worker).
        as_of: Snapshot date.
        chunk_rows: Rows scored at once (bounds the TreeSHAP matrices).
        shown: The customers to explain (their tiers, and the top-share cut-offs of the whole
            base); default: the shown tiers of the champions' configuration.
        explain: Reasons for the shown customers; ``False``: probabilities only (the first
            pass that finds the cut-offs).

    Returns:
        The bucket's scores (``score_customers`` output), or only ``p_<target>`` columns.
    """
    snapshot = _read(features_dir, as_of, bucket, champions.input_columns)
    frame, config = snapshot.frame, champions.scoring
    shown = shown or ShownCustomers.of(config)
    parts = [
        score_customers(
            champions,
            frame.iloc[start : start + chunk_rows],
            snapshot.documents,
            config,
            explain=explain,
            shown=shown,
        )
        for start in range(0, max(len(frame), 1), chunk_rows)
    ]
    scored = parts[0] if len(parts) == 1 else pd.concat(parts)
    return scored if explain else scored[[f"p_{target}" for target in champions.models]]


def _cutoffs(engine, items: list[int], config: ScoringConfig, **shared) -> dict[str, float]:
    """Top-share cut-offs of the whole base: a first pass of probabilities only."""
    if config.reasons_top_share <= 0:
        return {}
    found: dict[str, list[np.ndarray]] = {}
    for _, scored in engine.map(score_bucket, items, explain=False, **shared):
        for column in scored.columns:
            found.setdefault(column.removeprefix("p_"), []).append(scored[column].to_numpy())
    probabilities = {target: np.concatenate(parts) for target, parts in found.items()}
    return top_share_cutoffs(probabilities, config.reasons_top_share)


def score_snapshot(
    config: BatchScoreConfig, tracking: TrackingSettings | None = None
) -> tuple[Path, int]:
    """Score every customer of a snapshot with the champion models, reasons for those shown.

    Returns:
        The written scores file and the number of customers scored.

    Raises:
        FileNotFoundError: When no snapshot exists.
        LookupError: When a target has no champion model yet, or the champions carry
            different scoring configurations (``ChampionConfigError``).
        BucketTaskError: When a bucket fails (after the engine's retries); names the bucket.
    """
    as_of = config.as_of
    if as_of is None:
        snapshots = available_snapshots(config.features_dir)
        if not snapshots:
            raise FileNotFoundError(
                f"no snapshots under {config.features_dir}: run `procare features build` first"
            )
        as_of = snapshots[-1]
    items = snapshot_buckets(config.features_dir, as_of)
    champions = load_champions(tracking)
    shared = {
        "champions": champions,
        "features_dir": config.features_dir,
        "as_of": as_of,
        "chunk_rows": config.chunk_rows,
    }
    scoring = champions.scoring.model_dump(mode="json")
    with open_engine(config.engine) as engine:
        cutoffs = _cutoffs(engine, items, champions.scoring, **shared)
        with score_writer(config.scores_dir, as_of, champions.versions, scoring) as writer:
            shown = ShownCustomers.of(champions.scoring, cutoffs)
            for done, (item, scored) in enumerate(
                engine.map(score_bucket, items, shown=shown, **shared), start=1
            ):
                writer.write(scored, bucket=max(item, 0))
                logger.info("scored bucket %d (%d/%d)", item, done, len(items))
    return ScoreStore(config.scores_dir).at(as_of).scores, writer.rows
