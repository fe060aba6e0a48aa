"""The causal core: the state at a month end fixes every intensity of the next regime.

All rates are expected events per 30 days. Inbound non-regulator contacts are a sum of driver
components (one category mix each) spread over channels by the customer's channel mix; regulator
contacts have their own rate; each non-regulator contact is flagged ``escalated`` with a
probability fixed by the state. Two within-month shocks (a regional outage, an arrears
suspension) add a burst of contacts and posts over the days after their start; whether they
happen is random, but their probabilities and burst sizes are fixed by the state too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.special import ndtr

from pipelines.contract import CATEGORIES
from pipelines.synthetic.accounts import Accounts
from pipelines.synthetic.config import NON_REGULATOR_CHANNELS, WorldConfig
from pipelines.synthetic.population import Population
from pipelines.synthetic.rng import sigmoid
from pipelines.synthetic.state import CustomerState

CAT = {name: code for code, name in enumerate(CATEGORIES)}
COMPONENTS = (
    "base",
    "overage",
    "vas",
    "roaming",
    "suspended",
    "after_suspension",
    "network",
    "ticket",
    "contagion",
    "churn",
)
TICKET_COMPONENT = COMPONENTS.index("ticket")
OUTBOUND_COMPONENTS = ("followup", "collection", "outage", "marketing")
WEIBO = NON_REGULATOR_CHANNELS.index("weibo")
WECHAT = NON_REGULATOR_CHANNELS.index("wechat")


def _category_rows() -> np.ndarray:
    rows = np.zeros((len(COMPONENTS), len(CATEGORIES)))
    mixes = {
        "base": {
            "inquiry": 0.47,
            "billing": 0.18,
            "plan": 0.14,
            "network": 0.08,
            "vas": 0.05,
            "service_attitude": 0.05,
            "roaming": 0.03,
        },
        "overage": {"billing": 1.0},
        "vas": {"vas": 1.0},
        "roaming": {"roaming": 1.0},
        "suspended": {"suspension": 1.0},
        "after_suspension": {"suspension": 0.7, "billing": 0.3},
        "network": {"network": 1.0},
        "ticket": {"inquiry": 1.0},
        "contagion": {"billing": 0.4, "network": 0.35, "plan": 0.25},
        "churn": {"churn": 1.0},
    }
    for i, name in enumerate(COMPONENTS):
        for cat, share in mixes[name].items():
            rows[i, CAT[cat]] = share
    return rows


COMPONENT_CATEGORIES = _category_rows()


@dataclass
class RegimeRates:
    """Intensities of one regime (fixed at a month end), per customer.

    Attributes:
        components: ``(n, K)`` inbound non-regulator contacts per 30 days by driver.
        mix: ``(n, 7)`` channel shares of non-regulator contacts.
        attributed: ``(n, 7)`` share of those contacts attributable to the customer.
        flag: Probability that a non-regulator inbound contact is flagged escalated.
        regulator: Regulator-channel contacts per 30 days.
        anger: Latent anger at the regime's start.
        ticket_category: Category of the open/fragile ticket (``-1`` if none).
        grievance_category: Most pressing grievance (for regulator contacts and posts).
        p_outage: Probability that a within-month outage hits the customer.
        outage_extra: Expected extra non-regulator contacts in the burst after an outage.
        outage_posts: Expected extra brand posts in that burst.
        pay_prob: Probability of paying the bill issued at the regime's start within the month.
        suspend_if_unpaid: Probability of a suspension when that bill stays unpaid.
        p_suspension: Probability of a within-month arrears suspension.
        suspension_extra: Expected extra non-regulator contacts in the burst after it.
        suspension_regulator: Expected extra regulator contacts in that burst.
        suspension_posts: Expected extra brand posts in that burst.
        tiny_shock: The would-be suspension is for tiny arrears.
        posts: Brand-mentioning posts per 30 days (all the customer's accounts).
        viral: Share of those posts that are viral *and* on a bound account.
        viral_suspension: The same for posts triggered by the suspension shock.
        post_mu: Per account, log-mean of the repost count of a brand post.
        outbound: ``(n, 4)`` operator-initiated contacts per 30 days by reason.
        ticket_age: Months the open ticket has been open (0 if none).
        tiny_memory: Memory of a tiny-arrears suspension (1 = this month).
        bill_due: Amount due on the bill issued at the regime's start (for texts).
        last_arrears: Arrears of the latest suspension (for texts about suspensions).
        outage_start: Realized outage start offset in the following month (``-1``: none).
        suspension_start: Realized suspension start offset (``-1``: none).
    """

    components: np.ndarray
    mix: np.ndarray
    attributed: np.ndarray
    flag: np.ndarray
    regulator: np.ndarray
    anger: np.ndarray
    ticket_category: np.ndarray
    grievance_category: np.ndarray
    p_outage: np.ndarray
    outage_extra: np.ndarray
    outage_posts: np.ndarray
    pay_prob: np.ndarray
    suspend_if_unpaid: np.ndarray
    p_suspension: np.ndarray
    suspension_extra: np.ndarray
    suspension_regulator: np.ndarray
    suspension_posts: np.ndarray
    tiny_shock: np.ndarray
    posts: np.ndarray
    viral: np.ndarray
    viral_suspension: np.ndarray
    post_mu: np.ndarray
    outbound: np.ndarray
    ticket_age: np.ndarray
    tiny_memory: np.ndarray
    bill_due: np.ndarray
    last_arrears: np.ndarray
    outage_start: np.ndarray
    suspension_start: np.ndarray

    _weights: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False)

    @property
    def nonregulator(self) -> np.ndarray:
        return self.components.sum(axis=1, dtype=np.float64)

    def channel_weights(self) -> tuple[np.ndarray, np.ndarray]:
        """Per channel, the share of non-regulator contacts that is attributed and flagged,
        and attributed and not flagged."""
        if self._weights is None:
            attributed = self.mix.astype(np.float64) * self.attributed
            q = self.flag[:, None]
            self._weights = (attributed * q, attributed * (1.0 - q))
        return self._weights


@dataclass(frozen=True)
class StaticContext:
    """Static inputs of the rate model (population, accounts, region outage risk) and the
    static parts of the rates computed once."""

    population: Population
    accounts: Accounts
    region_outage_prob: np.ndarray
    channel_mix: np.ndarray
    channel_spread: np.ndarray
    attributed: np.ndarray
    root_propensity: np.ndarray
    ticket_propensity: np.ndarray

    @classmethod
    def build(
        cls,
        population: Population,
        accounts: Accounts,
        region_outage_prob: np.ndarray,
        config: WorldConfig,
    ) -> StaticContext:
        """Precompute channel availability, attribution and propensity transforms."""
        n = population.size
        c = config.contacts
        has_weibo = accounts.customer_account(n, "weibo") >= 0
        has_wechat = accounts.customer_account(n, "wechat") >= 0
        bound_weibo = accounts.bound_customer(n, "weibo")
        bound_wechat = accounts.bound_customer(n, "wechat")
        available = np.ones((n, len(NON_REGULATOR_CHANNELS)))
        available[:, WEIBO] = has_weibo
        mix = population.channel_mix * available
        mix /= mix.sum(axis=1, keepdims=True)
        spread = available / available.sum(axis=1, keepdims=True)
        attributed = np.ones((n, len(NON_REGULATOR_CHANNELS)), dtype=np.float32)
        attributed[:, WEIBO] = np.where(bound_weibo, 1.0, c.weibo_identified_prob)
        attributed[:, WECHAT] = np.where(has_wechat & ~bound_wechat, c.wechat_identified_prob, 1.0)
        return cls(
            population=population,
            accounts=accounts,
            region_outage_prob=region_outage_prob,
            channel_mix=mix.astype(np.float32),
            channel_spread=spread.astype(np.float32),
            attributed=attributed,
            root_propensity=np.sqrt(population.propensity),
            ticket_propensity=population.propensity**0.3,
        )


def update_anger(state: CustomerState, population: Population, config: WorldConfig) -> None:
    """Set ``state.anger`` from the month's grievances (in place)."""
    a = config.anger
    age = np.minimum(state.ticket_age, 3) * state.ticket_open
    shock = np.minimum(state.overage_rel + state.roaming_rel + state.vas_new, 3.0)
    drive = (
        a.unresolved * state.ticket_open
        + a.ticket_age * age
        + a.tiny_arrears * state.tiny_memory
        + a.suspended * (state.suspended | state.suspended_in_month)
        + a.bill_shock * shock
        + a.contacts * np.minimum(state.inbound, 4)
        + a.outage * (state.outage_minutes > 60)
        + a.viral * state.viral
    )
    state.anger_drive = drive + a.persistence * state.anger_drive
    state.anger = sigmoid(a.intercept + a.trait * population.anger_trait + state.anger_drive)


def _repost_mu(ctx: StaticContext, anger: np.ndarray, tiny: np.ndarray, config: WorldConfig):
    s = config.social
    acc = ctx.accounts
    owner = np.maximum(acc.owner, 0)
    own = acc.owner >= 0
    return (
        s.repost_log_intercept
        + s.repost_log_followers * np.log1p(acc.followers)
        + np.where(own, s.repost_log_anger * anger[owner] + s.repost_log_tiny * tiny[owner], 0.0)
    )


def viral_probability(mu: np.ndarray, sd: float, min_reposts: int) -> np.ndarray:
    """``P(floor(exp(mu + sd * Z)) >= R) = P(mu + sd * Z >= log R)``."""
    return ndtr((mu - np.log(min_reposts)) / sd)


def compute_rates(ctx: StaticContext, state: CustomerState, config: WorldConfig) -> RegimeRates:
    """Every intensity of the regime that starts at the state's month end."""
    pop = ctx.population
    c = config.contacts
    s = config.social
    n = pop.size
    alive = ~state.closed
    prop = pop.propensity
    root = ctx.root_propensity
    anger = state.anger
    volume = (1.0 + c.anger_volume * anger) * alive
    age = np.minimum(state.ticket_age, 3).astype(np.float64)
    open_age = age * state.ticket_open

    comps = np.empty((n, len(COMPONENTS)), dtype=np.float64)
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

    spread = (c.anger_flattening * anger)[:, None]
    mix = ctx.channel_mix + spread * (ctx.channel_spread - ctx.channel_mix)

    flag = sigmoid(
        c.flag_intercept
        + c.flag_anger * anger
        + c.flag_ticket_age * open_age
        + c.flag_threat * state.threat
        + c.flag_vip * pop.vip
        + c.flag_tiny * state.tiny_memory
    )
    regulator = (
        c.regulator_base
        * np.exp(c.regulator_anger * (anger - 0.2))
        * (1.0 + c.regulator_tiny * state.tiny_memory)
        * (1.0 + c.regulator_unresolved * open_age)
        * (1.0 + c.regulator_threat * state.threat)
        * (1.0 + c.regulator_vip * pop.vip)
        * alive
    )

    grievance = np.full(n, CAT["billing"], dtype=np.int8)
    grievance[state.tiny_memory > 0.2] = CAT["suspension"]
    grievance[state.suspended] = CAT["suspension"]
    has_ticket = state.ticket_open | state.ticket_fragile
    grievance[has_ticket] = state.ticket_category[has_ticket]
    ticket_category = np.where(has_ticket, state.ticket_category, -1).astype(np.int8)

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
    p_outage = ctx.region_outage_prob[pop.region] * config.network.affected_share * alive

    grievance_load = (
        state.ticket_open
        + state.ticket_fragile
        + state.tiny_memory
        + state.suspended
        + state.suspended_in_month
    )
    posts = (
        s.brand_post_rate
        * pop.social
        * np.exp(s.brand_post_anger * anger)
        * (1.0 + s.brand_post_grievance * grievance_load)
        * (1.0 + s.brand_post_threat * state.threat)
        * alive
    )
    mu = _repost_mu(ctx, anger, state.tiny_memory, config)
    mu_tiny = mu + np.where(ctx.accounts.owner >= 0, s.repost_log_tiny, 0.0) * np.where(
        ctx.accounts.owner >= 0, tiny_shock[np.maximum(ctx.accounts.owner, 0)], False
    )
    acc = ctx.accounts
    counted = acc.bound & (acc.owner >= 0)
    share = acc.post_share * counted
    labels = config.labels
    viral = np.bincount(
        acc.owner[counted],
        weights=(share * viral_probability(mu, s.repost_log_sd, labels.viral_min_reposts))[counted],
        minlength=n,
    )
    viral_susp = np.bincount(
        acc.owner[counted],
        weights=(share * viral_probability(mu_tiny, s.repost_log_sd, labels.viral_min_reposts))[
            counted
        ],
        minlength=n,
    )

    outbound = (
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

    return _compact(
        RegimeRates(
            components=comps.astype(np.float32),
            mix=mix.astype(np.float32),
            attributed=ctx.attributed,
            flag=flag,
            regulator=regulator,
            anger=anger.copy(),
            ticket_category=ticket_category,
            grievance_category=grievance,
            p_outage=p_outage,
            outage_extra=c.outage_shock_contacts * root * volume,
            outage_posts=s.outage_shock_posts * pop.social * alive,
            pay_prob=pay_prob,
            suspend_if_unpaid=suspend_if_unpaid,
            p_suspension=p_suspension,
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
            posts=posts,
            viral=viral,
            viral_suspension=viral_susp,
            post_mu=mu,
            outbound=outbound.astype(np.float32),
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
