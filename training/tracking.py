"""MLflow settings in one object: tracking URI, artifact root, experiments, run tags.

Also the lifecycle of procare's runs: each run is tagged with the process that owns it (host,
pid, process start time), so a later ``procare train`` can mark the runs of a killed process
FAILED (:func:`reap_orphaned_runs`), and :func:`fail_runs_on_signal` turns SIGTERM into an
exception that ends the open runs FAILED instead of leaving them RUNNING.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

from pydantic import BaseModel, ConfigDict

from pipelines.catalog import DEFAULT_TRACKING_URI

logger = logging.getLogger(__name__)

TRACKING_URI_ENV = "MLFLOW_TRACKING_URI"
HOST_TAG = "procare.host"
PID_TAG = "procare.pid"
PROCESS_START_TAG = "procare.process_start"
END_REASON_TAG = "procare.end_reason"
FAILED = "FAILED"
FINISHED = "FINISHED"
RUNNING = "RUNNING"
_START_TOLERANCE_SECONDS = 1.0


class MissingStoreError(LookupError):
    """The MLflow store named by the tracking URI does not exist (and the command may not
    create one)."""


class TrainingInterrupted(Exception):
    """A termination signal arrived while runs were open (they end FAILED)."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(f"interrupted by {signal.Signals(signum).name}")


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

    def store_exists(self) -> bool:
        """Whether the store already exists: the SQLite file or the file store's folder.

        Servers and other databases are taken to exist (they refuse on their own).
        """
        parsed = urlparse(self.tracking_uri)
        database = self.sqlite_path()
        if database is not None:
            return database.is_file()
        if parsed.scheme in ("", "file"):
            return Path(parsed.path).is_dir()
        return True

    def require_store(self) -> None:
        """Refuse a store that does not exist, so a mistyped URI never creates an empty one.

        Raises:
            MissingStoreError: Naming the URI.
        """
        if not self.store_exists():
            raise MissingStoreError(
                f"no MLflow store at {self.tracking_uri} (set by {TRACKING_URI_ENV} or the "
                "default), so no model or champion is registered there: check the URI, or run "
                "`procare train` to create it"
            )

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


def process_tags() -> dict[str, str]:
    """Tags naming the process that owns a run: host, pid and the process's start time."""
    import psutil

    process = psutil.Process()
    return {
        HOST_TAG: socket.gethostname(),
        PID_TAG: str(process.pid),
        PROCESS_START_TAG: f"{process.create_time():.3f}",
    }


def owner_gone(tags: dict[str, str]) -> bool:
    """Whether the process named by a run's :func:`process_tags` is known to be gone.

    Only a process of this host can be checked; a run of another host, or without the tags,
    is never taken as gone. A pid reused by another process counts as gone (start times
    differ).
    """
    import psutil

    if tags.get(HOST_TAG) != socket.gethostname() or PID_TAG not in tags:
        return False
    try:
        pid, started = int(tags[PID_TAG]), float(tags.get(PROCESS_START_TAG, "nan"))
    except ValueError:
        return False
    try:
        actual = psutil.Process(pid).create_time()
    except psutil.NoSuchProcess:
        return True
    except psutil.Error:
        return False
    return abs(actual - started) > _START_TOLERANCE_SECONDS


def reap_orphaned_runs(settings: TrackingSettings, prefix: str = "procare") -> list[str]:
    """Mark FAILED the RUNNING runs of experiments ``prefix*`` whose process is gone.

    Args:
        settings: The store to clean.
        prefix: Experiment name prefix (the training config's ``experiment_prefix``).

    Returns:
        The ids of the runs marked FAILED.
    """
    client = settings.client()
    experiments = client.search_experiments(filter_string=f"name LIKE '{prefix}%'")
    ids = [e.experiment_id for e in experiments]
    if not ids:
        return []
    running = client.search_runs(ids, f"attributes.status = '{RUNNING}'", max_results=50_000)
    reaped = []
    for run in running:
        if owner_gone(run.data.tags):
            client.set_tag(run.info.run_id, END_REASON_TAG, "owner process gone")
            client.set_terminated(run.info.run_id, FAILED)
            reaped.append(run.info.run_id)
    if reaped:
        logger.warning("marked %d run(s) of a killed training FAILED", len(reaped))
    return reaped


def failure_reason(error: BaseException) -> str:
    """Why a run ended FAILED, without the error's message (it may quote data)."""
    if isinstance(error, TrainingInterrupted):
        return str(error)
    if isinstance(error, KeyboardInterrupt):
        return "interrupted by SIGINT"
    return f"error: {type(error).__name__}"


def end_active_runs(reason: str) -> list[str]:
    """End every run still active in this process as FAILED, tagged with ``reason``."""
    import mlflow

    ended = []
    while (run := mlflow.active_run()) is not None:
        mlflow.set_tag(END_REASON_TAG, reason)
        mlflow.end_run(FAILED)
        ended.append(run.info.run_id)
    return ended


@contextmanager
def fail_runs_on_signal(signals: tuple[int, ...] = (signal.SIGTERM,)) -> Iterator[None]:
    """Within the block, ``signals`` raise :class:`TrainingInterrupted` (in the main thread).

    The exception unwinds the ``with`` blocks of the open runs, which end FAILED; any run
    still active when the block exits by an exception is ended FAILED here. A second signal
    meets the default handler and terminates at once. Outside the main thread nothing is
    installed (Python delivers signals to the main thread only).
    """

    def interrupt(signum: int, frame) -> None:
        signal.signal(signum, signal.SIG_DFL)
        raise TrainingInterrupted(signum)

    installed = {}
    if threading.current_thread() is threading.main_thread():
        installed = {s: signal.signal(s, interrupt) for s in signals}
    try:
        yield
    except BaseException as error:
        end_active_runs(failure_reason(error))
        raise
    finally:
        for signum, previous in installed.items():
            signal.signal(signum, previous)
