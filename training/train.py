"""``train(config)``: out-of-time training of both targets, tracked in MLflow, registered.

Per target: one MLflow experiment; per call one parent run holding the whole config as params,
the dataset lineage, tags (git SHA, data fingerprint), the primary model's metrics, plots, tables,
model card and the pyfunc model; nested child runs per model family and per ablation arm (see
:mod:`training.target_trainer`). Every snapshot of the window must share one feature
configuration; it is registered with the models, with the config's ``scoring`` section.

A training killed midway never leaves a RUNNING run or an alias behind: SIGTERM, Ctrl-C and
errors end the open runs FAILED, runs of a process killed outright (SIGKILL, power loss) are
marked FAILED when the next training starts, and a model is registered only once its run has
FINISHED.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from rich.progress import Progress

from features.registry import FeatureSpec
from features.vocabulary import TARGETS
from pipelines.engine import DaskEngine, Engine
from training.ablation import ARMS, arm_columns
from training.baselines import BASELINES
from training.config import TrainConfig
from training.families import Matrices, booster_raw
from training.feature_schema import FeatureSchema
from training.pieces import (
    ModelInputs,
    Piece,
    TargetRows,
    model_pieces,
    model_results,
    model_schema,
    run_model_piece,
    run_pieces,
    run_text_piece,
    text_inputs,
    text_pieces,
    text_scores,
)
from training.prepared import PreparedData, prepare_data
from training.process_engine import PIECE_BLAS_THREADS, piece_engine
from training.sampling import negative_sample
from training.snapshot_config import read_snapshot_metas, training_feature_config
from training.split import SnapshotWindow
from training.target_trainer import TargetResult, TargetTrainer
from training.text_score import (
    TEXT_SCORE,
    TEXT_SCORE_SPEC,
    TextScorer,
    TextScores,
    default_text_scorer,
)
from training.tracking import TrackingSettings, fail_runs_on_signal, reap_orphaned_runs

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
    """Outcome of one ``train`` call (``seconds``: wall time of each phase)."""

    window: SnapshotWindow
    tracking_uri: str
    targets: dict[str, TargetResult]
    seconds: dict[str, float] = field(default_factory=dict)

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
    engine: Engine | None = None,
    distributed: bool = False,
) -> TrainResult:
    """Train, evaluate, log and register one model per target on an out-of-time split.

    The independent pieces (each text-model fold, each model family, each ablation arm, of
    every target) run as tasks on ``engine``; evaluation and MLflow logging stay here.

    Args:
        config: What to train and how.
        progress: Show rich progress bars.
        tracking: MLflow settings (default: ``MLFLOW_TRACKING_URI`` or ``sqlite:///mlruns/...``).
        specs: Feature registry by column (default: :func:`features.catalog.feature_specs`).
        text_scorer: Text model hooks (default: :class:`features.text.TextRiskModel`).
        use_text_model: Add the ``txt_model_score`` feature.
        engine: Where the pieces run (default or local: ``config.processes`` forked processes
            of this one, see :func:`training.process_engine.piece_engine`).
        distributed: Train each target's primary LightGBM model across the Dask cluster of
            ``engine`` with ``lightgbm.dask`` (close to, not identical with, one machine's).

    Returns:
        Per-target results and where they are tracked.

    Raises:
        SplitError: If the window is not strictly out of time or has no data.
        ValueError: If snapshots lack labels, carry unregistered feature columns, or were built
            with different feature configurations.
        TrainingInterrupted: On SIGTERM (the open runs end FAILED; nothing more is registered).
    """
    settings = tracking or TrackingSettings.from_env()
    settings.apply()
    reap_orphaned_runs(settings, config.experiment_prefix)
    with fail_runs_on_signal():
        return _train(
            config, progress, settings, specs, text_scorer, use_text_model, engine, distributed
        )


def _train(
    config: TrainConfig,
    progress: bool,
    settings: TrackingSettings,
    specs: Mapping[str, FeatureSpec] | None,
    text_scorer: TextScorer | None,
    use_text_model: bool,
    engine: Engine | None,
    distributed: bool,
) -> TrainResult:
    start = time.perf_counter()
    if specs is None:
        from features.catalog import feature_specs

        specs = feature_specs()
    specs = {**specs}
    specs.setdefault(TEXT_SCORE, TEXT_SCORE_SPEC)
    scorer = (text_scorer or default_text_scorer()) if use_text_model else None
    engine = piece_engine(engine, config.processes)
    if distributed and not isinstance(engine, DaskEngine):
        raise ValueError("distributed LightGBM training needs the dask engine")
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
    rows = {t: target_rows(data.train.labels(t), config, t) for t in config.targets}
    kept, fit_rows = fitted_rows(rows)
    results = {}
    seconds = {"read": time.perf_counter() - start}
    with Progress(disable=not progress, transient=True) as bar:
        text = None
        if scorer is not None:
            start = time.perf_counter()
            text_in = text_inputs(
                scorer,
                data.train.documents if kept is None else data.train.documents[kept],
                data.train.customer_id if kept is None else data.train.customer_id[kept],
                data.valid.documents,
                fit_rows,
                config,
                engine,
            )
            pieces = text_pieces(text_in)
            task = bar.add_task("text model", total=len(pieces))
            done = run_pieces(engine, run_text_piece, pieces, text_in, lambda: bar.advance(task))
            text = text_scores(text_in, done)
            seconds["text_model"] = time.perf_counter() - start
            logger.info("phase text_model done: %.1f s", seconds["text_model"])
        start = time.perf_counter()
        inputs = model_inputs(config, data, specs, fit_rows, text, kept)
        pieces = model_pieces(inputs, primary=not distributed)
        task = bar.add_task("models", total=len(pieces))
        done = run_pieces(engine, run_model_piece, pieces, inputs, lambda: bar.advance(task))
        if distributed:
            done.update(fit_primary_on_cluster(engine, inputs))
        fitted = model_results(inputs, done)
        seconds["models"] = time.perf_counter() - start
        logger.info("phase models done: %.1f s", seconds["models"])
        start = time.perf_counter()
        task = bar.add_task("evaluate, log, register", total=len(config.targets))
        for target in config.targets:
            trainer = TargetTrainer(config, data, specs, settings, target, feature_config)
            results[target] = trainer.run(
                inputs,
                fitted[target],
                None if text is None else text[target].model,
                rows[target].sample,
            )
            bar.advance(task)
            metrics = results[target].metrics
            logger.info(
                "%s: PR AUC %.3f, ROC AUC %.3f", target, metrics["pr_auc"], metrics["roc_auc"]
            )
    seconds["evaluate_log_register"] = time.perf_counter() - start
    logger.info("seconds per phase: %s", {k: round(v, 1) for k, v in seconds.items()})
    return TrainResult(data.window, settings.tracking_uri, results, seconds)


def target_rows(y: np.ndarray, config: TrainConfig, target: str) -> TargetRows:
    """The training rows of one target: every row, or every positive and a share of negatives.

    Each target draws its negatives from its own seed (``config.seed`` and the target), the same
    whichever other targets are trained in the call.
    """
    seed = [config.seed, list(TARGETS).index(target)]
    sample = negative_sample(y, config.negative_sample_rate, seed)
    return TargetRows(y if sample is None else y[sample.rows], sample)


def fitted_rows(
    rows: Mapping[str, TargetRows],
) -> tuple[np.ndarray | None, dict[str, TargetRows]]:
    """The training rows some target fits on, and each target's rows as positions within them.

    With negative subsampling most training rows are fitted by no target; the pieces' inputs
    (sent to every worker process) then hold only the kept rows, so their memory and transfer
    shrink with the rate. Every piece reads its target's rows only, so the fits are the same.

    Returns:
        ``(None, rows)`` when a target fits every row; else the ascending positions of the
        rows kept by any target, and each target's rows renumbered within them.
    """
    if any(used.sample is None for used in rows.values()):
        return None, dict(rows)
    kept = np.unique(np.concatenate([used.sample.rows for used in rows.values()]))
    renumbered = {
        target: TargetRows(
            used.y, replace(used.sample, rows=np.searchsorted(kept, used.sample.rows))
        )
        for target, used in rows.items()
    }
    return kept, renumbered


def model_inputs(
    config: TrainConfig,
    data: PreparedData,
    specs: Mapping[str, FeatureSpec],
    rows: Mapping[str, TargetRows],
    text: Mapping[str, TextScores] | None,
    kept: np.ndarray | None = None,
) -> ModelInputs:
    """The model tasks' inputs: the schema pinned on every training row, base matrices, arms.

    ``kept``: the training rows the targets fit on (:func:`fitted_rows`; ``rows`` numbered
    within them); the schema is still pinned on every training row.
    """
    columns = data.columns
    train, valid = data.train.frame[columns], data.valid.frame[columns]
    declared = {c: specs[c].dtype for c in columns}
    base = FeatureSchema.from_frames([train], columns, declared)
    if kept is not None:
        train = train.iloc[kept]
    schema = model_schema(base, text is not None)
    model_columns = list(schema.columns)
    arms = {}
    if config.ablation:
        for arm in ARMS:
            chosen = arm_columns(model_columns, specs, arm)
            if chosen and chosen != model_columns:
                arms[arm] = chosen
    return ModelInputs(
        config,
        schema,
        Matrices.build(base, train, valid),
        train,
        valid,
        dict(rows),
        None if text is None else dict(text),
        arms,
        BASELINES if config.baselines else (),
        PIECE_BLAS_THREADS,
    )


def fit_primary_on_cluster(engine: DaskEngine, inputs: ModelInputs) -> dict[Piece, object]:
    """Each target's primary model trained with ``lightgbm.dask``, as the model pieces give it."""
    from training.distributed import fit_lightgbm_dask

    out = {}
    for target, used in inputs.rows.items():
        matrices = inputs.matrices(target)
        booster = fit_lightgbm_dask(engine.client, matrices, used.y, inputs.config, used.weights)
        out[Piece("lightgbm", target)] = (booster, booster_raw(booster, matrices))
    return out
