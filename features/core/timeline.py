"""Point-in-time rules shared by every feature family and the labels.

A snapshot at ``as_of = T`` (a calendar date) sees every row stamped up to the end of day T:
``ts < T + 1 day``. Labels look at ``(T, T + H]`` in whole days: ``T + 1 day <= ts < T + 1 + H``.
Monthly rows (bills are issued at ``issued_at``; usage and edges at the end of their month) are
known once their month has ended.
"""

from __future__ import annotations

import pandas as pd


def as_of_timestamp(as_of: str | pd.Timestamp) -> pd.Timestamp:
    """Normalize a snapshot date to midnight of that day (naive Shanghai wall-clock)."""
    ts = pd.Timestamp(as_of)
    if ts.tzinfo is not None:
        ts = ts.tz_convert("Asia/Shanghai").tz_localize(None)
    return ts.normalize()


def snapshot_end(as_of: str | pd.Timestamp) -> pd.Timestamp:
    """Exclusive upper bound of what a snapshot at ``as_of`` may see."""
    return as_of_timestamp(as_of) + pd.Timedelta(days=1)


def known_at(frame: pd.DataFrame, column: str, as_of: str | pd.Timestamp) -> pd.DataFrame:
    """Rows whose timestamp ``column`` is at or before the end of day ``as_of``."""
    return frame.loc[frame[column] < snapshot_end(as_of)]


def in_last_days(
    frame: pd.DataFrame, column: str, as_of: str | pd.Timestamp, days: int
) -> pd.DataFrame:
    """Rows stamped within the ``days`` days that end with day ``as_of`` (inclusive)."""
    end = snapshot_end(as_of)
    start = end - pd.Timedelta(days=days)
    values = frame[column]
    return frame.loc[(values >= start) & (values < end)]


def months_known_at(frame: pd.DataFrame, column: str, as_of: str | pd.Timestamp) -> pd.DataFrame:
    """Monthly rows whose month (first day in ``column``) has ended by the end of day ``as_of``."""
    month_end = frame[column] + pd.offsets.MonthBegin(1)
    return frame.loc[month_end <= snapshot_end(as_of)]


def label_window(
    frame: pd.DataFrame, column: str, as_of: str | pd.Timestamp, horizon_days: int
) -> pd.DataFrame:
    """Rows stamped in the label window ``(T, T + horizon]`` of a snapshot at ``as_of``."""
    start = snapshot_end(as_of)
    end = start + pd.Timedelta(days=horizon_days)
    values = frame[column]
    return frame.loc[(values >= start) & (values < end)]
