"""Recommended outreach action per customer, from scores, reasons and a few features."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from features.vocabulary import Team
from training.champions import ActionConfig, FrameValues

Action = Literal[
    "crisis_team_handoff",
    "supervisor_escalation",
    "suspension_review_restore",
    "network_ticket_follow_up",
    "bill_explanation_call",
    "ticket_follow_up",
    "care_call",
]

ACTION_LABELS: dict[str, tuple[str, str]] = {
    "crisis_team_handoff": (
        "转危机处理小组（社交媒体曝光风险）",
        "crisis-team hand-off (social media)",
    ),
    "supervisor_escalation": ("值班主管介入，防止升级投诉", "shift supervisor escalation"),
    "suspension_review_restore": ("核查停机原因并尽快复机", "suspension review and restore"),
    "network_ticket_follow_up": ("跟进网络故障工单并回访", "network ticket follow-up"),
    "bill_explanation_call": ("主动致电解释账单", "bill explanation call"),
    "ticket_follow_up": ("回访未解决工单", "open ticket follow-up"),
    "care_call": ("主动关怀回访", "care call"),
}

TEAMS: dict[str, str] = {
    "crisis_team_handoff": Team.CRISIS_TEAM.value,
    "supervisor_escalation": Team.SUPERVISORS.value,
    "suspension_review_restore": Team.AGENTS.value,
    "network_ticket_follow_up": Team.AGENTS.value,
    "bill_explanation_call": Team.AGENTS.value,
    "ticket_follow_up": Team.AGENTS.value,
    "care_call": Team.AGENTS.value,
}
"""The team that carries out each action."""

_REASON_ACTIONS: tuple[tuple[str, str], ...] = (
    ("bill_suspension", "suspension_review_restore"),
    ("bill_tiny_arrears", "suspension_review_restore"),
    ("bill_currently_suspended", "suspension_review_restore"),
    ("txt_topic_suspension", "suspension_review_restore"),
    ("use_", "network_ticket_follow_up"),
    ("txt_topic_network", "network_ticket_follow_up"),
    ("bill_", "bill_explanation_call"),
    ("txt_topic_billing", "bill_explanation_call"),
    ("txt_topic_vas", "bill_explanation_call"),
    ("txt_topic_roaming", "bill_explanation_call"),
    ("ct_open_tickets", "ticket_follow_up"),
    ("ct_reopened", "ticket_follow_up"),
    ("ct_repeat", "ticket_follow_up"),
)


def action_from_reasons(features: Sequence[str]) -> str:
    """The action the first matching reason feature points to (``care_call`` if none)."""
    for feature in features:
        for prefix, action in _REASON_ACTIONS:
            if feature.startswith(prefix):
                return action
    return "care_call"


def recommend_actions(
    p_escalation: np.ndarray,
    reason_features: Sequence[Sequence[str]],
    social_exposure: np.ndarray,
    config: ActionConfig | None = None,
) -> list[str]:
    """One action per customer.

    Args:
        p_escalation: Calibrated escalation probabilities.
        reason_features: Per customer, the reason feature names, strongest first (both targets).
        social_exposure: Per customer, whether they have a public audience (large bound
            account, recent brand posts, or threats of media/online exposure).
        config: Thresholds.

    Returns:
        Action codes (keys of :data:`ACTION_LABELS`).
    """
    config = config or ActionConfig()
    actions = []
    for p_esc, reasons, exposed in zip(p_escalation, reason_features, social_exposure, strict=True):
        if exposed and p_esc >= config.crisis_escalation_p:
            actions.append("crisis_team_handoff")
        elif p_esc >= config.supervisor_escalation_p:
            actions.append("supervisor_escalation")
        else:
            actions.append(action_from_reasons(reasons))
    return actions


def social_exposure(
    frame: pd.DataFrame, config: ActionConfig | None = None, values: FrameValues | None = None
) -> np.ndarray:
    """Whether each customer has a public audience, from identity and text features.

    Args:
        frame: Feature rows.
        config: Thresholds.
        values: ``frame`` already converted to Python values (a few rows), to read from.
    """
    config = config or ActionConfig()
    rows = values if values is not None and values.unique_columns else None

    def column(name: str) -> np.ndarray:
        if name not in (frame if rows is None else rows.position):
            return np.zeros(len(frame))
        floats = None if rows is None else rows.floats(name)
        if floats is not None:
            return floats
        series = frame[name]
        if isinstance(series.dtype, np.dtype) and series.dtype.kind in "biuf":
            return series.to_numpy(dtype=float)
        return series.to_numpy(dtype=float, na_value=np.nan)

    names = ("id_followers", "id_brand_posts_30d", "txt_target_social_90d", "txt_target_media_90d")
    columns = np.array([column(name) for name in names], dtype=float).reshape(len(names), -1)
    followers, posts, social, media = np.nan_to_num(columns, nan=0.0)
    return (followers >= config.crisis_followers) | (posts > 0) | (social > 0) | (media > 0)
