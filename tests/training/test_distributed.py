"""LightGBM across the Dask cluster (lightgbm.dask): every worker holds data, free ports."""

from __future__ import annotations

import pytest

from pipelines.engine import DaskEngine
from tests.training.conftest import temporary_tracking
from tests.training.world import SPECS
from training.config import LightGBMParams, TrainConfig
from training.distributed import worker_blocks
from training.train import train

pytestmark = pytest.mark.xdist_group("dask")


def test_every_worker_gets_a_contiguous_block_of_rows():
    assert worker_blocks(10, 3) == [(0, 3), (3, 7), (7, 10)]
    assert worker_blocks(2, 2) == [(0, 1), (1, 2)]
    with pytest.raises(ValueError, match="each of 3 workers"):
        worker_blocks(2, 3)


def _train(world, folder, **options):
    features_dir, world_dir = world
    config = TrainConfig(
        features_dir=features_dir,
        world_dir=world_dir,
        raw_dir=None,
        targets=["escalation"],
        lightgbm=LightGBMParams(n_estimators=60),
        baselines=False,
        ablation=False,
        calibration_folds=3,
        explain_rows=200,
        register_models=False,
    )
    with temporary_tracking(folder) as settings:
        return train(config, tracking=settings, specs=SPECS, use_text_model=False, **options)


def test_distributed_lightgbm_on_two_workers_matches_one_machine_closely(
    world, dask_client, tmp_path
):
    local = _train(world, tmp_path / "local").targets["escalation"]
    engine = DaskEngine(dask_client)
    spread = _train(world, tmp_path / "dask", engine=engine, distributed=True)
    cluster = spread.targets["escalation"]
    booster = cluster.model.booster
    assert booster.num_trees() == 60
    assert booster.params["num_machines"] == 2
    ports = {address.split(":")[1] for address in booster.params["machines"].split(",")}
    assert len(ports) == 2
    assert cluster.metrics["roc_auc"] == pytest.approx(local.metrics["roc_auc"], abs=0.02)
    assert cluster.metrics["pr_auc"] == pytest.approx(local.metrics["pr_auc"], abs=0.05)


def test_distributed_training_refuses_the_local_engine(world, tmp_path):
    with pytest.raises(ValueError, match="needs the dask engine"):
        _train(world, tmp_path, distributed=True)
