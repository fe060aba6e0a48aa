"""Dataset lineage in MLflow: a fingerprint, the row count and dates, a sample's schema only."""

from __future__ import annotations

import json
import os

import mlflow
import numpy as np
import pandas as pd
import pytest

from training.mlflow_log import dataset_sample, log_dataset, tracked_run
from training.tracking import END_REASON_TAG, PID_TAG


def _frame(rows: int) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            "ct_inbound_30d": rng.integers(0, 5, rows),
            "bill_shock": rng.random(rows),
            "acct_plan_type": pd.Categorical(rng.choice(["prepaid", "family"], rows)),
            "escalation": rng.random(rows) < 0.1,
        }
    )


def test_sample_is_seeded_bounded_and_keeps_row_order():
    frame = _frame(5_000)
    sample = dataset_sample(frame, rows=300, seed=1)
    assert len(sample) == 300 and sample.index.is_monotonic_increasing
    assert sample.index.equals(dataset_sample(frame, rows=300, seed=1).index)
    assert dataset_sample(frame.head(10), rows=300) is not None
    assert len(dataset_sample(frame.head(10), rows=300)) == 10


def test_logged_dataset_carries_lineage_of_the_whole_frame_not_its_rows(tracking):
    frame = _frame(5_000)
    with mlflow.start_run() as run:
        log_dataset(
            frame,
            "/data/features",
            "escalation",
            "features-2026-07-31..2026-08-31",
            "training",
            digest="0123456789abcdef",
            snapshot_dates=["2026-07-31", "2026-08-31"],
            sample_rows=200,
        )
    inputs = tracking.client().get_run(run.info.run_id).inputs.dataset_inputs
    assert len(inputs) == 1
    dataset = inputs[0].dataset
    assert {t.key: t.value for t in inputs[0].tags}["mlflow.data.context"] == "training"
    assert dataset.digest == "0123456789abcdef"
    assert dataset.name == "features-2026-07-31..2026-08-31"
    assert "/data/features" in dataset.source
    profile = json.loads(dataset.profile)
    assert profile["num_rows"] == 5_000 and profile["num_elements"] == frame.size
    assert profile["sample_rows"] == 200
    assert profile["snapshot_dates"] == ["2026-07-31", "2026-08-31"]
    schema = json.loads(dataset.schema)["mlflow_colspec"]
    assert {c["name"] for c in schema} == set(frame.columns)


def test_tracked_runs_name_their_process_and_end_failed_with_the_reason(tracking):
    experiment = tracking.ensure_experiment("procare-test")
    with pytest.raises(ValueError), tracked_run("parent", experiment, tags={"target": "x"}) as run:
        raise ValueError("customer 13800138000 broke it")
    ended = tracking.client().get_run(run.info.run_id)
    assert ended.info.status == "FAILED"
    assert ended.data.tags[END_REASON_TAG] == "error: ValueError"
    assert ended.data.tags[PID_TAG] == str(os.getpid()) and ended.data.tags["target"] == "x"
