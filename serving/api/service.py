"""The procare BentoML service: ``bentoml serve serving.api.service:ProcareService``.

Endpoints: ``POST /score``, ``POST /outreach``, ``POST /events/contact``, ``GET /model_info``;
BentoML adds ``/livez``, ``/readyz`` (not ready until the models and data are loaded in every
worker, see :mod:`serving.api.readiness`); the OpenAPI spec ``/docs.json`` (built from the
models, :mod:`serving.api.openapi`), Prometheus ``/metrics`` and the root page ``/`` are the
service's own (:mod:`serving.api.metrics`:
bounded labels; a page with no third-party script).

Models, the served snapshot, its batch scores and the raw tables load in the background when the
service starts, so the server answers health probes at once and ``/readyz`` turns 200 when
loading is done; the loaded objects are then frozen out of the garbage collector
(``gc.freeze``): millions of table cells otherwise make every full collection a pause of all
requests in flight. Model work runs on one dedicated thread with OpenMP limited to one thread:
LightGBM's default thread team costs far more than the prediction itself for a few rows, and
the event loop stays free for lookups and probes. That thread takes live events first, then
lookups that compute reasons, then bulk ``records`` scoring, which is cut into chunks
(:mod:`serving.api.model_thread`, :mod:`serving.api.bulk`).
"""

from __future__ import annotations

import asyncio
import gc
import inspect
import logging
from typing import Any

import anyio.to_thread
import bentoml
from fastapi import FastAPI
from pydantic_core import to_json
from starlette.responses import HTMLResponse, JSONResponse, Response

from serving.api import readiness
from serving.api.bulk import chunk_rows, chunks, lookup_chunk, score_record_chunk
from serving.api.errors import quiet_validation_errors
from serving.api.events import EventError, check_event_time, process_event
from serving.api.metrics import RequestMetrics, exposition
from serving.api.model_thread import ModelThread, Priority
from serving.api.openapi import api_spec
from serving.api.outreach import plan_response
from serving.api.records import RecordError
from serving.api.schemas import (
    ContactEvent,
    EventResponse,
    ModelInfoResponse,
    OutreachRequest,
    OutreachResponse,
    ScoreRequest,
    ScoreResponse,
)
from serving.api.security import ApiGuard
from serving.api.settings import ServingSettings
from serving.api.state import ServingState, load_state
from serving.api.warmup import warm_up

logger = logging.getLogger(__name__)

INLINE_LOOKUPS = 256
"""Lookups by id up to this many are answered on the event loop; larger ones in a thread (and
those computing reasons on the model thread)."""

info_app = FastAPI(
    title="procare model info", docs_url=None, redoc_url=None, openapi_url="/docs.json"
)

