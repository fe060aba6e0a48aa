"""`procare monitor`: drift, expected vs realized, data quality and advice logged to MLflow;
bad input ends in one error line, exit 1, nothing written."""

from __future__ import annotations

import shutil
from datetime import date

import mlflow
import pandas as pd
import pytest

from monitoring.history import monitoring_runs, run_table, tag_training_runs
from monitoring.report_page import monitoring_page
from pipelines.catalog import DataLayout
from tests.commands.cli_runner import copy_served, copy_world, help_text, invoke, one_line
from training.tracking import TrackingSettings

SEPTEMBER, AUGUST = date(2026, 9, 30), date(2026, 8, 31)


def _settings(store) -> TrackingSettings:
    return TrackingSettings(tracking_uri=f"sqlite:///{store}/mlflow.db")


def _monitor(workdir, store, as_of: date):
    return invoke(
        "monitor", "--as-of", as_of.isoformat(), "--workdir", str(workdir), mlflow_dir=store
    )


def test_help_names_the_options():
    text = help_text("monitor")
    assert "--as-of" in text and "--workdir" in text


@pytest.fixture(scope="module")
def monitored(served_world, tmp_path_factory):
    """Monitoring of August, then September twice, on a copy of the served world."""
    workdir, store = copy_served(served_world, tmp_path_factory.mktemp("monitored"))
    results = [_monitor(workdir, store, d) for d in (AUGUST, SEPTEMBER, SEPTEMBER)]
    return workdir, store, results


def test_monitor_prints_drift_performance_quality_and_advice(monitored):
    _, _, results = monitored
    for result in results:
        assert result.exit_code == 0, result.output
    text = one_line(results[-1])
    for part in (
        "feature drift 2026-09-30",
        "top 15 of",
        "score drift",
        "expected vs realized",
        "realized from labels",
        "data quality",
        "contacts",
        "MLflow run",
    ):
        assert part in text, part
    assert "retrain recommended" in text or "no retrain needed" in text


def test_one_run_per_date_with_trend_metrics_and_tables(monitored):
    _, store, _ = monitored
    settings = _settings(store)
    runs = monitoring_runs(settings)
    assert runs["as_of"].tolist() == [AUGUST, SEPTEMBER]
    client = settings.client()
    experiment = client.get_experiment_by_name("procare-monitoring")
    alive = client.search_runs([experiment.experiment_id])
    assert len(alive) == 2  # the first September run was replaced by the second
    last = runs.iloc[-1]
    for metric in (
        "psi.ct_open_tickets",
        "score_psi.escalation",
        "expected.precision.escalation.5pct",
        "realized.precision.escalation.5pct",
        "realized_pr_auc.repeat_contact",
        "validation_pr_auc.escalation",
        "dq.contacts.recent_per_period",
        "dq.contacts.late_rows",
        "retrain_recommended",
    ):
        assert metric in runs.columns and pd.notna(last[metric]), metric
    assert last["dq.contacts.late_rows"] == 0  # the same ingest: nothing arrived late
    drift = run_table(settings, last["run_id"], "drift/feature_drift.csv")
    assert len(drift) > 100 and drift["top_weighted"].iloc[0]
    assert drift.loc[drift["top_weighted"], "psi"].is_monotonic_decreasing
    performance = run_table(settings, last["run_id"], "performance/expected_vs_realized.csv")
    assert set(performance["capacity"]) == {0.01, 0.02, 0.05, 0.1}
    close = (performance["realized_precision"] - performance["expected_precision"]).abs()
    assert close.max() < 0.25


def test_no_customer_id_reaches_the_run(monitored, served_world):
    _, store, _ = monitored
    ids = pd.read_parquet(
        next(served_world.demo.raw_dir.rglob("customers/part-*.parquet")), columns=["customer_id"]
    )["customer_id"].head(50)
    texts = " ".join(p.read_text(errors="ignore") for p in store.rglob("*.csv"))
    assert texts and not any(f"{i}," in texts or f",{i}" in texts for i in ids)


def test_report_page_and_training_tags(monitored):
    _, store, _ = monitored
    settings = _settings(store)
    page = monitoring_page(settings, SEPTEMBER)
    assert "Monitoring" in page and "data:image/png;base64" in page
    assert "No measured effect yet" in page
    effect = pd.DataFrame(
        {"team": ["agents"], "estimate": [-0.09], "low": [-0.15], "high": [-0.03]}
    )
    assert "-0.090" in monitoring_page(settings, SEPTEMBER, measured_effect=effect)
    assert "No monitoring run yet" in monitoring_page(settings, date(2026, 7, 1))
    settings.apply()
    with mlflow.start_run(experiment_id=settings.ensure_experiment("procare-x")) as run:
        pass
    tags = tag_training_runs([run.info.run_id], settings)
    stored = settings.client().get_run(run.info.run_id).data.tags
    assert stored["procare.monitoring_as_of"] == "2026-09-30"
    assert stored["procare.monitoring_run"] == tags["procare.monitoring_run"]


def _nothing_logged(store) -> bool:
    return monitoring_runs(_settings(store)).empty


def test_a_missing_snapshot_is_named(served_world, tmp_path):
    workdir, store = copy_served(served_world, tmp_path)
    result = _monitor(workdir, store, date(2026, 10, 31))
    assert result.exit_code == 1
    assert "monitored snapshot 2026-10-31 is missing" in one_line(result)
    assert _nothing_logged(store)


def test_a_snapshot_without_a_champion_column_is_refused(served_world, tmp_path):
    workdir, store = copy_served(served_world, tmp_path)
    for part in DataLayout(workdir=workdir).features.at(SEPTEMBER).parts("features"):
        pd.read_parquet(part).drop(columns=["ct_open_tickets"]).to_parquet(part)
    result = _monitor(workdir, store, SEPTEMBER)
    assert result.exit_code == 1
    assert "does not match the champions" in one_line(result)
    assert "ct_open_tickets" in one_line(result)
    assert _nothing_logged(store)


def test_a_training_snapshot_that_is_gone_is_named(served_world, tmp_path):
    workdir, store = copy_served(served_world, tmp_path)
    shutil.rmtree(DataLayout(workdir=workdir).features.at(date(2026, 7, 31)).folder)
    result = _monitor(workdir, store, SEPTEMBER)
    assert result.exit_code == 1
    assert "training reference" in one_line(result)
    assert "2026-07-31 is missing" in one_line(result)
    assert _nothing_logged(store)


def test_without_champions_it_says_to_train(demo_world, tmp_path):
    workdir = copy_world(demo_world, tmp_path / "work")
    store = tmp_path / "empty-store"
    _settings(store).ensure_experiment("procare-other")
    result = _monitor(workdir, store, SEPTEMBER)
    assert result.exit_code == 1
    assert "no champions to monitor" in one_line(result) and "procare train" in one_line(result)
    assert _nothing_logged(store)
