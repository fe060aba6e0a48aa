"""Configuration of the synthetic telecom world: one strict pydantic model per mechanism.

Rates are "per 30 days" (expected events in a 30-day window at constant state); the generator
converts them to per-day intensities. Defaults give a base of roughly 15% of customers contacting
per month, 8-15% repeat contacts and 1-4% escalations per 30-day window.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

NON_REGULATOR_CHANNELS = ("hotline", "wechat", "weibo", "app", "web_chat", "store", "email")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PopulationParams(_Strict):
    """Customers, plans and latent traits."""

    plan_shares: dict[str, float] = Field(
        default_factory=lambda: {
            "prepaid": 0.22,
            "postpaid_basic": 0.30,
            "postpaid_5g": 0.25,
            "family": 0.13,
            "broadband_bundle": 0.10,
        }
    )
    plan_fees: dict[str, tuple[float, ...]] = Field(
        default_factory=lambda: {
            "prepaid": (19.0, 29.0, 39.0, 59.0),
            "postpaid_basic": (39.0, 59.0, 79.0, 99.0),
            "postpaid_5g": (129.0, 169.0, 199.0, 239.0, 299.0),
            "family": (199.0, 239.0, 299.0, 399.0),
            "broadband_bundle": (99.0, 129.0, 169.0, 199.0),
        }
    )
    data_allowance_gb: dict[str, float] = Field(
        default_factory=lambda: {
            "prepaid": 10.0,
            "postpaid_basic": 20.0,
            "postpaid_5g": 60.0,
            "family": 100.0,
            "broadband_bundle": 40.0,
        }
    )
    voice_allowance_min: dict[str, float] = Field(
        default_factory=lambda: {
            "prepaid": 100.0,
            "postpaid_basic": 300.0,
            "postpaid_5g": 500.0,
            "family": 1000.0,
            "broadband_bundle": 500.0,
        }
    )
    annual_prepaid_share: float = Field(
        0.35,
        ge=0,
        le=1,
        description="Share of prepaid and broadband_bundle customers who prepaid a year: "
        "no monthly fee is billed, so any out-of-bundle charge becomes a tiny arrears.",
    )
    regions: dict[str, float] = Field(
        default_factory=lambda: {
            "广州": 0.14,
            "深圳": 0.13,
            "北京": 0.12,
            "上海": 0.12,
            "成都": 0.10,
            "杭州": 0.09,
            "武汉": 0.08,
            "西安": 0.08,
            "南京": 0.07,
            "重庆": 0.07,
        }
    )
    vip_shares: tuple[float, float, float, float] = (0.70, 0.18, 0.09, 0.03)
    autopay_share: dict[str, float] = Field(
        default_factory=lambda: {
            "prepaid": 0.10,
            "postpaid_basic": 0.50,
            "postpaid_5g": 0.60,
            "family": 0.60,
            "broadband_bundle": 0.40,
        }
    )
    propensity_sigma: float = Field(
        1.4, gt=0, description="Log-sd of the contact propensity (lognormal, mean 1)."
    )
    mean_tenure_years: float = Field(4.0, gt=0)
    bad_coverage_share: float = Field(0.08, ge=0, le=1)

    @model_validator(mode="after")
    def _plans_consistent(self) -> PopulationParams:
        plans = set(self.plan_shares)
        for name in ("plan_fees", "data_allowance_gb", "voice_allowance_min", "autopay_share"):
            if set(getattr(self, name)) != plans:
                raise ValueError(f"{name} must have the same plans as plan_shares")
        return self


class BillingParams(_Strict):
    """Bills, bill shocks, payments and arrears suspensions."""

    data_price_per_gb: float = Field(3.0, ge=0)
    voice_price_per_min: float = Field(0.15, ge=0)
    data_usage_sigma: float = Field(0.35, gt=0, description="Month-to-month log-sd of data use.")
    tiny_charge_prob: float = Field(
        0.05,
        ge=0,
        le=1,
        description="Monthly chance of a tiny out-of-bundle charge (annual prepaid).",
    )
    tiny_charges: tuple[float, ...] = (0.1, 0.1, 0.2, 0.3, 0.5)
    vas_new_prob: float = Field(0.02, ge=0, le=1)
    vas_fees: tuple[float, ...] = (5.0, 10.0, 15.0, 20.0, 30.0)
    vas_unsubscribe_prob: float = Field(0.04, ge=0, le=1)
    roaming_prob: float = Field(0.02, ge=0, le=1)
    roaming_mean_fee: float = Field(120.0, gt=0)
    pay_prob_autopay: float = Field(0.99, ge=0, le=1)
    pay_prob_manual: float = Field(0.93, ge=0, le=1)
    pay_prob_annual_prepaid: float = Field(
        0.3, ge=0, le=1, description="Annual-prepaid customers rarely notice a tiny bill."
    )
    annual_prepaid_notice_amount: float = Field(
        5.0, ge=0, description="Annual-prepaid customers pay bills from this amount like others."
    )
    suspend_prob_strict: float = Field(
        0.9, ge=0, le=1, description="prepaid/broadband_bundle: any unpaid amount suspends."
    )
    suspend_prob_postpaid: float = Field(0.7, ge=0, le=1)
    credit_limits: tuple[float, float, float, float] = Field(
        (100.0, 300.0, 1000.0, 1e12), description="Postpaid overdue that allows suspension, by VIP."
    )
    tiny_arrears_threshold: float = Field(1.0, gt=0, description="Arrears below this are 'tiny'.")
    suspension_start_days: tuple[int, int] = Field(
        (3, 21), description="First and last day-of-month offset (0-based) a suspension starts."
    )
    suspension_burst_days: int = Field(
        7, ge=1, description="Days over which a suspension's extra contacts and posts arrive."
    )
    resume_same_month_prob: float = Field(0.7, ge=0, le=1)
    resume_next_month_prob: float = Field(0.6, ge=0, le=1)
    refund_prob: float = Field(0.25, ge=0, le=1)
    plan_change_prob: float = Field(0.005, ge=0, le=1)
    plan_change_after_complaint_prob: float = Field(0.4, ge=0, le=1)

    @model_validator(mode="after")
    def _burst_in_month(self) -> BillingParams:
        _check_burst(self.suspension_start_days, self.suspension_burst_days)
        return self


class NetworkParams(_Strict):
    """Regional outages (within-month shocks) and chronic coverage problems."""

    outage_prob: float = Field(0.12, ge=0, le=1, description="Monthly outage chance of a region.")
    outage_prob_spread: float = Field(0.5, ge=0, description="Log-sd of region outage risk.")
    affected_share: float = Field(0.3, ge=0, le=1, description="Share of a region an outage hits.")
    outage_start_days: tuple[int, int] = Field(
        (3, 21), description="First and last day-of-month offset (0-based) an outage starts."
    )
    outage_burst_days: int = Field(
        7, ge=1, description="Days over which an outage's extra contacts and posts arrive."
    )
    outage_minutes_median: float = Field(180.0, gt=0)

    @model_validator(mode="after")
    def _burst_in_month(self) -> NetworkParams:
        _check_burst(self.outage_start_days, self.outage_burst_days)
        return self


class AngerParams(_Strict):
    """Latent anger at each month end: ``sigmoid(intercept + drivers + persistence * previous)``."""

    intercept: float = -3.0
    trait: float = 0.8
    unresolved: float = 0.8
    ticket_age: float = 0.3
    tiny_arrears: float = 1.6
    suspended: float = 0.8
    bill_shock: float = 0.35
    contacts: float = 0.15
    outage: float = 0.3
    viral: float = 0.5
    persistence: float = Field(0.4, ge=0, lt=1)


class ContactParams(_Strict):
    """Inbound contact intensity (per 30 days) by driver, escalation flags, channels, marks."""

    base_rate: float = Field(0.022, ge=0)
    overage_rate: float = Field(
        0.5, ge=0, description="Per unit of overage / monthly fee above shock_threshold."
    )
    shock_threshold: float = Field(
        0.2, ge=0, description="Overage or roaming below this share of the fee goes unnoticed."
    )
    vas_rate: float = Field(1.0, ge=0, description="After a new value-added-service charge.")
    roaming_rate: float = Field(0.5, ge=0, description="Like overage_rate, for roaming fees.")
    suspended_rate: float = Field(2.0, ge=0, description="While still suspended at month end.")
    after_suspension_rate: float = Field(0.4, ge=0)
    tiny_multiplier: float = Field(2.5, ge=0, description="Extra factor when arrears were tiny.")
    outage_lag_rate: float = Field(0.12, ge=0, description="Per log1p(outage minutes / 30).")
    coverage_rate: float = Field(0.15, ge=0)
    unresolved_rate: float = Field(1.4, ge=0)
    unresolved_age_slope: float = Field(0.3, ge=0)
    fragile_rate: float = Field(0.8, ge=0, description="Falsely resolved ticket: problem persists.")
    contagion_rate: float = Field(0.05, ge=0, description="Per neighbour who complained (max 3).")
    contagion_cap: int = Field(3, ge=0)
    follow_viral_rate: float = Field(0.1, ge=0)
    churn_rate: float = Field(0.5, ge=0)
    anger_volume: float = Field(0.5, ge=0)
    outage_shock_contacts: float = Field(
        0.5, ge=0, description="Expected extra contacts in the burst after an outage hits."
    )
    suspension_shock_contacts: float = Field(
        0.8, ge=0, description="Expected extra contacts in the burst after a suspension."
    )
    tiny_shock_multiplier: float = Field(2.0, ge=0)
    regulator_base: float = Field(0.0015, ge=0)
    regulator_anger: float = 2.0
    regulator_tiny: float = Field(8.0, ge=0)
    regulator_unresolved: float = Field(1.0, ge=0)
    regulator_threat: float = Field(5.0, ge=0)
    regulator_vip: float = Field(0.3, ge=0)
    regulator_suspension_shock: float = Field(
        0.006, ge=0, description="Expected regulator contacts after a suspension."
    )
    regulator_tiny_shock: float = Field(
        0.06, ge=0, description="Additional expected regulator contacts when arrears were tiny."
    )
    flag_intercept: float = -4.5
    flag_anger: float = 2.5
    flag_ticket_age: float = 0.3
    flag_threat: float = 1.6
    flag_vip: float = 0.25
    flag_tiny: float = 1.0
    channel_mix: dict[str, float] = Field(
        default_factory=lambda: {
            "hotline": 0.44,
            "wechat": 0.18,
            "weibo": 0.05,
            "app": 0.14,
            "web_chat": 0.08,
            "store": 0.08,
            "email": 0.03,
        }
    )
    channel_concentration: float = Field(2.0, gt=0, description="Dirichlet concentration.")
    anger_flattening: float = Field(
        0.3,
        ge=0,
        le=1,
        description="Share of an angry (anger = 1) customer's contacts spread evenly over "
        "the channels they can use instead of following their preference.",
    )
    weibo_identified_prob: float = Field(0.45, ge=0, le=1)
    wechat_identified_prob: float = Field(0.85, ge=0, le=1)
    text_prob: dict[str, float] = Field(
        default_factory=lambda: {
            "hotline": 0.6,
            "wechat": 0.85,
            "weibo": 0.9,
            "app": 0.75,
            "web_chat": 0.85,
            "store": 0.4,
            "email": 0.95,
            "regulator": 0.95,
        }
    )
    intent_intercept: float = -4.5
    intent_anger: float = 3.0
    intent_ticket_age: float = 0.4
    intent_tiny: float = 1.2
    negated_mention_prob: float = Field(0.04, ge=0, le=1)
    question_mention_prob: float = Field(0.03, ge=0, le=1)
    churn_intercept: float = -4.5
    churn_anger: float = 2.0
    resolve_prob: dict[str, float] = Field(
        default_factory=lambda: {
            "hotline": 0.75,
            "wechat": 0.65,
            "weibo": 0.55,
            "app": 0.65,
            "web_chat": 0.65,
            "store": 0.85,
            "email": 0.55,
            "regulator": 0.8,
        }
    )
    resolve_anger_penalty: float = Field(0.3, ge=0, le=1)
    false_resolution_prob: float = Field(0.25, ge=0, le=1)
    abandon_prob: float = Field(0.4, ge=0, le=1)
    fragile_persist_prob: float = Field(0.5, ge=0, le=1)
    csat_prob: float = Field(0.35, ge=0, le=1)
    outbound_followup_rate: float = Field(0.3, ge=0)
    outbound_collection_rate: float = Field(0.4, ge=0)
    outbound_outage_rate: float = Field(0.05, ge=0)
    outbound_marketing_rate: float = Field(0.01, ge=0)
    noise_contacts_per_customer: float = Field(
        0.004, ge=0, description="Monthly contacts from non-customers (unattributable)."
    )
    port_out_intercept: float = -6.0
    port_out_churn: float = 2.5
    port_out_anger: float = 2.0
    port_out_suspended: float = 1.0

    @model_validator(mode="after")
    def _channels_known(self) -> ContactParams:
        if set(self.channel_mix) != set(NON_REGULATOR_CHANNELS):
            raise ValueError(f"channel_mix must name exactly {NON_REGULATOR_CHANNELS}")
        channels = {*NON_REGULATOR_CHANNELS, "regulator"}
        for name in ("text_prob", "resolve_prob"):
            if set(getattr(self, name)) != channels:
                raise ValueError(f"{name} must name every channel")
        return self


class SocialParams(_Strict):
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


class GraphParams(_Strict):
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


class LabelParams(_Strict):
    """Label definitions the oracle computes probabilities for (DESIGN.md §5)."""

    horizon_days: int = Field(
        30, ge=28, le=31, description="Window length; within-month shocks need at least 28 days."
    )
    repeat_min_contacts: int = Field(2, ge=1)
    escalation_min_channels: int = Field(3, ge=2, le=8)
    viral_min_reposts: int = Field(100, ge=1)


class TreatmentConfig(_Strict):
    """Proactive-service treatment: treated customers' inbound intensity drops from ``start``."""

    customer_ids: list[str]
    start: date
    effect: float = Field(ge=0, le=1, description="Relative reduction of inbound intensity.")


