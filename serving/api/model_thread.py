"""The service's one model thread, taking work by priority: live events before bulk scoring."""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future
from enum import IntEnum
from typing import Any

logger = logging.getLogger(__name__)


class Priority(IntEnum):
    """Order in which queued model work runs (lower first; equal priorities in arrival order)."""

    EVENT = 0
    LOOKUP = 1
    BULK = 2


class ModelThread:
    """One worker thread running submitted calls, the most urgent queued call first.

    Model work stays on one thread (LightGBM and OpenMP on one core, no oversubscription); a
    long job is submitted in chunks so that a live event waits for one chunk at most, not for
    the whole batch queued before it.

    Args:
        initializer: Called once on the thread before any work (e.g. thread limits).
        name: Thread name.
    """

    def __init__(
        self, initializer: Callable[[], None] | None = None, name: str = "procare-models"
    ) -> None:
        self._initializer = initializer
        self._queue: list[tuple[int, int, Future, Callable[..., Any], tuple[Any, ...]]] = []
        self._order = itertools.count()
        self._ready = threading.Condition()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, priority: Priority, func: Callable[..., Any], *args: Any) -> Future:
        """Queue ``func(*args)``; its future.

        Raises:
            RuntimeError: After :meth:`shutdown`.
        """
        future: Future = Future()
        with self._ready:
            if self._closed:
                raise RuntimeError("the model thread is shut down")
            heapq.heappush(self._queue, (int(priority), next(self._order), future, func, args))
            self._ready.notify()
        return future

    def pending(self) -> int:
        """Calls queued and not started."""
        with self._ready:
            return len(self._queue)

    def shutdown(self, cancel_futures: bool = True) -> None:
        """Stop taking work; queued calls are cancelled (the running one finishes)."""
        with self._ready:
            self._closed = True
            if cancel_futures:
                for _, _, future, _, _ in self._queue:
                    future.cancel()
                self._queue.clear()
            self._ready.notify_all()

    def _next(self) -> tuple[Future, Callable[..., Any], tuple[Any, ...]] | None:
        with self._ready:
            while not self._queue and not self._closed:
                self._ready.wait()
            if not self._queue:
                return None
            _, _, future, func, args = heapq.heappop(self._queue)
            return future, func, args

    def _run(self) -> None:
        if self._initializer is not None:
            self._initializer()
        while (job := self._next()) is not None:
            future, func, args = job
            if not future.set_running_or_notify_cancel():
                continue
            try:
                result = func(*args)
            except BaseException as exc:  # noqa: BLE001 - handed to the waiting caller
                future.set_exception(exc)
            else:
                future.set_result(result)