ROOT_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>procare scoring API</title></head>
<body><h1>procare scoring API</h1>
<p>Proactive-service scores for CRM systems. Send the API key in the <code>X-API-Key</code>
header to <code>POST /score</code>, <code>POST /outreach</code>,
<code>POST /events/contact</code> and <code>GET /model_info</code>.</p>
<p>OpenAPI specification: <a href="docs.json">/docs.json</a>. Probes: <code>/livez</code>,
<code>/readyz</code>. Prometheus: <code>/metrics</code>.</p></body></html>
"""
ROOT_PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; base-uri 'none'; form-action 'none'",
    "X-Content-Type-Options": "nosniff",
}


@info_app.get("/", include_in_schema=False)
def root_page() -> HTMLResponse:
    """The root page: what the service is and where its spec is; no script at all (BentoML's
    own page loads a third-party tag manager)."""
    return HTMLResponse(ROOT_PAGE, headers=ROOT_PAGE_HEADERS)


@info_app.get("/metrics", include_in_schema=False)
async def metrics_page() -> Response:
    """Prometheus metrics (every worker's), generated off the event loop."""
    content, media_type = await anyio.to_thread.run_sync(exposition)
    return Response(content, media_type=media_type)


def prepare_model_thread() -> None:
    """Set up the model thread: OpenMP (LightGBM) on one thread, and scikit-learn's per-call
    input checks off (the service builds the text model's inputs itself; the checks cost a
    quarter of a text-model call for one document)."""
    import sklearn
    import threadpoolctl

    threadpoolctl.threadpool_limits(limits=1, user_api="openmp")
    sklearn.set_config(assume_finite=True, skip_parameter_validation=True)


def _jsonable(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else str(value)


def json_response(payload: dict[str, Any]) -> Response:
    """A JSON response serialized straight from plain data (pydantic-core, no re-validation).

    The score payloads are built to the response models' shape; validating thousands of nested
    items again only to serialize them would cost more than the lookup itself.
    """
    return Response(to_json(payload, fallback=_jsonable), media_type="application/json")


def problem(status: int, message: str, field: str | None = None) -> JSONResponse:
    """An error response ``{"error": ..., "field": ...}``."""
    body: dict[str, Any] = {"error": message}
    if field is not None:
        body["field"] = field
    return JSONResponse(body, status_code=status)


UNTRACED_ROUTES = "/score,/outreach,/events/contact,/model_info"
"""API routes left out of OpenTelemetry tracing by default.

Without a trace exporter the spans (five per request) are pure cost: they more than doubled
the server's CPU time per single-id request. With an exporter configured, trace them again with
``BENTOML_CONFIG_OPTIONS="services.procare.tracing.excluded_urls=/metrics"``.
"""


@bentoml.service(
    name="procare",
    traffic={"timeout": 120},
    metrics={"enabled": False},
    tracing={"excluded_urls": UNTRACED_ROUTES},
    envs=[{"name": "OMP_NUM_THREADS", "value": "1"}],
)
@bentoml.asgi_app(info_app, path="/")
class ProcareService:
    """Proactive-service scores for CRM systems: repeat-contact and escalation risk, reason
    codes, recommended actions, capacity-limited outreach lists and real-time early warning.
    Send the API key in the `X-API-Key` header."""

    def __init__(self) -> None:
        self.settings = ServingSettings.from_env()
        quiet_validation_errors()
        self._state: ServingState | None = None
        self._load_error: str | None = None
        self._worker = int(bentoml.server_context.worker_index or 1)
        if self.settings.run_dir is not None:
            readiness.clear(self.settings.run_dir, self._worker)
        self._models = ModelThread(initializer=prepare_model_thread)
        self._models.submit(Priority.EVENT, self._load)

    def _load(self) -> None:
        try:
            state = load_state(self.settings)
            warm_up(state)
            gc.collect()
            gc.freeze()
            self._state = state
        except Exception as exc:
            self._load_error = f"{type(exc).__name__}: {exc}"
            logger.exception("procare service failed to load its models and data")
            if self.settings.run_dir is not None:
                readiness.mark_failed(self.settings.run_dir, self._worker, self._load_error)
            return
        if self.settings.run_dir is not None:
            readiness.mark_ready(self.settings.run_dir, self._worker)

    def __is_ready__(self) -> bool:
        if self._state is None:
            return False
        run_dir = self.settings.run_dir
        return run_dir is None or readiness.all_ready(run_dir, self.settings.workers)

    @bentoml.on_shutdown
    def _stop_models(self) -> None:
        self._models.shutdown(cancel_futures=True)
        if self.settings.run_dir is not None:
            readiness.clear(self.settings.run_dir, self._worker)

    def _unavailable(self) -> JSONResponse | None:
        if self._state is not None:
            return None
        if self._load_error is not None:
            return problem(503, f"the service could not load its models: {self._load_error}")
        return problem(503, "the service is still loading its models and data; retry shortly")

    async def _on_model_thread(self, priority: Priority, func: Any, *args: Any) -> Any:
        return await asyncio.wrap_future(self._models.submit(priority, func, *args))

    @bentoml.api(route="/score", output_spec=ScoreResponse)
    async def score(self, request: ScoreRequest, /) -> Response:
        """Score customers by id (batch scores of the served snapshot, with their reasons) or
        by feature records (scored live). Unknown ids get a per-item error."""
        if (unavailable := self._unavailable()) is not None:
            return unavailable
        state = self._state
        field = "customer_ids" if request.customer_ids is not None else "records"
        items = request.customer_ids if request.customer_ids is not None else request.records
        limit = self.settings.max_batch_size
        if len(items) > limit:
            return problem(
                413,
                f"{field} holds {len(items)} items; at most {limit} per request "
                "(PROCARE_MAX_BATCH_SIZE): split the batch",
                field,
            )
        if request.customer_ids is not None:
            if state.scores.needs_explaining(request.customer_ids):
                return await self._explained_lookup(state, request.customer_ids)
            if len(items) <= INLINE_LOOKUPS:
                return self._lookup(state, request.customer_ids)
            return await anyio.to_thread.run_sync(self._lookup, state, request.customer_ids)
        explain_limit = self.settings.live_explain_max_rows
        explain = request.explain if request.explain is not None else len(items) <= explain_limit
        if explain and len(items) > explain_limit:
            return problem(
                422,
                f"live reasons are limited to {explain_limit} records per request (TreeSHAP is "
                "costly); send explain=false, fewer records, or customer_ids to look up the "
                "snapshot's reasons",
                "explain",
            )
        return await self._score_records(state, request.records, explain)

    async def _explained_lookup(self, state: ServingState, customer_ids: list[str]) -> Response:
        """A lookup computing reasons on demand (TreeSHAP): on the model thread, never on the
        event loop; a few ids ahead of bulk scoring, many in chunks behind it."""
        size = chunk_rows(self.settings.bulk_chunk_rows, explain=True)
        priority = Priority.LOOKUP if len(customer_ids) <= size else Priority.BULK
        items: list[dict[str, Any]] = []
        for offset, part in chunks(customer_ids, size):
            items += await self._on_model_thread(priority, lookup_chunk, state, part, offset)
        return self._lookup(state, customer_ids, items)

    @staticmethod
    def _lookup(
        state: ServingState, customer_ids: list[str], items: list[dict[str, Any]] | None = None
    ) -> Response:
        items = state.scores.lookup(customer_ids) if items is None else items
        return json_response(
            {
                "as_of": state.scores.as_of,
                "model_versions": state.scores.versions,
                "explained": True,
                "count": len(items),
                "errors": sum(item["error"] is not None for item in items),
                "results": items,
            }
        )

    async def _score_records(
        self, state: ServingState, records: list[dict[str, Any]], explain: bool
    ) -> Response:
        """Records scored chunk by chunk on the model thread, behind live events."""
        size = chunk_rows(self.settings.bulk_chunk_rows, explain)
        items: list[dict[str, Any]] = []
        try:
            for offset, part in chunks(records, size):
                items += await self._on_model_thread(
                    Priority.BULK, score_record_chunk, state, part, explain, offset
                )
        except RecordError as exc:
            return problem(422, str(exc), exc.field)
        except ValueError as exc:
            return problem(422, f"records do not fit the models: {exc}", "records")
        return json_response(
            {
                "as_of": None,
                "model_versions": state.champions.versions,
                "explained": explain,
                "count": len(items),
                "errors": 0,
                "results": items,
            }
        )

    @bentoml.api(route="/outreach", output_spec=OutreachResponse)
    async def outreach(self, request: OutreachRequest, /) -> OutreachResponse | JSONResponse:
        """The customers to contact now, within capacity, ranked by expected value, with a
        seeded control group that must not be contacted (to measure the effect later)."""
        if (unavailable := self._unavailable()) is not None:
            return unavailable
        state = self._state
        if request.capacity > self.settings.max_batch_size:
            return problem(
                422,
                f"capacity {request.capacity} exceeds the limit of "
                f"{self.settings.max_batch_size} customers per list",
                "capacity",
            )
        try:
            table = state.scores_at(request.as_of)
        except FileNotFoundError:
            return problem(
                422,
                f"no batch scores for as_of {request.as_of}; the served snapshot is "
                f"{state.scores.as_of.isoformat()}",
                "as_of",
            )
        plan = await anyio.to_thread.run_sync(
            plan_response, table, request, self.settings.outreach_dir
        )
        return OutreachResponse.model_validate(plan)

    @bentoml.api(route="/events/contact", output_spec=EventResponse)
    async def contact_event(self, event: ContactEvent, /) -> EventResponse | JSONResponse:
        """A contact as it happens: applies the escalation early-warning rule (escalation
        words with negation handled, or 3+ channels in 30 days), rescores the customer with
        recomputed features and live reasons, and says who to notify."""
        if (unavailable := self._unavailable()) is not None:
            return unavailable
        try:
            check_event_time(self._state, event)
        except EventError as exc:
            return problem(422, exc.message, exc.field)
        result = await self._on_model_thread(Priority.EVENT, process_event, self._state, event)
        return EventResponse.model_validate(result)

    @info_app.get("/model_info", response_model=ModelInfoResponse)
    def model_info(self) -> ModelInfoResponse | JSONResponse:
        """Champion models (names, versions, aliases, training window, metrics) and the data
        the service answers with."""
        if (unavailable := self._unavailable()) is not None:
            return unavailable
        state = self._state
        return ModelInfoResponse.model_validate(
            {
                "models": state.models,
                "snapshot_as_of": state.snapshot_as_of,
                "scores_as_of": state.scores.as_of,
                "customers": len(state.scores),
                "scores_model_versions": state.scores.versions,
                "max_batch_size": self.settings.max_batch_size,
                "live_explain_max_rows": self.settings.live_explain_max_rows,
            }
        )


def openapi_spec() -> dict[str, Any]:
    """The spec served at ``/docs.json`` (:mod:`serving.api.openapi`; it replaces BentoML's)."""
    docs = {api.route: api.doc or "" for api in ProcareService.apis.values()}
    docs["/model_info"] = inspect.getdoc(ProcareService.inner.model_info) or ""
    return api_spec(inspect.getdoc(ProcareService.inner) or "", docs)


info_app.openapi = openapi_spec
ProcareService.add_asgi_middleware(RequestMetrics)
ProcareService.add_asgi_middleware(ApiGuard)
