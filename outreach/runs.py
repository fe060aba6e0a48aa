"""Shared pieces of the outreach commands: the MLflow run, the champion scorer, the oracle."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pandas as pd
from pydantic import BaseModel

from outreach.sim_world import Scorer
from pipelines.snapshot import read_oracle
from training.tracking import TrackingSettings

logger = logging.getLogger(__name__)

EXPERIMENT = "procare-outreach"


@contextmanager
def outreach_run(name: str, config: BaseModel, tracking: TrackingSettings | None) -> Iterator:
    """An MLflow run in the ``procare-outreach`` experiment, with the config as ``config.json``."""
    import mlflow

    settings = tracking or TrackingSettings.from_env()
    settings.apply()
    experiment_id = settings.ensure_experiment(EXPERIMENT)
    with mlflow.start_run(run_name=name, experiment_id=experiment_id) as run:
        mlflow.log_dict(config.model_dump(mode="json"), "config.json")
        yield run


def champion_scorer(
    tracking: TrackingSettings | None = None, chunk_rows: int = 50_000
) -> tuple[Scorer, dict]:
    """Scores from the champion models without reason codes (fast), and their versions.

    Raises:
        LookupError: When a target has no champion (run ``procare train``).
    """
    from serving.scoring.score import score_customers
    from training.champions import load_champions

    champions = load_champions(tracking)

    def scorer(frame: pd.DataFrame, documents: pd.Series) -> pd.DataFrame:
        parts = [
            score_customers(champions, frame.iloc[i : i + chunk_rows], documents, explain=False)
            for i in range(0, len(frame), chunk_rows)
        ]
        return pd.concat(parts)

    return scorer, champions.versions


def oracle_scores(world_dir: Path | None, as_of: date) -> pd.DataFrame | None:
    """The synthetic world's true probabilities at ``as_of`` (``None`` for real data)."""
    if world_dir is None:
        return None
    oracle = read_oracle(world_dir)
    if oracle is None:
        return None
    rows = oracle.loc[oracle["as_of"] == pd.Timestamp(as_of)]
    if rows.empty:
        return None
    return rows.set_index("customer_id")[["p_repeat_contact", "p_escalation"]]


def close_figures() -> None:
    """Close every matplotlib figure (after logging them)."""
    import matplotlib.pyplot as plt

    plt.close("all")
