"""The ``procare-monitoring`` runs read back: trends, the previous counts, the latest advice.

``procare train`` names the latest monitoring run in its runs' tags through
:func:`tag_training_runs` (called by the train command once the runs have ended).
"""

from __future__ import annotations

import logging
import tempfile
from datetime import date
from pathlib import Path

import pandas as pd

from monitoring.config import EXPERIMENT
from training.tracking import TrackingSettings

logger = logging.getLogger(__name__)

AS_OF_TAG = "procare.as_of"
RETRAIN_TAG = "procare.retrain_recommended"
REASON_TAG = "procare.retrain_reason"
COUNTS_ARTIFACT = "data_quality/period_counts.csv"
DRIFT_ARTIFACT = "drift/feature_drift.csv"
PERFORMANCE_ARTIFACT = "performance/expected_vs_realized.csv"
TRAIN_TAGS = {
    "run": "procare.monitoring_run",
    "as_of": "procare.monitoring_as_of",
    "retrain": "procare.monitoring_retrain_recommended",
    "reason": "procare.monitoring_reason",
}


def _experiment_id(settings: TrackingSettings, experiment: str) -> str | None:
    if not settings.store_exists():
        return None
    found = settings.client().get_experiment_by_name(experiment)
    return None if found is None else found.experiment_id


def monitoring_runs(
    settings: TrackingSettings | None = None, experiment: str = EXPERIMENT
) -> pd.DataFrame:
    """Finished monitoring runs, one row per run, oldest date first.

    Returns:
        ``run_id``, ``as_of`` (date), ``retrain`` (bool), ``reason`` and every logged metric.
    """
    settings = settings or TrackingSettings.from_env()
    experiment_id = _experiment_id(settings, experiment)
    if experiment_id is None:
        return pd.DataFrame(columns=["run_id", "as_of", "retrain", "reason"])
    runs = settings.client().search_runs(
        [experiment_id], "attributes.status = 'FINISHED'", max_results=5_000
    )
    rows = []
    for run in runs:
        tags = run.data.tags
        if AS_OF_TAG not in tags:
            continue
        rows.append(
            {
                "run_id": run.info.run_id,
                "as_of": date.fromisoformat(tags[AS_OF_TAG]),
                "start_time": run.info.start_time,
                "retrain": tags.get(RETRAIN_TAG) == "true",
                "reason": tags.get(REASON_TAG, ""),
                **run.data.metrics,
            }
        )
    frame = pd.DataFrame(rows)
    if frame.empty:
        return pd.DataFrame(columns=["run_id", "as_of", "retrain", "reason"])
    frame = frame.sort_values(["as_of", "start_time"], kind="stable")
    return frame.drop_duplicates("as_of", keep="last").reset_index(drop=True)


def run_table(settings: TrackingSettings, run_id: str, artifact: str) -> pd.DataFrame | None:
    """A CSV artifact of a run, or ``None`` when the run has none."""
    from mlflow.artifacts import download_artifacts
    from mlflow.exceptions import MlflowException

    settings.apply()
    with tempfile.TemporaryDirectory() as folder:
        try:
            path = download_artifacts(run_id=run_id, artifact_path=artifact, dst_path=folder)
        except (MlflowException, OSError):
            return None
        return pd.read_csv(Path(path))


def previous_counts(
    settings: TrackingSettings, as_of: date, experiment: str = EXPERIMENT
) -> tuple[date, pd.DataFrame] | None:
    """Rows per period as the latest monitoring run before ``as_of`` counted them."""
    runs = monitoring_runs(settings, experiment)
    earlier = runs.loc[runs["as_of"] < as_of] if len(runs) else runs
    if earlier.empty:
        return None
    last = earlier.iloc[-1]
    counts = run_table(settings, last["run_id"], COUNTS_ARTIFACT)
    return None if counts is None else (last["as_of"], counts)


def latest_monitoring_tags(
    settings: TrackingSettings | None = None, experiment: str = EXPERIMENT
) -> dict[str, str]:
    """Tags naming the latest monitoring run and its advice (empty when there is none)."""
    runs = monitoring_runs(settings, experiment)
    if runs.empty:
        return {}
    last = runs.iloc[-1]
    return {
        TRAIN_TAGS["run"]: str(last["run_id"]),
        TRAIN_TAGS["as_of"]: last["as_of"].isoformat(),
        TRAIN_TAGS["retrain"]: "true" if last["retrain"] else "false",
        TRAIN_TAGS["reason"]: str(last["reason"])[:500],
    }


def tag_training_runs(
    run_ids: list[str], settings: TrackingSettings | None = None, experiment: str = EXPERIMENT
) -> dict[str, str]:
    """Name the latest monitoring run in the tags of (ended) training runs.

    Returns:
        The tags set (empty when no monitoring run exists: nothing is set).
    """
    settings = settings or TrackingSettings.from_env()
    tags = latest_monitoring_tags(settings, experiment)
    client = settings.client()
    for run_id in run_ids if tags else []:
        for key, value in tags.items():
            client.set_tag(run_id, key, value)
    return tags
