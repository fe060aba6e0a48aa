"""Negative subsampling: every positive kept, a seeded share of negatives weighted 1 / rate."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import training.train as training_train
from pipelines.snapshot import read_snapshot
from tests.training.conftest import temporary_tracking
from tests.training.world import SNAPSHOTS, SPECS, STAND_IN_FOLDED_SCORER
from training.config import LightGBMParams, TrainConfig
from training.sampling import negative_sample
from training.train import train


def test_rate_one_keeps_every_row_untouched():
    assert negative_sample(np.array([True, False, False]), 1.0, seed=0) is None


def test_keeps_every_positive_and_about_rate_of_negatives_with_inverse_weights():
    y = np.random.default_rng(1).random(50_000) < 0.05
    sample = negative_sample(y, 0.2, seed=3)
    kept = y[sample.rows]
    assert kept.sum() == y.sum()
    assert (~kept).sum() / (~y).sum() == pytest.approx(0.2, abs=0.01)
    assert np.all(np.diff(sample.rows) > 0)
    np.testing.assert_array_equal(sample.weights, np.where(kept, 1.0, 5.0))
    assert sample.weights[~kept].sum() == pytest.approx((~y).sum(), rel=0.03)


def test_the_same_seed_keeps_the_same_rows():
    y = np.random.default_rng(2).random(5_000) < 0.1
    first, second = negative_sample(y, 0.5, seed=[0, 1]), negative_sample(y, 0.5, seed=[0, 1])
    np.testing.assert_array_equal(first.rows, second.rows)
    assert not np.array_equal(first.rows, negative_sample(y, 0.5, seed=[0, 2]).rows)


@pytest.mark.parametrize("rate", [0.0, 1.5])
def test_rate_outside_zero_one_is_refused(rate):
    with pytest.raises(ValueError, match="negative_sample_rate"):
        negative_sample(np.array([True, False]), rate, seed=0)


def test_training_on_sampled_negatives_stays_calibrated_and_records_the_rate(world, tracking):
    features_dir, world_dir = world
    config = TrainConfig(
        features_dir=features_dir,
        world_dir=world_dir,
        raw_dir=None,
        targets=["repeat_contact"],
        lightgbm=LightGBMParams(n_estimators=40),
        baselines=False,
        ablation=False,
        calibration_folds=3,
        explain_rows=200,
        register_models=False,
        negative_sample_rate=0.25,
    )
    result = train(config, tracking=tracking, specs=SPECS, use_text_model=False)
    outcome = result.targets["repeat_contact"]
    snapshot = read_snapshot(features_dir, SNAPSHOTS[-1])
    y_valid = snapshot.frame["repeat_contact"].to_numpy(dtype=bool)
    probs = outcome.model.predict_proba(
        snapshot.frame.drop(columns=["repeat_contact", "escalation"])
    )
    assert probs.mean() == pytest.approx(y_valid.mean(), abs=0.005)
    assert outcome.metrics["roc_auc"] > 0.64
    run = tracking.client().get_run(outcome.parent_run_id)
    assert run.data.params["negative_sample_rate"] == "0.25"
    assert int(run.data.params["data.fit_rows"]) < int(run.data.params["data.train_rows"]) / 2
    assert outcome.model.metadata["negative_sample_rate"] == 0.25
    card = tracking.client().download_artifacts(outcome.parent_run_id, "model_card.md")
    text = Path(card).read_text(encoding="utf-8")
    assert "negative subsampling: every positive and 25.0% of the negatives" in text


def test_pieces_hold_only_the_kept_rows_and_fit_what_every_row_gave(
    world, tracking, tmp_path, monkeypatch
):
    """The plain path sends every training row to the pieces; the fast one only the rows some
    target keeps. Models, families and ablation arms must be identical."""
    features_dir, world_dir = world
    config = TrainConfig(
        features_dir=features_dir,
        world_dir=world_dir,
        raw_dir=None,
        lightgbm=LightGBMParams(n_estimators=30),
        baseline={"max_train_rows": 2000, "mlp_max_iter": 20},
        text_oof_folds=3,
        calibration_folds=3,
        explain_rows=200,
        register_models=False,
        negative_sample_rate=0.3,
        processes=1,
    )
    seen = []
    fitted_rows = training_train.fitted_rows

    def recording(rows):
        kept, renumbered = fitted_rows(rows)
        seen.append(None if kept is None else len(kept))
        return kept, renumbered

    monkeypatch.setattr(training_train, "fitted_rows", recording)
    options = {"specs": SPECS, "text_scorer": STAND_IN_FOLDED_SCORER}
    fast = train(config, tracking=tracking, **options)
    monkeypatch.setattr(training_train, "fitted_rows", lambda rows: (None, dict(rows)))
    with temporary_tracking(tmp_path) as other:
        plain = train(config, tracking=other, **options)
    snapshot_rows = sum(
        len(read_snapshot(features_dir, day, documents=False).frame) for day in SNAPSHOTS[:-1]
    )
    assert seen and 0 < seen[0] < 0.8 * snapshot_rows
    for target, expected in plain.targets.items():
        got = fast.targets[target]
        assert got.model.booster.model_to_string() == expected.model.booster.model_to_string()
        assert got.metrics == expected.metrics
        pd.testing.assert_frame_equal(got.comparison, expected.comparison)
        pd.testing.assert_frame_equal(got.ablation, expected.ablation)
