"""The texts a snapshot may use: contact texts and brand-mentioning posts in a window, masked."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from features.core.timeline import snapshot_end
from features.text.matcher import as_strings
from features.text.pii import mask_strings

CONTACT_COLUMNS: tuple[str, ...] = ("customer_id", "ts", "text")
POST_COLUMNS: tuple[str, ...] = ("customer_id", "ts", "text")
CORPUS_COLUMNS: tuple[str, ...] = ("customer_id", "ts", "source", "text")


@dataclass(frozen=True)
class Corpus:
    """A window's masked, non-blank texts as arrays, ordered as :func:`window_texts` orders them.

    Attributes:
        customer_ids: Customer of each text (object array of ``str``, sorted).
        ts: Time of each text (``datetime64``).
        is_post: Whether the text is a social post (else a contact text).
        texts: Masked texts (object array of ``str``).
    """

    customer_ids: np.ndarray
    ts: np.ndarray
    is_post: np.ndarray
    texts: np.ndarray

    def __len__(self) -> int:
        return len(self.texts)

    def customer_starts(self) -> tuple[np.ndarray, np.ndarray]:
        """The distinct customers (sorted) and the offset of each one's first text."""
        ids = self.customer_ids
        if not len(ids):
            return ids, np.zeros(0, dtype=np.int64)
        starts = np.flatnonzero(np.concatenate([[True], ids[1:] != ids[:-1]]))
        return ids[starts], starts

    def frame(self) -> pd.DataFrame:
        """The corpus as the DataFrame :func:`window_texts` returns."""
        if not len(self):
            return pd.DataFrame(
                {
                    "customer_id": pd.Series(dtype=object),
                    "ts": pd.Series(dtype="datetime64[ns]"),
                    "source": pd.Series(dtype=object),
                    "text": pd.Series(dtype=object),
                }
            )
        return pd.DataFrame(
            {
                "customer_id": self.customer_ids,
                "ts": self.ts,
                "source": np.where(self.is_post, "post", "contact").astype(object),
                "text": self.texts,
            }
        )


def _require(frame: pd.DataFrame, columns: tuple[str, ...], table: str) -> None:
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise ValueError(f"{table} is missing column(s) {missing}")


