"""The demo's last act: start the service, call it like a CRM would, stop it.

``run_demo`` starts ``bentoml serve`` on a free loopback port with an API key, waits for
``/readyz``, fetches an outreach list, scores a few customers by id, pushes one contact event
(the textbook 0.1-yuan suspension complaint) and stops the server. Everything goes through real
HTTP with the ``X-API-Key`` header; the results come back for printing.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
from pydantic import SecretStr

from serving.api.server import running_server
from serving.api.settings import API_KEY_HEADER, ServingSettings

DEMO_COMPLAINT = (
    "我预存了一年宽带送的手机，就发了一条短信欠费0.1元，你们把宽带和手机全停了！"
    "今天再不给我恢复，我就去工信部投诉，还要发微博曝光！"
)


@dataclass(frozen=True)
class DemoResult:
    """What the demo got back from the service.

    Attributes:
        base_url: Where the server listened.
        ready_seconds: Start-up time until ``/readyz`` was 200.
        model_info: ``GET /model_info``.
        outreach: ``POST /outreach`` (``outreach`` and ``holdout`` lists).
        scores: ``POST /score`` results for the demo customers.
        event: ``POST /events/contact`` answer for the demo complaint.
        unauthorized_status: Status of a call without the API key (401).
    """

    base_url: str
    ready_seconds: float
    model_info: dict[str, Any]
    outreach: dict[str, Any]
    scores: list[dict[str, Any]]
    event: dict[str, Any]
    unauthorized_status: int


def _checked(response: httpx.Response) -> dict[str, Any]:
    response.raise_for_status()
    return response.json()


def demo_calls(
    client: httpx.Client,
    capacity: int = 10,
    customers: int = 3,
    customer_ids: list[str] | None = None,
    event_time: datetime | None = None,
) -> dict[str, Any]:
    """The CRM calls of the demo against a running service (client carries base URL and key).

    Args:
        client: HTTP client with ``base_url`` and the ``X-API-Key`` header set.
        capacity: Size of the outreach list.
        customers: How many customers to score when ``customer_ids`` is not given (the top
            of the outreach list).
        customer_ids: Customers to score.
        event_time: When the demo complaint happens (default: 10:00 the day after the served
            snapshot).

    Returns:
        ``model_info``, ``outreach``, ``scores``, ``event`` and ``unauthorized_status``.
    """
    info = _checked(client.get("/model_info"))
    outreach = _checked(client.post("/outreach", json={"capacity": capacity}))
    ids = customer_ids or [c["customer_id"] for c in outreach["outreach"][:customers]]
    if not ids:
        ranked = _checked(
            client.post("/outreach", json={"capacity": customers, "fill_capacity": True})
        )
        ids = [c["customer_id"] for c in ranked["outreach"]]
    scores = _checked(client.post("/score", json={"customer_ids": ids}))["results"]
    event_time = event_time or (
        datetime.fromisoformat(info["scores_as_of"]) + timedelta(days=1, hours=10)
    )
    event = _checked(
        client.post(
            "/events/contact",
            json={
                "customer_id": ids[0],
                "channel": "weibo",
                "category": "suspension",
                "text": DEMO_COMPLAINT,
                "ts": event_time.isoformat(),
            },
        )
    )
    unauthorized = httpx.post(
        f"{client.base_url}/score", json={"customer_ids": ids[:1]}, timeout=10
    ).status_code
    return {
        "model_info": info,
        "outreach": outreach,
        "scores": scores,
        "event": event,
        "unauthorized_status": unauthorized,
    }


def run_demo(
    settings: ServingSettings | None = None,
    capacity: int = 10,
    customers: int = 3,
    customer_ids: list[str] | None = None,
    port: int | None = None,
) -> DemoResult:
    """Start the service, make the demo calls over HTTP, stop the service.

    Args:
        settings: Where models, snapshots and scores are (default: environment and defaults);
            an API key is generated when none is set.
        capacity: Size of the outreach list.
        customers: Customers to score (top of the outreach list) unless ``customer_ids``.
        customer_ids: Customers to score.
        port: Port (default: a free loopback port).

    Returns:
        The answers, for printing.

    Raises:
        RuntimeError: If the server does not become ready (the message holds its log tail).
        httpx.HTTPStatusError: If a call fails.
    """
    if settings is None:
        settings = ServingSettings.from_env({"PROCARE_DEV_MODE": "1", **os.environ})
    if settings.api_key is None:
        settings = settings.model_copy(update={"api_key": SecretStr(secrets.token_urlsafe(18))})
    key = settings.api_key.get_secret_value()
    with running_server(settings, port=port) as server:
        headers = {API_KEY_HEADER: key}
        with httpx.Client(base_url=server.base_url, headers=headers, timeout=60) as client:
            answers = demo_calls(client, capacity, customers, customer_ids)
    return DemoResult(base_url=server.base_url, ready_seconds=server.ready_seconds, **answers)


def outreach_rows(result: DemoResult) -> list[dict[str, Any]]:
    """The outreach list as flat rows (rank, customer, team, action, scores, top reason)."""
    rows = []
    for position, customer in enumerate(result.outreach["outreach"], start=1):
        reasons = customer.get("reasons") or []
        rows.append(
            {
                "#": position,
                "customer_id": customer["customer_id"],
                "team": customer["team"],
                "action": customer["action"]["zh"],
                "p_repeat_contact": round(customer["p_repeat_contact"], 3),
                "p_escalation": round(customer["p_escalation"], 3),
                "net_value": round(customer["net_value"], 1),
                "top_reason": reasons[0]["zh"] if reasons else "",
            }
        )
    return rows
