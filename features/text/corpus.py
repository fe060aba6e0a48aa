"""The texts a snapshot may use: contact texts and brand-mentioning posts in a window, masked."""

from __future__ import annotations

import pandas as pd

from features.text.pii import mask_pii
from features.timeline import in_last_days

CONTACT_COLUMNS: tuple[str, ...] = ("customer_id", "ts", "text")
POST_COLUMNS: tuple[str, ...] = ("customer_id", "ts", "text")
CORPUS_COLUMNS: tuple[str, ...] = ("customer_id", "ts", "source", "text")


def _require(frame: pd.DataFrame, columns: tuple[str, ...], table: str) -> None:
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise ValueError(f"{table} is missing column(s) {missing}")


def _source_rows(
    frame: pd.DataFrame, as_of: str | pd.Timestamp, days: int, source: str
) -> pd.DataFrame:
    rows = frame.loc[frame["customer_id"].notna() & frame["text"].notna()]
    rows = in_last_days(rows, "ts", as_of, days)
    order = ["ts", "contact_id"] if "contact_id" in rows.columns else ["ts"]
    rows = rows.sort_values(order, kind="stable")
    return pd.DataFrame(
        {
            "customer_id": rows["customer_id"].astype(str).to_numpy(),
            "ts": rows["ts"].to_numpy(),
            "source": source,
            "text": rows["text"].to_numpy(dtype=object),
        }
    )


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
    _require(contacts, CONTACT_COLUMNS, "contacts")
    parts = [_source_rows(contacts, as_of, days, "contact")]
    if posts is not None:
        _require(posts, POST_COLUMNS, "posts")
        if "mentions_brand" in posts.columns:
            posts = posts.loc[posts["mentions_brand"].fillna(False).astype(bool)]
        parts.append(_source_rows(posts, as_of, days, "post"))
    corpus = pd.concat(parts, ignore_index=True)
    if corpus.empty:
        return pd.DataFrame(
            {
                "customer_id": pd.Series(dtype=object),
                "ts": pd.Series(dtype="datetime64[ns]"),
                "source": pd.Series(dtype=object),
                "text": pd.Series(dtype=object),
            }
        )
    corpus["text"] = mask_pii(corpus["text"])
    corpus = corpus.loc[corpus["text"].str.strip().str.len() > 0]
    corpus = corpus.sort_values(["customer_id", "source"], kind="stable")
    return corpus.reset_index(drop=True)
