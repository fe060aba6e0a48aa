"""One bag-of-words document per customer: the masked, segmented texts of a window."""

from __future__ import annotations

import numpy as np
import pandas as pd

from features.text.corpus import window_corpus
from features.text.normalize import normalize_numbers
from features.text.tokenizer import TelecomTokenizer


def customer_documents(
    contacts: pd.DataFrame,
    as_of: str | pd.Timestamp,
    days: int = 90,
    posts: pd.DataFrame | None = None,
    tokenizer: TelecomTokenizer | None = None,
) -> pd.Series:
    """Space-joined jieba tokens of each customer's masked texts in the last ``days`` days.

    Texts are taken as in :func:`features.text.text_features` (identified customers, brand
    posts, masked, blank texts dropped), in time order; dates, times, amounts, order ids and
    other numbers become placeholders (:func:`features.text.normalize.normalize_numbers`;
    service numbers such as 12300 and network generations such as 5G stay); punctuation, emoji
    and spaces are dropped, mask tokens stay as their words (``<PHONE>`` becomes ``PHONE``,
    ``<DATE>`` becomes ``DATE``).

    Args:
        contacts: Contacts with ``customer_id``, ``ts``, ``text`` (and ``contact_id``).
        as_of: Snapshot date.
        days: Window length in days.
        posts: Optional social posts resolved to customers.
        tokenizer: Segmenter to use; a default :class:`TelecomTokenizer` when ``None``.

    Returns:
        Documents indexed by ``customer_id`` (str, sorted), named ``document``; customers
        without non-blank texts in the window are absent.
    """
    corpus = window_corpus(contacts, as_of, days, posts)
    customers, starts = corpus.customer_starts()
    words = (
        (tokenizer or TelecomTokenizer()).documents(normalize_numbers(corpus.texts))
        if len(corpus)
        else []
    )
    bounds = np.append(starts, len(corpus)).tolist()
    documents = [
        " ".join(filter(None, words[first:stop]))
        for first, stop in zip(bounds[:-1], bounds[1:], strict=True)
    ]
    return pd.Series(
        documents,
        index=pd.Index(customers, dtype=object, name="customer_id"),
        dtype=object,
        name="document",
    )
