"""procare command line: generate or ingest data, build features, train, promote, serve.

Commands parse arguments, build a config and call one library function; nothing else happens
here. Heavy libraries are imported inside commands so ``procare --help`` stays fast.
"""

from __future__ import annotations

import logging
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

console = Console()
err_console = Console(stderr=True)

DEFAULT_WORLD_DIR = Path("data/world")
DEFAULT_RAW_DIR = Path("data/raw")
DEFAULT_FEATURES_DIR = Path("data/features")
DEMO_SNAPSHOTS = ("2026-06-30", "2026-07-31", "2026-08-31", "2026-09-30")


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


@app.command()
def demo(
    customers: int = typer.Option(5000, min=100, help="Customers in the demo world."),
    seed: int = typer.Option(7, help="Random seed of the demo world."),
    workdir: Path = typer.Option(Path("data"), help="Folder for the demo's data."),
) -> None:
    """Run the whole job end to end on the synthetic world: generate, ingest, features."""
    world_dir = workdir / "world"
    raw_dir = workdir / "raw"
    features_dir = workdir / "features"
    console.rule("1/3 generate the synthetic world")
    data_generate(customers=customers, months=12, seed=seed, start="2025-11-01", out=world_dir)
    console.rule("2/3 validate and ingest")
    _run_ingest(world_dir, raw_dir, write=True)
    console.rule("3/3 build month-end feature snapshots")
    features_build(
        as_of=list(DEMO_SNAPSHOTS), horizon=30, raw_dir=raw_dir, features_dir=features_dir
    )


if __name__ == "__main__":
    app()
