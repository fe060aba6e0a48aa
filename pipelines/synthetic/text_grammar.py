"""Chinese complaint-text grammar of the synthetic telecom world.

Texts are assembled from fragment pools (``text_fragments``) keyed by topic, register, anger
level, escalation intent, churn intent and channel style. The grammar is compiled once per
brand: synonyms and register tokens are expanded into fragment variants, each variant gets a
low-rate typo twin, and separators are pre-joined to fragments, so rendering is numpy fancy
indexing plus one ``str.join`` per row over about a dozen pieces.

Hard cases for text models are built in: negated escalation mentions (intent 2), neutral
questions about escalation channels (intent 3), incidental mentions of lawyers or media without
intent, negated churn mentions, overlapping topic vocabularies, typos and PII (phone and
18-digit ID numbers) inside the text.
"""

from __future__ import annotations

import functools
import itertools
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipelines.contract import CATEGORIES
from pipelines.contract import CHANNELS as CONTRACT_CHANNELS
from pipelines.synthetic import text_fragments as tf

TOPICS: tuple[str, ...] = CATEGORIES
CHANNELS: tuple[str, ...] = CONTRACT_CHANNELS
DEFAULT_BRAND = "星河移动"

_REGISTERS: tuple[str, ...] = ("casual", "formal", "summary")
_SOCIAL_STYLES: tuple[str, ...] = ("weibo", "post")
_DEMAND_MODES: tuple[tuple[str, str], ...] = (
    ("calm", "casual"),
    ("angry", "casual"),
    ("formal", "formal"),
    ("summary", "summary"),
)
_GAP_KINDS: tuple[str, ...] = ("", "date", "amt", "phone", "idno")
_GAP_RE = re.compile(r"\{(date|amt|phone|idno)\}")
_TOKEN_RE = re.compile(r"\{(\w+)\}")
_MAX_VARIANTS = 16
_END_PUNCT = frozenset("，。！？：；、…～!?:;, #]")
_DENSE_SHARE = 0.35
_SEP_BINS = 100
_CHUNK_ROWS = 200_000
_ANGER_CUTS = (0.35, 0.7)
_AMOUNT_TABLE_CENTS = 100_000
_DATE_FORMATS: tuple[str, ...] = ("{m}月{d}日", "{m}月{d}号", "{d}号", "{m}.{d}", "{m}/{d}")
_DATE_FORMAT_WEIGHTS: dict[str, tuple[float, ...]] = {
    "casual": (0.3, 0.35, 0.15, 0.1, 0.1),
    "formal": (1.0, 0.0, 0.0, 0.0, 0.0),
    "summary": (0.6, 0.2, 0.0, 0.0, 0.2),
}
_FORMAL_YEAR_SHARE = 0.6
_UNKNOWN_DATE = "前几天"
_UNKNOWN_AMOUNT = "几十"
_ID_CHECK_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
_ID_CHECK_CHARS = "10X98765432"

# Per style: share of rows with a detail, a demand, a closer, an emoji, a hashtag, a filler
# word (voice transcripts) and an agent action (agent summaries).
_STYLE_PARAMS: dict[str, tuple[float, float, float, float, float, float, float]] = {
    "hotline_summary": (0.6, 0.9, 0.5, 0.0, 0.0, 0.0, 0.8),
    "hotline_voice": (0.7, 0.8, 0.6, 0.0, 0.0, 0.4, 0.0),
    "wechat": (0.35, 0.55, 0.5, 0.45, 0.0, 0.0, 0.0),
    "app": (0.35, 0.55, 0.5, 0.35, 0.0, 0.0, 0.0),
    "web_chat": (0.35, 0.6, 0.5, 0.3, 0.0, 0.0, 0.0),
    "weibo": (0.6, 0.5, 0.6, 0.35, 0.5, 0.0, 0.0),
    "email": (0.8, 0.95, 0.9, 0.0, 0.0, 0.0, 0.0),
    "store_note": (0.5, 0.9, 0.6, 0.0, 0.0, 0.0, 0.5),
    "store_form": (0.7, 0.9, 0.6, 0.0, 0.0, 0.0, 0.0),
    "regulator": (0.85, 0.95, 0.9, 0.0, 0.0, 0.0, 0.0),
    "post": (0.7, 0.4, 0.7, 0.4, 0.85, 0.0, 0.0),
}
_FEELING_SHARE: dict[str, tuple[float, float, float]] = {
    "casual": (0.3, 0.6, 0.9),
    "formal": (0.3, 0.6, 0.9),
    "summary": (0.5, 0.7, 0.95),
}
_ESCALATION_FRONT_SHARE = 0.25
_QUESTION_FRONT_SHARE = 0.2
_CHURN_FRONT_SHARE = 0.15
_PHONE_EARLY_SHARE = 0.4
_PHONE_FORMAT_SHARES = (0.8, 0.1, 0.1)
_POST_CHURN_BASE = 0.04
_POST_CHURN_PER_ANGER = 0.1


