"""Per-customer text features over the last 30 and 90 days.

The corpus is ordered by customer, so each customer's texts form one contiguous segment and
every aggregate is a numpy reduction over segments: the cost is a few array operations whatever
the number of customers, with no pandas groupby (whose fixed cost dominates for one customer).
Means use the compensated (Kahan) summation of pandas' grouped mean, so values are bit-identical
to ``groupby(...).mean()``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from features.core.inputs import index_positions
from features.text.analysis import TextAnalysis, analyze_strings
from features.text.corpus import Corpus, window_bounds, window_corpus
from features.text.patterns import ESCALATION_KINDS, TOPICS
from features.text.specs import FEATURES, LONG_WINDOW, STANCE_WINDOWS, TEXT_DEFAULTS, WINDOWS
from features.text.stance import AT_KINDS, STANCES

FEATURE_COLUMNS: list[str] = [spec.name for spec in FEATURES]
_COLUMN_INDEX = pd.Index(FEATURE_COLUMNS, dtype=object)
_DEFAULT_VALUES = np.array([TEXT_DEFAULTS.get(name, np.nan) for name in FEATURE_COLUMNS])


def _frame(values: np.ndarray, customers: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(
        values,
        index=pd.Index(customers, dtype=object, name="customer_id"),
        columns=_COLUMN_INDEX,
    )


def _empty() -> pd.DataFrame:
    return _frame(np.zeros((0, len(FEATURE_COLUMNS))), np.zeros(0, dtype=object))


def segment_sums(values: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Sums of non-empty row segments with Kahan compensation, in pandas' order of operations.

    Args:
        values: Rows to sum (1-D or 2-D; 2-D sums each column).
        starts: First row of each segment.
        lengths: Rows in each segment (at least 1).

    Returns:
        One sum per segment (per column for 2-D values).
    """
    by_length = np.argsort(-lengths, kind="stable")
    first = starts[by_length]
    alive_counts = len(lengths) - np.cumsum(np.bincount(lengths))
    sums = np.zeros((len(starts), *values.shape[1:]))
    compensation = np.zeros_like(sums)
    for offset in range(int(lengths.max(initial=0))):
        alive = int(alive_counts[offset])
        y = values[first[:alive] + offset] - compensation[:alive]
        t = sums[:alive] + y
        compensation[:alive] = t - sums[:alive] - y
        compensation[:alive][np.isnan(compensation[:alive])] = 0.0
        sums[:alive] = t
    out = np.empty_like(sums)
    out[by_length] = sums
    return out


def _window_columns(
    analysis: TextAnalysis,
    codes: np.ndarray,
    rows: np.ndarray,
    n_customers: int,
    days: int,
) -> dict[str, np.ndarray]:
    """The window aggregates of the customers with texts in ``rows`` (a sorted row subset)."""
    row_codes = codes[rows]
    counts = np.bincount(row_codes, minlength=n_customers)
    present = np.flatnonzero(counts)
    starts = np.searchsorted(row_codes, present)
    lengths = counts[present]
    escalation = analysis.escalation_intent[rows]
    anger = analysis.anger[rows]
    values = np.column_stack([anger, analysis.topics[rows]])
    means = segment_sums(values, starts, lengths) / lengths[:, None].astype(float)
    measured = {
        f"txt_n_texts_{days}d": lengths.astype(float),
        f"txt_escalation_intent_count_{days}d": np.bincount(
            row_codes[escalation], minlength=n_customers
        )[present].astype(float),
        f"txt_churn_intent_any_{days}d": np.bincount(
            row_codes[analysis.churn_intent[rows]], minlength=n_customers
        )[present]
        > 0,
        f"txt_anger_max_{days}d": np.maximum.reduceat(anger, starts) if len(rows) else anger,
        f"txt_anger_mean_{days}d": means[:, 0],
        f"txt_nonintent_mentions_{days}d": np.bincount(
            row_codes, weights=analysis.nonintent_mentions[rows], minlength=n_customers
        )[present],
    }
    measured[f"txt_escalation_intent_any_{days}d"] = (
        measured[f"txt_escalation_intent_count_{days}d"] > 0
    )
    for index, stance in enumerate(STANCES):
        if days in STANCE_WINDOWS[stance]:
            flagged = row_codes[analysis.stances[rows, index]]
            measured[f"txt_escalation_{stance}_any_{days}d"] = (
                np.bincount(flagged, minlength=n_customers)[present] > 0
            )
    for index, topic in enumerate(TOPICS, start=1):
        measured[f"txt_topic_{topic}_share_{days}d"] = means[:, index]
    columns = {}
    for name, value in measured.items():
        column = np.full(n_customers, TEXT_DEFAULTS[name], dtype=float)
        column[present] = value
        columns[name] = column
    return columns


