"""``procare outreach evaluate`` end to end on the demo world: plan, outcomes, table, MLflow."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import mlflow
import pandas as pd
import pytest
from typer.testing import CliRunner

from cli import app
from features.assemble import resolve_tables
from features.labels import LabelConfig
from outreach.config import OutreachConfig, TeamCapacity
from outreach.effect import ITT, PER_PROTOCOL, headline
from outreach.outcomes import window_outcomes
from outreach.policy import plan_outreach
from outreach.run_evaluate import (
    EFFECT_EXPERIMENT,
    EvaluateCommandConfig,
    EvaluationInputError,
    effect_file,
    evaluate_command,
    observed_outcomes,
    read_reached,
)
from pipelines import outreach_io
from pipelines.catalog import DataLayout
from pipelines.raw_tables import read_raw_tables
from pipelines.snapshot import read_oracle
from tests.training.conftest import temporary_tracking
from training.tracking import TrackingSettings

AS_OF = date(2026, 8, 31)
LATE = date(2026, 10, 15)
runner = CliRunner()


@pytest.fixture(scope="module")
def tracking(tmp_path_factory) -> Iterator[TrackingSettings]:
    with temporary_tracking(tmp_path_factory.mktemp("mlflow")) as settings:
        yield settings


def _plan(world_dir: Path, as_of: date, holdout_share: float) -> tuple[pd.DataFrame, dict]:
    """A plan on the oracle's probabilities (the latest month end for a later date)."""
    oracle = read_oracle(world_dir)
    day = min(pd.Timestamp(as_of), oracle["as_of"].max())
    scores = oracle.loc[oracle["as_of"] == day].set_index("customer_id")
    config = OutreachConfig(
        capacity=TeamCapacity.split(300), min_net_value=None, holdout_share=holdout_share
    )
    meta = {"as_of": as_of.isoformat(), "holdout_share": holdout_share, "holdout_seed": 1}
    return plan_outreach(scores[["p_repeat_contact", "p_escalation"]], config), meta


@pytest.fixture(scope="module")
def workdir(demo_world, tmp_path_factory) -> Path:
    """A work folder reading the demo world's ingested tables, with recorded plans."""
    root = tmp_path_factory.mktemp("evaluate")
    (root / "raw").symlink_to(demo_world.raw_dir, target_is_directory=True)
    for as_of, share in ((AS_OF, 0.3), (LATE, 0.3), (date(2026, 9, 30), 0.0)):
        plan, meta = _plan(demo_world.world_dir, as_of, share)
        outreach_io.write_plan(plan, root / "outreach", as_of, meta)
    return root


def test_outcomes_read_bucket_by_bucket_equal_the_whole_table_outcomes(workdir) -> None:
    layout = DataLayout(workdir=workdir)
    plan, _ = outreach_io.read_plan(layout.outreach_dir, AS_OF)
    by_bucket = observed_outcomes(layout.raw_dir, plan.index, AS_OF, LabelConfig())
    tables = resolve_tables(read_raw_tables(layout.raw_dir))
    whole = window_outcomes(tables.contacts, tables.social_posts, plan.index, AS_OF)
    pd.testing.assert_frame_equal(by_bucket, whole.reindex(by_bucket.index))
    assert by_bucket["repeat_contact"].sum() > 0


def test_evaluate_writes_the_table_and_logs_an_mlflow_run(workdir, tracking) -> None:
    layout = DataLayout(workdir=workdir)
    reached = workdir / "reached.csv"
    plan, _ = outreach_io.read_plan(layout.outreach_dir, AS_OF)
    contacted = plan.index[plan["group"] == "outreach"]
    values = ["是" if i % 2 else "0" for i in range(len(contacted))]
    pd.DataFrame({"customer_id": contacted, "reached": values}).to_csv(reached, index=False)
    result = evaluate_command(
        EvaluateCommandConfig(plan_as_of=AS_OF, reached=reached, layout=layout), tracking
    )
    itt = headline(result.effect, ITT)
    assert itt.loc["repeat_contact", "n_contacted"] == len(contacted)
    assert itt.loc["repeat_contact", "n_holdout"] == int((plan["group"] == "holdout").sum())
    pp = headline(result.effect, PER_PROTOCOL)
    assert pp.loc["repeat_contact", "n_contacted"] == len(contacted) // 2
    assert result.path == effect_file(layout, AS_OF)
    written = pd.read_csv(result.path)
    assert len(written) == len(result.effect)
    assert not written.astype(str).apply(lambda c: c.str.contains("C0")).any().any()
    run = mlflow.get_run(result.run_id)
    experiment = mlflow.get_experiment(run.info.experiment_id)
    assert experiment.name == EFFECT_EXPERIMENT
    assert run.data.metrics["itt_repeat_contact_n_contacted"] == len(contacted)
    assert "pp_repeat_contact_n_contacted" in run.data.metrics
    artifacts = [a.path for a in mlflow.MlflowClient().list_artifacts(result.run_id)]
    assert "effect.csv" in artifacts


@pytest.mark.parametrize(
    ("as_of", "message"),
    [
        (date(2026, 7, 31), "no outreach plan"),
        (LATE, "not yet observed"),
        (date(2026, 9, 30), "no holdout"),
    ],
)
def test_bad_inputs_fail_before_anything_is_written(workdir, tracking, as_of, message) -> None:
    layout = DataLayout(workdir=workdir)
    with pytest.raises((FileNotFoundError, EvaluationInputError), match=message):
        evaluate_command(EvaluateCommandConfig(plan_as_of=as_of, layout=layout), tracking)
    assert not effect_file(layout, as_of).exists()


def test_reached_file_with_unreadable_values_names_the_column(tmp_path) -> None:
    path = tmp_path / "reached.csv"
    pd.DataFrame({"customer_id": ["C1", "C2"], "reached": ["yes", "maybe"]}).to_csv(path)
    with pytest.raises(EvaluationInputError, match="column reached has 1 row"):
        read_reached(path)
    pd.DataFrame({"customer_id": ["C1"]}).to_csv(path)
    with pytest.raises(EvaluationInputError, match="lacks column"):
        read_reached(path)


def test_cli_prints_the_table_and_errors_in_one_line(workdir, tracking) -> None:
    ok = runner.invoke(
        app,
        ["outreach", "evaluate", "--plan-as-of", "2026-08-31", "--workdir", str(workdir)],
    )
    assert ok.exit_code == 0, ok.output
    assert "measured effect of the plan of 2026-08-31" in ok.output
    assert "repeat_contact" in ok.output and "risk_decile" in ok.output
    late = runner.invoke(
        app, ["outreach", "evaluate", "--plan-as-of", "2026-10-15", "--workdir", str(workdir)]
    )
    assert late.exit_code == 1
    assert "not yet observed" in late.output
    assert len(late.output.strip().splitlines()) <= 3
    assert not effect_file(DataLayout(workdir=workdir), LATE).exists()
