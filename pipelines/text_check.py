"""`procare text check`: read a file of texts, write their text signals, summarize them.

Reads a CSV or JSON Lines file with a ``text`` column/field (and an optional ``id``), computes
:func:`features.text.signals.text_signal_table` and writes it as CSV or Parquet. The raw texts
are never written or logged: only ids, signals and counts.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from features.text.signals import signal_summary, text_signal_table
from pipelines.storage import atomic_path, write_parquet_atomic

logger = logging.getLogger(__name__)

TEXT_FIELD = "text"
ID_FIELD = "id"
INPUT_SUFFIXES: tuple[str, ...] = (".csv", ".jsonl", ".json", ".ndjson")
OUTPUT_SUFFIXES: tuple[str, ...] = (".csv", ".parquet")


class TextFileError(ValueError):
    """The input file cannot be read as texts (the message names the file and the rule)."""


@dataclass(frozen=True)
class TextCheckResult:
    """What :func:`check_texts` wrote.

    Attributes:
        output: The signals file.
        rows: Texts read.
        summary: Texts flagged per signal (``signal``, ``texts``, ``share``).
    """

    output: Path
    rows: int
    summary: pd.DataFrame


def read_texts(path: Path) -> pd.DataFrame:
    """The ``text`` (and ``id`` when present) column of a CSV or JSON Lines file.

    Raises:
        TextFileError: Unknown suffix, unreadable file or no ``text`` column.
    """
    suffix = path.suffix.lower()
    if suffix not in INPUT_SUFFIXES:
        raise TextFileError(f"{path}: expected a {', '.join(INPUT_SUFFIXES)} file")
    try:
        if suffix == ".csv":
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
        else:
            frame = pd.read_json(path, lines=True, dtype=False)
    except (ValueError, UnicodeDecodeError) as exc:
        raise TextFileError(f"{path}: cannot be read ({type(exc).__name__})") from None
    if TEXT_FIELD not in frame.columns:
        raise TextFileError(f"{path}: no '{TEXT_FIELD}' column")
    columns = [c for c in (ID_FIELD, TEXT_FIELD) if c in frame.columns]
    return frame[columns]


def default_output(path: Path) -> Path:
    """``<name>.signals.csv`` next to the input file."""
    return path.with_name(f"{path.stem}.signals.csv")


def check_texts(path: Path, output: Path | None = None) -> TextCheckResult:
    """Compute the text signals of every text of ``path`` and write them to ``output``.

    Args:
        path: CSV or JSON Lines file with a ``text`` column (optional ``id``).
        output: ``.csv`` or ``.parquet`` file; :func:`default_output` when ``None``.

    Returns:
        The output path, the number of texts and the per-signal summary.

    Raises:
        TextFileError: Unreadable input or an unsupported output suffix.
    """
    target = default_output(path) if output is None else output
    if target.suffix.lower() not in OUTPUT_SUFFIXES:
        raise TextFileError(f"{target}: expected a .csv or .parquet output file")
    frame = read_texts(path)
    ids = frame[ID_FIELD] if ID_FIELD in frame.columns else None
    table = text_signal_table(frame[TEXT_FIELD], ids)
    if target.suffix.lower() == ".parquet":
        write_parquet_atomic(table, target)
    else:
        with atomic_path(target) as tmp:
            table.to_csv(tmp, index=False)
    logger.info("text signals of %d texts written to %s", len(table), target)
    return TextCheckResult(output=target, rows=len(table), summary=signal_summary(table))
