"""Customers: contract attributes plus latent traits that drive everything else."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from features import vocabulary
from pipelines.synthetic.config import WorldConfig
from pipelines.synthetic.config_base import NON_REGULATOR_CHANNELS
from pipelines.synthetic.ids import format_ids, id_width
from pipelines.synthetic.rng import Stream, sigmoid, stream

PLAN_TYPES = vocabulary.PLAN_TYPES
STRICT_PLANS = ("prepaid", "broadband_bundle")
# fmt: off
MSISDN_PREFIXES = np.array(
    [130, 131, 132, 133, 135, 136, 137, 138, 139, 150, 151, 152, 155, 157, 158, 159, 166,
     176, 177, 180, 181, 182, 183, 185, 186, 187, 188, 189, 191, 198, 199],
    dtype=np.int64,
)
# fmt: on


@dataclass
class Population:
    """Static per-customer arrays (index = customer position).

    Attributes:
        ids: Customer ids (Arrow strings).
        msisdn: Phone numbers (Arrow strings), unique.
        plan: Plan code into :data:`PLAN_TYPES`.
        fee: Monthly fee in yuan at the start (changed by plan changes).
        region: Region code into ``config.population.regions``.
        vip: VIP level 0..3.
        autopay: Whether bills are paid by direct debit.
        annual_prepaid: Fees prepaid for a year (only out-of-bundle charges are billed).
        strict: Suspended for any unpaid amount (prepaid and broadband bundles).
        open_date: Contract start (``datetime64[s]``).
        propensity: Contact propensity (lognormal, mean 1).
        anger_trait: Standard-normal temper (higher = angrier).
        social: Social-media activity in (0, 1).
        bad_coverage: Lives or works where coverage is poor.
        pay_prob: Probability of paying a bill within the month (manual payers vary).
        data_habit: Typical data use in GB.
        voice_habit: Typical voice minutes.
        channel_mix: Preferred share per non-regulator channel (rows sum to 1).
    """

    ids: pa.Array
    msisdn: pa.Array
    plan: np.ndarray
    fee: np.ndarray
    region: np.ndarray
    vip: np.ndarray
    autopay: np.ndarray
    annual_prepaid: np.ndarray
    strict: np.ndarray
    open_date: np.ndarray
    propensity: np.ndarray
    anger_trait: np.ndarray
    social: np.ndarray
    bad_coverage: np.ndarray
    pay_prob: np.ndarray
    data_habit: np.ndarray
    voice_habit: np.ndarray
    channel_mix: np.ndarray

    @property
    def size(self) -> int:
        return len(self.plan)


def _unique_msisdn(rng: np.random.Generator, n: int) -> np.ndarray:
    space = len(MSISDN_PREFIXES) * 100_000_000
    numbers = np.unique(rng.integers(0, space, size=int(n * 1.05) + 16))
    while len(numbers) < n:
        numbers = np.unique(np.concatenate([numbers, rng.integers(0, space, size=n)]))
    numbers = rng.permutation(numbers)[:n]
    prefix = MSISDN_PREFIXES[numbers // 100_000_000]
    return prefix * 100_000_000 + numbers % 100_000_000


def _vip_levels(score: np.ndarray, shares: tuple[float, ...]) -> np.ndarray:
    order = np.argsort(score, kind="stable")
    ranks = np.empty(len(score), dtype=np.float64)
    ranks[order] = (np.arange(len(score)) + 0.5) / len(score)
    cut = np.cumsum(shares)[:-1]
    return np.searchsorted(cut, ranks, side="right").astype(np.int8)


def build_population(config: WorldConfig, first_month: pd.Timestamp) -> Population:
    """Draw the customer base.

    Args:
        config: World configuration.
        first_month: First simulated month (burn-in included); every contract opened before.

    Returns:
        The static population.
    """
    p = config.population
    n = config.customers
    rng = stream(config.seed, -1, Stream.POPULATION)
    plans = list(p.plan_shares)
    plan_p = np.array([p.plan_shares[k] for k in plans])
    plan_local = rng.choice(len(plans), size=n, p=plan_p / plan_p.sum())
    plan = np.array([PLAN_TYPES.index(k) for k in plans], dtype=np.int8)[plan_local]

    fee = np.zeros(n)
    data_allow = np.zeros(n)
    autopay_p = np.zeros(n)
    for code, name in enumerate(PLAN_TYPES):
        mask = plan == code
        if not mask.any():
            continue
        tiers = np.asarray(p.plan_fees[name])
        fee[mask] = tiers[rng.integers(0, len(tiers), size=mask.sum())]
        data_allow[mask] = p.data_allowance_gb[name]
        autopay_p[mask] = p.autopay_share[name]

    regions = list(p.regions)
    region_p = np.array([p.regions[k] for k in regions])
    region = rng.choice(len(regions), size=n, p=region_p / region_p.sum()).astype(np.int16)

    tenure_days = np.minimum(rng.exponential(p.mean_tenure_years * 365.0, size=n), 15 * 365)
    tenure_days = tenure_days.astype(np.int64) + 31
    open_day = np.datetime64(first_month.date(), "D") - tenure_days.astype("timedelta64[D]")
    open_seconds = rng.integers(8 * 3600, 21 * 3600, size=n).astype("timedelta64[s]")
    open_date = open_day.astype("datetime64[s]") + open_seconds

    vip_score = 0.6 * np.log(fee) + 0.15 * tenure_days / 365.0 + rng.normal(size=n)
    vip = _vip_levels(vip_score, p.vip_shares)
    autopay = rng.random(n) < autopay_p
    strict = np.isin(plan, [PLAN_TYPES.index(k) for k in STRICT_PLANS])
    annual_prepaid = strict & (rng.random(n) < p.annual_prepaid_share)
    autopay &= ~annual_prepaid

    sigma = p.propensity_sigma
    propensity = np.exp(sigma * rng.normal(size=n) - sigma**2 / 2)
    anger_trait = rng.normal(size=n)
    social = rng.beta(2.0, 3.0, size=n)
    bad_coverage = rng.random(n) < p.bad_coverage_share
    manual = sigmoid(
        np.log(config.billing.pay_prob_manual / (1 - config.billing.pay_prob_manual))
        + 0.8 * rng.normal(size=n)
    )
    pay_prob = np.where(autopay, config.billing.pay_prob_autopay, manual)
    pay_prob = np.where(annual_prepaid, config.billing.pay_prob_annual_prepaid, pay_prob)
    data_habit = data_allow * np.exp(rng.normal(-0.4, 0.5, size=n))
    voice_habit = np.array([p.voice_allowance_min[k] for k in PLAN_TYPES])[plan] * np.exp(
        rng.normal(-0.5, 0.5, size=n)
    )

    base_mix = np.array([config.contacts.channel_mix[c] for c in NON_REGULATOR_CHANNELS])
    tilt = np.ones((n, len(NON_REGULATOR_CHANNELS)))
    young = social[:, None]
    digital = np.array([0.0, 1.0, 1.5, 1.0, 0.5, -0.5, 0.0])
    tilt *= np.exp(1.2 * (young - 0.4) * digital[None, :])
    alpha = config.contacts.channel_concentration * base_mix[None, :] * tilt
    mix = rng.gamma(alpha)
    mix /= mix.sum(axis=1, keepdims=True)

    width = id_width(n)
    return Population(
        ids=format_ids("C", np.arange(1, n + 1), width),
        msisdn=pa.array(_unique_msisdn(rng, n).astype(np.str_), type=pa.string()),
        plan=plan,
        fee=fee,
        region=region,
        vip=vip,
        autopay=autopay,
        annual_prepaid=annual_prepaid,
        strict=strict,
        open_date=open_date,
        propensity=propensity,
        anger_trait=anger_trait,
        social=social,
        bad_coverage=bad_coverage,
        pay_prob=pay_prob,
        data_habit=data_habit,
        voice_habit=voice_habit,
        channel_mix=mix,
    )
