"""Stacking snapshots into training rows: one frame, documents, groups and dates per row."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from pipelines.snapshot import Snapshot
from training.dataset import stack_snapshots


def _snapshot(day: date, ids: list[str], plans: list[str], docs: dict[str, str]) -> Snapshot:
    frame = pd.DataFrame(
        {
            "x": np.arange(len(ids), dtype=np.float64) + day.month,
            "n": np.arange(len(ids), dtype=np.int64),
            "plan": pd.Categorical(plans),
            "repeat_contact": [True, False, True][: len(ids)],
        },
        index=pd.Index(ids, name="customer_id"),
    )
    return Snapshot(day, frame, pd.Series(docs, dtype=object), {})


def test_stacking_equals_resetting_each_index_then_concatenating():
    """The frame is built without a reset copy of each snapshot (memory at scale); the result
    is what the copies gave, categoricals with different categories included."""
    snapshots = [
        _snapshot(date(2026, 5, 31), ["C1", "C2", "C3"], ["a", "b", "a"], {"C2": "话费 不对"}),
        _snapshot(date(2026, 6, 30), ["C1", "C4"], ["c", "a"], {"C4": "信号 差", "C9": "x"}),
    ]
    stacked = stack_snapshots(snapshots)
    before = pd.concat([s.frame.reset_index(drop=True) for s in snapshots], ignore_index=True)
    pd.testing.assert_frame_equal(stacked.frame, before)
    assert stacked.documents.tolist() == ["", "话费 不对", "", "", "信号 差"]
    assert stacked.customer_id.tolist() == ["C1", "C2", "C3", "C1", "C4"]
    assert stacked.as_of.tolist() == [date(2026, 5, 31)] * 3 + [date(2026, 6, 30)] * 2


def test_one_snapshot_stacks_to_its_own_rows_with_a_fresh_index():
    snapshot = _snapshot(date(2026, 5, 31), ["C1", "C2"], ["a", "b"], {})
    stacked = stack_snapshots([snapshot])
    pd.testing.assert_frame_equal(stacked.frame, snapshot.frame.reset_index(drop=True))
    assert snapshot.frame.index.tolist() == ["C1", "C2"]
