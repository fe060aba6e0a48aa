"""A non-default configuration round-trips: snapshots and `procare train` -> registry ->
batch scores -> the service's /score and /model_info."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import mlflow
import pytest
import yaml
from starlette.testclient import TestClient

from features.assemble import FeatureConfig
from features.labels import LabelConfig
from pipelines.scores import read_scores, read_scores_scoring
from pipelines.snapshot import SnapshotConfig, build_snapshots, read_snapshot
from serving.api.settings import ServingSettings
from serving.api.state import check_scores_scoring
from serving.scoring.batch import BatchScoreConfig, score_snapshot
from serving.scoring.score import score_customers
from tests.demo_world import SNAPSHOTS, DemoWorld
from tests.serving.api.conftest import AUTH, service_client
from tests.serving.api.world import FAST_LIGHTGBM, as_records
from tests.training.conftest import temporary_tracking
from training.champions import ChampionModels, ScoringConfig, load_champions
from training.config import TrainConfig
from training.train import train

HORIZON = 20
SCORING = {
    "tiers": {"high_repeat": 0.0, "high_escalation": 0.0},
    "top_reasons": 1,
}


@dataclass(frozen=True)
class ConfiguredWorld:
    """The demo world's tables re-snapshotted with a 20-day horizon, trained with SCORING."""

    features_dir: Path
    scores_dir: Path
    mlflow_dir: Path
    settings: ServingSettings
    champions: ChampionModels


@pytest.fixture(scope="module")
def configured(demo_world: DemoWorld, tmp_path_factory) -> ConfiguredWorld:
    root = tmp_path_factory.mktemp("configured")
    features_dir, scores_dir, mlflow_dir = root / "features", root / "scores", root / "mlruns"
    build_snapshots(
        SnapshotConfig(
            as_of=list(SNAPSHOTS),
            raw_dir=demo_world.raw_dir,
            features_dir=features_dir,
            features=FeatureConfig(labels=LabelConfig(horizon_days=HORIZON)),
        )
    )
    train_yaml = root / "train.yaml"
    train_yaml.write_text(
        yaml.safe_dump(
            {
                "features_dir": str(features_dir),
                "world_dir": str(demo_world.world_dir),
                "raw_dir": str(demo_world.raw_dir),
                "lightgbm": FAST_LIGHTGBM.model_dump(),
                "baselines": False,
                "ablation": False,
                "text_oof_folds": 2,
                "calibration_folds": 2,
                "explain_rows": 100,
                "scoring": SCORING,
            }
        ),
        encoding="utf-8",
    )
    with temporary_tracking(mlflow_dir) as tracking:
        train(TrainConfig.from_yaml(train_yaml), tracking=tracking)
        score_snapshot(BatchScoreConfig(features_dir=features_dir, scores_dir=scores_dir), tracking)
        champions = load_champions(tracking)
    settings = ServingSettings.model_validate(
        {
            "features_dir": features_dir,
            "raw_dir": demo_world.raw_dir,
            "scores_dir": scores_dir,
            "index_dir": scores_dir.parent / "index",
            "tracking_uri": f"sqlite:///{mlflow_dir}/mlflow.db",
            "api_key": "test-key",
            "live_dir": None,
        }
    )
    return ConfiguredWorld(features_dir, scores_dir, mlflow_dir, settings, champions)


@pytest.fixture(scope="module")
def client(configured: ConfiguredWorld) -> Iterator[TestClient]:
    yield from service_client(configured.settings, configured.mlflow_dir)


def expected_scoring() -> dict:
    return ScoringConfig.model_validate(SCORING).model_dump(mode="json")


def test_the_champions_carry_the_training_scoring_and_snapshot_feature_config(configured):
    for model in configured.champions.models.values():
        assert model.scoring == ScoringConfig.model_validate(SCORING)
        assert model.feature_config.labels.horizon_days == HORIZON
    assert configured.champions.scoring == ScoringConfig.model_validate(SCORING)
    assert read_scores_scoring(configured.scores_dir, SNAPSHOTS[-1]) == expected_scoring()
    with temporary_tracking(configured.mlflow_dir):
        for version in configured.champions.versions.values():
            uri = f"models:/{version['name']}@champion"
            carried = mlflow.models.get_model_info(uri).metadata["procare"]
            assert carried["scoring"] == expected_scoring()
            assert carried["feature_config"]["labels"]["horizon_days"] == HORIZON
            run_id = mlflow.MlflowClient().get_model_version(version["name"], version["version"])
            card = mlflow.artifacts.load_text(f"runs:/{run_id.run_id}/model_card.md")
            assert f"horizon {HORIZON} days" in card and "reasons per customer: up to 1" in card


def test_score_by_id_and_by_record_use_the_carried_tiers_and_reason_count(configured, client):
    scores, _ = read_scores(configured.scores_dir, SNAPSHOTS[-1])
    snapshot = read_snapshot(configured.features_dir, SNAPSHOTS[-1])
    rows = snapshot.frame.iloc[:40]
    by_default = score_customers(configured.champions, rows, snapshot.documents, ScoringConfig())
    assert (by_default["risk_tier"] != "high").any()
    assert by_default["reasons"].map(len).max() > 1

    by_id = client.post("/score", json={"customer_ids": list(rows.index)}, headers=AUTH).json()
    models = client.get("/model_info", headers=AUTH).json()["models"]
    columns = list(dict.fromkeys(c for m in models for c in m["input_columns"]))
    records = as_records(rows, columns)
    live = client.post("/score", json={"records": records, "explain": True}, headers=AUTH).json()
    for body, source in ((by_id, "snapshot"), (live, "live")):
        items = body["results"]
        assert len(items) == len(rows) and {item["source"] for item in items} == {source}
        assert {item["risk_tier"] for item in items} == {"high"}
        assert max(len(item["reasons"]) for item in items) == 1
    assert (scores.loc[rows.index, "risk_tier"] == "high").all()


def test_model_info_shows_the_label_horizon_and_scoring_of_each_champion(client):
    models = client.get("/model_info", headers=AUTH).json()["models"]
    assert {m["target"] for m in models} == {"repeat_contact", "escalation"}
    for model in models:
        assert model["feature_config"]["labels"]["horizon_days"] == HORIZON
        assert model["scoring"] == expected_scoring()


def test_scores_made_with_another_scoring_config_are_reported(configured, caplog):
    with caplog.at_level(logging.WARNING, logger="serving.api.state"):
        check_scores_scoring(expected_scoring(), configured.champions, SNAPSHOTS[-1])
        assert not caplog.records
        check_scores_scoring(
            ScoringConfig().model_dump(mode="json"), configured.champions, SNAPSHOTS[-1]
        )
    assert len(caplog.records) == 1
    assert "procare score" in caplog.records[0].getMessage()
