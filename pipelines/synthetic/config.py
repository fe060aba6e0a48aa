"""Configuration of the synthetic telecom world: one strict pydantic model per mechanism.

Rates are "per 30 days" (expected events in a 30-day window at constant state); the generator
converts them to per-day intensities. Defaults give a base of roughly 15% of customers contacting
per month, 8-15% repeat contacts and 1-4% escalations per 30-day window.
"""

from __future__ import annotations

from datetime import date

from pydantic import Field, field_validator

from pipelines.synthetic.config_base import NON_REGULATOR_CHANNELS, FrozenParams
from pipelines.synthetic.config_behaviour import AngerParams, ContactParams
from pipelines.synthetic.config_operator import BillingParams, NetworkParams, PopulationParams
from pipelines.synthetic.config_social import GraphParams, SocialParams

__all__ = [
    "NON_REGULATOR_CHANNELS",
    "AngerParams",
    "BillingParams",
    "CauseEffects",
    "ContactParams",
    "GraphParams",
    "LabelParams",
    "NetworkParams",
    "PopulationParams",
    "SocialParams",
    "TreatmentConfig",
    "WorldConfig",
]


class LabelParams(FrozenParams):
    """Label definitions the oracle computes probabilities for (DESIGN.md §5)."""

    horizon_days: int = Field(
        30, ge=28, le=31, description="Window length; within-month shocks need at least 28 days."
    )
    repeat_min_contacts: int = Field(2, ge=1)
    escalation_min_channels: int = Field(3, ge=2, le=8)
    viral_min_reposts: int = Field(100, ge=1)


class CauseEffects(FrozenParams):
    """How much of the treatment effect reaches inbound contacts of each cause (1 = all of it).

    Outreach can remove the cause of a contact about a suspension (restore the line, waive tiny
    arrears) or an unresolved ticket (follow it up), partly explain a surprising charge, and
    cannot fix an outage or poor coverage. A treated customer's realized effect is so the mix
    of the causes behind their contacts.

    Attributes:
        suspension: Contacts about a suspension (while and after suspended, the burst after an
            arrears suspension and its regulator complaints).
        ticket: Follow-ups of an open or fragile ticket.
        billing: Overage, value-added-service and roaming charges.
        regulator: Regulator complaints about the customer's most pressing grievance.
        other: Everything else (general inquiries, contagion from neighbours, churn).
        outage: Poor network and the burst after an outage.
    """

    suspension: float = Field(1.0, ge=0, le=1)
    ticket: float = Field(1.0, ge=0, le=1)
    billing: float = Field(0.5, ge=0, le=1)
    regulator: float = Field(0.5, ge=0, le=1)
    other: float = Field(0.2, ge=0, le=1)
    outage: float = Field(0.0, ge=0, le=1)


class TreatmentConfig(FrozenParams):
    """Proactive-service treatment: treated customers' inbound intensity drops from ``start``.

    Without ``by_cause`` every inbound contact of a treated customer is thinned by ``effect``;
    with it, a contact of cause ``c`` is thinned by ``effect * by_cause.c``.
    """

    customer_ids: list[str]
    start: date
    effect: float = Field(ge=0, le=1, description="Relative reduction of inbound intensity.")
    by_cause: CauseEffects | None = None


class WorldConfig(FrozenParams):
    """Everything that defines one synthetic world."""

    customers: int = Field(5000, ge=10)
    months: int = Field(12, ge=1, le=60)
    start: date = date(2025, 11, 1)
    seed: int = Field(7, ge=0)
    brand: str = "星河移动"
    burn_in_months: int = Field(
        3, ge=0, le=12, description="Simulated before start so the first month has a past."
    )
    population: PopulationParams = Field(default_factory=PopulationParams)
    billing: BillingParams = Field(default_factory=BillingParams)
    network: NetworkParams = Field(default_factory=NetworkParams)
    anger: AngerParams = Field(default_factory=AngerParams)
    contacts: ContactParams = Field(default_factory=ContactParams)
    social: SocialParams = Field(default_factory=SocialParams)
    graph: GraphParams = Field(default_factory=GraphParams)
    labels: LabelParams = Field(default_factory=LabelParams)
    treatment: TreatmentConfig | None = None

    @field_validator("start")
    @classmethod
    def _first_of_month(cls, value: date) -> date:
        if value.day != 1:
            raise ValueError("start must be the first day of a month")
        return value
