"""Request and response models of the HTTP API (their JSON schemas make the OpenAPI spec).

Numbers and flags of requests are strict (no "10" or ``true`` for an integer, no "true" for
a boolean) and every free-text field is capped; see ``docs/api.md`` for the limits and the error
format.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from features import vocabulary
from serving.api.schema_types import (  # noqa: F401 (re-exported)
    EARLIEST_EVENT,
    FUTURE_EVENT_TOLERANCE,
    LATEST_EVENT,
    MAX_CATEGORY_CHARS,
    MAX_DOCUMENT_CHARS,
    MAX_FEATURE_MAGNITUDE,
    MAX_ID_CHARS,
    MAX_TEXT_CHARS,
    OPERATOR_TZ,
    REQUEST_CONFIG,
    Category,
    Channel,
    CustomerId,
    Direction,
    FeatureRecord,
    FeatureValue,
    OutreachTarget,
    Problem,
    Recipient,
    ResponseModel,
    RiskTier,
    Scalar,
    Target,
    Team,
    ValidationIssue,
)


class ModelVersion(ResponseModel):
    """A registered model version that produced scores."""

    name: str
    version: str
    alias: str


class Reason(ResponseModel):
    """One reason code: a feature that pushed the customer's risk up."""

    target: Target
    feature: str
    value: Scalar = None
    contribution: float = Field(description="Contribution to the log-odds (LightGBM pred_contrib)")
    zh: str
    en: str


class Action(ResponseModel):
    """Recommended outreach action."""

    code: str = Field(examples=["bill_explanation_call"])
    zh: str
    en: str
    team: Team


class ItemError(ResponseModel):
    """Why one item of a batch could not be scored (the rest of the batch is unaffected)."""

    code: Literal["unknown_customer", "not_in_snapshot"]
    message: str


class CustomerScore(ResponseModel):
    """Scores of one requested customer, or the error that prevented them."""

    index: int = Field(description="Position of the item in the request")
    customer_id: str | None = None
    p_repeat_contact: float | None = None
    p_escalation: float | None = None
    risk_tier: RiskTier | None = None
    action: Action | None = None
    reasons: list[Reason] = Field(default_factory=list, description="Strongest first, up to 3")
    source: Literal["snapshot", "live"] | None = Field(
        None, description="`snapshot`: batch scores looked up by id; `live`: scored now"
    )
    error: ItemError | None = None


class ScoreRequest(BaseModel):
    """Score customers by id (batch scores of the served snapshot) or by feature records."""

    model_config = ConfigDict(
        **REQUEST_CONFIG,
        json_schema_extra={"example": {"customer_ids": ["C0000001", "C0000002"]}},
    )

    customer_ids: list[CustomerId] | None = Field(
        None, min_length=1, description="Customer ids; unknown ids get a per-item error"
    )
    records: list[FeatureRecord] | None = Field(
        None, min_length=1, description="Feature rows scored live by both champion models"
    )
    explain: bool | None = Field(
        None,
        strict=True,
        description="Live reason codes for `records` (default: only for small batches). "
        "Lookups by id always carry the snapshot's reasons.",
    )

    @model_validator(mode="after")
    def _one_source(self) -> ScoreRequest:
        if (self.customer_ids is None) == (self.records is None):
            raise ValueError("give exactly one of customer_ids or records")
        return self


class ScoreResponse(ResponseModel):
    """Scores in request order."""

    as_of: date | None = Field(None, description="Snapshot date of the looked-up scores")
    model_versions: dict[str, ModelVersion]
    explained: bool = Field(description="Whether reasons were computed (or looked up)")
    count: int
    errors: int
    results: list[CustomerScore]


class OutreachRequest(BaseModel):
    """Who to contact, within capacity, with a control group held out."""

    model_config = ConfigDict(
        **REQUEST_CONFIG,
        json_schema_extra={"example": {"capacity": 10, "holdout_fraction": 0.1}},
    )

    capacity: int = Field(ge=1, strict=True, description="Customers the teams can contact in total")
    as_of: date | None = Field(None, description="Scored snapshot (default: the served one)")
    target: OutreachTarget = Field(
        "both", description="Value only the avoided repeat contacts, escalations, or both"
    )
    holdout_fraction: float = Field(
        0.1,
        ge=0,
        le=0.9,
        strict=True,
        description="Share of customers held out as a never-contacted control",
    )
    holdout_seed: int | None = Field(
        None,
        ge=0,
        le=10**9 - 1,
        strict=True,
        description="Seed of the holdout draw (default: the policy's)",
    )
    fill_capacity: bool = Field(
        False,
        strict=True,
        description="Fill the capacity even with customers of non-positive net value",
    )


class OutreachCustomer(ResponseModel):
    """One customer of the plan."""

    customer_id: str
    group: Literal["outreach", "holdout"]
    contact: bool = Field(description="False for the control group: do NOT contact")
    team: Team
    rank: int = Field(description="1 = first call within the team and group")
    action: Action
    p_repeat_contact: float
    p_escalation: float
    risk_tier: RiskTier | None = None
    net_value: float = Field(description="Expected yuan saved minus the action's cost")
    expected_avoided_repeat: float
    expected_avoided_escalation: float
    reasons: list[Reason] = Field(default_factory=list)


class OutreachResponse(ResponseModel):
    """The outreach list and its control group."""

    plan_id: str
    as_of: date
    capacity: int
    target: str
    holdout_fraction: float
    holdout_seed: int
    model_versions: dict[str, ModelVersion]
    outreach: list[OutreachCustomer]
    holdout: list[OutreachCustomer]


