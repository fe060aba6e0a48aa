"""``procare monitor --as-of D``: compare the snapshot of D with the champions' reference.

Everything is checked before anything is computed or written: the snapshot of D, the
champions, the snapshot's columns, and the training and validation snapshots the reference is
read from. Then: feature drift (a chunk of columns at a time), score drift, expected and
(when the horizon has passed) realized performance, data quality, the retrain advice, and one
MLflow run in ``procare-monitoring`` for the date (replacing an earlier run of that date).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

import pandas as pd

from features.vocabulary import TARGETS
from monitoring.champion import ChampionReference, champion_reference
from monitoring.config import MonitorConfig
from monitoring.data_quality import late_rows
from monitoring.drift import DriftReference, rank_drift
from monitoring.expected import expected_roc_auc
from monitoring.history import previous_counts
from monitoring.inputs import (
    PROBABILITY,
    MonitorInputError,
    aligned_labels,
    read_columns,
    read_labels,
    reference_scores,
    require_columns,
    require_snapshot,
    snapshot_scores,
)
from monitoring.mlflow_log import log_monitoring_run, monitoring_metrics
from monitoring.quality_io import data_quality
from monitoring.realized import expected_vs_realized, ranking_metrics
from monitoring.recommend import Recommendation, recommend
from training.champions import ChampionModels, load_champions
from training.tracking import TrackingSettings

logger = logging.getLogger(__name__)

__all__ = ["MonitorInputError", "MonitorResult", "monitor"]


@dataclass(frozen=True)
class MonitorResult:
    """The figures of one monitored date and the MLflow run holding them.

    Attributes:
        as_of: Monitored snapshot date.
        run_id: The ``procare-monitoring`` run.
        drift: Ranked feature drift (:func:`monitoring.drift.rank_drift`).
        score_drift: PSI of each target's probabilities against its validation snapshot.
        performance: Expected (and realized) figures per target and capacity.
        ranking: Per target: expected ROC AUC, realized ROC/PR AUC, validation PR AUC.
        quality: Data quality per table.
        recommendation: The retrain advice.
        labels_observed: Whether the horizon of D has passed (realized figures exist).
        scores_source: ``batch scores`` or ``scored now``.
        reference_dates: The training snapshots the feature reference was read from.
    """

    as_of: date
    run_id: str
    drift: pd.DataFrame
    score_drift: pd.DataFrame
    performance: pd.DataFrame
    ranking: pd.DataFrame
    quality: pd.DataFrame
    recommendation: Recommendation
    labels_observed: bool
    scores_source: str
    reference_dates: list[date]


def _check_inputs(config: MonitorConfig, settings: TrackingSettings):
    """The champions and their reference, once every input was found (else an error)."""
    features_dir = config.layout.features_dir
    require_snapshot(features_dir, config.as_of, "monitored")
    try:
        champions = load_champions(settings, prefix=config.model_prefix)
    except LookupError as exc:
        raise MonitorInputError(f"no champions to monitor: {exc}") from exc
    require_columns(features_dir, config.as_of, champions.input_columns)
    reference = champion_reference(champions, settings, config.drift.top_features)
    for target, dates in reference.train_as_of.items():
        for as_of in dates:
            require_snapshot(features_dir, as_of, f"training reference ({target} champion)")
        require_snapshot(
            features_dir, reference.valid_as_of[target], f"validation ({target} champion)"
        )
    for as_of in reference.reference_dates:
        require_columns(features_dir, as_of, champions.input_columns)
    return champions, reference


def feature_drift(config: MonitorConfig, reference: ChampionReference) -> pd.DataFrame:
    """Drift of every champion input, a chunk of columns at a time, ranked."""
    features_dir, settings = config.layout.features_dir, config.drift
    columns = reference.input_columns
    parts = []
    for start in range(0, len(columns), settings.column_chunk):
        chunk = columns[start : start + settings.column_chunk]
        fitted = DriftReference(
            categorical=[c for c in chunk if c in reference.categorical],
            bins=settings.bins,
            max_categories=settings.max_categories,
            epsilon=settings.epsilon,
        ).fit(read_columns(features_dir, reference.reference_dates, chunk))
        parts.append(fitted.compare(read_columns(features_dir, [config.as_of], chunk)))
    drift = pd.concat(parts, ignore_index=True)
    return rank_drift(
        drift,
        reference.max_importance(),
        reference.top_weighted,
        settings.moderate_psi,
        settings.major_psi,
    )


def score_drift(
    config: MonitorConfig,
    champions: ChampionModels,
    reference: ChampionReference,
    scores: pd.DataFrame,
) -> pd.DataFrame:
    """PSI of each target's probabilities at D against its champion's validation snapshot."""
    rows, cache = [], {}
    for target in TARGETS:
        valid = reference.valid_as_of[target]
        if valid not in cache:
            cache[valid] = reference_scores(config.layout, valid, champions, config.chunk_rows)
        column = PROBABILITY[target]
        fitted = DriftReference(bins=config.drift.bins, epsilon=config.drift.epsilon)
        compared = fitted.fit(cache[valid][[column]]).compare(scores[[column]])
        rows.append(
            {
                "target": target,
                "reference_as_of": valid.isoformat(),
                "psi": float(compared["psi"].iloc[0]),
                "js_distance": float(compared["js_distance"].iloc[0]),
                "reference_mean": float(cache[valid][column].mean()),
                "current_mean": float(scores[column].mean()),
            }
        )
    return pd.DataFrame(rows)


def performance(
    config: MonitorConfig,
    reference: ChampionReference,
    scores: pd.DataFrame,
    labels: pd.DataFrame | None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Expected vs realized per target and capacity, and the ranking figures per target."""
    tables, ranking = [], []
    for target in TARGETS:
        p = scores[PROBABILITY[target]].to_numpy(dtype=float)
        y = None if labels is None else aligned_labels(scores, labels, target)
        table = expected_vs_realized(p, y, config.capacities)
        tables.append(table.assign(target=target))
        realized = ranking_metrics(p, y) if y is not None else {}
        ranking.append(
            {
                "target": target,
                "expected_roc_auc": expected_roc_auc(p),
                "realized_roc_auc": realized.get("roc_auc", float("nan")),
                "realized_pr_auc": realized.get("pr_auc", float("nan")),
                "validation_pr_auc": reference.validation_pr_auc.get(target) or float("nan"),
            }
        )
    table = pd.concat(tables, ignore_index=True)
    ordered = ["target", *[c for c in table.columns if c != "target"]]
    return table[ordered], pd.DataFrame(ranking)


