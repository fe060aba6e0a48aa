"""The out-of-time split never mixes periods."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from training.split import SnapshotWindow, SplitError, assert_out_of_time, resolve_window

MONTHS = [date(2026, 6, 30), date(2026, 7, 31), date(2026, 8, 31), date(2026, 9, 30)]


def test_defaults_validate_on_the_latest_and_train_on_every_earlier_snapshot():
    window = resolve_window(MONTHS, None, None)
    assert window.valid_as_of == MONTHS[-1]
    assert window.train_as_of == tuple(MONTHS[:-1])


def test_training_defaults_stop_before_an_explicit_validation_date():
    window = resolve_window(MONTHS, None, MONTHS[1])
    assert window.train_as_of == (MONTHS[0],)


@pytest.mark.parametrize(
    ("train", "valid"),
    [([MONTHS[0], MONTHS[2]], MONTHS[1]), ([MONTHS[1]], MONTHS[1]), ([], MONTHS[0])],
)
def test_windows_that_mix_periods_are_refused(train, valid):
    with pytest.raises(SplitError):
        SnapshotWindow(tuple(train), valid)


def test_row_level_check_names_the_late_snapshot():
    train_rows = np.array(["2026-06-30", "2026-09-30"], dtype="datetime64[D]")
    with pytest.raises(SplitError, match="2026-09-30"):
        assert_out_of_time(train_rows, [MONTHS[-1]])
    assert_out_of_time(train_rows[:1], np.array(["2026-09-30"] * 3, dtype="datetime64[D]"))


def test_no_labelled_snapshot_is_a_clear_error():
    with pytest.raises(SplitError, match="no labelled snapshots"):
        resolve_window([], None, None)
