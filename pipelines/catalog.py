"""The data catalog: the one place that knows where every table, snapshot and output lives.

Layout under the work folder (default ``data/``)::

    world/<table>.parquet, oracle/*.parquet, world.json   synthetic source world
    raw/_manifest.json, v-<id>/<table>/part-<bucket>.parquet, v-<id>/edges.parquet
    features/as_of=<YYYY-MM-DD>/meta.json, v-<id>/{features,documents}/part-<bucket>.parquet
    scores/as_of=<YYYY-MM-DD>/scores.parquet, versions.json, scoring.json
    outreach/as_of=<YYYY-MM-DD>/plan.*, social_warnings.*, backtest.csv, gain.csv, report.html
    outreach/simulation/effects.csv, per_seed.csv, simulation.json
    <service outreach folder>/plan_<as_of>_<id>.parquet   plans the service returned (if set)
    live/                                                 contacts received live by the service

MLflow keeps its runs outside the work folder (:data:`DEFAULT_TRACKING_URI`).

Callers ask for locations (``layout.raw.table("contacts")``, ``layout.features.at(day).meta``)
and never join path parts themselves. Per-customer tables and snapshots are folders of Parquet
parts split into customer buckets (:mod:`pipelines.buckets`), published in one step through a
pointer file (:mod:`pipelines.datasets`); ``pandas.read_parquet`` reads a file or such a folder
alike, and the ``exists``-style predicates below accept both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict, model_validator

from pipelines.datasets import part_name, read_pointer

DEFAULT_WORKDIR = Path("data")
DEFAULT_TRACKING_URI = "sqlite:///mlruns/mlflow.db"
"""MLflow backend store when ``MLFLOW_TRACKING_URI`` is unset (see ``training.tracking``)."""

PARTITION = "as_of="
"""Prefix of a dated folder, ``as_of=<YYYY-MM-DD>``."""

FOLDERS: dict[str, str] = {
    "world_dir": "world",
    "raw_dir": "raw",
    "features_dir": "features",
    "scores_dir": "scores",
    "outreach_dir": "outreach",
    "live_dir": "live",
}
"""Each area's folder under the work folder, by :class:`DataLayout` field."""

GLOBAL_TABLES = ("edges",)
"""Contract tables kept whole (the graph); every other table is split into customer buckets."""


def _present(path: Path) -> bool:
    """Whether a location is published (a file today; a folder of parts once partitioned)."""
    return path.exists()


def _dated(root: Path, as_of: date) -> Path:
    return Path(root) / f"{PARTITION}{as_of.isoformat()}"


def _dates(root: Path) -> list[date]:
    """Dates of the dated folders under ``root``, oldest first."""
    return sorted(
        date.fromisoformat(folder.name.removeprefix(PARTITION))
        for folder in Path(root).glob(f"{PARTITION}*")
    )


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
        return _present(self.table(name))


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
        return _present(self.meta) and _present(self.features)


@dataclass(frozen=True)
class ScoreFiles:
    """The files of one snapshot's batch scores."""

    folder: Path

    @property
    def scores(self) -> Path:
        """Scores, tiers, reasons and actions per customer."""
        return self.folder / "scores.parquet"

    @property
    def versions(self) -> Path:
        """The model versions that made the scores."""
        return self.folder / "versions.json"

    @property
    def scoring(self) -> Path:
        """The scoring configuration the scores were made with."""
        return self.folder / "scoring.json"

    @property
    def published(self) -> bool:
        """Whether the scores were written."""
        return _present(self.scores)


class DatedFiles(Protocol):
    """The files of one dated folder, published once its main file exists."""

    @property
    def published(self) -> bool: ...


FilesT = TypeVar("FilesT", bound=DatedFiles)


@dataclass(frozen=True)
class DatedStore(Generic[FilesT]):
    """Outputs kept in one ``as_of=<date>`` folder per snapshot date (snapshots, scores)."""

    root: Path
    files: Callable[[Path], FilesT]

    def at(self, as_of: date) -> FilesT:
        """The files of ``as_of``."""
        return self.files(_dated(self.root, as_of))

    def available(self) -> list[date]:
        """Dates whose outputs are published, oldest first."""
        return [as_of for as_of in _dates(self.root) if self.at(as_of).published]


