"""Score customers with the champion models: probabilities, risk tier, reasons and action."""

from __future__ import annotations

import json

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


def score_customers(
    champions: ChampionModels,
    frame: pd.DataFrame,
    documents: pd.Series | None = None,
    config: ScoringConfig | None = None,
    explain: bool = True,
) -> pd.DataFrame:
    """Score a feature frame with both models.

    Args:
        champions: Loaded models.
        frame: Feature rows indexed by customer_id (extra columns such as labels are ignored).
        documents: Masked complaint documents by customer_id (for the text-model score).
        config: Tiers, actions and how many reasons; default: the configuration the champions
            carry (chosen when they were trained).
        explain: Compute reason codes (TreeSHAP; costly for very large batches).

    Returns:
        Indexed by customer_id: ``p_repeat_contact``, ``p_escalation``, ``risk_tier``,
        ``action``, ``action_zh``, ``action_en``, ``team`` and ``reasons`` (a list of dicts with
        target, feature, value, contribution, zh, en; strongest first).
    """
    config = config or champions.scoring
    out: dict[str, object] = {}
    explained: dict[str, list[list[Reason]]] = {}
    explaining = explain and config.top_reasons > 0
    wanted = champions.input_columns
    shared = frame if frame.columns.tolist() == wanted else frame[wanted]
    jobs = []
    for model in champions.models.values():
        columns = model.input_columns
        jobs.append((model, shared if len(columns) == shared.shape[1] else shared[columns]))
    values = FrameValues.of(frame) if 0 < len(frame) <= FEW_ROWS else None
    scored = score_models(
        jobs, documents, explain=explaining, top_k=config.top_reasons + 4, values=values
    )
    for (target, model), (raw, reasons) in zip(champions.models.items(), scored, strict=True):
        out[f"p_{target}"] = model.calibrator.predict(raw)
        if explaining:
            explained[target] = reasons
    reasons = [
        _merge_reasons(
            {t: explained[t][row] for t in explained},
            config.top_reasons,
            config.reason_exclude_prefixes,
        )
        for row in range(len(frame))
    ]
    p_rep = np.asarray(out["p_repeat_contact"])
    p_esc = np.asarray(out["p_escalation"])
    out["risk_tier"] = risk_tiers(p_rep, p_esc, config.tiers)
    actions = recommend_actions(
        p_esc,
        [[r["feature"] for r in row] for row in reasons],
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


def _object_column(values: object) -> np.ndarray:
    """A few rows' column as the array ``pd.DataFrame`` would make of it (lists and strings as
    object arrays): handing it over ready is cheaper than its per-column inference."""
    if isinstance(values, np.ndarray):
        return values.astype(object) if values.dtype.kind == "U" else values
    column = np.empty(len(values), dtype=object)
    for row, value in enumerate(values):
        column[row] = value
    return column
