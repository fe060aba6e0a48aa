"""Calibrators: Platt keeps the ranking, isotonic is monotone, cross-fitting never self-scores."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import expit
from sklearn.linear_model import LogisticRegression

from training.calibration import Calibrator, cross_fit, platt_fit


@pytest.fixture
def raw_and_labels():
    rng = np.random.default_rng(0)
    raw = rng.normal(0, 2, 4000)
    y = rng.random(4000) < expit(0.5 * raw - 2.0)
    return raw, y


def test_platt_matches_an_unpenalised_logistic_regression(raw_and_labels):
    raw, y = raw_and_labels
    slope, intercept = platt_fit(raw, y)
    reference = LogisticRegression(C=1e8, max_iter=1000).fit(raw[:, None], y)
    assert slope == pytest.approx(reference.coef_[0, 0], rel=1e-3)
    assert intercept == pytest.approx(reference.intercept_[0], rel=1e-3)
    assert slope == pytest.approx(0.5, abs=0.1)


def test_sigmoid_keeps_the_ranking_and_matches_the_base_rate(raw_and_labels):
    raw, y = raw_and_labels
    prob = Calibrator("sigmoid").fit(raw, y).predict(raw)
    assert (np.argsort(prob, kind="stable") == np.argsort(raw, kind="stable")).all()
    assert prob.mean() == pytest.approx(y.mean(), abs=0.002)


def test_platt_stays_finite_on_separable_flags():
    flags = np.array([0, 0, 0, 1, 1, 1], dtype=float)
    prob = Calibrator("sigmoid").fit(flags, flags.astype(bool)).predict(flags)
    assert np.isfinite(prob).all() and prob[3] > prob[0]


def test_isotonic_is_monotone_and_none_reads_log_odds(raw_and_labels):
    raw, y = raw_and_labels
    prob = Calibrator("isotonic").fit(raw, y).predict(np.sort(raw))
    assert (np.diff(prob) >= 0).all()
    np.testing.assert_allclose(Calibrator("none").fit(raw, y).predict(raw), expit(raw))


def test_cross_fit_is_deterministic_and_close_to_the_full_fit(raw_and_labels):
    raw, y = raw_and_labels
    first = cross_fit(raw, y, "sigmoid", 5, seed=1)
    np.testing.assert_array_equal(first, cross_fit(raw, y, "sigmoid", 5, seed=1))
    full = Calibrator("sigmoid").fit(raw, y).predict(raw)
    assert np.abs(first - full).max() < 0.05


def test_calibration_refuses_labels_without_both_classes():
    with pytest.raises(ValueError, match="need at least 2 of each class"):
        cross_fit(np.arange(10.0), np.eye(10)[0].astype(bool), "sigmoid", 5, seed=0)
    with pytest.raises(ValueError, match="both classes"):
        Calibrator("isotonic").fit(np.arange(4.0), np.zeros(4, dtype=bool))
