"""`procare data`: generate the synthetic world, validate and ingest an export."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from commands.common import (
    console,
    data_layout,
    fail,
    folder_option,
    rows_table,
    violation_lines,
    workdir_option,
    writing_to,
)

data_app = typer.Typer(help="Generate, validate and ingest operator data.", no_args_is_help=True)


@data_app.command("generate")
def data_generate(
    customers: int = typer.Option(5000, min=10, help="Number of customers in the world."),
    months: int = typer.Option(12, min=2, max=60, help="Number of simulated months."),
    seed: int = typer.Option(7, help="Random seed; the same seed gives the same world."),
    start: str = typer.Option("2025-11-01", help="First simulated month (YYYY-MM-DD)."),
    out: Path | None = folder_option("world", "Folder to write the world's tables to."),
    workdir: Path | None = workdir_option(),
) -> None:
    """Generate a synthetic telecom world (the embedded default data) as contract tables."""
    from pipelines.synthetic.config import WorldConfig
    from pipelines.synthetic.frames import TABLES
    from pipelines.synthetic.stream import write_world

    out = data_layout(workdir, world_dir=out).world_dir

    try:
        config = WorldConfig(
            customers=customers, months=months, seed=seed, start=date.fromisoformat(start)
        )
    except ValueError as exc:
        fail(str(exc), code=2)
    with writing_to("--out", out):
        written = write_world(config, out, progress=True)
    rows = {name: written[name] for name in TABLES}
    console.print(rows_table(f"synthetic world → {out}", rows))


def run_ingest(source_dir: Path, raw_dir: Path, write: bool, buckets: int | None = None) -> None:
    from pipelines.ingest import IngestConfig, ingest, validate_source
    from pipelines.readers import SourceError
    from pipelines.violations import ContractError

    settings = {} if buckets is None else {"buckets": buckets}
    config = IngestConfig(source_dir=source_dir, raw_dir=raw_dir, **settings)
    try:
        with writing_to("--raw-dir", raw_dir):
            report = ingest(config) if write else validate_source(config)
    except ContractError as exc:
        lines = violation_lines(exc.violations)
        fail(f"{len(exc.violations)} contract violation(s); nothing was written:{lines}")
    except SourceError as exc:
        fail(str(exc))
    verb = f"ingested → {raw_dir}" if write else "valid"
    console.print(rows_table(f"{source_dir}: {verb}", report.rows))
    console.print(f"data end: {report.data_end}   fingerprint: {report.fingerprint}")
    if report.missing:
        console.print(
            f"optional tables missing: {', '.join(report.missing)} (the feature families they "
            "feed are left out; see docs/data_contract.md)"
        )
    if write:
        console.print(f"{config.buckets} buckets")


@data_app.command("validate")
def data_validate(
    source_dir: Path = typer.Argument(..., help="Folder with one CSV or Parquet file per table."),
) -> None:
    """Check an export against the data contract; writes nothing."""
    run_ingest(source_dir, data_layout(None).raw_dir, write=False)


@data_app.command("ingest")
def data_ingest(
    source_dir: Path = typer.Argument(..., help="Folder with one CSV or Parquet file per table."),
    raw_dir: Path | None = folder_option("raw", "Where to write the validated tables."),
    buckets: int | None = typer.Option(
        None,
        "--buckets",
        min=1,
        max=4096,
        show_default="8",
        help="Customer buckets of the per-customer tables; about one per 125k customers "
        "for large bases (e.g. 128 for 10M).",
    ),
    workdir: Path | None = workdir_option(),
) -> None:
    """Validate an export and publish it in <workdir>/raw split into customer buckets (all or
    nothing)."""
    layout = data_layout(workdir, raw_dir=raw_dir)
    run_ingest(source_dir, layout.raw_dir, write=True, buckets=buckets)
