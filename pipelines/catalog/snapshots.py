"""Feature snapshots: a dated folder each, its files in the version folder ``meta.json`` names."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipelines.catalog.dated import DatedStore, present
from pipelines.datasets import part_name, read_pointer


@dataclass(frozen=True)
class SnapshotFiles:
    """The files of one feature snapshot.

    ``meta.json`` (written last) names the version folder holding ``features/`` and
    ``documents/``, one ``part-<bucket>.parquet`` each per bucket; a snapshot without a version
    in its meta (older single-file snapshots) keeps ``features.parquet`` and ``documents.parquet``
    next to it.
    """

    folder: Path

    def _location(self, kind: str, version: str | None) -> Path:
        version = version or (read_pointer(self.meta) or {}).get("version")
        if version is None:
            return self.folder / f"{kind}.parquet"
        return self.folder / version / kind

    @property
    def features(self) -> Path:
        """One row per customer: features, plus labels when the horizon is observed."""
        return self._location("features", None)

    @property
    def documents(self) -> Path:
        """Masked jieba tokens per customer (the text model's input)."""
        return self._location("documents", None)

    def part(self, kind: str, bucket: int, version: str | None = None) -> Path:
        """One bucket's part of ``features`` or ``documents`` (of ``version`` when given)."""
        return self._location(kind, version) / part_name(bucket)

    def parts(self, kind: str) -> list[Path]:
        """The published parts of ``features`` or ``documents``, by bucket."""
        location = self._location(kind, None)
        return sorted(location.glob("part-*.parquet")) if location.is_dir() else [location]

    @property
    def meta(self) -> Path:
        """Settings, buckets, row count and label rates of the snapshot (the pointer)."""
        return self.folder / "meta.json"

    @property
    def published(self) -> bool:
        """Whether the snapshot was published (its meta and features exist)."""
        return present(self.meta) and present(self.features)


@dataclass(frozen=True)
class SnapshotStore(DatedStore[SnapshotFiles]):
    """Feature snapshots, one dated folder each (``procare features build``)."""

    files: Callable[[Path], SnapshotFiles] = SnapshotFiles
