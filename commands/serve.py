"""`procare serve`: the scoring API for CRM systems, and the demo's calls to it."""

from __future__ import annotations

import secrets
import shutil
from pathlib import Path

import typer

from commands.common import console, fail, frame_table


def serve(
    port: int = typer.Option(3000, min=1, max=65535, help="Port to listen on."),
    host: str = typer.Option("0.0.0.0", help="Interface to bind."),
    workers: int = typer.Option(1, min=1, max=16, help="Worker processes."),
) -> None:
    """Start the scoring API (BentoML) for CRM systems; configure with PROCARE_* variables.

    PROCARE_API_KEY is required unless PROCARE_DEV_MODE=1; the champions come from the MLflow
    registry (MLFLOW_TRACKING_URI), the scores and snapshots from data/ (PROCARE_SCORES_DIR,
    PROCARE_FEATURES_DIR, PROCARE_RAW_DIR); contacts received live are shared by the workers
    through data/live (PROCARE_LIVE_DIR). Each worker loads the models and tables: on two cores,
    --workers 2 doubles the throughput of id lookups.
    """
    from pydantic import ValidationError

    from serving.api.server import serve as run_server
    from serving.api.settings import ServingSettings

    try:
        settings = ServingSettings.from_env()
    except ValidationError as exc:
        fail(f"invalid service settings: {exc}", code=2)
    raise typer.Exit(run_server(settings, port=port, host=host, workers=workers))


def serving_demo(workdir: Path) -> None:
    import pandas as pd

    from serving.api.client_demo import outreach_rows, run_demo
    from serving.api.settings import ServingSettings

    settings = ServingSettings(
        api_key=secrets.token_urlsafe(24),
        features_dir=workdir / "features",
        raw_dir=workdir / "raw",
        scores_dir=workdir / "scores",
        live_dir=workdir / "live",
    )
    shutil.rmtree(workdir / "live", ignore_errors=True)
    result = run_demo(settings, capacity=10, customers=3)
    console.print(f"service ready at {result.base_url} after {result.ready_seconds:.0f} s")
    console.print(
        f"without the API key: HTTP {result.unauthorized_status}; "
        f"models: {', '.join(f'{m} v{v}' for m, v in _model_versions(result.model_info))}"
    )
    console.print(frame_table("POST /outreach (capacity 10)", pd.DataFrame(outreach_rows(result))))
    scored = pd.DataFrame(
        [
            {
                "customer_id": item.get("customer_id"),
                "p_repeat_contact": item.get("p_repeat_contact"),
                "p_escalation": item.get("p_escalation"),
                "tier": item.get("risk_tier"),
                "action": (item.get("action") or {}).get("zh"),
                "top reason": (item.get("reasons") or [{}])[0].get("zh"),
            }
            for item in result.scores
        ]
    )
    console.print(frame_table("POST /score (by customer id)", scored))
    warning = result.event.get("early_warning", {})
    score = result.event.get("score", {})
    console.print(
        f"POST /events/contact (a Weibo complaint threatening 工信部): "
        f"flag={warning.get('flag')}, triggers={warning.get('triggers')}, "
        f"notify={warning.get('notify')}, new p_escalation={score.get('p_escalation', 0):.2f}"
    )


def _model_versions(model_info: dict) -> list[tuple[str, str]]:
    return [(m["name"], str(m["version"])) for m in model_info.get("models", [])]
