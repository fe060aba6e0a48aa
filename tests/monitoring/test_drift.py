"""PSI on fixed reference bins, the categorical distance, and the ranking of drift rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from monitoring.drift import (
    DriftReference,
    category_shares,
    js_distance,
    numeric_edges,
    numeric_shares,
    psi,
    rank_drift,
)


def test_psi_of_known_shares_is_the_textbook_value() -> None:
    assert psi([0.5, 0.5], [0.25, 0.75]) == pytest.approx(0.25 * np.log(3))


def test_identical_distributions_have_no_drift() -> None:
    rng = np.random.default_rng(0)
    reference = rng.normal(size=200_000)
    edges = numeric_edges(reference, 10)
    same = numeric_shares(reference, edges)
    assert psi(same, same) == 0.0
    other_draw = numeric_shares(rng.normal(size=200_000), edges)
    assert psi(same, other_draw) < 1e-3


def test_a_mean_shift_gives_the_analytic_binned_psi() -> None:
    rng = np.random.default_rng(1)
    reference, current = rng.normal(size=400_000), rng.normal(0.5, 1.0, size=400_000)
    edges = numeric_edges(reference, 10)
    cuts = np.concatenate([[-np.inf], edges, [np.inf]])
    p, q = np.diff(norm.cdf(cuts)), np.diff(norm.cdf(cuts - 0.5))
    analytic = float(np.sum((q - p) * np.log(q / p)))
    measured = psi(numeric_shares(reference, edges), numeric_shares(current, edges))
    assert measured == pytest.approx(analytic, abs=0.01)
    assert 0.2 < measured < 0.25  # below the continuous value (0.5 / 1)^2 = 0.25


def test_bins_are_fixed_from_the_reference_with_missing_and_empty_bins() -> None:
    reference = np.array([0, 0, 0, 0, 1, 2, 3, 4, np.nan, np.nan], dtype=float)
    edges = numeric_edges(reference, 4)
    shares = numeric_shares(reference, edges)
    assert shares.sum() == pytest.approx(1.0)
    assert shares[-1] == pytest.approx(0.2)
    assert shares[0] == pytest.approx(0.4)  # the tied zeros share one bin
    beyond = numeric_shares(np.array([100.0, 200.0]), edges)
    assert beyond[-2] == 1.0  # above every edge: the open top bin
    assert np.isfinite(psi(shares, beyond, epsilon=1e-4))


def test_categories_unseen_in_the_reference_count_as_other() -> None:
    reference = pd.Series(["a", "a", "b", "c", None])
    current = pd.Series(["a", "z", "z", None, None])
    categories = ("a", "b")
    assert category_shares(reference, categories) == pytest.approx([0.4, 0.2, 0.2, 0.2])
    assert category_shares(current, categories) == pytest.approx([0.2, 0.0, 0.4, 0.4])


def test_jensen_shannon_distance_is_bounded() -> None:
    assert js_distance([0.5, 0.5], [0.5, 0.5]) == pytest.approx(0.0)
    assert js_distance([1.0, 0.0], [0.0, 1.0]) == pytest.approx(1.0)


def test_reference_compares_numeric_and_categorical_columns() -> None:
    rng = np.random.default_rng(2)
    reference = pd.DataFrame(
        {"x": rng.normal(size=5_000), "plan": rng.choice(["a", "b"], size=5_000)}
    )
    current = pd.DataFrame(
        {"x": rng.normal(1.0, 1.0, size=5_000), "plan": rng.choice(["a", "b"], size=5_000)}
    )
    fitted = DriftReference(categorical=["plan"], bins=10).fit(reference)
    rows = fitted.compare(current).set_index("feature")
    assert rows.loc["x", "kind"] == "numeric" and rows.loc["plan", "kind"] == "category"
    assert rows.loc["x", "psi"] > 0.5
    assert rows.loc["plan", "psi"] < 0.01


def test_ranking_puts_top_weighted_features_first() -> None:
    drift = pd.DataFrame(
        {
            "feature": ["a", "b", "c"],
            "kind": "numeric",
            "psi": [0.9, 0.05, 0.3],
            "js_distance": 0.0,
            "reference_missing": 0.0,
            "current_missing": 0.0,
            "bins": 10,
        }
    )
    ranked = rank_drift(drift, {"b": 0.6, "c": 0.3}, ["b", "c"])
    assert ranked["feature"].tolist() == ["c", "b", "a"]
    assert ranked["status"].tolist() == ["major", "stable", "major"]
    assert ranked["top_weighted"].tolist() == [True, True, False]


def test_a_shared_value_shifted_in_its_last_digits_is_not_a_drift():
    """Half the base at one value (an isolated node's PageRank): a shift far smaller than the
    gap to the next value keeps everyone in their bin."""
    rng = np.random.default_rng(5)
    spread = rng.uniform(1.0, 5.0, 5000)
    reference = pd.DataFrame({"x": np.concatenate([np.full(5000, 0.4012), spread])})
    current = pd.DataFrame({"x": np.concatenate([np.full(5000, 0.4009), spread])})
    drift = DriftReference(bins=10).fit(reference).compare(current)
    assert drift["psi"].iloc[0] < 0.01
    moved = pd.DataFrame({"x": np.concatenate([np.full(5000, 2.0), spread])})
    assert DriftReference(bins=10).fit(reference).compare(moved)["psi"].iloc[0] > 1.0
