"""The world's months and which intensity regime governs each day.

Month ``t`` of the simulated timeline ends at the snapshot ``T_t`` (its last day). The state at
``T_t`` fixes the intensities of *regime t*, which governs the label window ``W_t`` (the ``H`` days
after ``T_t``). Windows of consecutive snapshots overlap only when a month is shorter than ``H``
(February with ``H = 30``): the first ``carry`` days of the following month then lie in two
windows, and they stay under the *earlier* regime. So every day in ``W_t`` is governed by regime
``t`` or ``t - 1``, both fixed by ``T_t``, which makes the oracle exact.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Calendar:
    """Month layout of the simulated timeline (burn-in months first, then the data months).

    Attributes:
        month_starts: First day of every simulated month plus the day after the last one.
        burn_in: Number of simulated months before the data starts.
        horizon: Label horizon ``H`` in days.
    """

    month_starts: np.ndarray
    burn_in: int
    horizon: int

    @classmethod
    def build(cls, start: pd.Timestamp, months: int, burn_in: int, horizon: int) -> Calendar:
        first = pd.Timestamp(start) - pd.DateOffset(months=burn_in)
        starts = pd.date_range(first, periods=months + burn_in + 1, freq="MS")
        return cls(starts.values.astype("datetime64[D]"), burn_in, horizon)

    @property
    def n_months(self) -> int:
        return len(self.month_starts) - 1

    def length(self, t: int) -> int:
        """Days in month ``t``."""
        return int((self.month_starts[t + 1] - self.month_starts[t]).astype(int))

    def carry(self, t: int) -> int:
        """Days at the start of month ``t`` still governed by regime ``t - 2``."""
        if t < 1 or t >= self.n_months:
            return 0
        return max(0, self.horizon - self.length(t - 1))

    def day(self, t: int, offset: int) -> np.datetime64:
        """The date ``offset`` days into month ``t`` (may run into the next month)."""
        return self.month_starts[t] + np.timedelta64(offset, "D")

    def month_timestamp(self, t: int) -> pd.Timestamp:
        return pd.Timestamp(self.month_starts[t])

    def month_end(self, t: int) -> pd.Timestamp:
        """The snapshot date ``T_t`` (last day of month ``t``)."""
        return pd.Timestamp(self.month_starts[t + 1] - np.timedelta64(1, "D"))

    def is_output(self, t: int) -> bool:
        return t >= self.burn_in

    def snapshot_months(self) -> list[int]:
        """Months whose end is an oracle snapshot: the whole window lies inside the data."""
        months = []
        for t in range(self.burn_in, self.n_months - 1):
            window_end = self.month_starts[t + 1] + np.timedelta64(self.horizon, "D")
            if window_end <= self.month_starts[self.n_months]:
                months.append(t)
        return months

    def window_pieces(self, t: int) -> tuple[tuple[int, int, int], list[tuple[int, int, int]]]:
        """The label window of snapshot ``T_t`` split by regime.

        Returns:
            ``(carry_piece, own_pieces)``: ``carry_piece = (month, first_offset, end_offset)``
            governed by regime ``t - 1``; ``own_pieces`` the pieces governed by regime ``t``.
            Offsets are 0-based days within the month, end exclusive.
        """
        nxt = t + 1
        carry = self.carry(nxt)
        first_end = min(self.length(nxt), self.horizon)
        own = [(nxt, carry, first_end)]
        spill = max(0, self.horizon - self.length(nxt))
        if spill:
            own.append((nxt + 1, 0, spill))
        return (nxt, 0, carry), own
