"""`procare features`: build point-in-time snapshots, list the feature registry."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from commands.common import console, fail, parse_dates
from commands.data import DEFAULT_RAW_DIR

DEFAULT_FEATURES_DIR = Path("data/features")

features_app = typer.Typer(help="Build point-in-time feature snapshots.", no_args_is_help=True)


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
        as_of=parse_dates(as_of, "--as-of"),
        raw_dir=raw_dir,
        features_dir=features_dir,
        features=FeatureConfig(labels=LabelConfig(horizon_days=horizon)),
    )
    try:
        results = build_snapshots(config, progress=True)
    except FileNotFoundError as exc:
        fail(str(exc))
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
        fail(f"--family {family!r}: no such family (structured, text, identity, graph)", code=2)
    for spec in specs:
        description = spec.description_zh if lang == "zh" else spec.description_en
        table.add_row(spec.name, spec.family, spec.dtype, description)
    console.print(table)
    console.print(f"{len(specs)} features")
