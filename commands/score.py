"""`procare score`: score a whole snapshot with the champions."""

from __future__ import annotations

from pathlib import Path

import typer

from commands.common import console, fail, parse_dates
from commands.features import DEFAULT_FEATURES_DIR

DEFAULT_SCORES_DIR = Path("data/scores")


def score(
    as_of: str | None = typer.Option(None, "--as-of", help="Snapshot; default: the latest."),
    features_dir: Path = typer.Option(DEFAULT_FEATURES_DIR, help="Feature snapshots."),
    scores_dir: Path = typer.Option(DEFAULT_SCORES_DIR, help="Where to write the scores."),
) -> None:
    """Score a whole snapshot with the champion models (reasons included) for lookups."""
    from serving.scoring.batch import BatchScoreConfig, score_snapshot

    config = BatchScoreConfig(
        as_of=parse_dates([as_of], "--as-of")[0] if as_of else None,
        features_dir=features_dir,
        scores_dir=scores_dir,
    )
    try:
        path, count = score_snapshot(config)
    except (FileNotFoundError, LookupError) as exc:
        fail(str(exc))
    console.print(f"scored {count:,} customers → {path}")
