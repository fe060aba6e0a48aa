"""Payments, arrears suspensions, monthly charges and bills.

Direct-debit (autopay) payments show only in the bills' ``amount_paid``; ``payment`` events are
the payments a customer makes (app, counter, top-up), including those that lift a suspension.

The bill issued at the end of month ``t - 1`` is paid (or not) during month ``t``. An unpaid bill
can trigger a suspension on one of the allowed start days with the probability the regime fixed
at ``T_{t-1}`` (prepaid and broadband bundles for any amount, postpaid once overdue passes the
VIP credit limit). A suspended line resumes after payment. The bill of month ``t`` carries the
unpaid amount as ``overdue_amount``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipelines.synthetic.calendar import Calendar
from pipelines.synthetic.config import WorldConfig
from pipelines.synthetic.events import EventBatch, at_offset
from pipelines.synthetic.ids import take_ids
from pipelines.synthetic.population import PLAN_TYPES, Population
from pipelines.synthetic.regime_rates import RegimeRates
from pipelines.synthetic.state import CustomerState


@dataclass
class Settlement:
    """Payment and suspension outcomes of one month."""

    paid: np.ndarray
    arrears: np.ndarray
    suspended_end: np.ndarray
    suspended_in_month: np.ndarray
    tiny_in_month: np.ndarray
    suspended_days: np.ndarray
    events: EventBatch


def settle_month(
    state: CustomerState,
    population: Population,
    rates: RegimeRates,
    config: WorldConfig,
    calendar: Calendar,
    t: int,
    rng: np.random.Generator,
) -> Settlement:
    """Payments, suspensions and resumes of month ``t`` (sets ``rates.suspension_start``)."""
    b = config.billing
    n = len(state.bill_due)
    days = calendar.length(t)
    start = calendar.month_starts[t]
    u_pay, u_susp, u_day, u_resume, u_gap, u_old = (rng.random(n) for _ in range(6))
    u_old_day = rng.random(n)
    alive = ~state.closed
    due = state.bill_due
    regular = alive & ~state.suspended & (due > 0)
    pay_day = np.where(population.autopay, 2.0, np.floor(u_day * 25))
    pays = regular & (u_pay < rates.pay_prob)
    suspend = regular & ~pays & (u_susp < rates.suspend_if_unpaid)

    first, last = b.suspension_start_days
    start_offset = first + np.minimum((u_day * (last - first + 1)).astype(int), last - first)
    rates.suspension_start[:] = np.where(suspend, start_offset, -1)
    resumes = suspend & (u_resume < b.resume_same_month_prob)
    resume_day = start_offset + 0.2 + 3.8 * u_gap
    old = alive & state.suspended
    old_resumes = old & (u_old < b.resume_next_month_prob)
    old_resume_day = 10.0 * u_old_day

    pay_at = np.where(pays, pay_day + u_gap, np.where(resumes, resume_day, old_resume_day))
    payers = pays | resumes | old_resumes
    logged = payers & ~(pays & population.autopay)
    pay_ts = at_offset(start, pay_at[logged], days)
    susp_ts = at_offset(start, start_offset[suspend] + (0.5 + 5.5 * u_gap[suspend]) / 24, days)
    events = [
        EventBatch.of("payment", np.flatnonzero(logged), pay_ts, due[logged]),
        EventBatch.of("suspension_arrears", np.flatnonzero(suspend), susp_ts, due[suspend]),
    ]
    back = resumes | old_resumes
    resume_ts = at_offset(start, pay_at[back] + 60 / 86400, days)
    events.append(EventBatch.of("resume", np.flatnonzero(back), resume_ts))

    suspended_days = np.zeros(n)
    suspended_days[old] = np.where(old_resumes[old], old_resume_day[old], days)
    new_end = np.where(resumes, np.minimum(resume_day, days), days)
    suspended_days[suspend] = (new_end - start_offset)[suspend]
    return Settlement(
        paid=np.where(payers, due, 0.0),
        arrears=np.where(suspend, due, 0.0),
        suspended_end=(suspend & ~resumes) | (old & ~old_resumes),
        suspended_in_month=suspend,
        tiny_in_month=suspend & (due < b.tiny_arrears_threshold),
        suspended_days=np.clip(suspended_days, 0, days),
        events=EventBatch.concat(events),
    )


@dataclass
class Charges:
    """Charges of one month."""

    data_overage: np.ndarray
    voice_overage: np.ndarray
    vas: np.ndarray
    roaming: np.ndarray
    vas_new: np.ndarray
    events: EventBatch


def month_charges(
    state: CustomerState,
    population: Population,
    usage_data_gb: np.ndarray,
    usage_voice: np.ndarray,
    config: WorldConfig,
    calendar: Calendar,
    t: int,
    rng: np.random.Generator,
) -> Charges:
    """Overage, value-added-service and roaming charges of month ``t`` (updates VAS state)."""
    b = config.billing
    p = config.population
    n = population.size
    days = calendar.length(t)
    start = calendar.month_starts[t]
    u_vas, u_unsub, u_roam, u_tiny, u_when = (rng.random(n) for _ in range(5))
    vas_pick = rng.integers(0, len(b.vas_fees), size=n)
    tiny_pick = rng.integers(0, len(b.tiny_charges), size=n)
    roam_fee = np.exp(np.log(b.roaming_mean_fee) - 0.32 + 0.8 * rng.normal(size=n))
    alive = ~state.closed

    allowance = np.array([p.data_allowance_gb.get(k, 0.0) for k in PLAN_TYPES])[population.plan]
    voice_allow = np.array([p.voice_allowance_min.get(k, 0.0) for k in PLAN_TYPES])[population.plan]
    data_over = np.round(np.maximum(usage_data_gb - allowance, 0) * b.data_price_per_gb, 2)
    voice_over = np.round(np.maximum(usage_voice - voice_allow, 0) * b.voice_price_per_min, 2)
    tiny = alive & population.annual_prepaid & (u_tiny < b.tiny_charge_prob)
    voice_over = voice_over + np.where(tiny, np.asarray(b.tiny_charges)[tiny_pick], 0.0)

    had_vas = state.vas_fee > 0
    subscribe = alive & ~had_vas & (u_vas < b.vas_new_prob)
    unsubscribe = alive & had_vas & (u_unsub < b.vas_unsubscribe_prob)
    state.vas_fee = np.where(subscribe, np.asarray(b.vas_fees)[vas_pick], state.vas_fee)
    state.vas_fee = np.where(unsubscribe, 0.0, state.vas_fee)
    roaming = np.where(
        alive & (u_roam < b.roaming_prob * (1 + 0.5 * population.vip)), np.round(roam_fee, 2), 0.0
    )
    when = u_when * days
    events = EventBatch.concat(
        [
            EventBatch.of(
                "vas_subscribe",
                np.flatnonzero(subscribe),
                at_offset(start, when[subscribe], days),
                state.vas_fee[subscribe],
            ),
            EventBatch.of(
                "vas_unsubscribe",
                np.flatnonzero(unsubscribe),
                at_offset(start, when[unsubscribe], days),
            ),
        ]
    )
    return Charges(
        data_overage=np.where(alive, data_over, 0.0),
        voice_overage=np.where(alive, voice_over, 0.0),
        vas=np.where(alive, state.vas_fee, 0.0),
        roaming=roaming,
        vas_new=subscribe,
        events=events,
    )


def issue_bill(
    state: CustomerState,
    population: Population,
    charges: Charges,
    settlement: Settlement,
    refunds: np.ndarray,
    billed: np.ndarray,
    calendar: Calendar,
    t: int,
    output: bool,
) -> dict[str, np.ndarray] | None:
    """Issue the bill of month ``t`` at its last day and move the billing state (in place).

    Args:
        state: State being moved to the end of month ``t``.
        population: The customers.
        charges: The month's charges.
        settlement: The month's payments.
        refunds: Refunds granted during the month (yuan, >= 0).
        billed: Customers who get a bill this month (line open at the month's start).
        calendar: Month layout.
        t: Month index.
        output: Whether to build the contract rows.

    Returns:
        The month's ``bills`` columns when ``output``.
    """
    fee_part = np.where(population.annual_prepaid, 0.0, state.fee)
    overdue = np.round(np.maximum(state.bill_due - settlement.paid, 0.0), 2)
    adjustment = -np.round(refunds, 2)
    new = fee_part + charges.data_overage + charges.voice_overage + charges.vas + charges.roaming
    new = np.maximum(new + adjustment, 0.0)
    amount_due = np.round(new + overdue, 2)
    base_fee = np.maximum(state.fee, 20.0)
    state.overage_rel = np.where(
        billed, (charges.data_overage + charges.voice_overage) / base_fee, 0.0
    )
    state.roaming_rel = np.where(billed, charges.roaming / base_fee, 0.0)
    state.vas_new = charges.vas_new & billed
    state.bill_overdue = np.where(billed, overdue, 0.0)
    state.bill_due = np.where(billed, amount_due, 0.0)
    if not output:
        return None
    rows = np.flatnonzero(billed)
    issued = calendar.month_starts[t + 1].astype("datetime64[s]") - np.timedelta64(1, "s")
    return {
        "customer_id": take_ids(population.ids, rows),
        "bill_month": np.full(len(rows), calendar.month_starts[t], dtype="datetime64[ns]"),
        "issued_at": np.full(len(rows), issued, dtype="datetime64[ns]"),
        "amount_due": amount_due[rows],
        "amount_paid": np.round(settlement.paid[rows], 2),
        "overdue_amount": overdue[rows],
        "data_overage_fee": charges.data_overage[rows],
        "voice_overage_fee": np.round(charges.voice_overage[rows], 2),
        "vas_fee": charges.vas[rows],
        "roaming_fee": charges.roaming[rows],
        "adjustment_amount": adjustment[rows] + 0.0,
    }
