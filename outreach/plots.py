"""Outreach figures: gain chart of the policies, simulated effect by capacity, today's list.

The Agg backend is selected inside each function, never at import. Callers log or embed each
figure and close it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

LABEL_TITLES = {"repeat_contact": "repeat contact", "escalation": "escalation"}


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def gain_figure(curves: pd.DataFrame):
    """Captured share of next-period positives against capacity, per policy and label.

    Args:
        curves: Output of :func:`outreach.backtest.gain_curves`.
    """
    plt = _pyplot()
    labels = list(dict.fromkeys(curves["label"]))
    fig, axes = plt.subplots(1, len(labels), figsize=(5.5 * len(labels), 4.2), squeeze=False)
    for ax, label in zip(axes[0], labels, strict=True):
        part = curves.loc[curves["label"] == label]
        for policy, rows in part.groupby("policy", sort=False):
            x = np.r_[0.0, rows["capacity"].to_numpy()]
            y = np.r_[0.0, rows["recall"].to_numpy()]
            ax.plot(x * 100, y * 100, label=policy, linewidth=2 if policy == "model" else 1.2)
        ax.set(
            xlabel="capacity (% of the base contacted)",
            ylabel="captured share of positives (%)",
            title=f"gain: {LABEL_TITLES.get(label, label)}",
        )
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    return fig


def effect_figure(summary: pd.DataFrame, metric: str, change: str = "base_change"):
    """Simulated relative change of one metric by capacity, per policy, with seed intervals.

    Args:
        summary: Output of :func:`outreach.simulate.summarize`.
        metric: ``repeat_contact``, ``reopened_tickets`` or ``escalation``.
        change: ``base_change``, ``change_vs_no_outreach`` or ``change_vs_holdout``.
    """
    plt = _pyplot()
    part = summary.loc[summary["metric"] == metric]
    effect = float(part["assumed_effect"].iloc[0]) if len(part) else float("nan")
    fig, ax = plt.subplots(figsize=(6.5, 4.2))
    for policy, rows in part.groupby("policy", sort=False):
        x = rows["capacity"].to_numpy() * 100
        y = rows[change].to_numpy() * 100
        low = rows[f"{change}_low"].to_numpy() * 100
        high = rows[f"{change}_high"].to_numpy() * 100
        line = ax.plot(x, y, marker="o", label=policy, linewidth=2 if policy == "model" else 1.2)
        if np.isfinite(low).any():
            ax.fill_between(x, low, high, alpha=0.15, color=line[0].get_color())
    where = {
        "base_change": "whole base",
        "change_vs_no_outreach": "contacted vs no outreach",
        "change_vs_holdout": "contacted vs holdout",
    }[change]
    name = {"repeat_contact": "repeat-service rate", "reopened_tickets": "re-opened tickets"}
    ax.axhline(0, color="grey", linewidth=0.8)
    ax.set(
        xlabel="capacity (% of the base contacted)",
        ylabel="relative change (%)",
        title=f"simulated {name.get(metric, metric)} change, {where}\n"
        f"(assumed treatment effect {effect:.0%} fewer inbound contacts)",
    )
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def plan_figure(plan: pd.DataFrame):
    """Today's list: cases per team and action (outreach group only)."""
    plt = _pyplot()
    contacted = plan.loc[plan["group"] == "outreach"]
    counts = contacted.groupby(["team", "action"]).size().unstack(fill_value=0)
    fig, ax = plt.subplots(figsize=(6.5, 3.6))
    if counts.empty:
        ax.text(0.5, 0.5, "no customer on today's list", ha="center", va="center")
        ax.set_axis_off()
        return fig
    counts.plot(kind="barh", stacked=True, ax=ax)
    ax.set(xlabel="customers", ylabel="", title="today's outreach list by team and action")
    ax.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    return fig
