"""The command functions end to end on the demo world (scores from the oracle, no training)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pandas as pd
import pytest

from outreach.backtest import BacktestConfig
from outreach.commands import (
    EXPERIMENT,
    BacktestCommandConfig,
    PlanCommandConfig,
    ReportCommandConfig,
    SimulateCommandConfig,
    SocialCommandConfig,
    backtest_command,
    plan_command,
    report_command,
    simulate_command,
    social_command,
)
from outreach.simulate import SimulationConfig
from pipelines import outreach_io
from pipelines.catalog import DataLayout
from pipelines.scores import write_scores
from pipelines.snapshot import read_oracle
from pipelines.synthetic import WorldConfig
from tests.training.conftest import temporary_tracking
from training.tracking import TrackingSettings

AS_OF = date(2026, 8, 31)
VERSIONS = {"escalation": {"name": "procare-escalation", "version": "1", "alias": "champion"}}


@pytest.fixture(scope="module")
def tracking(tmp_path_factory) -> Iterator[TrackingSettings]:
    """One MLflow store in a temporary folder for the module (migrations run once)."""
    with temporary_tracking(tmp_path_factory.mktemp("mlflow")) as settings:
        yield settings


@pytest.fixture(scope="module")
def outreach(demo_world, tmp_path_factory):
    """Oracle probabilities written as the snapshot's scores, and an outreach folder."""
    root = tmp_path_factory.mktemp("outreach")
    oracle = read_oracle(demo_world.world_dir)
    rows = oracle.loc[oracle["as_of"] == pd.Timestamp(AS_OF)].set_index("customer_id")
    scores = rows[["p_repeat_contact", "p_escalation"]].copy()
    scores["action"] = "care_call"
    scores.loc[scores["p_escalation"] > 0.3, "action"] = "supervisor_escalation"
    scores["reasons"] = [[{"feature": "ct_inbound_30d", "zh": "近30天联系客服 3 次"}]] * len(scores)
    write_scores(scores, root / "scores", AS_OF, VERSIONS)
    return demo_world, root


def _layout(world, root) -> DataLayout:
    """The demo world's inputs, with scores and outreach files in the module's folder."""
    return DataLayout(
        workdir=root,
        world_dir=world.world_dir,
        raw_dir=world.raw_dir,
        features_dir=world.features_dir,
        outreach_dir=root / "out",
    )


def test_plan_writes_csv_parquet_and_settings(outreach, tracking):
    world, root = outreach
    config = PlanCommandConfig(
        as_of=AS_OF,
        capacity=50,
        layout=_layout(world, root),
        score_if_missing=False,
    )
    result = plan_command(config, tracking)
    assert result.counts["outreach"].sum() == 50
    csv = pd.read_csv(result.paths["csv"], encoding="utf-8-sig")
    assert len(csv) == len(result.plan) and "reasons_zh" in csv
    plan, meta = outreach_io.read_plan(root / "out", AS_OF)
    pd.testing.assert_frame_equal(plan, result.plan, check_dtype=False)
    assert meta["holdout_seed"] == config.outreach.holdout_seed
    assert meta["model_versions"] == VERSIONS


def test_backtest_logs_table_and_gain_chart(outreach, tracking):
    world, root = outreach
    config = BacktestCommandConfig(
        as_of=AS_OF,
        layout=_layout(world, root),
        backtest=BacktestConfig(gain_points=4),
        use_model=False,
    )
    result = backtest_command(config, tracking)
    assert set(result.table["policy"]) == {"oracle", "rule", "most_contacts", "random"}
    assert result.table["captured_volume"].notna().all()
    recall = result.table.set_index(["policy", "capacity", "label"])["recall"]
    assert recall["oracle", 0.05, "escalation"] > 2 * recall["random", 0.05, "escalation"]
    artifacts = {a.path for a in tracking.client().list_artifacts(result.run_id, "backtest")}
    assert {"backtest/gain.png", "backtest/backtest.json"} <= artifacts
    assert outreach_io.latest_backtest(root / "out")[0] == AS_OF


def test_simulate_social_and_report(outreach, tracking):
    world, root = outreach
    simulation = SimulationConfig(
        effect=0.4,
        seeds=(1, 2),
        capacities=(0.05,),
        policies=("oracle", "random"),
        as_of=date(2026, 5, 31),
        world=WorldConfig(customers=300, start=date(2026, 3, 1)),
    )
    simulated = simulate_command(
        SimulateCommandConfig(simulation=simulation, layout=_layout(world, root), use_model=False),
        tracking,
    )
    assert set(simulated.effects["assumed_effect"]) == {"40%"}
    run = tracking.client().get_run(simulated.run_id)
    assert run.data.params["assumed_effect"] == "0.4"

    social = social_command(
        SocialCommandConfig(
            as_of=AS_OF,
            days=30,
            layout=_layout(world, root),
        )
    )
    assert set(social.warnings["route"]) <= {"crisis_team", "customer_care", "none"}
    assert "text" not in social.warnings.columns

    report = report_command(ReportCommandConfig(as_of=AS_OF, layout=_layout(world, root)), tracking)
    page = report.path.read_text(encoding="utf-8")
    assert "Backtest" in page and "assumption" in page and "40% fewer" in page
    assert "procare-escalation" in page and "Social-media early warning" in page
    artifacts = tracking.client().list_artifacts(report.run_id, "report")
    assert [a.path for a in artifacts] == ["report/report.html"]
    experiment = tracking.client().get_experiment_by_name(EXPERIMENT)
    assert experiment is not None
