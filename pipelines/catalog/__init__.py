"""The data catalog: the one place that knows where every table, snapshot and output lives.

Layout under the work folder (default ``data/``)::

    world/<table>.parquet, oracle/*.parquet, world.json   synthetic source world
    raw/_manifest.json, v-<id>/<table>/part-<bucket>.parquet, v-<id>/edges.parquet
    features/as_of=<YYYY-MM-DD>/meta.json, v-<id>/{features,documents}/part-<bucket>.parquet
    scores/as_of=<YYYY-MM-DD>/meta.json, v-<id>/scores/part-<bucket>.parquet, versions.json
    outreach/as_of=<YYYY-MM-DD>/plan.*, social_warnings.*, backtest.csv, gain.csv, report.html
    outreach/simulation/effects.csv, per_seed.csv, simulation.json
    <service outreach folder>/plan_<as_of>_<id>.parquet   plans the service returned (if set)
    live/                                                 contacts received live by the service
    index/as_of=<YYYY-MM-DD>/meta.json, v-<id>/<table>/part-<bucket>.parquet
                                                          the served snapshot and customer tables
                                                          sorted by id (the service's lookups)

MLflow keeps its runs outside the work folder (:data:`DEFAULT_TRACKING_URI`).

Callers ask for locations (``layout.raw.table("contacts")``, ``layout.features.at(day).meta``)
and never join path parts themselves. Per-customer tables and snapshots are folders of Parquet
parts split into customer buckets (:mod:`pipelines.buckets`), published in one step through a
pointer file (:mod:`pipelines.datasets`); ``pandas.read_parquet`` reads a file or such a folder
alike, and the ``exists``-style predicates below accept both.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

from pipelines.catalog.dated import PARTITION, DatedFiles, DatedStore
from pipelines.catalog.outreach import OutreachFiles, OutreachStore, SimulationFiles
from pipelines.catalog.scores import ScoreFiles, ScoreStore
from pipelines.catalog.serving_index import ServingIndexFiles, ServingIndexStore
from pipelines.catalog.snapshots import SnapshotFiles, SnapshotStore
from pipelines.catalog.tables import GLOBAL_TABLES, RawTables, WorldFiles

__all__ = [
    "DEFAULT_TRACKING_URI",
    "DEFAULT_WORKDIR",
    "FOLDERS",
    "GLOBAL_TABLES",
    "PARTITION",
    "DataLayout",
    "DatedFiles",
    "DatedStore",
    "OutreachFiles",
    "OutreachStore",
    "RawTables",
    "ScoreFiles",
    "ScoreStore",
    "ServingIndexFiles",
    "ServingIndexStore",
    "SimulationFiles",
    "SnapshotFiles",
    "SnapshotStore",
    "WorldFiles",
]

DEFAULT_WORKDIR = Path("data")
DEFAULT_TRACKING_URI = "sqlite:///mlruns/mlflow.db"
"""MLflow backend store when ``MLFLOW_TRACKING_URI`` is unset (see ``training.tracking``)."""

FOLDERS: dict[str, str] = {
    "world_dir": "world",
    "raw_dir": "raw",
    "features_dir": "features",
    "scores_dir": "scores",
    "outreach_dir": "outreach",
    "live_dir": "live",
    "index_dir": "index",
}
"""Each area's folder under the work folder, by :class:`DataLayout` field."""


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
        index_dir: The service's index of the served snapshot and the customer tables.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    workdir: Path = DEFAULT_WORKDIR
    world_dir: Path
    raw_dir: Path
    features_dir: Path
    scores_dir: Path
    outreach_dir: Path
    live_dir: Path
    index_dir: Path

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
    def serving_index(self) -> ServingIndexStore:
        """The service's lookup indexes."""
        return ServingIndexStore(self.index_dir)

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
