"""Stance of an escalation mention: threat, already done, hearsay, negated or a neutral question.

Real complaint threads report escalation already made (上个月就给12300打过电话了,
投诉了好几回都没人管, 帖子都发出去了) more often than they threaten it, quote others
(听说有人投诉到工信部就解决了), deny it (我不想投诉，只想解决问题) or just ask (请问怎么投诉？).
Each clause that holds an escalation
anchor gets one stance, checked in this order: negated, hearsay, done, question, threat (a threat
needs an intent pattern of :mod:`features.text.patterns`). @-mentions of the regulator, the media,
or the brand's own accounts are found separately (:func:`at_mentions`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from features.text import patterns as p
from features.text.wordlists import OPERATORS

STANCES: tuple[str, ...] = ("threat", "done", "hearsay", "negated", "question")
"""Stances of an escalation mention, one feature each."""
THREAT, DONE, HEARSAY, NEGATED, QUESTION = range(1, 6)
"""Stance codes (0: the clause takes no stance)."""

AT_KINDS: tuple[str, ...] = ("regulator", "media", "brand")
"""Kinds of @-mentioned accounts."""

_ESCALATION_ANCHORS = sorted(
    {word for kind, words in p.MENTION_KEYWORDS.items() if kind != "churn" for word in words},
    key=len,
    reverse=True,
)
_ANCHOR = "|".join(map(re.escape, _ESCALATION_ANCHORS))

_ACTS = (
    r"投诉|举报|反映|申诉|打(?!算|折|开|听|车)|拨|找(?!到)|去(?!年)|告(?!诉|知)|起诉|曝光"
    r"|发(?!现|生|票|货|展)|留言|提交|登记|联系|问(?!题)|咨询|闹|上报|转发"
)
_PAST_TIME = (
    r"上个?月|上周|上礼拜|上次|前天|昨天|昨晚|之前|以前|早就|早已|去年|前年|本月初|月初|前几天"
    r"|前段时间|前阵子|当时"
)
_COUNT = r"[0-9一二两三四五六七八九十几百]+|好几|多|无数|n|N"
DONE_STRONG = (
    rf"已(?:经)?(?:{_ACTS}|向|在|给|把|通过|受理|被)"
    rf"|(?:{_ACTS})过(?!来|去|几天|两天|一段|程)"
    r"|投诉无门|受理(?:了|编号)|编号都|闹到|上了.{0,4}热搜|被转发|转发了|转发的人|发出去了|发了帖"
    rf"|都(?:{_ACTS})(?:过|了|遍)"
)
PAST_MARKERS = (
    rf"{_PAST_TIME}"
    rf"|(?:{_COUNT})[次回遍趟]|第[0-9一二两三四五六七八九十几]+[次回遍趟]"
    r"|不下[0-9一二两三四五六七八九十几百]+|屡次|多次|反复|三番五次|一而再"
)
"""Markers that place an escalation in the past whatever else the clause says; times and counts
(:data:`PAST_MARKERS`) do so only in a clause that names an act (投诉, 打, 找, ...)."""
DONE_WEAK = rf"(?:{_ACTS})了(?!吗|么|没)|(?:{_ANCHOR})[^，,。！？!?]{{0,4}}?也?(?:{_ACTS})了"
"""An act with 了: done unless a future or conditional cue makes it a threat (我就投诉了)."""
FUTURE_CUES = (
    r"要(?!求)|会|将|准备|打算|就(?:去|打|找|把|向|发|投诉|告|起诉|曝光|联系)|马上|立刻|明天"
    r"|下周|再不|不然|否则|如果|要是|若|如再|只能|只好|现在就|这就|等着"
)
HEARSAY_MARKERS = (
    r"听说|据说|据悉|听人说|有(?:用户|客户|网友|消费者)|听[^，,。！？!?]{1,4}说|新闻(?:里|上|说)|看新闻|网上(?:说|看到)"
    r"|看到(?:好多|很多|有)人|(?<!没)(?<!所)有人|(?:[他她]们?|朋友|同事|邻居|亲戚|家人|网友|群里"
    r"|[表堂]?[哥姐弟妹]|我[妈爸])(?:也|都)?(?:说|讲|告诉我)|(?<!发)(?<!刷)朋友(?!圈)|同事|邻居"
    r"|亲戚|网友|别人"
)
_SCOPED = rf"(?:(?!{p.SCOPE_BREAK})[^\U0001F000-\U0001FAFF])*?"

_DONE_STRONG_RE = re.compile(DONE_STRONG)
_PAST_RE = re.compile(PAST_MARKERS)
_ACT_RE = re.compile(_ACTS)
_DONE_WEAK_RE = re.compile(DONE_WEAK)
_FUTURE_RE = re.compile(FUTURE_CUES)
_NEGATED_RE = re.compile(
    rf"(?:{p.NEGATION_CUES}){_SCOPED}(?:{_ANCHOR})|(?:{_ANCHOR}){_SCOPED}(?:{p.FUTILITY_AFTER})"
)
_HEARSAY_RE = re.compile(rf"(?:{HEARSAY_MARKERS}){_SCOPED}(?:{_ANCHOR})")

_AT_HANDLE = re.compile(r"@\s?([^\s@，,。:：!！?？、；;（）()#\[\]【】]{1,24})")
_AT_REGULATOR = re.compile(
    r"工信部|工业和信息化|通信管理局|通管局|12300|12315|12345|消协|消费者协会|消保委|市场监管"
    r"|市场监督|政府|市长|留言板|网信|发布$|公安|法院|检察"
)
_AT_MEDIA = re.compile(
    r"日报|晚报|早报|都市报|新京报|新闻|央视|CCTV|新华|澎湃|财经|电视台|卫视|记者|头条|黑猫投诉"
    r"|消费保|315|观察|周刊|时报|FM|广播"
)
_AT_BRAND = re.compile(
    "|".join(map(re.escape, ("客服", "营业厅", *(w for w in OPERATORS if not w.isdigit()))))
    + r"|10086|10010|10000"
)

SARCASM = (
    r"大开眼界|开了眼|长见识|真(?:是)?(?:厉害|行|牛|有你们的|会玩|绝了|佩服)"
    r"|(?:服务|态度|效率|速度|网速|信号)(?:真|可真|还真)(?:是)?(?:好|棒|快|高|周到|稳定|不错)"
    r"|呵呵|笑死|666|厉害了|谢谢(?:你们)?全家|感谢(?:你们)?全家|好一个|不愧是|真是服了"
    r"|是在逗我|逗我呢|有用吗|有意思吗|好意思|要不要脸|是不是觉得|凭什么|难道|这就是你们"
    r"|算什么|是摆设吗|是机器人吗|(?:不是|不叫).{1,10}是什么|一言难尽|又来了"
)
"""Sarcasm and rhetorical questions (你们这服务真让人大开眼界啊？, 这就是你们说的5G时代？)."""
_SARCASM_RE = re.compile(SARCASM)


def clause_stances(
    clauses: Sequence[str],
    contexts: Sequence[str],
    intent: np.ndarray,
    question: np.ndarray,
    affirmed: np.ndarray,
) -> np.ndarray:
    """Stance code of each clause that holds an escalation anchor.

    Args:
        clauses: The clauses.
        contexts: Each clause with the text of its sentence before it (for hearsay cues).
        intent: Whether the clause matches an escalation intent pattern (a threat candidate).
        question: Whether the clause sits in a question.
        affirmed: Whether a volition, decision or dare marker affirms it inside a question.

    Returns:
        ``int64`` codes: 0 none, then :data:`THREAT` ... :data:`QUESTION`.
    """
    codes = np.zeros(len(clauses), dtype=np.int64)
    for index, (clause, context) in enumerate(zip(clauses, contexts, strict=True)):
        codes[index] = _stance(
            clause, context, bool(intent[index]), bool(question[index]), bool(affirmed[index])
        )
    return codes


def _stance(clause: str, context: str, intent: bool, question: bool, affirmed: bool) -> int:
    strong = _DONE_STRONG_RE.search(clause) is not None or (
        _PAST_RE.search(clause) is not None and _ACT_RE.search(clause) is not None
    )
    if _NEGATED_RE.search(clause) and not (strong and not re.search(p.NEGATION_CUES, clause)):
        return NEGATED
    if _HEARSAY_RE.search(context):
        return HEARSAY
    if strong or (_DONE_WEAK_RE.search(clause) and not _FUTURE_RE.search(clause)):
        return DONE
    if question and not affirmed:
        return QUESTION
    return THREAT if intent else 0


def at_mentions(texts: Sequence[str]) -> np.ndarray:
    """Per text, whether it @-mentions a regulator, a media or the brand's account (n x 3 bool).

    A handle is a regulator when it names one (@工信部, @北京市通信管理局, @12315), media when it
    names a paper, a news outlet or a complaint platform (@人民日报, @新京报, @黑猫投诉), and the
    brand when it names an operator or its service account (@中国移动10086, @广东移动).
    """
    out = np.zeros((len(texts), len(AT_KINDS)), dtype=bool)
    for index, text in enumerate(texts):
        if "@" not in text:
            continue
        for handle in _AT_HANDLE.findall(text):
            if _AT_REGULATOR.search(handle):
                out[index, 0] = True
            elif _AT_MEDIA.search(handle):
                out[index, 1] = True
            elif _AT_BRAND.search(handle):
                out[index, 2] = True
    return out


def sarcasm(texts: Sequence[str]) -> np.ndarray:
    """Whether each text holds a sarcastic or rhetorical phrase (bool array)."""
    return np.fromiter((_SARCASM_RE.search(t) is not None for t in texts), bool, len(texts))
