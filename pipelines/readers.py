"""Read one contract table from CSV (UTF-8, UTF-8 with BOM, GBK) or Parquet, as raw columns."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

logger = logging.getLogger(__name__)

CSV_ENCODINGS = ("utf-8-sig", "gb18030")


class SourceError(ValueError):
    """A source file is missing, unreadable or not in a supported format."""


def find_table_file(source_dir: Path, table: str) -> Path:
    """Locate ``<table>.parquet`` or ``<table>.csv`` in ``source_dir``.

    Raises:
        SourceError: If neither exists, or both do (ambiguous export).
    """
    candidates = [source_dir / f"{table}.parquet", source_dir / f"{table}.csv"]
    present = [path for path in candidates if path.is_file()]
    if not present:
        raise SourceError(f"table {table!r}: no {table}.parquet or {table}.csv in {source_dir}")
    if len(present) > 1:
        raise SourceError(
            f"table {table!r}: both {table}.parquet and {table}.csv exist in {source_dir}; keep one"
        )
    return present[0]


def detect_csv_encoding(path: Path) -> str:
    """Return the first encoding in :data:`CSV_ENCODINGS` that decodes the whole file.

    UTF-8 (with or without BOM) is tried first; GBK exports are read as GB18030, its superset.
    """
    raw = path.read_bytes()
    for encoding in CSV_ENCODINGS:
        try:
            raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    raise SourceError(f"{path.name}: not UTF-8, UTF-8 with BOM or GBK text")


def read_table_file(path: Path) -> pd.DataFrame:
    """Read a table file with every CSV column as text (types are coerced by the contract).

    Args:
        path: A ``.csv`` or ``.parquet`` file.

    Returns:
        The raw table; column names stripped of surrounding whitespace.
    """
    try:
        if path.suffix == ".parquet":
            frame = pd.read_parquet(path)
        else:
            encoding = detect_csv_encoding(path)
            logger.info("reading %s as %s", path.name, encoding)
            frame = pd.read_csv(
                path, encoding=encoding, dtype=str, keep_default_na=False, na_values=[""]
            )
    except SourceError:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure becomes a named source error
        raise SourceError(f"{path.name}: cannot be read ({type(exc).__name__}: {exc})") from exc
    frame.columns = [str(col).strip() for col in frame.columns]
    return frame
