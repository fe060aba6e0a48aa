"""Outreach lists of a given size from each policy: the model's plan and the baseline rankings.

Every policy leaves out the same seeded holdout, so lists are compared on the same customers,
and each list comes with its control group: holdout customers the policy would have picked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from features.early_warning import rule_score
from outreach.config import OutreachConfig, TeamCapacity
from outreach.policy import HOLDOUT, OUTREACH, holdout_mask, plan_outreach

Policy = Literal["model", "oracle", "rule", "most_contacts", "random"]
SCORED_POLICIES: tuple[Policy, ...] = ("model", "oracle")
BASELINE_POLICIES: tuple[Policy, ...] = ("rule", "most_contacts", "random")
POLICY_LABELS: dict[str, str] = {
    "model": "model policy",
    "oracle": "oracle policy (true probabilities; ceiling)",
    "rule": "early-warning rule (escalation mention or 3+ channels, then most contacts)",
    "most_contacts": "most contacts in the last 30 days",
    "random": "random",
}


class ListConfig(BaseModel):
    """How a total capacity becomes a list, for every policy alike.

    Attributes:
        outreach: Policy settings of the scored policies (capacity is replaced by the split of
            the total; ``min_net_value`` is ignored so every policy fills the capacity) and the
            holdout shared by all policies.
        supervisors_share: Share of the total capacity given to supervisors.
        crisis_share: Share of the total capacity given to the crisis team.
        seed: Seed of the random policy and of tie-breaking in the baselines.
    """

    model_config = ConfigDict(extra="forbid")

    outreach: OutreachConfig = Field(default_factory=OutreachConfig)
    supervisors_share: float = Field(0.1, ge=0, le=1)
    crisis_share: float = Field(0.02, ge=0, le=1)
    seed: int = Field(0, ge=0)


@dataclass(frozen=True)
class OutreachList:
    """Who a policy contacts and its control group."""

    contacted: pd.Index
    holdout: pd.Index


def baseline_priority(policy: str, frame: pd.DataFrame, seed: int = 0) -> np.ndarray:
    """Ranking key of a baseline policy (higher = contacted first), ties broken at random.

    Raises:
        ValueError: For an unknown baseline, or a frame without the columns the rule needs.
    """
    tiebreak = np.random.default_rng(seed).random(len(frame))
    if policy == "random":
        return tiebreak
    contacts = rule_score("repeat_contact", frame)
    if policy == "most_contacts":
        return contacts + 0.5 * tiebreak
    if policy == "rule":
        return rule_score("escalation", frame) * 1e6 + contacts + 0.5 * tiebreak
    raise ValueError(f"unknown baseline policy {policy!r}; choose from {BASELINE_POLICIES}")


def ranked_list(
    customer_ids: pd.Index, priority: np.ndarray, size: int, config: OutreachConfig
) -> OutreachList:
    """The ``size`` highest-priority customers outside the holdout, and their control group."""
    held = holdout_mask(customer_ids, config.holdout_share, config.holdout_seed)
    order = np.argsort(-np.asarray(priority, dtype=np.float64), kind="stable")
    free = order[~held[order]][:size]
    if free.size == size and size > 0:
        cutoff = priority[free[-1]]
    else:
        cutoff = np.inf if size == 0 else -np.inf
    control = np.flatnonzero(held & (priority >= cutoff))
    return OutreachList(customer_ids[free], customer_ids[control])


def plan_list(scores: pd.DataFrame, size: int, config: ListConfig) -> OutreachList:
    """The outreach plan for a total capacity of ``size``, filled whatever the net value."""
    capacity = TeamCapacity.split(size, config.supervisors_share, config.crisis_share)
    outreach = config.outreach.model_copy(update={"capacity": capacity, "min_net_value": None})
    plan = plan_outreach(scores, outreach)
    return OutreachList(plan.index[plan["group"] == OUTREACH], plan.index[plan["group"] == HOLDOUT])


def policy_list(
    policy: str,
    size: int,
    frame: pd.DataFrame,
    scores: dict[str, pd.DataFrame],
    config: ListConfig,
) -> OutreachList:
    """The list of one policy.

    Args:
        policy: ``model`` / ``oracle`` (plans on ``scores[policy]``) or a baseline.
        size: Total capacity (customers contacted).
        frame: Feature frame indexed by customer_id (baselines rank on it).
        scores: Scores of the scored policies, indexed like ``frame``.
        config: Capacity split, holdout and seeds.
    """
    if policy in SCORED_POLICIES:
        return plan_list(scores[policy].reindex(frame.index), size, config)
    priority = baseline_priority(policy, frame, config.seed)
    return ranked_list(frame.index, priority, size, config.outreach)


def capacity_size(share: float, base: int) -> int:
    """Customers contacted at a capacity given as a share of the base."""
    return int(round(share * base))
