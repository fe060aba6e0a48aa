"""The data of one training call: stacked training rows, validation rows, oracle, fingerprints."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from features.registry import FeatureSpec
from pipelines.memory import release_free_memory
from pipelines.training_data import (
    TrainingSnapshots,
    labelled_snapshots,
    read_training_snapshots,
)
from training.config import TrainConfig
from training.dataset import (
    StackedRows,
    combine_fingerprints,
    feature_columns,
    snapshot_fingerprint,
    stack_snapshots,
)
from training.split import SnapshotWindow, assert_out_of_time, resolve_window
from training.text_score import TEXT_SCORE


@dataclass(frozen=True)
class PreparedData:
    """Training and validation rows shared by every target.

    Attributes:
        window: The out-of-time window.
        train: Stacked training snapshots.
        valid: The validation snapshot.
        columns: Feature columns (registry order of the snapshot frame, labels excluded).
        oracle: True probabilities of the synthetic world, or ``None``.
        fingerprint: Fingerprint of every snapshot used.
        raw_fingerprint: Fingerprint of the ingested tables, when known.
        train_fingerprint: Fingerprint of the training snapshots (their dataset digest).
        valid_fingerprint: Fingerprint of the validation snapshot (its dataset digest).
    """

    window: SnapshotWindow
    train: StackedRows
    valid: StackedRows
    columns: list[str]
    oracle: pd.DataFrame | None
    fingerprint: str
    raw_fingerprint: str | None
    train_fingerprint: str = ""
    valid_fingerprint: str = ""

    def oracle_for(self, target: str) -> np.ndarray | None:
        """True probabilities of ``target`` for the validation rows (NaN where unknown)."""
        if self.oracle is None:
            return None
        day = pd.Timestamp(self.window.valid_as_of)
        rows = self.oracle.loc[self.oracle["as_of"] == day]
        values = rows.set_index("customer_id")[f"p_{target}"]
        return values.reindex(pd.Index(self.valid.customer_id)).to_numpy(dtype=np.float64)


def prepare_data(config: TrainConfig, specs: Mapping[str, FeatureSpec]) -> PreparedData:
    """Resolve the window, read the snapshots and check they form an out-of-time split.

    Raises:
        SplitError: If the window is not strictly out of time or has no data.
        ValueError: If snapshots lack labels, disagree on columns, or carry unregistered or
            reserved columns.
    """
    window = resolve_window(
        labelled_snapshots(config.features_dir), config.train_as_of, config.valid_as_of
    )
    data = read_training_snapshots(
        config.features_dir,
        list(window.train_as_of),
        window.valid_as_of,
        world_dir=config.world_dir,
        raw_dir=config.raw_dir,
    )
    columns = feature_columns(data.valid.frame, specs)
    if TEXT_SCORE in columns:
        raise ValueError(f"{TEXT_SCORE} is computed at training time; drop it from snapshots")
    for snapshot in data.train:
        seen = feature_columns(snapshot.frame, specs)
        if seen != columns:
            raise ValueError(
                f"snapshot {snapshot.as_of.isoformat()} has different feature columns than the "
                f"validation snapshot: {sorted(set(seen) ^ set(columns))}; rebuild the snapshots"
            )
    parts = {s.as_of: snapshot_fingerprint(s) for s in [*data.train, data.valid]}
    train_dates = [s.as_of for s in data.train]
    oracle, raw_fingerprint = data.oracle, data.raw_fingerprint
    train, valid = _stack_and_release(data)
    assert_out_of_time(train.as_of, valid.as_of)
    return PreparedData(
        window,
        train,
        valid,
        columns,
        oracle,
        combine_fingerprints(parts),
        raw_fingerprint,
        combine_fingerprints({day: parts[day] for day in train_dates}),
        combine_fingerprints({window.valid_as_of: parts[window.valid_as_of]}),
    )


def _stack_and_release(data: TrainingSnapshots) -> tuple[StackedRows, StackedRows]:
    """The stacked training and validation rows; the training snapshots read are dropped once
    stacked and their heap pages returned, so the process does not keep both copies (at 1M
    customers, four training snapshots are about 4 GB of frames)."""
    snapshots = list(data.train)
    data.train.clear()
    train = stack_snapshots(snapshots)
    del snapshots
    release_free_memory()
    return train, stack_snapshots([data.valid])
