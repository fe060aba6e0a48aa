"""Parquet parts sorted by a key, read one key's rows at a time without loading the file.

A part is written sorted by its key in small row groups (:data:`ROW_GROUP_ROWS`). Opening it
reads only the footer: the smallest and largest key of every row group. The rows of one key are
then found by a binary search over those bounds and read from the one or two row groups that hold
them, a few milliseconds however large the file. The serving index (:mod:`pipelines.serving_index`)
keeps the customer tables of a whole base this way, so the service holds none of them in memory.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipelines.buckets import bucket_codes, bucket_of
from pipelines.ingest_files import private_atomic_path

ROW_GROUP_ROWS = 2048
"""Rows per row group of a table with many rows per key (about 2 ms to read a contacts group)."""

ONE_ROW_GROUP_ROWS = 256
"""Rows per row group of a wide table with one row per key (a snapshot's ~150 features)."""


def write_sorted(frame: pd.DataFrame, key: str, path: Path, one_row_per_key: bool = False) -> Path:
    """Write ``frame`` to ``path`` sorted by ``key`` (stable: a key's rows keep their order).

    Rows without a key are left out: nothing can look them up.

    Args:
        frame: The rows.
        key: The column looked up by.
        path: The part to write (atomically, owner-only: the tables it indexes hold phone
            numbers and complaint texts).
        one_row_per_key: Smaller row groups (:data:`ONE_ROW_GROUP_ROWS`), as a lookup then
            needs one row of them.
    """
    table = pa.Table.from_pandas(frame, preserve_index=False)
    table = table.filter(pc.is_valid(table.column(key)))
    table = table.take(pc.sort_indices(table, sort_keys=[(key, "ascending")]))
    with private_atomic_path(path) as temporary:
        rows = ONE_ROW_GROUP_ROWS if one_row_per_key else ROW_GROUP_ROWS
        pq.write_table(table, temporary, row_group_size=rows)
    return path


class SortedPart:
    """One part written by :func:`write_sorted`, open for lookups by key."""

    def __init__(self, path: Path, key: str) -> None:
        self.path = Path(path)
        self.key = key
        self._file = pq.ParquetFile(self.path)
        self._lock = threading.Lock()
        metadata = self._file.metadata
        column = self._file.schema_arrow.get_field_index(key)
        if column < 0:
            raise ValueError(f"{self.path} has no column {key!r}")
        groups = [
            number
            for number in range(metadata.num_row_groups)
            if metadata.row_group(number).num_rows
        ]
        bounds = [self._bounds(metadata.row_group(number), column, number) for number in groups]
        self._numbers = groups
        self._lows = np.array([low for low, _ in bounds], dtype=object)
        self._highs = np.array([high for _, high in bounds], dtype=object)
        self._empty = self._file.schema_arrow.empty_table().to_pandas()

    def _bounds(self, group: pq.RowGroupMetaData, column: int, number: int) -> tuple[str, str]:
        statistics = group.column(column).statistics
        if statistics is None or not statistics.has_min_max:
            raise ValueError(f"{self.path}: row group {number} records no key bounds")
        return statistics.min, statistics.max

    @property
    def empty(self) -> pd.DataFrame:
        """No rows, the part's columns and dtypes."""
        return self._empty.copy()

    def _groups(self, value: str) -> list[int]:
        first = int(np.searchsorted(self._highs, value, side="left"))
        last = int(np.searchsorted(self._lows, value, side="right")) - 1
        return self._numbers[first : last + 1] if first <= last else []

    def _read(self, groups: list[int]) -> pa.Table:
        with self._lock:
            return self._file.read_row_groups(groups, use_threads=False)

    def rows(self, value: str) -> pd.DataFrame:
        """The rows of one key, in the order they were written."""
        groups = self._groups(value)
        if not groups:
            return self.empty
        table = self._read(groups)
        keys = table.column(self.key).to_numpy(zero_copy_only=False)
        lo = int(np.searchsorted(keys, value, side="left"))
        hi = int(np.searchsorted(keys, value, side="right"))
        return table.slice(lo, hi - lo).to_pandas()

    def rows_of(self, values: Sequence[str]) -> pd.DataFrame:
        """The rows of several keys, in key order (each row group read once)."""
        wanted = sorted(set(values))
        if len(wanted) == 1:
            return self.rows(wanted[0])
        groups = sorted({group for value in wanted for group in self._groups(value)})
        if not groups:
            return self.empty
        table = self._read(groups)
        table = table.filter(pc.is_in(table.column(self.key), pa.array(wanted, pa.string())))
        return table.to_pandas()


class SortedParts:
    """A table split into customer buckets (part ``b`` holds the keys of bucket ``b``), each
    part sorted by key; one part (a global table) needs no bucket."""

    def __init__(self, paths: Sequence[Path], key: str) -> None:
        if not paths:
            raise ValueError(f"no parts to open for key {key!r}")
        self.key = key
        self.parts = [SortedPart(path, key) for path in paths]

    @property
    def empty(self) -> pd.DataFrame:
        """No rows, the table's columns and dtypes."""
        return self.parts[0].empty

    def rows(self, value: str) -> pd.DataFrame:
        """The rows of one key."""
        return self.parts[bucket_of(value, len(self.parts))].rows(value)

    def rows_of(self, values: Sequence[str]) -> pd.DataFrame:
        """The rows of several keys, bucket after bucket, in key order within a bucket."""
        values = [str(value) for value in values]
        if not values:
            return self.empty
        codes = bucket_codes(np.asarray(values, dtype=object), len(self.parts))
        by_bucket: dict[int, list[str]] = {}
        for value, code in zip(values, codes.tolist(), strict=True):
            by_bucket.setdefault(code, []).append(value)
        frames = [self.parts[bucket].rows_of(keys) for bucket, keys in sorted(by_bucket.items())]
        found = [frame for frame in frames if len(frame)]
        if not found:
            return self.empty
        return found[0] if len(found) == 1 else pd.concat(found, ignore_index=True)
