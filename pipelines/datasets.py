"""Bucketed Parquet datasets and their one-step publication.

A bucketed dataset is a folder of ``part-<bucket>.parquet`` files, one per customer bucket,
all with the same Arrow schema. A multi-file output (the raw tables of an ingest, the files of
a snapshot) is written into a fresh version folder ``v-<time>-<random>`` that nothing points
to yet; a small JSON pointer (the raw manifest, the snapshot's ``meta.json``) naming the version
is then replaced atomically, and only then are other versions removed. Readers find the files
through the pointer only (see :mod:`pipelines.catalog`), so they see the previous output or the
new one whole, never a part of one. A failed build removes its own version folder.
"""

from __future__ import annotations

import contextlib
import json
import logging
import shutil
import uuid
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.storage import atomic_path

logger = logging.getLogger(__name__)

VERSION_PREFIX = "v-"


def part_name(bucket: int) -> str:
    """File name of one bucket's part, ``part-00003.parquet``."""
    return f"part-{bucket:05d}.parquet"


def new_version() -> str:
    """A fresh version folder name, ordered by creation time."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    return f"{VERSION_PREFIX}{stamp}-{uuid.uuid4().hex[:8]}"


def arrow_schema(frame: pd.DataFrame) -> pa.Schema:
    """The Arrow schema every part of ``frame``'s dataset is written with."""
    return pa.Schema.from_pandas(frame, preserve_index=False)


def write_part(frame: pd.DataFrame, path: Path, schema: pa.Schema | None = None) -> Path:
    """Write one part atomically (with ``schema`` when given, so all parts agree)."""
    table = pa.Table.from_pandas(frame, schema=schema, preserve_index=False)
    with atomic_path(path) as tmp:
        pq.write_table(table, tmp)
    return path


def write_buckets(frame: pd.DataFrame, rows: Sequence[np.ndarray], folder: Path) -> dict[int, Path]:
    """Write ``frame`` split into buckets: part ``b`` holds ``frame.iloc[rows[b]]``.

    Every bucket gets a part (possibly empty), all with the schema of the whole frame.
    """
    schema = arrow_schema(frame)
    return {
        bucket: write_part(frame.take(positions), Path(folder) / part_name(bucket), schema)
        for bucket, positions in enumerate(rows)
    }


def read_parts(paths: Sequence[Path], columns: Sequence[str] | None = None) -> pd.DataFrame:
    """The parts concatenated in the given order (empty parts add no rows)."""
    columns = list(columns) if columns is not None else None
    frames = [pd.read_parquet(path, columns=columns) for path in paths]
    filled = [frame for frame in frames if len(frame)] or frames[:1]
    if len(filled) == 1:
        return filled[0]
    return pd.concat(filled, ignore_index=True)


def read_pointer(path: Path) -> dict | None:
    """A JSON pointer (manifest or meta), or ``None`` when absent."""
    path = Path(path)
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def remove_versions(root: Path, keep: str | None) -> None:
    """Delete every version folder under ``root`` except ``keep``."""
    for folder in Path(root).glob(f"{VERSION_PREFIX}*"):
        if folder.name != keep and folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def staged_version(root: Path) -> Iterator[Path]:
    """A new, unpublished version folder under ``root``; removed if the block fails."""
    folder = Path(root) / new_version()
    folder.mkdir(parents=True)
    try:
        yield folder
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        logger.warning("removed the unpublished %s after a failure", folder)
        raise
