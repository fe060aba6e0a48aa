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

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

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
        values = texts.tolist()
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


def _in_sorted(sorted_values: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    index = np.searchsorted(sorted_values, values)
    index = np.minimum(index, max(len(sorted_values) - 1, 0))
    found = sorted_values[index] == values if len(sorted_values) else np.zeros(len(values), bool)
    return found, index


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
        prefixes: dict[int, set[int]] = {}
        full: dict[int, dict[int, int]] = {}
        for word_id, word in enumerate(self.words):
            self._first[ord(word[0])] = True
            for size in range(2, len(word) + 1):
                prefixes.setdefault(size, set()).add(_hash(word[:size]))
            full.setdefault(len(word), {}).setdefault(_hash(word), word_id)
        self._prefixes = {
            size: np.array(sorted(values), dtype=np.uint64) for size, values in prefixes.items()
        }
        self._full: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        for size, table in full.items():
            hashes = np.array(sorted(table), dtype=np.uint64)
            ids = np.array([table[int(value)] for value in hashes], dtype=np.int64)
            self._full[size] = (hashes, ids)

    def find(self, buffer: TextBuffer) -> Matches:
        """All non-nested occurrences of the words in the buffer's texts."""
        codes = buffer.codes
        total = len(codes)
        positions = np.flatnonzero(self._first[codes]) if total else np.zeros(0, np.int64)
        hashes = codes[positions].astype(np.uint64)
        found_positions, found_ids, found_lengths = [], [], []
        for size in range(1, self.max_length + 1):
            if size > 1:
                following = positions + (size - 1)
                inside = following < total
                positions, hashes, following = positions[inside], hashes[inside], following[inside]
                chars = codes[following]
                inside = chars != 0
                positions, hashes = positions[inside], hashes[inside]
                hashes = hashes * _BASE + chars[inside].astype(np.uint64)
                prefix_table = self._prefixes.get(size)
                if prefix_table is None:
                    break
                alive, _ = _in_sorted(prefix_table, hashes)
                positions, hashes = positions[alive], hashes[alive]
            if not len(positions):
                break
            table = self._full.get(size)
            if table is None:
                continue
            hit, index = _in_sorted(table[0], hashes)
            found_positions.append(positions[hit])
            found_ids.append(table[1][index[hit]])
            found_lengths.append(np.full(int(hit.sum()), size, dtype=np.int64))
        if not found_positions:
            empty = np.zeros(0, dtype=np.int64)
            return Matches(empty, empty, empty)
        starts = np.concatenate(found_positions)
        ids = np.concatenate(found_ids)
        sizes = np.concatenate(found_lengths)
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
