"""The serving index: the served snapshot and the customer tables, sorted for lookups by id."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipelines.catalog.dated import DatedStore, present
from pipelines.datasets import part_name, read_pointer


@dataclass(frozen=True)
class ServingIndexFiles:
    """The index of one served snapshot date.

    ``meta.json`` (written last) names the version folder and the raw and snapshot versions it
    was built from; in the version folder each table is a folder of ``part-<bucket>.parquet``
    files sorted by their key (:mod:`pipelines.sorted_parts`).
    """

    folder: Path

    @property
    def meta(self) -> Path:
        """Versions, buckets, regions and dates the index was built with (the pointer)."""
        return self.folder / "meta.json"

    def table(self, name: str, version: str | None = None) -> Path:
        """The folder of one indexed table."""
        version = version or (read_pointer(self.meta) or {}).get("version")
        if version is None:
            raise FileNotFoundError(f"no serving index published in {self.folder}")
        return self.folder / version / name

    def part(self, name: str, bucket: int, version: str | None = None) -> Path:
        """One bucket's part of an indexed table."""
        return self.table(name, version) / part_name(bucket)

    def parts(self, name: str) -> list[Path]:
        """The published parts of an indexed table, by bucket."""
        return sorted(self.table(name).glob("part-*.parquet"))

    @property
    def published(self) -> bool:
        """Whether an index was published for this date."""
        return present(self.meta)


@dataclass(frozen=True)
class ServingIndexStore(DatedStore[ServingIndexFiles]):
    """Serving indexes, one dated folder per served snapshot (built by ``procare serve``)."""

    files: Callable[[Path], ServingIndexFiles] = ServingIndexFiles
