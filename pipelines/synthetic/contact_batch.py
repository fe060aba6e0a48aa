"""Contacts as column arrays, with the codes of their channel and source columns."""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from pipelines.synthetic.config_base import NON_REGULATOR_CHANNELS
from pipelines.synthetic.contact_drivers import COMPONENTS

CHANNELS = (*NON_REGULATOR_CHANNELS, "regulator")
REGULATOR = CHANNELS.index("regulator")
K = len(COMPONENTS)
OUTAGE_SOURCE = K
SUSPENSION_SOURCE = K + 1
REGULATOR_SOURCE = K + 2
REGULATOR_SUSPENSION_SOURCE = K + 3
OUTBOUND_SOURCE = K + 4


@dataclass
class ContactBatch:
    """Contacts as column arrays (positions, codes) before ids and texts are attached."""

    customer: np.ndarray
    ts: np.ndarray
    channel: np.ndarray
    inbound: np.ndarray
    category: np.ndarray
    source: np.ndarray
    ticket: np.ndarray
    resolved: np.ndarray
    handle_seconds: np.ndarray
    transfers: np.ndarray
    csat: np.ndarray
    flagged: np.ndarray
    account: np.ndarray
    identified: np.ndarray
    has_text: np.ndarray
    intent: np.ndarray
    churn: np.ndarray
    anger: np.ndarray
    amount: np.ndarray

    def __len__(self) -> int:
        return len(self.customer)

    def take(self, index: np.ndarray) -> ContactBatch:
        return ContactBatch(**{f.name: getattr(self, f.name)[index] for f in fields(self)})

    @classmethod
    def concat(cls, batches: list[ContactBatch]) -> ContactBatch:
        return cls(
            **{f.name: np.concatenate([getattr(b, f.name) for b in batches]) for f in fields(cls)}
        )
