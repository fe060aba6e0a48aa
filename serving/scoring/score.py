"""Score customers with the champion models: probabilities, risk tier, reasons and action."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from serving.scoring.actions import (
    ACTION_LABELS,
    TEAMS,
    recommend_actions,
    social_exposure,
)
from training.champions import (
    FEW_ROWS,
    ChampionModels,
    FrameValues,
    Reason,
    ScoringConfig,
    TierConfig,
    score_models,
)


def risk_tiers(p_repeat: np.ndarray, p_escalation: np.ndarray, tiers: TierConfig) -> np.ndarray:
    """``high``, ``medium`` or ``low`` per customer."""
    high = (p_repeat >= tiers.high_repeat) | (p_escalation >= tiers.high_escalation)
    medium = (p_repeat >= tiers.medium_repeat) | (p_escalation >= tiers.medium_escalation)
    return np.where(high, "high", np.where(medium, "medium", "low"))


def _merge_reasons(
    per_target: dict[str, list[Reason]], top_k: int, exclude: tuple[str, ...]
) -> list[dict]:
    merged = [
        {"target": target, **reason.__dict__}
        for target, reasons in per_target.items()
        for reason in reasons
        if not reason.feature.startswith(exclude)
    ]
    merged.sort(key=lambda item: -item["contribution"])
    unique: dict[str, dict] = {}
    for item in merged:
        unique.setdefault(item["feature"], item)
    return list(unique.values())[:top_k]


def reason_list(value: object) -> list[dict]:
    """One customer's reasons: the list :func:`score_customers` made, or its stored JSON text.

    The service keeps batch reasons as JSON text and parses only the rows it answers with:
    parsing a million customers' reasons at start-up took time and gigabytes.
    """
    if isinstance(value, str):
        value = json.loads(value)
    return list(value) if isinstance(value, list | tuple) else []


@dataclass(frozen=True)
class ShownCustomers:
    """The customers batch scoring precomputes reasons for: those an agent can be shown.

    Attributes:
        tiers: Risk tiers whose customers are shown (``ScoringConfig.reasons_for_tiers``).
        cutoffs: Per target, the lowest probability inside the base's top share
            (``ScoringConfig.reasons_top_share``, see :func:`top_share_cutoffs`); a customer at
            or above any cut-off is shown too. Empty: no top share.
    """

    tiers: tuple[str, ...]
    cutoffs: dict[str, float] = field(default_factory=dict)

    @classmethod
    def of(cls, config: ScoringConfig, cutoffs: dict[str, float] | None = None) -> ShownCustomers:
        """The shown customers of a scoring configuration (``cutoffs`` of the whole base)."""
        return cls(tuple(config.reasons_for_tiers), dict(cutoffs or {}))

    def mask(self, probabilities: dict[str, np.ndarray], tiers: np.ndarray) -> np.ndarray:
        """Per customer, whether they are shown."""
        shown = np.isin(tiers, np.asarray(self.tiers, dtype=object))
        for target, cutoff in self.cutoffs.items():
            shown |= np.asarray(probabilities[target]) >= cutoff
        return shown


def top_share_cutoffs(probabilities: dict[str, np.ndarray], share: float) -> dict[str, float]:
    """Per target, the probability of the last customer inside the top ``share`` of the base.

    Customers tied with it are inside too. Empty when ``share`` is 0 or the base is empty.
    """
    cutoffs = {}
    for target, values in probabilities.items():
        values = np.asarray(values, dtype=np.float64)
        top = min(len(values), math.ceil(share * len(values)))
        if top > 0:
            cutoffs[target] = float(np.partition(values, len(values) - top)[len(values) - top])
    return cutoffs


def score_customers(
    champions: ChampionModels,
    frame: pd.DataFrame,
    documents: pd.Series | None = None,
    config: ScoringConfig | None = None,
    explain: bool = True,
    shown: ShownCustomers | None = None,
) -> pd.DataFrame:
    """Score a feature frame with both models.

    Args:
        champions: Loaded models.
        frame: Feature rows indexed by customer_id (extra columns such as labels are ignored).
        documents: Masked complaint documents by customer_id (for the text-model score).
        config: Tiers, actions and how many reasons; default: the configuration the champions
            carry (chosen when they were trained).
        explain: Compute reason codes (TreeSHAP; costly for very large batches).
        shown: Compute reasons only for these customers (batch scoring of a whole base); the
            others get ``None`` reasons (not computed, unlike ``[]``: no reason found) and the
            action scores alone give (crisis team, supervisor, else ``care_call``). Default:
            every row, as a live request asks.

    Returns:
        Indexed by customer_id: ``p_repeat_contact``, ``p_escalation``, ``risk_tier``,
        ``action``, ``action_zh``, ``action_en``, ``team`` and ``reasons`` (a list of dicts with
        target, feature, value, contribution, zh, en; strongest first).
    """
    config = config or champions.scoring
    out: dict[str, object] = {}
    explaining = explain and config.top_reasons > 0
    partial = explaining and shown is not None
    values = FrameValues.of(frame) if 0 < len(frame) <= FEW_ROWS else None
    every_row = explaining and not partial
    raws, explained = _score(champions, frame, documents, config, every_row, values)
    for target, model in champions.models.items():
        out[f"p_{target}"] = model.calibrator.predict(raws[target])
    p_rep = np.asarray(out["p_repeat_contact"])
    p_esc = np.asarray(out["p_escalation"])
    out["risk_tier"] = risk_tiers(p_rep, p_esc, config.tiers)
    if partial:
        probabilities = {target: np.asarray(out[f"p_{target}"]) for target in champions.models}
        rows = np.flatnonzero(shown.mask(probabilities, out["risk_tier"]))
        reasons: list[list[dict] | None] = [None] * len(frame)
        if rows.size:
            subset = frame.iloc[rows]
            few = FrameValues.of(subset) if rows.size <= FEW_ROWS else None
            _, explained = _score(champions, subset, documents, config, True, few)
            for row, found in zip(rows.tolist(), _merged(explained, config), strict=True):
                reasons[row] = found
    else:
        reasons = _merged(explained, config) if explaining else [[] for _ in range(len(frame))]
    actions = recommend_actions(
        p_esc,
        [[] if row is None else [r["feature"] for r in row] for row in reasons],
        social_exposure(frame, config.actions, values),
        config.actions,
    )
    out["action"] = actions
    out["action_zh"] = [ACTION_LABELS[a][0] for a in actions]
    out["action_en"] = [ACTION_LABELS[a][1] for a in actions]
    out["team"] = [TEAMS[a] for a in actions]
    out["reasons"] = reasons
    if not 0 < len(frame) <= FEW_ROWS:
        return pd.DataFrame(out, index=frame.index)
    return pd.DataFrame(
        {name: _object_column(values) for name, values in out.items()}, index=frame.index
    )


def _score(
    champions: ChampionModels,
    frame: pd.DataFrame,
    documents: pd.Series | None,
    config: ScoringConfig,
    explain: bool,
    values: FrameValues | None,
) -> tuple[dict[str, np.ndarray], dict[str, list[list[Reason]]]]:
    """Raw log-odds per target and, when ``explain``, each target's reasons per row."""
    wanted = champions.input_columns
    shared = frame if frame.columns.tolist() == wanted else frame[wanted]
    jobs = []
    for model in champions.models.values():
        columns = model.input_columns
        jobs.append((model, shared if len(columns) == shared.shape[1] else shared[columns]))
    scored = score_models(
        jobs, documents, explain=explain, top_k=config.top_reasons + 4, values=values
    )
    raws, explained = {}, {}
    for target, (raw, reasons) in zip(champions.models, scored, strict=True):
        raws[target] = raw
        if explain:
            explained[target] = reasons
    return raws, explained


def _merged(explained: dict[str, list[list[Reason]]], config: ScoringConfig) -> list[list[dict]]:
    rows = len(next(iter(explained.values()), []))
    return [
        _merge_reasons(
            {t: explained[t][row] for t in explained},
            config.top_reasons,
            config.reason_exclude_prefixes,
        )
        for row in range(rows)
    ]


def _object_column(values: object) -> np.ndarray:
    """A few rows' column as the array ``pd.DataFrame`` would make of it (lists and strings as
    object arrays): handing it over ready is cheaper than its per-column inference."""
    if isinstance(values, np.ndarray):
        return values.astype(object) if values.dtype.kind == "U" else values
    column = np.empty(len(values), dtype=object)
    for row, value in enumerate(values):
        column[row] = value
    return column
