"""Segmentation: private dictionary, telecom words kept whole, identical backends, picklable."""

import logging
import pickle

import jieba
import pandas as pd
import pytest
from sklearn.base import clone

from features.text import TelecomTokenizer, rjieba_available
from features.text import tokenizer as tokenizer_module

SAMPLE = [
    "我要去工信部投诉，你们乱扣费还欠费停机！",
    "携号转网需要什么条件？5G套餐太贵了",
    "光猫一直闪红灯，宽带上不了网 😡😡",
    "请问12300是什么电话？国际漫游费怎么这么贵",
    "增值业务我没订过，视频彩铃每月扣钱，太坑了",
    "我是从移动携号转网过来的，千兆宽带装机要多久",
    "号码<PHONE>绑定的亲情号被停了，合约期还没到",
    "  多个   空格\t和\n换行、全角，标点…以及 English words 123",
    "客户来电反映：副卡欠费被双停，要求复机并减免滞纳金",
]


def test_telecom_words_stay_whole() -> None:
    words = TelecomTokenizer(backend="jieba").words("我要去工信部投诉，乱扣费还欠费停机，5G套餐")
    for word in ("工信部", "乱扣费", "欠费停机", "5G套餐"):
        assert word in words


def test_global_jieba_dictionary_is_untouched() -> None:
    TelecomTokenizer(backend="jieba").fit()
    logging.getLogger("jieba").setLevel(logging.WARNING)
    assert "工信部" not in jieba.lcut("我要去工信部投诉", HMM=False)
    assert "欠费停机" not in jieba.dt.FREQ


def test_transform_joins_word_tokens_and_masks_stay_words() -> None:
    docs = TelecomTokenizer(backend="jieba").transform(
        pd.Series(["号码<PHONE>打不通！！", None, "😡"], index=["a", "b", "c"])
    )
    assert docs.index.tolist() == ["a", "b", "c"]
    assert docs["a"].split() == ["号码", "PHONE", "打不通"]
    assert docs["b"] == "" and docs["c"] == ""


def test_backends_give_identical_tokens() -> None:
    reference = TelecomTokenizer(backend="jieba")
    auto = TelecomTokenizer(backend="auto").fit()
    assert auto.backend_ == ("rjieba" if rjieba_available() else "jieba")
    for text in SAMPLE:
        assert auto.words(text) == reference.words(text)
        assert auto.cut(text) == reference.cut(text)


def test_pickles_as_parameters_and_clones() -> None:
    tokenizer = TelecomTokenizer(backend="jieba", hmm=True).fit()
    restored = pickle.loads(pickle.dumps(tokenizer))
    assert restored.get_params() == tokenizer.get_params()
    assert restored.words(SAMPLE[0]) == tokenizer.words(SAMPLE[0])
    assert clone(tokenizer).get_params()["hmm"] is True
    assert not hasattr(clone(tokenizer), "backend_")


def test_auto_falls_back_to_jieba_without_rjieba(monkeypatch) -> None:
    monkeypatch.setattr(tokenizer_module, "rjieba_available", lambda: False)
    assert TelecomTokenizer(backend="auto").fit().backend_ == "jieba"
    with pytest.raises(ImportError, match="rjieba"):
        TelecomTokenizer(backend="rjieba").fit()


def test_documents_equal_transform() -> None:
    tokenizer = TelecomTokenizer()
    expected = tokenizer.transform(pd.Series(SAMPLE, dtype=object)).tolist()
    assert tokenizer.documents(SAMPLE) == expected
    assert all("  " not in document and document == document.strip() for document in expected)
