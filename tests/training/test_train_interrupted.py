"""A training killed or failing midway leaves no RUNNING run and no alias behind (issue 14.8)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import training.promotion
import training.target_trainer
from tests.training.world import SPECS
from training.config import LightGBMParams, TrainConfig
from training.registry import CHAMPION
from training.tracking import END_REASON_TAG, FAILED, FINISHED
from training.train import train

REPO = Path(__file__).resolve().parents[2]
EXPERIMENT = MODEL = "procare-escalation"

STALLED_TRAINING = """
import sys, time
from pathlib import Path

import training.target_trainer
from tests.training.world import SPECS
from training.config import LightGBMParams, TrainConfig
from training.train import train

features_dir, world_dir, ready = sys.argv[1:4]


def stall(model, frame):
    Path(ready).write_text("logging the model")
    time.sleep(120)


training.target_trainer._log_model = stall
config = TrainConfig(
    features_dir=features_dir, world_dir=world_dir, raw_dir=None, targets=["escalation"],
    lightgbm=LightGBMParams(n_estimators=5), baselines=False, ablation=False,
    text_oof_folds=2, calibration_folds=2, explain_rows=100,
)
train(config, specs=SPECS, use_text_model=False)
"""


def _tiny_config(world) -> TrainConfig:
    features_dir, world_dir = world
    return TrainConfig(
        features_dir=features_dir,
        world_dir=world_dir,
        raw_dir=None,
        targets=["escalation"],
        lightgbm=LightGBMParams(n_estimators=5),
        baselines=False,
        ablation=True,
        text_oof_folds=2,
        calibration_folds=2,
        explain_rows=100,
    )


def _stalled_training(world, tracking, tmp_path: Path) -> subprocess.Popen:
    """A real ``train`` process, stopped while logging its model (parent and child runs open)."""
    script = tmp_path / "stalled_training.py"
    script.write_text(STALLED_TRAINING)
    ready = tmp_path / "ready"
    env = {**os.environ, "MLFLOW_TRACKING_URI": tracking.tracking_uri, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [sys.executable, str(script), str(world[0]), str(world[1]), str(ready)],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 90
    while not ready.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"training never reached the model: {process.stderr.read()[-2000:]}")
        time.sleep(0.1)
    return process


def _runs(tracking):
    client = tracking.client()
    experiment = client.get_experiment_by_name(EXPERIMENT)
    return client.search_runs([experiment.experiment_id])


def _parent(runs):
    (parent,) = [run for run in runs if "mlflow.parentRunId" not in run.data.tags]
    return parent


def _statuses(runs) -> set[str]:
    return {run.info.status for run in runs}


def test_sigterm_midway_ends_every_run_failed_and_registers_nothing(world, tracking, tmp_path):
    process = _stalled_training(world, tracking, tmp_path)
    assert _parent(_runs(tracking)).info.status == "RUNNING"
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) != 0
    runs = _runs(tracking)
    parent = _parent(runs)
    assert "RUNNING" not in _statuses(runs)
    assert parent.info.status == FAILED
    assert parent.data.tags[END_REASON_TAG] == "interrupted by SIGTERM"
    assert tracking.client().search_registered_models() == []


def test_a_model_is_aliased_only_after_its_run_finished_and_an_error_midway_keeps_it(
    world, tracking, monkeypatch
):
    client = tracking.client()
    seen = []
    register = training.promotion.register_version

    def spy(model_uri, name, tags, settings=None):
        seen.append(client.get_run(tags["parent_run_id"]).info.status)
        return register(model_uri, name, tags, settings)

    monkeypatch.setattr(training.promotion, "register_version", spy)
    first = train(_tiny_config(world), tracking=tracking, specs=SPECS, use_text_model=False)
    outcome = first.targets["escalation"]
    assert seen == [FINISHED]
    assert outcome.decision.alias == CHAMPION
    run = client.get_run(outcome.parent_run_id)
    assert run.info.status == FINISHED
    assert run.data.tags["registered_version"] == outcome.version == "1"

    def broken_card(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(training.target_trainer, "render_model_card", broken_card)
    with pytest.raises(RuntimeError, match="disk full"):
        train(_tiny_config(world), tracking=tracking, specs=SPECS, use_text_model=False)
    failed = [run for run in _runs(tracking) if run.info.status != FINISHED]
    assert [run.info.status for run in failed] == [FAILED]
    assert failed[0].data.tags[END_REASON_TAG] == "error: RuntimeError"
    model = client.get_registered_model(MODEL)
    assert {alias: str(v) for alias, v in model.aliases.items()} == {CHAMPION: "1"}
    versions = client.search_model_versions(f"name = '{MODEL}'")
    assert [str(v.version) for v in versions] == ["1"] and seen == [FINISHED]
