import numpy as np
import pandas as pd
import pytest

from features.core.inputs import day_number
from features.core.point_in_time import (
    as_of_day,
    known_mask,
    last_days_mask,
    month_known_mask,
)
from features.core.timeline import as_of_timestamp, in_last_days, known_at, months_known_at

DAY_NS = 86_400 * 10**9
AS_OFS = [
    "2026-03-31",
    "2026-02-28",
    "2026-04-01",
    pd.Timestamp("2026-03-31 20:00", tz="UTC"),
    "1969-12-31",
]


def _stamps(unit: str) -> pd.Series:
    """Random stamps around the snapshots, with midnights, month starts, NaT and pre-1970 days."""
    rng = np.random.default_rng(5)
    center = pd.Timestamp("2026-03-15").value
    values = rng.integers(center - 200 * DAY_NS, center + 60 * DAY_NS, 4000)
    values[:1000] -= values[:1000] % DAY_NS
    stamps = values.view("datetime64[ns]").copy()
    stamps[1000:1400] = stamps[1000:1400].astype("datetime64[M]")
    stamps[1400:1410] = np.datetime64("NaT")
    stamps[1410:1414] = np.array(
        ["1969-12-01", "1969-12-15T03:00", "1969-11-30T23:59:59", "1970-01-01T00:00:01"],
        dtype="datetime64[ns]",
    )
    return pd.Series(stamps.astype(f"datetime64[{unit}]"), name="ts")


def _kept(rows: pd.DataFrame, size: int) -> np.ndarray:
    mask = np.zeros(size, dtype=bool)
    mask[rows.index.to_numpy()] = True
    return mask


@pytest.mark.parametrize("unit", ["ns", "us", "s"])
@pytest.mark.parametrize("as_of", AS_OFS)
def test_masks_keep_exactly_the_rows_of_the_timeline_rules(unit, as_of):
    stamps = _stamps(unit)
    frame = stamps.to_frame()
    values = stamps.to_numpy()
    size = len(stamps)

    np.testing.assert_array_equal(
        known_mask(values, as_of), _kept(known_at(frame, "ts", as_of), size)
    )
    for days in (1, 7, 30, 90):
        np.testing.assert_array_equal(
            last_days_mask(values, as_of, days), _kept(in_last_days(frame, "ts", as_of, days), size)
        )
    np.testing.assert_array_equal(
        month_known_mask(values, as_of), _kept(months_known_at(frame, "ts", as_of), size)
    )


def test_boundaries_of_the_snapshot_day():
    values = np.array(
        [
            "2026-03-31T23:59:59.999999999",
            "2026-04-01T00:00",
            "2026-03-02T00:00",
            "2026-03-01T23:59",
        ],
        dtype="datetime64[ns]",
    )
    assert known_mask(values, "2026-03-31").tolist() == [True, False, True, True]
    assert last_days_mask(values, "2026-03-31", 30).tolist() == [True, False, True, False]


def test_a_month_is_known_once_it_has_ended():
    months = np.array(
        ["2026-02-01", "2026-03-01", "2026-02-15T08:00", "2026-03-01T08:00"], dtype="datetime64[ns]"
    )
    assert month_known_mask(months, "2026-03-30").tolist() == [True, False, True, False]
    assert month_known_mask(months, "2026-03-31").tolist() == [True, True, True, False]


@pytest.mark.parametrize("unit", ["ns", "s"])
@pytest.mark.parametrize("as_of", AS_OFS)
def test_known_days_before_is_known_at_the_earlier_day(unit, as_of):
    stamps = _stamps(unit)
    earlier = as_of_timestamp(as_of) - pd.Timedelta(days=2)
    np.testing.assert_array_equal(
        known_mask(stamps.to_numpy(), as_of, days_before=2),
        _kept(known_at(stamps.to_frame(), "ts", earlier), len(stamps)),
    )


@pytest.mark.parametrize("as_of", AS_OFS)
def test_as_of_day_is_the_day_number_of_the_snapshot(as_of):
    assert as_of_day(as_of) == day_number(as_of_timestamp(as_of))
