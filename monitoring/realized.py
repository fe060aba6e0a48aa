"""Realized performance once the horizon has passed, next to what was expected on that date."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score, roc_auc_score

from monitoring.expected import expected_performance, list_figures

REALIZED_COLUMNS = (
    "capacity",
    "list_size",
    "realized_positives",
    "realized_precision",
    "realized_recall",
)


def realized_performance(
    probabilities: np.ndarray, labels: np.ndarray, capacities: Sequence[float]
) -> pd.DataFrame:
    """Positives, precision and recall the list actually achieved at each capacity.

    The list is the one :func:`monitoring.expected.expected_performance` scores: the same
    customers, by the same order.
    """
    figures = list_figures(probabilities, np.asarray(labels, dtype=bool), capacities, "realized")
    figures["realized_positives"] = figures["realized_positives"].astype(int)
    return figures[list(REALIZED_COLUMNS)]


def ranking_metrics(probabilities: np.ndarray, labels: np.ndarray) -> dict[str, float]:
    """ROC AUC and PR AUC (average precision); NaN when the labels hold one class only."""
    y = np.asarray(labels, dtype=bool)
    if y.all() or not y.any():
        return {"roc_auc": float("nan"), "pr_auc": float("nan")}
    p = np.asarray(probabilities, dtype=np.float64)
    return {
        "roc_auc": float(roc_auc_score(y, p)),
        "pr_auc": float(average_precision_score(y, p)),
    }


def expected_vs_realized(
    probabilities: np.ndarray, labels: np.ndarray | None, capacities: Sequence[float]
) -> pd.DataFrame:
    """Expected figures per capacity, with the realized ones beside them when labels exist.

    Returns:
        Expected columns, plus realized columns and ``precision_gap`` (realized - expected)
        when ``labels`` is given (NaN otherwise).
    """
    expected = expected_performance(probabilities, capacities)
    if labels is None:
        realized = pd.DataFrame(np.nan, index=expected.index, columns=list(REALIZED_COLUMNS[2:]))
    else:
        realized = realized_performance(probabilities, labels, capacities).iloc[:, 2:]
    out = pd.concat([expected, realized], axis=1)
    out["precision_gap"] = out["realized_precision"] - out["expected_precision"]
    return out
