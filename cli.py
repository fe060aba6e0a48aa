"""procare command line: generate or ingest data, build features, train, promote, serve.

Commands parse arguments, build a config and call one library function; nothing else happens
here. Heavy libraries are imported inside commands so ``procare --help`` stays fast.
"""

from __future__ import annotations

import logging
import secrets
import shutil
import sys
import warnings
from datetime import date
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.table import Table

app = typer.Typer(
    help="procare: find the customers who will call again or escalate, before they do.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
data_app = typer.Typer(help="Generate, validate and ingest operator data.", no_args_is_help=True)
app.add_typer(data_app, name="data")
features_app = typer.Typer(help="Build point-in-time feature snapshots.", no_args_is_help=True)
app.add_typer(features_app, name="features")
model_app = typer.Typer(help="Registered models: list, show, promote.", no_args_is_help=True)
app.add_typer(model_app, name="model")
outreach_app = typer.Typer(
    help="Proactive outreach: today's list, backtest, simulated effect, social warning.",
    no_args_is_help=True,
)
app.add_typer(outreach_app, name="outreach")

console = Console(width=None if sys.stdout.isatty() else 140)
err_console = Console(stderr=True, width=None if sys.stderr.isatty() else 140)

DEFAULT_WORLD_DIR = Path("data/world")
DEFAULT_RAW_DIR = Path("data/raw")
DEFAULT_FEATURES_DIR = Path("data/features")
DEMO_SNAPSHOTS = ("2026-06-30", "2026-07-31", "2026-08-31", "2026-09-30")
DEMO_TODAY = "2026-10-31"
DEFAULT_SCORES_DIR = Path("data/scores")
TARGET_CHOICES = ("repeat_contact", "escalation", "all")
FAMILY_COLUMNS = (
    "model",
    "roc_auc",
    "pr_auc",
    "brier",
    "recall_at_1pct",
    "recall_at_5pct",
    "recall_at_10pct",
    "lift_at_5pct",
    "oracle_ratio_roc_auc",
    "oracle_ratio_pr_auc",
)
ABLATION_COLUMNS = (
    "arm",
    "features",
    "roc_auc",
    "pr_auc",
    "brier",
    "recall_at_5pct",
    "lift_at_5pct",
    "oracle_ratio_roc_auc",
)


def _package_version() -> str:
    try:
        return version("procare")
    except PackageNotFoundError:
        return "0+unknown"


def _version_callback(value: bool) -> None:
    if value:
        console.print(f"procare {_package_version()}")
        raise typer.Exit()


def _configure_logging(verbosity: int) -> None:
    level = {0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG)
    logging.basicConfig(
        level=level,
        format="%(message)s",
        handlers=[RichHandler(console=err_console, show_path=verbosity > 1)],
        force=True,
    )


@app.callback()
def main(
    verbose: int = typer.Option(
        0, "--verbose", "-v", count=True, help="More log output: -v info, -vv debug."
    ),
    show_version: bool = typer.Option(
        False, "--version", callback=_version_callback, is_eager=True, help="Show the version."
    ),
) -> None:
    """procare: proactive-service prediction for telecom contact centers."""
    _configure_logging(verbose)
    if verbose == 0:
        warnings.filterwarnings("ignore", category=UserWarning, module="mlflow")
        warnings.filterwarnings("ignore", category=FutureWarning)
        logging.getLogger("mlflow").setLevel(logging.ERROR)


def _fail(message: str, code: int = 1) -> None:
    err_console.print(f"[bold red]error:[/] {message}")
    raise typer.Exit(code)


def _rows_table(title: str, rows: dict[str, int]) -> Table:
    table = Table(title=title)
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, count in rows.items():
        table.add_row(name, f"{count:,}")
    return table


@data_app.command("generate")
def data_generate(
    customers: int = typer.Option(5000, min=10, help="Number of customers in the world."),
    months: int = typer.Option(12, min=2, max=60, help="Number of simulated months."),
    seed: int = typer.Option(7, help="Random seed; the same seed gives the same world."),
    start: str = typer.Option("2025-11-01", help="First simulated month (YYYY-MM-DD)."),
    out: Path = typer.Option(DEFAULT_WORLD_DIR, help="Folder to write the world's tables to."),
) -> None:
    """Generate a synthetic telecom world (the embedded default data) as contract tables."""
    from pipelines.synthetic.config import WorldConfig
    from pipelines.synthetic.world import generate_world, save_world

    try:
        config = WorldConfig(
            customers=customers, months=months, seed=seed, start=date.fromisoformat(start)
        )
    except ValueError as exc:
        _fail(str(exc), code=2)
    world = generate_world(config, progress=True)
    save_world(world, out)
    rows = {name: len(frame) for name, frame in world.tables().items()}
    console.print(_rows_table(f"synthetic world → {out}", rows))


def _run_ingest(source_dir: Path, raw_dir: Path, write: bool) -> None:
    from pipelines.ingest import IngestConfig, ingest, validate_source
    from pipelines.readers import SourceError
    from pipelines.violations import ContractError

    config = IngestConfig(source_dir=source_dir, raw_dir=raw_dir)
    try:
        report = ingest(config) if write else validate_source(config)
    except (ContractError, SourceError) as exc:
        _fail(str(exc))
    verb = f"ingested → {raw_dir}" if write else "valid"
    console.print(_rows_table(f"{source_dir}: {verb}", report.rows))
    console.print(f"data end: {report.data_end}   fingerprint: {report.fingerprint}")


@data_app.command("validate")
def data_validate(
    source_dir: Path = typer.Argument(..., help="Folder with one CSV or Parquet file per table."),
) -> None:
    """Check an export against the data contract; writes nothing."""
    _run_ingest(source_dir, DEFAULT_RAW_DIR, write=False)


@data_app.command("ingest")
def data_ingest(
    source_dir: Path = typer.Argument(..., help="Folder with one CSV or Parquet file per table."),
    raw_dir: Path = typer.Option(DEFAULT_RAW_DIR, help="Where to write the validated tables."),
) -> None:
    """Validate an export and write data/raw/<table>.parquet atomically (all or nothing)."""
    _run_ingest(source_dir, raw_dir, write=True)


def _parse_dates(values: list[str], option: str) -> list[date]:
    try:
        return [date.fromisoformat(value) for value in values]
    except ValueError as exc:
        _fail(f"{option}: {exc} (expected YYYY-MM-DD)", code=2)


@features_app.command("build")
def features_build(
    as_of: list[str] = typer.Option(
        ..., "--as-of", help="Snapshot date YYYY-MM-DD; repeat for several snapshots."
    ),
    horizon: int = typer.Option(30, min=1, max=365, help="Label horizon in days."),
    raw_dir: Path = typer.Option(DEFAULT_RAW_DIR, help="Ingested tables (procare data ingest)."),
    features_dir: Path = typer.Option(DEFAULT_FEATURES_DIR, help="Where to write snapshots."),
) -> None:
    """Build one feature table per snapshot (labels too when the horizon lies in the data)."""
    from features.assemble import FeatureConfig
    from features.labels import LabelConfig
    from pipelines.snapshot import SnapshotConfig, build_snapshots

    config = SnapshotConfig(
        as_of=_parse_dates(as_of, "--as-of"),
        raw_dir=raw_dir,
        features_dir=features_dir,
        features=FeatureConfig(labels=LabelConfig(horizon_days=horizon)),
    )
    try:
        results = build_snapshots(config, progress=True)
    except FileNotFoundError as exc:
        _fail(str(exc))
    table = Table(title=f"feature snapshots → {features_dir}")
    for column in ("as_of", "customers", "features", "repeat_contact", "escalation"):
        table.add_column(column, justify="right")
    for result in results:
        rates = result.label_rates or {}
        table.add_row(
            result.as_of.isoformat(),
            f"{result.rows:,}",
            str(result.features),
            f"{rates['repeat_contact']:.1%}" if rates else "—",
            f"{rates['escalation']:.1%}" if rates else "—",
        )
    console.print(table)


@features_app.command("list")
def features_list(
    family: str | None = typer.Option(
        None, help="Only one family: structured, text, identity or graph."
    ),
    lang: str = typer.Option("en", help="Description language: en or zh."),
) -> None:
    """Print the feature registry: every feature with its family, dtype and description."""
    from features.catalog import all_features

    table = Table(title="procare feature registry")
    for column in ("name", "family", "dtype", "description"):
        table.add_column(column)
    specs = [s for s in all_features() if family is None or s.family == family]
    if not specs:
        _fail(f"--family {family!r}: no such family (structured, text, identity, graph)", code=2)
    for spec in specs:
        description = spec.description_zh if lang == "zh" else spec.description_en
        table.add_row(spec.name, spec.family, spec.dtype, description)
    console.print(table)
    console.print(f"{len(specs)} features")


def _frame_table(title: str, frame, float_format: str = "{:.3f}") -> Table:
    table = Table(title=title)
    for column in frame.columns:
        table.add_column(str(column), justify="left" if frame[column].dtype == object else "right")
    for _, row in frame.iterrows():
        cells = []
        for value in row:
            if isinstance(value, float):
                cells.append("—" if value != value else float_format.format(value))
            else:
                cells.append("—" if value is None else str(value))
        table.add_row(*cells)
    return table


@app.command()
def train(
    target: str = typer.Option("all", help="repeat_contact, escalation or all."),
    train_as_of: list[str] = typer.Option(
        None, "--train-as-of", help="Training snapshot (repeat); default: all before validation."
    ),
    valid_as_of: str | None = typer.Option(
        None, "--valid-as-of", help="Out-of-time validation snapshot; default: the latest."
    ),
    config_file: Path | None = typer.Option(
        None, "--config", exists=True, dir_okay=False, help="YAML TrainConfig file."
    ),
    features_dir: Path = typer.Option(DEFAULT_FEATURES_DIR, help="Feature snapshots."),
    world_dir: Path = typer.Option(DEFAULT_WORLD_DIR, help="Synthetic world (for the oracle)."),
    raw_dir: Path = typer.Option(DEFAULT_RAW_DIR, help="Ingested tables (for the fingerprint)."),
    baselines: bool = typer.Option(True, help="Train the baseline model families too."),
    ablation: bool = typer.Option(True, help="Run the feature-family ablation."),
) -> None:
    """Train, evaluate out of time, log to MLflow and register one model per target."""
    from pydantic import ValidationError

    from training.config import TrainConfig
    from training.train import train as run_training

    if target not in TARGET_CHOICES:
        _fail(f"--target {target!r}: choose one of {', '.join(TARGET_CHOICES)}", code=2)
    overrides = {
        "targets": ["repeat_contact", "escalation"] if target == "all" else [target],
        "features_dir": features_dir,
        "world_dir": world_dir,
        "raw_dir": raw_dir,
        "baselines": baselines,
        "ablation": ablation,
    }
    if train_as_of:
        overrides["train_as_of"] = _parse_dates(train_as_of, "--train-as-of")
    if valid_as_of:
        overrides["valid_as_of"] = _parse_dates([valid_as_of], "--valid-as-of")[0]
    try:
        base = TrainConfig.from_yaml(config_file) if config_file else TrainConfig()
        config = TrainConfig.model_validate({**base.model_dump(), **overrides})
    except (ValidationError, ValueError) as exc:
        _fail(f"invalid training config: {exc}", code=2)
    try:
        result = run_training(config, progress=True)
    except (FileNotFoundError, ValueError) as exc:
        _fail(str(exc))
    summary = result.summary()
    console.print(_frame_table("validation (out of time, LightGBM calibrated)", summary))
    for name, outcome in result.targets.items():
        families = outcome.comparison[[c for c in FAMILY_COLUMNS if c in outcome.comparison]]
        console.print(_frame_table(f"{name}: model families", families))
        if outcome.ablation is not None:
            arms = outcome.ablation[[c for c in ABLATION_COLUMNS if c in outcome.ablation]]
            console.print(_frame_table(f"{name}: feature-family ablation", arms))
        if outcome.decision is not None:
            verdict = "champion" if outcome.decision.promoted else outcome.decision.alias
            console.print(
                f"[bold]{name}[/]: v{outcome.decision.version} → {verdict} "
                f"({outcome.decision.reason})"
            )
    console.print(f"review the runs: [bold]{result.ui_command()}[/]")


@model_app.command("list")
def model_list(prefix: str = typer.Option("procare", help="Registered model name prefix.")) -> None:
    """Registered models with their latest version, aliases and champion score."""
    from training.registry import list_models

    table = Table(title="registered models")
    for column in ("name", "latest", "aliases", "metric", "champion score"):
        table.add_column(column)
    for model in list_models(prefix):
        aliases = ", ".join(f"{a}→v{v}" for a, v in sorted(model.aliases.items()))
        score = "—" if model.champion_score is None else f"{model.champion_score:.4f}"
        table.add_row(model.name, model.latest_version or "—", aliases, model.metric or "—", score)
    console.print(table)


@model_app.command("show")
def model_show(name: str = typer.Argument(..., help="Registered model, e.g. procare-escalation.")):
    """Every version of a model with aliases, validation snapshot and metrics."""
    from mlflow.exceptions import MlflowException

    from training.registry import show_model

    try:
        versions = show_model(name)
    except MlflowException as exc:
        _fail(f"{name}: {exc.message}")
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
    """Make a version champion if it beats the champion on the same validation snapshot."""
    from mlflow.exceptions import MlflowException

    from training.registry import promote

    try:
        decision = promote(name, version, force=force)
    except MlflowException as exc:
        _fail(f"{name} v{version}: {exc.message}")
    console.print(decision.reason)
    if not decision.promoted:
        raise typer.Exit(1)


@app.command()
def score(
    as_of: str | None = typer.Option(None, "--as-of", help="Snapshot; default: the latest."),
    features_dir: Path = typer.Option(DEFAULT_FEATURES_DIR, help="Feature snapshots."),
    scores_dir: Path = typer.Option(DEFAULT_SCORES_DIR, help="Where to write the scores."),
) -> None:
    """Score a whole snapshot with the champion models (reasons included) for lookups."""
    from serving.scoring.batch import BatchScoreConfig, score_snapshot

    config = BatchScoreConfig(
        as_of=_parse_dates([as_of], "--as-of")[0] if as_of else None,
        features_dir=features_dir,
        scores_dir=scores_dir,
    )
    try:
        path, count = score_snapshot(config)
    except (FileNotFoundError, LookupError) as exc:
        _fail(str(exc))
    console.print(f"scored {count:,} customers → {path}")


BACKTEST_COLUMNS = (
    "capacity",
    "policy",
    "contacted",
    "repeat_precision",
    "repeat_recall",
    "escalation_precision",
    "escalation_recall",
    "repeat_captured_volume",
)


def _plan_preview(plan, rows: int) -> Table:
    table = Table(title=f"outreach list (first {rows} to contact)")
    for column in ("customer", "team", "action", "p_repeat", "p_escalation", "top reason"):
        table.add_column(column)
    contacted = plan.loc[plan["group"] == "outreach"].sort_values("net_value", ascending=False)
    for customer_id, row in contacted.head(rows).iterrows():
        reasons = row["reasons"]
        reason = reasons[0]["zh"] if isinstance(reasons, list) and reasons else "—"
        table.add_row(
            str(customer_id),
            row["team"],
            row["action_zh"],
            f"{row['p_repeat_contact']:.2f}",
            f"{row['p_escalation']:.2f}",
            reason,
        )
    return table


@outreach_app.command("plan")
def outreach_plan(
    as_of: str | None = typer.Option(None, "--as-of", help="Snapshot; default: latest scored."),
    capacity: int | None = typer.Option(
        None, min=0, help="Total cases today (split over agents, supervisors, crisis team)."
    ),
    show: int = typer.Option(10, min=0, help="Rows of the list to print."),
) -> None:
    """Choose today's outreach list (with a seeded holdout) and write CSV + Parquet."""
    from outreach.commands import PlanCommandConfig, plan_command

    config = PlanCommandConfig(
        as_of=_parse_dates([as_of], "--as-of")[0] if as_of else None, capacity=capacity
    )
    try:
        result = plan_command(config)
    except (FileNotFoundError, LookupError) as exc:
        _fail(str(exc))
    console.print(
        _frame_table(f"plan {result.as_of}: customers per team", result.counts.reset_index())
    )
    if show:
        console.print(_plan_preview(result.plan, show))
    for kind, path in result.paths.items():
        console.print(f"{kind}: {path}")


@outreach_app.command("backtest")
def outreach_backtest(
    as_of: str | None = typer.Option(
        None, "--as-of", help="Snapshot with realized labels, after the training data."
    ),
) -> None:
    """Compare the model policy with the rule, most-contacts and random lists on realized labels."""
    from outreach.commands import BacktestCommandConfig, backtest_command

    config = BacktestCommandConfig(as_of=_parse_dates([as_of], "--as-of")[0] if as_of else None)
    try:
        result = backtest_command(config)
    except (FileNotFoundError, LookupError, ValueError) as exc:
        _fail(str(exc))
    wide = result.wide[[c for c in BACKTEST_COLUMNS if c in result.wide]]
    console.print(_frame_table(f"backtest on {result.as_of} (share of the base)", wide))


@outreach_app.command("simulate")
def outreach_simulate(
    effect: float = typer.Option(
        0.3, min=0, max=1, help="ASSUMED relative drop of a contacted customer's contacts."
    ),
    customers: int = typer.Option(10_000, min=500, help="Customers of each simulated world."),
    seeds: int = typer.Option(5, min=1, max=50, help="Worlds (seeds) for the intervals."),
) -> None:
    """Run the synthetic world forward with outreach applied; measure the realized change."""
    from outreach.commands import SimulateCommandConfig, simulate_command
    from outreach.simulate import SimulationConfig
    from pipelines.synthetic.config import WorldConfig

    simulation = SimulationConfig(
        effect=effect,
        seeds=tuple(range(101, 101 + seeds)),
        world=WorldConfig(customers=customers, months=12),
    )
    result = simulate_command(SimulateCommandConfig(simulation=simulation))
    title = (
        f"simulated effect of outreach ({customers:,} customers x {seeds} seeds; "
        f"ASSUMED effect: contacted customers make {effect:.0%} fewer inbound contacts)"
    )
    console.print(_frame_table(title, result.effects))


@outreach_app.command("social")
def outreach_social(
    as_of: str | None = typer.Option(None, "--as-of", help="Day; default: latest snapshot."),
    days: int = typer.Option(7, min=1, max=90, help="Posts of the last N days."),
) -> None:
    """Score recent brand posts for escalation risk and reach; route to care or crisis team."""
    from outreach.commands import SocialCommandConfig, social_command

    config = SocialCommandConfig(
        as_of=_parse_dates([as_of], "--as-of")[0] if as_of else None, days=days
    )
    try:
        result = social_command(config)
    except FileNotFoundError as exc:
        _fail(str(exc))
    routes = result.warnings.groupby("route").size().rename("posts").reset_index()
    console.print(_frame_table(f"brand posts {result.as_of} (last {days} days)", routes))
    for kind, path in result.paths.items():
        console.print(f"{kind}: {path}")


@app.command()
def report(
    as_of: str | None = typer.Option(None, "--as-of", help="Day of the list; default: latest."),
) -> None:
    """Render the operations report (HTML): lists by team, backtest, simulated effect, models."""
    from outreach.commands import ReportCommandConfig, report_command

    config = ReportCommandConfig(as_of=_parse_dates([as_of], "--as-of")[0] if as_of else None)
    try:
        result = report_command(config)
    except (FileNotFoundError, LookupError) as exc:
        _fail(str(exc))
    console.print(f"report for {result.as_of}: {result.path} (also logged to MLflow)")


@app.command()
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
        _fail(f"invalid service settings: {exc}", code=2)
    raise typer.Exit(run_server(settings, port=port, host=host, workers=workers))


def _serving_demo(workdir: Path) -> None:
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
    console.print(_frame_table("POST /outreach (capacity 10)", pd.DataFrame(outreach_rows(result))))
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
    console.print(_frame_table("POST /score (by customer id)", scored))
    warning = result.event.get("early_warning", {})
    score = result.event.get("score", {})
    console.print(
        f"POST /events/contact (a Weibo complaint threatening 工信部): "
        f"flag={warning.get('flag')}, triggers={warning.get('triggers')}, "
        f"notify={warning.get('notify')}, new p_escalation={score.get('p_escalation', 0):.2f}"
    )


def _model_versions(model_info: dict) -> list[tuple[str, str]]:
    return [(m["name"], str(m["version"])) for m in model_info.get("models", [])]


@app.command()
def demo(
    customers: int = typer.Option(5000, min=100, help="Customers in the demo world."),
    seed: int = typer.Option(7, help="Random seed of the demo world."),
    workdir: Path = typer.Option(Path("data"), help="Folder for the demo's data."),
) -> None:
    """Run the whole job end to end on the synthetic world: data, features, models, outreach."""
    from outreach.commands import (
        BacktestCommandConfig,
        PlanCommandConfig,
        ReportCommandConfig,
        backtest_command,
        plan_command,
        report_command,
    )

    world_dir, raw_dir = workdir / "world", workdir / "raw"
    features_dir, scores_dir = workdir / "features", workdir / "scores"
    outreach_dir = workdir / "outreach"
    train_dates, valid_date, backtest_date = (
        DEMO_SNAPSHOTS[:2],
        DEMO_SNAPSHOTS[2],
        DEMO_SNAPSHOTS[3],
    )
    steps = 9
    console.rule(f"1/{steps} generate the synthetic world")
    data_generate(customers=customers, months=12, seed=seed, start="2025-11-01", out=world_dir)
    console.rule(f"2/{steps} validate and ingest")
    _run_ingest(world_dir, raw_dir, write=True)
    console.rule(f"3/{steps} build month-end feature snapshots")
    features_build(
        as_of=[*DEMO_SNAPSHOTS, DEMO_TODAY],
        horizon=30,
        raw_dir=raw_dir,
        features_dir=features_dir,
    )
    console.rule(
        f"4/{steps} train on {', '.join(train_dates)}, validate out of time on {valid_date}"
    )
    train(
        target="all",
        train_as_of=list(train_dates),
        valid_as_of=valid_date,
        config_file=None,
        features_dir=features_dir,
        world_dir=world_dir,
        raw_dir=raw_dir,
        baselines=True,
        ablation=True,
    )
    console.rule(f"5/{steps} score today's snapshot ({DEMO_TODAY}) with the champions")
    score(as_of=DEMO_TODAY, features_dir=features_dir, scores_dir=scores_dir)
    console.rule(f"6/{steps} today's outreach list and a backtest on {backtest_date}")
    plan = plan_command(
        PlanCommandConfig(
            as_of=date.fromisoformat(DEMO_TODAY),
            capacity=max(10, customers // 50),
            features_dir=features_dir,
            scores_dir=scores_dir,
            outreach_dir=outreach_dir,
        )
    )
    console.print(_frame_table("customers per team", plan.counts.reset_index()))
    console.print(_plan_preview(plan.plan, 10))
    backtest = backtest_command(
        BacktestCommandConfig(
            as_of=date.fromisoformat(backtest_date),
            features_dir=features_dir,
            raw_dir=raw_dir,
            world_dir=world_dir,
            outreach_dir=outreach_dir,
        )
    )
    wide = backtest.wide[[c for c in BACKTEST_COLUMNS if c in backtest.wide]]
    console.print(_frame_table(f"backtest on {backtest_date} (capacity = share of the base)", wide))
    console.rule(f"7/{steps} closed-loop simulation of the outreach effect")
    outreach_simulate(effect=0.3, customers=4000, seeds=3)
    console.rule(f"8/{steps} operations report")
    result = report_command(
        ReportCommandConfig(
            as_of=date.fromisoformat(DEMO_TODAY),
            outreach_dir=outreach_dir,
            plan=PlanCommandConfig(
                features_dir=features_dir, scores_dir=scores_dir, outreach_dir=outreach_dir
            ),
        )
    )
    console.print(f"report: {result.path}")
    console.rule(f"9/{steps} the scoring API over real HTTP (bentoml serve, API key)")
    _serving_demo(workdir)
    console.print("review the runs: mlflow ui --backend-store-uri sqlite:///mlruns/mlflow.db")


if __name__ == "__main__":
    app()
