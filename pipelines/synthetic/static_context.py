"""Static inputs of the rate model and the parts of the rates that never change."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipelines.synthetic.accounts import Accounts
from pipelines.synthetic.config import WorldConfig
from pipelines.synthetic.config_base import NON_REGULATOR_CHANNELS
from pipelines.synthetic.population import Population

WEIBO = NON_REGULATOR_CHANNELS.index("weibo")
WECHAT = NON_REGULATOR_CHANNELS.index("wechat")


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
