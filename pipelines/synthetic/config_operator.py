"""Configuration of the operator side of the world: customers and plans, bills, network."""

from __future__ import annotations

from pydantic import Field, model_validator

from pipelines.synthetic.config_base import FrozenParams, check_burst_in_month


class PopulationParams(FrozenParams):
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


class BillingParams(FrozenParams):
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
        check_burst_in_month(self.suspension_start_days, self.suspension_burst_days)
        return self


class NetworkParams(FrozenParams):
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
        check_burst_in_month(self.outage_start_days, self.outage_burst_days)
        return self
