"""Read what training needs from disk: labelled snapshots, the oracle, data fingerprints."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from features.labels import LABELS
from pipelines.catalog import RawTables, SnapshotStore
from pipelines.memory import release_free_memory
from pipelines.snapshot import Snapshot, available_snapshots, read_oracle, read_snapshot

logger = logging.getLogger(__name__)


def labelled_snapshots(features_dir: Path) -> list[date]:
    """Snapshots whose label horizon is observed (``meta.json`` has label rates), oldest first."""
    found = []
    for as_of in available_snapshots(features_dir):
        meta_path = SnapshotStore(features_dir).at(as_of).meta
        if not meta_path.is_file():
            continue
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("label_rates"):
            found.append(as_of)
    return found


@dataclass(frozen=True)
class TrainingSnapshots:
    """The snapshots of one training window, read from disk.

    Attributes:
        train: Training snapshots, oldest first.
        valid: The out-of-time validation snapshot.
        oracle: The synthetic world's true probabilities (``None`` on real data).
        raw_fingerprint: Fingerprint of the ingested tables (``None`` when unknown).
    """

    train: list[Snapshot]
    valid: Snapshot
    oracle: pd.DataFrame | None
    raw_fingerprint: str | None


def _require_labels(snapshot: Snapshot) -> None:
    missing = [label for label in LABELS if label not in snapshot.frame.columns]
    if missing:
        raise ValueError(
            f"snapshot {snapshot.as_of.isoformat()} has no labels {missing}: its horizon is not "
            "observed in the data; pick an earlier snapshot"
        )


def raw_fingerprint(raw_dir: Path | None) -> str | None:
    """The ingest fingerprint from ``<raw_dir>/_manifest.json``, if present."""
    if raw_dir is None:
        return None
    path = RawTables(raw_dir).manifest
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8")).get("fingerprint")


def read_training_snapshots(
    features_dir: Path,
    train_as_of: list[date],
    valid_as_of: date,
    world_dir: Path | None = None,
    raw_dir: Path | None = None,
) -> TrainingSnapshots:
    """Read the training and validation snapshots (with labels), the oracle and fingerprint.

    Raises:
        FileNotFoundError: A snapshot was not built.
        StageFileError: A snapshot's file breaks its schema (a ``ValueError``).
        ValueError: A snapshot has no labels.
    """
    train = []
    for as_of in sorted(train_as_of):
        train.append(read_snapshot(features_dir, as_of))
        release_free_memory()
    valid = read_snapshot(features_dir, valid_as_of)
    for snapshot in [*train, valid]:
        _require_labels(snapshot)
    oracle = read_oracle(world_dir) if world_dir is not None else None
    logger.info(
        "read %d training snapshots (%d rows) and validation %s (%d rows)",
        len(train),
        sum(len(s.frame) for s in train),
        valid_as_of.isoformat(),
        len(valid.frame),
    )
    return TrainingSnapshots(train, valid, oracle, raw_fingerprint(raw_dir))
