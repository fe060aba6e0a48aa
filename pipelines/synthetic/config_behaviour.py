"""Configuration of customer behaviour: latent anger and contacts (rates, channels, marks)."""

from __future__ import annotations

from pydantic import Field, model_validator

from pipelines.synthetic.config_base import NON_REGULATOR_CHANNELS, FrozenParams


class AngerParams(FrozenParams):
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


class ContactParams(FrozenParams):
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
