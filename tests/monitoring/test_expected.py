"""Confidence-based expected performance against labels drawn from calibrated probabilities."""

from __future__ import annotations

import numpy as np
import pytest

from monitoring.expected import expected_performance, expected_roc_auc, list_size
from monitoring.realized import ranking_metrics, realized_performance

CAPACITIES = [0.01, 0.02, 0.05, 0.1]


def test_list_size_rounds_up() -> None:
    assert list_size(1_000, 0.01) == 10
    assert list_size(1_001, 0.01) == 11
    assert list_size(5, 1.0) == 5


def test_expected_figures_of_a_small_list() -> None:
    table = expected_performance(np.array([0.9, 0.1, 0.5, 0.5]), [0.5])
    row = table.iloc[0]
    assert row["list_size"] == 2
    assert row["expected_positives"] == pytest.approx(1.4)
    assert row["expected_precision"] == pytest.approx(0.7)
    assert row["expected_recall"] == pytest.approx(1.4 / 2.0)


def test_expected_precision_and_recall_match_realized_on_a_calibrated_sample() -> None:
    rng = np.random.default_rng(7)
    p = rng.beta(0.6, 6.0, size=20_000)
    expected = expected_performance(p, CAPACITIES)
    draws = [realized_performance(p, rng.random(p.size) < p, CAPACITIES) for _ in range(200)]
    precision = np.array([d["realized_precision"].to_numpy() for d in draws])
    recall = np.array([d["realized_recall"].to_numpy() for d in draws])
    sizes = expected["list_size"].to_numpy()
    exp_precision = expected["expected_precision"].to_numpy()
    se = np.sqrt(exp_precision * (1 - exp_precision) / sizes / len(draws))
    assert np.all(np.abs(precision.mean(axis=0) - exp_precision) < 4 * se + 1e-3)
    assert np.all(np.abs(recall.mean(axis=0) - expected["expected_recall"].to_numpy()) < 0.005)
    one_draw_se = np.sqrt(exp_precision * (1 - exp_precision) / sizes)
    inside = np.abs(precision - exp_precision) <= 2 * one_draw_se
    assert inside.mean() > 0.9  # a single day's realized precision is near its estimate


def test_expected_roc_auc_matches_realized_on_a_calibrated_sample() -> None:
    rng = np.random.default_rng(8)
    p = rng.beta(0.6, 6.0, size=10_000)
    realized = [ranking_metrics(p, rng.random(p.size) < p)["roc_auc"] for _ in range(50)]
    assert expected_roc_auc(p) == pytest.approx(np.mean(realized), abs=0.005)


def test_expected_roc_auc_of_ties_and_of_a_perfect_ranking() -> None:
    assert expected_roc_auc(np.full(100, 0.3)) == pytest.approx(0.5)
    assert expected_roc_auc(np.array([0.0, 0.0, 1.0, 1.0])) == pytest.approx(1.0)


def test_miscalibrated_probabilities_overstate_precision() -> None:
    rng = np.random.default_rng(9)
    p = rng.beta(0.6, 6.0, size=20_000)
    y = rng.random(p.size) < p / 2
    expected = expected_performance(p, [0.05])["expected_precision"].iloc[0]
    realized = realized_performance(p, y, [0.05])["realized_precision"].iloc[0]
    assert realized < 0.7 * expected
