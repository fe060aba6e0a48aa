"""The out-of-time split: training snapshots strictly before the validation snapshot."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import numpy as np


@dataclass(frozen=True)
class SnapshotWindow:
    """Training snapshot dates (oldest first) and the later validation snapshot date."""

    train_as_of: tuple[date, ...]
    valid_as_of: date

    def __post_init__(self) -> None:
        assert_out_of_time(self.train_as_of, [self.valid_as_of])


class SplitError(ValueError):
    """The requested window mixes periods or has no data."""


def assert_out_of_time(train_dates: Iterable, valid_dates: Iterable) -> None:
    """Raise unless every training date is strictly before every validation date.

    Works on dates or on arrays of datetimes (e.g. the ``as_of`` of each stacked row).

    Raises:
        SplitError: Naming the offending dates.
    """
    train = np.asarray(list(train_dates), dtype="datetime64[D]")
    valid = np.asarray(list(valid_dates), dtype="datetime64[D]")
    if train.size == 0:
        raise SplitError("no training snapshots before the validation snapshot")
    if valid.size == 0:
        raise SplitError("no validation snapshot")
    first_valid = valid.min()
    late = np.unique(train[train >= first_valid])
    if late.size:
        raise SplitError(
            f"training snapshots {[str(d) for d in late]} are not strictly before the "
            f"validation snapshot {first_valid} (out-of-time split)"
        )


def resolve_window(
    labelled: list[date], train_as_of: list[date] | None, valid_as_of: date | None
) -> SnapshotWindow:
    """Fill in the defaults of a window from the labelled snapshots available.

    Args:
        labelled: Snapshot dates with observed labels.
        train_as_of: Requested training dates, or ``None`` for every labelled snapshot before
            the validation snapshot.
        valid_as_of: Requested validation date, or ``None`` for the latest labelled snapshot.

    Raises:
        SplitError: If nothing is labelled, or the window is not out of time.
    """
    labelled = sorted(labelled)
    if valid_as_of is None:
        if not labelled:
            raise SplitError(
                "no labelled snapshots: build snapshots whose 30-day horizon lies inside the data"
            )
        valid_as_of = labelled[-1]
    if train_as_of is None:
        train_as_of = [d for d in labelled if d < valid_as_of]
    return SnapshotWindow(tuple(sorted(train_as_of)), valid_as_of)
