"""Real-time contact events: the escalation early-warning rule and a fresh score.

The rule of the reported practice (:mod:`features.early_warning`, shared with the rule baseline
and the backtest): a customer who mentions escalating or appealing (negated, hearsay and plain
questions do not count), or who complains on three or more different channels within 30 days,
is reported to the shift supervisor at once. A regulator-channel contact or an
agent's escalation flag fires it too. Public exposure (a contact on a public social-media
channel, or a threat to go to the media or social media) also alerts the crisis team, as does a
fresh score whose recommended action is the crisis-team hand-off.

The customer's features are recomputed with the same code as the batch snapshots
(:func:`features.assemble.customer_features`) on their own rows plus every contact received
live, with the snapshot's graph features, as of the event's day. On the day after the served
snapshot the account, billing and usage features (which never read contacts) come from the
whole-base computation made at start-up.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from features.assemble import customer_features
from features.early_warning import (
    CHANNELS_COLUMN,
    MIN_CHANNELS,
    mentions_escalation,
    on_many_channels,
    stance_triggers,
)
from features.text import ESCALATION_KINDS, customer_documents
from features.text.analysis import analyze_strings
from features.text.pii import mask_strings
from features.vocabulary import PUBLIC_CHANNELS, REGULATOR_CHANNEL
from serving.api.live import score_frame
from serving.api.lookup import error_item, result_items
from serving.api.schemas import OPERATOR_TZ, ContactEvent

if TYPE_CHECKING:
    from serving.api.state import ServingState

logger = logging.getLogger(__name__)

CRISIS_ACTION = "crisis_team_handoff"
LATE_EVENT_DAYS = 30
"""Days before the served snapshot an event may lie: a CRM's queue replayed after an outage is
still welcome; older contacts belong to the batch ingest (the early warning is about now)."""


class EventError(ValueError):
    """An event the service cannot use; ``field`` names where (e.g. ``ts``)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def check_event_time(state: ServingState, event: ContactEvent, now: datetime | None = None) -> None:
    """Refuse an event dated in the future or long before the served data.

    Args:
        state: Loaded service state (its served snapshot date).
        event: The contact.
        now: The current time (default: the clock).

    Raises:
        EventError: ``ts`` more than 5 minutes ahead of ``now`` (a future-dated contact would
            stay in the customer's live contacts forever), or before the day
            :data:`LATE_EVENT_DAYS` days ahead of the served snapshot.
    """
    if event.is_future(now):
        raise EventError("ts", "lies in the future (at most 5 minutes of clock skew allowed)")
    earliest = state.scores.as_of - timedelta(days=LATE_EVENT_DAYS)
    if operator_time(event.ts).date() < earliest:
        raise EventError(
            "ts",
            f"lies more than {LATE_EVENT_DAYS} days before the served snapshot "
            f"({earliest.isoformat()} is the earliest day accepted)",
        )


class EarlyWarningConfig(BaseModel):
    """Thresholds of the early-warning rule.

    Attributes:
        distinct_channels: Channels within 30 days (this contact included) that fire the rule.
        public_channels: Channels whose contacts are public (crisis-team relevant).
        public_targets: Escalation targets that mean public exposure.
    """

    model_config = ConfigDict(extra="forbid")

    distinct_channels: int = Field(MIN_CHANNELS, ge=2)
    public_channels: tuple[str, ...] = PUBLIC_CHANNELS
    public_targets: tuple[str, ...] = ("media", "social")


def operator_time(ts: datetime) -> pd.Timestamp:
    """An event time as naive Asia/Shanghai wall-clock time (as ingest stores timestamps)."""
    stamp = pd.Timestamp(ts)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert(OPERATOR_TZ).tz_localize(None)
    return stamp.as_unit("ns")


def text_signals(text: str | None) -> dict[str, Any]:
    """Escalation and churn intent, the kinds of escalation mentioned (threat, done, hearsay,
    negated, question), escalation targets and anger of one text.

    The same analysis as the text features (:func:`features.text.analyze_texts`), on the
    array path that skips building frames for a single text.
    """
    masked = mask_strings(np.array([text or ""], dtype=object))
    analysis = analyze_strings(masked)
    affirmed = analysis.targets[0]
    targets = [kind for kind, yes in zip(ESCALATION_KINDS, affirmed, strict=True) if yes]
    return {
        "escalation_intent": bool(affirmed.any()),
        "escalation_target": targets[0] if targets else None,
        "churn_intent": bool(analysis.churn_intent[0]),
        "anger": float(analysis.anger[0]),
        "escalation_kinds": analysis.kinds(0),
        "targets": targets,
    }


def early_warning(
    signals: dict[str, Any],
    event: ContactEvent,
    distinct_channels: int,
    action: str | None,
    config: EarlyWarningConfig,
) -> dict[str, Any]:
    """Apply the early-warning rule to one event.

    Args:
        signals: Output of :func:`text_signals`.
        event: The contact.
        distinct_channels: Channels the customer used in the last 30 days, this one included.
        action: Recommended action of the fresh score (``None`` when not scored).
        config: Thresholds.

    Returns:
        ``flag``, ``triggers``, ``distinct_channels_30d`` and ``notify``.
    """
    triggers = []
    if mentions_escalation(signals["escalation_intent"]):
        triggers.append("escalation_words")
    triggers.extend(stance_triggers(signals["escalation_kinds"]))
    if on_many_channels(distinct_channels, config.distinct_channels):
        triggers.append("multi_channel")
    if event.channel == REGULATOR_CHANNEL:
        triggers.append("regulator_channel")
    if event.escalated_flag:
        triggers.append("agent_flag")
    public = event.channel in config.public_channels or any(
        target in config.public_targets for target in signals["targets"]
    )
    notify = ["shift_supervisor"] if triggers else []
    if (triggers and public) or action == CRISIS_ACTION:
        notify.append("crisis_team")
    return {
        "flag": bool(triggers),
        "triggers": triggers,
        "distinct_channels_30d": distinct_channels,
        "notify": notify,
    }


