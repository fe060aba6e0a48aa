"""Usage features: data volume against the customer's own baseline, call drops, speed, outages.

Point in time: a usage month is seen once it has ended. Months are calendar months counted back
from the snapshot: "last month" is the latest month that has ended by the end of day ``as_of``,
"3 months" are that month and the two before it, and the baseline for a change is the mean of the
three months before the last month. A customer with no row for a month simply lacks that month.

Defaults: without a row for the last month every ``*_last`` value is 0 and
``use_has_last_month`` is False; a change against a baseline is 0 when either side is missing or
the baseline is 0; the trend is 0 with fewer than two of the last 3 months; 3-month max and sum are
0 without any row.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

import numpy as np
import pandas as pd

from features.core.grouped import safe_ratio
from features.core.inputs import (
    customer_codes,
    customer_index,
    feature_frame,
    float_values,
    months_back,
    require_columns,
    stamp_values,
)
from features.core.point_in_time import month_known_mask
from features.core.timeline import snapshot_end
from features.registry import FeatureSpec

USAGE_COLUMNS = [
    "customer_id",
    "usage_month",
    "data_gb",
    "dropped_call_rate",
    "avg_download_mbps",
    "outage_minutes",
]
MONTHS_BACK = 4
RECENT = slice(0, 3)
BASELINE = slice(1, 4)

_spec = partial(FeatureSpec, family="structured")

FEATURES: list[FeatureSpec] = [
    _spec(
        "use_has_last_month",
        description_en="Usage of the last ended month is known",
        description_zh="有上月用量记录",
        dtype="bool",
        reason_en="no usage recorded last month",
        reason_zh="上月无用量记录",
    ),
    _spec(
        "use_data_gb_last",
        description_en="Mobile data used last month (GB)",
        description_zh="上月流量使用量（GB）",
        reason_en="{value:.1f} GB of data used last month",
        reason_zh="上月使用流量 {value:.1f} GB",
    ),
    _spec(
        "use_data_change_vs_3m",
        description_en="Relative change of last month's data use against the 3 months before",
        description_zh="上月流量较此前三月均值的变化幅度",
        reason_en="data use {value:+.0%} against the previous 3 months",
        reason_zh="上月流量较前三月均值变化 {value:+.0%}",
    ),
    _spec(
        "use_data_trend_3m",
        description_en="Slope of monthly data use over the last 3 months (GB per month)",
        description_zh="近三月流量变化趋势（GB/月）",
        reason_en="data use changing by {value:+.1f} GB per month",
        reason_zh="近三月流量每月变化 {value:+.1f} GB",
    ),
    _spec(
        "use_dropped_call_rate_last",
        description_en="Dropped-call rate last month",
        description_zh="上月掉话率",
        reason_en="{value:.1%} of calls dropped last month",
        reason_zh="上月掉话率 {value:.1%}",
    ),
    _spec(
        "use_dropped_call_rate_max_3m",
        description_en="Highest monthly dropped-call rate over the last 3 months",
        description_zh="近三月最高掉话率",
        reason_en="dropped-call rate up to {value:.1%} in 3 months",
        reason_zh="近三月掉话率最高 {value:.1%}",
    ),
    _spec(
        "use_download_mbps_last",
        description_en="Average download speed last month (Mbps)",
        description_zh="上月平均下载速率（Mbps）",
        reason_en="average download speed {value:.1f} Mbps last month",
        reason_zh="上月平均下载速率 {value:.1f} Mbps",
    ),
    _spec(
        "use_download_drop_vs_3m",
        description_en="Relative drop of last month's download speed against the 3 months before",
        description_zh="上月下载速率较此前三月均值的下降幅度",
        reason_en="download speed {value:.0%} slower than the previous 3 months",
        reason_zh="下载速率较前三月均值下降 {value:.0%}",
    ),
    _spec(
        "use_outage_minutes_last",
        description_en="Network outage minutes last month",
        description_zh="上月网络故障时长（分钟）",
        reason_en="{value:.0f} minutes of outage last month",
        reason_zh="上月网络中断 {value:.0f} 分钟",
    ),
    _spec(
        "use_outage_minutes_3m",
        description_en="Network outage minutes over the last 3 months",
        description_zh="近三月网络故障总时长（分钟）",
        reason_en="{value:.0f} minutes of outage in 3 months",
        reason_zh="近三月网络中断 {value:.0f} 分钟",
    ),
]


def usage_features(
    usage: pd.DataFrame, customer_ids: Iterable[str], as_of: str | pd.Timestamp
) -> pd.DataFrame:
    """Usage features for a snapshot at ``as_of``.

    Args:
        usage: Contract ``usage`` table (any subset of customers, all of their rows).
        customer_ids: Customers to return, one row each.
        as_of: Snapshot date; months that have not ended by the end of that day are ignored.

    Returns:
        One row per customer (index ``customer_id``), columns as declared in ``FEATURES``.

    Raises:
        ValueError: A required column is missing or ``usage_month`` is not datetime64.
    """
    index = customer_index(customer_ids)
    return feature_frame(usage_columns(usage, index, as_of), index, FEATURES)


def usage_columns(
    usage: pd.DataFrame, index: pd.Index, as_of: str | pd.Timestamp
) -> dict[str, np.ndarray]:
    """The arrays of :func:`usage_features` for the customers of ``index``, by feature name."""
    usage = require_columns(usage, "usage", USAGE_COLUMNS, ("usage_month",))
    month = stamp_values(usage["usage_month"])
    last_month = snapshot_end(as_of).to_datetime64().astype("datetime64[M]") - 1
    back = months_back(month, last_month, MONTHS_BACK)
    recent = np.flatnonzero(back >= 0)
    rows = recent[month_known_mask(month[recent], as_of)]
    codes = customer_codes(usage["customer_id"], index, rows)
    rows, codes = rows[codes >= 0], codes[codes >= 0]
    back = back[rows]

    def by_month(name: str) -> np.ndarray:
        grid = np.full((len(index), MONTHS_BACK), np.nan)
        grid[codes, back] = float_values(usage[name], rows, nan=None)
        return grid

    data = by_month("data_gb")
    dropped = by_month("dropped_call_rate")
    speed = by_month("avg_download_mbps")
    outage = by_month("outage_minutes")
    has_last = np.zeros(len(index), dtype=bool)
    has_last[codes[back == 0]] = True

    return {
        "use_has_last_month": has_last,
        "use_data_gb_last": _zero_if_nan(data[:, 0]),
        "use_data_change_vs_3m": safe_ratio(data[:, 0], _mean(data[:, BASELINE]), 1.0) - 1.0,
        "use_data_trend_3m": _slope(data[:, RECENT]),
        "use_dropped_call_rate_last": _zero_if_nan(dropped[:, 0]),
        "use_dropped_call_rate_max_3m": _max(dropped[:, RECENT]),
        "use_download_mbps_last": _zero_if_nan(speed[:, 0]),
        "use_download_drop_vs_3m": 1.0 - safe_ratio(speed[:, 0], _mean(speed[:, BASELINE]), 1.0),
        "use_outage_minutes_last": _zero_if_nan(outage[:, 0]),
        "use_outage_minutes_3m": np.nansum(outage[:, RECENT], axis=1),
    }


def _zero_if_nan(values: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(values), 0.0, values)


def _mean(grid: np.ndarray) -> np.ndarray:
    present = ~np.isnan(grid)
    return np.nansum(grid, axis=1) / np.maximum(present.sum(axis=1), 1)


def _max(grid: np.ndarray) -> np.ndarray:
    filled = np.where(np.isnan(grid), -np.inf, grid).max(axis=1)
    return np.where(np.isfinite(filled), filled, 0.0)


def _slope(grid: np.ndarray) -> np.ndarray:
    """Least-squares slope per row over columns (newest first); 0 with fewer than two values."""
    x = -np.arange(grid.shape[1], dtype=np.float64)
    present = ~np.isnan(grid)
    n = present.sum(axis=1)
    y = np.where(present, grid, 0.0)
    xs = np.where(present, x, 0.0)
    sx, sy = xs.sum(axis=1), y.sum(axis=1)
    sxx, sxy = (xs * xs).sum(axis=1), (xs * y).sum(axis=1)
    denominator = n * sxx - sx * sx
    return safe_ratio(n * sxy - sx * sy, denominator, 0.0)
