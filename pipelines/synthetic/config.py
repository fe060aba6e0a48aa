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


class TreatmentConfig(FrozenParams):
    """Proactive-service treatment: treated customers' inbound intensity drops from ``start``."""

    customer_ids: list[str]
    start: date
    effect: float = Field(ge=0, le=1, description="Relative reduction of inbound intensity.")


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