def _quality(config: MonitorConfig, settings: TrackingSettings):
    try:
        quality, counts = data_quality(config.layout.raw_dir, config.as_of, config.quality)
    except FileNotFoundError as exc:
        logger.warning("no data-quality check: %s", exc)
        return pd.DataFrame(columns=["table"]), pd.DataFrame(columns=["table", "period", "rows"])
    found = previous_counts(settings, config.as_of, config.experiment)
    if found is not None:
        late = late_rows(found[1], counts)
        quality["late_rows"] = quality["table"].map(late).fillna(0).astype(int)
    return quality, counts


def monitor(config: MonitorConfig, tracking: TrackingSettings | None = None) -> MonitorResult:
    """Monitor the snapshot of ``config.as_of`` and log one ``procare-monitoring`` run.

    Raises:
        MonitorInputError: When the snapshot of D, a champion, a champion input column, or a
            training or validation snapshot is missing (nothing is written then).
    """
    settings = tracking or TrackingSettings.from_env()
    champions, reference = _check_inputs(config, settings)
    drift = feature_drift(config, reference)
    scores, versions, source = snapshot_scores(
        config.layout, config.as_of, champions, config.chunk_rows
    )
    scored = score_drift(config, champions, reference, scores)
    labels = read_labels(config.layout.features_dir, config.as_of)
    table, ranking = performance(config, reference, scores, labels)
    quality, counts = _quality(config, settings)
    advice = recommend(
        drift,
        {r["target"]: r["realized_pr_auc"] for r in ranking.to_dict("records")},
        reference.validation_pr_auc,
        config.recommend,
    )
    tags = {f"procare.champion.{t}": f"{v['name']} v{v['version']}" for t, v in versions.items()}
    tags["procare.scores_source"] = source
    tags["procare.labels_observed"] = "true" if labels is not None else "false"
    tags["procare.reference_as_of"] = ",".join(d.isoformat() for d in reference.reference_dates)
    frames = {
        "drift": drift,
        "score_drift": scored,
        "performance": table,
        "ranking": ranking,
        "quality": quality,
        "counts": counts,
    }
    metrics = monitoring_metrics(drift, scored, table, ranking, quality, advice)
    run_id = log_monitoring_run(config, settings, frames, metrics, advice, tags)
    logger.info("monitoring %s: %s (run %s)", config.as_of, advice.summary, run_id)
    return MonitorResult(
        config.as_of,
        run_id,
        drift,
        scored,
        table,
        ranking,
        quality,
        advice,
        labels is not None,
        source,
        reference.reference_dates,
    )
