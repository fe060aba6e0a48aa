"""The monitoring run in MLflow: metrics for the trend charts, tables as CSV artifacts, tags.

Only aggregates and feature names are logged, never a customer id or any PII.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import pandas as pd

from monitoring.config import MonitorConfig, capacity_label
from monitoring.history import (
    AS_OF_TAG,
    COUNTS_ARTIFACT,
    DRIFT_ARTIFACT,
    PERFORMANCE_ARTIFACT,
    REASON_TAG,
    RETRAIN_TAG,
)
from monitoring.recommend import Recommendation
from training.tracking import TrackingSettings

_UNSAFE = re.compile(r"[^0-9A-Za-z_\-. /]")


def metric_name(*parts: str) -> str:
    """A metric name MLflow accepts, from ``parts`` joined by dots."""
    return _UNSAFE.sub("_", ".".join(parts))


def _finite(value: object) -> bool:
    return isinstance(value, int | float) and value == value and abs(value) != float("inf")


def monitoring_metrics(
    drift: pd.DataFrame,
    score_drift: pd.DataFrame,
    performance: pd.DataFrame,
    ranking: pd.DataFrame,
    quality: pd.DataFrame,
    recommendation: Recommendation,
) -> dict[str, float]:
    """The run's metrics: drift summary and per feature, expected and realized per capacity,
    ranking quality, data quality per table, and the advice as 0/1."""
    out: dict[str, float] = {"retrain_recommended": float(recommendation.retrain)}
    if len(drift):
        top = drift.loc[drift["top_weighted"]]
        out["drift.max_psi"] = float(drift["psi"].max())
        out["drift.top_weighted_max_psi"] = float(top["psi"].max()) if len(top) else 0.0
        out["drift.features_major"] = float((drift["status"] == "major").sum())
        for row in drift.itertuples():
            out[metric_name("psi", row.feature)] = float(row.psi)
    for row in score_drift.itertuples():
        out[metric_name("score_psi", row.target)] = float(row.psi)
        out[metric_name("score_mean", row.target)] = float(row.current_mean)
    for row in performance.to_dict("records"):
        label = capacity_label(row["capacity"])
        for kind in ("positives", "precision", "recall"):
            for source in ("expected", "realized"):
                value = row[f"{source}_{kind}"]
                if _finite(value):
                    out[metric_name(source, kind, row["target"], label)] = float(value)
    for row in ranking.to_dict("records"):
        for key, value in row.items():
            if key != "target" and _finite(value):
                out[metric_name(key, row["target"])] = float(value)
    for row in quality.to_dict("records"):
        for key in ("recent_per_period", "null_rate", "out_of_range_rate", "late_rows"):
            if _finite(row.get(key)):
                out[metric_name("dq", row["table"], key)] = float(row[key])
    return out


def log_monitoring_run(
    config: MonitorConfig,
    settings: TrackingSettings,
    tables: dict[str, pd.DataFrame],
    metrics: dict[str, float],
    recommendation: Recommendation,
    tags: dict[str, str],
) -> str:
    """Log one monitoring run; earlier runs of the same date are deleted afterwards.

    Args:
        config: The command's configuration (``config.json``).
        settings: The MLflow store.
        tables: ``drift``, ``score_drift``, ``performance``, ``ranking``, ``quality``,
            ``counts`` frames.
        metrics: :func:`monitoring_metrics`.
        recommendation: The advice (tags and ``recommendation.json``).
        tags: More tags (champion versions, sources).

    Returns:
        The new run's id.
    """
    import mlflow

    settings.apply()
    experiment_id = settings.ensure_experiment(config.experiment)
    as_of = config.as_of.isoformat()
    paths = {
        "drift": DRIFT_ARTIFACT,
        "score_drift": "drift/score_drift.csv",
        "performance": PERFORMANCE_ARTIFACT,
        "ranking": "performance/ranking.csv",
        "quality": "data_quality/tables.csv",
        "counts": COUNTS_ARTIFACT,
    }
    with mlflow.start_run(run_name=f"monitor {as_of}", experiment_id=experiment_id) as run:
        mlflow.set_tags(
            {
                **tags,
                AS_OF_TAG: as_of,
                RETRAIN_TAG: "true" if recommendation.retrain else "false",
                REASON_TAG: "; ".join(recommendation.reasons)[:5000],
                "command": "monitor",
            }
        )
        mlflow.log_dict(config.model_dump(mode="json"), "config.json")
        mlflow.log_metrics(metrics)
        with tempfile.TemporaryDirectory() as folder:
            for key, artifact in paths.items():
                path = Path(folder) / Path(artifact).name
                tables[key].to_csv(path, index=False)
                mlflow.log_artifact(str(path), str(Path(artifact).parent))
        mlflow.log_text(
            json.dumps(
                {"label": recommendation.label, **recommendation.__dict__},
                ensure_ascii=False,
                indent=2,
            ),
            "recommendation.json",
        )
    client = settings.client()
    older = client.search_runs(
        [experiment_id], f"tags.`{AS_OF_TAG}` = '{as_of}'", max_results=1_000
    )
    for found in older:
        if found.info.run_id != run.info.run_id:
            client.delete_run(found.info.run_id)
    return run.info.run_id
