"""Anger of complaint texts: words, sarcasm and angry emoji, amplified by punctuation.

Word lists (the anger lexicon, intensifiers, angry emoji, sarcasm hints) are matched for all
texts at once by :class:`~features.text.matcher.LiteralMatcher`; exclamation marks and repeated
characters are counted on the code-point array. Punctuation and repetition only amplify other
cues: a text whose only sign is punctuation (在线等，急！！！) is not angry.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from features.text import patterns as p
from features.text import stance as st
from features.text.lexicon import anger_lexicon, intensifiers
from features.text.matcher import LiteralMatcher, TextBuffer, char_table, run_starts

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
SARCASM_WEIGHT = 1.0
"""Raw anger points of a sarcastic or rhetorical phrase."""
SARCASM_HINTS: tuple[str, ...] = p.words(
    "大开眼界 开了眼 长见识 真 呵呵 笑死 666 厉害了 全家 好一个 不愧是 逗我 有用吗 有意思吗 "
    "好意思 要不要脸 是不是觉得 凭什么 难道 这就是你们 算什么 摆设吗 机器人吗 是什么 "
    "一言难尽 又来了"
)
"""Literals one of which every sarcasm pattern holds (texts without one skip the regex)."""


@dataclass(frozen=True)
class _Compiled:
    anger: LiteralMatcher
    anger_weights: np.ndarray
    intensifier: LiteralMatcher
    angry_emoji: LiteralMatcher
    sarcasm_hint: LiteralMatcher
    exclamations: np.ndarray
    repeatable: np.ndarray


@lru_cache(maxsize=1)
def _compiled() -> _Compiled:
    weights = anger_lexicon()
    anger = LiteralMatcher(weights)
    return _Compiled(
        anger=anger,
        anger_weights=np.array([weights[word] for word in anger.words], dtype=float),
        intensifier=LiteralMatcher(intensifiers()),
        angry_emoji=LiteralMatcher(ANGRY_EMOJI),
        sarcasm_hint=LiteralMatcher(SARCASM_HINTS),
        exclamations=char_table("!！"),
        repeatable=char_table("!！?？", [(0x4E00, 0x9FFF)]),
    )


def _per_text(
    buffer: TextBuffer, text_ids: np.ndarray, weights: np.ndarray | None = None
) -> np.ndarray:
    return np.bincount(text_ids, weights=weights, minlength=len(buffer.starts)).astype(float)


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


def _exclamations(buffer: TextBuffer, compiled: _Compiled) -> np.ndarray:
    return _per_text(buffer, buffer.text_of(buffer.where(compiled.exclamations)))


def _sarcasm(buffer: TextBuffer, compiled: _Compiled) -> np.ndarray:
    hinted = np.unique(compiled.sarcasm_hint.find(buffer).text_ids)
    out = np.zeros(len(buffer.starts), dtype=bool)
    if len(hinted):
        texts = [
            buffer.joined[a : a + n]
            for a, n in zip(
                buffer.starts[hinted].tolist(), buffer.lengths[hinted].tolist(), strict=True
            )
        ]
        out[hinted] = st.sarcasm(texts)
    return out


def _anger_scores(
    buffer: TextBuffer, compiled: _Compiled, exclamations: np.ndarray, sarcastic: np.ndarray
) -> np.ndarray:
    """Anger from words, sarcasm and angry emoji; punctuation and repetition only amplify them.

    A text whose only sign is punctuation (在线等，急！！！) scores zero.
    """
    found = compiled.anger.find(buffer)
    lexical = _per_text(buffer, found.text_ids, compiled.anger_weights[found.word_ids])
    intensity = np.minimum(_per_text(buffer, compiled.intensifier.find(buffer).text_ids), 4)
    repetitions = np.minimum(_repetitions(buffer, compiled), 3)
    emoji = np.minimum(_per_text(buffer, compiled.angry_emoji.find(buffer).text_ids), 3)
    cues = lexical + SARCASM_WEIGHT * sarcastic + 1.0 * emoji
    raw = cues + (cues > 0) * (
        0.25 * intensity + 0.25 * np.minimum(exclamations, 6) + 0.5 * repetitions
    )
    return raw / (raw + ANGER_HALF_SCORE)


def anger_signals(buffer: TextBuffer) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per text: the anger score in [0, 1), exclamation marks and whether it is sarcastic."""
    compiled = _compiled()
    exclamations = _exclamations(buffer, compiled)
    sarcastic = _sarcasm(buffer, compiled)
    return _anger_scores(buffer, compiled, exclamations, sarcastic), exclamations, sarcastic
