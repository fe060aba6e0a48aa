"""Segments of a month with constant intensities, shock bursts in them, and event times."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipelines.synthetic.regime_rates import RegimeRates

# fmt: off
HOURLY = np.array([0.2, 0.1, 0.05, 0.05, 0.05, 0.1, 0.3, 0.8, 1.5, 2.2, 2.4, 2.2,
                   1.8, 2.0, 2.2, 2.1, 2.0, 1.9, 1.8, 1.9, 2.0, 1.7, 1.2, 0.6])
# fmt: on


@dataclass(frozen=True)
class Segment:
    """Days ``[first, end)`` of month ``month`` governed by ``regime``."""

    regime: RegimeRates
    month: int
    first: int
    end: int
    carried: bool


def shock_burst(start: np.ndarray, segment: Segment) -> tuple[np.ndarray, np.ndarray]:
    """Per customer: whether the shock's burst falls in this segment, and its first day.

    A shock of the segment's regime starts on a day of the regime's own month and its burst
    ends by day 28, so it lies entirely inside the month's own segment (never in carried days).
    """
    on = (start >= 0) & (not segment.carried)
    return on.astype(np.float64), np.where(on, start, segment.first).astype(np.int64)


def random_times(
    rng: np.random.Generator, month_start: np.datetime64, lo: np.ndarray, hi: np.ndarray
) -> np.ndarray:
    """Random timestamps on days ``[lo, hi)`` of a month, at hours following the daily profile.

    Args:
        rng: Random generator.
        month_start: First day of the month.
        lo: Per event, first day offset.
        hi: Per event, end day offset (at least one day is drawn from).

    Returns:
        ``datetime64[s]`` timestamps.
    """
    span = np.maximum(hi - lo, 1)
    day = lo + np.minimum((rng.random(len(lo)) * span).astype(np.int64), span - 1)
    hour = rng.choice(24, size=len(lo), p=HOURLY / HOURLY.sum())
    seconds = hour * 3600 + rng.integers(0, 3600, size=len(lo))
    return (
        month_start.astype("datetime64[s]")
        + day.astype("timedelta64[D]")
        + seconds.astype("timedelta64[s]")
    )
