"""The synthetic world's files and the ingested contract tables."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipelines.catalog.dated import present
from pipelines.datasets import part_name, read_pointer

GLOBAL_TABLES = ("edges",)
"""Contract tables kept whole (the graph); every other table is split into customer buckets."""


@dataclass(frozen=True)
class WorldFiles:
    """The synthetic world: contract tables as an operator export, plus the oracle."""

    root: Path

    def table(self, name: str) -> Path:
        """A contract table of the world (the source ``procare data ingest`` reads)."""
        return Path(self.root) / f"{name}.parquet"

    def latent(self, name: str) -> Path:
        """A latent table of the world (true probabilities and hidden drivers)."""
        return Path(self.root) / "oracle" / f"{name}.parquet"

    @property
    def oracle(self) -> Path:
        """True label probabilities per customer and snapshot date."""
        return self.latent("oracle")

    @property
    def params(self) -> Path:
        """The world's generation settings (``world.json``)."""
        return Path(self.root) / "world.json"


@dataclass(frozen=True)
class RawTables:
    """The ingested contract tables (``procare data ingest``).

    ``_manifest.json`` (written last) names the published version folder; in it each
    per-customer table is a folder of bucket parts, ``<version>/<table>/part-<bucket>.parquet``,
    and each global table (``edges``) one file. Without a version (an older ingest) every table
    is ``<table>.parquet`` at the root.
    """

    root: Path

    @property
    def manifest(self) -> Path:
        """Buckets, version, row counts, data end and fingerprint of the last ingest."""
        return Path(self.root) / "_manifest.json"

    @property
    def version(self) -> str | None:
        """The published version folder (``None``: single files, or nothing ingested)."""
        return (read_pointer(self.manifest) or {}).get("version")

    def table(self, name: str, version: str | None = None) -> Path:
        """Location of one table: a folder of bucket parts, or one file (``edges``)."""
        version = version or self.version
        if version is None:
            return Path(self.root) / f"{name}.parquet"
        if name in GLOBAL_TABLES:
            return Path(self.root) / version / f"{name}.parquet"
        return Path(self.root) / version / name

    def part(self, name: str, bucket: int, version: str | None = None) -> Path:
        """One bucket's part of a per-customer table."""
        return self.table(name, version) / part_name(bucket)

    def has(self, name: str) -> bool:
        """Whether table ``name`` was ingested."""
        return present(self.table(name))