def _column(value: Any, dtype: Any) -> Any:
    """A one-value column of ``dtype`` (numpy or pandas extension dtype)."""
    if isinstance(dtype, np.dtype):
        return np.array([value], dtype=dtype)
    return pd.array([value], dtype=dtype)


def contact_values(
    event: ContactEvent, contact_id: str, columns: Sequence[str], owner: str | None
) -> dict[str, Any]:
    """The event as one resolved contact, ``{column: value}`` for each of ``columns``.

    Identity is resolved as :func:`features.identity.resolve_contacts` does it: a contact
    without a customer id belongs to the owner of its bound social account, if any.

    Args:
        event: The contact.
        contact_id: Its id.
        columns: Columns of the contacts table.
        owner: Customer the event's social account is bound to, if any.
    """
    via_social = event.customer_id is None and owner is not None
    values = {
        "contact_id": contact_id,
        "customer_id": owner if via_social else event.customer_id,
        "ts": operator_time(event.ts).to_datetime64(),
        "channel": event.channel,
        "direction": event.direction,
        "category": event.category,
        "text": event.text,
        "ticket_id": None,
        "resolved": False,
        "handle_seconds": 0,
        "transfers": 0,
        "csat": np.nan,
        "escalated_flag": event.escalated_flag,
        "social_account_id": event.social_account_id,
        "resolved_via_social": via_social,
    }
    return {column: values[column] for column in columns}


def contact_row(
    event: ContactEvent,
    contact_id: str,
    template: pd.DataFrame,
    owner: str | None,
) -> pd.DataFrame:
    """The event as one resolved contact row, with the columns and dtypes of ``template``.

    Arguments as in :func:`contact_values`; ``template`` is the contacts table.
    """
    values = contact_values(event, contact_id, list(template.columns), owner)
    dtypes = template.dtypes
    return pd.DataFrame(
        {column: _column(value, dtypes[column]) for column, value in values.items()}
    )


def _previous(state: ServingState, customer_id: str) -> dict[str, Any] | None:
    row = state.scores.row(customer_id)
    if row is None:
        return None
    return {
        "as_of": state.scores.as_of,
        "p_repeat_contact": float(row["p_repeat_contact"]),
        "p_escalation": float(row["p_escalation"]),
        "risk_tier": row["risk_tier"],
    }


def rescore_customer(
    state: ServingState, customer_id: str, as_of: date
) -> tuple[dict[str, Any], int] | None:
    """Recompute one customer's features as of ``as_of`` and score them with live reasons.

    Returns:
        The result item and the customer's distinct channels in the last 30 days, or ``None``
        when the customer has no account yet on that day.
    """
    tables = state.rows.tables_for(customer_id)
    features = customer_features(
        tables,
        as_of,
        graph=state.graph_of(customer_id),
        contact_free=state.contact_free_row(customer_id, as_of),
    )
    if features.empty:
        return None
    documents = customer_documents(
        tables.contacts, as_of, posts=tables.social_posts, tokenizer=state.tokenizer
    )
    scored = score_frame(state, features, documents, explain=True)
    item = result_items(scored, [0], "live")[0]
    return item, int(features[CHANNELS_COLUMN].iloc[0])


def process_event(
    state: ServingState, event: ContactEvent, config: EarlyWarningConfig | None = None
) -> dict[str, Any]:
    """Record a contact in memory, apply the early-warning rule and rescore the customer.

    Args:
        state: Loaded service state (the contact is appended to its in-memory rows).
        event: The contact.
        config: Rule thresholds.

    Returns:
        An ``EventResponse`` dict. A contact from an unknown customer or an unbound social
        account is still analysed and can raise the flag; it carries a per-item error instead
        of scores.
    """
    config = config or EarlyWarningConfig()
    contact_id = event.contact_id or f"live-{uuid.uuid4().hex[:20]}"
    stamp = operator_time(event.ts)
    as_of = stamp.normalize().date()
    signals = text_signals(event.text)
    owner = None if event.social_account_id is None else state.rows.owner(event.social_account_id)
    contact = contact_values(event, contact_id, state.rows.contact_columns, owner)
    customer_id = event.customer_id if event.customer_id is not None else owner
    score, error, channels, recorded = None, None, 1, False
    if customer_id is None or customer_id not in state.rows:
        message = (
            "customer_id is not a known customer"
            if customer_id is not None
            else "social_account_id is not bound to a known customer"
        )
        error = error_item(0, customer_id, "unknown_customer", message)["error"]
    else:
        recorded = state.rows.append_contact(contact)
        rescored = rescore_customer(state, customer_id, as_of)
        if rescored is None:
            error = {
                "code": "not_in_snapshot",
                "message": "the customer has no open account on the day of ts",
            }
        else:
            score, channels = rescored
    warning = early_warning(
        signals, event, channels, None if score is None else score["action"]["code"], config
    )
    logger.info(
        "contact event %s customer=%s channel=%s flag=%s triggers=%s notify=%s",
        contact_id,
        customer_id,
        event.channel,
        warning["flag"],
        ",".join(warning["triggers"]) or "-",
        ",".join(warning["notify"]) or "-",
    )
    return {
        "contact_id": contact_id,
        "recorded": recorded,
        "customer_id": customer_id,
        "as_of": as_of,
        "text": {k: v for k, v in signals.items() if k != "targets"},
        "early_warning": warning,
        "score": score,
        "previous": None if customer_id is None else _previous(state, customer_id),
        "model_versions": state.champions.versions,
        "error": error,
    }
