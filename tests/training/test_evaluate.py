"""Metrics: agree with scikit-learn, share ties fairly at a capacity, slice and oracle."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import average_precision_score, roc_auc_score

from training.evaluate import (
    average_precision,
    capacity_counts,
    channel_mix,
    classification_metrics,
    gain_curve,
    oracle_comparison,
    reliability_curve,
    roc_auc,
    slice_columns,
    slice_metrics,
)


@pytest.fixture
def scored():
    rng = np.random.default_rng(0)
    score = rng.random(2000)
    y = rng.random(2000) < 0.02 + 0.2 * score**2
    return y, score


def test_auc_and_average_precision_match_scikit_learn_with_ties(scored):
    y, score = scored
    for s in (score, np.round(score * 4)):
        assert roc_auc(y, s) == pytest.approx(roc_auc_score(y, s), abs=1e-12)
        assert average_precision(y, s) == pytest.approx(average_precision_score(y, s), abs=1e-12)


def test_capacity_metrics_count_top_k_and_lift():
    y = np.array([1, 1, 0, 0, 1, 0, 0, 0, 0, 0], dtype=bool)
    score = np.arange(10, 0, -1, dtype=float)
    metrics = classification_metrics(y, score, [0.2, 0.5])
    assert metrics["recall_at_20pct"] == pytest.approx(2 / 3)
    assert metrics["precision_at_20pct"] == 1.0
    assert metrics["lift_at_20pct"] == pytest.approx(1 / 0.3)
    assert metrics["recall_at_50pct"] == 1.0


def test_ties_at_the_cut_off_share_their_positives():
    y = np.array([1, 0, 1, 0, 0, 0], dtype=bool)
    score = np.array([1, 1, 1, 1, 0, 0], dtype=float)
    k, hits = capacity_counts(y, score, 0.5)
    assert k == 3 and hits == pytest.approx(1.5)


def test_single_class_gives_nan_aucs_not_errors():
    metrics = classification_metrics(np.zeros(5, dtype=bool), np.linspace(0, 1, 5), [0.2])
    assert np.isnan(metrics["roc_auc"]) and np.isnan(metrics["pr_auc"])
    assert np.isnan(metrics["recall_at_20pct"])


def test_reliability_curve_bins_have_equal_counts(scored):
    y, score = scored
    curve = reliability_curve(y, score, n_bins=10)
    assert len(curve) == 10 and (curve["rows"] == 200).all()
    assert curve["mean_predicted"].is_monotonic_increasing


def test_gain_curve_ends_with_every_positive(scored):
    y, score = scored
    gain = gain_curve(y, score)
    assert gain["captured"].iloc[-1] == pytest.approx(1.0)
    assert gain["captured"].is_monotonic_increasing


def test_oracle_ratio_is_one_for_the_oracle_itself(scored):
    y, score = scored
    oracle = score.copy()
    oracle[:100] = np.nan
    out = oracle_comparison(y, score, oracle)
    assert out["oracle_rows"] == 1900
    assert out["oracle_ratio_roc_auc"] == pytest.approx(1.0)
    assert out["oracle_ratio_pr_auc"] == pytest.approx(1.0)


def test_slices_use_the_global_outreach_list():
    frame = pd.DataFrame(
        {
            "acct_plan_type": pd.Categorical(["a", "a", "b", "b", None, "b"]),
            "acct_vip_level": [0, 1, 0, 1, 0, 1],
            "ct_inbound_30d_hotline": [0, 2, 1, 0, 0, 3],
            "ct_inbound_30d_wechat": [0, 1, 0, 2, 0, 0],
        }
    )
    y = np.array([1, 0, 1, 1, 0, 0], dtype=bool)
    prob = np.array([0.9, 0.1, 0.8, 0.2, 0.3, 0.4])
    slices = slice_columns(frame)
    assert list(slices) == ["plan_type", "vip_level", "channel_mix"]
    assert list(slices["channel_mix"]) == ["none", "multi", "hotline", "wechat", "none", "hotline"]
    table = slice_metrics(y, prob, slices, [0.34]).set_index(["slice", "level"])
    assert table.loc[("plan_type", "(missing)"), "rows"] == 1
    assert table.loc[("plan_type", "b"), "recall_at_34pct"] == pytest.approx(1 / 2)
    assert table.loc[("plan_type", "a"), "recall_at_34pct"] == 1.0


def test_channel_mix_needs_the_channel_columns():
    assert channel_mix(pd.DataFrame({"x": [1]})) is None
