"""Evaluation plots (ROC, PR, gain/lift, calibration) as matplotlib figures.

The Agg backend is selected inside :func:`evaluation_figures`, never at import. The caller logs
each figure (``mlflow.log_figure``) and closes it.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from sklearn.metrics import precision_recall_curve, roc_curve

from training.evaluate import gain_curve, reliability_curve


def evaluation_figures(
    y: np.ndarray,
    scores: Mapping[str, np.ndarray],
    primary: str,
    title: str,
) -> dict[str, object]:
    """ROC, PR, gain/lift and calibration figures.

    Args:
        y: Validation labels.
        scores: Calibrated validation probabilities per model (the oracle may be one of them).
        primary: The model whose calibration curve is drawn.
        title: Figure title prefix, e.g. the target.

    Returns:
        File name (``roc.png``, ``pr.png``, ``gain.png``, ``calibration.png``) -> Figure.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    y = np.asarray(y, dtype=bool)
    figures = {}

    fig, ax = plt.subplots(figsize=(6, 5))
    for name, score in scores.items():
        fpr, tpr, _ = roc_curve(y, score)
        ax.plot(fpr, tpr, label=name, linewidth=2 if name == primary else 1)
    ax.plot([0, 1], [0, 1], linestyle=":", color="grey")
    ax.set(xlabel="false positive rate", ylabel="true positive rate", title=f"{title}: ROC")
    ax.legend(loc="lower right", fontsize=8)
    figures["roc.png"] = fig

    fig, ax = plt.subplots(figsize=(6, 5))
    for name, score in scores.items():
        precision, recall, _ = precision_recall_curve(y, score)
        ax.plot(recall, precision, label=name, linewidth=2 if name == primary else 1)
    ax.axhline(y.mean(), linestyle=":", color="grey", label="base rate")
    ax.set(xlabel="recall", ylabel="precision", title=f"{title}: precision-recall")
    ax.legend(loc="upper right", fontsize=8)
    figures["pr.png"] = fig

    fig, (gain_ax, lift_ax) = plt.subplots(1, 2, figsize=(11, 4.5))
    for name, score in scores.items():
        gain = gain_curve(y, score)
        width = 2 if name == primary else 1
        gain_ax.plot(gain["contacted"], gain["captured"], label=name, linewidth=width)
        lift_ax.plot(gain["contacted"], gain["lift"], label=name, linewidth=width)
    gain_ax.plot([0, 1], [0, 1], linestyle=":", color="grey")
    gain_ax.set(xlabel="share of base contacted", ylabel="share of positives captured")
    gain_ax.set_title(f"{title}: cumulative gain")
    lift_ax.axhline(1.0, linestyle=":", color="grey")
    lift_ax.set(xlabel="share of base contacted", ylabel="lift", xscale="log")
    lift_ax.set_title(f"{title}: lift")
    gain_ax.legend(loc="lower right", fontsize=8)
    figures["gain.png"] = fig

    fig, ax = plt.subplots(figsize=(6, 5))
    curve = reliability_curve(y, scores[primary])
    top = float(max(curve["mean_predicted"].max(), curve["observed_rate"].max(), 1e-3))
    ax.plot([0, top], [0, top], linestyle=":", color="grey", label="perfect")
    ax.plot(curve["mean_predicted"], curve["observed_rate"], marker="o", label=primary)
    ax.set(
        xlabel="mean predicted probability",
        ylabel="observed rate",
        title=f"{title}: calibration (deciles)",
    )
    ax.legend(loc="upper left", fontsize=8)
    figures["calibration.png"] = fig
    return figures
