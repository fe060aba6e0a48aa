"""Rate models of brand posts: how many a customer writes and how likely one goes viral."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy.special import ndtr

from pipelines.synthetic.config import WorldConfig
from pipelines.synthetic.state import CustomerState
from pipelines.synthetic.static_context import StaticContext


class Virality(NamedTuple):
    """Repost reach of brand posts.

    Attributes:
        post_mu: Per account, log-mean of the repost count of a brand post.
        viral: Per customer, share of brand posts that are viral *and* on a bound account.
        viral_suspension: The same for posts triggered by the suspension shock.
    """

    post_mu: np.ndarray
    viral: np.ndarray
    viral_suspension: np.ndarray


def brand_post_rate(
    ctx: StaticContext, state: CustomerState, alive: np.ndarray, config: WorldConfig
) -> np.ndarray:
    """Brand-mentioning posts per 30 days (all the customer's accounts)."""
    s = config.social
    grievance_load = (
        state.ticket_open
        + state.ticket_fragile
        + state.tiny_memory
        + state.suspended
        + state.suspended_in_month
    )
    return (
        s.brand_post_rate
        * ctx.population.social
        * np.exp(s.brand_post_anger * state.anger)
        * (1.0 + s.brand_post_grievance * grievance_load)
        * (1.0 + s.brand_post_threat * state.threat)
        * alive
    )


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


def virality(
    ctx: StaticContext, state: CustomerState, tiny_shock: np.ndarray, config: WorldConfig
) -> Virality:
    """Repost log-means per account and viral shares per customer.

    Args:
        ctx: Static inputs of the rate model.
        state: Customer state at the month end.
        tiny_shock: Per customer, a would-be suspension this month is for tiny arrears.
        config: World configuration.

    Returns:
        The repost log-means and the viral shares (regular and after a suspension).
    """
    s = config.social
    n = ctx.population.size
    mu = _repost_mu(ctx, state.anger, state.tiny_memory, config)
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
    return Virality(mu, viral, viral_susp)
