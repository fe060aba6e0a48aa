"""Social-media accounts: platform, followers, binding to the owner's phone number, nickname."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from features import vocabulary
from pipelines.synthetic.config_social import SocialParams
from pipelines.synthetic.ids import format_ids, id_width, string_column, take_ids
from pipelines.synthetic.population import Population

PLATFORMS = vocabulary.PLATFORMS

# fmt: off
_ADJECTIVES = np.array(
    ["快乐的", "孤独的", "爱吃", "不想上班的", "勇敢的", "安静的", "迷路的", "努力的", "佛系",
     "暴躁", "温柔的", "熬夜的", "会飞的", "认真的", "小小", "大大的", "追风的", "躺平的"]
)
# fmt: on
# fmt: off
_NOUNS = np.array(
    ["小猫", "火锅", "柠檬", "土豆", "打工人", "程序员", "老王", "阿杰", "小鱼", "星星", "奶茶",
     "熊猫", "兔子", "少年", "大叔", "阿姨", "月亮", "橘子", "跑者", "摄影师", "宝妈", "老李"]
)
# fmt: on


@dataclass
class Accounts:
    """All social accounts (customers' first, then accounts of non-customers).

    Attributes:
        ids: Account ids.
        owner: Owning customer position, ``-1`` for non-customers.
        platform: Code into :data:`PLATFORMS`.
        followers: Follower count.
        bound: Whether ``bound_msisdn`` is the owner's phone number.
        nickname: Display names.
        post_share: Share of the owner's posting that happens on this account.
    """

    ids: pa.Array
    owner: np.ndarray
    platform: np.ndarray
    followers: np.ndarray
    bound: np.ndarray
    nickname: np.ndarray
    post_share: np.ndarray

    @property
    def size(self) -> int:
        return len(self.owner)

    def customer_account(self, n_customers: int, platform: str) -> np.ndarray:
        """Per customer, the position of their account on ``platform`` (``-1`` if none)."""
        out = np.full(n_customers, -1, dtype=np.int64)
        mask = (self.platform == PLATFORMS.index(platform)) & (self.owner >= 0)
        out[self.owner[mask]] = np.flatnonzero(mask)
        return out

    def bound_customer(self, n_customers: int, platform: str) -> np.ndarray:
        """Per customer, whether they own a bound account on ``platform``."""
        out = np.zeros(n_customers, dtype=bool)
        mask = (self.platform == PLATFORMS.index(platform)) & self.bound
        out[self.owner[mask]] = True
        return out


def _nicknames(rng: np.random.Generator, n: int) -> np.ndarray:
    adjective = _ADJECTIVES[rng.integers(0, len(_ADJECTIVES), size=n)]
    noun = _NOUNS[rng.integers(0, len(_NOUNS), size=n)]
    digits = rng.integers(0, 10_000, size=n).astype(np.str_)
    with_digits = rng.random(n) < 0.5
    names = np.strings.add(adjective, noun)
    return np.where(with_digits, np.strings.add(names, digits), names).astype(object)


def build_accounts(
    population: Population, params: SocialParams, rng: np.random.Generator
) -> Accounts:
    """Draw accounts for customers (by social activity) and for non-customers."""
    n = population.size
    owners, platforms = [], []
    for code, name in enumerate(PLATFORMS):
        intercept, slope = params.account_prob[name]
        has = rng.random(n) < np.clip(intercept + slope * population.social, 0, 1)
        owners.append(np.flatnonzero(has))
        platforms.append(np.full(has.sum(), code, dtype=np.int8))
    owner = np.concatenate(owners)
    platform = np.concatenate(platforms)
    order = np.lexsort((platform, owner))
    owner, platform = owner[order], platform[order]
    bound_p = np.array([params.bound_prob[p] for p in PLATFORMS])[platform]
    bound = rng.random(len(owner)) < bound_p

    n_noise = int(round(params.noise_account_share * len(owner)))
    noise_platform = rng.choice(4, size=n_noise, p=[0.5, 0.1, 0.25, 0.15]).astype(np.int8)
    owner = np.concatenate([owner, np.full(n_noise, -1)])
    platform = np.concatenate([platform, noise_platform])
    bound = np.concatenate([bound, np.zeros(n_noise, dtype=bool)])

    social = np.concatenate(
        [population.social[owner[: len(owner) - n_noise]], rng.beta(2.0, 3.0, size=n_noise)]
    )
    log_followers = (
        params.followers_log_mean
        + params.followers_social_slope * (social - 0.4)
        + params.followers_log_sd * rng.normal(size=len(owner))
    )
    followers = np.floor(np.exp(np.minimum(log_followers, 16.0))).astype(np.int64)

    weight = np.array([params.post_weight[p] for p in PLATFORMS])[platform]
    own_total = np.bincount(owner[owner >= 0], weights=weight[owner >= 0], minlength=n)
    post_share = np.where(owner >= 0, weight / np.where(owner >= 0, own_total[owner], 1.0), 1.0)

    total = len(owner)
    return Accounts(
        ids=format_ids("A", np.arange(1, total + 1), id_width(total, 8)),
        owner=owner.astype(np.int64),
        platform=platform,
        followers=followers,
        bound=bound,
        nickname=_nicknames(rng, total),
        post_share=post_share,
    )


def accounts_frame(accounts: Accounts, population: Population) -> pd.DataFrame:
    """The ``social_accounts`` contract table."""
    bound_owner = np.where(accounts.bound, accounts.owner, -1)
    return pd.DataFrame(
        {
            "account_id": pd.arrays.ArrowStringArray(accounts.ids),
            "platform": take_ids(pa.array(list(PLATFORMS)), accounts.platform),
            "followers": accounts.followers.astype(np.int64),
            "bound_msisdn": take_ids(population.msisdn, bound_owner),
            "nickname": string_column(accounts.nickname),
        }
    )
