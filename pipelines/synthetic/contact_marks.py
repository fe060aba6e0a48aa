"""Marks of contacts: escalation flag, identity, text, intent, resolution, handling; noise."""

from __future__ import annotations

import numpy as np

from pipelines.synthetic.accounts import Accounts
from pipelines.synthetic.calendar import Calendar
from pipelines.synthetic.config_behaviour import ContactParams
from pipelines.synthetic.contact_batch import CHANNELS, OUTBOUND_SOURCE, REGULATOR, ContactBatch
from pipelines.synthetic.contact_drivers import CAT
from pipelines.synthetic.month_segments import random_times
from pipelines.synthetic.rng import sigmoid

HANDLE_MEDIAN = np.array([240, 420, 600, 180, 360, 720, 300, 1500], dtype=np.float64)


def contact_marks(
    rng: np.random.Generator,
    params: ContactParams,
    inbound: dict[str, np.ndarray],
    outbound: dict[str, np.ndarray],
    accounts: Accounts,
    weibo_account: np.ndarray,
    wechat_account: np.ndarray,
) -> ContactBatch:
    """Marks of a month's contacts: flag, identity, text, intent, churn, resolution, handling.

    Args:
        rng: Random generator of the month's marks.
        params: Contact parameters.
        inbound: The month's inbound contacts (customer, channel, category, source, ...).
        outbound: The month's outbound contacts.
        accounts: Social accounts.
        weibo_account: Per customer, their Weibo account position (``-1`` if none).
        wechat_account: Per customer, their WeChat account position (``-1`` if none).

    Returns:
        Inbound then outbound contacts with every mark (no ticket yet).
    """
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


def noise_contacts(
    rng: np.random.Generator,
    params: ContactParams,
    calendar: Calendar,
    t: int,
    n_customers: int,
    noise_weibo_accounts: np.ndarray,
) -> ContactBatch:
    """Contacts from non-customers (unattributable) in month ``t``.

    Args:
        rng: Random generator of the month's noise contacts.
        params: Contact parameters.
        calendar: Month layout.
        t: Month index.
        n_customers: Number of customers (the volume scales with it).
        noise_weibo_accounts: Weibo accounts of non-customers.

    Returns:
        The noise contacts (``customer = -1``).
    """
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
        ts=random_times(rng, calendar.month_starts[t], np.zeros(m, np.int64), np.full(m, days)),
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
