"""`procare model`: registered models, their versions and promotion.

Each command reads an existing MLflow store: a tracking URI that names no store is refused
(a mistyped ``MLFLOW_TRACKING_URI`` would otherwise create an empty one and list nothing).
"""

from __future__ import annotations

import typer
from rich.table import Table

from commands.common import console, existing_tracking, fail

model_app = typer.Typer(help="Registered models: list, show, promote.", no_args_is_help=True)


@model_app.command("list")
def model_list(prefix: str = typer.Option("procare", help="Registered model name prefix.")) -> None:
    """Registered models with their latest version, aliases and champion score."""
    from training.registry import list_models

    settings = existing_tracking()
    table = Table(title="registered models")
    for column in ("name", "latest", "aliases", "metric", "champion score"):
        table.add_column(column)
    for model in list_models(prefix, settings):
        aliases = ", ".join(f"{a}→v{v}" for a, v in sorted(model.aliases.items()))
        score = "—" if model.champion_score is None else f"{model.champion_score:.4f}"
        table.add_row(model.name, model.latest_version or "—", aliases, model.metric or "—", score)
    console.print(table)


@model_app.command("show")
def model_show(name: str = typer.Argument(..., help="Registered model, e.g. procare-escalation.")):
    """Every version of a model with aliases, validation snapshot and metrics."""
    from mlflow.exceptions import MlflowException

    from training.registry import show_model

    settings = existing_tracking()
    try:
        versions = show_model(name, settings)
    except MlflowException as exc:
        fail(f"{name}: {exc.message}")
    table = Table(title=name)
    for column in ("version", "aliases", "created", "tags"):
        table.add_column(column)
    for info in versions:
        tags = ", ".join(f"{k}={v}" for k, v in sorted(info.tags.items()))
        table.add_row(info.version, ", ".join(info.aliases), info.created, tags)
    console.print(table)


@model_app.command("promote")
def model_promote(
    name: str = typer.Argument(..., help="Registered model, e.g. procare-escalation."),
    version: str = typer.Argument(..., help="Version number to promote."),
    force: bool = typer.Option(False, "--force", help="Promote even if it does not beat it."),
) -> None:
    """Make a version champion if it beats the champion on the same validation snapshot.

    Only a version whose training run FINISHED can be promoted, even with --force.
    """
    from mlflow.exceptions import MlflowException

    from training.registry import UnfinishedRunError, promote

    settings = existing_tracking()
    try:
        decision = promote(name, version, force=force, settings=settings)
    except MlflowException as exc:
        fail(f"{name} v{version}: {exc.message}")
    except UnfinishedRunError as exc:
        fail(str(exc))
    console.print(decision.reason)
    if not decision.promoted:
        raise typer.Exit(1)
