"""Contacts of one month: Poisson counts from the regime rates, then marks.

A month's days are split into segments with constant intensities: the carried days (regime of two
month ends ago) and the month's own days (regime of the last month end, plus the bursts after an
outage or a suspension that hit the customer this month). Counts are drawn per customer by
inverse CDF; each contact then gets its driver (category), channel, time and marks. Treatment
thinning happens last, so a treated world keeps every contact before the treatment start.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from pipelines.synthetic.accounts import Accounts
from pipelines.synthetic.calendar import Calendar
from pipelines.synthetic.config import NON_REGULATOR_CHANNELS, ContactParams, WorldConfig
from pipelines.synthetic.oracle import TreatmentPlan
from pipelines.synthetic.rates import (
    CAT,
    COMPONENT_CATEGORIES,
    COMPONENTS,
    TICKET_COMPONENT,
    RegimeRates,
)
from pipelines.synthetic.rng import Stream, categorical, poisson_from_uniform, sigmoid, stream

CHANNELS = (*NON_REGULATOR_CHANNELS, "regulator")
REGULATOR = CHANNELS.index("regulator")
K = len(COMPONENTS)
OUTAGE_SOURCE = K
SUSPENSION_SOURCE = K + 1
REGULATOR_SOURCE = K + 2
REGULATOR_SUSPENSION_SOURCE = K + 3
OUTBOUND_SOURCE = K + 4
# fmt: off
HOURLY = np.array([0.2, 0.1, 0.05, 0.05, 0.05, 0.1, 0.3, 0.8, 1.5, 2.2, 2.4, 2.2,
                   1.8, 2.0, 2.2, 2.1, 2.0, 1.9, 1.8, 1.9, 2.0, 1.7, 1.2, 0.6])
# fmt: on
HANDLE_MEDIAN = np.array([240, 420, 600, 180, 360, 720, 300, 1500], dtype=np.float64)


@dataclass
class ContactBatch:
    """Contacts as column arrays (positions, codes) before ids and texts are attached."""

    customer: np.ndarray
    ts: np.ndarray
    channel: np.ndarray
    inbound: np.ndarray
    category: np.ndarray
    source: np.ndarray
    ticket: np.ndarray
    resolved: np.ndarray
    handle_seconds: np.ndarray
    transfers: np.ndarray
    csat: np.ndarray
    flagged: np.ndarray
    account: np.ndarray
    identified: np.ndarray
    has_text: np.ndarray
    intent: np.ndarray
    churn: np.ndarray
    anger: np.ndarray
    amount: np.ndarray

    def __len__(self) -> int:
        return len(self.customer)

    def take(self, index: np.ndarray) -> ContactBatch:
        return ContactBatch(**{f.name: getattr(self, f.name)[index] for f in fields(self)})

    @classmethod
    def concat(cls, batches: list[ContactBatch]) -> ContactBatch:
        return cls(
            **{f.name: np.concatenate([getattr(b, f.name) for b in batches]) for f in fields(cls)}
        )


@dataclass(frozen=True)
class Segment:
    """Days ``[first, end)`` of month ``month`` governed by ``regime``."""

    regime: RegimeRates
    month: int
    first: int
    end: int
    carried: bool


def shock_burst(start: np.ndarray, segment: Segment) -> tuple[np.ndarray, np.ndarray]:
    """Per customer: whether the shock's burst falls in this segment, and its first day.

    A shock of the segment's regime starts on a day of the regime's own month and its burst
    ends by day 28, so it lies entirely inside the month's own segment (never in carried days).
    """
    on = (start >= 0) & (not segment.carried)
    return on.astype(np.float64), np.where(on, start, segment.first).astype(np.int64)


def _times(
    rng: np.random.Generator, month_start: np.datetime64, lo: np.ndarray, hi: np.ndarray
) -> np.ndarray:
    span = np.maximum(hi - lo, 1)
    day = lo + np.minimum((rng.random(len(lo)) * span).astype(np.int64), span - 1)
    hour = rng.choice(24, size=len(lo), p=HOURLY / HOURLY.sum())
    seconds = hour * 3600 + rng.integers(0, 3600, size=len(lo))
    return (
        month_start.astype("datetime64[s]")
        + day.astype("timedelta64[D]")
        + seconds.astype("timedelta64[s]")
    )


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
    ts = _times(rng, calendar.month_starts[segment.month], lo, hi)

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
    ts = _times(
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


def _marks(
    rng: np.random.Generator,
    params: ContactParams,
    inbound: dict[str, np.ndarray],
    outbound: dict[str, np.ndarray],
    accounts: Accounts,
    weibo_account: np.ndarray,
    wechat_account: np.ndarray,
) -> ContactBatch:
    n_in, n_out = len(inbound["customer"]), len(outbound["customer"])
    m = n_in + n_out
    cust = np.concatenate([inbound["customer"], outbound["customer"]])
    channel = np.concatenate([inbound["channel"], outbound["channel"]])
    is_in = np.r_[np.ones(n_in, bool), np.zeros(n_out, bool)]
    anger = np.concatenate([inbound["anger"], outbound["anger"]]).astype(np.float64)
    category = np.concatenate([inbound["category"], outbound["category"]]).astype(np.int8)

    u_flag = rng.random(m)
    flagged = is_in & (u_flag < np.r_[inbound["flag_prob"], np.zeros(n_out)])

    weibo = channel == CHANNELS.index("weibo")
    wechat = channel == CHANNELS.index("wechat")
    account = np.full(m, -1, dtype=np.int64)
    account[weibo] = weibo_account[cust[weibo]]
    account[wechat] = wechat_account[cust[wechat]]
    u_id = rng.random(m)
    identified = np.ones(m, dtype=bool)
    identified[weibo & is_in] = u_id[weibo & is_in] < params.weibo_identified_prob
    social_wechat = wechat & is_in & (account >= 0)
    identified[social_wechat] = u_id[social_wechat] < params.wechat_identified_prob

    text_p = np.array([params.text_prob[c] for c in CHANNELS])[channel]
    has_text = rng.random(m) < np.where(is_in, text_p, 0.5)

    tiny = np.r_[inbound["tiny"], np.zeros(n_out, bool)]
    age = np.r_[inbound["ticket_age"], np.zeros(n_out)]
    p_threat = sigmoid(
        params.intent_intercept
        + params.intent_anger * anger
        + params.intent_ticket_age * age
        + params.intent_tiny * tiny
    )
    u_intent = rng.random(m)
    intent = np.zeros(m, dtype=np.int8)
    intent[u_intent < p_threat] = 1
    negated = (u_intent >= p_threat) & (u_intent < p_threat + params.negated_mention_prob)
    intent[negated] = 2
    question_hi = p_threat + params.negated_mention_prob + params.question_mention_prob
    intent[(u_intent >= p_threat + params.negated_mention_prob) & (u_intent < question_hi)] = 3
    intent[~is_in] = 0
    p_churn = np.where(
        category == CAT["churn"],
        0.9,
        sigmoid(params.churn_intercept + params.churn_anger * anger),
    )
    churn = is_in & (rng.random(m) < p_churn)

    resolve_p = np.array([params.resolve_prob[c] for c in CHANNELS])[channel]
    resolve_p = resolve_p * (1.0 - params.resolve_anger_penalty * anger)
    resolved = rng.random(m) < resolve_p
    handle = HANDLE_MEDIAN[channel] * np.exp(0.5 * rng.normal(size=m)) * (1.0 + 0.5 * ~resolved)
    assisted = np.isin(channel, [0, 5, REGULATOR])
    transfers = rng.poisson(np.where(assisted, 0.15 + 0.5 * ~resolved + 0.3 * anger, 0.05)).astype(
        np.int64
    )
    csat_value = np.clip(
        np.round(4.3 - 1.6 * ~resolved - 1.2 * anger + 0.7 * rng.normal(size=m)), 1, 5
    )
    csat = np.where(rng.random(m) < params.csat_prob, csat_value, np.nan)
    source = np.r_[inbound["source"], np.full(n_out, OUTBOUND_SOURCE, np.int16)]
    return ContactBatch(
        customer=cust.astype(np.int64),
        ts=np.concatenate([inbound["ts"], outbound["ts"]]),
        channel=channel.astype(np.int8),
        inbound=is_in,
        category=category,
        source=source,
        ticket=np.full(m, -1, dtype=np.int64),
        resolved=resolved,
        handle_seconds=np.round(handle).astype(np.int64),
        transfers=transfers,
        csat=csat,
        flagged=flagged,
        account=account,
        identified=identified,
        has_text=has_text,
        intent=intent,
        churn=churn,
        anger=anger.astype(np.float32),
        amount=np.concatenate([inbound["amount"], outbound["amount"]]),
    )


def _noise_contacts(
    rng: np.random.Generator,
    params: ContactParams,
    calendar: Calendar,
    t: int,
    n_customers: int,
    noise_weibo_accounts: np.ndarray,
) -> ContactBatch:
    days = calendar.length(t)
    m = int(rng.poisson(params.noise_contacts_per_customer * n_customers * days / 30.0))
    channel = rng.choice([0, 2, 3, 4], size=m, p=[0.55, 0.15, 0.1, 0.2]).astype(np.int8)
    if len(noise_weibo_accounts) == 0:
        channel[channel == 2] = 0
    account = np.full(m, -1, dtype=np.int64)
    weibo = channel == 2
    if weibo.any():
        account[weibo] = noise_weibo_accounts[
            rng.integers(0, len(noise_weibo_accounts), size=weibo.sum())
        ]
    category = np.where(rng.random(m) < 0.7, CAT["inquiry"], CAT["billing"]).astype(np.int8)
    resolved = rng.random(m) < 0.6
    handle = HANDLE_MEDIAN[channel] * np.exp(0.5 * rng.normal(size=m))
    return ContactBatch(
        customer=np.full(m, -1, dtype=np.int64),
        ts=_times(rng, calendar.month_starts[t], np.zeros(m, np.int64), np.full(m, days)),
        channel=channel,
        inbound=np.ones(m, dtype=bool),
        category=category,
        source=np.full(m, -1, dtype=np.int16),
        ticket=np.full(m, -1, dtype=np.int64),
        resolved=resolved,
        handle_seconds=np.round(handle).astype(np.int64),
        transfers=np.zeros(m, dtype=np.int64),
        csat=np.full(m, np.nan),
        flagged=np.zeros(m, dtype=bool),
        account=account,
        identified=np.zeros(m, dtype=bool),
        has_text=rng.random(m) < 0.6,
        intent=np.zeros(m, dtype=np.int8),
        churn=np.zeros(m, dtype=bool),
        anger=rng.uniform(0.0, 0.4, size=m).astype(np.float32),
        amount=np.full(m, np.nan),
    )


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
    batch = _marks(rng, config.contacts, inbound, outbound, accounts, weibo_account, wechat_account)
    noise = _noise_contacts(
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
    """Mask of contacts that survive treatment thinning (one uniform per contact)."""
    u = rng.random(len(batch))
    if plan.effect <= 0:
        return np.ones(len(batch), dtype=bool)
    treated = (batch.customer >= 0) & plan.treated[np.maximum(batch.customer, 0)]
    hit = treated & batch.inbound & (batch.ts >= plan.start.astype("datetime64[s]"))
    return ~(hit & (u < plan.effect))
