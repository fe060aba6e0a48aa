"""Point-in-time labels: what happens in the horizon ``(T, T + H]`` after a snapshot at T."""

from __future__ import annotations

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from features.core.timeline import label_window, snapshot_end
from features.vocabulary import INBOUND, REGULATOR_CHANNEL, TARGETS, Target

LABELS = TARGETS


class LabelConfig(BaseModel):
    """Label definitions (DESIGN.md §5)."""

    model_config = ConfigDict(extra="forbid")

    horizon_days: int = Field(30, ge=1, le=365)
    repeat_min_contacts: int = Field(2, ge=1, description="Inbound contacts that make a repeat.")
    escalation_min_channels: int = Field(3, ge=2, description="Distinct inbound channels.")
    viral_min_reposts: int = Field(100, ge=1, description="Reposts of a brand post.")


def horizon_is_observed(as_of: str | pd.Timestamp, data_end: pd.Timestamp, horizon: int) -> bool:
    """Whether the whole label window of a snapshot lies inside the data."""
    return snapshot_end(as_of) + pd.Timedelta(days=horizon) <= data_end + pd.Timedelta(
        microseconds=1
    )


def make_labels(
    contacts: pd.DataFrame,
    posts: pd.DataFrame,
    customer_ids: pd.Index,
    as_of: str | pd.Timestamp,
    config: LabelConfig | None = None,
) -> pd.DataFrame:
    """Labels of a snapshot, from rows in ``(T, T + H]`` only.

    The escalation label's social part (a brand-mentioning post with at least
    ``viral_min_reposts`` reposts) needs posts attributed to customers through bound accounts.
    Without the optional ``social_posts`` or ``social_accounts`` table ``posts`` is empty and the
    label comes from contacts alone (regulator channel, escalated flag, distinct channels); the
    snapshot records that part in ``label_parts_absent`` (see :data:`features.sources.LABEL_PARTS`).

    Args:
        contacts: Contacts with identity resolved (``customer_id`` filled where possible).
        posts: Social posts with ``customer_id`` resolved (nullable).
        customer_ids: Customers of the snapshot.
        as_of: Snapshot date T.
        config: Label thresholds.

    Returns:
        Frame indexed by ``customer_id`` with boolean ``repeat_contact`` and ``escalation``.
    """
    config = config or LabelConfig()
    index = pd.Index(customer_ids, name="customer_id")
    window = label_window(contacts, "ts", as_of, config.horizon_days)
    inbound = window.loc[(window["direction"] == INBOUND) & window["customer_id"].notna()]
    by_customer = inbound.groupby("customer_id")
    repeat = by_customer.size().reindex(index, fill_value=0) >= config.repeat_min_contacts

    regulator = (inbound["channel"] == REGULATOR_CHANNEL).groupby(inbound["customer_id"]).any()
    flagged = inbound["escalated_flag"].groupby(inbound["customer_id"]).any()
    channels = by_customer["channel"].nunique() >= config.escalation_min_channels
    post_window = label_window(posts, "ts", as_of, config.horizon_days)
    viral = post_window.loc[
        post_window["mentions_brand"]
        & post_window["customer_id"].notna()
        & (post_window["reposts"] >= config.viral_min_reposts)
    ]
    viral_customers = pd.Index(viral["customer_id"].unique())

    escalation = (
        regulator.reindex(index, fill_value=False)
        | flagged.reindex(index, fill_value=False)
        | channels.reindex(index, fill_value=False)
        | index.isin(viral_customers)
    )
    return pd.DataFrame(
        {Target.REPEAT_CONTACT.value: repeat, Target.ESCALATION.value: escalation}, index=index
    )
