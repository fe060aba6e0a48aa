"""Score a whole snapshot once with the champions and store the result for lookups by id."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from pipelines.catalog import DataLayout
from pipelines.scores import write_scores
from pipelines.snapshot import available_snapshots, read_snapshot
from serving.scoring.score import score_customers
from training.champions import TrackingSettings, load_champions

logger = logging.getLogger(__name__)


class BatchScoreConfig(BaseModel):
    """Which snapshot to score and where to keep the scores.

    Tiers, reasons and actions follow the scoring configuration the champions carry (chosen
    when they were trained, see ``TrainConfig.scoring``); it is recorded with the scores.
    """

    model_config = ConfigDict(extra="forbid")

    as_of: date | None = Field(None, description="Snapshot to score; latest when omitted.")
    features_dir: Path = DataLayout().features_dir
    scores_dir: Path = DataLayout().scores_dir
    chunk_rows: int = Field(20_000, ge=100, description="Rows per scoring chunk (memory bound).")


def score_snapshot(
    config: BatchScoreConfig, tracking: TrackingSettings | None = None
) -> tuple[Path, int]:
    """Score every customer of a snapshot with the champion models, reasons included.

    Returns:
        The written scores file and the number of customers scored.

    Raises:
        FileNotFoundError: When no snapshot exists.
        LookupError: When a target has no champion model yet, or the champions carry
            different scoring configurations (``ChampionConfigError``).
    """
    as_of = config.as_of
    if as_of is None:
        snapshots = available_snapshots(config.features_dir)
        if not snapshots:
            raise FileNotFoundError(
                f"no snapshots under {config.features_dir}: run `procare features build` first"
            )
        as_of = snapshots[-1]
    champions = load_champions(tracking)
    snapshot = read_snapshot(config.features_dir, as_of)
    frame = snapshot.frame
    parts = []
    for start in range(0, len(frame), config.chunk_rows):
        chunk = frame.iloc[start : start + config.chunk_rows]
        parts.append(score_customers(champions, chunk, snapshot.documents, champions.scoring))
        done = min(start + config.chunk_rows, len(frame))
        logger.info("scored %d/%d customers", done, len(frame))
    scores = pd.concat(parts) if parts else pd.DataFrame()
    scoring = champions.scoring.model_dump(mode="json")
    path = write_scores(scores, config.scores_dir, as_of, champions.versions, scoring)
    return path, len(scores)
