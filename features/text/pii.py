"""PII masking for complaint texts, applied before anything is tokenized, analysed or stored.

Each kind of personal data is replaced by its placeholder token (:data:`MASK_TOKENS`). Texts are
first screened together with numpy (:func:`_hints`): each kind has a cheap character-level hint
(an 11+ character digit run, an ``@``, a province character before a letter, a surname before a
title, ...), and only the texts hinted for a kind go through that kind's regular expression. Most
texts hold no hint at all and are returned untouched.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from features.text import pii_patterns as p
from features.text.matcher import TextBuffer, as_strings, run_starts
from features.text.pii_patterns import (
    ADDRESS_TOKEN,
    CARD_TOKEN,
    EMAIL_TOKEN,
    ID_TOKEN,
    MASK_TOKENS,
    NAME_TOKEN,
    NUMBER_TOKEN,
    PASSPORT_TOKEN,
    PHONE_TOKEN,
    PLATE_TOKEN,
    QQ_TOKEN,
    SERVICE_NUMBERS,
    WECHAT_TOKEN,
)

__all__ = [
    "ADDRESS_TOKEN",
    "CARD_TOKEN",
    "EMAIL_TOKEN",
    "ID_TOKEN",
    "MASK_TOKENS",
    "NAME_TOKEN",
    "NUMBER_TOKEN",
    "PASSPORT_TOKEN",
    "PHONE_TOKEN",
    "PLATE_TOKEN",
    "QQ_TOKEN",
    "SERVICE_NUMBERS",
    "WECHAT_TOKEN",
    "mask_pii",
    "mask_strings",
]

_CODE_SPACE = 0x110000
_FULLWIDTH_DIGIT_CHARS = "０１２３４５６７８９"
_ASCII_DIGIT_CHARS = "0123456789"
_ASCII_LETTERS = "".join(map(chr, [*range(65, 91), *range(97, 123)]))

# One bit per character class; a single lookup in a uint16 table classifies every character.
_CLASSES: dict[str, str] = {
    "digit": _ASCII_DIGIT_CHARS + _FULLWIDTH_DIGIT_CHARS,
    "run": "+- ＋－" + _ASCII_DIGIT_CHARS + _FULLWIDTH_DIGIT_CHARS,
    "any_digit": _ASCII_DIGIT_CHARS + _FULLWIDTH_DIGIT_CHARS + p.CHINESE_DIGITS,
    "at": "@＠",
    "letter": _ASCII_LETTERS,
    "province": p.PROVINCE_CHARS,
    "building": "栋幢座单室弄",
    "street": "路街巷同",
    "surname_word": "姓",
    "bigram_first": "",
    "bigram_second": "",
}
_NAME_WORDS = (*p.PERSONAL_TITLES, *p.ROLE_TITLES, *p.NAME_INTRO_WORDS)
_ACCOUNT_WORDS = (
    "QQ",
    "qq",
    "Qq",
    "扣扣",
    "企鹅",
    "微信",
    "VX",
    "vx",
    "Vx",
    "WX",
    "wx",
    "V信",
    "v信",
)
_CLASSES["bigram_first"] = "".join(word[0] for word in (*_NAME_WORDS, *_ACCOUNT_WORDS))
_CLASSES["bigram_second"] = "".join(word[1] for word in (*_NAME_WORDS, *_ACCOUNT_WORDS))
_BIT = {name: 1 << index for index, name in enumerate(_CLASSES)}
_TABLE = np.zeros(_CODE_SPACE, dtype=np.uint16)
for _name, _chars in _CLASSES.items():
    _TABLE[[ord(char) for char in set(_chars)]] |= _BIT[_name]


def _bigram_codes(words: Sequence[str]) -> np.ndarray:
    return np.array(sorted({ord(w[0]) * _CODE_SPACE + ord(w[1]) for w in words}), dtype=np.int64)


_NAME_BIGRAMS = _bigram_codes(_NAME_WORDS)
_ACCOUNT_BIGRAMS = _bigram_codes(_ACCOUNT_WORDS)


class _Flags:
    """Character classes of a :class:`TextBuffer`'s code points, one bit per class."""

    def __init__(self, buffer: TextBuffer) -> None:
        self.buffer = buffer
        self.bits = _TABLE[buffer.codes]

    def of(self, name: str) -> np.ndarray:
        return (self.bits & _BIT[name]) != 0

    def pairs(self, first: str, second: str) -> np.ndarray:
        """Offsets ``i`` with character ``i`` in class ``first`` and ``i + 1`` in ``second``."""
        head = self.of(first)
        tail = self.of(second)
        return np.flatnonzero(head[:-1] & tail[1:])

    def bigrams(self, words: np.ndarray) -> np.ndarray:
        """Offsets where a two-character word of ``words`` (:func:`_bigram_codes`) starts."""
        candidates = self.pairs("bigram_first", "bigram_second")
        codes = self.buffer.codes
        pairs = codes[candidates].astype(np.int64) * _CODE_SPACE + codes[candidates + 1]
        return candidates[np.isin(pairs, words)]


def _texts_at(buffer: TextBuffer, positions: np.ndarray, n: int) -> np.ndarray:
    hinted = np.zeros(n, dtype=bool)
    hinted[buffer.text_of(positions)] = True
    return hinted


