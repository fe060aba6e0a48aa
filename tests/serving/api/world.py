"""The demo world taken one step further for serving: champions trained, latest snapshot scored."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from serving.api.settings import ServingSettings
from serving.scoring.batch import BatchScoreConfig, score_snapshot
from tests.demo_world import DemoWorld
from tests.training.conftest import temporary_tracking
from training.config import LightGBMParams, TrainConfig
from training.train import train

FAST_LIGHTGBM = LightGBMParams(n_estimators=40, num_leaves=15, min_child_samples=20, num_threads=1)


@dataclass(frozen=True)
class ServedWorld:
    """A demo world with registered champions and batch scores of its latest snapshot."""

    demo: DemoWorld
    mlflow_dir: Path
    scores_dir: Path

    @property
    def tracking_uri(self) -> str:
        """The MLflow store the champions are registered in."""
        return f"sqlite:///{self.mlflow_dir}/mlflow.db"

    @property
    def as_of(self):
        """The served (latest, scored) snapshot."""
        return self.demo.snapshots[-1]

    def settings(self, **overrides) -> ServingSettings:
        """Service settings pointing at this world."""
        values = {
            "features_dir": self.demo.features_dir,
            "raw_dir": self.demo.raw_dir,
            "scores_dir": self.scores_dir,
            "index_dir": self.scores_dir.parent / "index",
            "tracking_uri": self.tracking_uri,
            "api_key": "test-key",
            "live_dir": None,
            **overrides,
        }
        return ServingSettings.model_validate(values)


def train_and_score(demo: DemoWorld, root: Path) -> ServedWorld:
    """Train small champions on the demo world (MLflow under ``root``) and score its snapshot
    as ``procare score`` does (reasons precomputed for the shown tiers only)."""
    mlflow_dir = root / "mlruns"
    scores_dir = root / "scores"
    with temporary_tracking(mlflow_dir) as tracking:
        train(
            TrainConfig(
                features_dir=demo.features_dir,
                world_dir=demo.world_dir,
                raw_dir=demo.raw_dir,
                lightgbm=FAST_LIGHTGBM,
                baselines=False,
                ablation=False,
                text_oof_folds=2,
                calibration_folds=2,
                explain_rows=100,
            ),
            tracking=tracking,
        )
        config = BatchScoreConfig(
            as_of=demo.snapshots[-1], features_dir=demo.features_dir, scores_dir=scores_dir
        )
        score_snapshot(config, tracking)
    return ServedWorld(demo, mlflow_dir, scores_dir)


def as_records(frame: pd.DataFrame, columns: list[str]) -> list[dict]:
    """Feature rows as JSON-ready records (exact floats, categories as strings, nulls as None)."""
    values = frame[columns].astype(object).where(frame[columns].notna(), None)
    records = []
    for customer_id, row in zip(frame.index, values.to_dict("records"), strict=True):
        record = {
            key: (value.item() if hasattr(value, "item") else value) for key, value in row.items()
        }
        record["customer_id"] = str(customer_id)
        records.append(record)
    return records
