"""Per-customer text features over the last 30 and 90 days."""

from __future__ import annotations

import numpy as np
import pandas as pd

from features.text.analysis import TARGET_COLUMNS, TOPIC_COLUMNS, analyze_masked
from features.text.corpus import window_texts
from features.text.patterns import ESCALATION_KINDS, TOPICS
from features.text.specs import FEATURES, LONG_WINDOW, TEXT_DEFAULTS, WINDOWS
from features.timeline import snapshot_end

FEATURE_COLUMNS: list[str] = [spec.name for spec in FEATURES]


def _empty() -> pd.DataFrame:
    frame = pd.DataFrame({column: pd.Series(dtype=float) for column in FEATURE_COLUMNS})
    frame.index = pd.Index([], dtype=object, name="customer_id")
    return frame


def _window_aggregates(rows: pd.DataFrame, days: int) -> pd.DataFrame:
    grouped = rows.groupby("customer_id", sort=True)
    aggregates = {
        f"txt_n_texts_{days}d": grouped.size(),
        f"txt_escalation_intent_count_{days}d": grouped["escalation_intent"].sum(),
        f"txt_escalation_intent_any_{days}d": grouped["escalation_intent"].any(),
        f"txt_churn_intent_any_{days}d": grouped["churn_intent"].any(),
        f"txt_anger_max_{days}d": grouped["anger"].max(),
        f"txt_anger_mean_{days}d": grouped["anger"].mean(),
        f"txt_nonintent_mentions_{days}d": grouped["nonintent_mentions"].sum(),
    }
    topic_means = grouped[list(TOPIC_COLUMNS)].mean()
    for topic, column in zip(TOPICS, TOPIC_COLUMNS, strict=True):
        aggregates[f"txt_topic_{topic}_share_{days}d"] = topic_means[column]
    return pd.DataFrame(aggregates)


def _long_window_flags(rows: pd.DataFrame) -> pd.DataFrame:
    grouped = rows.groupby("customer_id", sort=True)
    flags = grouped[list(TARGET_COLUMNS)].any()
    flags.columns = [f"txt_target_{kind}_{LONG_WINDOW}d" for kind in ESCALATION_KINDS]
    is_post = rows["source"].eq("post")
    flags[f"txt_n_posts_{LONG_WINDOW}d"] = is_post.groupby(rows["customer_id"], sort=True).sum()
    return flags


def text_features(
    contacts: pd.DataFrame,
    as_of: str | pd.Timestamp,
    posts: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Text-mined complaint features per customer as of the end of day ``as_of``.

    Uses the masked contact texts of identified customers (and brand-mentioning posts when
    ``posts`` is given) of the last 30 and 90 days; rows after ``as_of`` are never read.
    Works on any subset of customers with all of their rows: a customer's values depend on
    that customer's rows only.

    Args:
        contacts: Contacts with ``customer_id`` (nullable; null rows are ignored), ``ts``
            (naive Shanghai time) and ``text`` (nullable); ``contact_id`` orders same-time rows.
        as_of: Snapshot date.
        posts: Optional social posts resolved to customers: ``customer_id``, ``ts``, ``text``
            and optionally ``mentions_brand`` (posts without the brand are ignored).

    Returns:
        One row per customer with at least one non-blank text in the last 90 days, indexed by
        ``customer_id`` (str, sorted), float columns listed in :data:`FEATURES`. Customers
        without texts are absent; fill them from :data:`TEXT_DEFAULTS`.
    """
    corpus = window_texts(contacts, as_of, LONG_WINDOW, posts)
    if corpus.empty:
        return _empty()
    analysis = analyze_masked(corpus["text"])
    rows = pd.concat([corpus.drop(columns="text"), analysis], axis=1)
    parts = []
    for days in WINDOWS:
        start = snapshot_end(as_of) - pd.Timedelta(days=days)
        parts.append(_window_aggregates(rows.loc[rows["ts"] >= start], days))
    parts.append(_long_window_flags(rows))
    customers = pd.Index(np.sort(rows["customer_id"].unique()), name="customer_id")
    frame = pd.concat(parts, axis=1).reindex(customers)
    frame = frame[FEATURE_COLUMNS].astype(float).fillna(TEXT_DEFAULTS)
    return frame
