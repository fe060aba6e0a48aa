"""The vectorized literal matcher agrees with a plain scan and keeps the longest words."""

import numpy as np
import pandas as pd

from features.text.matcher import LiteralMatcher, TextBuffer


def _found(matcher: LiteralMatcher, texts: list[str]) -> list[list[str]]:
    buffer = TextBuffer.from_series(pd.Series(texts, dtype=object))
    matches = matcher.find(buffer)
    out: list[list[str]] = [[] for _ in texts]
    for text_id, word_id in zip(matches.text_ids, matches.word_ids, strict=True):
        out[text_id].append(matcher.words[word_id])
    return out


def test_longest_word_wins_and_nested_words_are_dropped() -> None:
    matcher = LiteralMatcher(["太过分", "过分", "气死", "气死了", "元"])
    assert _found(matcher, ["太过分了，气死了", "过分", "", "元元"]) == [
        ["太过分", "气死了"],
        ["过分"],
        [],
        ["元", "元"],
    ]


def test_words_never_span_two_texts() -> None:
    matcher = LiteralMatcher(["工信部"])
    assert _found(matcher, ["去工", "信部", "工信部"]) == [[], [], ["工信部"]]


def _reference(text: str, words: list[str]) -> list[str]:
    found, reach = [], 0
    for start in range(len(text)):
        longest = max((w for w in words if text.startswith(w, start)), key=len, default=None)
        if longest is not None and start + len(longest) > reach:
            found.append(longest)
        if longest is not None:
            reach = max(reach, start + len(longest))
    return found


def test_agrees_with_a_plain_scan_on_random_texts() -> None:
    rng = np.random.default_rng(0)
    alphabet = list("工信部投诉消协垃圾坑人12300")
    words = ["工信部", "投诉", "消协", "垃圾", "坑人", "12300", "信部投", "诉消"]
    texts = ["".join(rng.choice(alphabet, rng.integers(0, 30))) for _ in range(300)]
    found = _found(LiteralMatcher(words), texts)
    assert found == [_reference(text, words) for text in texts]
    assert sum(map(len, found)) > 50


def test_prefix_chains_and_one_character_words_agree_with_a_plain_scan() -> None:
    rng = np.random.default_rng(1)
    alphabet = list("工信部投诉元钱12")
    words = ["工", "工信", "工信部", "工信部投诉", "信部投", "元", "元钱", "12", "121", "诉"]
    texts = ["".join(rng.choice(alphabet, rng.integers(0, 25))) for _ in range(400)]
    texts += ["工信部投诉工信", "12121元钱元", "工信部投"]
    found = _found(LiteralMatcher(words), texts)
    assert found == [_reference(text, words) for text in texts]
    assert {word for words_found in found for word in words_found} == set(words)
