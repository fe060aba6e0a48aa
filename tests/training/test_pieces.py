"""Training pieces on an engine: the same fits as the sequential path, locally and on Dask."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pipelines.engine import BucketTaskError, DaskEngine, LocalEngine
from tests.training.conftest import temporary_tracking
from tests.training.test_text_score import _rows
from tests.training.world import SPECS, STAND_IN_FOLDED_SCORER, STAND_IN_SCORER
from training.config import LightGBMParams, TrainConfig
from training.families import Evaluator, Matrices, fit_baseline_raw, fit_lightgbm
from training.feature_schema import FeatureSchema
from training.pieces import (
    TargetRows,
    run_pieces,
    run_text_piece,
    text_inputs,
    text_pieces,
    text_scores,
)
from training.prepared import prepare_data
from training.process_engine import PIECE_BLAS_THREADS, ProcessEngine, piece_engine, same_blas
from training.text_score import TEXT_SCORE, default_text_scorer, fit_text_scores
from training.train import train

pytestmark = pytest.mark.xdist_group("dask")


def _config(features_dir: Path, world_dir: Path, **overrides) -> TrainConfig:
    settings = {
        "features_dir": features_dir,
        "world_dir": world_dir,
        "raw_dir": None,
        "lightgbm": LightGBMParams(n_estimators=40),
        "text_oof_folds": 3,
        "calibration_folds": 3,
        "explain_rows": 200,
        "baseline": {"max_train_rows": 3000, "mlp_max_iter": 30},
        "register_models": False,
    }
    settings.update(overrides)
    return TrainConfig(**settings)


def _train(world, folder: Path, engine=None, scorer=STAND_IN_FOLDED_SCORER, **overrides):
    with temporary_tracking(folder) as settings:
        return train(
            _config(*world, **overrides),
            tracking=settings,
            specs=SPECS,
            text_scorer=scorer,
            engine=engine,
        )


@pytest.fixture(scope="module")
def local_run(world, tmp_path_factory):
    return _train(world, tmp_path_factory.mktemp("local"))


def test_text_folds_as_tasks_equal_the_real_models_out_of_fold_scores():
    docs, y, groups, valid_docs, _ = _rows()
    scorer = default_text_scorer()
    with same_blas(PIECE_BLAS_THREADS):
        reference = fit_text_scores(scorer, docs, y, groups, valid_docs, 3, seed=0)
    config = TrainConfig(text_oof_folds=3, seed=0)
    inputs = text_inputs(scorer, docs, groups, valid_docs, {"escalation": TargetRows(y)}, config)
    assert len(text_pieces(inputs)) == 4
    results = run_pieces(LocalEngine(), run_text_piece, text_pieces(inputs), inputs)
    scores = text_scores(inputs, results)["escalation"]
    np.testing.assert_array_equal(scores.train, reference.train)
    np.testing.assert_array_equal(scores.valid, reference.valid)


def test_local_engine_fits_exactly_what_the_sequential_path_fits(world, local_run):
    """The path before the engine: text score, schema, matrices and fits, one after another."""
    config = _config(*world)
    specs = {**SPECS}
    data = prepare_data(config, specs)
    columns = [*data.columns, TEXT_SCORE]
    for target, result in local_run.targets.items():
        y = data.train.labels(target)
        text = fit_text_scores(
            STAND_IN_SCORER,
            data.train.documents,
            y,
            data.train.customer_id,
            data.valid.documents,
            3,
            0,
        )
        train_frame = data.train.frame[data.columns].assign(**{TEXT_SCORE: text.train})
        valid_frame = data.valid.frame[data.columns].assign(**{TEXT_SCORE: text.valid})
        declared = {c: SPECS[c].dtype for c in data.columns} | {TEXT_SCORE: "float"}
        schema = FeatureSchema.from_frames([train_frame], columns, declared)
        booster = fit_lightgbm(Matrices.build(schema, train_frame, valid_frame), y, config)
        assert result.model.schema == schema
        assert result.model.booster.model_to_string() == booster.model_to_string()
        raw = fit_baseline_raw("mlp", schema, train_frame, y, valid_frame, config)
        evaluate = Evaluator(config, data.valid.labels(target), data.oracle_for(target))
        families = result.comparison.set_index("model")
        assert families.loc["mlp", "pr_auc"] == evaluate("mlp", raw).metrics["pr_auc"]


def test_dask_engine_gives_identical_results_to_the_local_engine(
    world, local_run, dask_client, tmp_path
):
    remote = _train(world, tmp_path, engine=DaskEngine(dask_client))
    for target, local in local_run.targets.items():
        other = remote.targets[target]
        assert other.metrics == local.metrics
        pd.testing.assert_frame_equal(other.comparison, local.comparison)
        pd.testing.assert_frame_equal(other.ablation, local.ablation)
        assert other.model.booster.model_to_string() == local.model.booster.model_to_string()
        assert other.model.calibrator.coef_.tolist() == local.model.calibrator.coef_.tolist()


def test_real_text_model_runs_on_dask_as_it_does_locally(world, dask_client, tmp_path):
    options = {"targets": ["escalation"], "baselines": False, "ablation": False}
    scorer = default_text_scorer()
    local = _train(world, tmp_path / "local", scorer=scorer, **options)
    remote = _train(world, tmp_path / "dask", DaskEngine(dask_client), scorer, **options)
    assert remote.targets["escalation"].metrics == local.targets["escalation"].metrics


def test_pieces_run_with_one_blas_thread_wherever_they_run():
    from threadpoolctl import threadpool_info, threadpool_limits

    def blas() -> set[int]:
        return {i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"}

    assert PIECE_BLAS_THREADS == 1
    for threads in (1, 2):
        with threadpool_limits(limits=threads, user_api="blas"):
            assert blas() == {threads}
            with same_blas(PIECE_BLAS_THREADS):
                assert blas() == {1}


def test_forked_pieces_give_identical_results_to_pieces_in_this_process(world, local_run, tmp_path):
    """``local_run`` ran its pieces in forked processes (the default); this run in-process."""
    assert isinstance(piece_engine(None, 2), ProcessEngine)
    in_process = _train(world, tmp_path, processes=1)
    for target, forked in local_run.targets.items():
        other = in_process.targets[target]
        assert other.metrics == forked.metrics
        pd.testing.assert_frame_equal(other.comparison, forked.comparison)
        pd.testing.assert_frame_equal(other.ablation, forked.ablation)
        assert other.model.booster.model_to_string() == forked.model.booster.model_to_string()


def _fails_on_three(item: int, offset: int) -> int:
    if item == 3:
        raise ValueError("three")
    return item + offset


def test_fork_engine_yields_every_result_and_names_a_failed_item():
    assert dict(ProcessEngine(2).map(_fails_on_three, [0, 1, 2], offset=10)) == {
        0: 10,
        1: 11,
        2: 12,
    }
    with pytest.raises(BucketTaskError, match="bucket 3: ValueError: three"):
        dict(ProcessEngine(2).map(_fails_on_three, [0, 3, 1, 2], offset=10))
    assert isinstance(piece_engine(None, 1), LocalEngine)


def test_text_folds_read_from_counted_documents_equal_the_real_model_on_sampled_rows():
    """Folds of negative-sampled rows read the counts of the right documents."""
    from training.sampling import negative_sample

    docs, y, groups, valid_docs, _ = _rows()
    sample = negative_sample(y, 0.5, 3)
    scorer = default_text_scorer()
    with same_blas(PIECE_BLAS_THREADS):
        reference = fit_text_scores(
            scorer, docs[sample.rows], y[sample.rows], groups[sample.rows], valid_docs, 3, seed=0
        )
    config = TrainConfig(text_oof_folds=3, seed=0)
    rows = {"escalation": TargetRows(y[sample.rows], sample)}
    inputs = text_inputs(scorer, docs, groups, valid_docs, rows, config)
    assert inputs.counted is not None
    results = run_pieces(LocalEngine(), run_text_piece, text_pieces(inputs), inputs)
    scores = text_scores(inputs, results)["escalation"]
    np.testing.assert_array_equal(scores.train, reference.train)
    np.testing.assert_array_equal(scores.valid, reference.valid)


def test_fork_engine_workers_do_not_inherit_this_processes_openmp_threads():
    """A process forked after a multi-threaded LightGBM prediction hangs in its first OpenMP
    region; the engine's workers come from a clean fork server instead."""
    import lightgbm as lgb

    rng = np.random.default_rng(0)
    x, y = rng.random((3000, 4)), rng.random(3000) < 0.3
    booster = lgb.train(
        {"objective": "binary", "verbosity": -1, "num_threads": 2},
        lgb.Dataset(x, label=y),
        num_boost_round=5,
    )
    expected = booster.predict(x, num_threads=2)
    results = dict(ProcessEngine(2).map(_predict, [0, 1], booster=booster, x=x))
    np.testing.assert_array_equal(results[0], expected)
    np.testing.assert_array_equal(results[1], expected)


def _predict(item: int, booster, x: np.ndarray) -> np.ndarray:
    return booster.predict(x, num_threads=2)
