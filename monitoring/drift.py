"""Distribution drift: PSI on bins fixed from a reference, and a distance for categoricals.

A numeric feature's bins are cut at the reference's quantiles (ties merged), with open ends
and one more bin for missing values; a categorical feature's bins are its most frequent
reference categories plus ``other`` (anything else, including categories never seen) and
``missing``. The bins never move with the compared data, so two days compared with the same
reference are comparable with each other.

PSI = sum over bins of (q - p) * ln(q / p), with reference shares p and current shares q, an
empty bin counting as ``epsilon``. Jensen–Shannon distance (base 2, in [0, 1]) is reported
next to it: it is bounded and symmetric, so a category that appears or vanishes does not blow
it up.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
from scipy.spatial.distance import jensenshannon

OTHER = "other"
MISSING = "missing"
STABLE, MODERATE, MAJOR = "stable", "moderate", "major"


def numeric_edges(values: np.ndarray, bins: int) -> np.ndarray:
    """Interior bin edges at the quantiles of the finite reference values (ties merged).

    Each edge is moved from its quantile half-way to the next larger reference value. A value
    many customers share (no contacts in 90 days, an isolated node's PageRank) often is a
    quantile; with the edge on it, a shift of that value in its last digits would move all
    of them to the next bin and read as a major drift.
    """
    values = np.asarray(values, dtype=np.float64)
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return np.empty(0)
    cuts = np.unique(np.quantile(finite, np.linspace(0, 1, bins + 1)[1:-1]))
    distinct = np.unique(finite)
    above = np.searchsorted(distinct, cuts, side="right")
    has_next = above < len(distinct)
    following = distinct[np.minimum(above, len(distinct) - 1)]
    return np.unique(np.where(has_next, (cuts + following) / 2, cuts))


def numeric_shares(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Shares of ``values`` in the bins ``(-inf, e1], (e1, e2], ..., (ek, inf)`` and missing."""
    values = np.asarray(values, dtype=np.float64)
    missing = ~np.isfinite(values)
    positions = np.searchsorted(edges, values[~missing], side="left")
    counts = np.bincount(positions, minlength=len(edges) + 1).astype(np.float64)
    counts = np.append(counts, missing.sum())
    return counts / max(len(values), 1)


def reference_categories(values: pd.Series, limit: int) -> tuple[str, ...]:
    """The ``limit`` most frequent reference categories (as strings; ties by name)."""
    counts = values.dropna().astype(str).value_counts()
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return tuple(name for name, _ in ranked[:limit])


def category_shares(values: pd.Series, categories: tuple[str, ...]) -> np.ndarray:
    """Shares of each kept category, then ``other`` and ``missing``."""
    missing = values.isna().to_numpy()
    text = values[~missing].astype(str)
    codes = pd.Index(categories).get_indexer(pd.Index(text))
    codes = np.where(codes < 0, len(categories), codes)
    counts = np.bincount(codes, minlength=len(categories) + 1).astype(np.float64)
    counts = np.append(counts, missing.sum())
    return counts / max(len(values), 1)


def psi(reference: np.ndarray, current: np.ndarray, epsilon: float = 1e-4) -> float:
    """Population stability index of two share vectors over the same bins."""
    p = np.maximum(np.asarray(reference, dtype=np.float64), epsilon)
    q = np.maximum(np.asarray(current, dtype=np.float64), epsilon)
    return float(np.sum((q - p) * np.log(q / p)))


def js_distance(reference: np.ndarray, current: np.ndarray) -> float:
    """Jensen–Shannon distance (base 2) of two share vectors; 0 when either is empty."""
    reference, current = np.asarray(reference), np.asarray(current)
    if reference.sum() <= 0 or current.sum() <= 0:
        return 0.0
    return float(jensenshannon(reference, current, base=2))


def drift_status(value: float, moderate: float, major: float) -> str:
    """``stable``, ``moderate`` or ``major`` for a PSI value."""
    return MAJOR if value >= major else MODERATE if value >= moderate else STABLE


class DriftReference:
    """Bins and shares of reference columns, to compare other frames against.

    Args:
        categorical: Columns compared as categories (the rest as numbers).
        bins: Quantile bins of a numeric column.
        max_categories: Categories kept by name per categorical column.
        epsilon: Share standing in for an empty bin.
    """

    def __init__(
        self,
        categorical: Iterable[str] = (),
        bins: int = 10,
        max_categories: int = 20,
        epsilon: float = 1e-4,
    ) -> None:
        self.categorical = categorical
        self.bins = bins
        self.max_categories = max_categories
        self.epsilon = epsilon

    def fit(self, frame: pd.DataFrame) -> DriftReference:
        """Fix the bins and reference shares of every column of ``frame``."""
        categorical = set(self.categorical)
        self.kinds_: dict[str, str] = {}
        self.bins_: dict[str, np.ndarray | tuple[str, ...]] = {}
        self.shares_: dict[str, np.ndarray] = {}
        self.missing_: dict[str, float] = {}
        for column in frame.columns:
            values = frame[column]
            if column in categorical:
                cats = reference_categories(values, self.max_categories)
                self.kinds_[column], self.bins_[column] = "category", cats
                self.shares_[column] = category_shares(values, cats)
            else:
                numbers = _floats(values)
                edges = numeric_edges(numbers, self.bins)
                self.kinds_[column], self.bins_[column] = "numeric", edges
                self.shares_[column] = numeric_shares(numbers, edges)
            self.missing_[column] = float(self.shares_[column][-1])
        return self

    def shares(self, column: str, values: pd.Series) -> np.ndarray:
        """Shares of ``values`` in ``column``'s reference bins."""
        if self.kinds_[column] == "category":
            return category_shares(values, self.bins_[column])
        return numeric_shares(_floats(values), self.bins_[column])

    def compare(self, frame: pd.DataFrame) -> pd.DataFrame:
        """PSI and Jensen–Shannon distance of each fitted column present in ``frame``.

        Returns:
            One row per column: ``feature``, ``kind``, ``psi``, ``js_distance``,
            ``reference_missing``, ``current_missing``, ``bins``.
        """
        rows = []
        for column in self.kinds_:
            if column not in frame.columns:
                continue
            reference, current = self.shares_[column], self.shares(column, frame[column])
            rows.append(
                {
                    "feature": column,
                    "kind": self.kinds_[column],
                    "psi": psi(reference, current, self.epsilon),
                    "js_distance": js_distance(reference, current),
                    "reference_missing": self.missing_[column],
                    "current_missing": float(current[-1]),
                    "bins": len(reference),
                }
            )
        return pd.DataFrame(rows, columns=DRIFT_COLUMNS[:7])


DRIFT_COLUMNS = (
    "feature",
    "kind",
    "psi",
    "js_distance",
    "reference_missing",
    "current_missing",
    "bins",
    "importance",
    "top_weighted",
    "status",
)


def rank_drift(
    drift: pd.DataFrame,
    importance: Mapping[str, float],
    top_weighted: Iterable[str],
    moderate: float = 0.1,
    major: float = 0.25,
) -> pd.DataFrame:
    """Drift rows ranked: the champion's top-weighted features first, each group by PSI.

    Args:
        drift: :meth:`DriftReference.compare` rows.
        importance: Gain share per feature (largest over the targets).
        top_weighted: Features the champions weight most.
        moderate: PSI of a moderate drift.
        major: PSI of a major drift.
    """
    top = set(top_weighted)
    out = drift.assign(
        importance=drift["feature"].map(lambda name: float(importance.get(name, 0.0))),
        top_weighted=drift["feature"].isin(top),
        status=[drift_status(v, moderate, major) for v in drift["psi"]],
    )
    out = out.sort_values(
        ["top_weighted", "psi", "feature"], ascending=[False, False, True], kind="stable"
    )
    return out.reset_index(drop=True)[list(DRIFT_COLUMNS)]


def _floats(values: pd.Series) -> np.ndarray:
    return pd.to_numeric(values, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
