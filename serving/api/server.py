"""Start and stop a real ``bentoml serve`` subprocess (demo, end-to-end tests, benchmarks)."""

from __future__ import annotations

import logging
import os
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

from serving.api.settings import ServingSettings

logger = logging.getLogger(__name__)

SERVICE = "serving.api.service:ProcareService"
SERVICE_NAME = "procare"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


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
        for name in ("workdir", "features_dir", "raw_dir", "scores_dir", "outreach_dir", "live_dir")
        if getattr(settings, name) is not None
    }
    uri = settings.tracking_uri
    if uri.startswith("sqlite:///") and not uri.startswith("sqlite:////"):
        updates["tracking_uri"] = f"sqlite:///{Path(uri.removeprefix('sqlite:///')).resolve()}"
    return settings.model_copy(update=updates)


def server_environment(settings: ServingSettings, workers: int = 1) -> dict[str, str]:
    """Environment of the server process: the settings, one OpenMP thread, no telemetry."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PROCARE_")}
    env.update(absolute(settings).environ())
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


READY_CHECKS_PER_WORKER = 4
"""Consecutive ready answers per worker :func:`wait_ready` asks for: the kernel spreads new
connections over the workers at random, so one 200 may come from the one worker already loaded."""


def wait_ready(
    base_url: str, process: subprocess.Popen, log_path: Path, timeout: float, workers: int = 1
) -> float:
    """Poll ``/readyz`` until every worker answers 200; the seconds waited.

    Each worker loads the models and tables itself and answers ``/readyz`` for itself. With
    several workers each probe opens a new connection, and ``READY_CHECKS_PER_WORKER`` times
    ``workers`` probes in a row must answer 200 (with two workers, eight probes in a row all
    reach the loaded one with probability ``2**-8``).

    Raises:
        RuntimeError: If the server exits or is not ready within ``timeout`` seconds (the
            message ends with the server's last log lines).
    """
    start = time.monotonic()
    needed = 1 if workers <= 1 else READY_CHECKS_PER_WORKER * workers
    streak = 0
    while True:
        if process.poll() is not None:
            raise RuntimeError(
                f"bentoml serve exited with code {process.returncode}:\n{_log_tail(log_path)}"
            )
        try:
            ready = httpx.get(f"{base_url}/readyz", timeout=2.0).status_code == 200
        except httpx.TransportError:
            ready = False
        streak = streak + 1 if ready else 0
        if streak >= needed:
            return time.monotonic() - start
        if time.monotonic() - start > timeout:
            raise RuntimeError(
                f"bentoml serve not ready after {timeout:.0f} s:\n{_log_tail(log_path)}"
            )
        time.sleep(0.05 if ready else 0.25)


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


def serve(
    settings: ServingSettings, port: int = 3000, host: str = "0.0.0.0", workers: int = 1
) -> int:
    """Run the service in the foreground until interrupted (``procare serve``); its exit code.

    Args:
        settings: Service settings (validated here, so a missing API key fails before start).
        port: Port to listen on.
        host: Interface to bind (all interfaces by default; the API key guards the API).
        workers: Service worker processes. Each loads the models and data; contacts received
            by ``/events/contact`` stay in the worker that received them.
    """
    process = subprocess.Popen(
        serve_command(port, host),
        cwd=PROJECT_ROOT,
        env=server_environment(settings, workers),
        start_new_session=True,
    )
    try:
        return process.wait()
    except KeyboardInterrupt:
        stop(process)
        return 130


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
        seconds = wait_ready(base_url, process, log_path, ready_timeout, workers)
        logger.info("procare service ready at %s after %.1f s", base_url, seconds)
        yield RunningServer(base_url, process.pid, log_path, seconds)
    finally:
        stop(process)
        if owned_log:
            log_path.unlink(missing_ok=True)
