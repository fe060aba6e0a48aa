"""Realized figures from labels, next to the expected ones."""

from __future__ import annotations

import numpy as np
import pytest

from monitoring.realized import expected_vs_realized, ranking_metrics, realized_performance


def test_realized_figures_of_a_small_list() -> None:
    p = np.array([0.9, 0.8, 0.2, 0.1])
    y = np.array([True, False, True, False])
    row = realized_performance(p, y, [0.5]).iloc[0]
    assert row["list_size"] == 2 and row["realized_positives"] == 1
    assert row["realized_precision"] == pytest.approx(0.5)
    assert row["realized_recall"] == pytest.approx(0.5)


def test_ranking_metrics_are_missing_with_one_class() -> None:
    assert np.isnan(ranking_metrics(np.array([0.1, 0.2]), np.array([False, False]))["pr_auc"])
    perfect = ranking_metrics(np.array([0.1, 0.9]), np.array([False, True]))
    assert perfect == {"roc_auc": 1.0, "pr_auc": 1.0}


def test_expected_vs_realized_before_and_after_the_horizon() -> None:
    p = np.array([0.9, 0.8, 0.2, 0.1])
    before = expected_vs_realized(p, None, [0.5, 1.0])
    assert before["realized_precision"].isna().all()
    after = expected_vs_realized(p, np.array([True, True, False, False]), [0.5, 1.0])
    assert after["precision_gap"].tolist() == pytest.approx([1.0 - 0.85, 0.5 - 0.5])
