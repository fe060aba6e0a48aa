"""What follows contacts and churn intent: refunds, service changes, port-out requests."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipelines.synthetic.calendar import Calendar
from pipelines.synthetic.config import WorldConfig
from pipelines.synthetic.contact_batch import ContactBatch
from pipelines.synthetic.contact_drivers import CAT
from pipelines.synthetic.events import EventBatch, at_offset
from pipelines.synthetic.regime_rates import RegimeRates
from pipelines.synthetic.rng import sigmoid
from pipelines.synthetic.state import CustomerState
from pipelines.synthetic.tickets import TicketGroups

FEE_FLOOR, FEE_CAP = 9.0, 599.0


def port_out_requests(
    state: CustomerState,
    rates: RegimeRates,
    config: WorldConfig,
    calendar: Calendar,
    t: int,
    rng: np.random.Generator,
) -> tuple[np.ndarray, EventBatch]:
    """Who asks to port out in month ``t`` (their line closes at the month end)."""
    c = config.contacts
    n = len(state.closed)
    u, u_day = rng.random(n), rng.random(n)
    p = sigmoid(
        c.port_out_intercept
        + c.port_out_churn * state.churn
        + c.port_out_anger * rates.anger
        + c.port_out_suspended * state.suspended
    )
    leaving = ~state.closed & (u < p)
    who = np.flatnonzero(leaving)
    days = calendar.length(t)
    ts = at_offset(calendar.month_starts[t], u_day[who] * days, days)
    return leaving, EventBatch.of("port_out_request", who, ts)


@dataclass
class Aftermath:
    """Refunds per customer (for the bill adjustment) and the events."""

    refunds: np.ndarray
    events: EventBatch


def contact_aftermath(
    state: CustomerState,
    batch: ContactBatch,
    groups: TicketGroups,
    keep: np.ndarray,
    config: WorldConfig,
    calendar: Calendar,
    t: int,
    rng: np.random.Generator,
) -> Aftermath:
    """Refunds, VAS cancellations and plan changes after resolved tickets, plus random plan
    changes (updates ``state.fee`` and ``state.vas_fee`` in place)."""
    b = config.billing
    n = len(state.fee)
    days = calendar.length(t)
    start = calendar.month_starts[t]
    u_plan, u_plan_day, u_factor = rng.random(n), rng.random(n), rng.random(n)
    n_groups = len(groups.customer)
    u_refund, u_change, u_size, u_delay = (rng.random(n_groups) for _ in range(4))

    resolved_pos = np.flatnonzero(batch.resolved & (groups.contact_group >= 0))
    first = np.full(n_groups, len(batch), dtype=np.int64)
    np.minimum.at(first, groups.contact_group[resolved_pos], resolved_pos)
    has = first < len(batch)
    has[has] &= keep[first[has]]
    g = np.flatnonzero(has)
    pos = first[g]
    cust = groups.customer[g]
    cat = groups.category[g]
    delay = (5 + 50 * u_delay[g]).astype("timedelta64[m]")
    month_last = start.astype("datetime64[s]") + np.timedelta64(days * 86400 - 1, "s")
    ts = np.minimum(batch.ts[pos] + delay, month_last)

    base_fee = np.maximum(state.fee[cust], 20.0)
    disputed = np.select(
        [cat == CAT["billing"], cat == CAT["roaming"], cat == CAT["vas"]],
        [
            state.overage_rel[cust] * base_fee,
            state.roaming_rel[cust] * base_fee,
            state.vas_fee[cust],
        ],
        0.0,
    )
    amount = np.round(np.maximum(disputed * (0.3 + 0.7 * u_size[g]), 5.0), 2)
    refund = np.isin(cat, [CAT["billing"], CAT["roaming"], CAT["vas"]]) & (
        u_refund[g] < b.refund_prob
    )
    refunds = np.bincount(cust[refund], weights=amount[refund], minlength=n)

    cancel = (cat == CAT["vas"]) & (state.vas_fee[cust] > 0)
    state.vas_fee[cust[cancel]] = 0.0
    change = (cat == CAT["plan"]) & (u_change[g] < b.plan_change_after_complaint_prob)
    random_change = ~state.closed & (u_plan < b.plan_change_prob)
    factor = np.where(u_factor < 0.5, 0.8, 1.25)
    change_cust = np.unique(np.r_[cust[change], np.flatnonzero(random_change)])
    state.fee[change_cust] = np.clip(
        np.round(state.fee[change_cust] * factor[change_cust]), FEE_FLOOR, FEE_CAP
    )
    plan_ts = np.full(n, np.datetime64("NaT"), dtype="datetime64[s]")
    plan_ts[np.flatnonzero(random_change)] = at_offset(
        start, u_plan_day[random_change] * days, days
    )
    plan_ts[cust[change]] = ts[change]

    events = EventBatch.concat(
        [
            EventBatch.of("refund", cust[refund], ts[refund], amount[refund]),
            EventBatch.of("vas_unsubscribe", cust[cancel], ts[cancel]),
            EventBatch.of("plan_change", change_cust, plan_ts[change_cust], state.fee[change_cust]),
        ]
    )
    return Aftermath(refunds=refunds, events=events)
