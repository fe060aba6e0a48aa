"""Shared pieces of the world configuration: the frozen strict base model, channels, checks."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from features.vocabulary import CHANNELS, REGULATOR_CHANNEL

NON_REGULATOR_CHANNELS = tuple(c for c in CHANNELS if c != REGULATOR_CHANNEL)


class FrozenParams(BaseModel):
    """Base of every configuration model: unknown fields are rejected, instances are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def check_burst_in_month(start_days: tuple[int, int], burst_days: int) -> None:
    """Reject a within-month shock whose burst could leave the previous month end's label window.

    Args:
        start_days: First and last day-of-month offset (0-based) the shock starts.
        burst_days: Days over which the shock's extra contacts and posts arrive.

    Raises:
        ValueError: If the shock may start before day offset 3 or its burst end after day 28.
    """
    first, last = start_days
    if first < 3 or last < first or last + burst_days > 28:
        raise ValueError(
            "a shock must start on day offset >= 3 and its burst end by day 28 of the month, "
            "so it lies inside the label window of the previous month end"
        )
