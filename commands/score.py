"""`procare score`: score a whole snapshot with the champions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from commands.common import (
    EngineChoice,
    console,
    data_layout,
    engine_config,
    engine_option,
    existing_tracking,
    fail,
    folder_option,
    parse_dates,
    scheduler_option,
    violation_lines,
    workdir_option,
    workers_option,
    writing_to,
)


def score(
    as_of: str | None = typer.Option(None, "--as-of", help="Snapshot; default: the latest."),
    features_dir: Path | None = folder_option("features", "Feature snapshots."),
    scores_dir: Path | None = folder_option("scores", "Where to write the scores."),
    workdir: Path | None = workdir_option(),
    engine: EngineChoice = engine_option(),  # noqa: B008
    scheduler: str | None = scheduler_option(),
    workers: int = workers_option(),
) -> None:
    """Score a whole snapshot with the champion models, bucket by bucket, for lookups (reasons
    precomputed for the customers that can be shown; the service computes the others')."""
    from pipelines.engine import BucketTaskError
    from pipelines.stage_schemas import StageFileError
    from serving.scoring.batch import BatchScoreConfig, score_snapshot

    layout = data_layout(workdir, features_dir=features_dir, scores_dir=scores_dir)
    config = BatchScoreConfig(
        as_of=parse_dates([as_of], "--as-of")[0] if as_of else None,
        features_dir=layout.features_dir,
        scores_dir=layout.scores_dir,
        engine=engine_config(
            _given(engine, EngineChoice.LOCAL), _given(scheduler, None), _given(workers, 2)
        ),
    )
    if not layout.features.available():
        fail(f"no snapshots under {layout.features_dir}: run `procare features build` first")
    existing_tracking()
    try:
        with writing_to("--scores-dir", layout.scores_dir):
            path, count = score_snapshot(config)
    except StageFileError as exc:
        fail(
            f"{exc.path} breaks its schema; rebuild it with the command that wrote it:"
            f"{violation_lines(exc.violations)}"
        )
    except (FileNotFoundError, LookupError, BucketTaskError) as exc:
        fail(str(exc))
    console.print(f"scored {count:,} customers → {path}")


def _given(value: Any, default: Any) -> Any:
    """An option's value, or ``default`` when ``score`` is called as a plain function (as
    ``procare demo`` does) and the option still holds its ``typer.Option`` declaration."""
    return default if isinstance(value, typer.models.OptionInfo) else value
