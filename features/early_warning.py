"""The escalation early-warning rule of the reported practice, defined once.

A customer who mentions escalating or appealing, or who complains on
:data:`MIN_CHANNELS` or more distinct channels within 30 days, is flagged. The rule baseline of
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
CHANNELS_COLUMN = "ct_distinct_channels_30d"
CONTACTS_COLUMN = "ct_inbound_30d"


def mentions_escalation(mentions: ArrayLike) -> np.ndarray:
    """Whether the customer affirmed an intent to escalate (missing counts as no).

    Args:
        mentions: Escalation-intent indicators or counts (bool or numeric, NaN allowed).
    """
    return np.nan_to_num(np.asarray(mentions, dtype=np.float64), nan=0.0) > 0


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
            for customers who mention escalating or used 3+ channels in 30 days, else 0.
        frame: Feature frame.

    Raises:
        ValueError: Naming the feature columns the rule needs and the frame lacks.
    """
    if target == Target.REPEAT_CONTACT:
        _require(frame, [CONTACTS_COLUMN], target)
        return frame[CONTACTS_COLUMN].to_numpy(dtype=np.float64)
    _require(frame, [MENTIONS_COLUMN, CHANNELS_COLUMN], target)
    mentions = frame[MENTIONS_COLUMN].to_numpy(dtype=np.float64, na_value=0.0)
    channels = frame[CHANNELS_COLUMN].to_numpy(dtype=np.float64)
    return warning_flags(mentions, channels).astype(np.float64)
