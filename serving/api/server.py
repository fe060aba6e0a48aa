"""Start and stop a real ``bentoml serve`` subprocess (``procare serve``, demo, tests, benchmarks).

The server gets a fresh run folder (``PROCARE_RUN_DIR``) where its workers record that they
are ready or why they failed (:mod:`serving.api.readiness`): ``/readyz`` is 200 only when
every worker is ready, and ``procare serve`` stops with the reason when one cannot load.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from pipelines.scores import latest_scored
from serving.api import readiness
from serving.api.settings import ServingSettings
from serving.api.state import ensure_index
from training.tracking import MissingStoreError, TrackingSettings

logger = logging.getLogger(__name__)

SERVICE = "serving.api.service:ProcareService"
SERVICE_NAME = "procare"
PROJECT_ROOT = Path(__file__).resolve().parents[2]
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
POLL_SECONDS = 0.25


class ServerStartError(RuntimeError):
    """The service cannot start serving (nothing scored, or a worker failed to load)."""


@dataclass(frozen=True)
class RunningServer:
    """A started server.

    Attributes:
        base_url: e.g. ``http://127.0.0.1:40123``.
        pid: Process id of ``bentoml serve``.
        log_path: File receiving the server's output.
        ready_seconds: Time from start until ``/readyz`` answered 200.
    """

    base_url: str
    pid: int
    log_path: Path
    ready_seconds: float


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that is free right now on ``host``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def absolute(settings: ServingSettings) -> ServingSettings:
    """The settings with every folder made absolute (the server runs in the project root)."""
    updates = {
        name: Path(getattr(settings, name)).resolve()
        for name in (
            "workdir",
            "features_dir",
            "raw_dir",
            "scores_dir",
            "outreach_dir",
            "live_dir",
            "index_dir",
            "run_dir",
        )
        if getattr(settings, name) is not None
    }
    uri = settings.tracking_uri
    if uri.startswith("sqlite:///") and not uri.startswith("sqlite:////"):
        updates["tracking_uri"] = f"sqlite:///{Path(uri.removeprefix('sqlite:///')).resolve()}"
    return settings.model_copy(update=updates)


def server_environment(settings: ServingSettings, workers: int = 1) -> dict[str, str]:
    """Environment of the server process: the settings, one OpenMP thread, no telemetry."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PROCARE_")}
    env.update(absolute(settings.model_copy(update={"workers": workers})).environ())
    env["OMP_NUM_THREADS"] = "1"
    env["BENTOML_DO_NOT_TRACK"] = "True"
    env["BENTOML_CONFIG_OPTIONS"] = f"services.{SERVICE_NAME}.workers={workers}"
    env["PYTHONPATH"] = os.pathsep.join(
        [str(PROJECT_ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    )
    return env


def _log_tail(path: Path, lines: int = 30) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def wait_ready(
    base_url: str,
    process: subprocess.Popen,
    log_path: Path,
    timeout: float,
    run_dir: Path | None = None,
) -> float:
    """Poll ``/readyz`` until it answers 200 (every worker ready); the seconds waited.

    Raises:
        ServerStartError: If a worker recorded in ``run_dir`` that it cannot load.
        RuntimeError: If the server exits or is not ready within ``timeout`` seconds (the
            message ends with the server's last log lines).
    """
    start = time.monotonic()
    while True:
        if process.poll() is not None:
            raise RuntimeError(
                f"bentoml serve exited with code {process.returncode}:\n{_log_tail(log_path)}"
            )
        if run_dir is not None and (reason := readiness.failure(run_dir)) is not None:
            raise ServerStartError(f"the service could not load its models and data: {reason}")
        try:
            if httpx.get(f"{base_url}/readyz", timeout=2.0).status_code == 200:
                return time.monotonic() - start
        except httpx.TransportError:
            pass
        if time.monotonic() - start > timeout:
            raise RuntimeError(
                f"bentoml serve not ready after {timeout:.0f} s:\n{_log_tail(log_path)}"
            )
        time.sleep(POLL_SECONDS)


def stop(process: subprocess.Popen, timeout: float = 20.0) -> None:
    """Stop the server: SIGTERM to its process group, SIGKILL if it does not exit in time."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        logger.warning("bentoml serve (pid %d) ignored SIGTERM; killing it", process.pid)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=timeout)


def serve_command(port: int, host: str) -> list[str]:
    """The ``bentoml serve`` command line of the service."""
    executable = Path(sys.executable).with_name("bentoml")
    prefix = [str(executable)] if executable.exists() else [sys.executable, "-m", "bentoml"]
    return [
        *prefix,
        "serve",
        SERVICE,
        "--host",
        host,
        "--port",
        str(port),
        "--working-dir",
        str(PROJECT_ROOT),
    ]


def check_servable(settings: ServingSettings) -> None:
    """Refuse to start a service that could never become ready: nothing was scored, or the
    MLflow store (``MLFLOW_TRACKING_URI``) does not exist, so no champion can be loaded.

    Raises:
        ServerStartError: With the folder looked at and the command to run.
    """
    if latest_scored(settings.scores_dir) is None:
        raise ServerStartError(
            f"no batch scores under {settings.scores_dir}: run `procare score` first "
            "(or point PROCARE_WORKDIR / PROCARE_SCORES_DIR at the scored data)"
        )
    try:
        TrackingSettings.from_env().require_store()
    except MissingStoreError as exc:
        raise ServerStartError(str(exc)) from None


def prepare_index(settings: ServingSettings, progress: bool = False) -> None:
    """Build the serving index before the workers start, so that they only open it.

    Raises:
        ServerStartError: If the snapshot or the raw tables it is built from are missing.
    """
    try:
        ensure_index(settings, progress=progress)
    except FileNotFoundError as exc:
        raise ServerStartError(str(exc)) from None


@contextmanager
def forwarded_stop_signals() -> Iterator[list[int]]:
    """Catch SIGTERM and SIGINT while the block runs; yields the signals received (in order).

    The server runs in its own session (so a terminal's Ctrl-C reaches it only through us), and
    a process manager or container runtime stops a service with SIGTERM: both must stop it.
    """
    received: list[int] = []

    def record(signum: int, _frame: object) -> None:
        received.append(signum)

    previous = {sig: signal.signal(sig, record) for sig in STOP_SIGNALS}
    try:
        yield received
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def supervise(process: subprocess.Popen, run_dir: Path | None, received: list[int]) -> int:
    """Wait for the server; stop it on a stop signal or when a worker cannot load.

    Returns:
        The server's exit code (``128 + n`` if signal ``n`` ended it).

    Raises:
        ServerStartError: If a worker recorded that it cannot load (the server is stopped).
    """
    while True:
        try:
            code = process.wait(timeout=POLL_SECONDS)
        except subprocess.TimeoutExpired:
            pass
        else:
            return code if code >= 0 else 128 - code
        if received:
            logger.info("stopping bentoml serve (signal %d)", received[0])
            stop(process)
            return process.returncode if process.returncode >= 0 else 128 - process.returncode
        if run_dir is not None and (reason := readiness.failure(run_dir)) is not None:
            stop(process)
            raise ServerStartError(f"the service could not load its models and data: {reason}")


def serve(
    settings: ServingSettings, port: int = 3000, host: str = "0.0.0.0", workers: int = 1
) -> int:
    """Run the service in the foreground (``procare serve``) until it exits or is stopped.

    SIGTERM and SIGINT are forwarded to the server's process group (SIGKILL if it does not
    exit within 20 s); the call returns when the server has exited.

    Args:
        settings: Service settings (validated here, so a missing API key fails before start).
        port: Port to listen on.
        host: Interface to bind (all interfaces by default; the API key guards the API).
        workers: Service worker processes. Each loads the models and data; ``/readyz`` is 200
            once all are ready.

    Returns:
        The server's exit code.

    Raises:
        ServerStartError: If nothing was scored, or a worker cannot load its models and data.
    """
    check_servable(settings)
    prepare_index(settings, progress=True)
    run_dir = Path(tempfile.mkdtemp(prefix="procare-run-"))
    settings = settings.model_copy(update={"run_dir": run_dir})
    try:
        with forwarded_stop_signals() as received:
            process = subprocess.Popen(
                serve_command(port, host),
                cwd=PROJECT_ROOT,
                env=server_environment(settings, workers),
                start_new_session=True,
            )
            try:
                return supervise(process, run_dir, received)
            finally:
                stop(process)
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)


@contextmanager
def running_server(
    settings: ServingSettings,
    port: int | None = None,
    host: str = "127.0.0.1",
    workers: int = 1,
    ready_timeout: float = 180.0,
    log_path: Path | None = None,
) -> Iterator[RunningServer]:
    """Run ``bentoml serve serving.api.service:ProcareService`` until the block ends.

    Args:
        settings: Service settings, passed as environment variables (folders made absolute).
        port: Port to listen on (default: a free one).
        host: Interface to bind (loopback by default).
        workers: Service worker processes.
        ready_timeout: Seconds to wait for ``/readyz``.
        log_path: File for the server's output (default: a temporary file, removed after).

    Yields:
        The running server; it is stopped (process group terminated) on exit.

    Raises:
        RuntimeError: If the server does not become ready.
    """
    port = port or free_port(host)
    owned_log = log_path is None
    if log_path is None:
        handle, name = tempfile.mkstemp(prefix="procare-serve-", suffix=".log")
        os.close(handle)
        log_path = Path(name)
    command = serve_command(port, host)
    base_url = f"http://{host}:{port}"
    if latest_scored(settings.scores_dir) is not None:
        prepare_index(settings)
    run_dir = Path(tempfile.mkdtemp(prefix="procare-run-"))
    settings = settings.model_copy(update={"run_dir": run_dir})
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            env=server_environment(settings, workers),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        seconds = wait_ready(base_url, process, log_path, ready_timeout, run_dir)
        logger.info("procare service ready at %s after %.1f s", base_url, seconds)
        yield RunningServer(base_url, process.pid, log_path, seconds)
    finally:
        stop(process)
        shutil.rmtree(run_dir, ignore_errors=True)
        if owned_log:
            log_path.unlink(missing_ok=True)
