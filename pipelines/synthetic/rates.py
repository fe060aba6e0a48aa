"""The causal core: the state at a month end fixes every intensity of the next regime.

All rates are expected events per 30 days. Inbound non-regulator contacts are a sum of driver
components (one category mix each) spread over channels by the customer's channel mix; regulator
contacts have their own rate; each non-regulator contact is flagged ``escalated`` with a
probability fixed by the state. Two within-month shocks (a regional outage, an arrears
suspension) add a burst of contacts and posts over the days after their start; whether they
happen is random, but their probabilities and burst sizes are fixed by the state too.
"""

from __future__ import annotations

import numpy as np

from pipelines.synthetic.config import WorldConfig
from pipelines.synthetic.contact_rates import (
    capped_ticket_age,
    channel_mix,
    flag_probability,
    grievance_categories,
    inbound_components,
    outbound_rates,
    regulator_rate,
)
from pipelines.synthetic.post_rates import brand_post_rate, virality
from pipelines.synthetic.regime_rates import RegimeRates
from pipelines.synthetic.shock_rates import outage_probability, suspension_odds
from pipelines.synthetic.state import CustomerState
from pipelines.synthetic.static_context import StaticContext


def compute_rates(ctx: StaticContext, state: CustomerState, config: WorldConfig) -> RegimeRates:
    """Every intensity of the regime that starts at the state's month end."""
    pop = ctx.population
    c = config.contacts
    s = config.social
    n = pop.size
    alive = ~state.closed
    root = ctx.root_propensity
    anger = state.anger
    volume = (1.0 + c.anger_volume * anger) * alive
    open_age = capped_ticket_age(state) * state.ticket_open

    comps = inbound_components(ctx, state, c, volume)
    mix = channel_mix(ctx, anger, c)
    ticket_category, grievance = grievance_categories(state)
    suspension = suspension_odds(ctx, state, alive, config)
    tiny_shock = suspension.tiny_shock
    reach = virality(ctx, state, tiny_shock, config)

    return _compact(
        RegimeRates(
            components=comps.astype(np.float32),
            mix=mix.astype(np.float32),
            attributed=ctx.attributed,
            flag=flag_probability(pop, state, open_age, c),
            regulator=regulator_rate(pop, state, open_age, alive, c),
            anger=anger.copy(),
            ticket_category=ticket_category,
            grievance_category=grievance,
            p_outage=outage_probability(ctx, alive, config),
            outage_extra=c.outage_shock_contacts * root * volume,
            outage_posts=s.outage_shock_posts * pop.social * alive,
            pay_prob=suspension.pay_prob,
            suspend_if_unpaid=suspension.suspend_if_unpaid,
            p_suspension=suspension.p_suspension,
            suspension_extra=c.suspension_shock_contacts
            * (1.0 + c.tiny_shock_multiplier * tiny_shock)
            * volume,
            suspension_regulator=(
                c.regulator_suspension_shock + c.regulator_tiny_shock * tiny_shock
            )
            * alive,
            suspension_posts=s.suspension_shock_posts
            * pop.social
            * (1.0 + s.tiny_shock_post_multiplier * tiny_shock)
            * alive,
            tiny_shock=tiny_shock,
            posts=brand_post_rate(ctx, state, alive, config),
            viral=reach.viral,
            viral_suspension=reach.viral_suspension,
            post_mu=reach.post_mu,
            outbound=outbound_rates(state, alive, c).astype(np.float32),
            ticket_age=open_age,
            tiny_memory=state.tiny_memory.copy(),
            bill_due=state.bill_due.copy(),
            last_arrears=state.last_arrears.copy(),
            outage_start=np.full(n, -1, dtype=np.int16),
            suspension_start=np.full(n, -1, dtype=np.int16),
        )
    )


def _compact(rates: RegimeRates) -> RegimeRates:
    """Store every float array as float32 (the oracle and the generator share these values)."""
    for name, value in vars(rates).items():
        if isinstance(value, np.ndarray) and value.dtype == np.float64:
            setattr(rates, name, value.astype(np.float32))
    return rates
