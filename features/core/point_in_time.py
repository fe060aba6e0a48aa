"""The ``features.core.timeline`` rules as boolean masks over numpy ``datetime64`` arrays.

Each mask keeps exactly the rows the timeline rule of the same meaning keeps, on naive timestamps
(see :func:`features.core.inputs.stamp_values`): the bounds come from
:func:`features.core.timeline.snapshot_end`. Filtering with the pandas rules costs a frame copy per
call; a mask costs one numpy comparison, which matters for one customer's few rows online.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from features.core.timeline import snapshot_end


@lru_cache(maxsize=256)
def _end(as_of: str | pd.Timestamp) -> np.datetime64:
    """:func:`features.core.timeline.snapshot_end` as ``datetime64[ns]`` (computed once per day)."""
    return snapshot_end(as_of).to_datetime64()


def _bound(stamp: np.datetime64, values: np.ndarray) -> np.datetime64:
    """``stamp`` (a midnight, so exact in any unit) in the unit of ``values``."""
    return stamp.astype(values.dtype)


def as_of_day(as_of: str | pd.Timestamp) -> int:
    """Calendar day number (days since 1970-01-01) of the snapshot day ``as_of``."""
    return int(_end(as_of).astype("datetime64[D]").astype(np.int64)) - 1


def known_mask(values: np.ndarray, as_of: str | pd.Timestamp, days_before: int = 0) -> np.ndarray:
    """Rows ``features.core.timeline.known_at`` keeps: stamped before the end of day ``as_of``.

    With ``days_before``, the end of the day that many days before ``as_of``.
    """
    return values < _bound(_end(as_of) - np.timedelta64(days_before, "D"), values)


def last_days_mask(values: np.ndarray, as_of: str | pd.Timestamp, days: int) -> np.ndarray:
    """Rows ``timeline.in_last_days`` keeps: stamped in the ``days`` days up to ``as_of``.

    Day ``as_of`` is the last of the window.
    """
    end = _end(as_of)
    start = end - np.timedelta64(days, "D")
    return (values >= _bound(start, values)) & (values < _bound(end, values))


def month_known_mask(values: np.ndarray, as_of: str | pd.Timestamp) -> np.ndarray:
    """Rows ``timeline.months_known_at`` keeps: the month has ended by the snapshot end.

    Like ``value + pd.offsets.MonthBegin(1)``, the month's end is the first day of the next month
    at the value's time of day.
    """
    time_of_day = values - values.astype("datetime64[D]").astype(values.dtype)
    month_end = (values.astype("datetime64[M]") + 1).astype(values.dtype) + time_of_day
    return month_end <= _bound(_end(as_of), values)
