"""The model thread runs queued work by priority: live events before bulk chunks."""

from __future__ import annotations

import threading

import pytest

from serving.api.model_thread import ModelThread, Priority


def busy(thread: ModelThread, release: threading.Event):
    """Occupy the thread until ``release``; returns once the job is running."""
    started = threading.Event()

    def block() -> bool:
        started.set()
        return release.wait(10)

    job = thread.submit(Priority.BULK, block)
    assert started.wait(10)
    return job


def test_queued_events_run_before_queued_bulk_work_and_ties_keep_arrival_order():
    thread = ModelThread()
    release = threading.Event()
    order: list[str] = []
    try:
        blocker = busy(thread, release)
        jobs = [
            thread.submit(Priority.BULK, order.append, "bulk-1"),
            thread.submit(Priority.BULK, order.append, "bulk-2"),
            thread.submit(Priority.LOOKUP, order.append, "lookup"),
            thread.submit(Priority.EVENT, order.append, "event-1"),
            thread.submit(Priority.EVENT, order.append, "event-2"),
        ]
        assert thread.pending() == 5
        release.set()
        blocker.result(10)
        for job in jobs:
            job.result(10)
    finally:
        release.set()
        thread.shutdown()
    assert order == ["event-1", "event-2", "lookup", "bulk-1", "bulk-2"]


def test_work_runs_on_the_named_thread_after_the_initializer_and_errors_reach_the_caller():
    seen: list[str] = []
    thread = ModelThread(initializer=lambda: seen.append("init"), name="models-x")
    try:
        name = thread.submit(Priority.EVENT, lambda: threading.current_thread().name).result(10)
        failing = thread.submit(Priority.EVENT, lambda: 1 / 0)
        with pytest.raises(ZeroDivisionError):
            failing.result(10)
    finally:
        thread.shutdown()
    assert seen == ["init"] and name == "models-x"


def test_shutdown_cancels_queued_work_and_refuses_more():
    thread = ModelThread()
    release = threading.Event()
    running = busy(thread, release)
    queued = thread.submit(Priority.BULK, int)
    thread.shutdown()
    release.set()
    assert running.result(10) is True
    assert queued.cancelled()
    with pytest.raises(RuntimeError, match="shut down"):
        thread.submit(Priority.EVENT, int)
