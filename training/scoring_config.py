"""How scores become risk tiers, reasons and actions: chosen at training time, carried by the model.

The classes live in ``training`` (not ``serving``) because training records the configuration
with each registered model; ``serving`` reads them through :mod:`training.champions`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from features.core.pickled import DefaultsOnUnpickle

RiskTier = Literal["high", "medium", "low"]


class TierConfig(BaseModel):
    """Probability cut-offs of the risk tiers (either target can raise the tier)."""

    model_config = ConfigDict(extra="forbid")

    high_repeat: float = Field(0.5, ge=0, le=1)
    high_escalation: float = Field(0.2, ge=0, le=1)
    medium_repeat: float = Field(0.2, ge=0, le=1)
    medium_escalation: float = Field(0.05, ge=0, le=1)


class ActionConfig(BaseModel):
    """Thresholds that turn scores into an action.

    Attributes:
        supervisor_escalation_p: Escalation probability from which a supervisor takes the case.
        crisis_escalation_p: Escalation probability from which social exposure goes to the
            crisis team.
        crisis_followers: Followers of a bound account that make a post likely to spread.
    """

    model_config = ConfigDict(extra="forbid")

    supervisor_escalation_p: float = Field(0.30, ge=0, le=1)
    crisis_escalation_p: float = Field(0.15, ge=0, le=1)
    crisis_followers: float = Field(1000, ge=0)


class ScoringConfig(DefaultsOnUnpickle):
    """How scores become tiers and actions (registered models carry it pickled: a model trained
    before a setting existed loads with its default)."""

    model_config = ConfigDict(extra="forbid")

    tiers: TierConfig = Field(default_factory=TierConfig)
    actions: ActionConfig = Field(default_factory=ActionConfig)
    top_reasons: int = Field(3, ge=0, le=10)
    reason_exclude_prefixes: tuple[str, ...] = Field(
        ("acct_",),
        description="Features never shown as reasons: account attributes (tenure, region, plan) "
        "shift the risk but give an agent nothing to act on.",
    )
    reasons_for_tiers: tuple[RiskTier, ...] = Field(
        ("high", "medium"),
        description="Batch scoring precomputes reasons (TreeSHAP, ~5 ms per customer and "
        "target) only for customers in these tiers; the service computes any other customer's "
        "reasons on demand when asked for it by id.",
    )
    reasons_top_share: float = Field(
        0.0,
        ge=0,
        le=1,
        description="Also precompute reasons for this share of the base ranked highest by "
        "either probability (0.05: the top 5% by repeat-contact risk and the top 5% by "
        "escalation risk), for outreach lists reaching below the shown tiers.",
    )
