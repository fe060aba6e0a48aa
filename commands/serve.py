"""`procare serve`: the scoring API for CRM systems, and the demo's calls to it."""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from commands.common import WORKDIR_HELP, console, fail, frame_table

if TYPE_CHECKING:
    from pipelines.catalog import DataLayout


def serve(
    port: int = typer.Option(3000, min=1, max=65535, help="Port to listen on."),
    host: str = typer.Option("0.0.0.0", help="Interface to bind."),
    workers: int = typer.Option(1, min=1, max=16, help="Worker processes."),
    workdir: Path | None = typer.Option(
        None, "--workdir", show_default="PROCARE_WORKDIR or data", help=WORKDIR_HELP
    ),
) -> None:
    """Start the scoring API (BentoML) for CRM systems; configure with PROCARE_* variables.

    PROCARE_API_KEY is required unless PROCARE_DEV_MODE=1; the champions come from the MLflow
    registry (MLFLOW_TRACKING_URI), the scores and snapshots from the data folder (--workdir or
    PROCARE_WORKDIR, default data/; each folder overridable with PROCARE_SCORES_DIR,
    PROCARE_FEATURES_DIR, PROCARE_RAW_DIR); contacts received live are shared by the workers
    through <workdir>/live (PROCARE_LIVE_DIR). Each worker loads the models and tables: on two
    cores, --workers 2 doubles the throughput of id lookups; /readyz is 200 once all are ready.
    Exits 1 when nothing was scored or the models cannot be loaded; SIGTERM or Ctrl-C stop the
    server and the command exits when it has stopped.
    """
    from pydantic import ValidationError

    from serving.api.server import ServerStartError
    from serving.api.server import serve as run_server
    from serving.api.settings import ENV_VARS, ServingSettings

    environ = dict(os.environ)
    if workdir is not None:
        environ[ENV_VARS["workdir"]] = str(workdir)
    try:
        settings = ServingSettings.from_env(environ)
    except ValidationError as exc:
        fail(f"invalid service settings: {exc}", code=2)
    try:
        code = run_server(settings, port=port, host=host, workers=workers)
    except ServerStartError as exc:
        fail(str(exc), code=1)
    raise typer.Exit(code)


def serving_demo(layout: DataLayout) -> None:
    import pandas as pd

    from serving.api.client_demo import outreach_rows, run_demo
    from serving.api.settings import ServingSettings
    from training.tracking import TrackingSettings

    settings = ServingSettings(
        api_key=secrets.token_urlsafe(24),
        tracking_uri=TrackingSettings.from_env().tracking_uri,
        workdir=layout.workdir,
        features_dir=layout.features_dir,
        raw_dir=layout.raw_dir,
        scores_dir=layout.scores_dir,
        live_dir=layout.live_dir,
    )
    shutil.rmtree(layout.live_dir, ignore_errors=True)
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
