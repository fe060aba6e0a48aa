"""ASGI middleware guarding the API: the API key, JSON bodies only, the request size limit.

Open without the key: the health probes (``/livez``, ``/healthz``, ``/readyz``: orchestrators
call them without credentials), the OpenAPI spec (``/docs.json``, BentoML's ``/schema.json``:
client generators and gateways read them; they describe the API and hold no data), the root
page (the service's own, with no script) and, unless ``PROCARE_METRICS_OPEN=0``, Prometheus
``/metrics`` (its labels are a fixed set of routes and status codes). Everything else, unknown
paths and BentoML's static files included, needs the key.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from serving.api.settings import API_KEY_HEADER, ServingSettings

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

OPEN_PATHS = frozenset({"/", "/livez", "/healthz", "/readyz", "/docs.json", "/schema.json"})
METRICS_PATH = "/metrics"
_KEY_HEADER = API_KEY_HEADER.lower().encode("latin-1")


def is_open(path: str, metrics_open: bool = True) -> bool:
    """Whether a path is reachable without the API key."""
    return path in OPEN_PATHS or (metrics_open and path == METRICS_PATH)


async def send_json(
    send: Send, status: int, body: dict[str, Any], headers: list[tuple[bytes, bytes]] = ()
) -> None:
    """Answer with a JSON body."""
    payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode("latin-1")),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


def _too_large(limit: int, size: int | None = None) -> dict[str, Any]:
    told = f"{size} bytes" if size is not None else "more bytes"
    return {
        "error": f"request body of {told} exceeds the limit of {limit} bytes "
        "(PROCARE_MAX_REQUEST_BYTES); split the batch into smaller requests",
        "field": "body",
    }


JSON = b"application/json"


def _json_body(scope: Scope, media_type: bytes | None) -> bool:
    """Whether a request's body is declared JSON (a request that may carry a body must say so)."""
    if media_type is None:
        return scope.get("method", "GET") not in BODY_METHODS
    return media_type.split(b";")[0].strip().lower() == JSON


BODY_METHODS = ("POST", "PUT", "PATCH")
"""Methods whose requests carry a body, which must be sent as ``application/json``."""


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> bytes | None:
    return next((value for key, value in headers if key.lower() == name), None)


class ApiGuard:
    """Rejects requests without the right ``X-API-Key`` (401), with a body that is not JSON
    (415; BentoML would try other decoders and fail with a 500) or too large (413).

    Args:
        app: The wrapped ASGI app.
        settings: Service settings (default: read from the environment).
    """

    def __init__(self, app: ASGIApp, settings: ServingSettings | None = None) -> None:
        self.app = app
        self.settings = settings or ServingSettings.from_env()
        key = self.settings.api_key
        self._key = None if key is None else key.get_secret_value().encode("utf-8")

    def _authorized(self, headers: list[tuple[bytes, bytes]]) -> bool:
        if self._key is None:
            return True
        return hmac.compare_digest(_header(headers, _KEY_HEADER) or b"", self._key)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or is_open(scope["path"], self.settings.metrics_open):
            await self.app(scope, receive, send)
            return
        headers = scope.get("headers", [])
        if not self._authorized(headers):
            await send_json(
                send,
                401,
                {"error": f"missing or invalid API key (send it in the {API_KEY_HEADER} header)"},
                [(b"www-authenticate", API_KEY_HEADER.encode("latin-1"))],
            )
            return
        if not _json_body(scope, _header(headers, b"content-type")):
            await send_json(
                send,
                415,
                {"error": "send the request body as application/json", "field": "content-type"},
            )
            return
        limit = self.settings.max_request_bytes
        length = _header(headers, b"content-length")
        if length is not None:
            try:
                size = int(length)
            except ValueError:
                await send_json(send, 400, {"error": "invalid Content-Length", "field": "body"})
                return
            if size > limit:
                await send_json(send, 413, _too_large(limit, size))
                return
            await self.app(scope, receive, send)
            return
        await self._buffered(scope, receive, send, limit)

    async def _buffered(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        """Read a body of unknown length (chunked) up to the limit, then replay it to the app."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await send_json(send, 413, _too_large(limit))
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)
