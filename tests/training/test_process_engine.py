"""The training pieces' process engine: workers never outlive the process that started them."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
import time
import types

import psutil
import pytest

from training import process_engine
from training.process_engine import ProcessEngine, affordable_workers

DRIVER = """
import os, time
from training.process_engine import ProcessEngine

def task(item):
    if item:
        time.sleep(120)
    return os.getpid()

if __name__ == "__main__":
    for _, pid in ProcessEngine(2).map(task, [0, 1, 2]):
        print(pid, flush=True)
"""


@pytest.mark.skipif(sys.platform != "linux", reason="fork server workers (Linux)")
def test_workers_exit_when_the_driver_is_killed():
    """A driver killed with SIGKILL (the OOM killer's way) leaves no worker behind."""
    driver = subprocess.Popen(
        [sys.executable, "-c", DRIVER], stdout=subprocess.PIPE, text=True, cwd="."
    )
    workers: list[psutil.Process] = []
    try:
        first = int(driver.stdout.readline())
        workers = [
            child
            for child in psutil.Process(driver.pid).children(recursive=True)
            if child.pid == first or "forkserver" not in " ".join(child.cmdline())
        ]
        assert any(worker.pid == first for worker in workers)
        driver.send_signal(signal.SIGKILL)
        driver.wait(timeout=10)
        deadline = time.monotonic() + 15
        alive = workers
        while alive and time.monotonic() < deadline:
            time.sleep(0.2)
            alive = [w for w in alive if w.is_running() and w.status() != psutil.STATUS_ZOMBIE]
        assert not alive, [w.pid for w in alive]
    finally:
        driver.kill()
        for worker in workers:
            with contextlib.suppress(psutil.Error):
                worker.kill()


def test_workers_are_limited_to_the_copies_of_the_inputs_memory_holds():
    gigabyte = 10**9
    assert affordable_workers(2, gigabyte, available=9 * gigabyte) == 2
    assert affordable_workers(2, gigabyte, available=6 * gigabyte) == 1
    assert affordable_workers(2, gigabyte, available=0) == 1
    assert affordable_workers(8, 1000, available=9 * gigabyte) == 8


def _pid(item: int) -> tuple[int, int]:
    return item, os.getpid()


def test_pieces_run_in_this_process_when_memory_holds_no_second_copy(monkeypatch, caplog):
    """At 1M customers two workers with their own copies of the inputs got the driver killed by
    the OOM killer; the engine now runs the pieces in the driver instead, with a warning."""
    monkeypatch.setattr(
        process_engine.psutil, "virtual_memory", lambda: types.SimpleNamespace(available=10)
    )
    with caplog.at_level(logging.WARNING, logger="training.process_engine"):
        results = dict(ProcessEngine(2).map(_pid, [1, 2, 3]))
    assert results == {1: (1, os.getpid()), 2: (2, os.getpid()), 3: (3, os.getpid())}
    assert "pieces run in 1 process(es) instead of 2" in caplog.text
