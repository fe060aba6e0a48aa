"""Rate models of the two within-month shocks: an arrears suspension and a regional outage."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from pipelines.synthetic.config import WorldConfig
from pipelines.synthetic.state import CustomerState
from pipelines.synthetic.static_context import StaticContext


class SuspensionOdds(NamedTuple):
    """Payment and suspension probabilities of the bill issued at a month end.

    Attributes:
        pay_prob: Probability of paying the bill within the month.
        suspend_if_unpaid: Probability of a suspension when the bill stays unpaid.
        p_suspension: Probability of a within-month arrears suspension.
        tiny_shock: The would-be suspension is for tiny arrears.
    """

    pay_prob: np.ndarray
    suspend_if_unpaid: np.ndarray
    p_suspension: np.ndarray
    tiny_shock: np.ndarray


def suspension_odds(
    ctx: StaticContext, state: CustomerState, alive: np.ndarray, config: WorldConfig
) -> SuspensionOdds:
    """Whether the bill issued at the month end gets paid, and if not, whether the line is cut.

    Args:
        ctx: Static inputs of the rate model.
        state: Customer state at the month end.
        alive: Per customer, the line is not closed.
        config: World configuration.

    Returns:
        The payment and suspension probabilities.
    """
    pop = ctx.population
    b = config.billing
    strict_s = np.where(state.bill_due > 0, b.suspend_prob_strict, 0.0)
    limits = np.asarray(b.credit_limits)[pop.vip]
    post_s = np.where(state.bill_overdue > limits, b.suspend_prob_postpaid, 0.0)
    suspend_if_unpaid = np.where(pop.strict, strict_s, post_s)
    can_suspend = alive & ~state.suspended & (state.bill_due > 0)
    noticed = pop.annual_prepaid & (state.bill_due >= b.annual_prepaid_notice_amount)
    pay_prob = np.where(noticed, b.pay_prob_manual, pop.pay_prob)
    suspend_if_unpaid = np.where(can_suspend, suspend_if_unpaid, 0.0)
    p_suspension = (1.0 - pay_prob) * suspend_if_unpaid
    tiny_shock = state.bill_due < b.tiny_arrears_threshold
    return SuspensionOdds(pay_prob, suspend_if_unpaid, p_suspension, tiny_shock)


def outage_probability(ctx: StaticContext, alive: np.ndarray, config: WorldConfig) -> np.ndarray:
    """Probability that a within-month regional outage hits the customer."""
    pop = ctx.population
    return ctx.region_outage_prob[pop.region] * config.network.affected_share * alive
