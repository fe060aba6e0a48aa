"""The text signals of single texts as a table, for operators to inspect their own texts.

No raw text leaves this module: the table holds ids and signals only.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from features.text.analysis import analyze_texts
from features.text.stance import AT_KINDS, STANCES

ANGRY_SCORE = 1 / 3
"""Anger score from which a text counts as angry in summaries (one strong anger word)."""
SIGNAL_COLUMNS: tuple[str, ...] = (
    "escalation_intent",
    "escalation_target",
    *(f"escalation_{stance}" for stance in STANCES),
    "escalation_kinds",
    *(f"at_{kind}" for kind in AT_KINDS),
    "churn_intent",
    "anger",
    "angry",
    "exclamations",
    "sarcasm",
    "rights_terms",
    "top_topic",
)
"""Columns of :func:`text_signal_table` after ``id``."""
SUMMARY_KINDS: tuple[str, ...] = (
    "escalation_intent",
    *(f"escalation_{stance}" for stance in STANCES),
    *(f"at_{kind}" for kind in AT_KINDS),
    "churn_intent",
    "angry",
    "sarcasm",
)


def text_signal_table(texts: pd.Series, ids: pd.Series | None = None) -> pd.DataFrame:
    """The text signals of each text (PII masked first), one row per text, without the text.

    Args:
        texts: Raw texts (nulls allowed: they get no signals).
        ids: Optional ids aligned with ``texts``; the row number (from 1) when ``None``.

    Returns:
        ``id`` (str) then :data:`SIGNAL_COLUMNS`: the stances of escalation (``threat``,
        ``done``, ``hearsay``, ``negated``, ``question``, also joined in ``escalation_kinds``),
        @-mentions, churn intent, the anger score and ``angry`` (score >= :data:`ANGRY_SCORE`),
        exclamation marks, sarcasm, rights words and the main topic.
    """
    values = pd.Series(texts.to_numpy(dtype=object), dtype=object)
    analysis = analyze_texts(values)
    stance_flags = analysis[[f"escalation_{stance}" for stance in STANCES]].to_numpy(dtype=bool)
    names = np.array(STANCES, dtype=object)
    kinds = ["|".join(names[row]) for row in stance_flags]
    topics = analysis[[c for c in analysis.columns if c.startswith("topic_")]]
    top = topics.to_numpy().argmax(axis=1)
    top_topic = np.where(
        topics.to_numpy().max(axis=1) > 0,
        np.array([c.removeprefix("topic_") for c in topics.columns], dtype=object)[top],
        None,
    )
    if ids is None:
        id_values = np.arange(1, len(values) + 1).astype(str).astype(object)
    else:
        id_values = ids.astype(str).to_numpy(dtype=object)
    table = analysis.reindex(columns=[c for c in SIGNAL_COLUMNS if c in analysis.columns]).copy()
    table["escalation_kinds"] = kinds
    table["angry"] = analysis["anger"].to_numpy() >= ANGRY_SCORE
    table["top_topic"] = top_topic
    table.insert(0, "id", id_values)
    return table[["id", *SIGNAL_COLUMNS]].reset_index(drop=True)


def signal_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Texts flagged per signal: ``signal``, ``texts`` and ``share`` of all rows."""
    total = max(len(table), 1)
    counts = [int(table[kind].fillna(False).astype(bool).sum()) for kind in SUMMARY_KINDS]
    return pd.DataFrame(
        {
            "signal": list(SUMMARY_KINDS),
            "texts": counts,
            "share": [count / total for count in counts],
        }
    )
