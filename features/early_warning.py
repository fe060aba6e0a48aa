"""The escalation early-warning rule of the reported practice, defined once.

A customer who mentions escalating or appealing, or who complains on
:data:`MIN_CHANNELS` or more distinct channels within 30 days, is flagged. Mentioning escalation
means a text that threatens it (要去12300投诉) or reports it as already made (上个月就给12300打过
电话了, 投诉了好几回都没人管, an @ of the regulator or the media): a past complaint to the
regulator counts as much as a threat. Hearsay, negated mentions and neutral questions do not
count (:data:`ESCALATION_STANCES`). The rule baseline of
training, the backtest's rule policy and the live contact-event alert all apply these functions,
so the rule they compare against or act on is the same. Pure functions over feature columns or
arrays: no I/O.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from features.vocabulary import Target

MIN_CHANNELS = 3
"""Distinct channels within 30 days from which a customer is flagged."""
MENTIONS_COLUMN = "txt_escalation_intent_any_30d"
"""Threat or escalation already made in 30 days (the union of :data:`STANCE_COLUMNS`)."""
ESCALATION_STANCES: tuple[str, ...] = ("threat", "done")
"""Text stances that count as mentioning escalation (see :mod:`features.text.stance`)."""
STANCE_COLUMNS: tuple[str, ...] = tuple(f"txt_escalation_{s}_any_30d" for s in ESCALATION_STANCES)
CHANNELS_COLUMN = "ct_distinct_channels_30d"
CONTACTS_COLUMN = "ct_inbound_30d"


def mentions_escalation(mentions: ArrayLike) -> np.ndarray:
    """Whether the customer affirmed an intent to escalate (missing counts as no).

    Args:
        mentions: Escalation-intent indicators or counts (bool or numeric, NaN allowed).
    """
    return np.nan_to_num(np.asarray(mentions, dtype=np.float64), nan=0.0) > 0


def mentions_escalation_stances(stances: list[str] | tuple[str, ...]) -> bool:
    """Whether one text's stances (``threat``, ``done``, ``hearsay``, ...) trigger the rule."""
    return any(stance in ESCALATION_STANCES for stance in stances)


def stance_triggers(stances: list[str] | tuple[str, ...]) -> list[str]:
    """Rule trigger names of one text's stances: ``escalation_threat``, ``escalation_done``."""
    return [f"escalation_{stance}" for stance in ESCALATION_STANCES if stance in stances]


def rule_mentions(frame: pd.DataFrame) -> np.ndarray:
    """Per customer, whether the rule's text part fires: :data:`MENTIONS_COLUMN`, or any of
    :data:`STANCE_COLUMNS` the frame holds (frames built before the stances lack them)."""
    mentions = mentions_escalation(frame[MENTIONS_COLUMN].to_numpy(dtype=np.float64, na_value=0.0))
    for column in STANCE_COLUMNS:
        if column in frame.columns:
            values = frame[column].to_numpy(dtype=np.float64, na_value=0.0)
            mentions |= mentions_escalation(values)
    return mentions


def on_many_channels(distinct_channels: ArrayLike, min_channels: int = MIN_CHANNELS) -> np.ndarray:
    """Whether the customer complained on at least ``min_channels`` distinct channels."""
    return np.asarray(distinct_channels, dtype=np.float64) >= min_channels


def warning_flags(
    mentions: ArrayLike, distinct_channels: ArrayLike, min_channels: int = MIN_CHANNELS
) -> np.ndarray:
    """The rule: mentions escalation, or complains on ``min_channels``+ distinct channels."""
    return mentions_escalation(mentions) | on_many_channels(distinct_channels, min_channels)


def _require(frame: pd.DataFrame, columns: list[str], target: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"rule baseline for {target} needs feature columns {missing}")


def rule_score(target: str, frame: pd.DataFrame) -> np.ndarray:
    """Score of the early-warning rule on a feature frame (higher = flagged first).

    Args:
        target: ``repeat_contact`` ranks by inbound contacts in 30 days; ``escalation`` is 1
            for customers who threatened or reported escalation, or used 3+ channels, in 30
            days, else 0.
        frame: Feature frame.

    Raises:
        ValueError: Naming the feature columns the rule needs and the frame lacks.
    """
    if target == Target.REPEAT_CONTACT:
        _require(frame, [CONTACTS_COLUMN], target)
        return frame[CONTACTS_COLUMN].to_numpy(dtype=np.float64)
    _require(frame, [MENTIONS_COLUMN, CHANNELS_COLUMN], target)
    channels = frame[CHANNELS_COLUMN].to_numpy(dtype=np.float64)
    return warning_flags(rule_mentions(frame), channels).astype(np.float64)
