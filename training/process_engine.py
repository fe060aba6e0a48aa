"""A local engine that runs tasks in worker processes of this machine (the pieces of ``train``)."""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from typing import Any

import psutil

from pipelines.engine import BucketTaskError, Engine, LocalEngine

logger = logging.getLogger(__name__)

_SHARED: dict[str, Any] = {}
"""The task and broadcast inputs of the :class:`ProcessEngine` call a worker process serves."""


def _load_shared(payload: bytes, driver: int) -> None:
    import cloudpickle

    threading.Thread(target=_exit_with, args=(driver,), daemon=True).start()
    _SHARED["call"] = cloudpickle.loads(payload)


def _exit_with(driver: int, interval: float = 0.5) -> None:
    """End this worker once the process that started the pool is gone.

    A driver killed by the OOM killer or ``kill -9`` cannot shut its pool down, and the
    workers' parent is the fork server, not the driver: at 1M customers two such orphans kept
    4 GB each until killed by hand.
    """
    while True:
        time.sleep(interval)
        try:
            os.kill(driver, 0)
        except ProcessLookupError:
            os._exit(1)
        except PermissionError:
            continue


def _run_shared(item: Any) -> Any:
    task, broadcast = _SHARED["call"]
    return task(item, **broadcast)


class ProcessEngine:
    """The local engine's pieces in ``processes`` worker processes of this machine, in parallel.

    Workers are forked from a clean fork server (``multiprocessing``'s ``forkserver``), never
    from this process: a process forked after its parent ran a multi-threaded OpenMP region
    (LightGBM, when the caller predicted with several threads before) hangs in its first
    OpenMP region. The task and broadcast inputs are pickled once (``cloudpickle``) and loaded
    once per worker; each item and its result cross a pipe. Every piece of ``train`` is seeded,
    single-threaded and pins its BLAS threads (:func:`same_blas`), so the
    results equal those of :class:`LocalEngine`. Without ``forkserver`` (Windows), with one
    process or one item, the pieces run in this process. As with any ``multiprocessing`` start
    method but ``fork`` (and Dask's ``LocalCluster``), workers import the main module: a script
    that trains must keep its top-level code under ``if __name__ == "__main__":`` (or set
    ``processes: 1``).

    Args:
        processes: Worker processes.
    """

    def __init__(self, processes: int) -> None:
        self.processes = processes

    def map(
        self, task: Callable[..., Any], items: Sequence[Any], **broadcast: Any
    ) -> Iterator[tuple[Any, Any]]:
        """Run ``task(item, **broadcast)`` for every item; yield ``(item, result)`` as they end.

        Raises:
            BucketTaskError: When a task fails; names the item.
        """
        import cloudpickle

        items = list(items)
        workers = min(self.processes, len(items))
        if workers < 2 or "forkserver" not in multiprocessing.get_all_start_methods():
            yield from LocalEngine().map(task, items, **broadcast)
            return
        payload = cloudpickle.dumps((task, broadcast), protocol=5)
        affordable = affordable_workers(workers, len(payload))
        if affordable < workers:
            logger.warning(
                "pieces run in %d process(es) instead of %d: each worker would hold a copy of "
                "the %.1f GB of inputs (about %dx that at its peak) and %.1f GB are available",
                affordable,
                workers,
                len(payload) / 1e9,
                WORKER_MEMORY_FACTOR,
                psutil.virtual_memory().available / 1e9,
            )
            workers = affordable
        if workers < 2:
            del payload
            yield from LocalEngine().map(task, items, **broadcast)
            return
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        pool = ProcessPoolExecutor(
            workers,
            mp_context=context,
            initializer=_load_shared,
            initargs=(payload, os.getpid()),
        )
        del payload
        finished = False
        try:
            futures = {pool.submit(_run_shared, item): item for item in items}
            for future in as_completed(futures):
                item = futures[future]
                try:
                    result = future.result()
                except Exception as exc:
                    raise BucketTaskError(item, exc) from exc
                yield item, result
            finished = True
        finally:
            if not finished:
                for process in list((getattr(pool, "_processes", None) or {}).values()):
                    process.terminate()
            pool.shutdown(wait=finished, cancel_futures=True)


WORKER_MEMORY_FACTOR = 4
"""Peak memory of a worker process over its pickled inputs: at 1M customers a text-model worker
given 1.23 GB of inputs peaked at 4.6 GB (the unpickled arrays, documents as Python strings, and
a fold's TF-IDF matrices)."""


def affordable_workers(wanted: int, payload_bytes: int, available: int | None = None) -> int:
    """How many of ``wanted`` workers fit in memory, each holding its own copy of the inputs.

    Args:
        wanted: Worker processes asked for.
        payload_bytes: Size of the pickled task and inputs each worker loads.
        available: Memory available now (default: the operating system's figure).

    Returns:
        At least 1 (then the pieces run in this process, which already holds the inputs).
    """
    if available is None:
        available = psutil.virtual_memory().available
    per_worker = max(WORKER_MEMORY_FACTOR * payload_bytes, 1)
    return max(1, min(wanted, available // per_worker))


def piece_engine(engine: Engine | None, processes: int) -> Engine:
    """The engine the pieces of a ``train`` call run on.

    A Dask (or other) engine is kept; the local engine becomes a :class:`ProcessEngine` of
    ``processes`` processes (0: one per CPU core), or stays in this process with 1.
    """
    if engine is not None and not isinstance(engine, LocalEngine):
        return engine
    processes = processes or _cpus()
    return ProcessEngine(processes) if processes > 1 else LocalEngine()


def _cpus() -> int:
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity else os.cpu_count() or 1


PIECE_BLAS_THREADS = 1
"""BLAS threads of every training piece, wherever it runs. The pieces already fill the cores one
process each; BLAS threads inside them oversubscribe the cores: the text model's phase at 100k
took 112 s with two BLAS threads per worker and 63 s with one (two workers on two cores). A fixed
count also keeps a piece's result independent of the process it runs in."""


@contextmanager
def same_blas(threads: int | None) -> Iterator[None]:
    """Run with ``threads`` BLAS threads (:data:`PIECE_BLAS_THREADS`), wherever the task runs.

    A BLAS dot product sums in an order that depends on its thread count: liblinear's solver
    (the text model's logistic regression) gave coefficients 1e-9 apart with one thread and
    with two, and Dask workers start with one (``OPENBLAS_NUM_THREADS=1``). Pinning the count
    makes a piece's result independent of the process it runs in.
    """
    if threads is None:
        yield
        return
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=threads, user_api="blas"):
        yield
