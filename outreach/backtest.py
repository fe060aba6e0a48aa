"""Backtest: on a later snapshot with realized labels, how much each policy's list captures."""

from __future__ import annotations

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from features.labels import LABELS
from outreach.lists import ListConfig, capacity_size, policy_list

VOLUME_OF_LABEL = {"repeat_contact": "repeat_contacts", "escalation": "escalation_contacts"}


class BacktestConfig(BaseModel):
    """Capacities and list settings of a backtest.

    Attributes:
        capacities: Capacities as shares of the base (each policy contacts that many).
        policies: Policies to compare; ``model``/``oracle`` are skipped when not scored.
        lists: Capacity split, shared holdout and seeds.
        gain_max: Largest capacity share of the gain chart.
        gain_points: Capacities evaluated for the gain chart.
    """

    model_config = ConfigDict(extra="forbid")

    capacities: tuple[float, ...] = Field((0.01, 0.02, 0.05, 0.10), min_length=1)
    policies: tuple[str, ...] = ("model", "oracle", "rule", "most_contacts", "random")
    lists: ListConfig = Field(default_factory=ListConfig)
    gain_max: float = Field(0.2, gt=0, le=1)
    gain_points: int = Field(20, ge=2, le=200)


def _require_labels(frame: pd.DataFrame) -> None:
    missing = [name for name in LABELS if name not in frame.columns]
    if missing:
        raise ValueError(
            f"the backtest snapshot has no realized labels {missing}: pick a snapshot whose "
            "horizon lies inside the data"
        )


def _policies(config: BacktestConfig, scores: dict[str, pd.DataFrame]) -> list[str]:
    return [p for p in config.policies if p in scores or p not in ("model", "oracle")]


def _list_metrics(
    contacted: pd.Index, labels: pd.DataFrame, volumes: pd.DataFrame | None
) -> list[dict[str, float]]:
    chosen = labels.index.isin(contacted)
    rows = []
    for label in LABELS:
        positive = labels[label].to_numpy(dtype=bool)
        hits = int((positive & chosen).sum())
        base_rate = positive.mean() if positive.size else np.nan
        precision = hits / chosen.sum() if chosen.any() else np.nan
        volume = np.nan
        if volumes is not None:
            amount = volumes[VOLUME_OF_LABEL[label]].to_numpy(dtype=np.float64)
            volume = amount[chosen].sum() / amount.sum() if amount.sum() > 0 else np.nan
        rows.append(
            {
                "label": label,
                "positives": hits,
                "precision": precision,
                "recall": hits / positive.sum() if positive.any() else np.nan,
                "lift": precision / base_rate if base_rate > 0 else np.nan,
                "captured_volume": volume,
            }
        )
    return rows


def backtest(
    frame: pd.DataFrame,
    scores: dict[str, pd.DataFrame],
    config: BacktestConfig | None = None,
    outcomes: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Compare the policies' lists at each capacity on realized labels.

    Args:
        frame: The later snapshot: features (the baselines rank on them) and realized labels,
            indexed by customer_id.
        scores: Scores per scored policy (``model``: champion scores of this snapshot,
            ``oracle``: the true probabilities on synthetic data), indexed by customer_id.
        config: Capacities, policies and list settings.
        outcomes: Optional realized volumes (``outreach.outcomes.window_outcomes``):
            adds the captured share of next-period repeat contacts and escalation contacts.

    Returns:
        One row per policy, capacity and label: ``contacted``, ``positives`` (label-positive
        customers on the list), ``precision``, ``recall`` (captured share of the positive
        customers), ``lift`` and ``captured_volume`` (captured share of the contact volume:
        contacts beyond each customer's first, or regulator/flagged contacts; NaN without
        ``outcomes``).
    """
    config = config or BacktestConfig()
    _require_labels(frame)
    labels = frame[list(LABELS)].astype(bool)
    volumes = None if outcomes is None else outcomes.reindex(frame.index).fillna(0)
    rows = []
    for policy in _policies(config, scores):
        for share in config.capacities:
            size = capacity_size(share, len(frame))
            chosen = policy_list(policy, size, frame, scores, config.lists)
            for metrics in _list_metrics(chosen.contacted, labels, volumes):
                rows.append(
                    {"policy": policy, "capacity": share, "contacted": len(chosen.contacted)}
                    | metrics
                )
    return pd.DataFrame(rows)


def gain_curves(
    frame: pd.DataFrame, scores: dict[str, pd.DataFrame], config: BacktestConfig | None = None
) -> pd.DataFrame:
    """Recall of each policy and label over a grid of capacities (for the gain chart)."""
    config = config or BacktestConfig()
    _require_labels(frame)
    labels = frame[list(LABELS)].astype(bool)
    grid = np.linspace(0, config.gain_max, config.gain_points + 1)[1:]
    rows = []
    for policy in _policies(config, scores):
        for share in grid:
            size = capacity_size(float(share), len(frame))
            chosen = policy_list(policy, size, frame, scores, config.lists)
            for metrics in _list_metrics(chosen.contacted, labels, None):
                rows.append(
                    {
                        "policy": policy,
                        "capacity": float(share),
                        "label": metrics["label"],
                        "recall": metrics["recall"],
                    }
                )
    return pd.DataFrame(rows)


def backtest_wide(table: pd.DataFrame) -> pd.DataFrame:
    """One row per capacity and policy, precision/recall/captured volume of both labels."""
    short = {"repeat_contact": "repeat", "escalation": "escalation"}
    wide = table.assign(label=table["label"].map(short)).pivot_table(
        index=["capacity", "policy"],
        columns="label",
        values=["precision", "recall", "lift", "captured_volume"],
        sort=False,
        dropna=False,
    )
    wide.columns = [f"{label}_{metric}" for metric, label in wide.columns]
    contacted = table.groupby(["capacity", "policy"], sort=False)["contacted"].first()
    wide.insert(0, "contacted", contacted.reindex(wide.index))
    ordered = ["contacted"] + [
        f"{label}_{metric}"
        for label in ("repeat", "escalation")
        for metric in ("precision", "recall", "lift", "captured_volume")
        if f"{label}_{metric}" in wide.columns
    ]
    return wide[ordered].reset_index()