@dataclass(frozen=True)
class _Pool:
    """Compiled fragment pool: entries (variants and their typo twins) indexed by key."""

    variants: tuple[str, ...]
    head: np.ndarray
    tails: tuple[np.ndarray, ...]
    gaps: tuple[np.ndarray, ...]
    typo_of: np.ndarray
    ends: np.ndarray
    empty: np.ndarray
    template_start: np.ndarray
    template_count: np.ndarray
    variant_start: np.ndarray
    variant_count: np.ndarray

    def pick(self, key: np.ndarray, u: np.ndarray) -> np.ndarray:
        """Entry index per row: a template uniformly within the key, then one of its variants.

        One uniform drives both choices: its integer part picks the template, the remainder
        the variant.
        """
        scaled = u * self.template_count[key]
        offset = scaled.astype(np.int64)
        template = self.template_start[key] + offset
        variant = ((scaled - offset) * self.variant_count[template]).astype(np.int64)
        return self.variant_start[template] + variant


@dataclass(frozen=True)
class _Grammar:
    pools: dict[str, _Pool]
    style_register: np.ndarray
    sep_table: np.ndarray


def _expand(template: str, register: str | None, brand: str) -> list[str]:
    """All synonym and register-token variants of a template (at most ``_MAX_VARIANTS``)."""
    text = template.replace("{brand}", brand).replace("{amt}", "{amt}{unit}")
    tokens = list(dict.fromkeys(t for t in _TOKEN_RE.findall(text) if t not in _GAP_KINDS))
    choices: list[tuple[str, ...]] = []
    for token in tokens:
        if token in tf.REGISTER_TOKENS:
            if register is None:
                raise ValueError(f"register token {{{token}}} in a register-free pool: {template}")
            choices.append(tf.REGISTER_TOKENS[token][register])
        elif token in tf.SYNONYMS:
            choices.append(tf.SYNONYMS[token])
        else:
            raise ValueError(f"unknown token {{{token}}} in fragment: {template}")
    combos = list(itertools.product(*choices))
    if len(combos) > _MAX_VARIANTS:
        picker = np.random.default_rng(zlib.crc32(template.encode()))
        keep = np.sort(picker.choice(len(combos), size=_MAX_VARIANTS, replace=False))
        combos = [combos[i] for i in keep]
    out = []
    for combo in combos:
        values = dict(zip(tokens, combo, strict=True))
        out.append(_TOKEN_RE.sub(lambda m, v=values: v.get(m.group(1), m.group(0)), text))
    return out


def _typo_twin(text: str) -> str:
    """The text with one common IME typo or homophone, or the text itself if none applies."""
    start = zlib.crc32(text.encode()) % len(tf.TYPOS)
    for right, wrong in tf.TYPOS[start:] + tf.TYPOS[:start]:
        if right in text:
            return text.replace(right, wrong, 1)
    return text


def _ends_in_punct(text: str) -> bool:
    if not text or text.endswith("}"):
        return False
    last = text[-1]
    return last in _END_PUNCT or 0x2600 <= ord(last) < 0x2800 or ord(last) >= 0x1F000


