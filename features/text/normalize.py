"""Placeholders for dates, amounts, order ids and other numbers, before tokenization.

The text model must learn words, not the calendar: with raw numbers its strongest weights were
the training months ('6', '6 月', '4 月'). Runs on texts already masked by
:func:`features.text.pii.mask_pii` (phones, ids, cards ... are tokens by then); public service
numbers (10086, 12300, 12315, ...) are kept as they are, since they are signals.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from features.text.pii_patterns import SERVICE_NUMBERS

DATE_TOKEN = "<DATE>"
TIME_TOKEN = "<TIME>"
AMOUNT_TOKEN = "<AMOUNT>"
ORDER_TOKEN = "<ORDER>"
NUM_TOKEN = "<NUM>"
NORMAL_TOKENS: tuple[str, ...] = (DATE_TOKEN, TIME_TOKEN, AMOUNT_TOKEN, ORDER_TOKEN, NUM_TOKEN)
"""Placeholder tokens of :func:`normalize_numbers`."""

_D = r"[0-9０-９]"
_CN = r"[一二两三四五六七八九十]"
_DATE = re.compile(
    rf"(?<![0-9A-Za-z]){_D}{{4}}\s*[年./-]\s*{_D}{{1,2}}\s*[月./-]\s*{_D}{{1,2}}\s*[日号]?"
    rf"|(?<![0-9A-Za-z]){_D}{{4}}\s*年(?:\s*{_D}{{1,2}}\s*月份?)?"
    rf"|(?<![0-9A-Za-z.]){_D}{{1,2}}\s*月份?\s*(?:{_D}{{1,2}}\s*[日号])?"
    rf"|(?<![0-9A-Za-z.]){_D}{{1,2}}\s*[日号](?!码|线|卡)"
    rf"|(?<![0-9A-Za-z.:/]){_D}{{1,2}}[./]{_D}{{1,2}}(?![0-9./%])(?=\s*(?:那天|当天|日|号|起|开始|之前|以后|到|-|至|[，,。]))"
    rf"|{_CN}{{1,3}}月份?(?:{_CN}{{1,3}}[日号])?(?!亮)"
)
_TIME = re.compile(
    rf"(?<![0-9]){_D}{{1,2}}\s*[:：]\s*{_D}{{2}}(?![0-9])|(?<![0-9.]){_D}{{1,2}}\s*点(?:{_D}{{1,2}}分|半)?"
)
_AMOUNT = re.compile(
    rf"[¥￥]\s*{_D}+(?:\.{_D}+)?|{_D}+(?:\.{_D}+)?\s*(?:元|块钱?|毛钱?|角|分钱|rmb|RMB)"
)
_ORDER = re.compile(
    r"(?P<intro>(?:订单|工单|受理|申诉|投诉|流水|快递)?(?:编号|单号|号码?)[:：]?\s*)"
    r"[A-Za-z0-9][A-Za-z0-9-]{5,}"
    r"|(?<![A-Za-z0-9])(?=[A-Za-z0-9-]*[A-Za-z])(?=[A-Za-z0-9-]*[0-9])[A-Za-z0-9-]{8,}(?![A-Za-z0-9])"
)
_NUMBER = re.compile(r"(?<![A-Za-z0-9<])(?![2-5][Gg](?![Bb0-9]))[0-9]+(?:\.[0-9]+)?")
"""Numbers, except network generations (3G, 4G, 5G) which are words."""


_ALL = re.compile(
    r"(?=[0-9０-９¥￥A-Za-z一二两三四五六七八九十订工受申投流快编单号])(?:"
    + "|".join(
        f"(?P<{name}>{pattern.pattern})"
        for name, pattern in (
            ("order", _ORDER),
            ("date", _DATE),
            ("time", _TIME),
            ("amount", _AMOUNT),
            ("number", _NUMBER),
        )
    ).replace("(?P<intro>", "(?P<order_intro>")
    + ")"
)
"""All kinds in one pass; at each position the first kind that matches wins, in this order. The
leading lookahead skips, at the cost of one character test, positions where no kind can start."""
_TOKENS = {"date": DATE_TOKEN, "time": TIME_TOKEN, "amount": AMOUNT_TOKEN}
_CAN_MATCH = re.compile(r"[0-9０-９月]")
"""Every kind of :data:`_ALL` needs an ASCII or full-width digit, or 月 (a date in numerals)."""


def _replace(match: re.Match[str]) -> str:
    kind = match.lastgroup
    if kind == "number":
        value = match.group()
        return value if value in SERVICE_NUMBERS else NUM_TOKEN
    if kind in _TOKENS:
        return _TOKENS[kind]
    intro = match.group("order_intro")
    return ORDER_TOKEN if intro is None else intro + ORDER_TOKEN


def normalize_text(text: str) -> str:
    """One masked text with dates, times, amounts, order ids and numbers as placeholders."""
    if _CAN_MATCH.search(text) is None:
        return text
    return _ALL.sub(_replace, text)


def normalize_numbers(texts: Iterable[str]) -> list[str]:
    """:func:`normalize_text` of each text.

    Example: ``上个月6月3号扣了58.5元，工单号A2024061234，打了12300`` becomes
    ``上个月<DATE>扣了<AMOUNT>，工单号<ORDER>，打了12300``.
    """
    return [normalize_text(text) for text in texts]
