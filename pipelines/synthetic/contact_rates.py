"""Rate models of contacts: inbound drivers, channels, escalation flags, regulator, outbound."""

from __future__ import annotations

import numpy as np

from pipelines.synthetic.config_behaviour import ContactParams
from pipelines.synthetic.contact_drivers import CAT, COMPONENTS
from pipelines.synthetic.population import Population
from pipelines.synthetic.rng import sigmoid
from pipelines.synthetic.state import CustomerState
from pipelines.synthetic.static_context import StaticContext


def capped_ticket_age(state: CustomerState) -> np.ndarray:
    """Months the latest ticket has been open, capped at 3 (as float64)."""
    return np.minimum(state.ticket_age, 3).astype(np.float64)


def inbound_components(
    ctx: StaticContext, state: CustomerState, params: ContactParams, volume: np.ndarray
) -> np.ndarray:
    """Inbound non-regulator contacts per 30 days by driver.

    Args:
        ctx: Static inputs of the rate model.
        state: Customer state at the month end.
        params: Contact parameters.
        volume: Per customer, the anger volume factor (zero for closed lines).

    Returns:
        ``(n, K)`` float64 rates, one column per driver of ``COMPONENTS``.
    """
    pop = ctx.population
    c = params
    prop = pop.propensity
    root = ctx.root_propensity
    age = capped_ticket_age(state)
    comps = np.empty((pop.size, len(COMPONENTS)), dtype=np.float64)
    comps[:, 0] = c.base_rate * prop * (1.0 + 0.1 * pop.vip)
    overage = np.clip(state.overage_rel - c.shock_threshold, 0.0, 3.0)
    roaming = np.clip(state.roaming_rel - c.shock_threshold, 0.0, 3.0)
    comps[:, 1] = c.overage_rate * overage * root
    comps[:, 2] = c.vas_rate * state.vas_new * root
    comps[:, 3] = c.roaming_rate * roaming * root
    comps[:, 4] = c.suspended_rate * state.suspended
    comps[:, 5] = (
        c.after_suspension_rate
        * state.suspended_in_month
        * (1.0 + c.tiny_multiplier * state.tiny_in_month)
    )
    comps[:, 6] = (
        c.outage_lag_rate * np.log1p(state.outage_minutes / 30.0)
        + c.coverage_rate * pop.bad_coverage
    ) * root
    comps[:, 7] = (
        c.unresolved_rate * state.ticket_open * (1.0 + c.unresolved_age_slope * age)
        + c.fragile_rate * state.ticket_fragile
    ) * ctx.ticket_propensity
    comps[:, 8] = (
        c.contagion_rate * np.minimum(state.neighbours_complained, c.contagion_cap)
        + c.follow_viral_rate * state.follows_viral
    ) * root
    comps[:, 9] = c.churn_rate * state.churn
    comps *= volume[:, None]
    return comps


def channel_mix(ctx: StaticContext, anger: np.ndarray, params: ContactParams) -> np.ndarray:
    """``(n, 7)`` channel shares: the preference, flattened towards every channel by anger."""
    spread = (params.anger_flattening * anger)[:, None]
    return ctx.channel_mix + spread * (ctx.channel_spread - ctx.channel_mix)


def flag_probability(
    pop: Population, state: CustomerState, open_age: np.ndarray, params: ContactParams
) -> np.ndarray:
    """Probability that a non-regulator inbound contact is flagged escalated."""
    c = params
    return sigmoid(
        c.flag_intercept
        + c.flag_anger * state.anger
        + c.flag_ticket_age * open_age
        + c.flag_threat * state.threat
        + c.flag_vip * pop.vip
        + c.flag_tiny * state.tiny_memory
    )


def regulator_rate(
    pop: Population,
    state: CustomerState,
    open_age: np.ndarray,
    alive: np.ndarray,
    params: ContactParams,
) -> np.ndarray:
    """Regulator-channel contacts per 30 days."""
    c = params
    return (
        c.regulator_base
        * np.exp(c.regulator_anger * (state.anger - 0.2))
        * (1.0 + c.regulator_tiny * state.tiny_memory)
        * (1.0 + c.regulator_unresolved * open_age)
        * (1.0 + c.regulator_threat * state.threat)
        * (1.0 + c.regulator_vip * pop.vip)
        * alive
    )


def grievance_categories(state: CustomerState) -> tuple[np.ndarray, np.ndarray]:
    """The open or fragile ticket's category (``-1`` if none) and the most pressing grievance.

    Args:
        state: Customer state at the month end.

    Returns:
        ``(ticket_category, grievance_category)`` as int8 category codes.
    """
    grievance = np.full(len(state.ticket_category), CAT["billing"], dtype=np.int8)
    grievance[state.tiny_memory > 0.2] = CAT["suspension"]
    grievance[state.suspended] = CAT["suspension"]
    has_ticket = state.ticket_open | state.ticket_fragile
    grievance[has_ticket] = state.ticket_category[has_ticket]
    ticket_category = np.where(has_ticket, state.ticket_category, -1).astype(np.int8)
    return ticket_category, grievance


def outbound_rates(state: CustomerState, alive: np.ndarray, params: ContactParams) -> np.ndarray:
    """``(n, 4)`` operator-initiated contacts per 30 days by reason (``OUTBOUND_COMPONENTS``)."""
    c = params
    n = len(alive)
    return (
        np.stack(
            [
                c.outbound_followup_rate * state.ticket_open,
                c.outbound_collection_rate * ((state.bill_overdue > 0) | state.suspended),
                c.outbound_outage_rate * (state.outage_minutes > 0),
                np.full(n, c.outbound_marketing_rate),
            ],
            axis=1,
        )
        * alive[:, None]
    )
