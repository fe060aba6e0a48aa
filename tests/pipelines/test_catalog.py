"""The data catalog: every location derives from the work folder; overrides move one area."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError

from pipelines.catalog import DEFAULT_TRACKING_URI, DataLayout
from training.tracking import TrackingSettings

DAY = date(2026, 10, 31)


def every_location(layout: DataLayout) -> list[Path]:
    """Every path the catalog hands out, for one day."""
    snapshot, scores, outreach = (
        layout.features.at(DAY),
        layout.scores.at(DAY),
        layout.outreach.at(DAY),
    )
    simulation = layout.outreach.simulation
    return [
        layout.world.table("contacts"),
        layout.world.oracle,
        layout.world.latent("customer_latent"),
        layout.world.params,
        layout.raw.table("contacts"),
        layout.raw.manifest,
        snapshot.features,
        snapshot.documents,
        snapshot.meta,
        scores.scores,
        scores.meta,
        scores.part(3, version="v-1"),
        scores.versions(),
        scores.scoring(version="v-1"),
        outreach.plan("csv"),
        outreach.plan("parquet"),
        outreach.plan("json"),
        outreach.social_warnings("parquet"),
        outreach.backtest,
        outreach.gain,
        layout.report(DAY),
        simulation.effects,
        simulation.per_seed,
        simulation.meta,
        layout.outreach.service_plan("2026-10-31", "abc"),
        layout.live_dir,
    ]


def test_the_default_layout_keeps_todays_paths(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the default is relative: keep a real ./data out of it
    layout = DataLayout()
    assert layout.workdir == Path("data")
    assert layout.raw.table("contacts") == Path("data/raw/contacts.parquet")
    assert layout.raw.manifest == Path("data/raw/_manifest.json")
    assert layout.raw.part("bills", 3, version="v-1") == Path(
        "data/raw/v-1/bills/part-00003.parquet"
    )
    assert layout.raw.table("edges", version="v-1") == Path("data/raw/v-1/edges.parquet")
    assert layout.features.at(DAY).part("documents", 12, version="v-1") == Path(
        "data/features/as_of=2026-10-31/v-1/documents/part-00012.parquet"
    )
    assert layout.world.oracle == Path("data/world/oracle/oracle.parquet")
    assert layout.features.at(DAY).features == Path(
        "data/features/as_of=2026-10-31/features.parquet"
    )
    assert layout.scores.at(DAY).scores == Path("data/scores/as_of=2026-10-31/scores.parquet")
    assert layout.scores.at(DAY).part(4, version="v-1") == Path(
        "data/scores/as_of=2026-10-31/v-1/scores/part-00004.parquet"
    )
    assert layout.scores.at(DAY).versions("v-1") == Path(
        "data/scores/as_of=2026-10-31/v-1/versions.json"
    )
    assert layout.outreach.at(DAY).plan("csv") == Path("data/outreach/as_of=2026-10-31/plan.csv")
    assert layout.report(DAY) == Path("data/outreach/as_of=2026-10-31/report.html")
    assert layout.outreach.simulation.effects == Path("data/outreach/simulation/effects.csv")
    assert layout.live_dir == Path("data/live")


def test_every_location_derives_from_the_workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    default, moved = DataLayout(), DataLayout(workdir=tmp_path / "w")
    for before, after in zip(every_location(default), every_location(moved), strict=True):
        assert before.is_relative_to(Path("data"))
        assert after == tmp_path / "w" / before.relative_to("data")


def test_an_area_override_moves_that_area_only(tmp_path):
    layout = DataLayout(workdir=tmp_path, scores_dir=tmp_path / "elsewhere", raw_dir=None)
    assert layout.scores.at(DAY).scores.is_relative_to(tmp_path / "elsewhere")
    assert layout.raw_dir == tmp_path / "raw"
    assert layout.features_dir == tmp_path / "features"


def test_layouts_are_strict_frozen_and_round_trip(tmp_path):
    layout = DataLayout(workdir=tmp_path, live_dir=tmp_path / "live2")
    assert DataLayout.model_validate(layout.model_dump(mode="json")) == layout
    with pytest.raises(ValidationError):
        DataLayout(workdir=tmp_path, tables=tmp_path)
    with pytest.raises(ValidationError):
        layout.workdir = Path("other")


def test_listings_see_only_published_dates(tmp_path):
    layout = DataLayout(workdir=tmp_path)
    for day in (date(2026, 9, 30), DAY):
        layout.features.at(day).folder.mkdir(parents=True)
        layout.features.at(day).meta.write_text('{"version": "v-1"}')
        layout.features.at(day).part("features", 0).parent.mkdir(parents=True)
        layout.features.at(day).part("features", 0).write_bytes(b"")
    unpublished = layout.features.at(date(2026, 8, 31))
    unpublished.part("features", 0, version="v-2").parent.mkdir(parents=True)
    unpublished.part("features", 0, version="v-2").write_bytes(b"")
    layout.scores.at(DAY).folder.mkdir(parents=True)
    layout.outreach.at(DAY).backtest.parent.mkdir(parents=True)
    layout.outreach.at(DAY).backtest.write_text("capacity\n")
    assert layout.features.available() == [date(2026, 9, 30), DAY]
    assert layout.features.at(DAY).published and not layout.features.at(date(2026, 8, 31)).published
    assert layout.scores.available() == []
    assert layout.outreach.backtest_dates() == [DAY]
    assert layout.raw.has("contacts") is False


def test_the_tracking_default_is_owned_by_the_catalog(monkeypatch):
    assert DataLayout().tracking_uri == DEFAULT_TRACKING_URI == "sqlite:///mlruns/mlflow.db"
    assert DataLayout(workdir=Path("/elsewhere")).tracking_uri == DEFAULT_TRACKING_URI
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    assert TrackingSettings.from_env().tracking_uri == DEFAULT_TRACKING_URI
    monkeypatch.setenv("MLFLOW_TRACKING_URI", "http://mlflow:5000")
    assert TrackingSettings.from_env().tracking_uri == "http://mlflow:5000"
