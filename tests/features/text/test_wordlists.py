"""The telecom, slang and rights word lists reach the tokenizer and the anger lexicon."""

from __future__ import annotations

from features.text import TelecomTokenizer
from features.text.lexicon import anger_lexicon
from features.text.tokenizer import user_words
from features.text.wordlists import SLANG_ANGER, TELECOM_WORDS


def test_telecom_words_stay_one_token() -> None:
    tokens = TelecomTokenizer(backend="jieba").words("广东移动的光猫亮红灯，携号转网被拦截，坑爹")
    assert {"广东移动", "光猫亮红灯", "携号转网", "坑爹"} <= set(tokens)


def test_user_words_add_the_lists_once() -> None:
    words = [entry.word for entry in user_words("telecom_userdict.txt")]
    assert len(words) == len(set(words))
    assert set(TELECOM_WORDS) <= set(words)


def test_slang_overlays_the_anger_lexicon_with_or_without_published_lists() -> None:
    for published in (True, False):
        lexicon = anger_lexicon(published)
        assert all(lexicon[word] == weight for word, weight in SLANG_ANGER.items())
    assert len(anger_lexicon(True)) > len(anger_lexicon(False))
