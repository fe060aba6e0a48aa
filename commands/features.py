"""`procare features`: build point-in-time snapshots, list the feature registry."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from commands.common import (
    EngineChoice,
    console,
    data_layout,
    engine_config,
    engine_option,
    fail,
    folder_option,
    parse_dates,
    scheduler_option,
    workdir_option,
    workers_option,
    writing_to,
)
from features.vocabulary import FeatureFamily, Language

features_app = typer.Typer(help="Build point-in-time feature snapshots.", no_args_is_help=True)


@features_app.command("build")
def features_build(
    as_of: list[str] = typer.Option(
        ..., "--as-of", help="Snapshot date YYYY-MM-DD; repeat for several snapshots."
    ),
    horizon: int = typer.Option(30, min=1, max=365, help="Label horizon in days."),
    raw_dir: Path | None = folder_option("raw", "Ingested tables (procare data ingest)."),
    features_dir: Path | None = folder_option("features", "Where to write snapshots."),
    engine: EngineChoice = engine_option(),  # noqa: B008 - a typer option
    scheduler: str | None = scheduler_option(),
    workers: int = workers_option(),
    workdir: Path | None = workdir_option(),
) -> None:
    """Build one feature table per snapshot (labels too when the horizon lies in the data),
    bucket by bucket on the chosen engine. Dates outside the ingested data are refused."""
    from features.assemble import FeatureConfig
    from features.labels import LabelConfig
    from pipelines.engine import BucketTaskError
    from pipelines.snapshot import DateOutsideDataError, SnapshotConfig, build_snapshots

    layout = data_layout(workdir, raw_dir=raw_dir, features_dir=features_dir)
    config = SnapshotConfig(
        as_of=parse_dates(as_of, "--as-of"),
        raw_dir=layout.raw_dir,
        features_dir=layout.features_dir,
        features=FeatureConfig(labels=LabelConfig(horizon_days=horizon)),
        engine=engine_config(engine, scheduler, workers),
    )
    try:
        with writing_to("--features-dir", layout.features_dir):
            results = build_snapshots(config, progress=True)
    except (FileNotFoundError, DateOutsideDataError, BucketTaskError) as exc:
        fail(str(exc))
    table = Table(title=f"feature snapshots → {layout.features_dir}")
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
    absent = sorted({family for result in results for family in result.families_absent})
    if absent:
        console.print(
            f"feature families left out (optional tables missing): {', '.join(absent)} "
            "(see label_parts_absent in each snapshot's meta.json)"
        )


@features_app.command("list")
def features_list(
    family: FeatureFamily | None = typer.Option(None, help="Only the features of one family."),
    lang: Language = typer.Option(Language.EN, help="Description language."),
) -> None:
    """Print the feature registry: every feature with its family, dtype and description."""
    from features.catalog import all_features

    table = Table(title="procare feature registry")
    for column in ("name", "family", "dtype", "description"):
        table.add_column(column)
    specs = [s for s in all_features() if family is None or s.family == family]
    for spec in specs:
        description = spec.description_zh if lang == Language.ZH else spec.description_en
        table.add_row(spec.name, spec.family, spec.dtype, description)
    console.print(table)
    console.print(f"{len(specs)} features")
