"""Service events as column arrays, and month-relative timestamps."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipelines.contract import EVENT_TYPES

EVENT = {name: code for code, name in enumerate(EVENT_TYPES)}


@dataclass
class EventBatch:
    """Service events: customer position, time, type code, amount (NaN when none)."""

    customer: np.ndarray
    ts: np.ndarray
    kind: np.ndarray
    amount: np.ndarray

    @classmethod
    def of(
        cls, kind: str, customer: np.ndarray, ts: np.ndarray, amount: np.ndarray | None = None
    ) -> EventBatch:
        m = len(customer)
        return cls(
            customer=np.asarray(customer, dtype=np.int64),
            ts=np.asarray(ts, dtype="datetime64[s]"),
            kind=np.full(m, EVENT[kind], dtype=np.int8),
            amount=np.full(m, np.nan) if amount is None else np.asarray(amount, dtype=np.float64),
        )

    @classmethod
    def concat(cls, batches: list[EventBatch]) -> EventBatch:
        if not batches:
            return cls.of("payment", np.empty(0, np.int64), np.empty(0, "datetime64[s]"))
        return cls(
            customer=np.concatenate([b.customer for b in batches]),
            ts=np.concatenate([b.ts for b in batches]),
            kind=np.concatenate([b.kind for b in batches]),
            amount=np.concatenate([b.amount for b in batches]),
        )

    def __len__(self) -> int:
        return len(self.customer)


def at_offset(month_start: np.datetime64, days: np.ndarray, month_days: int) -> np.ndarray:
    """Timestamps ``days`` (fractional) after ``month_start``, kept inside the month."""
    seconds = np.clip(np.asarray(days) * 86400.0, 0, month_days * 86400 - 1).astype(np.int64)
    return month_start.astype("datetime64[s]") + seconds.astype("timedelta64[s]")
