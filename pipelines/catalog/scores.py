"""Batch scores: one dated folder per scored snapshot, its parts in a version folder.

``meta.json`` (written last, the pointer) names the version folder, which holds
``scores/part-<bucket>.parquet`` (one part per customer bucket of the snapshot),
``versions.json`` (the model versions) and ``scoring.json`` (the scoring configuration).
Scores written before they had buckets keep ``scores.parquet``, ``versions.json`` and
``scoring.json`` in the dated folder itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipelines.catalog.dated import DatedStore, present
from pipelines.datasets import part_name, read_pointer


@dataclass(frozen=True)
class ScoreFiles:
    """The files of one snapshot's batch scores."""

    folder: Path

    def _in(self, version: str | None) -> Path:
        version = version or (read_pointer(self.meta) or {}).get("version")
        return self.folder if version is None else self.folder / version

    @property
    def meta(self) -> Path:
        """The pointer: version folder, buckets and row count of the published scores."""
        return self.folder / "meta.json"

    @property
    def scores(self) -> Path:
        """Scores, tiers, reasons and actions per customer: a folder of bucket parts (or, for
        older scores, one file)."""
        version = (read_pointer(self.meta) or {}).get("version")
        if version is None:
            return self.folder / "scores.parquet"
        return self.folder / version / "scores"

    def part(self, bucket: int, version: str | None = None) -> Path:
        """One bucket's part of the scores (of ``version`` when given)."""
        return self._in(version) / "scores" / part_name(bucket)

    def parts(self) -> list[Path]:
        """The published parts of the scores, by bucket."""
        location = self.scores
        return sorted(location.glob("part-*.parquet")) if location.is_dir() else [location]

    def versions(self, version: str | None = None) -> Path:
        """The model versions that made the scores."""
        return self._in(version) / "versions.json"

    def scoring(self, version: str | None = None) -> Path:
        """The scoring configuration the scores were made with."""
        return self._in(version) / "scoring.json"

    @property
    def published(self) -> bool:
        """Whether the scores were published."""
        return present(self.scores)


@dataclass(frozen=True)
class ScoreStore(DatedStore[ScoreFiles]):
    """Batch scores, one dated folder per scored snapshot (``procare score``)."""

    files: Callable[[Path], ScoreFiles] = ScoreFiles