def _long_window_columns(
    analysis: TextAnalysis, corpus: Corpus, codes: np.ndarray, n_customers: int
) -> dict[str, np.ndarray]:
    columns = {
        f"txt_target_{kind}_{LONG_WINDOW}d": np.bincount(
            codes[analysis.targets[:, index]], minlength=n_customers
        )
        > 0
        for index, kind in enumerate(ESCALATION_KINDS)
    }
    columns[f"txt_n_posts_{LONG_WINDOW}d"] = np.bincount(
        codes[corpus.is_post], minlength=n_customers
    )
    authority = (
        analysis.at[:, AT_KINDS.index("regulator")] | analysis.at[:, AT_KINDS.index("media")]
    )
    columns[f"txt_at_authority_any_{LONG_WINDOW}d"] = (
        np.bincount(codes[authority], minlength=n_customers) > 0
    )
    columns[f"txt_at_brand_any_{LONG_WINDOW}d"] = (
        np.bincount(codes[analysis.at[:, AT_KINDS.index("brand")]], minlength=n_customers) > 0
    )
    columns[f"txt_rights_terms_{LONG_WINDOW}d"] = np.bincount(
        codes, weights=analysis.rights_terms, minlength=n_customers
    )
    columns[f"txt_sarcasm_any_{LONG_WINDOW}d"] = (
        np.bincount(codes[analysis.sarcasm], minlength=n_customers) > 0
    )
    starts = np.flatnonzero(np.concatenate([[True], codes[1:] != codes[:-1]]))
    columns[f"txt_exclamations_max_{LONG_WINDOW}d"] = np.maximum.reduceat(
        analysis.exclamations, starts
    )
    return {name: value.astype(float) for name, value in columns.items()}


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
    customers, values = _feature_values(contacts, as_of, posts)
    if not len(customers):
        return _empty()
    return _frame(values, customers)


def text_values(
    contacts: pd.DataFrame,
    as_of: str | pd.Timestamp,
    customer_ids: pd.Index,
    posts: pd.DataFrame | None = None,
) -> np.ndarray:
    """:func:`text_features` of ``customer_ids`` as one float array, defaults filled in.

    Equals ``text_features(...).reindex(customer_ids).fillna(TEXT_DEFAULTS).to_numpy().T``
    without building frames: customers without texts (and missing values) get
    :data:`TEXT_DEFAULTS`.

    Returns:
        Shape ``(len(FEATURE_COLUMNS), len(customer_ids))``: one row per feature of
        :data:`FEATURES`, in that order.
    """
    customers, values = _feature_values(contacts, as_of, posts)
    filled = np.full((len(FEATURE_COLUMNS), len(customer_ids)), np.nan)
    if len(customers):
        positions = index_positions(
            pd.Index(customers, dtype=object), np.asarray(customer_ids, dtype=object)
        )
        found = positions >= 0
        filled[:, found] = values[positions[found]].T
    return np.where(np.isnan(filled), _DEFAULT_VALUES[:, None], filled)


def _feature_values(
    contacts: pd.DataFrame, as_of: str | pd.Timestamp, posts: pd.DataFrame | None
) -> tuple[np.ndarray, np.ndarray]:
    """The customers with texts (sorted) and their feature rows (columns as in ``FEATURES``)."""
    corpus = window_corpus(contacts, as_of, LONG_WINDOW, posts)
    if not len(corpus):
        return np.zeros(0, dtype=object), np.zeros((0, len(FEATURE_COLUMNS)))
    analysis = analyze_strings(corpus.texts)
    customers, starts = corpus.customer_starts()
    codes = np.repeat(np.arange(len(customers)), np.diff(np.append(starts, len(corpus))))
    columns: dict[str, np.ndarray] = {}
    for days in WINDOWS:
        start = window_bounds(as_of, days)[0].to_datetime64()
        rows = np.flatnonzero(corpus.ts >= start)
        columns.update(_window_columns(analysis, codes, rows, len(customers), days))
    columns.update(_long_window_columns(analysis, corpus, codes, len(customers)))
    return customers, np.column_stack([columns[name] for name in FEATURE_COLUMNS])
