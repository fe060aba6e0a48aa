"""Configuration of the social side: accounts, posts, reposts and the social graph."""

from __future__ import annotations

from pydantic import Field, model_validator

from pipelines.synthetic.config_base import FrozenParams


class SocialParams(FrozenParams):
    """Social accounts, posts and repost cascades."""

    account_prob: dict[str, tuple[float, float]] = Field(
        default_factory=lambda: {
            "weibo": (0.08, 0.40),
            "wechat": (0.15, 0.35),
            "douyin": (0.05, 0.30),
            "xiaohongshu": (0.03, 0.15),
        },
        description="(intercept, slope on social activity) of owning an account per platform.",
    )
    bound_prob: dict[str, float] = Field(
        default_factory=lambda: {"weibo": 0.45, "wechat": 0.75, "douyin": 0.35, "xiaohongshu": 0.3}
    )
    post_weight: dict[str, float] = Field(
        default_factory=lambda: {"weibo": 0.5, "wechat": 0.15, "douyin": 0.2, "xiaohongshu": 0.15}
    )
    followers_log_mean: float = 3.0
    followers_social_slope: float = 2.5
    followers_log_sd: float = Field(1.6, gt=0)
    noise_account_share: float = Field(0.1, ge=0)
    nonbrand_post_rate: float = Field(0.25, ge=0, description="Per account, times social activity.")
    brand_post_rate: float = Field(0.05, ge=0, description="Per customer, times social activity.")
    brand_post_anger: float = 2.0
    brand_post_grievance: float = Field(1.5, ge=0)
    brand_post_threat: float = Field(1.0, ge=0)
    outage_shock_posts: float = Field(
        0.01, ge=0, description="Expected brand posts after an outage, times social activity."
    )
    suspension_shock_posts: float = Field(
        0.025, ge=0, description="Expected brand posts after a suspension, times social activity."
    )
    tiny_shock_post_multiplier: float = Field(4.0, ge=0)
    repost_log_intercept: float = -0.5
    repost_log_followers: float = 0.6
    repost_log_anger: float = 1.5
    repost_log_tiny: float = 1.5
    repost_log_sd: float = Field(1.3, gt=0)
    nonbrand_repost_offset: float = -1.0
    noise_post_rate: float = Field(0.5, ge=0)
    noise_brand_post_rate: float = Field(0.02, ge=0)

    @model_validator(mode="after")
    def _platforms_known(self) -> SocialParams:
        platforms = {"weibo", "wechat", "douyin", "xiaohongshu"}
        for name in ("account_prob", "bound_prob", "post_weight"):
            if set(getattr(self, name)) != platforms:
                raise ValueError(f"{name} must name exactly {sorted(platforms)}")
        return self


class GraphParams(FrozenParams):
    """Static social ties (communities, families) and their monthly call/SMS activity."""

    mean_degree: float = Field(3.5, ge=0)
    degree_log_sd: float = Field(0.9, ge=0)
    community_mean_size: float = Field(60.0, ge=2)
    within_community_share: float = Field(0.8, ge=0, le=1)
    household_sizes: tuple[int, ...] = (2, 2, 3, 3, 3, 4)
    call_active_prob: float = Field(0.35, ge=0, le=1)
    family_call_active_prob: float = Field(0.85, ge=0, le=1)
    sms_active_prob: float = Field(0.15, ge=0, le=1)
    call_weight_scale: float = Field(6.0, ge=0)
    sms_weight_scale: float = Field(3.0, ge=0)
    follows_per_account_holder: float = Field(0.6, ge=0)
    follow_preference: float = Field(0.8, ge=0, description="Exponent on followers of the target.")
