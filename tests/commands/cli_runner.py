"""Running the ``procare`` CLI in tests: the runner, and work folders copied from fixtures."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from click.testing import Result
from typer.testing import CliRunner

from cli import app
from tests.demo_world import DemoWorld
from tests.serving.api.world import FAST_LIGHTGBM, ServedWorld
from tests.training.conftest import temporary_tracking

runner = CliRunner()


def invoke(*args: str, mlflow_dir: Path | None = None) -> Result:
    """Run ``procare *args`` (with ``mlflow_dir``: MLflow pointed at that folder's store)."""
    if mlflow_dir is None:
        return runner.invoke(app, list(args))
    with temporary_tracking(mlflow_dir):
        return runner.invoke(app, list(args))


def help_text(*command: str) -> str:
    """The ``--help`` page of a command (asserting it exits 0)."""
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0, result.output
    return result.output


def one_line(result: Result) -> str:
    """The output with the console's line breaks removed (long paths wrap at 140 columns)."""
    return result.output.replace("\n", "")


def copy_world(demo: DemoWorld, workdir: Path) -> Path:
    """A work folder holding copies of the demo world's world/, raw/ and features/ folders."""
    for folder in (demo.world_dir, demo.raw_dir, demo.features_dir):
        shutil.copytree(folder, workdir / folder.name)
    return workdir


def copy_store(mlflow_dir: Path, dest: Path) -> Path:
    """A copy of an MLflow store's database (its artifacts stay where they are, read only)."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(mlflow_dir / "mlflow.db", dest / "mlflow.db")
    return dest


def copy_served(served: ServedWorld, root: Path) -> tuple[Path, Path]:
    """A work folder with the served world's data and scores, and a copy of its MLflow store.

    New experiments (outreach runs) keep their artifacts beside the copied database, so commands
    write nothing into the session's fixture.
    """
    workdir = copy_world(served.demo, root / "work")
    shutil.copytree(served.scores_dir, workdir / "scores")
    return workdir, copy_store(served.mlflow_dir, root / "mlruns")


SMALL_TRAINING = {
    "text_oof_folds": 2,
    "calibration_folds": 2,
    "explain_rows": 100,
    "baselines": False,
    "ablation": False,
}


def train_config(path: Path, **lightgbm: int) -> Path:
    """A small YAML TrainConfig at ``path``: fast LightGBM (``lightgbm`` overrides), no extras."""
    params = FAST_LIGHTGBM.model_dump() | lightgbm
    path.write_text(yaml.safe_dump({**SMALL_TRAINING, "lightgbm": params}))
    return path
