"""Evaluation of risk scores: ranking, outreach capacity, calibration, slices and the oracle.

Capacity metrics treat ties fairly: when the cut-off falls inside a group of equal scores (a rule
that flags 0/1, a count), the group's positives count in proportion to the places left, i.e. the
expectation under random tie-breaking.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from scipy.stats import rankdata

from training.config import capacity_label

SLICE_SOURCES = {
    "plan_type": "acct_plan_type",
    "region": "acct_region",
    "vip_level": "acct_vip_level",
}
CHANNEL_PREFIX = "ct_inbound_30d_"


def roc_auc(y: np.ndarray, score: np.ndarray) -> float:
    """Area under the ROC curve (Mann-Whitney, ties counted half); NaN for a single class."""
    y = np.asarray(y, dtype=bool)
    positives = int(y.sum())
    negatives = len(y) - positives
    if positives == 0 or negatives == 0:
        return float("nan")
    ranks = rankdata(np.asarray(score, dtype=np.float64))
    return float((ranks[y].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def average_precision(y: np.ndarray, score: np.ndarray) -> float:
    """PR AUC as average precision (scikit-learn's definition, ties as one threshold)."""
    y = np.asarray(y, dtype=bool)
    positives = int(y.sum())
    if positives == 0 or positives == len(y):
        return float("nan")
    score = np.asarray(score, dtype=np.float64)
    order = np.argsort(-score, kind="stable")
    sorted_score, hits = score[order], y[order]
    last_of_group = np.r_[sorted_score[1:] != sorted_score[:-1], True]
    true_pos = np.cumsum(hits)[last_of_group]
    taken = (np.arange(1, len(y) + 1))[last_of_group]
    recall = true_pos / positives
    precision = true_pos / taken
    return float(np.sum(np.diff(np.r_[0.0, recall]) * precision))


def capacity_counts(y: np.ndarray, score: np.ndarray, capacity: float) -> tuple[int, float]:
    """Places ``k`` in the outreach list and the expected positives among them (ties shared)."""
    y = np.asarray(y, dtype=bool)
    score = np.asarray(score, dtype=np.float64)
    k = int(np.ceil(capacity * len(y)))
    if k == 0:
        return 0, 0.0
    threshold = np.sort(score)[::-1][k - 1]
    above = score > threshold
    tied = score == threshold
    left = k - int(above.sum())
    tied_positive = int((tied & y).sum())
    return k, float((above & y).sum() + left * tied_positive / max(int(tied.sum()), 1))


def classification_metrics(
    y: np.ndarray, prob: np.ndarray, capacities: list[float]
) -> dict[str, float]:
    """ROC AUC, PR AUC, Brier, base rate, and recall/precision/lift at each capacity.

    Args:
        y: Binary labels.
        prob: Probabilities (or any score for the ranking metrics; Brier assumes probabilities).
        capacities: Shares of the base that can be contacted, e.g. ``[0.01, 0.05, 0.1]``.

    Returns:
        Metric name -> value; AUCs are NaN when ``y`` holds a single class.
    """
    y = np.asarray(y, dtype=bool)
    prob = np.asarray(prob, dtype=np.float64)
    positives = int(y.sum())
    both = 0 < positives < len(y)
    base_rate = positives / len(y) if len(y) else float("nan")
    out = {
        "rows": float(len(y)),
        "positives": float(positives),
        "base_rate": base_rate,
        "roc_auc": roc_auc(y, prob) if both else float("nan"),
        "pr_auc": average_precision(y, prob) if both else float("nan"),
        "brier": float(np.mean((np.clip(prob, 0, 1) - y) ** 2)) if len(y) else float("nan"),
    }
    for capacity in capacities:
        label = capacity_label(capacity)
        k, hits = capacity_counts(y, prob, capacity)
        precision = hits / k if k else float("nan")
        out[f"recall_at_{label}"] = hits / positives if positives else float("nan")
        out[f"precision_at_{label}"] = precision
        out[f"lift_at_{label}"] = precision / base_rate if base_rate else float("nan")
    return out


def reliability_curve(y: np.ndarray, prob: np.ndarray, n_bins: int = 10) -> pd.DataFrame:
    """Observed rate against mean predicted probability in equal-count bins of the prediction."""
    y = np.asarray(y, dtype=np.float64)
    prob = np.asarray(prob, dtype=np.float64)
    order = np.argsort(prob, kind="stable")
    bins = np.empty(len(prob), dtype=np.int64)
    bins[order] = np.arange(len(prob)) * n_bins // max(len(prob), 1)
    table = pd.DataFrame({"bin": bins, "predicted": prob, "observed": y})
    grouped = table.groupby("bin")
    return pd.DataFrame(
        {
            "mean_predicted": grouped["predicted"].mean(),
            "observed_rate": grouped["observed"].mean(),
            "rows": grouped.size(),
        }
    ).reset_index()


def gain_curve(y: np.ndarray, score: np.ndarray, points: int = 200) -> pd.DataFrame:
    """Share of positives captured and lift against the share of the base contacted."""
    y = np.asarray(y, dtype=bool)
    score = np.asarray(score, dtype=np.float64)
    order = np.argsort(-score, kind="stable")
    captured = np.cumsum(y[order]) / max(int(y.sum()), 1)
    contacted = np.arange(1, len(y) + 1) / len(y)
    pick = np.unique(np.linspace(0, len(y) - 1, min(points, len(y))).astype(np.int64))
    return pd.DataFrame(
        {
            "contacted": contacted[pick],
            "captured": captured[pick],
            "lift": captured[pick] / contacted[pick],
        }
    )


def channel_mix(frame: pd.DataFrame) -> pd.Series | None:
    """``none``, the single channel used, or ``multi`` from the 30-day per-channel counts."""
    columns = [c for c in frame.columns if c.startswith(CHANNEL_PREFIX)]
    if not columns:
        return None
    counts = frame[columns].to_numpy(dtype=np.float64, na_value=0.0)
    used = (counts > 0).sum(axis=1)
    names = np.array([c.removeprefix(CHANNEL_PREFIX) for c in columns], dtype=object)
    mix = np.where(used == 0, "none", np.where(used > 1, "multi", names[counts.argmax(axis=1)]))
    return pd.Series(mix, index=frame.index, name="channel_mix")


def slice_columns(frame: pd.DataFrame) -> dict[str, pd.Series]:
    """The slices present in ``frame``: plan type, region, VIP level and channel mix."""
    slices = {
        name: frame[column] for name, column in SLICE_SOURCES.items() if column in frame.columns
    }
    mix = channel_mix(frame)
    if mix is not None:
        slices["channel_mix"] = mix
    return slices


def slice_metrics(
    y: np.ndarray,
    prob: np.ndarray,
    slices: Mapping[str, pd.Series],
    capacities: list[float],
) -> pd.DataFrame:
    """Metrics per slice level; recall at capacity uses the global outreach list.

    Returns:
        One row per (slice, level): rows, positives, base rate, mean predicted, ROC AUC,
        PR AUC, Brier, and the recall of each capacity's global top-k within the level.
    """
    y = np.asarray(y, dtype=bool)
    prob = np.asarray(prob, dtype=np.float64)
    order = np.argsort(-prob, kind="stable")
    selected = {}
    for capacity in capacities:
        chosen = np.zeros(len(y), dtype=bool)
        chosen[order[: int(np.ceil(capacity * len(y)))]] = True
        selected[capacity] = chosen
    rows = []
    for name, values in slices.items():
        raw = np.asarray(values, dtype=object)
        levels = pd.Series(np.where(pd.isna(raw), "(missing)", raw.astype(str)), dtype=object)
        for level, index in levels.groupby(levels).groups.items():
            idx = np.asarray(index)
            metrics = classification_metrics(y[idx], prob[idx], [])
            row = {
                "slice": name,
                "level": level,
                "rows": int(metrics["rows"]),
                "positives": int(metrics["positives"]),
                "base_rate": metrics["base_rate"],
                "mean_predicted": float(prob[idx].mean()),
                "roc_auc": metrics["roc_auc"],
                "pr_auc": metrics["pr_auc"],
                "brier": metrics["brier"],
            }
            positives = y[idx].sum()
            for capacity, chosen in selected.items():
                hits = (chosen[idx] & y[idx]).sum()
                row[f"recall_at_{capacity_label(capacity)}"] = (
                    float(hits / positives) if positives else float("nan")
                )
            rows.append(row)
    return pd.DataFrame(rows)


def oracle_comparison(y: np.ndarray, prob: np.ndarray, oracle: np.ndarray) -> dict[str, float]:
    """Oracle AUC/PR AUC and the model's ratio to them, on the rows the oracle covers.

    Args:
        y: Labels.
        prob: Model scores.
        oracle: The generator's true probabilities (NaN where unknown).
    """
    oracle = np.asarray(oracle, dtype=np.float64)
    known = ~np.isnan(oracle)
    y = np.asarray(y, dtype=bool)[known]
    model = classification_metrics(y, np.asarray(prob)[known], [])
    best = classification_metrics(y, oracle[known], [])
    return {
        "oracle_rows": float(known.sum()),
        "oracle_roc_auc": best["roc_auc"],
        "oracle_pr_auc": best["pr_auc"],
        "oracle_brier": best["brier"],
        "oracle_ratio_roc_auc": model["roc_auc"] / best["roc_auc"],
        "oracle_ratio_pr_auc": model["pr_auc"] / best["pr_auc"],
    }
