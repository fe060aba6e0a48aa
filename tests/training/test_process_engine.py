"""The training pieces' process engine: workers never outlive the process that started them."""

from __future__ import annotations

import contextlib
import signal
import subprocess
import sys
import time

import psutil
import pytest

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
