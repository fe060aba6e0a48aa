"""Training one target: evaluate its fitted pieces, log and register its model in a parent run.

The model carries the feature and label configuration of its snapshots and the scoring
configuration of the training config, so whoever applies it scores as it was chosen.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from features.assemble import FeatureConfig
from features.registry import FeatureSpec
from features.sources import availability
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
from training.families import ORACLE, PRIMARY, Evaluation, Evaluator, rule_raw, subsample
from training.importance import feature_importance
from training.mlflow_log import (
    finite,
    log_child_run,
    log_dataset,
    log_figures,
    log_table,
    tracked_run,
)
from training.model import ProcareModel
from training.model_card import render_model_card
from training.pieces import ModelInputs, ModelResults
from training.prepared import PreparedData
from training.promotion import (
    ValidationRows,
    model_version_tags,
    promotion_value,
    register_and_promote,
)
from training.registry import PromotionDecision
from training.sampling import SampledRows
from training.snapshot_config import flat_params
from training.text_score import TEXT_SCORE, TEXT_SCORE_SPEC
from training.tracking import TrackingSettings, git_sha


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
    """Evaluates, logs and registers the model of one target from its fitted pieces.

    The fitting happens before, as engine tasks (:mod:`training.pieces`); everything here runs
    in the driver, which alone talks to MLflow.

    Args:
        config: What to train and how (its ``scoring`` section is registered with the model).
        data: Training and validation rows shared by the targets.
        specs: Feature registry by column.
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
        settings: TrackingSettings,
        target: Target,
        feature_config: FeatureConfig | None = None,
    ) -> None:
        self.config = config
        self.data = data
        self.specs = specs
        self.settings = settings
        self.target = target
        self.feature_config = feature_config
        self.y_valid = data.valid.labels(target)
        self.evaluate = Evaluator(config, self.y_valid, data.oracle_for(target))

    def run(
        self,
        inputs: ModelInputs,
        fitted: ModelResults,
        text_model: object | None,
        sample: SampledRows | None = None,
    ) -> TargetResult:
        """Evaluate the fitted pieces, log the run, build and register the model.

        The model is registered and aliased only after its run has ended FINISHED, with every
        artifact and metric logged; a run left by an error or a signal ends FAILED and
        registers nothing.

        Args:
            inputs: The model tasks' shared inputs (schema, validation rows, arms).
            fitted: This target's primary booster and raw validation scores.
            text_model: The fitted text model (``None`` without it).
            sample: The negative subsample of the training rows (``None``: every row).
        """
        config, data, schema = self.config, self.data, inputs.schema
        columns = list(schema.columns)
        experiment_id = self.settings.ensure_experiment(config.experiment_name(self.target))
        run_name = f"{self.target}-{data.window.valid_as_of.isoformat()}"
        with tracked_run(run_name, experiment_id) as parent:
            self._log_context(sample)
            primary = self.evaluate(PRIMARY, fitted.raw[PRIMARY])
            log_child_run(
                PRIMARY, config.lightgbm.model_dump(), primary.metrics, {"family": PRIMARY}
            )
            evaluations = {PRIMARY: primary}
            if config.baselines:
                evaluations.update(self._baselines(fitted, inputs.valid))
            ablation = self._ablation(columns, fitted, primary) if config.ablation else None
            explained = subsample(len(inputs.valid), config.explain_rows, config.seed)
            valid_sample = inputs.valid_rows(self.target, explained)
            model = ProcareModel(
                self.target,
                schema,
                fitted.booster,
                Calibrator(config.calibration).fit(primary.raw, self.y_valid),
                {c: self.specs[c] for c in columns},
                text_model=text_model,
                metadata={
                    "train_as_of": [d.isoformat() for d in data.window.train_as_of],
                    "valid_as_of": data.window.valid_as_of.isoformat(),
                    "data_fingerprint": data.fingerprint,
                    "calibration": config.calibration,
                    "negative_sample_rate": config.negative_sample_rate,
                },
                feature_config=self.feature_config,
                scoring=config.scoring,
            )
            comparison, slices = self._log_evaluation(evaluations, inputs.valid)
            self._log_model_card(model, valid_sample, primary, comparison, ablation, sample)
            info = _log_model(model, data.valid.frame[data.columns])
            rows, score = self._log_promotion_score(model)
        version, decision = self._register(
            model, info.model_uri, parent.info.run_id, primary.metrics, rows, score
        )
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

    def _log_context(self, sample: SampledRows | None) -> None:
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
                "data.fit_rows": len(data.train.frame) if sample is None else len(sample.rows),
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
        missing = [] if self.feature_config is None else self.feature_config.missing_tables
        tags.update({key: ",".join(names) for key, names in availability(missing).items()})
        mlflow.set_tags(tags)
        source = str(config.features_dir.resolve())
        first, last = window.train_as_of[0].isoformat(), window.train_as_of[-1].isoformat()
        train_dates = [d.isoformat() for d in window.train_as_of]
        log_dataset(
            data.train.frame,
            source,
            self.target,
            f"features-{first}..{last}",
            "training",
            digest=data.train_fingerprint,
            snapshot_dates=train_dates,
        )
        valid_name = f"features-{window.valid_as_of.isoformat()}"
        log_dataset(
            data.valid.frame,
            source,
            self.target,
            valid_name,
            "validation",
            digest=data.valid_fingerprint,
            snapshot_dates=[window.valid_as_of.isoformat()],
        )

    def _baselines(self, fitted: ModelResults, valid: pd.DataFrame) -> dict[str, Evaluation]:
        config = self.config
        out = {}
        for name in BASELINES:
            if name not in fitted.raw:
                continue
            out[name] = self.evaluate(name, fitted.raw[name])
            log_child_run(name, config.baseline.model_dump(), out[name].metrics, {"family": name})
        out[RULE] = self.evaluate(RULE, rule_raw(self.target, valid))
        log_child_run(RULE, {"target": self.target}, out[RULE].metrics, {"family": RULE})
        return out

    def _ablation(
        self, columns: list[str], fitted: ModelResults, primary: Evaluation
    ) -> pd.DataFrame:
        def evaluate_arm(arm: str, chosen: list[str]) -> dict[str, float]:
            evaluation = primary if chosen == columns else self.evaluate(arm, fitted.arms[arm])
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
        sample: SampledRows | None,
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
            None if sample is None else (sample.rate, len(sample.rows)),
        )
        mlflow.log_text(card, "model_card.md")

    def _log_promotion_score(self, model: ProcareModel) -> tuple[ValidationRows, float]:
        """Log the model's promotion metric on the validation rows (in the active run)."""
        import mlflow

        config, data = self.config, self.data
        rows = ValidationRows(data.valid.frame[data.columns], data.valid.documents, self.y_valid)
        prob = model.predict_proba(rows.frame, rows.documents)
        score = promotion_value(config.promotion_metric, rows.y, prob)
        mlflow.log_metric("promotion_score", score)
        return rows, score

    def _register(
        self,
        model: ProcareModel,
        model_uri: str,
        run_id: str,
        metrics: dict[str, float],
        rows: ValidationRows,
        score: float,
    ) -> tuple[str | None, PromotionDecision | None]:
        """Register and gate the model of the ended run ``run_id`` when registration is on."""
        config, data = self.config, self.data
        if not config.register_models:
            return None, None
        name = config.model_name(self.target)
        version, decision = register_and_promote(
            model_uri,
            run_id,
            name,
            config.promotion_metric,
            score,
            metrics,
            model_version_tags(model, run_id, data.fingerprint, git_sha()),
            data.window,
            rows,
            self.settings,
        )
        client = self.settings.client()
        for key, value in (
            ("registered_model", name),
            ("registered_version", version),
            ("alias", decision.alias),
        ):
            client.set_tag(run_id, key, value)
        return version, decision


def _log_model(model: ProcareModel, valid_frame: pd.DataFrame):
    from training.pyfunc import log_procare_model

    return log_procare_model(model, valid_frame.head(5))
