"""A hand-made contact graph of ten customers whose features are computed by hand in the tests.

Snapshot 2026-03-15 with a 3-month lookback sees December 2025, January and February 2026.

- Group A: c0, c1, c2, c3 all call each other (5 calls per pair in January; c2->c3 3 calls and
  c3->c2 2 calls). c0 and c1 also share a family plan (January and February; February is
  listed in both directions, which is one row), and c0 has c8 on its family plan (January).
- Group B: c4, c5, c6, c7 all text each other (4 SMS per pair in February; c4-c5 listed twice).
- Bridge: c3 called c4 once in December.
- Follows: c9, c1 (January and February) and c2 follow c0; c0 follows c4.
- c9 has no contacts. Rows to ignore: a self-loop, an id outside the base, November 2025
  (too old) and March 2026 (not ended).
- Complained in the last 30 days: c1, c2, c5, c9; escalated: c2.
"""

from __future__ import annotations

import pandas as pd

AS_OF = pd.Timestamp("2026-03-15")
CUSTOMERS = [f"c{i}" for i in range(10)]

ROWS = [
    ("c0", "c1", "call", 5, "2026-01"),
    ("c0", "c2", "call", 5, "2026-01"),
    ("c3", "c0", "call", 5, "2026-01"),
    ("c1", "c2", "call", 5, "2026-01"),
    ("c1", "c3", "call", 5, "2026-01"),
    ("c2", "c3", "call", 3, "2026-01"),
    ("c3", "c2", "call", 2, "2026-01"),
    ("c0", "c1", "family_plan", 1, "2026-01"),
    ("c0", "c1", "family_plan", 1, "2026-02"),
    ("c1", "c0", "family_plan", 1, "2026-02"),
    ("c8", "c0", "family_plan", 1, "2026-01"),
    ("c4", "c5", "sms", 4, "2026-02"),
    ("c4", "c5", "sms", 4, "2026-02"),
    ("c4", "c6", "sms", 4, "2026-02"),
    ("c7", "c4", "sms", 4, "2026-02"),
    ("c5", "c6", "sms", 4, "2026-02"),
    ("c5", "c7", "sms", 4, "2026-02"),
    ("c6", "c7", "sms", 4, "2026-02"),
    ("c3", "c4", "call", 1, "2025-12"),
    ("c9", "c0", "follow", 1, "2026-01"),
    ("c1", "c0", "follow", 1, "2026-01"),
    ("c1", "c0", "follow", 1, "2026-02"),
    ("c2", "c0", "follow", 1, "2026-02"),
    ("c0", "c4", "follow", 1, "2026-02"),
    ("c5", "c5", "call", 7, "2026-02"),
    ("c3", "x_unknown", "call", 9, "2026-02"),
]
OLD_ROWS = [("c9", "c8", "call", 50, "2025-11")]
FUTURE_ROWS = [
    ("c9", "c5", "call", 80, "2026-03"),
    ("c9", "c0", "family_plan", 1, "2026-03"),
    ("c2", "c9", "follow", 1, "2026-04"),
]


def edge_frame(rows: list[tuple[str, str, str, float, str]]) -> pd.DataFrame:
    """Contract-shaped edges table from (src, dst, kind, weight, YYYY-MM) tuples."""
    frame = pd.DataFrame(rows, columns=["src", "dst", "kind", "weight", "month"])
    frame["weight"] = frame["weight"].astype(float)
    frame["month"] = pd.to_datetime(frame["month"])
    return frame


def hand_edges() -> pd.DataFrame:
    """Every row of the hand-made graph, including the rows a snapshot must ignore."""
    return edge_frame(ROWS + OLD_ROWS + FUTURE_ROWS)


def hand_customers() -> pd.Index:
    """The ten customer ids c0..c9."""
    return pd.Index(CUSTOMERS, name="customer_id")


def hand_flags() -> pd.DataFrame:
    """Contact flags of the hand-made graph, plus a row for an id outside the base."""
    return pd.DataFrame(
        {
            "customer_id": [*CUSTOMERS, "x_unknown"],
            "complained_30d": [i in (1, 2, 5, 9) for i in range(10)] + [True],
            "escalated_30d": [i == 2 for i in range(10)] + [True],
        }
    )
