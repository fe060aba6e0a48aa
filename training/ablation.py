"""Ablation arms: which feature families each arm uses, and the comparison table.

Every arm is trained and evaluated exactly like the primary model (same LightGBM settings,
calibration and validation snapshot); only the columns differ. Identity features (a customer's
social accounts and posts) travel with the graph arm.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd

from features.registry import FeatureSpec

ARMS: dict[str, tuple[str, ...]] = {
    "structured": ("structured",),
    "structured+text": ("structured", "text"),
    "structured+graph": ("structured", "graph", "identity"),
    "all": ("structured", "text", "graph", "identity"),
}
TABLE_METRICS = ("roc_auc", "pr_auc", "brier", "recall_at_5pct", "lift_at_5pct")


def arm_columns(columns: list[str], specs: Mapping[str, FeatureSpec], arm: str) -> list[str]:
    """The columns of ``columns`` whose family belongs to ``arm`` (order kept).

    Raises:
        KeyError: For an unknown arm.
    """
    families = set(ARMS[arm])
    return [c for c in columns if specs[c].family in families]


def run_ablation(
    columns: list[str],
    specs: Mapping[str, FeatureSpec],
    evaluate_arm: Callable[[str, list[str]], dict[str, float]],
) -> pd.DataFrame:
    """Evaluate every non-empty arm; one row per arm.

    Args:
        columns: Every model column (including the text score when used).
        specs: Registry entries of ``columns``.
        evaluate_arm: ``(arm, columns) -> metrics``, training and evaluating one arm.
    """
    rows = []
    for arm in ARMS:
        chosen = arm_columns(columns, specs, arm)
        if not chosen:
            continue
        metrics = evaluate_arm(arm, chosen)
        rows.append({"arm": arm, "features": len(chosen), **metrics})
    return pd.DataFrame(rows)


def ablation_markdown(table: pd.DataFrame, metrics: tuple[str, ...] = TABLE_METRICS) -> str:
    """The ablation table as markdown, metrics to three decimals."""
    shown = [m for m in metrics if m in table.columns]
    return markdown_table(table[["arm", "features", *shown]])


def markdown_table(table: pd.DataFrame) -> str:
    """A small DataFrame as a GitHub markdown table (floats to three decimals)."""
    header = "| " + " | ".join(str(c) for c in table.columns) + " |"
    rule = "|" + "|".join("---" for _ in table.columns) + "|"
    lines = [header, rule]
    for row in table.itertuples(index=False):
        cells = [f"{v:.3f}" if isinstance(v, float) else str(v) for v in row]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
