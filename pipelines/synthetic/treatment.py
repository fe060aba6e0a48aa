"""The resolved treatment of a world: who is treated, from when, and by how much per cause."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipelines.synthetic.config import CauseEffects, TreatmentConfig
from pipelines.synthetic.contact_batch import (
    OUTAGE_SOURCE,
    OUTBOUND_SOURCE,
    REGULATOR_SOURCE,
    REGULATOR_SUSPENSION_SOURCE,
    SUSPENSION_SOURCE,
    K,
)
from pipelines.synthetic.contact_drivers import COMPONENTS
from pipelines.synthetic.regime_rates import RegimeRates

CAUSE_OF_COMPONENT: dict[str, str] = {
    "base": "other",
    "overage": "billing",
    "vas": "billing",
    "roaming": "billing",
    "suspended": "suspension",
    "after_suspension": "suspension",
    "network": "outage",
    "ticket": "ticket",
    "contagion": "other",
    "churn": "other",
}
"""The :class:`CauseEffects` field that governs each inbound driver component."""


def source_shares(by_cause: CauseEffects | None) -> np.ndarray | None:
    """Share of the treatment effect per contact source code (``None``: the full effect)."""
    if by_cause is None:
        return None
    shares = np.zeros(OUTBOUND_SOURCE + 1)
    shares[:K] = [getattr(by_cause, CAUSE_OF_COMPONENT[name]) for name in COMPONENTS]
    shares[OUTAGE_SOURCE] = by_cause.outage
    shares[SUSPENSION_SOURCE] = by_cause.suspension
    shares[REGULATOR_SOURCE] = by_cause.regulator
    shares[REGULATOR_SUSPENSION_SOURCE] = by_cause.suspension
    return shares


@dataclass(frozen=True)
class TreatmentPlan:
    """Resolved treatment: who, from which day, by how much.

    Attributes:
        treated: Per customer position, whether the customer is treated.
        start: First treated day.
        effect: Relative reduction of a treated customer's inbound contacts.
        by_source: Share of ``effect`` per contact source code (``None``: all of it), from
            :class:`CauseEffects`.
    """

    treated: np.ndarray
    start: np.datetime64
    effect: float
    by_source: np.ndarray | None = None

    @classmethod
    def none(cls, n: int) -> TreatmentPlan:
        return cls(np.zeros(n, dtype=bool), np.datetime64("2262-01-01"), 0.0)

    @classmethod
    def resolve(cls, treatment: TreatmentConfig, treated: np.ndarray) -> TreatmentPlan:
        """The plan of a configured treatment given the treated customer positions."""
        return cls(
            treated,
            np.datetime64(treatment.start, "D"),
            float(treatment.effect),
            source_shares(treatment.by_cause),
        )

    def contact_effect(self, source: np.ndarray) -> np.ndarray | float:
        """Thinning probability of treated inbound contacts of the given source codes."""
        if self.by_source is None:
            return self.effect
        return self.effect * self.by_source[source]

    def source_effect(self, source: int) -> float:
        """Thinning probability of one source code (an outage or suspension burst)."""
        if self.by_source is None:
            return self.effect
        return self.effect * float(self.by_source[source])

    def inbound_damp(self, rates: RegimeRates, rows: slice) -> tuple[np.ndarray, np.ndarray]:
        """Per customer in ``rows``, the thinning of regular non-regulator and regulator
        contacts (the component mix decides the former when the effect differs by cause)."""
        damp = self.effect * self.treated[rows]
        if self.by_source is None:
            return damp, damp
        components = rates.components[rows].astype(np.float64)
        volume = components.sum(axis=1)
        weighted = components @ self.by_source[:K]
        share = np.divide(weighted, volume, out=np.zeros_like(volume), where=volume > 0)
        return damp * share, damp * self.by_source[REGULATOR_SOURCE]

    def after_days(self, first: np.datetime64, end: np.datetime64) -> float:
        """Days of ``[first, end)`` on or after the treatment start."""
        span = (end - first).astype(int)
        after = (end - max(first, self.start)).astype(int)
        return float(min(max(after, 0), span))
