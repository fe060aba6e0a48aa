"""The report reads the measured effect of the latest evaluated plan and leads with it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from monitoring.report_page import monitoring_section
from outreach.config import OutreachConfig, TeamCapacity
from outreach.effect import OUTCOMES, measure_effect
from outreach.policy import OUTREACH, plan_outreach
from outreach.run_report import (
    ReportCommandConfig,
    latest_measured_effect,
    measured_effect_rows,
    measured_headline,
    report_command,
)
from pipelines import outreach_io
from pipelines.catalog import DataLayout
from tests.training.conftest import temporary_tracking
from training.tracking import TrackingSettings

TODAY = date(2026, 10, 31)
EVALUATED = date(2026, 9, 30)
NO_EFFECT_TEXT = (
    "No measured effect yet: run <code>procare outreach evaluate --plan-as-of D</code> "
    "once D+30 is ingested"
)


@pytest.fixture(scope="module")
def tracking(tmp_path_factory) -> Iterator[TrackingSettings]:
    with temporary_tracking(tmp_path_factory.mktemp("mlflow")) as settings:
        yield settings


def _plan(seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    ids = pd.Index([f"C{i:05d}" for i in range(3000)], name="customer_id")
    scores = pd.DataFrame(
        {"p_repeat_contact": rng.beta(2, 5, len(ids)), "p_escalation": rng.beta(1, 8, len(ids))},
        index=ids,
    )
    policy = OutreachConfig(capacity=TeamCapacity.split(600), min_net_value=None, holdout_share=0.3)
    return plan_outreach(scores, policy)


def _effect(plan: pd.DataFrame, seed: int = 1) -> pd.DataFrame:
    """A measured table where outreach halves every outcome's rate."""
    rng = np.random.default_rng(seed)
    rate = np.where(plan["group"] == OUTREACH, 0.2, 0.4)
    outcomes = pd.DataFrame({o: rng.random(len(plan)) < rate for o in OUTCOMES}, index=plan.index)
    return measure_effect(plan, outcomes)


def _layout(root: Path, evaluated: dict[date, bool]) -> DataLayout:
    """Plans recorded on the given dates, with an effect table where the value is True."""
    layout = DataLayout(workdir=root)
    plan = _plan()
    for day, with_effect in evaluated.items():
        outreach_io.write_plan(plan, layout.outreach_dir, day, {"as_of": day.isoformat()})
        if with_effect:
            path = layout.outreach.at(day).effect
            _effect(plan).to_csv(path, index=False)
    return layout


def test_the_closest_earlier_evaluated_plan_is_read(tmp_path) -> None:
    layout = _layout(
        tmp_path,
        {
            date(2026, 8, 31): True,
            EVALUATED: True,
            TODAY: False,
            date(2026, 11, 30): True,
        },
    )
    found = latest_measured_effect(layout, TODAY)
    assert found is not None and found.plan_as_of == EVALUATED
    assert found.path == layout.outreach.at(EVALUATED).effect
    assert latest_measured_effect(layout, date(2026, 8, 31)).plan_as_of == date(2026, 8, 31)
    assert latest_measured_effect(layout, date(2026, 8, 30)) is None


def test_rows_carry_estimate_interval_and_labels(tmp_path) -> None:
    layout = _layout(tmp_path, {EVALUATED: True})
    found = latest_measured_effect(layout, TODAY)
    rows = measured_effect_rows(found)
    assert {"plan", "cell", "outcome", "estimate", "low", "high", "status"} <= set(rows.columns)
    assert (rows["plan"] == EVALUATED.isoformat()).all()
    overall = rows.loc[(rows["cell"] == "overall") & (rows["outcome"] == "repeat_contact")]
    written = found.effect
    truth = written.loc[
        (written["segment"] == "overall") & (written["outcome"] == "repeat_contact")
    ].iloc[0]
    assert overall["estimate"].iloc[0] == pytest.approx(truth["difference"])
    assert overall["low"].iloc[0] == pytest.approx(truth["ci_low"])
    assert overall["high"].iloc[0] == pytest.approx(truth["ci_high"])
    assert -0.3 < overall["estimate"].iloc[0] < -0.1
    deciles = rows.loc[rows["cell"].str.startswith("risk_decile")]
    assert set(deciles["outcome"]) == {"repeat_contact"}
    assert rows["cell"].str.startswith("team").any()
    line = measured_headline(found, "read from x")
    assert line.startswith(f"Measured effect of the plan of {EVALUATED} (read from x)")
    assert f"{truth['difference']:+.3f}" in line
    page = monitoring_section(pd.DataFrame(), None, rows, line)
    assert f"{truth['ci_low']:.3f}" in page and "read from x" in page


def test_report_without_a_measured_effect_says_how_to_get_one(tmp_path, tracking) -> None:
    layout = _layout(tmp_path, {TODAY: False})
    result = report_command(ReportCommandConfig(as_of=TODAY, layout=layout), tracking)
    page = result.path.read_text(encoding="utf-8")
    assert NO_EFFECT_TEXT in page
    assert "Measured effect of the plan" not in page


def test_report_leads_with_the_measured_effect_of_an_earlier_plan(tmp_path, tracking) -> None:
    layout = _layout(tmp_path, {EVALUATED: True, TODAY: False})
    result = report_command(ReportCommandConfig(as_of=TODAY, layout=layout), tracking)
    page = result.path.read_text(encoding="utf-8")
    assert NO_EFFECT_TEXT not in page
    headline = page.index(f"Measured effect of the plan of {EVALUATED}")
    assert headline < page.index("Today's list by team")
    assert page.index("实测效果 Measured effect of outreach") > headline
    effect = pd.read_csv(layout.outreach.at(EVALUATED).effect)
    overall = effect.loc[
        (effect["segment"] == "overall") & (effect["analysis"] == "intention_to_treat")
    ]
    for value in overall["ci_low"]:
        assert f"{value:.3f}" in page
    tags = tracking.client().get_run(result.run_id).data.tags
    assert tags["measured_effect_plan_as_of"] == EVALUATED.isoformat()


def test_report_reads_effects_from_another_layout(tmp_path, tracking) -> None:
    layout = _layout(tmp_path / "main", {TODAY: False})
    elsewhere = _layout(tmp_path / "loop", {EVALUATED: True})
    config = ReportCommandConfig(as_of=TODAY, layout=layout, effect_layout=elsewhere)
    page = report_command(config, tracking).path.read_text(encoding="utf-8")
    assert f"read from {elsewhere.outreach_dir}" in page
    assert not layout.outreach.at(EVALUATED).effect.exists()
