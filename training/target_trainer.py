"""Training one target: fit, evaluate, log and register its model in the current parent run.

The model carries the feature and label configuration of its snapshots and the scoring
configuration of the training config, so whoever applies it scores as it was chosen.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from rich.progress import Progress, TaskID

from features.assemble import FeatureConfig
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
from training.prepared import PreparedData
from training.promotion import (
    ValidationRows,
    model_version_tags,
    promotion_value,
    register_and_promote,
)
from training.registry import PromotionDecision
from training.snapshot_config import flat_params
from training.text_score import TEXT_SCORE, TEXT_SCORE_SPEC, TextScorer, fit_text_scores
from training.tracking import TrackingSettings, git_sha

STEPS = 5
"""Progress steps of one target."""


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


class TargetTrainer:
    """Trains, evaluates, logs and registers the model of one target.

    Args:
        config: What to train and how (its ``scoring`` section is registered with the model).
        data: Training and validation rows shared by the targets.
        specs: Feature registry by column.
        scorer: Text model hooks, or ``None`` without the text-model score.
        settings: MLflow settings.
        target: The label.
        feature_config: Feature and label configuration of the snapshots (``None`` when they
            do not record it), registered with the model.
    """

    def __init__(
        self,
        config: TrainConfig,
        data: PreparedData,
        specs: Mapping[str, FeatureSpec],
        scorer: TextScorer | None,
        settings: TrackingSettings,
        target: Target,
        feature_config: FeatureConfig | None = None,
    ) -> None:
        self.config = config
        self.data = data
        self.specs = specs
        self.scorer = scorer
        self.settings = settings
        self.target = target
        self.feature_config = feature_config
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
                feature_config=self.feature_config,
                scoring=config.scoring,
            )
            comparison, slices = self._log_evaluation(evaluations, valid)
            self._log_model_card(model, valid_sample, primary, comparison, ablation)
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
        if self.feature_config is not None:
            mlflow.log_params(
                flat_params(self.feature_config.model_dump(mode="json"), "snapshots.")
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
        model: ProcareModel,
        valid_sample: np.ndarray,
        primary: Evaluation,
        comparison: pd.DataFrame,
        ablation: pd.DataFrame | None,
    ) -> None:
        import mlflow

        config = self.config
        importance = feature_importance(model.booster, valid_sample, self.specs)
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
            model.carried_configs(),
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
