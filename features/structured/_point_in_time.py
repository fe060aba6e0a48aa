"""The ``features.timeline`` rules as boolean masks over numpy ``datetime64`` arrays.

Each mask keeps exactly the rows the timeline rule of the same meaning keeps, on naive timestamps
(see :func:`features.structured._inputs.stamp_values`): the bounds come from
:func:`features.timeline.snapshot_end`. Filtering with the pandas rules costs a frame copy per
call; a mask costs one numpy comparison, which matters for one customer's few rows online.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from features.timeline import snapshot_end


def _bound(stamp: pd.Timestamp, values: np.ndarray) -> np.datetime64:
    """``stamp`` (a midnight, so exact in any unit) in the unit of ``values``."""
    return stamp.to_datetime64().astype(values.dtype)


def known_mask(values: np.ndarray, as_of: str | pd.Timestamp) -> np.ndarray:
    """Rows ``features.timeline.known_at`` keeps: stamped before the end of day ``as_of``."""
    return values < _bound(snapshot_end(as_of), values)


def last_days_mask(values: np.ndarray, as_of: str | pd.Timestamp, days: int) -> np.ndarray:
    """Rows ``features.timeline.in_last_days`` keeps: stamped in the ``days`` days up to ``as_of``.

    Day ``as_of`` is the last of the window.
    """
    end = snapshot_end(as_of)
    start = end - pd.Timedelta(days=days)
    return (values >= _bound(start, values)) & (values < _bound(end, values))


def month_known_mask(values: np.ndarray, as_of: str | pd.Timestamp) -> np.ndarray:
    """Rows ``features.timeline.months_known_at`` keeps: the month has ended by the snapshot end.

    Like ``value + pd.offsets.MonthBegin(1)``, the month's end is the first day of the next month
    at the value's time of day.
    """
    time_of_day = values - values.astype("datetime64[D]").astype(values.dtype)
    month_end = (values.astype("datetime64[M]") + 1).astype(values.dtype) + time_of_day
    return month_end <= _bound(snapshot_end(as_of), values)
