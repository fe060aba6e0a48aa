"""Optional tables end to end: every combination of missing social_accounts, social_posts and
edges through ingest and the snapshot build, and none / each one / all of them missing further
through training, batch scoring and the service (``/model_info`` and a live contact event), on
one tiny world."""

from __future__ import annotations

import itertools
import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from features.catalog import source_family_columns
from features.sources import OPTIONAL_TABLES, availability
from pipelines.catalog import RawTables
from pipelines.datasets import read_pointer
from pipelines.ingest import IngestConfig, ingest
from pipelines.scores import read_scores
from pipelines.snapshot import SnapshotConfig, build_snapshots, read_snapshot
from pipelines.synthetic.config import WorldConfig
from pipelines.synthetic.world import generate_world, save_world
from serving.api.events import process_event
from serving.api.schemas import ContactEvent, ModelInfo
from serving.api.settings import ServingSettings
from serving.api.state import load_state
from serving.scoring.batch import BatchScoreConfig, score_snapshot
from tests.training.conftest import temporary_tracking
from training.config import LightGBMParams, TrainConfig
from training.train import train

SNAPSHOTS = (date(2026, 7, 31), date(2026, 8, 31), date(2026, 9, 30))
COMBINATIONS = [
    combination
    for size in range(len(OPTIONAL_TABLES) + 1)
    for combination in itertools.combinations(OPTIONAL_TABLES, size)
]
FAST_LIGHTGBM = LightGBMParams(n_estimators=15, num_leaves=7, min_child_samples=10, num_threads=1)


SERVED = [(), *((table,) for table in OPTIONAL_TABLES), OPTIONAL_TABLES]
"""Combinations taken through training, scoring and the service; the others through ingest and
the snapshot build (training reads the snapshot columns either way)."""


@pytest.fixture(scope="module")
def empty_store(tmp_path_factory) -> Path:
    """An initialised, empty MLflow SQLite database (creating one costs seconds), copied by
    every combination."""
    folder = tmp_path_factory.mktemp("mlruns-template")
    with temporary_tracking(folder) as tracking:
        tracking.client().search_experiments()
    return folder / "mlflow.db"


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Path:
    """A tiny synthetic world: every table present."""
    folder = tmp_path_factory.mktemp("optional") / "world"
    save_world(generate_world(WorldConfig(customers=300, months=12, seed=5)), folder)
    return folder


def export_without(world: Path, missing: tuple[str, ...], folder: Path) -> Path:
    """An export of ``world`` whose ``missing`` tables have no file at all."""
    folder.mkdir(parents=True)
    for path in world.glob("*.parquet"):
        if path.stem not in missing:
            (folder / path.name).symlink_to(path)
    return folder


def build(world: Path, missing: tuple[str, ...], root: Path) -> tuple[Path, Path, list[str]]:
    """Ingest an export without ``missing`` and build its snapshots, checking both.

    Returns:
        The raw and features folders, and the columns that must be absent.
    """
    source = export_without(world, missing, root / "export")
    raw_dir, features_dir = root / "raw", root / "features"
    expected = availability(missing)
    by_family = source_family_columns()
    absent = [column for name in expected["families_absent"] for column in by_family[name]]

    report = ingest(IngestConfig(source_dir=source, raw_dir=raw_dir, buckets=2))
    assert report.missing == missing
    assert read_pointer(RawTables(raw_dir).manifest)["missing_tables"] == list(missing)

    build_snapshots(
        SnapshotConfig(as_of=list(SNAPSHOTS), raw_dir=raw_dir, features_dir=features_dir)
    )
    snapshot = read_snapshot(features_dir, SNAPSHOTS[-1], documents=False)
    for key, names in expected.items():
        assert snapshot.meta[key] == names, key
    assert snapshot.meta["feature_config"]["missing_tables"] == list(missing)
    assert not set(absent) & set(snapshot.frame.columns)
    present = [c for name in expected["families_available"] for c in by_family[name]]
    assert set(present) <= set(snapshot.frame.columns)
    assert snapshot.meta["label_rates"]["escalation"] > 0
    return raw_dir, features_dir, absent


@pytest.mark.parametrize(
    "missing", [m for m in COMBINATIONS if m not in SERVED], ids=lambda m: "+".join(m)
)
def test_missing_optional_tables_leave_their_families_out(world, tmp_path, missing):
    build(world, missing, tmp_path)


@pytest.mark.parametrize("missing", SERVED, ids=lambda m: "+".join(m) or "none")
def test_missing_optional_tables_go_through_every_stage(world, empty_store, tmp_path, missing):
    raw_dir, features_dir, absent = build(world, missing, tmp_path)
    expected = availability(missing)
    scores_dir, mlflow_dir = tmp_path / "scores", tmp_path / "mlruns"
    mlflow_dir.mkdir()
    shutil.copy(empty_store, mlflow_dir / "mlflow.db")
    with temporary_tracking(mlflow_dir) as tracking:
        result = train(
            TrainConfig(
                features_dir=features_dir,
                raw_dir=raw_dir,
                lightgbm=FAST_LIGHTGBM,
                baselines=False,
                ablation=False,
                text_oof_folds=2,
                calibration_folds=2,
                explain_rows=100,
                processes=1,
            ),
            tracking=tracking,
        )
        for target in result.targets.values():
            assert not set(absent) & set(target.model.input_columns)
            assert target.model.data_availability() == expected
            run = tracking.client().get_run(target.parent_run_id)
            assert run.data.tags["families_absent"] == ",".join(expected["families_absent"])
            card = tracking.client().download_artifacts(
                target.parent_run_id, "model_card.md", str(tmp_path)
            )
            text = Path(card).read_text(encoding="utf-8")
            assert f"feature families available: {', '.join(expected['families_available'])}" in (
                text
            )
            assert ("label parts unavailable" in text) == bool(expected["label_parts_absent"])

        score_snapshot(
            BatchScoreConfig(as_of=SNAPSHOTS[-1], features_dir=features_dir, scores_dir=scores_dir),
            tracking,
        )
        scores, _ = read_scores(scores_dir, SNAPSHOTS[-1], parse_reasons=False)
        customers = read_snapshot(features_dir, SNAPSHOTS[-1], documents=False).frame.index
        assert len(scores) == len(customers) and scores["p_escalation"].between(0, 1).all()

        settings = ServingSettings.model_validate(
            {
                "features_dir": features_dir,
                "raw_dir": raw_dir,
                "scores_dir": scores_dir,
                "index_dir": scores_dir.parent / "index",
                "tracking_uri": tracking.tracking_uri,
                "api_key": "test-key",
                "live_dir": None,
            }
        )
        state = load_state(settings)
        for model in state.models:
            info = ModelInfo.model_validate(model)
            assert info.families_absent == expected["families_absent"]
            assert info.families_available == expected["families_available"]
            assert info.label_parts_absent == expected["label_parts_absent"]
        customer = str(customers[0])
        event = ContactEvent(
            customer_id=customer,
            channel="hotline",
            text="再不给我恢复，我就去工信部投诉！",
            ts=pd.Timestamp(SNAPSHOTS[-1]) + pd.Timedelta(hours=34),
        )
        answer = process_event(state, event)
        assert answer["error"] is None and answer["early_warning"]["flag"]
        assert 0 <= answer["score"]["p_escalation"] <= 1
