"""Which vocabulary terms of a fitted text model look like personal data.

A term (a token or a space-joined n-gram of tokens) is personal-looking when any of its tokens
is a number of five or more digits that is not a public service number (phones, QQ numbers,
card, ID and account numbers), a run of seven Chinese numerals, an e-mail address, an ID-,
passport- or plate-shaped code, or a surname joined to a title (王先生, 李经理). Mask tokens
(``PHONE``, ``NAME``, ...) are the opposite: they say that a kind of data was present without
holding it, and stay.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np

from features.text import pii_patterns as p

_PERSONAL_SHAPE = re.compile(
    rf"\S*[{p.CHINESE_DIGITS}]{{7,}}\S*"
    r"|\S*@\S*"
    rf"|(?:{p.PASSPORT.pattern})"
    rf"|(?:{p.PLATE.pattern})"
    rf"|\S*(?:{p.NAME.pattern})\S*"
)
_LONG_DIGITS = re.compile(r"[0-9]{5,}")


def _personal(token: str) -> bool:
    if _PERSONAL_SHAPE.fullmatch(token) is not None:
        return True
    return any(digits not in p.SERVICE_NUMBERS for digits in _LONG_DIGITS.findall(token))


def personal_terms(terms: Iterable[str]) -> np.ndarray:
    """Boolean array: whether each vocabulary term looks like personal data.

    Args:
        terms: Vocabulary terms, tokens joined by single spaces.

    Returns:
        One flag per term, in order.
    """
    return np.fromiter(
        (any(_personal(token) for token in term.split(" ")) for term in terms), dtype=bool
    )