@dataclass(frozen=True)
class OutreachFiles:
    """The outreach files of one day: plan, social warnings, backtest and report."""

    folder: Path

    def plan(self, kind: str) -> Path:
        """Today's list: ``kind`` is ``csv`` (for Excel), ``parquet`` or ``json`` (settings)."""
        return self.folder / f"plan.{kind}"

    def social_warnings(self, kind: str) -> Path:
        """Routed brand posts: ``kind`` is ``csv`` or ``parquet``."""
        return self.folder / f"social_warnings.{kind}"

    @property
    def backtest(self) -> Path:
        """The backtest table of lists made on the day's snapshot."""
        return self.folder / "backtest.csv"

    @property
    def gain(self) -> Path:
        """The gain curves of the backtest."""
        return self.folder / "gain.csv"

    @property
    def report(self) -> Path:
        """The HTML operations report of the day."""
        return self.folder / "report.html"


@dataclass(frozen=True)
class SimulationFiles:
    """The latest closed-loop simulation."""

    folder: Path

    @property
    def effects(self) -> Path:
        """Summary of the realized change per policy and capacity."""
        return self.folder / "effects.csv"

    @property
    def per_seed(self) -> Path:
        """One row per simulated world."""
        return self.folder / "per_seed.csv"

    @property
    def meta(self) -> Path:
        """Settings of the simulation (assumed effect, size, seeds)."""
        return self.folder / "simulation.json"


@dataclass(frozen=True)
class OutreachStore:
    """Outreach outputs: dated folders plus the latest simulation."""

    root: Path

    def at(self, as_of: date) -> OutreachFiles:
        """The outreach files of ``as_of``."""
        return OutreachFiles(_dated(self.root, as_of))

    def service_plan(self, as_of: str, plan_id: str) -> Path:
        """A plan the service returned (both groups), recorded for later effect measurement."""
        return Path(self.root) / f"plan_{as_of}_{plan_id}.parquet"

    def backtest_dates(self) -> list[date]:
        """Dates with a written backtest, oldest first."""
        return [as_of for as_of in _dates(self.root) if _present(self.at(as_of).backtest)]

    @property
    def simulation(self) -> SimulationFiles:
        """The latest simulation's files."""
        return SimulationFiles(Path(self.root) / "simulation")


@dataclass(frozen=True)
class SnapshotStore(DatedStore[SnapshotFiles]):
    """Feature snapshots, one dated folder each (``procare features build``)."""

    files: Callable[[Path], SnapshotFiles] = SnapshotFiles


@dataclass(frozen=True)
class ScoreStore(DatedStore[ScoreFiles]):
    """Batch scores, one dated folder per scored snapshot (``procare score``)."""

    files: Callable[[Path], ScoreFiles] = ScoreFiles


class DataLayout(BaseModel):
    """Every data location of one work folder.

    Each area's folder is ``<workdir>/<area>`` unless given explicitly (an operator may keep
    one area elsewhere, e.g. ``PROCARE_SCORES_DIR``); the fields always hold the resolved
    folders. Build a new layout to move it: ``model_copy`` does not re-derive the folders.

    Attributes:
        workdir: The work folder (``data`` by default, relative to the current directory).
        world_dir: The synthetic world (the default source of ``procare data ingest``).
        raw_dir: Ingested contract tables.
        features_dir: Feature snapshots.
        scores_dir: Batch scores.
        outreach_dir: Outreach lists, backtests, simulation and reports.
        live_dir: The service's store of contacts received live.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    workdir: Path = DEFAULT_WORKDIR
    world_dir: Path
    raw_dir: Path
    features_dir: Path
    scores_dir: Path
    outreach_dir: Path
    live_dir: Path

    @model_validator(mode="before")
    @classmethod
    def _derive_folders(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        workdir = Path(data.get("workdir") or DEFAULT_WORKDIR)
        derived = {field: workdir / folder for field, folder in FOLDERS.items()}
        given = {key: value for key, value in data.items() if value is not None}
        return {**derived, **given, "workdir": workdir}

    @property
    def world(self) -> WorldFiles:
        """The synthetic world."""
        return WorldFiles(self.world_dir)

    @property
    def raw(self) -> RawTables:
        """The ingested contract tables."""
        return RawTables(self.raw_dir)

    @property
    def features(self) -> SnapshotStore:
        """The feature snapshots."""
        return SnapshotStore(self.features_dir)

    @property
    def scores(self) -> ScoreStore:
        """The batch scores."""
        return ScoreStore(self.scores_dir)

    @property
    def outreach(self) -> OutreachStore:
        """The outreach outputs."""
        return OutreachStore(self.outreach_dir)

    def report(self, as_of: date) -> Path:
        """The HTML operations report of ``as_of`` (kept with that day's outreach files)."""
        return self.outreach.at(as_of).report

    @property
    def tracking_uri(self) -> str:
        """Default MLflow store (``MLFLOW_TRACKING_URI`` overrides it in ``training.tracking``)."""
        return DEFAULT_TRACKING_URI
