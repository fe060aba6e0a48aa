"""`procare outreach plan/backtest/simulate/social` and `procare report`, exit codes and files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from tests.commands.cli_runner import copy_served, copy_world, help_text, invoke, one_line

AS_OF = date(2026, 9, 30)


@pytest.fixture
def scored(tmp_path, served_world) -> tuple[Path, Path]:
    """A work folder with the served world's scores, and a copy of its MLflow store."""
    return copy_served(served_world, tmp_path)


def day(workdir: Path, as_of: date = AS_OF) -> Path:
    return workdir / "outreach" / f"as_of={as_of}"


@pytest.mark.parametrize(
    ("command", "options"),
    [
        (("outreach",), ["plan", "backtest", "simulate", "social"]),
        (("outreach", "plan"), ["--as-of", "--capacity", "--show", "--workdir"]),
        (("outreach", "backtest"), ["--as-of", "--workdir"]),
        (("outreach", "simulate"), ["--effect", "ASSUMED", "--customers", "--seeds", "--workdir"]),
        (("outreach", "social"), ["--as-of", "--days", "--workdir"]),
        (("report",), ["--as-of", "--workdir"]),
    ],
)
def test_help_names_the_key_options(command, options):
    text = help_text(*command)
    for option in options:
        assert option in text, (command, option)


def test_plan_writes_the_list_under_the_workdir(scored):
    workdir, store = scored
    result = invoke(
        "outreach", "plan", "--capacity", "50", "--workdir", str(workdir), mlflow_dir=store
    )
    assert result.exit_code == 0, result.output
    assert f"plan {AS_OF}: customers per team" in result.output
    assert "outreach list (first 10 to contact)" in result.output
    for kind in ("csv", "parquet", "json"):
        assert (day(workdir) / f"plan.{kind}").is_file(), kind
    plan = pd.read_parquet(day(workdir) / "plan.parquet")
    assert (plan["group"] == "outreach").sum() == 50


def test_backtest_writes_the_table_and_gain_curves(scored):
    workdir, store = scored
    result = invoke("outreach", "backtest", "--workdir", str(workdir), mlflow_dir=store)
    assert result.exit_code == 0, result.output
    assert f"backtest on {AS_OF}" in result.output
    table = pd.read_csv(day(workdir) / "backtest.csv")
    assert {"model", "oracle", "rule", "most_contacts", "random"} <= set(table["policy"])
    assert (day(workdir) / "gain.csv").is_file()


def test_social_writes_the_routed_posts(scored):
    workdir, store = scored
    result = invoke("outreach", "social", "--workdir", str(workdir), mlflow_dir=store)
    assert result.exit_code == 0, result.output
    assert f"brand posts {AS_OF}" in result.output
    for kind in ("csv", "parquet"):
        assert (day(workdir) / f"social_warnings.{kind}").is_file(), kind
    routes = pd.read_parquet(day(workdir) / "social_warnings.parquet")["route"]
    assert len(routes) > 0
    for route in routes.unique():
        assert route in result.output


def test_report_writes_the_html_report(scored):
    workdir, store = scored
    result = invoke("report", "--workdir", str(workdir), mlflow_dir=store)
    assert result.exit_code == 0, result.output
    report = day(workdir) / "report.html"
    assert str(report) in one_line(result)
    assert report.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")


def test_simulate_writes_the_effects_under_the_workdir(tmp_path):
    workdir = tmp_path / "work"
    result = invoke(
        *["outreach", "simulate", "--effect", "0.3", "--customers", "500", "--seeds", "1"],
        *["--workdir", str(workdir)],
    )
    assert result.exit_code == 0, result.output
    assert "ASSUMED effect" in one_line(result)
    simulation = workdir / "outreach" / "simulation"
    for name in ("effects.csv", "per_seed.csv", "simulation.json"):
        assert (simulation / name).is_file(), name


@pytest.mark.parametrize(
    ("option", "value"),
    [("--effect", "2"), ("--effect", "-0.1"), ("--customers", "100"), ("--seeds", "0")],
)
def test_simulate_rejects_arguments_out_of_range(tmp_path, option, value):
    workdir = tmp_path / "work"
    result = invoke("outreach", "simulate", option, value, "--workdir", str(workdir))
    assert result.exit_code == 2
    assert option in result.output
    assert not workdir.exists()


@pytest.mark.parametrize(
    "command", [("outreach", "plan"), ("outreach", "backtest"), ("outreach", "social"), ("report",)]
)
def test_a_bad_date_exits_two_naming_the_option(tmp_path, command):
    result = invoke(*command, "--as-of", "2026-02-30", "--workdir", str(tmp_path))
    assert result.exit_code == 2, result.output
    assert "--as-of" in result.output


@pytest.mark.parametrize("command", [("outreach", "plan"), ("outreach", "backtest"), ("report",)])
def test_without_scores_or_a_champion_says_to_train(tmp_path, demo_world, command):
    workdir = copy_world(demo_world, tmp_path / "work")
    result = invoke(*command, "--workdir", str(workdir))
    assert result.exit_code == 1, result.output
    assert "procare train" in one_line(result)
    assert not (workdir / "outreach").exists()


def test_data_commands_read_from_the_workdir(tmp_path):
    workdir = tmp_path / "empty"
    for command, missing in [
        (["outreach", "plan"], workdir / "scores"),
        (["outreach", "backtest"], workdir / "features"),
        (["outreach", "social"], workdir / "features"),
        (["report"], workdir / "scores"),
    ]:
        result = invoke(*command, "--workdir", str(workdir))
        assert result.exit_code == 1, (command, result.output)
        assert str(missing) in one_line(result), (command, result.output)