class ContactEvent(BaseModel):
    """A contact as it happens (texts are analysed, never logged)."""

    model_config = ConfigDict(
        **REQUEST_CONFIG,
        json_schema_extra={
            "example": {
                "customer_id": "C0000001",
                "channel": "hotline",
                "text": "就欠了1毛钱就把我宽带和手机都停了，再不处理我就去工信部投诉！",
                "ts": "2026-11-02T10:15:00+08:00",
                "category": "suspension",
            }
        },
    )

    customer_id: CustomerId | None = None
    social_account_id: CustomerId | None = None
    channel: Channel
    text: Annotated[str, StringConstraints(max_length=MAX_TEXT_CHARS)] | None = None
    ts: datetime = Field(
        description="When the contact happened; naive times are Asia/Shanghai wall-clock. "
        "At most 5 minutes in the future, and not before the data the service holds "
        "(422 otherwise)."
    )
    direction: Direction = vocabulary.INBOUND
    category: Category = vocabulary.Category.INQUIRY.value
    contact_id: CustomerId | None = None
    escalated_flag: bool = Field(
        False, strict=True, description="The agent flagged it as an escalation"
    )

    @field_validator("ts")
    @classmethod
    def _plausible_time(cls, value: datetime) -> datetime:
        if not EARLIEST_EVENT <= value.replace(tzinfo=None) < LATEST_EVENT:
            raise ValueError(
                f"ts must lie between {EARLIEST_EVENT.year} and {LATEST_EVENT.year - 1}"
            )
        return value

    def is_future(self, now: datetime | None = None) -> bool:
        """Whether ``ts`` lies more than :data:`FUTURE_EVENT_TOLERANCE` after ``now``."""
        stamp = self.ts if self.ts.tzinfo is not None else self.ts.replace(tzinfo=OPERATOR_TZ)
        return stamp > (now or datetime.now(OPERATOR_TZ)) + FUTURE_EVENT_TOLERANCE

    @model_validator(mode="after")
    def _someone(self) -> ContactEvent:
        if self.customer_id is None and self.social_account_id is None:
            raise ValueError("give customer_id or social_account_id")
        return self


class TextSignals(ResponseModel):
    """What the text says (negation, hearsay and questions are handled)."""

    escalation_intent: bool = Field(description="Threatens escalation or reports one done")
    escalation_target: str | None = None
    escalation_kinds: list[str] = Field(
        description="How escalation is mentioned: threat, done (already escalated, or an @ of "
        "the regulator or media), hearsay, negated, question"
    )
    churn_intent: bool
    anger: float


class EarlyWarning(ResponseModel):
    """The escalation early-warning rule applied to the event."""

    flag: bool
    triggers: list[str] = Field(
        description="Rules that fired: escalation_words, escalation_threat, escalation_done, "
        "multi_channel, regulator_channel, agent_flag"
    )
    distinct_channels_30d: int
    notify: list[Recipient]


class PreviousScores(ResponseModel):
    """The customer's batch scores before this event (served snapshot)."""

    as_of: date
    p_repeat_contact: float
    p_escalation: float
    risk_tier: RiskTier


class EventResponse(ResponseModel):
    """Early warning and fresh scores after a contact event."""

    contact_id: str
    recorded: bool = Field(
        description="The contact was added to the customer's live contacts; false for an "
        "unknown customer or a contact_id received before (a retry is not counted twice)"
    )
    customer_id: str | None
    as_of: date = Field(description="Feature date of the live scores (the event's day)")
    text: TextSignals
    early_warning: EarlyWarning
    score: CustomerScore | None = None
    previous: PreviousScores | None = None
    model_versions: dict[str, ModelVersion]
    error: ItemError | None = None


class ModelInfo(ResponseModel):
    """One champion model."""

    target: Target
    name: str
    version: str
    aliases: list[str]
    run_id: str | None = None
    training_window: dict[str, Any] = Field(default_factory=dict)
    metrics: dict[str, float] = Field(default_factory=dict)
    input_columns: list[str]
    feature_config: dict[str, Any] | None = Field(
        None,
        description="Feature and label configuration of the snapshots the model was trained on "
        "(label horizon, graph settings); null when the snapshots did not record it.",
    )
    scoring: dict[str, Any] | None = Field(
        None,
        description="Scoring configuration chosen at training time (tiers, actions, reasons), "
        "applied by batch scoring and this service; null for models trained before models "
        "carried one (the defaults apply).",
    )
    missing_tables: list[str] = Field(
        default_factory=list,
        description="Optional contract tables (social_accounts, social_posts, edges) the "
        "training data lacked; empty when every table was present.",
    )
    families_available: list[str] = Field(
        default_factory=list,
        description="Source feature families the model could use (structured, text, "
        "text_posts, identity_accounts, identity_posts, graph; see docs/data_contract.md).",
    )
    families_absent: list[str] = Field(
        default_factory=list,
        description="Source feature families left out because the tables feeding them were "
        "missing (absent, not zero-filled).",
    )
    label_parts_absent: list[str] = Field(
        default_factory=list,
        description="Label parts that could not be observed, e.g. escalation.viral_post without "
        "social posts (the escalation label then comes from contacts alone).",
    )


class ModelInfoResponse(ResponseModel):
    """The models and data the service answers with."""

    models: list[ModelInfo]
    snapshot_as_of: date
    scores_as_of: date
    customers: int
    scores_model_versions: dict[str, ModelVersion]
    max_batch_size: int
    live_explain_max_rows: int
