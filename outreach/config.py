"""Outreach configuration: team capacities, per-action cost and effect, value of avoided events."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from features.vocabulary import Team
from serving.scoring.actions import ACTION_LABELS, TEAMS

TEAM_ORDER: tuple[str, ...] = (Team.CRISIS_TEAM.value, Team.SUPERVISORS.value, Team.AGENTS.value)
"""Teams in planning order: the scarcest, costliest cases are placed first."""


class ActionEffect(BaseModel):
    """What one outreach action costs and how much risk it removes (assumptions, not facts).

    Attributes:
        cost: Cost of the action in yuan (staff time, goodwill credit).
        repeat_effect: Relative reduction of the repeat-contact probability it brings.
        escalation_effect: Relative reduction of the escalation probability it brings.
    """

    model_config = ConfigDict(extra="forbid")

    cost: float = Field(ge=0)
    repeat_effect: float = Field(ge=0, le=1)
    escalation_effect: float = Field(ge=0, le=1)


def _default_actions() -> dict[str, ActionEffect]:
    table = {
        "crisis_team_handoff": (60.0, 0.30, 0.60),
        "supervisor_escalation": (25.0, 0.35, 0.45),
        "suspension_review_restore": (6.0, 0.45, 0.35),
        "network_ticket_follow_up": (5.0, 0.30, 0.15),
        "bill_explanation_call": (4.0, 0.35, 0.15),
        "ticket_follow_up": (4.0, 0.35, 0.15),
        "care_call": (3.0, 0.25, 0.10),
    }
    return {
        action: ActionEffect(cost=cost, repeat_effect=repeat, escalation_effect=escalation)
        for action, (cost, repeat, escalation) in table.items()
    }


class TeamCapacity(BaseModel):
    """Cases each team can take per planning day."""

    model_config = ConfigDict(extra="forbid")

    agents: int = Field(200, ge=0, description="Call-backs by front-line agents.")
    supervisors: int = Field(20, ge=0, description="Escalations taken by shift supervisors.")
    crisis_team: int = Field(5, ge=0, description="Social-media cases for the crisis team.")

    def of(self, team: str) -> int:
        """Capacity of one team."""
        return int(getattr(self, team))

    @property
    def total(self) -> int:
        """Cases of all teams together."""
        return self.agents + self.supervisors + self.crisis_team

    @classmethod
    def split(cls, total: int, supervisors_share: float = 0.1, crisis_share: float = 0.02):
        """Split a total capacity over the teams (agents get the remainder)."""
        crisis = int(round(total * crisis_share))
        supervisors = int(round(total * supervisors_share))
        return cls(
            agents=max(total - crisis - supervisors, 0),
            supervisors=supervisors,
            crisis_team=crisis,
        )


class OutreachConfig(BaseModel):
    """How the outreach list is chosen.

    Attributes:
        capacity: Cases per team.
        actions: Cost and effect of every action code (keys of ``ACTION_LABELS``).
        repeat_value: Yuan saved by one avoided repeat contact (handling cost, churn risk).
        escalation_value: Yuan saved by one avoided escalation (regulator case, brand damage).
        min_net_value: Customers are eligible only when the expected net value of their action
            exceeds this; ``None`` fills the capacity whatever the value (used by backtests, so
            every policy contacts the same number of customers).
        lend_unused_capacity: Unused crisis-team capacity takes supervisor cases, unused
            supervisor (and still unused crisis) capacity takes agent cases.
        holdout_share: Share of eligible customers held out as a control group, never contacted.
        holdout_seed: Seed of the holdout draw (a keyed hash of the customer id: a customer's
            holdout membership does not depend on who else is scored).
    """

    model_config = ConfigDict(extra="forbid")

    capacity: TeamCapacity = Field(default_factory=TeamCapacity)
    actions: dict[str, ActionEffect] = Field(default_factory=_default_actions)
    repeat_value: float = Field(40.0, ge=0)
    escalation_value: float = Field(400.0, ge=0)
    min_net_value: float | None = 0.0
    lend_unused_capacity: bool = True
    holdout_share: float = Field(0.1, ge=0, lt=1)
    holdout_seed: int = Field(20261101, ge=0, lt=10**9)

    @model_validator(mode="after")
    def _every_action(self) -> OutreachConfig:
        missing = sorted(set(ACTION_LABELS) - set(self.actions))
        unknown = sorted(set(self.actions) - set(ACTION_LABELS))
        if missing or unknown:
            raise ValueError(
                f"actions must cover exactly the action codes; missing {missing}, unknown {unknown}"
            )
        return self


ACTION_CODES: tuple[str, ...] = tuple(ACTION_LABELS)
TEAM_OF_ACTION: dict[str, str] = dict(TEAMS)
