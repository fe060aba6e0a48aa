"""``procare report``: the operations page (lists by team, backtest, simulated effect)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from outreach.backtest import backtest_wide
from outreach.run_plan import PlanCommandConfig, plan_command, plan_date
from outreach.runs import outreach_run
from outreach.simulate import effect_table
from pipelines import outreach_io
from pipelines.catalog import DataLayout
from training.tracking import TrackingSettings


class ReportCommandConfig(BaseModel):
    """``procare report``: the operations page for a day.

    Attributes:
        as_of: Day of the list; the plan's snapshot when omitted.
        layout: Where the outreach files are read and the report is written.
        plan: How to make today's list when none was written for ``as_of`` yet (with
            ``layout``'s folders, whatever its own layout says).
        rows_per_team: Customers shown per team (the full list is in plan.csv).
    """

    model_config = ConfigDict(extra="forbid")

    as_of: date | None = None
    layout: DataLayout = Field(default_factory=DataLayout)
    plan: PlanCommandConfig = Field(default_factory=PlanCommandConfig)
    rows_per_team: int = Field(30, ge=1, le=1000)


@dataclass(frozen=True)
class ReportResult:
    """A written report."""

    as_of: date
    path: Path
    run_id: str


def _report_figures(plan: pd.DataFrame, backtest_found, simulation) -> dict[str, bytes]:
    from outreach.plots import effect_figure, gain_figure, plan_figure
    from outreach.report import figure_png

    figures = {"today's list": figure_png(plan_figure(plan))}
    if backtest_found is not None:
        figures["gain chart"] = figure_png(gain_figure(backtest_found[2]))
    if simulation is not None:
        summary = simulation[0]
        for metric in ("repeat_contact", "reopened_tickets"):
            figures[f"simulated {metric}"] = figure_png(effect_figure(summary, metric))
    return figures


def report_command(
    config: ReportCommandConfig, tracking: TrackingSettings | None = None
) -> ReportResult:
    """Render the HTML report (list by team, backtest, simulated effect, model versions)."""
    import mlflow

    from outreach.report import ReportContent, render_report

    outreach_dir = config.layout.outreach_dir
    plan_config = config.plan.model_copy(update={"layout": config.layout, "as_of": config.as_of})
    as_of = config.as_of or plan_date(plan_config)
    try:
        plan, meta = outreach_io.read_plan(outreach_dir, as_of)
    except FileNotFoundError:
        made = plan_command(plan_config.model_copy(update={"as_of": as_of}), tracking)
        plan, meta = made.plan, {"model_versions": made.versions}
    found = outreach_io.latest_backtest(outreach_dir)
    simulation = outreach_io.read_simulation(outreach_dir)
    content = ReportContent(
        as_of=as_of.isoformat(),
        plan=plan,
        backtest=None if found is None else backtest_wide(found[1]),
        backtest_as_of=None if found is None else found[0].isoformat(),
        effects=None if simulation is None else effect_table(simulation[0]),
        assumed_effect=None if simulation is None else simulation[1]["assumed_effect"],
        simulation_note=""
        if simulation is None
        else (
            f"Synthetic worlds of {simulation[1]['customers']:,} customers, "
            f"{len(simulation[1]['seeds'])} seeds, lists made on {simulation[1]['as_of']}; "
            "intervals are 95% t-intervals over seeds."
        ),
        model_versions=meta.get("model_versions", {}),
        figures=_report_figures(plan, found, simulation),
        rows_per_team=config.rows_per_team,
        social=outreach_io.read_social_warnings(outreach_dir, as_of),
    )
    page = render_report(content)
    path = outreach_io.write_report(page, outreach_dir, as_of)
    with outreach_run(f"report {as_of}", config, tracking) as run:
        mlflow.set_tags({"command": "report", "as_of": as_of.isoformat()})
        mlflow.log_artifact(str(path), "report")
    return ReportResult(as_of, path, run.info.run_id)
