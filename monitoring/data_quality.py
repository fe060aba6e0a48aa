"""Data quality of the ingested tables around a monitored date (pure; read by
:mod:`monitoring.quality_io` bucket by bucket).

For each table with a time column the rows are counted per day (per month for monthly tables)
over a recent window ending at the monitored date and a longer history before it:

- volume: the recent mean rows per period against the usual range (quantiles of the history's
  per-period counts);
- null rates of the nullable columns, recent against history (the column that rose most);
- out-of-range: the share of recent values outside the range seen in the history (the worst
  numeric column); the contract's own rules are enforced at ingest, so this catches values
  that are legal but new;
- late-arriving rows: rows now present for periods an earlier monitoring run had already
  counted (:func:`late_rows`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

import numpy as np
import pandas as pd

from monitoring.config import QualityConfig

Period = Literal["day", "month"]

QUALITY_COLUMNS = (
    "table",
    "period",
    "rows",
    "recent_rows",
    "recent_per_period",
    "usual_low",
    "usual_high",
    "volume_status",
    "null_column",
    "null_rate",
    "usual_null_rate",
    "range_column",
    "out_of_range_rate",
    "late_rows",
)


@dataclass(frozen=True)
class QualityWindow:
    """The recent window and the history before it, for one period kind.

    Attributes:
        period: ``day``, ``month`` or ``None`` (a table without a time column: no windows).
        history_start: First instant of the history.
        recent_start: First instant of the recent window (end of the history).
        end: First instant after the recent window.
    """

    period: Period | None
    history_start: pd.Timestamp | None = None
    recent_start: pd.Timestamp | None = None
    end: pd.Timestamp | None = None

    @classmethod
    def of(cls, as_of: date, period: Period | None, config: QualityConfig) -> QualityWindow:
        """The window of ``as_of``: its last ``recent_days`` days, or its latest complete month."""
        if period is None:
            return cls(None)
        day = pd.Timestamp(as_of)
        if period == "day":
            end = day + pd.Timedelta(days=1)
            recent = end - pd.Timedelta(days=config.recent_days)
            return cls(period, recent - pd.Timedelta(days=config.history_days), recent, end)
        month = day.to_period("M")
        if (day + pd.Timedelta(days=1)).month == day.month:
            month -= 1
        recent = month.to_timestamp()
        end = (month + 1).to_timestamp()
        return cls(period, (month - config.history_months).to_timestamp(), recent, end)

    def periods(self, start: pd.Timestamp, end: pd.Timestamp) -> pd.DatetimeIndex:
        """Period starts in ``[start, end)``."""
        freq = "D" if self.period == "day" else "MS"
        return pd.date_range(start, end - pd.Timedelta(microseconds=1), freq=freq)

    def period_of(self, times: pd.Series) -> pd.Series:
        """The period start of each timestamp."""
        times = pd.to_datetime(times)
        if self.period == "day":
            return times.dt.floor("D")
        return times.dt.to_period("M").dt.to_timestamp()


@dataclass
class TableStats:
    """Aggregates of one table (or one bucket of it), mergeable across buckets.

    Attributes:
        rows: Rows read.
        counts: Rows per period start (history and recent window).
        history_rows: Rows in the history.
        history_nulls: Missing values per nullable column in the history.
        history_min: Smallest history value per numeric column.
        history_max: Largest history value per numeric column.
        recent: The recent window's rows (checked columns only).
    """

    rows: int = 0
    counts: pd.Series = field(default_factory=lambda: pd.Series(dtype=np.int64))
    history_rows: int = 0
    history_nulls: pd.Series = field(default_factory=lambda: pd.Series(dtype=np.int64))
    history_min: pd.Series = field(default_factory=lambda: pd.Series(dtype=np.float64))
    history_max: pd.Series = field(default_factory=lambda: pd.Series(dtype=np.float64))
    recent: pd.DataFrame = field(default_factory=pd.DataFrame)


def bucket_stats(
    frame: pd.DataFrame,
    time_column: str | None,
    window: QualityWindow,
    numeric: Sequence[str],
    nullable: Sequence[str],
) -> TableStats:
    """The aggregates of one bucket's rows (projected to the time and checked columns)."""
    numeric, nullable = list(numeric), list(nullable)
    if time_column is None or window.period is None:
        return TableStats(
            rows=len(frame),
            history_nulls=pd.Series(0, index=nullable, dtype=np.int64),
            recent=frame[list(dict.fromkeys([*numeric, *nullable]))],
        )
    period = window.period_of(frame[time_column])
    history = (period >= window.history_start) & (period < window.recent_start)
    recent = (period >= window.recent_start) & (period < window.end)
    kept = period[history | recent]
    old = frame.loc[history.to_numpy()]
    values = old[numeric].apply(pd.to_numeric, errors="coerce") if numeric else old[numeric]
    return TableStats(
        rows=len(frame),
        counts=kept.value_counts(),
        history_rows=int(history.sum()),
        history_nulls=old[nullable].isna().sum(),
        history_min=values.min(),
        history_max=values.max(),
        recent=frame.loc[recent.to_numpy(), list(dict.fromkeys([*numeric, *nullable]))],
    )


