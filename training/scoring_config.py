"""How scores become risk tiers, reasons and actions: chosen at training time, carried by the model.

The classes live in ``training`` (not ``serving``) because training records the configuration
with each registered model; ``serving`` reads them through :mod:`training.champions`.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


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


class ScoringConfig(BaseModel):
    """How scores become tiers and actions."""

    model_config = ConfigDict(extra="forbid")

    tiers: TierConfig = Field(default_factory=TierConfig)
    actions: ActionConfig = Field(default_factory=ActionConfig)
    top_reasons: int = Field(3, ge=0, le=10)
    reason_exclude_prefixes: tuple[str, ...] = Field(
        ("acct_",),
        description="Features never shown as reasons: account attributes (tenure, region, plan) "
        "shift the risk but give an agent nothing to act on.",
    )
