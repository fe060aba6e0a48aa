"""Read one contract table from CSV (UTF-8, UTF-8 with BOM, GBK) or Parquet, as raw columns.

A table is read whole (:func:`read_table_file`) or as consecutive chunks of rows
(:func:`iter_table_chunks`), which concatenate to the same frame; a chunked read holds one chunk
in memory, whatever the file's size.
"""

from __future__ import annotations

import codecs
import logging
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.normalize import whole_numbers

logger = logging.getLogger(__name__)

CSV_ENCODINGS = ("utf-8-sig", "gb18030")

_DECODE_BLOCK = 16 << 20


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


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with path.open("rb") as stream:
            while block := stream.read(_DECODE_BLOCK):
                decoder.decode(block)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def detect_csv_encoding(path: Path) -> str:
    """Return the first encoding in :data:`CSV_ENCODINGS` that decodes the whole file.

    UTF-8 (with or without BOM) is tried first; GBK exports are read as GB18030, its superset.
    The file is decoded block by block, so memory does not grow with its size.
    """
    for encoding in CSV_ENCODINGS:
        if _decodes(path, encoding):
            return encoding
    raise SourceError(f"{path.name}: not UTF-8, UTF-8 with BOM or GBK text")


def _csv_options(path: Path) -> dict:
    encoding = detect_csv_encoding(path)
    logger.info("reading %s as %s", path.name, encoding)
    return {"encoding": encoding, "dtype": str, "keep_default_na": False, "na_values": [""]}


def _stripped(frame: pd.DataFrame) -> pd.DataFrame:
    frame.columns = [str(col).strip() for col in frame.columns]
    return frame


def _unreadable(path: Path, exc: Exception) -> SourceError:
    return SourceError(f"{path.name}: cannot be read ({type(exc).__name__}: {exc})")


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
            frame = pd.read_csv(path, **_csv_options(path))
    except SourceError:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure becomes a named source error
        raise _unreadable(path, exc) from exc
    return _stripped(frame)


def _parquet_chunks(path: Path, chunk_rows: int) -> Iterator[pd.DataFrame]:
    source = pq.ParquetFile(path)
    empty = True
    for batch in source.iter_batches(batch_size=chunk_rows):
        empty = False
        yield pa.Table.from_batches([batch]).to_pandas()
    if empty:
        yield source.schema_arrow.empty_table().to_pandas()


def _csv_chunks(path: Path, chunk_rows: int) -> Iterator[pd.DataFrame]:
    with pd.read_csv(path, chunksize=chunk_rows, **_csv_options(path)) as reader:
        empty = True
        for chunk in reader:
            empty = False
            yield chunk
    if empty:
        yield pd.read_csv(path, nrows=0, **_csv_options(path))


def iter_table_chunks(path: Path, chunk_rows: int) -> Iterator[pd.DataFrame]:
    """Read a table file as consecutive chunks of at most ``chunk_rows`` rows.

    The chunks concatenate to what :func:`read_table_file` returns (an empty file yields one
    empty chunk with the columns).

    Raises:
        SourceError: If the file is not UTF-8, UTF-8 with BOM, GBK or Parquet, or cannot be
            parsed (raised when the chunk that breaks is reached).
    """
    chunks = _parquet_chunks(path, chunk_rows) if path.suffix == ".parquet" else None
    try:
        chunks = chunks or _csv_chunks(path, chunk_rows)
        while True:
            try:
                chunk = next(chunks)
            except StopIteration:
                return
            yield _stripped(chunk)
    except SourceError:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure becomes a named source error
        raise _unreadable(path, exc) from exc


def whole_number_floats(path: Path, columns: list[str]) -> dict[str, bool]:
    """For each float column of a Parquet file among ``columns``: all present values whole?

    Text columns exported as floats (ids like ``1001.0``) are written without ``.0`` when the
    whole column holds whole numbers; a chunked read needs the answer for the whole column up
    front. CSV columns are text and need no answer (empty result).
    """
    if path.suffix != ".parquet":
        return {}
    source = pq.ParquetFile(path)
    floats = {
        field.name: field.name.strip()
        for field in source.schema_arrow
        if field.name.strip() in columns and pa.types.is_floating(field.type)
    }
    answers = dict.fromkeys(floats.values(), True)
    if not floats:
        return answers
    for batch in source.iter_batches(columns=list(floats), batch_size=1 << 20):
        for name, col in floats.items():
            whole = whole_numbers(batch.column(name).to_pandas())
            answers[col] = answers[col] and whole
    return answers
