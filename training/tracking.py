"""MLflow settings in one object: tracking URI, artifact root, experiments, run tags."""

from __future__ import annotations

import logging
import os
import subprocess
from pathlib import Path
from urllib.parse import urlparse

from pydantic import BaseModel, ConfigDict

from pipelines.catalog import DEFAULT_TRACKING_URI

logger = logging.getLogger(__name__)

TRACKING_URI_ENV = "MLFLOW_TRACKING_URI"


class TrackingSettings(BaseModel):
    """Where MLflow keeps runs, models and artifacts.

    Attributes:
        tracking_uri: Backend store. Default ``sqlite:///mlruns/mlflow.db``; the
            ``MLFLOW_TRACKING_URI`` environment variable overrides it (e.g. a shared server).
        artifact_root: Folder for new experiments' artifacts. ``None`` derives it: for a SQLite
            store, the database's folder (``mlruns/`` by default, so tests writing to a temporary
            database also keep artifacts there); for a server, the server decides.
    """

    model_config = ConfigDict(extra="forbid")

    tracking_uri: str = DEFAULT_TRACKING_URI
    artifact_root: Path | None = None

    @classmethod
    def from_env(cls) -> TrackingSettings:
        """Settings with the tracking URI taken from ``MLFLOW_TRACKING_URI`` when set."""
        return cls(tracking_uri=os.environ.get(TRACKING_URI_ENV) or DEFAULT_TRACKING_URI)

    def sqlite_path(self) -> Path | None:
        """The database file of a ``sqlite:///`` URI, else ``None``."""
        parsed = urlparse(self.tracking_uri)
        if parsed.scheme != "sqlite":
            return None
        return Path(parsed.path.removeprefix("/")) if parsed.netloc == "" else None

    def resolved_artifact_root(self) -> Path | None:
        """The artifact folder for new experiments (see ``artifact_root``)."""
        if self.artifact_root is not None:
            return Path(self.artifact_root).resolve()
        database = self.sqlite_path()
        return None if database is None else database.resolve().parent

    def apply(self) -> None:
        """Point the MLflow fluent API at these settings (creates the SQLite folder if needed)."""
        import mlflow

        database = self.sqlite_path()
        if database is not None:
            database.resolve().parent.mkdir(parents=True, exist_ok=True)
        mlflow.set_tracking_uri(self.tracking_uri)
        mlflow.set_registry_uri(self.tracking_uri)

    def client(self):
        """An ``MlflowClient`` bound to these settings."""
        from mlflow import MlflowClient

        self.apply()
        return MlflowClient(tracking_uri=self.tracking_uri, registry_uri=self.tracking_uri)

    def ensure_experiment(self, name: str) -> str:
        """The id of experiment ``name``, created (with its artifact location) when missing."""
        client = self.client()
        found = client.get_experiment_by_name(name)
        if found is not None:
            return found.experiment_id
        root = self.resolved_artifact_root()
        location = None if root is None else (root / name).as_uri()
        return client.create_experiment(name, artifact_location=location)


def git_sha(cwd: Path | None = None) -> str:
    """The checked-out commit of the working tree, or ``"unknown"`` outside git."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip() or "unknown"
