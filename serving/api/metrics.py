"""Prometheus request metrics whose labels take a fixed set of values.

BentoML's own HTTP metrics label each request with its raw path: every path a client sends
(an id in a URL, a scanner's guesses, 401s included) becomes a permanent label set, so a
worker's memory and the ``/metrics`` page grow without bound and anyone reading the page sees
the paths. The service turns those off and counts requests here instead: a path that is not
one of the service's routes is counted as ``other``.

With several workers ``bentoml serve`` sets ``PROMETHEUS_MULTIPROC_DIR``; each worker then
writes its values there and ``/metrics`` adds up all workers.
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from dataclasses import dataclass
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

ROUTES = (
    "/",
    "/score",
    "/outreach",
    "/events/contact",
    "/model_info",
    "/livez",
    "/healthz",
    "/readyz",
    "/metrics",
    "/docs.json",
    "/schema.json",
)
"""Paths counted under their own label value."""

OTHER = "other"
"""Label value of every other path."""

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
NAMESPACE = "procare"


@dataclass(frozen=True)
class RequestCollectors:
    """The request metrics: count, duration and in progress per route (and status)."""

    registry: CollectorRegistry
    total: Counter
    duration: Histogram
    in_progress: Gauge


@functools.cache
def collectors() -> RequestCollectors:
    """The process's request metrics (created on first use, in their own registry)."""
    registry = CollectorRegistry(auto_describe=True)
    by_status = ["endpoint", "http_response_code"]
    return RequestCollectors(
        registry=registry,
        total=Counter(
            "request_total",
            "HTTP requests answered, by route (other: any other path) and status",
            by_status,
            namespace=NAMESPACE,
            registry=registry,
        ),
        duration=Histogram(
            "request_duration_seconds",
            "HTTP request duration in seconds, by route and status",
            by_status,
            namespace=NAMESPACE,
            registry=registry,
        ),
        in_progress=Gauge(
            "request_in_progress",
            "HTTP requests in progress, by route",
            ["endpoint"],
            namespace=NAMESPACE,
            registry=registry,
            multiprocess_mode="livesum",
        ),
    )


def route_label(path: str, routes: frozenset[str]) -> str:
    """The label value of a request path: the route itself, or :data:`OTHER`."""
    return path if path in routes else OTHER


def exposition() -> tuple[bytes, str]:
    """The metrics page (all workers when ``PROMETHEUS_MULTIPROC_DIR`` is set) and its type."""
    if os.environ.get(MULTIPROC_ENV):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(collectors().registry), CONTENT_TYPE_LATEST


class RequestMetrics:
    """ASGI middleware counting every HTTP request under a bounded route label.

    Args:
        app: The wrapped ASGI app.
        routes: Paths with a label of their own (default :data:`ROUTES`).
    """

    def __init__(self, app: ASGIApp, routes: Iterable[str] = ROUTES) -> None:
        self.app = app
        self.routes = frozenset(routes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        metrics = collectors()
        endpoint = route_label(scope.get("path", ""), self.routes)
        start = time.perf_counter()
        status = 500

        async def counted(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        with metrics.in_progress.labels(endpoint).track_inprogress():
            try:
                await self.app(scope, receive, counted)
            finally:
                code = str(status)
                metrics.total.labels(endpoint, code).inc()
                metrics.duration.labels(endpoint, code).observe(time.perf_counter() - start)
