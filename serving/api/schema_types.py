"""Shared pieces of the API's models: value types, input limits and the error shapes."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, WithJsonSchema

from features import vocabulary

Target = Literal[vocabulary.TARGETS]
OutreachTarget = Literal["both", *vocabulary.TARGETS]
RiskTier = Literal["high", "medium", "low"]
Team = Literal[vocabulary.TEAMS]
Channel = Literal[vocabulary.CHANNELS]
Direction = Literal[vocabulary.DIRECTIONS]
Category = Literal[vocabulary.CATEGORIES]
Recipient = Literal["shift_supervisor", "crisis_team"]
Scalar = float | int | bool | str | None

OPERATOR_TZ = ZoneInfo("Asia/Shanghai")
MAX_ID_CHARS = 64
"""Customer, social-account and contact ids."""
MAX_TEXT_CHARS = 5_000
"""The text of one contact (a long complaint letter is about 2,000 characters)."""
MAX_DOCUMENT_CHARS = 20_000
"""A record's ``document``: a customer's recent complaint tokens (the demo's longest: 1,436)."""
MAX_CATEGORY_CHARS = 100
"""A categorical feature value of a record (plan codes, regions: short codes)."""
MAX_FEATURE_MAGNITUDE = 1e12
"""Largest absolute numeric feature value of a record (no count, amount or ratio comes near)."""
EARLIEST_EVENT = datetime(2000, 1, 1)
LATEST_EVENT = datetime(2200, 1, 1)
"""Static sanity bounds of ``ts`` (400); the service then applies the real window (422)."""
FUTURE_EVENT_TOLERANCE = timedelta(minutes=5)
"""How far in the future an event's ``ts`` may lie (clock skew between the CRM and us)."""

CustomerId = Annotated[str, StringConstraints(min_length=1, max_length=MAX_ID_CHARS)]
FeatureValue = (
    Annotated[int, Field(strict=True, ge=-MAX_FEATURE_MAGNITUDE, le=MAX_FEATURE_MAGNITUDE)]
    | Annotated[
        float,
        Field(
            strict=True,
            allow_inf_nan=False,
            ge=-MAX_FEATURE_MAGNITUDE,
            le=MAX_FEATURE_MAGNITUDE,
        ),
    ]
    | Annotated[bool, Field(strict=True)]
    | Annotated[str, StringConstraints(max_length=MAX_DOCUMENT_CHARS)]
    | None
)
"""One value of a feature record (finite, bounded numbers; per-key string caps are checked by
:func:`serving.api.records.parse_records`)."""
FEATURE_RECORD_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": (
        "One customer's feature values by column (exactly the model's input columns, see "
        "GET /model_info), plus optional `customer_id` (echoed back; its snapshot document "
        "feeds the text model) and `document` (masked, space-separated complaint tokens). "
        f"Numbers must be finite and at most {MAX_FEATURE_MAGNITUDE:.0e} in absolute value; "
        f"categorical values at most {MAX_CATEGORY_CHARS} characters."
    ),
    "properties": {
        "customer_id": {
            "anyOf": [
                {"type": "string", "minLength": 1, "maxLength": MAX_ID_CHARS},
                {"type": "null"},
            ]
        },
        "document": {
            "anyOf": [{"type": "string", "maxLength": MAX_DOCUMENT_CHARS}, {"type": "null"}]
        },
    },
    "additionalProperties": {
        "anyOf": [
            {
                "type": "number",
                "minimum": -MAX_FEATURE_MAGNITUDE,
                "maximum": MAX_FEATURE_MAGNITUDE,
            },
            {"type": "boolean"},
            {"type": "string", "maxLength": MAX_CATEGORY_CHARS},
            {"type": "null"},
        ]
    },
}
FeatureRecord = Annotated[dict[str, FeatureValue], WithJsonSchema(FEATURE_RECORD_SCHEMA)]
REQUEST_CONFIG = ConfigDict(extra="forbid", hide_input_in_errors=True)


class ResponseModel(BaseModel):
    """A response body: every field is always sent (``null`` where it has no value), so the
    spec marks them all required."""

    model_config = ConfigDict(json_schema_serialization_defaults_required=True)


class ValidationIssue(ResponseModel):
    """One violation of the request schema (no input values are echoed)."""

    type: str = Field(description="Pydantic error type, e.g. `string_too_long`, `missing`")
    loc: list[str | int] = Field(description="Path of the offending field in the body")
    msg: str = Field(description="The rule that was broken")
    url: str | None = Field(None, description="Documentation of the error type")


class Problem(BaseModel):
    """An error: what went wrong, and where when one field is to blame."""

    model_config = ConfigDict(json_schema_extra={"example": {"error": "...", "field": "ts"}})

    error: str = Field(description="The rule that was broken (input values are not echoed)")
    field: str | None = Field(
        None, description="The offending field, e.g. `records[3].bill_shock` or `content-type`"
    )
    detail: list[ValidationIssue] | None = Field(
        None, description="400 only: every violation of the request schema"
    )
