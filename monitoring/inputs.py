"""Read what monitoring compares: snapshot columns by projection, scores, labels.

Nothing here holds a whole snapshot: features are read a chunk of columns at a time, scores
and labels as one or two columns, and a snapshot without batch scores is scored bucket by
bucket.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from features.vocabulary import TARGETS
from pipelines.catalog import DataLayout, ScoreStore, SnapshotStore
from pipelines.datasets import read_pointer
from pipelines.scores import read_scores
from pipelines.snapshot import read_snapshot, read_snapshot_bucket
from training.champions import ChampionModels

logger = logging.getLogger(__name__)

PROBABILITY = {target: f"p_{target}" for target in TARGETS}


class MonitorInputError(LookupError):
    """Something monitoring needs is missing (the message names it)."""


def require_snapshot(features_dir: Path, as_of: date, role: str) -> None:
    """Refuse a snapshot that was not built (or is gone), naming its role and the fix.

    Raises:
        MonitorInputError: Naming the snapshot, its folder and the command that builds it.
    """
    files = SnapshotStore(features_dir).at(as_of)
    if not files.published:
        raise MonitorInputError(
            f"{role} snapshot {as_of.isoformat()} is missing ({files.folder}): build it with "
            f"`procare features build --as-of {as_of.isoformat()}`"
        )


def snapshot_columns(features_dir: Path, as_of: date) -> list[str]:
    """The columns of a built snapshot, read from a part's Parquet schema (no data read)."""
    files = SnapshotStore(features_dir).at(as_of)
    parts = files.parts("features")
    if not parts:
        return []
    return [c for c in pq.read_schema(parts[0]).names if c not in ("customer_id", "as_of")]


def require_columns(features_dir: Path, as_of: date, columns: Sequence[str]) -> None:
    """Refuse a snapshot lacking a column the champions read.

    Raises:
        MonitorInputError: Naming the snapshot and the missing columns.
    """
    present = set(snapshot_columns(features_dir, as_of))
    missing = [c for c in columns if c not in present]
    if missing:
        more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
        shown = ", ".join(missing[:10]) + more
        raise MonitorInputError(
            f"snapshot {as_of.isoformat()} does not match the champions: it lacks "
            f"{len(missing)} of their input column(s): {shown}; rebuild it with "
            f"`procare features build --as-of {as_of.isoformat()}` or retrain"
        )


def read_columns(features_dir: Path, dates: Sequence[date], columns: Sequence[str]) -> pd.DataFrame:
    """A projection of one or more snapshots, stacked (no documents read)."""
    frames = [
        read_snapshot(features_dir, as_of, columns=list(columns), documents=False).frame
        for as_of in dates
    ]
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)


def read_labels(features_dir: Path, as_of: date) -> pd.DataFrame | None:
    """Both targets' labels of a snapshot, or ``None`` when its horizon was not observed."""
    if not set(TARGETS) <= set(snapshot_columns(features_dir, as_of)):
        return None
    return read_snapshot(features_dir, as_of, columns=list(TARGETS), documents=False).frame


def snapshot_buckets(features_dir: Path, as_of: date) -> list[int | None]:
    """A snapshot's buckets, or ``[None]`` for one read whole."""
    meta = read_pointer(SnapshotStore(features_dir).at(as_of).meta) or {}
    buckets = int(meta.get("buckets") or 0)
    return list(range(buckets)) if buckets else [None]


def score_snapshot(
    features_dir: Path, as_of: date, champions: ChampionModels, chunk_rows: int = 50_000
) -> pd.DataFrame:
    """Both targets' probabilities of a snapshot, scored bucket by bucket without reasons.

    Raises:
        MonitorInputError: When the snapshot's columns do not match the champions.
    """
    from serving.scoring.score import score_customers

    columns = champions.input_columns
    parts = []
    for bucket in snapshot_buckets(features_dir, as_of):
        snapshot = (
            read_snapshot(features_dir, as_of, columns=columns)
            if bucket is None
            else read_snapshot_bucket(features_dir, as_of, bucket, columns=columns)
        )
        frame = snapshot.frame
        for start in range(0, len(frame), chunk_rows):
            chunk = frame.iloc[start : start + chunk_rows]
            try:
                scored = score_customers(champions, chunk, snapshot.documents, explain=False)
            except ValueError as exc:
                raise MonitorInputError(f"snapshot {as_of.isoformat()}: {exc}") from exc
            parts.append(scored[list(PROBABILITY.values())])
    out = pd.concat(parts) if parts else pd.DataFrame(columns=list(PROBABILITY.values()))
    return out.sort_index()


def snapshot_scores(
    layout: DataLayout, as_of: date, champions: ChampionModels, chunk_rows: int = 50_000
) -> tuple[pd.DataFrame, dict, str]:
    """Probabilities of both targets at ``as_of``: the batch scores when there are, else scored.

    Returns:
        The probabilities (indexed by customer_id), the model versions that made them, and
        where they came from (``batch scores`` or ``scored now``).
    """
    if ScoreStore(layout.scores_dir).at(as_of).published:
        frame, versions = read_scores(
            layout.scores_dir, as_of, parse_reasons=False, columns=list(PROBABILITY.values())
        )
        if versions != champions.versions:
            logger.warning(
                "scores of %s were made by %s, the champions are now %s: monitoring the list "
                "that was made that day",
                as_of,
                versions,
                champions.versions,
            )
        return frame[list(PROBABILITY.values())].sort_index(), versions, "batch scores"
    frame = score_snapshot(layout.features_dir, as_of, champions, chunk_rows)
    return frame, dict(champions.versions), "scored now"


def aligned_labels(scores: pd.DataFrame, labels: pd.DataFrame, target: str) -> np.ndarray:
    """Labels of ``target`` in the order of ``scores`` (customers without a label: negative)."""
    return labels[target].reindex(scores.index).fillna(False).to_numpy(dtype=bool)


def reference_scores(
    layout: DataLayout, as_of: date, champions: ChampionModels, chunk_rows: int = 50_000
) -> pd.DataFrame:
    """The champions' probabilities on a reference snapshot: their own batch scores of it when
    there are, else scored now (never another model's scores)."""
    if ScoreStore(layout.scores_dir).at(as_of).published:
        frame, versions = read_scores(
            layout.scores_dir, as_of, parse_reasons=False, columns=list(PROBABILITY.values())
        )
        if versions == champions.versions:
            return frame[list(PROBABILITY.values())]
    return score_snapshot(layout.features_dir, as_of, champions, chunk_rows)