@lru_cache(maxsize=256)
def window_bounds(as_of: str | pd.Timestamp, days: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Start and (exclusive) end of the ``days`` days ending with day ``as_of``."""
    end = snapshot_end(as_of)
    return end - pd.Timedelta(days=days), end


def in_window(ts: pd.Series, start: pd.Timestamp, end: pd.Timestamp) -> np.ndarray:
    """``start <= ts < end`` as a boolean array (numpy comparisons for datetime64 columns)."""
    if isinstance(ts.dtype, np.dtype) and ts.dtype.kind == "M":
        values = ts.to_numpy()
        return (values >= start.to_datetime64()) & (values < end.to_datetime64())
    return ((ts >= start) & (ts < end)).to_numpy(dtype=bool)


@dataclass(frozen=True)
class _Rows:
    customer_ids: np.ndarray
    ts: np.ndarray
    tiebreak: np.ndarray
    texts: np.ndarray


_NO_ROWS = _Rows(
    customer_ids=np.zeros(0, dtype=object),
    ts=np.zeros(0, dtype="datetime64[ns]"),
    tiebreak=np.zeros(0, dtype=np.int64),
    texts=np.zeros(0, dtype=object),
)
"""A source without rows in the window (left out of the corpus)."""


def _brand_mentions(posts: pd.DataFrame) -> np.ndarray | None:
    """Posts that mention the brand (null counts as no); ``None`` when the column is absent."""
    if "mentions_brand" not in posts.columns:
        return None
    values = posts["mentions_brand"].to_numpy()
    if values.dtype == bool:
        return values
    return np.where(pd.isna(values), False, values).astype(bool)


def _source_rows(
    frame: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp, allowed: np.ndarray | None = None
) -> _Rows:
    """Identified rows with a text in ``[start, end)``; ``tiebreak`` ranks equal-time rows."""
    keep = in_window(frame["ts"], start, end)
    if allowed is not None:
        keep &= allowed
    if not keep.any():
        return _NO_ROWS
    customer_ids = frame["customer_id"].to_numpy(dtype=object)
    texts = frame["text"].to_numpy(dtype=object)
    rows = np.flatnonzero(pd.notna(customer_ids) & pd.notna(texts) & keep)
    if "contact_id" in frame.columns and len(rows) > 1:
        codes, uniques = pd.factorize(frame["contact_id"].to_numpy()[rows], sort=True)
        tiebreak = np.where(codes < 0, len(uniques), codes)
    else:
        tiebreak = np.zeros(len(rows), dtype=np.int64)
    return _Rows(
        customer_ids=as_strings(customer_ids[rows]),
        ts=frame["ts"].to_numpy()[rows],
        tiebreak=tiebreak,
        texts=as_strings(texts[rows]),
    )


def _order(
    customer_ids: np.ndarray, is_post: np.ndarray, ts: np.ndarray, tiebreak: np.ndarray
) -> np.ndarray:
    """Stable order by customer, source (contacts first), time and contact_id."""
    first = customer_ids[0]
    if customer_ids[-1] == first and (customer_ids == first).all():
        return np.lexsort((tiebreak, ts, is_post))
    codes, _ = pd.factorize(customer_ids, sort=True)
    return np.lexsort((tiebreak, ts, is_post, codes))


def window_corpus(
    contacts: pd.DataFrame,
    as_of: str | pd.Timestamp,
    days: int,
    posts: pd.DataFrame | None = None,
) -> Corpus:
    """:func:`window_texts` as a :class:`Corpus` of arrays (no DataFrame is built)."""
    _require(contacts, CONTACT_COLUMNS, "contacts")
    start, end = window_bounds(as_of, days)
    sources = [(_source_rows(contacts, start, end), False)]
    if posts is not None:
        _require(posts, POST_COLUMNS, "posts")
        if len(posts):
            sources.append((_source_rows(posts, start, end, _brand_mentions(posts)), True))
    sources = [(rows, post) for rows, post in sources if len(rows.texts)]
    if not sources:
        return Corpus(
            customer_ids=np.zeros(0, dtype=object),
            ts=np.zeros(0, dtype="datetime64[ns]"),
            is_post=np.zeros(0, dtype=bool),
            texts=np.zeros(0, dtype=object),
        )
    customer_ids = np.concatenate([rows.customer_ids for rows, _ in sources])
    ts = np.concatenate([rows.ts for rows, _ in sources])
    is_post = np.concatenate([np.full(len(rows.texts), post) for rows, post in sources])
    tiebreak = np.concatenate([rows.tiebreak for rows, _ in sources])
    texts = np.concatenate([rows.texts for rows, _ in sources])
    order = _order(customer_ids, is_post, ts, tiebreak)
    texts = mask_strings(texts[order])
    nonblank = np.fromiter((bool(text.strip()) for text in texts), dtype=bool, count=len(texts))
    if not nonblank.all():
        order, texts = order[nonblank], texts[nonblank]
    return Corpus(customer_ids[order], ts[order], is_post[order], texts)


def window_texts(
    contacts: pd.DataFrame,
    as_of: str | pd.Timestamp,
    days: int,
    posts: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Masked, non-blank texts of identified customers in the ``days`` days ending with ``as_of``.

    Contacts without a customer_id are ignored. Posts count only when they mention the brand
    (column ``mentions_brand``, when present). Rows are ordered by customer, source (contacts
    before posts), time and contact_id, so any subset of customers gives the same rows.

    Args:
        contacts: Contacts with at least ``customer_id``, ``ts`` and ``text``.
        as_of: Snapshot date.
        days: Window length in days.
        posts: Optional social posts resolved to customers (``customer_id``, ``ts``, ``text``).

    Returns:
        Columns ``customer_id`` (str), ``ts``, ``source`` (``contact`` or ``post``) and ``text``
        (masked), on a fresh RangeIndex.
    """
    return window_corpus(contacts, as_of, days, posts).frame()
