"""Contact categories and drivers: the rate components of inbound contacts and their topics.

Inbound non-regulator contacts are a sum of driver components (``COMPONENTS``); each component
brings its own mix of categories (a row of ``COMPONENT_CATEGORIES``).
"""

from __future__ import annotations

import numpy as np

from pipelines.contract import CATEGORIES

CAT = {name: code for code, name in enumerate(CATEGORIES)}
COMPONENTS = (
    "base",
    "overage",
    "vas",
    "roaming",
    "suspended",
    "after_suspension",
    "network",
    "ticket",
    "contagion",
    "churn",
)
TICKET_COMPONENT = COMPONENTS.index("ticket")
OUTBOUND_COMPONENTS = ("followup", "collection", "outage", "marketing")


def _category_rows() -> np.ndarray:
    rows = np.zeros((len(COMPONENTS), len(CATEGORIES)))
    mixes = {
        "base": {
            "inquiry": 0.47,
            "billing": 0.18,
            "plan": 0.14,
            "network": 0.08,
            "vas": 0.05,
            "service_attitude": 0.05,
            "roaming": 0.03,
        },
        "overage": {"billing": 1.0},
        "vas": {"vas": 1.0},
        "roaming": {"roaming": 1.0},
        "suspended": {"suspension": 1.0},
        "after_suspension": {"suspension": 0.7, "billing": 0.3},
        "network": {"network": 1.0},
        "ticket": {"inquiry": 1.0},
        "contagion": {"billing": 0.4, "network": 0.35, "plan": 0.25},
        "churn": {"churn": 1.0},
    }
    for i, name in enumerate(COMPONENTS):
        for cat, share in mixes[name].items():
            rows[i, CAT[cat]] = share
    return rows


COMPONENT_CATEGORIES = _category_rows()