class WorldConfig(_Strict):
    """Everything that defines one synthetic world."""

    customers: int = Field(5000, ge=10)
    months: int = Field(12, ge=1, le=60)
    start: date = date(2025, 11, 1)
    seed: int = Field(7, ge=0)
    brand: str = "星河移动"
    burn_in_months: int = Field(
        3, ge=0, le=12, description="Simulated before start so the first month has a past."
    )
    population: PopulationParams = Field(default_factory=PopulationParams)
    billing: BillingParams = Field(default_factory=BillingParams)
    network: NetworkParams = Field(default_factory=NetworkParams)
    anger: AngerParams = Field(default_factory=AngerParams)
    contacts: ContactParams = Field(default_factory=ContactParams)
    social: SocialParams = Field(default_factory=SocialParams)
    graph: GraphParams = Field(default_factory=GraphParams)
    labels: LabelParams = Field(default_factory=LabelParams)
    treatment: TreatmentConfig | None = None

    @field_validator("start")
    @classmethod
    def _first_of_month(cls, value: date) -> date:
        if value.day != 1:
            raise ValueError("start must be the first day of a month")
        return value


def _check_burst(start_days: tuple[int, int], burst_days: int) -> None:
    first, last = start_days
    if first < 3 or last < first or last + burst_days > 28:
        raise ValueError(
            "a shock must start on day offset >= 3 and its burst end by day 28 of the month, "
            "so it lies inside the label window of the previous month end"
        )
