"""Expected performance of today's list before the labels exist (confidence-based estimation).

When the probabilities are calibrated, a customer with probability p is a positive with
probability p, so the expected number of positives on a list is the sum of its
probabilities; the expected precision is their mean, and the expected recall the list's sum
over the whole base's sum. This is the idea behind NannyML's CBPE. The estimate is only as good
as the calibration: a shift in how features relate to the outcome (concept drift) is invisible
to it, which is why the realized figures are compared with it once the horizon has passed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

FIGURES = ("positives", "precision", "recall")

EXPECTED_COLUMNS = (
    "capacity",
    "list_size",
    "expected_positives",
    "expected_precision",
    "expected_recall",
)


def list_order(probabilities: np.ndarray) -> np.ndarray:
    """Row positions from the highest probability down (ties keep row order)."""
    return np.argsort(-np.asarray(probabilities, dtype=np.float64), kind="stable")


def list_size(rows: int, capacity: float) -> int:
    """Customers on the list at ``capacity`` (a share of the base, rounded up)."""
    return min(rows, math.ceil(capacity * rows))


def expected_performance(probabilities: np.ndarray, capacities: Sequence[float]) -> pd.DataFrame:
    """Expected positives, precision and recall of the top of the list at each capacity.

    Args:
        probabilities: Calibrated probability per customer of the base.
        capacities: Shares of the base the list can contact.

    Returns:
        One row per capacity with :data:`EXPECTED_COLUMNS`.
    """
    p = np.asarray(probabilities, dtype=np.float64)
    return list_figures(p, p, capacities, "expected")


def list_figures(
    probabilities: np.ndarray, positives: np.ndarray, capacities: Sequence[float], kind: str
) -> pd.DataFrame:
    """Positives, precision and recall of the list ranked by ``probabilities`` at each capacity.

    Args:
        probabilities: Ranks the list (highest first).
        positives: Per customer, what counts as a positive: its probability (expected) or its
            label (realized).
        capacities: Shares of the base the list can contact.
        kind: ``expected`` or ``realized``: the prefix of the figures' columns.

    Returns:
        One row per capacity: ``capacity``, ``list_size``, ``<kind>_positives``,
        ``<kind>_precision``, ``<kind>_recall``.
    """
    values = np.asarray(positives, dtype=np.float64)
    ranked = np.cumsum(values[list_order(probabilities)])
    total = float(values.sum())
    rows = []
    for capacity in capacities:
        k = list_size(len(values), capacity)
        found = float(ranked[k - 1]) if k else 0.0
        rows.append(
            {
                "capacity": capacity,
                "list_size": k,
                f"{kind}_positives": found,
                f"{kind}_precision": found / k if k else np.nan,
                f"{kind}_recall": found / total if total > 0 else np.nan,
            }
        )
    columns = ["capacity", "list_size", *(f"{kind}_{name}" for name in FIGURES)]
    return pd.DataFrame(rows, columns=columns)


def expected_roc_auc(probabilities: np.ndarray) -> float:
    """Expected ROC AUC of ranking by ``probabilities`` if they are calibrated.

    The ratio of the expected number of correctly ordered (positive, negative) pairs to the
    expected number of such pairs, labels drawn independently from the probabilities; tied
    scores count half.
    """
    p = np.sort(np.asarray(probabilities, dtype=np.float64))
    if p.size < 2:
        return float("nan")
    values, start = np.unique(p, return_index=True)
    pos = np.add.reduceat(p, start)
    neg = np.add.reduceat(1 - p, start)
    self_pairs = np.add.reduceat(p * (1 - p), start)
    below = np.concatenate([[0.0], np.cumsum(neg)[:-1]])
    ordered = np.sum(pos * below) + 0.5 * np.sum(pos * neg - self_pairs)
    pairs = p.sum() * (1 - p).sum() - np.sum(p * (1 - p))
    return float(ordered / pairs) if pairs > 0 else float("nan")
