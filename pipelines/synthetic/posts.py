"""Social posts of one month: brand complaints driven by the regime, everyday posts, reposts.

Brand-mentioning complaint posts of a customer's accounts follow the same regime structure as
contacts (base rate fixed at the month end, plus bursts after an outage or a suspension).
The repost count of a post is the size of a lognormal cascade, ``floor(exp(mu + sd * Z))``, with
``mu`` growing with the account's followers, the owner's anger and tiny-arrears outrage, so
``P(reposts >= R)`` is known exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from pipelines.synthetic.accounts import Accounts
from pipelines.synthetic.calendar import Calendar
from pipelines.synthetic.config import WorldConfig
from pipelines.synthetic.contact_drivers import CAT, COMPONENT_CATEGORIES
from pipelines.synthetic.month_segments import Segment, random_times, shock_burst
from pipelines.synthetic.regime_rates import RegimeRates
from pipelines.synthetic.rng import Stream, categorical, poisson_from_uniform, sigmoid, stream

MAX_REPOSTS = 50_000_000
BASE, OUTAGE, SUSPENSION, EVERYDAY = 0, 1, 2, 3


@dataclass
class PostBatch:
    """Posts as column arrays."""

    account: np.ndarray
    owner: np.ndarray
    ts: np.ndarray
    source: np.ndarray
    brand: np.ndarray
    topic: np.ndarray
    intent: np.ndarray
    anger: np.ndarray
    amount: np.ndarray
    reposts: np.ndarray
    comments: np.ndarray

    def __len__(self) -> int:
        return len(self.account)

    def take(self, index: np.ndarray) -> PostBatch:
        return PostBatch(**{f.name: getattr(self, f.name)[index] for f in fields(self)})

    @classmethod
    def concat(cls, batches: list[PostBatch]) -> PostBatch:
        return cls(
            **{f.name: np.concatenate([getattr(b, f.name) for b in batches]) for f in fields(cls)}
        )


def _segment_brand_posts(
    segment: Segment,
    accounts: Accounts,
    calendar: Calendar,
    config: WorldConfig,
    counts_rng: np.random.Generator,
    rng: np.random.Generator,
) -> PostBatch:
    r = segment.regime
    s = config.social
    own = accounts.owner >= 0
    owner = np.maximum(accounts.owner, 0)
    days = segment.end - segment.first
    out_burst, susp_burst = config.network.outage_burst_days, config.billing.suspension_burst_days
    out_on, out_lo = shock_burst(r.outage_start, segment)
    susp_on, susp_lo = shock_burst(r.suspension_start, segment)
    share = np.where(own, accounts.post_share, 0.0)
    weights = np.stack(
        [
            np.where(own, r.posts[owner] * days / 30.0, s.noise_brand_post_rate * days / 30.0),
            r.outage_posts[owner] * out_on[owner] * own,
            r.suspension_posts[owner] * susp_on[owner] * own,
        ],
        axis=1,
    )
    weights[:, 0] *= np.where(own, share, 1.0)
    weights[:, 1:] *= share[:, None]
    u = counts_rng.random(accounts.size)
    if days <= 0:
        return _empty_posts()
    counts = poisson_from_uniform(u, weights.sum(axis=1))
    acc = np.repeat(np.arange(accounts.size), counts)
    source = categorical(rng, weights[acc]).astype(np.int8)
    cust = accounts.owner[acc]
    lo = np.full(len(acc), segment.first, dtype=np.int64)
    hi = np.full(len(acc), segment.end, dtype=np.int64)
    lo = np.where(source == OUTAGE, out_lo[owner[acc]], lo)
    hi = np.where(source == OUTAGE, lo + out_burst, hi)
    lo = np.where(source == SUSPENSION, susp_lo[owner[acc]], lo)
    hi = np.where(source == SUSPENSION, lo + susp_burst, hi)
    ts = random_times(rng, calendar.month_starts[segment.month], lo, hi)

    is_own = cust >= 0
    c = np.maximum(cust, 0)
    topic_rows = np.where(is_own[:, None], r.components[c], 1.0)
    driver = categorical(rng, topic_rows)
    topic = categorical(rng, COMPONENT_CATEGORIES[driver]).astype(np.int8)
    has_grievance = is_own & (r.ticket_category[c] >= 0)
    topic[has_grievance] = r.grievance_category[c[has_grievance]]
    topic[topic == CAT["inquiry"]] = CAT["service_attitude"]
    topic[source == OUTAGE] = CAT["network"]
    topic[source == SUSPENSION] = CAT["suspension"]
    anger = np.where(is_own, r.anger[c], rng.uniform(0.1, 0.6, size=len(acc)))
    tiny_boost = (source == SUSPENSION) & r.tiny_shock[c] & is_own
    mu = r.post_mu[acc] + s.repost_log_tiny * tiny_boost
    reposts = _reposts(rng, mu, s.repost_log_sd)
    p_threat = sigmoid(
        config.contacts.intent_intercept + 0.5 + config.contacts.intent_anger * anger
    )
    intent = _intent(rng, p_threat, config)
    return PostBatch(
        account=acc.astype(np.int64),
        owner=cust.astype(np.int64),
        ts=ts,
        source=source,
        brand=np.ones(len(acc), dtype=bool),
        topic=topic,
        intent=intent,
        anger=anger.astype(np.float32),
        amount=np.where(is_own, r.bill_due[c], np.nan),
        reposts=reposts,
        comments=_comments(rng, reposts),
    )


def _intent(rng: np.random.Generator, p_threat: np.ndarray, config: WorldConfig) -> np.ndarray:
    c = config.contacts
    u = rng.random(len(p_threat))
    intent = np.zeros(len(p_threat), dtype=np.int8)
    intent[u < p_threat] = 1
    negated_hi = p_threat + c.negated_mention_prob
    intent[(u >= p_threat) & (u < negated_hi)] = 2
    intent[(u >= negated_hi) & (u < negated_hi + c.question_mention_prob)] = 3
    return intent


def _reposts(rng: np.random.Generator, mu: np.ndarray, sd: float) -> np.ndarray:
    size = np.exp(np.minimum(mu + sd * rng.normal(size=len(mu)), np.log(MAX_REPOSTS)))
    return np.floor(size).astype(np.int64)


def _comments(rng: np.random.Generator, reposts: np.ndarray) -> np.ndarray:
    share = rng.uniform(0.05, 0.5, size=len(reposts))
    return (np.floor(reposts * share) + rng.poisson(1.5, size=len(reposts))).astype(np.int64)


def _empty_posts() -> PostBatch:
    return PostBatch(
        account=np.empty(0, np.int64),
        owner=np.empty(0, np.int64),
        ts=np.empty(0, "datetime64[s]"),
        source=np.empty(0, np.int8),
        brand=np.empty(0, bool),
        topic=np.empty(0, np.int8),
        intent=np.empty(0, np.int8),
        anger=np.empty(0, np.float32),
        amount=np.empty(0),
        reposts=np.empty(0, np.int64),
        comments=np.empty(0, np.int64),
    )


def _everyday_posts(
    accounts: Accounts,
    social: np.ndarray,
    regime: RegimeRates,
    calendar: Calendar,
    t: int,
    config: WorldConfig,
    counts_rng: np.random.Generator,
    rng: np.random.Generator,
) -> PostBatch:
    s = config.social
    days = calendar.length(t)
    own = accounts.owner >= 0
    rate = np.where(
        own, s.nonbrand_post_rate * social[np.maximum(accounts.owner, 0)], s.noise_post_rate
    )
    counts = poisson_from_uniform(counts_rng.random(accounts.size), rate * days / 30.0)
    acc = np.repeat(np.arange(accounts.size), counts)
    m = len(acc)
    ts = random_times(rng, calendar.month_starts[t], np.zeros(m, np.int64), np.full(m, days))
    mu = regime.post_mu[acc] + s.nonbrand_repost_offset
    reposts = _reposts(rng, mu, s.repost_log_sd)
    return PostBatch(
        account=acc.astype(np.int64),
        owner=accounts.owner[acc].astype(np.int64),
        ts=ts,
        source=np.full(m, EVERYDAY, dtype=np.int8),
        brand=np.zeros(m, dtype=bool),
        topic=np.full(m, -1, dtype=np.int8),
        intent=np.zeros(m, dtype=np.int8),
        anger=np.zeros(m, dtype=np.float32),
        amount=np.full(m, np.nan),
        reposts=reposts,
        comments=_comments(rng, reposts),
    )


def month_posts(
    config: WorldConfig,
    calendar: Calendar,
    t: int,
    segments: list[Segment],
    accounts: Accounts,
    social: np.ndarray,
) -> PostBatch:
    """All posts of month ``t``, sorted by time."""
    counts_rng = stream(config.seed, t, Stream.POSTS)
    rng = stream(config.seed, t, Stream.POST_MARKS)
    parts = [
        _segment_brand_posts(segment, accounts, calendar, config, counts_rng, rng)
        for segment in segments
    ]
    own = next(s for s in segments if not s.carried)
    parts.append(
        _everyday_posts(accounts, social, own.regime, calendar, t, config, counts_rng, rng)
    )
    batch = PostBatch.concat(parts)
    return batch.take(np.lexsort((batch.account, batch.ts)))
