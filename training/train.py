"""``train(config)``: out-of-time training of both targets, tracked in MLflow, registered.

Per target: one MLflow experiment; per call one parent run holding the whole config as params,
the dataset lineage, tags (git SHA, data fingerprint), the primary model's metrics, plots, tables,
model card and the pyfunc model; nested child runs per model family and per ablation arm.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from rich.progress import Progress, TaskID

from features.registry import FeatureSpec
from training.ablation import ablation_markdown, markdown_table, run_ablation
from training.baselines import BASELINES, RULE
from training.calibration import Calibrator
from training.config import Target, TrainConfig
from training.evaluate import (
    classification_metrics,
    reliability_curve,
    slice_columns,
    slice_metrics,
)
from training.families import (
    ORACLE,
    PRIMARY,
    Evaluation,
    Evaluator,
    Matrices,
    booster_raw,
    fit_baseline_raw,
    fit_lightgbm,
    rule_raw,
    subsample,
)
from training.feature_schema import FeatureSchema
from training.importance import feature_importance
from training.mlflow_log import finite, log_child_run, log_dataset, log_figures, log_table
from training.model import ProcareModel
from training.model_card import render_model_card
from training.prepared import PreparedData, prepare_data
from training.promotion import (
    ValidationRows,
    model_version_tags,
    promotion_value,
    register_and_promote,
)
from training.registry import PromotionDecision
from training.split import SnapshotWindow
from training.text_score import (
    TEXT_SCORE,
    TEXT_SCORE_SPEC,
    TextScorer,
    default_text_scorer,
    fit_text_scores,
)
from training.tracking import TrackingSettings, git_sha

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
STEPS = 5


@dataclass(frozen=True)
class TargetResult:
    """What training one target produced.

    Attributes:
        target: The label.
        experiment_name: MLflow experiment.
        parent_run_id: The parent run of this call.
        model: The artifact.
        model_uri: URI of the logged pyfunc model.
        model_name: Registered model name (``None`` when not registered).
        version: Registered version (``None`` when not registered).
        decision: Promotion gate outcome (``None`` when not registered).
        metrics: Validation metrics of the primary model (plus oracle figures when known).
        comparison: One row per model family (and the oracle) with its validation metrics.
        ablation: One row per ablation arm (``None`` when ablation is off).
        slices: Primary model metrics per slice level.
    """

    target: str
    experiment_name: str
    parent_run_id: str
    model: ProcareModel
    model_uri: str
    model_name: str | None
    version: str | None
    decision: PromotionDecision | None
    metrics: dict[str, float]
    comparison: pd.DataFrame
    ablation: pd.DataFrame | None
    slices: pd.DataFrame


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


class _TargetTrainer:
    """Trains, evaluates, logs and registers the model of one target."""

    def __init__(
        self,
        config: TrainConfig,
        data: PreparedData,
        specs: Mapping[str, FeatureSpec],
        scorer: TextScorer | None,
        settings: TrackingSettings,
        target: Target,
    ) -> None:
        self.config = config
        self.data = data
        self.specs = specs
        self.scorer = scorer
        self.settings = settings
        self.target = target
        self.y_train = data.train.labels(target)
        self.y_valid = data.valid.labels(target)
        self.evaluate = Evaluator(config, self.y_valid, data.oracle_for(target))

    def run(self, bar: Progress, task: TaskID) -> TargetResult:
        import mlflow

        config, data = self.config, self.data
        experiment_id = self.settings.ensure_experiment(config.experiment_name(self.target))
        run_name = f"{self.target}-{data.window.valid_as_of.isoformat()}"
        with mlflow.start_run(experiment_id=experiment_id, run_name=run_name) as parent:
            self._log_context()
            train, valid, text_model, columns = self._frames()
            declared = {c: self.specs[c].dtype for c in columns}
            schema = FeatureSchema.from_frames([train], columns, declared)
            bar.advance(task)

            matrices = Matrices.build(schema, train, valid)
            booster = fit_lightgbm(matrices, self.y_train, config)
            primary = self.evaluate(PRIMARY, booster_raw(booster, matrices))
            log_child_run(
                PRIMARY, config.lightgbm.model_dump(), primary.metrics, {"family": PRIMARY}
            )
            evaluations = {PRIMARY: primary}
            bar.advance(task)
            if config.baselines:
                evaluations.update(self._baselines(schema, train, valid))
            bar.advance(task)
            ablation = self._ablation(matrices, primary) if config.ablation else None
            valid_sample = matrices.valid[subsample(len(valid), config.explain_rows, config.seed)]
            del matrices
            bar.advance(task)

            model = ProcareModel(
                self.target,
                schema,
                booster,
                Calibrator(config.calibration).fit(primary.raw, self.y_valid),
                {c: self.specs[c] for c in columns},
                text_model=text_model,
                metadata={
                    "train_as_of": [d.isoformat() for d in data.window.train_as_of],
                    "valid_as_of": data.window.valid_as_of.isoformat(),
                    "data_fingerprint": data.fingerprint,
                    "calibration": config.calibration,
                },
            )
            comparison, slices = self._log_evaluation(evaluations, valid)
            self._log_model_card(booster, valid_sample, primary, comparison, ablation)
            info = _log_model(model, data.valid.frame[data.columns])
            version, decision = self._register(
                model, info.model_uri, parent.info.run_id, primary.metrics
            )
            bar.advance(task)
        return TargetResult(
            self.target,
            config.experiment_name(self.target),
            parent.info.run_id,
            model,
            info.model_uri,
            config.model_name(self.target) if config.register_models else None,
            version,
            decision,
            primary.metrics,
            comparison,
            ablation,
            slices,
        )

    def _frames(self) -> tuple[pd.DataFrame, pd.DataFrame, object, list[str]]:
        """Training and validation features, plus the text-model score when it is used."""
        data, columns = self.data, self.data.columns
        train = data.train.frame[columns]
        valid = data.valid.frame[columns]
        if self.scorer is None:
            return train, valid, None, columns
        text = fit_text_scores(
            self.scorer,
            data.train.documents,
            self.y_train,
            data.train.customer_id,
            data.valid.documents,
            self.config.text_oof_folds,
            self.config.seed,
        )
        train = train.assign(**{TEXT_SCORE: text.train})
        valid = valid.assign(**{TEXT_SCORE: text.valid})
        return train, valid, text.model, [*columns, TEXT_SCORE]

    def _log_context(self) -> None:
        import mlflow

        config, data = self.config, self.data
        window = data.window
        mlflow.log_params(config.flat_params())
        mlflow.log_params(
            {
                "window.train_as_of": ",".join(d.isoformat() for d in window.train_as_of),
                "window.valid_as_of": window.valid_as_of.isoformat(),
                "data.train_rows": len(data.train.frame),
                "data.valid_rows": len(data.valid.frame),
                "data.features": len(data.columns),
                "target": self.target,
            }
        )
        tags = {
            "git_sha": git_sha(),
            "data_fingerprint": data.fingerprint,
            "target": self.target,
            "valid_as_of": window.valid_as_of.isoformat(),
        }
        if data.raw_fingerprint:
            tags["raw_data_fingerprint"] = data.raw_fingerprint
        mlflow.set_tags(tags)
        source = str(config.features_dir.resolve())
        first, last = window.train_as_of[0].isoformat(), window.train_as_of[-1].isoformat()
        log_dataset(data.train.frame, source, self.target, f"features-{first}..{last}", "training")
        valid_name = f"features-{window.valid_as_of.isoformat()}"
        log_dataset(data.valid.frame, source, self.target, valid_name, "validation")

    def _baselines(
        self, schema: FeatureSchema, train: pd.DataFrame, valid: pd.DataFrame
    ) -> dict[str, Evaluation]:
        config = self.config
        out = {}
        for name in BASELINES:
            raw = fit_baseline_raw(name, schema, train, self.y_train, valid, config)
            out[name] = self.evaluate(name, raw)
            log_child_run(name, config.baseline.model_dump(), out[name].metrics, {"family": name})
        out[RULE] = self.evaluate(RULE, rule_raw(self.target, valid))
        log_child_run(RULE, {"target": self.target}, out[RULE].metrics, {"family": RULE})
        return out

    def _ablation(self, matrices: Matrices, primary: Evaluation) -> pd.DataFrame:
        columns = list(matrices.schema.columns)

        def evaluate_arm(arm: str, chosen: list[str]) -> dict[str, float]:
            if chosen == columns:
                evaluation = primary
            else:
                subset = matrices.select(chosen)
                booster = fit_lightgbm(subset, self.y_train, self.config)
                evaluation = self.evaluate(arm, booster_raw(booster, subset))
            params = {"arm": arm, "features": len(chosen)}
            log_child_run(f"ablation:{arm}", params, evaluation.metrics, {"ablation_arm": arm})
            return evaluation.metrics

        specs = {**self.specs, TEXT_SCORE: self.specs.get(TEXT_SCORE, TEXT_SCORE_SPEC)}
        table = run_ablation(columns, specs, evaluate_arm)
        log_table(table, "evaluation/ablation", ablation_markdown(table))
        return table

    def _log_evaluation(
        self, evaluations: dict[str, Evaluation], valid: pd.DataFrame
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        import mlflow

        from training.plots import evaluation_figures

        config = self.config
        primary = evaluations[PRIMARY]
        mlflow.log_metrics(finite(primary.metrics))
        rows = [{"model": name, **e.metrics} for name, e in evaluations.items()]
        curves = {name: e.probs for name, e in evaluations.items()}
        oracle = self.evaluate.oracle
        if oracle is not None and not np.isnan(oracle).any():
            metrics = classification_metrics(self.y_valid, oracle, config.capacities)
            rows.append({"model": ORACLE, **metrics})
            curves[ORACLE] = oracle
        comparison = pd.DataFrame(rows)
        log_table(comparison, "evaluation/models", markdown_table(comparison))
        slices = slice_metrics(self.y_valid, primary.probs, slice_columns(valid), config.capacities)
        log_table(slices, "evaluation/slices")
        log_table(reliability_curve(self.y_valid, primary.probs), "evaluation/reliability")
        log_figures(evaluation_figures(self.y_valid, curves, PRIMARY, self.target))
        return comparison, slices

    def _log_model_card(
        self,
        booster,
        valid_sample: np.ndarray,
        primary: Evaluation,
        comparison: pd.DataFrame,
        ablation: pd.DataFrame | None,
    ) -> None:
        import mlflow

        config = self.config
        importance = feature_importance(booster, valid_sample, self.specs)
        log_table(importance, "importance/feature_importance")
        card = render_model_card(
            self.target,
            self.data.window,
            {"train": len(self.data.train.frame), "valid": len(self.data.valid.frame)},
            primary.metrics,
            comparison,
            ablation,
            importance,
            config.calibration,
            config.promotion_metric,
        )
        mlflow.log_text(card, "model_card.md")

    def _register(
        self, model: ProcareModel, model_uri: str, run_id: str, metrics: dict[str, float]
    ) -> tuple[str | None, PromotionDecision | None]:
        """Log the promotion score; register and gate the model when registration is on."""
        import mlflow

        config, data = self.config, self.data
        rows = ValidationRows(data.valid.frame[data.columns], data.valid.documents, self.y_valid)
        prob = model.predict_proba(rows.frame, rows.documents)
        score = promotion_value(config.promotion_metric, rows.y, prob)
        mlflow.log_metric("promotion_score", score)
        if not config.register_models:
            return None, None
        name = config.model_name(self.target)
        version, decision = register_and_promote(
            model_uri,
            name,
            config.promotion_metric,
            score,
            metrics,
            model_version_tags(model, run_id, data.fingerprint, git_sha()),
            data.window,
            rows,
            self.settings,
        )
        mlflow.set_tags(
            {"registered_model": name, "registered_version": version, "alias": decision.alias}
        )
        return version, decision


def _log_model(model: ProcareModel, valid_frame: pd.DataFrame):
    from training.pyfunc import log_procare_model

    return log_procare_model(model, valid_frame.head(5))


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
        ValueError: If snapshots lack labels or carry unregistered feature columns.
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
            trainer = _TargetTrainer(config, data, specs, scorer, settings, target)
            results[target] = trainer.run(bar, task)
            metrics = results[target].metrics
            logger.info(
                "%s: PR AUC %.3f, ROC AUC %.3f", target, metrics["pr_auc"], metrics["roc_auc"]
            )
    return TrainResult(data.window, settings.tracking_uri, results)
