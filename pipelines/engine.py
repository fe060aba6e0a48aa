"""The engine seam: run one function over many buckets, here or on a Dask cluster.

A bucket task is a function of one item (a bucket number, usually) plus broadcast inputs that
every task shares (graph features, reference dates, a config). The ``local`` engine runs the
tasks one after another in this process, so peak memory is one bucket's; the ``dask`` engine
sends them to a ``distributed`` cluster (an existing scheduler, or a ``LocalCluster`` it starts)
with the broadcast inputs scattered once to every worker. Both yield ``(item, result)`` pairs as
tasks finish, so a caller can write each bucket's output and drop it. Another engine (Spark's
``applyInPandas``, say) needs only another class with the same ``map``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Literal, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict, Field

logger = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")


class EngineConfig(BaseModel):
    """Where bucket tasks run.

    Attributes:
        kind: ``local`` (this process, one bucket after another) or ``dask``.
        scheduler: Address of a running Dask scheduler (``tcp://host:8786``); when unset with
            ``kind="dask"``, a ``LocalCluster`` is started for the call and closed after it.
        workers: Worker processes of that ``LocalCluster``.
        threads_per_worker: Threads per worker (1: pandas/numpy tasks hold the GIL anyway).
        memory_limit: Memory limit per ``LocalCluster`` worker (Dask spills, then restarts a
            worker above it).
        retries: How often a failed task (a lost worker, say) is retried before the call fails.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["local", "dask"] = "local"
    scheduler: str | None = None
    workers: int = Field(2, ge=1, le=256)
    threads_per_worker: int = Field(1, ge=1, le=64)
    memory_limit: str = "4GB"
    retries: int = Field(2, ge=0, le=10)


class Engine(Protocol):
    """Runs a task over items; yields ``(item, result)`` as tasks finish."""

    def map(
        self, task: Callable[..., R], items: Sequence[T], **broadcast: Any
    ) -> Iterator[tuple[T, R]]: ...


class LocalEngine:
    """Tasks one after another in this process, in the order of ``items``."""

    def map(
        self, task: Callable[..., R], items: Sequence[T], **broadcast: Any
    ) -> Iterator[tuple[T, R]]:
        """Run ``task(item, **broadcast)`` for every item, lazily.

        Raises:
            BucketTaskError: When a task fails; names the item.
        """
        for item in items:
            try:
                result = task(item, **broadcast)
            except Exception as exc:
                raise BucketTaskError(item, exc) from exc
            yield item, result


class DaskEngine:
    """Tasks on a ``distributed`` cluster; broadcast inputs are scattered once to every worker.

    Args:
        client: A connected ``distributed.Client``.
        retries: Retries of a failed task (e.g. its worker died) before the call fails.
    """

    def __init__(self, client: Any, retries: int = 2) -> None:
        self.client = client
        self.retries = retries

    def _scatter(self, value: Any) -> Any:
        """Send one broadcast input to every worker as one object under a key of its own.

        Wrapped in a list so a dict or list is not scattered element by element; not hashed
        (``hash=False``), because a key shared with an earlier call's copy of the same value can
        be released by that call's clean-up after this call scattered it, cancelling its tasks.
        """
        return self.client.scatter([value], broadcast=True, hash=False)[0]

    def map(
        self, task: Callable[..., R], items: Sequence[T], **broadcast: Any
    ) -> Iterator[tuple[T, R]]:
        """Run ``task(item, **broadcast)`` for every item on the cluster, yielding as they end.

        Raises:
            BucketTaskError: When a task still fails after its retries; names the item.
        """
        from distributed import as_completed

        shared = {name: self._scatter(value) for name, value in broadcast.items()}
        futures = {
            self.client.submit(task, item, **shared, retries=self.retries, pure=False): item
            for item in items
        }
        try:
            for future in as_completed(futures):
                item = futures[future]
                try:
                    result = future.result()
                except Exception as exc:
                    raise BucketTaskError(item, exc) from exc
                future.release()
                yield item, result
        finally:
            for future in futures:
                future.cancel()


class BucketTaskError(RuntimeError):
    """A bucket task failed (after its retries): names the bucket and the cause."""

    def __init__(self, item: object, cause: BaseException) -> None:
        super().__init__(f"bucket {item}: {type(cause).__name__}: {cause}")
        self.item = item
        self.cause = cause


@contextmanager
def open_engine(config: EngineConfig | None = None) -> Iterator[Engine]:
    """The engine a config asks for, with its cluster connection closed afterwards.

    With ``kind="dask"`` and no scheduler address, a ``LocalCluster`` of ``workers`` processes
    is started for the duration of the block.
    """
    config = config or EngineConfig()
    if config.kind == "local":
        yield LocalEngine()
        return
    from distributed import Client, LocalCluster

    if config.scheduler:
        with Client(config.scheduler) as client:
            logger.info("dask scheduler %s", config.scheduler)
            yield DaskEngine(client, retries=config.retries)
        return
    with (
        LocalCluster(
            n_workers=config.workers,
            threads_per_worker=config.threads_per_worker,
            memory_limit=config.memory_limit,
            processes=True,
            dashboard_address=None,
        ) as cluster,
        Client(cluster) as client,
    ):
        logger.info("dask LocalCluster: %d workers", config.workers)
        yield DaskEngine(client, retries=config.retries)