def _compile_pool(
    entries: Sequence[tuple[str | None, Sequence[str]]],
    *,
    brand: str,
    separators: bool = False,
    typos: bool = False,
) -> _Pool:
    """Compile templates per key (``entries[key] = (register, templates)``) into a pool."""
    variants: list[str] = []
    registers: list[int] = []
    template_start, template_count, variant_start, variant_count = [], [], [], []
    n_templates = 0
    for register, templates in entries:
        if not templates:
            raise ValueError("every key of a fragment pool needs at least one template")
        template_start.append(n_templates)
        template_count.append(len(templates))
        for template in templates:
            expanded = _expand(template, register, brand)
            variant_start.append(len(variants))
            variant_count.append(len(expanded))
            variants.extend(expanded)
            registers.extend([_REGISTERS.index(register) if register else 0] * len(expanded))
            n_templates += 1
    n_base = len(variants)
    typo_of = np.arange(n_base, dtype=np.int64)
    all_entries = list(variants)
    if typos:
        for i, text in enumerate(variants):
            twin = _typo_twin(text)
            if twin != text:
                typo_of[i] = len(all_entries)
                all_entries.append(twin)
                registers.append(registers[i])
        typo_of = np.concatenate([typo_of, np.arange(n_base, len(all_entries), dtype=np.int64)])

    split = [_GAP_RE.split(text) for text in all_entries]
    n_gaps = max((len(parts) - 1) // 2 for parts in split)
    if n_gaps > 2:
        raise ValueError("a fragment may hold at most two gaps")
    segments = [parts[0::2] + [""] * (n_gaps + 1 - len(parts[0::2])) for parts in split]
    gap_codes = [
        [_GAP_KINDS.index(g) for g in parts[1::2]] + [0] * (n_gaps - len(parts[1::2]))
        for parts in split
    ]
    first = [seg[0] for seg in segments]
    if separators:
        width = 1 + max(len(tf.SEPARATORS[r]) for r in _REGISTERS)
        head_rows = [first]
        for s in range(1, width):
            row = []
            for text, reg in zip(first, registers, strict=True):
                seps = tf.SEPARATORS[_REGISTERS[reg]]
                row.append(seps[s - 1] + text if s <= len(seps) else text)
            head_rows.append(row)
    else:
        head_rows = [first]
    head = np.empty((len(head_rows), len(all_entries)), dtype=object)
    for s, row in enumerate(head_rows):
        head[s, :] = row
    tails = tuple(_object_array([seg[j] for seg in segments]) for j in range(1, n_gaps + 1))
    gaps = tuple(np.array([g[j] for g in gap_codes], dtype=np.int8) for j in range(n_gaps))
    return _Pool(
        variants=tuple(variants),
        head=head,
        tails=tails,
        gaps=gaps,
        typo_of=typo_of,
        ends=np.array([_ends_in_punct(t) for t in all_entries], dtype=bool),
        empty=np.array([t == "" for t in all_entries], dtype=bool),
        template_start=np.array(template_start, dtype=np.int64),
        template_count=np.array(template_count, dtype=np.int64),
        variant_start=np.array(variant_start, dtype=np.int64),
        variant_count=np.array(variant_count, dtype=np.int64),
    )


def _object_array(values: Sequence[str]) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = list(values)
    return out


@functools.lru_cache(maxsize=4)
def _compile_grammar(brand: str) -> _Grammar:
    """Compile every fragment pool for one brand name (cached per process)."""
    if not brand or "{" in brand or "}" in brand:
        raise ValueError("brand must be a non-empty name without braces")
    style_reg = [tf.STYLE_REGISTER[s] for s in tf.STYLES]
    compile_ = functools.partial(_compile_pool, brand=brand)
    pools = {
        "opener": compile_(
            [
                (r, tf.OPENERS[s][a])
                for s, r in zip(tf.STYLES, style_reg, strict=True)
                for a in range(3)
            ]
        ),
        "closer": compile_(
            [
                (r, tf.CLOSERS[s][a])
                for s, r in zip(tf.STYLES, style_reg, strict=True)
                for a in range(3)
            ],
            separators=True,
        ),
        "fact": compile_(
            [(r, tf.FACTS[t]) for t in TOPICS for r in _REGISTERS], separators=True, typos=True
        ),
        "detail": compile_(
            [(r, tf.DETAILS[t]) for t in TOPICS for r in _REGISTERS], separators=True, typos=True
        ),
        "feeling": compile_(
            [(r, tf.FEELINGS[r][a]) for r in _REGISTERS for a in range(3)],
            separators=True,
            typos=True,
        ),
        "demand": compile_(
            [
                (r, tf.DEMANDS[t][mode] + tf.GENERIC_DEMANDS[mode])
                for t in TOPICS
                for mode, r in _DEMAND_MODES
            ],
            separators=True,
            typos=True,
        ),
        "agent_action": compile_(
            [("summary", tf.AGENT_ACTIONS[t]) for t in TOPICS], separators=True
        ),
        "threat": compile_([(r, tf.THREATS[r]) for r in _REGISTERS], separators=True),
        "negated_threat": compile_(
            [(r, tf.NEGATED_THREATS[r]) for r in _REGISTERS], separators=True
        ),
        "escalation_question": compile_(
            [(r, tf.ESCALATION_QUESTIONS[r]) for r in _REGISTERS], separators=True
        ),
        "churn": compile_([(r, tf.CHURN_STATEMENTS[r]) for r in _REGISTERS], separators=True),
        "churn_denial": compile_([(r, tf.CHURN_DENIALS[r]) for r in _REGISTERS], separators=True),
        "incidental": compile_([(r, tf.INCIDENTAL[r]) for r in _REGISTERS], separators=True),
        "phone": compile_([(r, tf.PHONE_MENTIONS[r]) for r in _REGISTERS], separators=True),
        "idno": compile_([(r, tf.ID_MENTIONS[r]) for r in _REGISTERS], separators=True),
        "terminal": compile_([(r, tf.TERMINALS[r][a]) for r in _REGISTERS for a in range(3)]),
        "hashtag": compile_([(None, tf.HASHTAGS[t]) for t in TOPICS]),
        "mention_front": compile_([(None, tf.MENTIONS_FRONT[s]) for s in _SOCIAL_STYLES]),
        "mention_back": compile_([(None, tf.MENTIONS_BACK[s]) for s in _SOCIAL_STYLES]),
        "emoji": compile_([(None, tf.EMOJI[a]) for a in range(3)]),
        "filler": compile_([("casual", tf.FILLERS)], separators=True),
    }
    sep_table = np.zeros((len(_REGISTERS) * 3, _SEP_BINS), dtype=np.int64)
    bins = (np.arange(_SEP_BINS) + 0.5) / _SEP_BINS
    for i, r in enumerate(_REGISTERS):
        for a in range(3):
            weights = np.asarray(tf.SEPARATOR_WEIGHTS[r][a], dtype=float)
            cum = np.cumsum(weights / weights.sum())
            sep_table[i * 3 + a] = 1 + np.minimum(np.searchsorted(cum, bins), len(cum) - 1)
    return _Grammar(
        pools=pools,
        style_register=np.array([_REGISTERS.index(r) for r in style_reg], dtype=np.int8),
        sep_table=sep_table,
    )


class _Canvas:
    """Row-wise text under construction: dense slots become pieces, sparse slots are merged.

    The final ``str.join`` per row dominates the cost, so slots present in few rows are
    concatenated onto the previous piece for those rows only instead of adding a piece.
    """

    def __init__(
        self,
        rng: np.random.Generator,
        gap_values: np.ndarray,
        sep_key: np.ndarray,
        sep_table: np.ndarray,
    ) -> None:
        self.rng = rng
        self.n = gap_values.shape[1]
        self.gap_values = gap_values
        self.sep_key = sep_key
        self.sep_table = sep_table
        self.prev_ends = np.ones(self.n, dtype=bool)
        self.pieces: list[np.ndarray] = []
        self.prefix = np.full(self.n, "", dtype=object)
        self.prefix_rows = np.zeros(self.n, dtype=bool)

    def add(
        self,
        pool: _Pool,
        key: np.ndarray,
        rows: np.ndarray | None = None,
        *,
        typo_rate: float = 0.0,
        glue: bool = False,
    ) -> None:
        """Append one slot for ``rows`` (all rows when None); ``key`` is aligned with rows."""
        m = self.n if rows is None else len(rows)
        if m == 0:
            return
        u = self.rng.random((2, m))
        entry = pool.pick(key, u[0])
        scaled = u[1] * self.sep_table.shape[1]
        sep_bin = scaled.astype(np.int64)
        if typo_rate > 0:
            entry = np.where(scaled - sep_bin < typo_rate, pool.typo_of[entry], entry)
        prev = self.prev_ends if rows is None else self.prev_ends[rows]
        empty = pool.empty[entry]
        if pool.head.shape[0] > 1:
            sep_key = self.sep_key if rows is None else self.sep_key[rows]
            code = np.where(prev | empty, 0, self.sep_table[sep_key, sep_bin])
            parts = [pool.head[code, entry]]
        else:
            parts = [pool.head[0, entry]]
        index = np.arange(self.n) if rows is None else rows
        for gap, tail in zip(pool.gaps, pool.tails, strict=True):
            parts.append(self.gap_values[gap[entry], index])
            parts.append(tail[entry])
        ends = True if glue else pool.ends[entry]
        new_ends = np.where(empty, prev, ends)
        if rows is None:
            self.prev_ends = new_ends
            self._append(parts)
            return
        self.prev_ends[rows] = new_ends
        if m >= _DENSE_SHARE * self.n:
            full_parts = []
            for part in parts:
                full = np.full(self.n, "", dtype=object)
                full[rows] = part
                full_parts.append(full)
            self._append(full_parts)
            return
        joined = parts[0] if len(parts) == 1 else _join_rows(parts)
        if self.pieces:
            last = self.pieces[-1]
        else:
            last = self.prefix
            self.prefix_rows[rows] = True
        last[rows] = _concat(last[rows], joined)

    def _append(self, parts: list[np.ndarray]) -> None:
        if not self.pieces and self.prefix_rows.any():
            rows = np.flatnonzero(self.prefix_rows)
            parts[0][rows] = _concat(self.prefix[rows], parts[0][rows])
        self.pieces.extend(parts)

    def texts(self) -> np.ndarray:
        """The assembled texts, one per row."""
        if not self.pieces:
            return self.prefix
        return _object_array(list(map("".join, zip(*self.pieces, strict=True))))


def _join_rows(parts: Sequence[np.ndarray]) -> np.ndarray:
    return _object_array(list(map("".join, zip(*parts, strict=True))))


def _concat(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    return _object_array([a + b for a, b in zip(left.tolist(), right.tolist(), strict=True)])


def _codes(values: np.ndarray, names: tuple[str, ...], what: str) -> np.ndarray:
    codes = pd.Index(names).get_indexer(pd.Index(np.asarray(values, dtype=object)))
    if (codes < 0).any():
        bad = sorted({str(v) for v in np.asarray(values, dtype=object)[codes < 0]})[:5]
        raise ValueError(f"unknown {what} values {bad}; expected one of {list(names)}")
    return codes.astype(np.int64)


def _anger_levels(anger: np.ndarray) -> np.ndarray:
    values = np.nan_to_num(np.asarray(anger, dtype=float), nan=0.5)
    return np.digitize(values, _ANGER_CUTS).astype(np.int64)


@functools.cache
def _amount_tables() -> tuple[np.ndarray, np.ndarray]:
    """Amount strings for every cent value below ``_AMOUNT_TABLE_CENTS``: trimmed and 2-dp."""
    cents = range(_AMOUNT_TABLE_CENTS)
    trimmed = _object_array([_format_amount(c, full=False) for c in cents])
    full = _object_array([_format_amount(c, full=True) for c in cents])
    return trimmed, full


def _format_amount(cents: int, *, full: bool) -> str:
    yuan, frac = divmod(int(cents), 100)
    if full:
        return f"{yuan}.{frac:02d}"
    if frac == 0:
        return str(yuan)
    return f"{yuan}.{frac // 10}" if frac % 10 == 0 else f"{yuan}.{frac:02d}"


def _amount_strings(amount: np.ndarray, formal: np.ndarray) -> np.ndarray:
    """Yuan amounts as text (``58.5``, ``0.1``, ``100``; ``58.50`` in formal writing)."""
    values = np.abs(np.asarray(amount, dtype=float))
    finite = np.isfinite(values)
    cents = np.rint(np.where(finite, values, 0.0) * 100).astype(np.int64)
    small = cents < _AMOUNT_TABLE_CENTS
    trimmed, full = _amount_tables()
    safe = np.where(small, cents, 0)
    out = np.where(formal, full[safe], trimmed[safe])
    for i in np.flatnonzero(~small):
        out[i] = _format_amount(cents[i], full=bool(formal[i]))
    out[~finite] = _UNKNOWN_AMOUNT
    return out


@functools.cache
def _date_table() -> np.ndarray:
    table = np.empty((len(_DATE_FORMATS), 12, 31), dtype=object)
    for f, fmt in enumerate(_DATE_FORMATS):
        for m in range(12):
            for d in range(31):
                table[f, m, d] = fmt.format(m=m + 1, d=d + 1)
    return table


def _date_strings(day: np.ndarray, register: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Dates as Chinese text in a register-dependent format (``3月15日``, ``15号``, ...)."""
    days = np.asarray(day).astype("datetime64[D]")
    missing = np.isnat(days)
    days = np.where(missing, np.datetime64("2000-01-01"), days)
    months = days.astype("datetime64[M]")
    month_index = months.astype(np.int64)
    month = month_index % 12
    dom = (days - months.astype("datetime64[D]")).astype(np.int64)
    cum = np.array([np.cumsum(_DATE_FORMAT_WEIGHTS[r]) for r in _REGISTERS])
    cum[:, -1] = 1.0
    fmt = np.minimum((u[0][:, None] > cum[register]).sum(axis=1), len(_DATE_FORMATS) - 1)
    out = _date_table()[fmt, month, dom]
    with_year = np.flatnonzero(
        (register == _REGISTERS.index("formal")) & (u[1] < _FORMAL_YEAR_SHARE)
    )
    years = month_index[with_year] // 12 + 1970
    out[with_year] = _object_array(
        [f"{y}年{s}" for y, s in zip(years.tolist(), out[with_year].tolist(), strict=True)]
    )
    out[missing] = _UNKNOWN_DATE
    return out


def _phone_strings(msisdn: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Phone numbers as typed by customers: plain, spaced ``138 1234 5678`` or dashed."""
    numbers = [str(v) for v in msisdn.tolist()]
    cut = np.cumsum(_PHONE_FORMAT_SHARES)
    style = (u[:, None] > cut[:-1]).sum(axis=1).tolist()
    out = []
    for number, s in zip(numbers, style, strict=True):
        if s == 0 or len(number) != 11:
            out.append(number)
        else:
            sep = " " if s == 1 else "-"
            out.append(f"{number[:3]}{sep}{number[3:7]}{sep}{number[7:]}")
    return _object_array(out)


def _id_numbers(rng: np.random.Generator, m: int) -> np.ndarray:
    """Random 18-digit resident ID numbers with a valid format and ISO 7064 check character."""
    regions = np.asarray(tf.ID_REGION_CODES, dtype=np.int64)[
        rng.integers(0, len(tf.ID_REGION_CODES), m)
    ]
    start = np.datetime64("1955-01-01").astype(np.int64)
    stop = np.datetime64("2006-12-31").astype(np.int64)
    births = rng.integers(start, stop, m).astype("datetime64[D]")
    year = births.astype("datetime64[Y]").astype(np.int64) + 1970
    month_start = births.astype("datetime64[M]")
    month = month_start.astype(np.int64) % 12 + 1
    day = (births - month_start.astype("datetime64[D]")).astype(np.int64) + 1
    seq = rng.integers(0, 1000, m)
    body = regions * 10**11 + year * 10**7 + month * 10**5 + day * 10**3 + seq
    digits = (body[:, None] // 10 ** np.arange(16, -1, -1)) % 10
    check = (digits @ _ID_CHECK_WEIGHTS) % 11
    return _object_array(
        [
            f"{b:017d}{_ID_CHECK_CHARS[c]}"
            for b, c in zip(body.tolist(), check.tolist(), strict=True)
        ]
    )


def _style_codes(channel: np.ndarray, u: np.ndarray) -> np.ndarray:
    first = np.empty(len(CHANNELS), dtype=np.int64)
    second = np.empty(len(CHANNELS), dtype=np.int64)
    share = np.empty(len(CHANNELS))
    for c, name in enumerate(CHANNELS):
        options = tf.CHANNEL_STYLES[name]
        first[c] = tf.STYLES.index(options[0][0])
        second[c] = tf.STYLES.index(options[-1][0])
        share[c] = options[0][1]
    return np.where(u < share[channel], first[channel], second[channel])


def _style_param(style: np.ndarray, column: int) -> np.ndarray:
    table = np.array([_STYLE_PARAMS[s][column] for s in tf.STYLES])
    return table[style]


def _render(
    rng: np.random.Generator,
    grammar: _Grammar,
    *,
    style: np.ndarray,
    topic: np.ndarray,
    anger_level: np.ndarray,
    intent: np.ndarray,
    churn: np.ndarray,
    amount: np.ndarray,
    day: np.ndarray,
    msisdn: np.ndarray | None,
) -> np.ndarray:
    n = len(style)
    pools = grammar.pools
    register = grammar.style_register[style].astype(np.int64)
    casual = register == _REGISTERS.index("casual")
    summary = register == _REGISTERS.index("summary")
    u = rng.random((24, n))

    gap_values = np.full((len(_GAP_KINDS), n), "", dtype=object)
    gap_values[1] = _date_strings(day, register, u[0:2])
    gap_values[2] = _amount_strings(amount, register == _REGISTERS.index("formal"))
    phone_rows = np.zeros(n, dtype=bool)
    id_rows = np.zeros(n, dtype=bool)
    if msisdn is not None:
        phone_rows = u[2] < tf.PHONE_RATE
        id_rows = u[3] < tf.ID_RATE
        gap_values[3, phone_rows] = _phone_strings(msisdn[phone_rows], u[4][phone_rows])
        gap_values[4, id_rows] = _id_numbers(rng, int(id_rows.sum()))

    anger_key = register * 3 + anger_level
    canvas = _Canvas(rng, gap_values, anger_key, grammar.sep_table)

    def add(name: str, key: np.ndarray, mask: np.ndarray | None = None, **kw: float) -> None:
        if mask is None:
            canvas.add(pools[name], key, **kw)
        else:
            rows = np.flatnonzero(mask)
            canvas.add(pools[name], key[rows], rows, **kw)

    is_post = style == tf.STYLES.index("post")
    social = (style == tf.STYLES.index("weibo")) | is_post
    hashtag = social & (u[5] < _style_param(style, 4))
    hashtag_front = hashtag & (u[6] < 0.5)
    mention_front = social & (u[7] < 0.5)
    escalating = intent > 0
    esc_front = (
        escalating
        & casual
        & (
            ((intent == 1) & (anger_level >= 1) & (u[8] < _ESCALATION_FRONT_SHARE))
            | ((intent == 3) & (u[8] < _QUESTION_FRONT_SHARE))
        )
    )
    churn_front = churn & casual & (anger_level == 2) & (u[9] < _CHURN_FRONT_SHARE)
    phone_early = phone_rows & (u[10] < _PHONE_EARLY_SHARE)
    second_topic = (topic + 1 + (u[11] * (len(TOPICS) - 1)).astype(np.int64)) % len(TOPICS)
    person_key = topic * 3 + register
    esc_pool = ("threat", "negated_threat", "escalation_question")
    demand_mode = np.where(
        casual, np.where((anger_level == 2) | ((anger_level == 1) & (u[12] < 0.5)), 1, 0), 0
    )
    demand_mode = np.where(register == _REGISTERS.index("formal"), 2, demand_mode)
    demand_mode = np.where(summary, 3, demand_mode)
    feeling_share = np.array([_FEELING_SHARE[r] for r in _REGISTERS])[register, anger_level]
    emoji_share = _style_param(style, 3)
    typo = {"typo_rate": tf.TYPO_RATE}
    zeros = np.zeros(n, dtype=np.int64)

    add("hashtag", topic, hashtag_front, glue=True)
    add("mention_front", is_post.astype(np.int64), mention_front, glue=True)
    add("opener", style * 3 + anger_level, glue=True)
    add("phone", register, phone_early)
    for level in (1, 3):
        add(esc_pool[level - 1], register, esc_front & (intent == level))
    add("churn", register, churn_front)
    add("fact", person_key, **typo)
    add("filler", zeros, u[13] < _style_param(style, 5), glue=True)
    add("detail", person_key, u[14] < _style_param(style, 0), **typo)
    add("detail", second_topic * 3 + register, u[15] < tf.SECONDARY_TOPIC_RATE, **typo)
    add("feeling", anger_key, u[16] < feeling_share, **typo)
    add("emoji", anger_level, u[17] < emoji_share, glue=True)
    add("incidental", register, (intent == 0) & (u[18] < tf.INCIDENTAL_RATE))
    add("demand", topic * 4 + demand_mode, u[19] < _style_param(style, 1), **typo)
    add("agent_action", topic, summary & (u[20] < _style_param(style, 6)))
    for level in (1, 2, 3):
        add(esc_pool[level - 1], register, escalating & ~esc_front & (intent == level))
    add("churn", register, churn & ~churn_front)
    add("churn_denial", register, ~churn & (u[21] < tf.CHURN_DENIAL_RATE))
    add("phone", register, phone_rows & ~phone_early)
    add("idno", register, id_rows)
    add("closer", style * 3 + anger_level, u[22] < _style_param(style, 2))
    add("terminal", anger_key, ~canvas.prev_ends)
    add("emoji", anger_level, u[23] < emoji_share * 0.6, glue=True)
    add("hashtag", topic, hashtag & ~hashtag_front, glue=True)
    add("mention_back", is_post.astype(np.int64), social & ~mention_front, glue=True)
    return canvas.texts()


def _render_in_chunks(
    rng: np.random.Generator, grammar: _Grammar, **columns: np.ndarray | None
) -> np.ndarray:
    """Render in fixed-size chunks: bounded memory, and the same texts for the same seed."""
    n = len(columns["style"])
    out = np.empty(n, dtype=object)
    for start in range(0, n, _CHUNK_ROWS):
        chunk = slice(start, start + _CHUNK_ROWS)
        sliced = {k: None if v is None else v[chunk] for k, v in columns.items()}
        out[chunk] = _render(rng, grammar, **sliced)
    return out


def _column(values: np.ndarray | Sequence[object], n: int, name: str) -> np.ndarray:
    array = np.asarray(values)
    if array.shape != (n,):
        raise ValueError(f"{name} has shape {array.shape}; expected ({n},)")
    return array


def render_contact_texts(
    rng: np.random.Generator,
    *,
    topic: np.ndarray,
    channel: np.ndarray,
    anger: np.ndarray,
    intent: np.ndarray,
    churn: np.ndarray,
    amount: np.ndarray,
    day: np.ndarray,
    msisdn: np.ndarray | None = None,
) -> np.ndarray:
    """Render one Chinese customer-contact text per row.

    The channel sets the style: hotline contacts are agent summaries ("客户来电反映...") or
    customer utterances, WeChat/app/web chat are short chatty messages with emoji, Weibo
    messages @-mention the operator with hashtags, email/store/regulator texts are formal.

    Args:
        rng: Random generator; the same seed and inputs give the same texts.
        topic: Topic per row, one of ``TOPICS``.
        channel: Channel per row, one of ``CHANNELS``.
        anger: Anger in [0, 1]; below 0.35 polite, from 0.7 angry.
        intent: Escalation intent: 0 none, 1 real threat (regulator, media, lawyer...),
            2 negated mention without intent, 3 neutral question about escalation.
        churn: Whether the customer states they are leaving (销户, 携号转网...).
        amount: Amount in yuan quoted by money topics (absolute value is used).
        day: Date of the incident (``datetime64``), quoted as "3月15日" and similar.
        msisdn: Optional 11-digit customer numbers; when given, about 10% of texts quote the
            number and about 2% an 18-digit resident ID number.

    Returns:
        Object array of texts, one per row.

    Raises:
        ValueError: When the arrays differ in length or hold unknown topics, channels or
            intent codes.
    """
    n = len(np.asarray(topic))
    topic_code = _codes(_column(topic, n, "topic"), TOPICS, "topic")
    channel_code = _codes(_column(channel, n, "channel"), CHANNELS, "channel")
    intent_code = _intent_codes(_column(intent, n, "intent"))
    phones = None if msisdn is None else _column(msisdn, n, "msisdn")
    if n == 0:
        return np.empty(0, dtype=object)
    style = _style_codes(channel_code, rng.random(n))
    return _render_in_chunks(
        rng,
        _compile_grammar(DEFAULT_BRAND),
        style=style,
        topic=topic_code,
        anger_level=_anger_levels(_column(anger, n, "anger")),
        intent=intent_code,
        churn=_column(churn, n, "churn").astype(bool),
        amount=_column(amount, n, "amount"),
        day=_column(day, n, "day"),
        msisdn=phones,
    )


def render_post_texts(
    rng: np.random.Generator,
    *,
    topic: np.ndarray,
    anger: np.ndarray,
    intent: np.ndarray,
    amount: np.ndarray,
    day: np.ndarray,
    brand: str = DEFAULT_BRAND,
) -> np.ndarray:
    """Render one Weibo-style social post per row, each naming or @-mentioning ``brand``.

    Posts use hashtags (``#星河移动乱扣费#``), exclamations and calls to repost; angrier
    posters sometimes announce that they are leaving the operator.

    Args:
        rng: Random generator; the same seed and inputs give the same texts.
        topic: Topic per row, one of ``TOPICS``.
        anger: Anger in [0, 1].
        intent: Escalation intent codes as in :func:`render_contact_texts`.
        amount: Amount in yuan quoted by money topics.
        day: Date of the incident (``datetime64``).
        brand: Operator name used in mentions and hashtags.

    Returns:
        Object array of texts, one per row.

    Raises:
        ValueError: When the arrays differ in length or hold unknown topics or intent codes.
    """
    n = len(np.asarray(topic))
    topic_code = _codes(_column(topic, n, "topic"), TOPICS, "topic")
    intent_code = _intent_codes(_column(intent, n, "intent"))
    grammar = _compile_grammar(brand)
    if n == 0:
        return np.empty(0, dtype=object)
    anger_values = np.clip(np.nan_to_num(np.asarray(anger, dtype=float), nan=0.5), 0.0, 1.0)
    churn = rng.random(n) < _POST_CHURN_BASE + _POST_CHURN_PER_ANGER * anger_values
    return _render_in_chunks(
        rng,
        grammar,
        style=np.full(n, tf.STYLES.index("post"), dtype=np.int64),
        topic=topic_code,
        anger_level=_anger_levels(_column(anger, n, "anger")),
        intent=intent_code,
        churn=churn,
        amount=_column(amount, n, "amount"),
        day=_column(day, n, "day"),
        msisdn=None,
    )


def _intent_codes(intent: np.ndarray) -> np.ndarray:
    codes = np.asarray(intent).astype(np.int64)
    if codes.size and (codes.min() < 0 or codes.max() > 3):
        raise ValueError("intent codes must be 0 (none), 1 (threat), 2 (negated) or 3 (question)")
    return codes


def grammar_vocabulary(brand: str = DEFAULT_BRAND) -> dict[str, tuple[str, ...]]:
    """Every fragment variant per pool (gaps left as ``{date}``, ``{amt}``, ...), for review.

    Args:
        brand: Operator name substituted into the fragments.

    Returns:
        Pool name (``fact``, ``threat``, ``negated_threat``, ``escalation_question``,
        ``churn``, ``churn_denial``, ...) to its variants, typo twins excluded.
    """
    return {name: pool.variants for name, pool in _compile_grammar(brand).pools.items()}
