"""``train(config)``: out-of-time training of both targets, tracked in MLflow, registered.

Per target: one MLflow experiment; per call one parent run holding the whole config as params,
the dataset lineage, tags (git SHA, data fingerprint), the primary model's metrics, plots, tables,
model card and the pyfunc model; nested child runs per model family and per ablation arm (see
:mod:`training.target_trainer`). Every snapshot of the window must share one feature
configuration; it is registered with the models, with the config's ``scoring`` section.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
from rich.progress import Progress

from features.registry import FeatureSpec
from training.config import TrainConfig
from training.prepared import prepare_data
from training.snapshot_config import read_snapshot_metas, training_feature_config
from training.split import SnapshotWindow
from training.target_trainer import STEPS, TargetResult, TargetTrainer
from training.text_score import TEXT_SCORE, TEXT_SCORE_SPEC, TextScorer, default_text_scorer
from training.tracking import TrackingSettings

logger = logging.getLogger(__name__)

SUMMARY_METRICS = (
    "base_rate",
    "roc_auc",
    "pr_auc",
    "recall_at_5pct",
    "lift_at_5pct",
    "brier",
    "oracle_ratio_roc_auc",
    "oracle_ratio_pr_auc",
)


@dataclass(frozen=True)
class TrainResult:
    """Outcome of one ``train`` call."""

    window: SnapshotWindow
    tracking_uri: str
    targets: dict[str, TargetResult]

    def summary(self) -> pd.DataFrame:
        """One row per target: registered version, alias and the headline validation metrics."""
        rows = []
        for target, result in self.targets.items():
            row = {
                "target": target,
                "model": result.model_name,
                "version": result.version,
                "alias": None if result.decision is None else result.decision.alias,
            }
            row.update({k: result.metrics.get(k) for k in SUMMARY_METRICS})
            rows.append(row)
        return pd.DataFrame(rows)

    def ui_command(self) -> str:
        """The command that opens these runs in the MLflow UI."""
        return f"mlflow ui --backend-store-uri {self.tracking_uri}"


def train(
    config: TrainConfig,
    progress: bool = False,
    *,
    tracking: TrackingSettings | None = None,
    specs: Mapping[str, FeatureSpec] | None = None,
    text_scorer: TextScorer | None = None,
    use_text_model: bool = True,
) -> TrainResult:
    """Train, evaluate, log and register one model per target on an out-of-time split.

    Args:
        config: What to train and how.
        progress: Show rich progress bars.
        tracking: MLflow settings (default: ``MLFLOW_TRACKING_URI`` or ``sqlite:///mlruns/...``).
        specs: Feature registry by column (default: :func:`features.catalog.feature_specs`).
        text_scorer: Text model hooks (default: :class:`features.text.TextRiskModel`).
        use_text_model: Add the ``txt_model_score`` feature.

    Returns:
        Per-target results and where they are tracked.

    Raises:
        SplitError: If the window is not strictly out of time or has no data.
        ValueError: If snapshots lack labels, carry unregistered feature columns, or were built
            with different feature configurations.
    """
    settings = tracking or TrackingSettings.from_env()
    settings.apply()
    if specs is None:
        from features.catalog import feature_specs

        specs = feature_specs()
    specs = {**specs}
    specs.setdefault(TEXT_SCORE, TEXT_SCORE_SPEC)
    scorer = (text_scorer or default_text_scorer()) if use_text_model else None
    data = prepare_data(config, specs)
    window = data.window
    feature_config = training_feature_config(
        read_snapshot_metas(config.features_dir, [*window.train_as_of, window.valid_as_of])
    )
    logger.info(
        "training %s on %s, validating on %s",
        ", ".join(config.targets),
        ", ".join(d.isoformat() for d in data.window.train_as_of),
        data.window.valid_as_of.isoformat(),
    )
    results = {}
    with Progress(disable=not progress, transient=True) as bar:
        for target in config.targets:
            task = bar.add_task(f"training {target}", total=STEPS)
            trainer = TargetTrainer(config, data, specs, scorer, settings, target, feature_config)
            results[target] = trainer.run(bar, task)
            metrics = results[target].metrics
            logger.info(
                "%s: PR AUC %.3f, ROC AUC %.3f", target, metrics["pr_auc"], metrics["roc_auc"]
            )
    return TrainResult(data.window, settings.tracking_uri, results)
