"""Readiness shared by the workers of one server: ``/readyz`` is 200 only when all are loaded.

Each worker loads the models and tables itself; the kernel spreads connections over the
workers, so a worker answering for itself alone lets requests reach one still loading. The
server (``procare serve``) gives its workers a run folder (``PROCARE_RUN_DIR``) and their count
(``PROCARE_WORKERS``); each worker leaves a marker there when loaded, or when loading failed
(with the reason, so the server can stop and say why).
"""

from __future__ import annotations

import logging
from pathlib import Path

from pipelines.storage import atomic_path

logger = logging.getLogger(__name__)

READY = "ready"
FAILED = "failed"


def marker(run_dir: Path, worker: int, state: str) -> Path:
    """The marker file of one worker (1-based index) in one state."""
    return run_dir / f"worker-{worker}.{state}"


def clear(run_dir: Path, worker: int) -> None:
    """Forget a worker's markers (a worker that starts, or restarts, is not ready)."""
    for state in (READY, FAILED):
        marker(run_dir, worker, state).unlink(missing_ok=True)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        Path(tmp).write_text(text, encoding="utf-8")


def mark_ready(run_dir: Path, worker: int) -> None:
    """Record that a worker has loaded everything."""
    _write(marker(run_dir, worker, READY), "")


def mark_failed(run_dir: Path, worker: int, reason: str) -> None:
    """Record that a worker could not load, and why (no customer data in ``reason``)."""
    _write(marker(run_dir, worker, FAILED), reason)


def all_ready(run_dir: Path, workers: int) -> bool:
    """Whether every one of ``workers`` workers has recorded that it is ready."""
    return all(marker(run_dir, worker, READY).exists() for worker in range(1, workers + 1))


def failure(run_dir: Path) -> str | None:
    """The reason a worker recorded for failing to load, if one did."""
    for path in sorted(run_dir.glob(f"worker-*.{FAILED}")):
        try:
            return path.read_text(encoding="utf-8") or "unknown error"
        except OSError:
            continue
    return None
