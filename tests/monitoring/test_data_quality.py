"""Data quality: volume against its usual range, null and out-of-range rates, late rows."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from monitoring.config import QualityConfig
from monitoring.data_quality import (
    QualityWindow,
    bucket_stats,
    late_rows,
    merge_stats,
    period_counts,
    table_quality,
)

AS_OF = date(2026, 9, 30)
CONFIG = QualityConfig(recent_days=7, history_days=56)


def _contacts(per_day: int, recent_per_day: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    days = pd.date_range("2026-08-01", "2026-09-30", freq="D")
    counts = [recent_per_day if day > pd.Timestamp("2026-09-23") else per_day for day in days]
    ts = np.repeat(days.to_numpy(), counts) + pd.Timedelta(hours=10)
    recent = ts > np.datetime64("2026-09-24")
    csat = np.where(rng.random(len(ts)) < np.where(recent, 0.5, 0.1), np.nan, 3.0)
    handle = np.where(recent, 5_000.0, rng.uniform(10, 600, len(ts)))
    return pd.DataFrame({"ts": ts, "csat": csat, "handle_seconds": handle})


def _quality(frame: pd.DataFrame) -> dict:
    window = QualityWindow.of(AS_OF, "day", CONFIG)
    stats = bucket_stats(frame, "ts", window, ["handle_seconds", "csat"], ["csat"])
    return table_quality("contacts", stats, window, CONFIG)


def test_windows_of_daily_and_monthly_tables() -> None:
    daily = QualityWindow.of(AS_OF, "day", CONFIG)
    assert daily.recent_start == pd.Timestamp("2026-09-24")
    assert daily.end == pd.Timestamp("2026-10-01")
    monthly = QualityWindow.of(date(2026, 9, 15), "month", QualityConfig(history_months=3))
    assert monthly.recent_start == pd.Timestamp("2026-08-01")  # latest complete month
    assert monthly.history_start == pd.Timestamp("2026-05-01")
    assert QualityWindow.of(AS_OF, "month", CONFIG).recent_start == pd.Timestamp("2026-09-01")


def test_a_volume_drop_nulls_and_new_values_are_reported() -> None:
    row = _quality(_contacts(per_day=100, recent_per_day=20))
    assert row["volume_status"] == "low"
    assert row["recent_per_period"] == pytest.approx(20.0)
    assert row["usual_low"] == pytest.approx(100.0)
    assert row["null_column"] == "csat"
    assert row["null_rate"] == pytest.approx(0.5, abs=0.1)
    assert row["usual_null_rate"] == pytest.approx(0.1, abs=0.02)
    assert row["range_column"] == "handle_seconds" and row["out_of_range_rate"] == 1.0


def test_steady_volume_is_ok() -> None:
    assert _quality(_contacts(per_day=100, recent_per_day=100))["volume_status"] == "ok"


def test_buckets_merge_to_the_whole() -> None:
    frame = _contacts(per_day=50, recent_per_day=30)
    window = QualityWindow.of(AS_OF, "day", CONFIG)
    args = ("ts", window, ["handle_seconds", "csat"], ["csat"])
    whole = bucket_stats(frame, *args)
    merged = merge_stats([bucket_stats(frame.iloc[i::3], *args) for i in range(3)])
    assert merged.rows == whole.rows and merged.history_rows == whole.history_rows
    pd.testing.assert_series_equal(
        period_counts(merged, window), period_counts(whole, window), check_names=False
    )
    assert merged.history_max["handle_seconds"] == whole.history_max["handle_seconds"]
    assert table_quality("t", merged, window, CONFIG) == table_quality("t", whole, window, CONFIG)


def test_late_rows_are_rows_added_to_counted_periods() -> None:
    before = pd.DataFrame(
        {"table": ["contacts"] * 2, "period": ["2026-09-01", "2026-09-02"], "rows": [10, 5]}
    )
    now = pd.DataFrame(
        {
            "table": ["contacts"] * 3,
            "period": ["2026-09-01", "2026-09-02", "2026-09-03"],
            "rows": [12, 5, 40],
        }
    )
    assert late_rows(before, now).to_dict() == {"contacts": 2}


def test_tables_without_a_time_column_get_null_rates_only() -> None:
    window = QualityWindow.of(AS_OF, None, CONFIG)
    frame = pd.DataFrame({"followers": [1, 2, 3, 4], "bound": [None, "x", None, "y"]})
    row = table_quality(
        "accounts", bucket_stats(frame, None, window, ["followers"], ["bound"]), window, CONFIG
    )
    assert row["volume_status"] == "not dated" and row["null_rate"] == 0.5
