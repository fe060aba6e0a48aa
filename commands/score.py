"""`procare score`: score a whole snapshot with the champions."""

from __future__ import annotations

from pathlib import Path

import typer

from commands.common import console, data_layout, fail, folder_option, parse_dates, workdir_option


def score(
    as_of: str | None = typer.Option(None, "--as-of", help="Snapshot; default: the latest."),
    features_dir: Path | None = folder_option("features", "Feature snapshots."),
    scores_dir: Path | None = folder_option("scores", "Where to write the scores."),
    workdir: Path | None = workdir_option(),
) -> None:
    """Score a whole snapshot with the champion models (reasons included) for lookups."""
    from pipelines.stage_schemas import StageFileError
    from serving.scoring.batch import BatchScoreConfig, score_snapshot

    layout = data_layout(workdir, features_dir=features_dir, scores_dir=scores_dir)
    config = BatchScoreConfig(
        as_of=parse_dates([as_of], "--as-of")[0] if as_of else None,
        features_dir=layout.features_dir,
        scores_dir=layout.scores_dir,
    )
    try:
        path, count = score_snapshot(config)
    except (FileNotFoundError, LookupError, StageFileError) as exc:
        fail(str(exc))
    console.print(f"scored {count:,} customers → {path}")
