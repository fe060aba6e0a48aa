"""Register a trained model and run the promotion gate against the current champion.

The gate compares both models on the *same* validation snapshot: the champion is loaded from
the registry and re-scored on this call's validation rows. It is not comparable (and the new
version stays a challenger) when it was trained on data at or after that snapshot, uses other
input columns, or cannot be loaded.

Registration comes after the training run has ended: only a FINISHED run, whose artifacts and
metrics are complete, gives a registered version (see :func:`register_and_promote`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from training.evaluate import classification_metrics
from training.model import ProcareModel
from training.registry import (
    CHAMPION,
    METRIC_TAG_PREFIX,
    PromotionDecision,
    apply_decision,
    champion_version,
    gate,
    register_version,
    require_finished_run,
)
from training.split import SnapshotWindow
from training.tracking import TrackingSettings

TAGGED_METRICS = ("roc_auc", "pr_auc", "brier", "recall_at_5pct", "lift_at_5pct")


def promotion_value(metric: str, y: np.ndarray, prob: np.ndarray) -> float:
    """The promotion metric of probabilities ``prob`` for labels ``y``."""
    capacities = [0.05] if metric == "recall_at_5pct" else []
    return float(classification_metrics(y, prob, capacities)[metric])


@dataclass(frozen=True)
class ValidationRows:
    """What both models are scored on: features, documents and labels of one snapshot."""

    frame: pd.DataFrame
    documents: np.ndarray
    y: np.ndarray


def champion_score(
    name: str, current, window: SnapshotWindow, rows: ValidationRows, metric: str
) -> tuple[float | None, str | None]:
    """The champion's promotion metric on this validation snapshot, or why there is none."""
    from training.pyfunc import load_model

    trained = [
        date.fromisoformat(d) for d in (current.tags or {}).get("train_as_of", "").split(",") if d
    ]
    if any(d >= window.valid_as_of for d in trained):
        return None, "champion was trained on data at or after this validation snapshot"
    try:
        champion = load_model(f"models:/{name}@{CHAMPION}")
    except Exception as error:  # noqa: BLE001 - any load failure means "not comparable"
        return None, f"champion could not be loaded ({type(error).__name__})"
    if set(champion.input_columns) != set(rows.frame.columns):
        return None, "champion uses a different feature set"
    prob = champion.predict_proba(rows.frame, rows.documents)
    return promotion_value(metric, rows.y, prob), None


def register_and_promote(
    model_uri: str,
    run_id: str,
    name: str,
    metric: str,
    score: float,
    metrics: dict[str, float],
    tags: dict[str, str],
    window: SnapshotWindow,
    rows: ValidationRows,
    settings: TrackingSettings,
) -> tuple[str, PromotionDecision]:
    """Register ``model_uri`` as a new version of ``name`` and alias it by the gate.

    Args:
        model_uri: The logged model.
        run_id: The training run that logged it; it must have FINISHED.
        name: Registered model name.
        metric: Promotion metric.
        score: The candidate's promotion metric on the validation rows.
        metrics: Validation metrics recorded as ``metric.<name>`` version tags.
        tags: Further version tags (window, run ids, fingerprints).
        window: The candidate's training window.
        rows: The validation rows both models are scored on.
        settings: MLflow settings.

    Returns:
        The new version and the gate's decision (already applied).

    Raises:
        UnfinishedRunError: If the run has not FINISHED (nothing is registered).
    """
    require_finished_run(settings.client(), run_id, name)
    current = champion_version(name, settings)
    best, not_comparable = None, None
    if current is not None:
        best, not_comparable = champion_score(name, current, window, rows, metric)
    version_tags = {
        **tags,
        "valid_as_of": window.valid_as_of.isoformat(),
        "train_as_of": ",".join(d.isoformat() for d in window.train_as_of),
        "promotion_metric": metric,
        METRIC_TAG_PREFIX + metric: f"{score:.6f}",
    }
    for key in TAGGED_METRICS:
        value = metrics.get(key)
        if value is not None and np.isfinite(value):
            version_tags.setdefault(METRIC_TAG_PREFIX + key, f"{value:.6f}")
    version = register_version(model_uri, name, version_tags, settings)
    previous = None if current is None else str(current.version)
    decision = gate(name, version, metric, score, best, previous, not_comparable)
    return version, apply_decision(decision, settings)


def model_version_tags(model: ProcareModel, run_id: str, fingerprint: str, sha: str) -> dict:
    """Provenance tags of a registered version."""
    return {
        "target": model.target,
        "parent_run_id": run_id,
        "data_fingerprint": fingerprint,
        "git_sha": sha,
        "features": str(len(model.schema.columns)),
    }
