"""PII masking for complaint texts, applied before anything is tokenized, analysed or stored."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from features.text.matcher import TextBuffer, as_strings, char_table, run_starts

PHONE_TOKEN = "<PHONE>"
ID_TOKEN = "<ID>"
EMAIL_TOKEN = "<EMAIL>"
MASK_TOKENS = (PHONE_TOKEN, ID_TOKEN, EMAIL_TOKEN)

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９＋－＠Ｘｘ", "0123456789+-@Xx")

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
# 18-character ID numbers (17 digits and a digit or X, optionally grouped 6-8-4 by spaces), then
# mainland mobile numbers with an optional +86 / 0086 / 86 prefix and optional single spaces or
# dashes between digits. Applied only inside runs of digits, spaces and dashes long enough to
# hold one, so ordinary text is scanned once by a cheap pattern.
_NUMBER = re.compile(
    r"(?P<id>(?<![0-9A-Za-z])[1-9]\d{5} ?(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
    r" ?\d{3}[0-9Xx](?![0-9A-Za-z]))"
    r"|(?P<phone>(?<![0-9])(?:(?:\+|00)?86[ \-]?)?1[3-9]\d(?:[ \-]?\d){8}(?![0-9]))"
)
_NUMBER_RUN = re.compile(r"[+0-9][0-9 \-]{9,}[0-9Xx]")
_DIGIT_RUN_CHARS = char_table("+- ０１２３４５６７８９＋－", [(ord("0"), ord("9"))])
_AT_SIGNS = char_table("@＠")


def _hinted(texts: Sequence[str]) -> np.ndarray:
    """Texts that may hold PII: an 11+ character run of digits, spaces and dashes, or an @."""
    buffer = TextBuffer.from_texts(texts)
    positions = np.concatenate(
        [run_starts(_DIGIT_RUN_CHARS[buffer.codes], 11), buffer.where(_AT_SIGNS)]
    )
    hinted = np.zeros(len(texts), dtype=bool)
    hinted[buffer.text_of(positions)] = True
    return hinted


def _replace_number(match: re.Match[str]) -> str:
    return ID_TOKEN if match.lastgroup == "id" else PHONE_TOKEN


def _mask_run(match: re.Match[str]) -> str:
    return _NUMBER.sub(_replace_number, match.group())


def _mask(text: str) -> str:
    text = text.translate(_FULLWIDTH_DIGITS)
    if "@" in text:
        text = _EMAIL.sub(EMAIL_TOKEN, text)
    return _NUMBER_RUN.sub(_mask_run, text)


def mask_pii(texts: pd.Series) -> pd.Series:
    """Replace PII in texts by ``<PHONE>``, ``<ID>`` and ``<EMAIL>``.

    Mainland 11-digit mobile numbers (with ``+86``/``0086``/``86`` prefixes, spaces or dashes,
    full-width digits), 18-character resident ID numbers (last character a digit or X) and
    e-mail addresses are replaced. Other digit runs (amounts, 12300, dates) are kept. Full-width
    digits are converted to ASCII in texts that hold a long digit run or an ``@``.

    Args:
        texts: Texts, possibly with nulls.

    Returns:
        Masked texts (object dtype, non-null values as ``str``) with the same index; nulls stay
        null.
    """
    values = texts.to_numpy(dtype=object, copy=True)
    present = np.flatnonzero(pd.notna(values))
    values[present] = mask_strings(as_strings(values[present]))
    return pd.Series(values, index=texts.index, name=texts.name, dtype=object)


def mask_strings(texts: np.ndarray) -> np.ndarray:
    """:func:`mask_pii` for an object array of ``str`` (no nulls); returns a new array."""
    masked = np.array(texts, dtype=object, copy=True)
    for index in np.flatnonzero(_hinted(masked)):
        masked[index] = _mask(masked[index])
    return masked
