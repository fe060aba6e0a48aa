"""Contacts of one month: Poisson counts from the regime rates, then marks.

A month's days are split into segments with constant intensities: the carried days (regime of two
month ends ago) and the month's own days (regime of the last month end, plus the bursts after an
outage or a suspension that hit the customer this month). Counts are drawn per customer by
inverse CDF; each contact then gets its driver (category), channel, time and marks. Treatment
thinning happens last, so a treated world keeps every contact before the treatment start.
"""

from __future__ import annotations

import numpy as np

from pipelines.synthetic.accounts import Accounts
from pipelines.synthetic.calendar import Calendar
from pipelines.synthetic.config import WorldConfig
from pipelines.synthetic.contact_batch import (
    OUTAGE_SOURCE,
    REGULATOR,
    REGULATOR_SOURCE,
    REGULATOR_SUSPENSION_SOURCE,
    SUSPENSION_SOURCE,
    ContactBatch,
    K,
)
from pipelines.synthetic.contact_drivers import CAT, COMPONENT_CATEGORIES, TICKET_COMPONENT
from pipelines.synthetic.contact_marks import contact_marks, noise_contacts
from pipelines.synthetic.month_segments import Segment, random_times, shock_burst
from pipelines.synthetic.regime_rates import RegimeRates
from pipelines.synthetic.rng import Stream, categorical, poisson_from_uniform, stream
from pipelines.synthetic.treatment import TreatmentPlan


