"""Files of a chunked ingest: owner-only writes, chunk spills and bucket part writers.

The raw tables hold personal data, so every file an ingest writes (bucket parts, the manifest,
its spills) is created with mode ``0600`` and every folder with ``0700``, whatever the umask.

A chunked ingest normalizes each chunk once and spills it (Arrow IPC, LZ4) to a work folder;
the validation pass reads the spills back. :class:`PartWriters` then appends each chunk's rows
of every bucket to that bucket's part, so a part is the bucket's rows in export order (as
:func:`pipelines.datasets.write_buckets` writes them from the whole table) while memory holds one
chunk. All parts are written with the schema the whole table would have (:class:`SchemaSketch`).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.datasets import arrow_schema, part_name
from pipelines.storage import atomic_path

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def private_folder(path: Path) -> Path:
    """Create ``path`` (and missing parents) and make it owner-only."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, FOLDER_MODE)
    return path


@contextlib.contextmanager
def private_atomic_path(target: Path) -> Iterator[Path]:
    """Like :func:`pipelines.storage.atomic_path`, with the file owner-only (``0600``)."""
    with atomic_path(target) as tmp:
        os.chmod(tmp, FILE_MODE)
        yield tmp


def write_private_text(text: str, target: Path) -> Path:
    """Write ``text`` (UTF-8) to ``target`` atomically, owner-only."""
    with private_atomic_path(Path(target)) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(target)


def write_spill(frame: pd.DataFrame, path: Path) -> Path:
    """Spill a normalized chunk (owner-only, LZ4-compressed Arrow IPC)."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    options = pa.ipc.IpcWriteOptions(compression="lz4")
    with (
        private_atomic_path(path) as tmp,
        pa.OSFile(str(tmp), "wb") as sink,
        pa.ipc.new_file(sink, table.schema, options=options) as out,
    ):
        out.write_table(table)
    return path


def read_spill(path: Path, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """A spilled chunk back as the frame that was spilled (or some of its columns)."""
    with pa.memory_map(str(path)) as source:
        table = pa.ipc.open_file(source).read_all()
    if columns is not None:
        table = table.select(list(columns))
    return table.to_pandas()


class SchemaSketch:
    """The Arrow schema of a whole table, learnt chunk by chunk.

    It equals :func:`pipelines.datasets.arrow_schema` of the concatenated chunks: dtypes are
    those of the chunks (the same in every chunk of a valid table), and a text column is
    ``string`` when any chunk holds a value in it, ``null`` when none does.
    """

    def __init__(self) -> None:
        self._sample: pd.DataFrame | None = None
        self._unfilled: list[str] = []

    def add(self, frame: pd.DataFrame) -> None:
        """Learn from one normalized chunk."""
        if self._sample is None or (len(self._sample) == 0 and len(frame)):
            self._sample = frame.head(1).reset_index(drop=True).copy()
            self._unfilled = [col for col in frame if frame[col].dtype == object]
            for col in self._unfilled:
                self._sample[col] = np.array([None] * len(self._sample), dtype=object)
        for col in list(self._unfilled):
            present = frame[col].dropna()
            if len(present):
                self._sample.loc[0, col] = present.iloc[0]
                self._unfilled.remove(col)

    def schema(self) -> pa.Schema:
        """The whole table's schema."""
        if self._sample is None:
            raise ValueError("no chunk was added")
        return arrow_schema(self._sample)


class PartWriters:
    """One Parquet writer per output file of a table, appended to chunk by chunk.

    Args:
        paths: Output files (one per bucket, or one for a global table); each is written to a
            temporary file and renamed on :meth:`close`, owner-only.
        schema: The whole table's Arrow schema.
    """

    def __init__(self, paths: Sequence[Path], schema: pa.Schema):
        self.schema = schema
        self._stack = contextlib.ExitStack()
        self._writers: list[pq.ParquetWriter] = []
        self._written = [False] * len(paths)
        self._tmp: list[Path] = []
        for path in paths:
            self._tmp.append(self._stack.enter_context(private_atomic_path(path)))
            self._writers.append(pq.ParquetWriter(self._tmp[-1], schema))

    def append(self, frame: pd.DataFrame, rows: Sequence[np.ndarray] | None = None) -> None:
        """Append ``frame``'s rows: ``rows[i]`` (positions, in order) to file ``i``, or all."""
        table = pa.Table.from_pandas(frame, schema=self.schema, preserve_index=False)
        if rows is None:
            rows = [np.arange(len(frame))]
        for index, positions in enumerate(rows):
            if len(positions):
                self._writers[index].write_table(table.take(positions))
                self._written[index] = True

    def close(self) -> None:
        """Finish every file and publish it in the (still unpublished) version folder."""
        for writer, written in zip(self._writers, self._written, strict=True):
            if not written:
                writer.write_table(self.schema.empty_table())
            writer.close()
        self._stack.close()

    def abort(self) -> None:
        """Drop every file (after a failure)."""
        for writer in self._writers:
            with contextlib.suppress(Exception):
                writer.close()
        self._stack.pop_all()
        for tmp in self._tmp:
            tmp.unlink(missing_ok=True)


def bucket_paths(folder: Path, buckets: int) -> list[Path]:
    """The part files of a bucketed table folder, bucket 0 first."""
    return [Path(folder) / part_name(bucket) for bucket in range(buckets)]
