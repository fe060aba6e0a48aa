"""Vectorized literal-word matching over many texts at once.

All texts are joined into one array of Unicode code points (separated by NUL); a
:class:`LiteralMatcher` walks its word trie level by level over that array with numpy: level 1
keeps the positions whose character starts some word, level ``n`` extends the surviving
positions' 64-bit polynomial hashes by one character and keeps those that are still a word
prefix. Work is proportional to the text length plus the surviving prefixes, whatever the
number of words, so large lexicons cost no more than small ones (a regular expression of
thousands of alternatives tries them one by one at every position). A 64-bit hash collision
needs two different strings of the same length to agree on 64 bits: about one false match in
10^16 checked positions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

_BASE = np.uint64(0x9E3779B97F4A7C15)
_MASK = (1 << 64) - 1
_MAX_CODE = 0x110000


def char_table(chars: str = "", ranges: Iterable[tuple[int, int]] = ()) -> np.ndarray:
    """Boolean lookup table over all code points: True for ``chars`` and inclusive ``ranges``."""
    table = np.zeros(_MAX_CODE, dtype=bool)
    table[[ord(char) for char in chars]] = True
    for low, high in ranges:
        table[low : high + 1] = True
    return table


def as_strings(values: np.ndarray) -> np.ndarray:
    """Non-null ``values`` as an object array of ``str``, as ``Series.astype(str)`` converts them.

    Arrays that already hold only ``str`` are returned as they are (no per-element work).
    """
    if values.dtype == object and infer_dtype(values, skipna=False) in ("string", "empty"):
        return values
    return pd.Series(values, dtype=object, copy=False).astype(str).to_numpy(dtype=object)


def run_starts(flags: np.ndarray, min_length: int) -> np.ndarray:
    """Start offsets of runs of True in ``flags`` at least ``min_length`` long."""
    padded = np.concatenate([[False], flags, [False]])
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    starts, ends = edges[0::2], edges[1::2]
    return starts[ends - starts >= min_length]


@dataclass(frozen=True)
class TextBuffer:
    """Texts joined with NUL separators, as a string and as code points.

    Attributes:
        joined: The joined string.
        codes: Code points of ``joined`` (uint32).
        starts: Offset of each text in ``joined``.
        lengths: Length of each text.
    """

    joined: str
    codes: np.ndarray
    starts: np.ndarray
    lengths: np.ndarray

    @classmethod
    def from_series(cls, texts: pd.Series) -> TextBuffer:
        """Build the buffer from non-null strings (the caller fills nulls)."""
        return cls.from_texts(texts.tolist())

    @classmethod
    def from_texts(cls, values: Sequence[str]) -> TextBuffer:
        """Build the buffer from a list or object array of strings."""
        lengths = np.fromiter((len(text) for text in values), dtype=np.int64, count=len(values))
        starts = np.zeros(len(values), dtype=np.int64)
        if len(values) > 1:
            starts[1:] = np.cumsum(lengths[:-1] + 1)
        joined = "\x00".join(values)
        codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
        return cls(joined=joined, codes=codes, starts=starts, lengths=lengths)

    def where(self, table: np.ndarray) -> np.ndarray:
        """Offsets whose character is True in a :func:`char_table`."""
        return np.flatnonzero(table[self.codes])

    def text_of(self, positions: np.ndarray) -> np.ndarray:
        """Index of the text that holds each offset of ``joined``."""
        return np.searchsorted(self.starts, positions, side="right") - 1


@dataclass(frozen=True)
class Matches:
    """Non-nested word occurrences: start offsets, word ids and the texts that hold them."""

    positions: np.ndarray
    word_ids: np.ndarray
    text_ids: np.ndarray


def _hash(word: str) -> int:
    value = 0
    for char in word:
        value = (value * int(_BASE) + ord(char)) & _MASK
    return value


class LiteralMatcher:
    """Finds every occurrence of a fixed word list in many texts with numpy.

    At each start position only the longest word counts, and a word inside a longer word found
    earlier in the text is dropped (so 太过分 does not also count 过分).

    Args:
        words: Literal words; empty strings and duplicates are ignored.
    """

    def __init__(self, words: Iterable[str]) -> None:
        self.words: tuple[str, ...] = tuple(dict.fromkeys(word for word in words if word))
        self.lengths = np.array([len(word) for word in self.words], dtype=np.int64)
        self.max_length = int(self.lengths.max()) if self.words else 0
        self._first = np.zeros(_MAX_CODE, dtype=bool)
        levels: dict[int, dict[int, list[int]]] = {}
        for word_id, word in enumerate(self.words):
            self._first[ord(word[0])] = True
            for size in range(1 if len(word) == 1 else 2, len(word) + 1):
                entry = levels.setdefault(size, {}).setdefault(_hash(word[:size]), [-1, 0])
                if size < len(word):
                    entry[1] = 1
                elif entry[0] < 0:
                    entry[0] = word_id
        # Per length: the sorted hashes of every word prefix of that length, the word each one
        # completes (-1: none) and whether a longer word continues it; a final sentinel (the
        # largest hash, completing and continuing nothing) keeps every search inside the table.
        # Length 1 holds the one-character words only: ``_first`` already selects the starts.
        self._levels: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        for size, table in levels.items():
            hashes = sorted(table)
            self._levels[size] = (
                np.array([*hashes, _MASK], dtype=np.uint64),
                np.array([*(table[value][0] for value in hashes), -1], dtype=np.int64),
                np.array([*(table[value][1] for value in hashes), 0], dtype=bool),
            )

    def find(self, buffer: TextBuffer) -> Matches:
        """All non-nested occurrences of the words in the buffer's texts."""
        codes = buffer.codes
        positions = np.flatnonzero(self._first[codes])
        hashes = codes[positions].astype(np.uint64)
        padded = np.append(codes, np.uint32(0)) if self.max_length > 1 else codes
        found_positions, found_ids = [], []
        single = self._levels.get(1)
        if single is not None:
            index = np.searchsorted(single[0], hashes)
            ids = single[1][index]
            complete = (single[0][index] == hashes) & (ids >= 0)
            found_positions.append(positions[complete])
            found_ids.append(ids[complete])
        for size in range(2, self.max_length + 1):
            if not len(positions):
                break
            chars = padded[positions + (size - 1)]
            inside = chars != 0
            positions = positions[inside]
            hashes = hashes[inside] * _BASE + chars[inside].astype(np.uint64)
            keys, word_ids, continues = self._levels[size]
            index = np.searchsorted(keys, hashes)
            hit = keys[index] == hashes
            index, positions, hashes = index[hit], positions[hit], hashes[hit]
            ids = word_ids[index]
            complete = ids >= 0
            if complete.any():
                found_positions.append(positions[complete])
                found_ids.append(ids[complete])
            alive = continues[index]
            positions, hashes = positions[alive], hashes[alive]
        if not found_positions:
            empty = np.zeros(0, dtype=np.int64)
            return Matches(empty, empty, empty)
        starts = np.concatenate(found_positions)
        ids = np.concatenate(found_ids)
        sizes = self.lengths[ids]
        order = np.lexsort((-sizes, starts))
        starts, ids, sizes = starts[order], ids[order], sizes[order]
        longest = np.ones(len(starts), dtype=bool)
        longest[1:] = starts[1:] != starts[:-1]
        starts, ids, sizes = starts[longest], ids[longest], sizes[longest]
        ends = starts + sizes
        reach = np.maximum.accumulate(ends)
        outside = np.ones(len(starts), dtype=bool)
        outside[1:] = ends[1:] > reach[:-1]
        starts, ids = starts[outside], ids[outside]
        return Matches(positions=starts, word_ids=ids, text_ids=buffer.text_of(starts))
