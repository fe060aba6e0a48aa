"""CLI test fixtures; MLflow points at a temporary store in every CLI test, never mlruns/."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import Result

from tests.commands.cli_runner import copy_world, invoke, train_config
from tests.training.conftest import temporary_tracking


@pytest.fixture(autouse=True)
def isolated_mlflow(tmp_path: Path) -> Iterator[Path]:
    """An empty MLflow store in ``tmp_path`` unless a test points a command at another one."""
    folder = tmp_path / "mlruns-empty"
    with temporary_tracking(folder):
        yield folder


@dataclass(frozen=True)
class TrainedByCli:
    """Two ``procare train`` runs on one store: a champion, then a weaker challenger."""

    store: Path
    first: Result
    second: Result


@pytest.fixture(scope="session")
def trained_by_cli(demo_world, tmp_path_factory) -> TrainedByCli:
    """``procare train --target escalation`` twice on a copy of the demo world.

    v1 (small LightGBM) becomes champion; v2 (two stumps) does not beat it and stays challenger.
    Treat the store as read only: copy it (:func:`copy_store`) before changing aliases.
    """
    root = tmp_path_factory.mktemp("train_cli")
    workdir = copy_world(demo_world, root / "work")
    store = root / "mlruns"
    results = []
    for config in (
        train_config(root / "good.yaml"),
        train_config(root / "weak.yaml", n_estimators=2, num_leaves=2),
    ):
        results.append(
            invoke(
                *["train", "--target", "escalation", "--config", str(config)],
                *["--workdir", str(workdir)],
                mlflow_dir=store,
            )
        )
    return TrainedByCli(store, *results)
