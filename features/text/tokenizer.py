"""Word segmentation with a private jieba dictionary extended by the telecom user dictionary.

Two backends give the same tokens: ``jieba`` (a private ``jieba.Tokenizer``; the global
``jieba.dt`` is never touched) and ``rjieba`` (the Rust port jieba-rs, about 10x faster), both
loaded with the same main dictionary and the same user words at the same frequencies. ``auto``
picks rjieba when it is installed. Segmenters are built once per process and shared by every
:class:`TelecomTokenizer` with the same parameters; the tokenizer itself pickles as its parameters.
"""

from __future__ import annotations

import importlib.util
import logging
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any, Literal, Protocol

import pandas as pd
from sklearn.base import BaseEstimator

from features.text.lexicon import USER_DICT_FILE, UserWord, default_freq, load_user_dict
from features.text.matcher import as_strings
from features.text.wordlists import TELECOM_WORDS

logger = logging.getLogger(__name__)

Backend = Literal["auto", "jieba", "rjieba"]

# Everything that is not part of a word for jieba (its own block pattern, plus the CJK range) is
# replaced by a space before cutting: blocks are cut independently, so the words stay the same,
# and spaces are dropped afterwards. Mask tokens such as <PHONE> become the word PHONE.
_NON_WORD = re.compile(r"[^\u4e00-\u9fd5A-Za-z0-9+#&._%\-]+")
_SYMBOL_TOKEN = re.compile(r"(?<!\S)[+#&._%\-]+(?!\S)")


def user_words(user_dict: str) -> tuple[UserWord, ...]:
    """The user dictionary's entries followed by :data:`~features.text.wordlists.TELECOM_WORDS`
    that it lacks (operators, provinces, network generations, authorities, slang)."""
    entries = load_user_dict(user_dict)
    known = {entry.word for entry in entries}
    extra = tuple(UserWord(w, default_freq(w), "") for w in TELECOM_WORDS if w not in known)
    return entries + extra


class _Segmenter(Protocol):
    def cut(self, text: str, hmm: bool) -> list[str]: ...


class _JiebaSegmenter:
    def __init__(self, user_dict: str) -> None:
        import jieba

        self._tokenizer = jieba.Tokenizer()
        self._tokenizer.initialize()
        for entry in user_words(user_dict):
            # jieba adds a re-added word's frequency to the total again; jieba-rs replaces it.
            # Mirror jieba-rs so both backends score every route identically.
            previous = self._tokenizer.FREQ.get(entry.word, 0)
            self._tokenizer.add_word(entry.word, entry.freq, entry.tag or None)
            self._tokenizer.total -= previous

    def cut(self, text: str, hmm: bool) -> list[str]:
        return self._tokenizer.lcut(text, HMM=hmm)


class _RjiebaSegmenter:
    def __init__(self, user_dict: str) -> None:
        import rjieba

        self._jieba = rjieba.Jieba()
        for entry in user_words(user_dict):
            self._jieba.add_word(entry.word, entry.freq, entry.tag or None)

    def cut(self, text: str, hmm: bool) -> list[str]:
        return self._jieba.cut(text, hmm)


def rjieba_available() -> bool:
    """Whether the rjieba package can be imported."""
    return importlib.util.find_spec("rjieba") is not None


def resolve_backend(backend: Backend) -> Literal["jieba", "rjieba"]:
    """The backend actually used for ``backend`` (``auto`` prefers rjieba when installed)."""
    if backend == "auto":
        return "rjieba" if rjieba_available() else "jieba"
    if backend == "rjieba" and not rjieba_available():
        raise ImportError("backend='rjieba' requested but the rjieba package is not installed")
    return backend


@lru_cache(maxsize=4)
def _segmenter(backend: Literal["jieba", "rjieba"], user_dict: str) -> _Segmenter:
    logger.info("loading %s segmenter with user dictionary %s", backend, user_dict)
    if backend == "rjieba":
        return _RjiebaSegmenter(user_dict)
    return _JiebaSegmenter(user_dict)


class TelecomTokenizer(BaseEstimator):
    """jieba segmentation with the telecom user dictionary, as a re-creatable estimator.

    Args:
        backend: ``"auto"`` (rjieba when installed, else jieba), ``"jieba"`` or ``"rjieba"``.
        hmm: Use jieba's HMM to join unknown character runs into words. Off by default: faster,
            and unknown runs then fall apart into known words and single characters.
        user_dict: File name of the user dictionary in ``features/resources``.

    Attributes:
        backend_: The backend in use, set on :meth:`fit` or first use.
    """

    def __init__(
        self, backend: Backend = "auto", hmm: bool = False, user_dict: str = USER_DICT_FILE
    ) -> None:
        self.backend = backend
        self.hmm = hmm
        self.user_dict = user_dict

    def fit(self, texts: Any = None, y: Any = None) -> TelecomTokenizer:
        """Resolve the backend and load the segmenter (texts are ignored)."""
        self.backend_ = resolve_backend(self.backend)
        _segmenter(self.backend_, self.user_dict)
        return self

    def _segmenter(self) -> _Segmenter:
        if not hasattr(self, "backend_"):
            self.fit()
        return _segmenter(self.backend_, self.user_dict)

    def cut(self, text: str) -> list[str]:
        """Raw jieba tokens of one text (punctuation and spaces included)."""
        return self._segmenter().cut(text, self.hmm)

    def words(self, text: str) -> list[str]:
        """Word tokens of one text: punctuation, emoji, whitespace and bare symbols removed."""
        tokens = self._segmenter().cut(_NON_WORD.sub(" ", text), self.hmm)
        return [token for token in tokens if not token.isspace() and not _SYMBOL_TOKEN.match(token)]

    def transform(self, texts: pd.Series) -> pd.Series:
        """Space-joined word tokens of each text (nulls give empty strings).

        Args:
            texts: Texts, already masked.

        Returns:
            A string Series with the same index.
        """
        values = texts.to_numpy(dtype=object, copy=True)
        values[pd.isna(values)] = ""
        return pd.Series(self.documents(as_strings(values)), index=texts.index, dtype=object)

    def documents(self, texts: Iterable[str]) -> list[str]:
        """:meth:`transform` for plain strings: the space-joined word tokens of each text."""
        cut = self._segmenter().cut
        hmm = self.hmm
        return [
            " ".join(_SYMBOL_TOKEN.sub(" ", " ".join(cut(_NON_WORD.sub(" ", text), hmm))).split())
            for text in texts
        ]
