"""Social-media early warning: score brand posts for escalation risk and reach, and route them.

A post's expected reach is a log-linear model of its final repost count on the author's
followers, the text's anger and escalation intent and, when the account is bound to a customer,
the customer's graph influence (``g_pagerank``; 1 is average). :class:`PostReachModel` starts
from prior coefficients and can be fitted on settled historical posts. Reposts already seen on a
young post raise the projection. Route: ``crisis_team`` for posts likely to spread (or threats
of media/social exposure from large accounts), ``customer_care`` for other brand complaints,
``none`` for the rest.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field
from scipy.stats import norm

from features.text import analyze_texts

CRISIS = "crisis_team"
CARE = "customer_care"
NONE = "none"
ROUTE_ZH = {CRISIS: "转危机处理小组", CARE: "转客户关怀处理", NONE: "无需处理"}
EXPOSURE_TARGETS = ("media", "social", "regulator", "consumer", "legal")
REACH_INPUTS = ("log_followers", "anger", "escalation_intent", "log_influence")


class SocialWarningConfig(BaseModel):
    """Routing thresholds of the social early warning.

    Attributes:
        viral_reposts: Reposts that make a post viral (the escalation label uses 100).
        crisis_p_viral: Probability of going viral from which the crisis team takes the post.
        crisis_followers: Followers from which a threat of media/social exposure goes to the
            crisis team whatever the projected reach.
        early_horizon_hours: Age by which a post has most of its reposts; a younger post's
            reposts are projected as ``reposts * sqrt(horizon / age)``.
        settle_days: Posts at least this old count as settled when fitting the reach model.
    """

    model_config = ConfigDict(extra="forbid")

    viral_reposts: int = Field(100, ge=1)
    crisis_p_viral: float = Field(0.3, gt=0, le=1)
    crisis_followers: float = Field(10_000, ge=0)
    early_horizon_hours: float = Field(24.0, gt=0)
    settle_days: int = Field(2, ge=0)


class PostReachModel:
    """Log-linear model of a post's final reposts: ``log1p(reposts) ~ N(x @ coef + b, sd)``.

    Args:
        coef: Prior coefficients of ``REACH_INPUTS`` (used until :meth:`fit`).
        intercept: Prior intercept.
        sd: Prior residual standard deviation.
    """

    def __init__(
        self,
        coef: tuple[float, ...] = (0.5, 1.5, 0.3, 0.3),
        intercept: float = 0.0,
        sd: float = 1.3,
    ) -> None:
        self.coef = coef
        self.intercept = intercept
        self.sd = sd

    def fit(self, inputs: pd.DataFrame, reposts: np.ndarray) -> PostReachModel:
        """Least squares on settled posts (inputs from :func:`reach_inputs`)."""
        x = np.c_[inputs[list(REACH_INPUTS)].to_numpy(dtype=np.float64), np.ones(len(inputs))]
        y = np.log1p(np.asarray(reposts, dtype=np.float64))
        solution, *_ = np.linalg.lstsq(x, y, rcond=None)
        self.coef_ = solution[:-1]
        self.intercept_ = float(solution[-1])
        self.sd_ = float(max(np.std(y - x @ solution, ddof=min(len(y) - 1, x.shape[1])), 0.1))
        return self

    def _params(self) -> tuple[np.ndarray, float, float]:
        if hasattr(self, "coef_"):
            return self.coef_, self.intercept_, self.sd_
        return np.asarray(self.coef, dtype=np.float64), self.intercept, self.sd

    def log_reach(self, inputs: pd.DataFrame) -> np.ndarray:
        """Expected ``log1p(final reposts)``."""
        coef, intercept, _ = self._params()
        return inputs[list(REACH_INPUTS)].to_numpy(dtype=np.float64) @ coef + intercept

    def p_at_least(self, log_reach: np.ndarray, reposts: float) -> np.ndarray:
        """Probability that the final reposts reach ``reposts``."""
        _, _, sd = self._params()
        return norm.sf((np.log1p(reposts) - log_reach) / sd)


def reach_inputs(
    posts: pd.DataFrame,
    accounts: pd.DataFrame,
    owners: pd.DataFrame | None = None,
    influence: pd.Series | None = None,
) -> pd.DataFrame:
    """Per post: text analysis, author followers, linked customer and influence.

    Args:
        posts: Contract ``social_posts`` rows (post_id, account_id, text, reposts, ...).
        accounts: ``social_accounts`` rows (account_id, followers).
        owners: Bound accounts (``features.identity.account_owners``): account_id, customer_id.
        influence: ``g_pagerank`` by customer_id (1 = average customer).

    Returns:
        Indexed by post_id: customer_id (nullable), followers, influence, the text analysis
        columns (``escalation_intent``, ``escalation_target``, ``anger``, ``churn_intent``,
        topics) and the model inputs ``REACH_INPUTS``.
    """
    index = pd.Index(posts["post_id"].astype(str), name="post_id")
    followers = accounts.set_index("account_id")["followers"]
    out = pd.DataFrame(index=index)
    account = posts["account_id"].to_numpy(dtype=object)
    out["account_id"] = account
    out["followers"] = pd.Series(account).map(followers).fillna(0).to_numpy(dtype=np.float64)
    customer = pd.Series([None] * len(out), dtype=object)
    if owners is not None:
        customer = pd.Series(account).map(owners.set_index("account_id")["customer_id"])
    out["customer_id"] = customer.to_numpy(dtype=object)
    rank = pd.Series(np.nan, index=customer.index)
    if influence is not None:
        rank = customer.map(influence)
    out["influence"] = rank.fillna(1.0).clip(lower=1e-3).to_numpy(dtype=np.float64)
    text = analyze_texts(pd.Series(posts["text"].to_numpy(dtype=object)))
    text.index = index
    out = out.join(text)
    out["log_followers"] = np.log1p(out["followers"])
    out["log_influence"] = np.log(out["influence"])
    out["escalation_intent"] = out["escalation_intent"].astype(bool)
    return out


def _route(frame: pd.DataFrame, mentions: np.ndarray, config: SocialWarningConfig) -> np.ndarray:
    intent = frame["escalation_intent"].to_numpy(dtype=bool)
    exposure = frame["escalation_target"].isin(EXPOSURE_TARGETS).to_numpy()
    topics = frame.filter(like="topic_").to_numpy(dtype=np.float64).sum(axis=1) > 0
    complaint = intent | (frame["anger"].to_numpy() > 0) | frame["churn_intent"].to_numpy(bool)
    complaint |= topics
    crisis = mentions & (
        (frame["p_viral"].to_numpy() >= config.crisis_p_viral)
        | (exposure & (frame["followers"].to_numpy() >= config.crisis_followers))
    )
    care = mentions & complaint & ~crisis
    return np.where(crisis, CRISIS, np.where(care, CARE, NONE))


def _reasons(frame: pd.DataFrame) -> tuple[list[str], list[str]]:
    en, zh = [], []
    for followers, target, reposts, p_viral in zip(
        frame["followers"],
        frame["escalation_target"],
        frame["reposts"],
        frame["p_viral"],
        strict=True,
    ):
        parts_en = [f"{followers:,.0f} followers", f"{reposts:,.0f} reposts so far"]
        parts_zh = [f"粉丝 {followers:,.0f}", f"已转发 {reposts:,.0f} 次"]
        if isinstance(target, str):
            parts_en.append(f"threatens escalation ({target})")
            parts_zh.append(f"表达升级投诉意图（{target}）")
        parts_en.append(f"{p_viral:.0%} chance to go viral")
        parts_zh.append(f"扩散概率 {p_viral:.0%}")
        en.append("; ".join(parts_en))
        zh.append("；".join(parts_zh))
    return en, zh


def score_posts(
    posts: pd.DataFrame,
    accounts: pd.DataFrame,
    config: SocialWarningConfig | None = None,
    *,
    owners: pd.DataFrame | None = None,
    influence: pd.Series | None = None,
    observed_at: pd.Timestamp | None = None,
    model: PostReachModel | None = None,
) -> pd.DataFrame:
    """Escalation risk, expected reach and route of each post (pure; the event path calls it).

    Args:
        posts: ``social_posts`` rows: post_id, account_id, ts, text, reposts, comments,
            mentions_brand.
        accounts: ``social_accounts`` rows with account_id and followers (unknown accounts
            count as 0 followers).
        config: Routing thresholds.
        owners: Bound accounts (account_id, customer_id) to link posts to customers.
        influence: ``g_pagerank`` by customer_id for linked posts.
        observed_at: When the repost counts were read; posts younger than
            ``early_horizon_hours`` get their reposts projected. ``None`` takes counts as final.
            The expected reach is never below the reposts already seen.
        model: Reach model (prior coefficients when omitted).

    Returns:
        Indexed by post_id: ``customer_id`` (nullable), ``followers``, ``influence``,
        ``escalation_intent``, ``escalation_target``, ``anger``, ``reposts``,
        ``expected_reposts``, ``p_viral``, ``route`` (crisis_team / customer_care / none),
        ``route_zh``, ``reason_en``, ``reason_zh``.
    """
    config = config or SocialWarningConfig()
    model = model or PostReachModel()
    frame = reach_inputs(posts, accounts, owners, influence)
    reposts = posts["reposts"].fillna(0).to_numpy(dtype=np.float64)
    growth = np.ones(len(frame))
    if observed_at is not None:
        age = (pd.Timestamp(observed_at) - pd.to_datetime(posts["ts"])).dt.total_seconds()
        hours = np.maximum(age.to_numpy(dtype=np.float64) / 3600, 0.25)
        growth = np.sqrt(np.maximum(config.early_horizon_hours / hours, 1.0))
    log_reach = np.maximum(model.log_reach(frame), np.log1p(reposts * growth))
    p_viral = model.p_at_least(log_reach, config.viral_reposts)
    p_viral = np.where(reposts >= config.viral_reposts, 1.0, p_viral)
    frame["reposts"] = reposts
    frame["expected_reposts"] = np.expm1(log_reach)
    frame["p_viral"] = p_viral
    mentions = posts["mentions_brand"].astype(bool).to_numpy()
    frame["route"] = _route(frame, mentions, config)
    frame["route_zh"] = frame["route"].map(ROUTE_ZH)
    frame["reason_en"], frame["reason_zh"] = _reasons(frame)
    columns = [
        "customer_id",
        "followers",
        "influence",
        "escalation_intent",
        "escalation_target",
        "anger",
        "reposts",
        "expected_reposts",
        "p_viral",
        "route",
        "route_zh",
        "reason_en",
        "reason_zh",
    ]
    return frame[columns]


def fit_reach_model(
    posts: pd.DataFrame,
    accounts: pd.DataFrame,
    as_of: pd.Timestamp,
    config: SocialWarningConfig | None = None,
    *,
    owners: pd.DataFrame | None = None,
    influence: pd.Series | None = None,
) -> PostReachModel:
    """Fit the reach model on brand posts settled by ``as_of`` (prior model if too few)."""
    config = config or SocialWarningConfig()
    cutoff = pd.Timestamp(as_of).normalize() + pd.Timedelta(days=1 - config.settle_days)
    settled = posts.loc[posts["mentions_brand"].astype(bool) & (posts["ts"] < cutoff)]
    if len(settled) < 30:
        return PostReachModel()
    inputs = reach_inputs(settled, accounts, owners, influence)
    return PostReachModel().fit(inputs, settled["reposts"].to_numpy())