def merge_stats(parts: Sequence[TableStats]) -> TableStats:
    """One table's aggregates from its buckets'."""
    parts = list(parts)
    if not parts:
        return TableStats()
    concat = [p.recent for p in parts if len(p.recent)] or [parts[0].recent]
    return TableStats(
        rows=sum(p.rows for p in parts),
        counts=_combine([p.counts for p in parts], "sum"),
        history_rows=sum(p.history_rows for p in parts),
        history_nulls=_combine([p.history_nulls for p in parts], "sum"),
        history_min=_combine([p.history_min for p in parts], "min"),
        history_max=_combine([p.history_max for p in parts], "max"),
        recent=pd.concat(concat, ignore_index=True),
    )


def _combine(series: list[pd.Series], how: str) -> pd.Series:
    filled = [s for s in series if len(s)]
    if not filled:
        return series[0] if series else pd.Series(dtype=np.float64)
    return pd.concat(filled, axis=1).agg(how, axis=1)


def table_quality(
    table: str, stats: TableStats, window: QualityWindow, config: QualityConfig
) -> dict:
    """One row of :data:`QUALITY_COLUMNS` (``late_rows`` left missing: see :func:`late_rows`)."""
    row: dict = dict.fromkeys(QUALITY_COLUMNS, np.nan)
    row.update(table=table, period=window.period or "—", rows=stats.rows)
    row["recent_rows"] = len(stats.recent)
    row.update(_volume(stats, window, config))
    row.update(_nulls(stats))
    row.update(_ranges(stats))
    return row


def _volume(stats: TableStats, window: QualityWindow, config: QualityConfig) -> dict:
    if window.period is None:
        return {"volume_status": "not dated"}
    history = stats.counts.reindex(window.periods(window.history_start, window.recent_start))
    recent = stats.counts.reindex(window.periods(window.recent_start, window.end))
    history, recent = history.fillna(0), recent.fillna(0)
    mean = float(recent.mean())
    if stats.history_rows == 0:
        status = "no history" if mean > 0 else "no rows"
        return {"recent_per_period": mean, "volume_status": status}
    low = float(history.quantile(config.low_quantile))
    high = float(history.quantile(config.high_quantile))
    margin = config.tolerance
    status = "low" if mean < low * (1 - margin) else "high" if mean > high * (1 + margin) else "ok"
    return {
        "recent_per_period": mean,
        "usual_low": low,
        "usual_high": high,
        "volume_status": status,
    }


def _nulls(stats: TableStats) -> dict:
    columns = list(stats.history_nulls.index)
    if not columns or not len(stats.recent):
        return {}
    recent = stats.recent[columns].isna().mean()
    usual = (
        stats.history_nulls.reindex(columns) / stats.history_rows
        if stats.history_rows
        else pd.Series(np.nan, index=columns)
    )
    rise = (recent - usual.fillna(0)).sort_values(ascending=False, kind="stable")
    worst = rise.index[0]
    return {
        "null_column": worst,
        "null_rate": float(recent[worst]),
        "usual_null_rate": float(usual[worst]),
    }


def _ranges(stats: TableStats) -> dict:
    columns = [c for c in stats.history_min.index if c in stats.recent.columns]
    if not columns or not len(stats.recent) or not stats.history_rows:
        return {}
    rates = {}
    for column in columns:
        values = pd.to_numeric(stats.recent[column], errors="coerce").dropna()
        if not len(values):
            continue
        low, high = stats.history_min[column], stats.history_max[column]
        rates[column] = float(((values < low) | (values > high)).mean())
    if not rates:
        return {}
    worst = max(rates, key=lambda c: (rates[c], c))
    return {"range_column": worst, "out_of_range_rate": rates[worst]}


def period_counts(stats: TableStats, window: QualityWindow) -> pd.Series:
    """Rows per period over the history and recent window (missing periods as 0)."""
    if window.period is None:
        return pd.Series(dtype=np.int64)
    periods = window.periods(window.history_start, window.end)
    return stats.counts.reindex(periods).fillna(0).astype(np.int64)


def late_rows(before: pd.DataFrame, now: pd.DataFrame) -> pd.Series:
    """Rows that arrived for periods an earlier run had already counted, per table.

    Args:
        before: ``table``, ``period``, ``rows`` as an earlier monitoring run counted them.
        now: The same counted today.

    Returns:
        Per table of ``before``: the rows added since to the periods it counted.
    """
    if before.empty:
        return pd.Series(dtype=np.int64)
    keys = ["table", "period"]
    left = before.assign(period=pd.to_datetime(before["period"]))
    right = now.assign(period=pd.to_datetime(now["period"]))
    merged = left.merge(right, on=keys, how="left", suffixes=("_before", "_now"))
    added = (merged["rows_now"].fillna(0) - merged["rows_before"]).clip(lower=0)
    return added.groupby(merged["table"]).sum().astype(np.int64)