def _segment_inbound(
    segment: Segment,
    calendar: Calendar,
    bursts: tuple[int, int],
    counts_rng: np.random.Generator,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    r = segment.regime
    n = len(r.flag)
    days = segment.end - segment.first
    out_on, out_lo = shock_burst(r.outage_start, segment)
    susp_on, susp_lo = shock_burst(r.suspension_start, segment)
    weights = np.empty((n, K + 2))
    weights[:, :K] = r.components * (days / 30.0)
    weights[:, OUTAGE_SOURCE] = r.outage_extra * out_on
    weights[:, SUSPENSION_SOURCE] = r.suspension_extra * susp_on
    reg_weights = np.stack([r.regulator * days / 30.0, r.suspension_regulator * susp_on], axis=1)
    u_nonreg = counts_rng.random(n)
    u_reg = counts_rng.random(n)
    if days <= 0:
        return _empty_inbound()
    n_nonreg = poisson_from_uniform(u_nonreg, weights.sum(axis=1))
    n_reg = poisson_from_uniform(u_reg, reg_weights.sum(axis=1))

    cust = np.repeat(np.arange(n), n_nonreg)
    source = categorical(rng, weights[cust])
    channel = categorical(rng, r.mix[cust]).astype(np.int8)
    reg_cust = np.repeat(np.arange(n), n_reg)
    reg_source = np.where(
        categorical(rng, reg_weights[reg_cust]) == 0, REGULATOR_SOURCE, REGULATOR_SUSPENSION_SOURCE
    )

    cust = np.concatenate([cust, reg_cust])
    source = np.concatenate([source, reg_source]).astype(np.int16)
    channel = np.concatenate([channel, np.full(len(reg_cust), REGULATOR, np.int8)])
    lo = np.full(len(cust), segment.first, dtype=np.int64)
    hi = np.full(len(cust), segment.end, dtype=np.int64)
    outage_driven = source == OUTAGE_SOURCE
    lo = np.where(outage_driven, out_lo[cust], lo)
    hi = np.where(outage_driven, lo + bursts[0], hi)
    suspension_driven = (source == SUSPENSION_SOURCE) | (source == REGULATOR_SUSPENSION_SOURCE)
    lo = np.where(suspension_driven, susp_lo[cust], lo)
    hi = np.where(suspension_driven, lo + bursts[1], hi)
    ts = random_times(rng, calendar.month_starts[segment.month], lo, hi)

    category = _categories(rng, r, cust, source)
    old_arrears = (category == CAT["suspension"]) & ~suspension_driven
    old_arrears &= r.last_arrears[cust] > 0
    amount = np.where(old_arrears, r.last_arrears[cust], r.bill_due[cust])
    anger = r.anger[cust] + 0.25 * suspension_driven * r.tiny_shock[cust]
    return {
        "customer": cust,
        "ts": ts,
        "channel": channel,
        "category": category,
        "source": source,
        "flag_prob": np.where(channel == REGULATOR, 1.0, r.flag[cust]),
        "anger": np.clip(anger, 0.0, 1.0).astype(np.float32),
        "tiny": (r.tiny_memory[cust] > 0.2) | (suspension_driven & r.tiny_shock[cust]),
        "ticket_age": r.ticket_age[cust],
        "amount": amount,
    }


def _empty_inbound() -> dict[str, np.ndarray]:
    return {
        "customer": np.empty(0, np.int64),
        "ts": np.empty(0, "datetime64[s]"),
        "channel": np.empty(0, np.int8),
        "category": np.empty(0, np.int8),
        "source": np.empty(0, np.int16),
        "flag_prob": np.empty(0),
        "anger": np.empty(0, np.float32),
        "tiny": np.empty(0, bool),
        "ticket_age": np.empty(0),
        "amount": np.empty(0),
    }


def _categories(
    rng: np.random.Generator, r: RegimeRates, cust: np.ndarray, source: np.ndarray
) -> np.ndarray:
    category = np.full(len(cust), CAT["inquiry"], dtype=np.int8)
    driver = source < K
    if driver.any():
        rows = COMPONENT_CATEGORIES[source[driver]]
        category[driver] = categorical(rng, rows)
    ticket = source == TICKET_COMPONENT
    category[ticket] = r.ticket_category[cust[ticket]]
    category[source == OUTAGE_SOURCE] = CAT["network"]
    category[source == SUSPENSION_SOURCE] = CAT["suspension"]
    category[source == REGULATOR_SOURCE] = r.grievance_category[cust[source == REGULATOR_SOURCE]]
    category[source == REGULATOR_SUSPENSION_SOURCE] = CAT["suspension"]
    return category


def _outbound(
    segment: Segment, calendar: Calendar, counts_rng: np.random.Generator, rng
) -> dict[str, np.ndarray]:
    r = segment.regime
    n = len(r.flag)
    days = calendar.length(segment.month)
    u = counts_rng.random(n)
    weights = r.outbound * days / 30.0
    counts = poisson_from_uniform(u, weights.sum(axis=1))
    cust = np.repeat(np.arange(n), counts)
    reason = categorical(rng, weights[cust])
    category = np.array(
        [CAT["inquiry"], CAT["billing"], CAT["network"], CAT["plan"]], dtype=np.int8
    )[reason]
    followup = (reason == 0) & (r.ticket_category[cust] >= 0)
    category[followup] = r.ticket_category[cust[followup]]
    channel = np.where(rng.random(len(cust)) < 0.85, 0, 1).astype(np.int8)
    ts = random_times(
        rng,
        calendar.month_starts[segment.month],
        np.zeros(len(cust), np.int64),
        np.full(len(cust), days),
    )
    return {
        "customer": cust,
        "ts": ts,
        "channel": channel,
        "category": category,
        "anger": r.anger[cust].astype(np.float32),
        "amount": r.bill_due[cust],
    }


def month_contacts(
    config: WorldConfig,
    calendar: Calendar,
    t: int,
    segments: list[Segment],
    accounts: Accounts,
    weibo_account: np.ndarray,
    wechat_account: np.ndarray,
    noise_weibo_accounts: np.ndarray,
) -> ContactBatch:
    """All contacts of month ``t`` before ticket assignment and treatment thinning.

    Args:
        config: World configuration.
        calendar: Month layout.
        t: Month index.
        segments: The month's segments (carried days first, then the month's own days).
        accounts: Social accounts.
        weibo_account: Per customer, their Weibo account position (``-1`` if none).
        wechat_account: Per customer, their WeChat account position (``-1`` if none).
        noise_weibo_accounts: Weibo accounts of non-customers (for unattributable contacts).

    Returns:
        The month's contacts sorted by time.
    """
    seed = config.seed
    counts_rng = stream(seed, t, Stream.CONTACT_COUNTS)
    rng = stream(seed, t, Stream.CONTACT_MARKS)
    bursts = (config.network.outage_burst_days, config.billing.suspension_burst_days)
    parts = [_segment_inbound(segment, calendar, bursts, counts_rng, rng) for segment in segments]
    inbound = {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}
    own = next(s for s in segments if not s.carried)
    outbound = _outbound(own, calendar, stream(seed, t, Stream.OUTBOUND), rng)
    batch = contact_marks(
        rng, config.contacts, inbound, outbound, accounts, weibo_account, wechat_account
    )
    noise = noise_contacts(
        stream(seed, t, Stream.NOISE_CONTACTS),
        config.contacts,
        calendar,
        t,
        len(weibo_account),
        noise_weibo_accounts,
    )
    batch = ContactBatch.concat([batch, noise])
    order = np.lexsort((batch.channel, batch.customer, batch.ts))
    return batch.take(order)


def treatment_keep(
    batch: ContactBatch, plan: TreatmentPlan, rng: np.random.Generator
) -> np.ndarray:
    """Mask of contacts that survive treatment thinning (one uniform per contact).

    A treated customer's inbound contact on or after the start is dropped with probability
    ``plan.effect``, scaled by the share its cause allows when the plan has one per source
    (outreach removes a suspension's or an open ticket's cause, not an outage's).
    """
    u = rng.random(len(batch))
    if plan.effect <= 0:
        return np.ones(len(batch), dtype=bool)
    treated = (batch.customer >= 0) & plan.treated[np.maximum(batch.customer, 0)]
    hit = treated & batch.inbound & (batch.ts >= plan.start.astype("datetime64[s]"))
    if plan.by_source is None:
        return ~(hit & (u < plan.effect))
    drop = np.zeros(len(batch), dtype=bool)
    rows = np.flatnonzero(hit)
    drop[rows] = u[rows] < plan.contact_effect(batch.source[rows])
    return ~drop