def _hints(texts: Sequence[str]) -> dict[str, np.ndarray]:
    """Per masking pass, the texts that may hold its kind of PII (boolean arrays)."""
    buffer = TextBuffer.from_texts(texts)
    flags = _Flags(buffer)
    n = len(texts)
    digits = flags.of("digit")
    positions = {
        "email": np.flatnonzero(flags.of("at")),
        "number": run_starts(flags.of("run"), 11),
        "chinese_number": run_starts(flags.of("any_digit"), 7),
        "landline": run_starts(digits, 7),
        "passport": flags.pairs("letter", "digit"),
        "plate": flags.pairs("province", "letter"),
        "address": np.concatenate(
            [flags.pairs("digit", "building"), flags.pairs("street", "digit")]
        ),
        "name": np.concatenate(
            [flags.bigrams(_NAME_BIGRAMS), np.flatnonzero(flags.of("surname_word"))]
        ),
    }
    hints = {kind: _texts_at(buffer, found, n) for kind, found in positions.items()}
    account_value = run_starts(digits | flags.of("letter"), 5)
    hints["account"] = _texts_at(buffer, flags.bigrams(_ACCOUNT_BIGRAMS), n) & _texts_at(
        buffer, account_value, n
    )
    return hints


def _long_number(digits: str) -> str:
    return PHONE_TOKEN if p.MOBILE.search(digits) else NUMBER_TOKEN


def _number(match: re.Match[str]) -> str:
    kind = match.lastgroup
    if kind == "id":
        return ID_TOKEN
    if kind == "phone":
        return PHONE_TOKEN
    digits = re.sub(r"[ \-]", "", match.group())
    if kind == "card" and p.luhn_valid(digits):
        return CARD_TOKEN
    return _long_number(digits) if len(digits) >= 12 else match.group()


def _number_run(match: re.Match[str]) -> str:
    return p.NUMBER.sub(_number, match.group())


def _chinese_number(match: re.Match[str]) -> str:
    digits = re.sub(r"[ \-]", "", match.group()).translate(p.CHINESE_TO_ASCII)
    if digits in SERVICE_NUMBERS:
        return match.group()
    whole = p.NUMBER.fullmatch(digits)
    if whole is not None and whole.lastgroup in ("id", "phone"):
        return ID_TOKEN if whole.lastgroup == "id" else PHONE_TOKEN
    if 16 <= len(digits) <= 19 and digits[0] in "3456" and p.luhn_valid(digits):
        return CARD_TOKEN
    if p.MOBILE.search(digits) or len(digits) <= 8:
        return PHONE_TOKEN
    return NUMBER_TOKEN


def _landline(match: re.Match[str]) -> str:
    intro = match.group("intro")
    return PHONE_TOKEN if intro is None else intro + PHONE_TOKEN


def _account(match: re.Match[str]) -> str:
    if match.group("qq") is not None:
        return match.group("qq_intro") + QQ_TOKEN
    return match.group("wx_intro") + WECHAT_TOKEN


def _plate(match: re.Match[str]) -> str:
    text = match.group()
    return PLATE_TOKEN if sum(char.isdigit() for char in text) >= 3 else text


def _name(match: re.Match[str]) -> str:
    if match.group("intro") is not None:
        return match.group("intro") + NAME_TOKEN
    if match.group("surname_intro") is not None:
        return "姓" + NAME_TOKEN
    return NAME_TOKEN


def _substitute(
    pattern: re.Pattern[str], replace: str | Callable[[re.Match[str]], str]
) -> Callable[[str], str]:
    return lambda text: pattern.sub(replace, text)


_PASSES: tuple[tuple[str, Callable[[str], str]], ...] = (
    ("email", _substitute(p.EMAIL, EMAIL_TOKEN)),
    ("number", _substitute(p.NUMBER_RUN, _number_run)),
    ("chinese_number", _substitute(p.CHINESE_NUMBER, _chinese_number)),
    ("landline", _substitute(p.LANDLINE, _landline)),
    ("account", _substitute(p.QQ_OR_WECHAT, _account)),
    ("passport", _substitute(p.PASSPORT, PASSPORT_TOKEN)),
    ("plate", _substitute(p.PLATE, _plate)),
    ("address", _substitute(p.ADDRESS, ADDRESS_TOKEN)),
    ("name", _substitute(p.NAME, _name)),
)
"""Masking passes in order: e-mails before numbers (a QQ mailbox is one e-mail), numbers before
landlines and accounts (an 11-digit QQ number that is a mobile is a phone)."""


def mask_pii(texts: pd.Series) -> pd.Series:
    """Replace personal data in texts by placeholder tokens.

    Masked kinds and their tokens: mobile numbers (``+86``/``0086``/``86``/trunk ``0``/IP-call
    prefixes, spaces, dashes, full-width digits) and landlines (area code, or after a phone word
    such as 座机) ``<PHONE>``; 18-character ID numbers ``<ID>``; e-mail addresses ``<EMAIL>``;
    Luhn-valid 16-19 digit bank cards ``<CARD>``; QQ numbers and WeChat ids after their name
    ``<QQ>``/``<WECHAT>``; passports and Hong Kong/Macao permits ``<PASSPORT>``; licence plates
    ``<PLATE>``; street-level addresses (street and number, building, unit, room) ``<ADDR>``;
    person names after 我叫/姓名/机主/姓 or before a title (王先生, 李经理) ``<NAME>``;
    numbers of 7+ digits written in Chinese numerals by their kind; any other run of 12+ digits
    ``<NUMBER>`` (or ``<PHONE>`` when it holds a mobile number). Service numbers (10086, 12300,
    12315, ...), amounts, dates and short numbers are kept. Full-width digits are converted to
    ASCII in texts that hold a hint of PII.

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
    if not len(masked):
        return masked
    hints = _hints(masked)
    anything = np.logical_or.reduce(list(hints.values()))
    for index in np.flatnonzero(anything):
        masked[index] = masked[index].translate(p.FULLWIDTH)
    for kind, mask in _PASSES:
        for index in np.flatnonzero(hints[kind]):
            masked[index] = mask(masked[index])
    return masked
