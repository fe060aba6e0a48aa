"""``procare report``: the operations page (lists by team, backtest, simulated effect, monitoring
with the measured effect of the latest evaluated plan)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from monitoring.report_page import monitoring_page
from outreach.backtest import backtest_wide
from outreach.effect import ITT, OK, effect_summary
from outreach.run_plan import PlanCommandConfig, plan_command, plan_date
from outreach.runs import outreach_run
from outreach.simulate import effect_table
from pipelines import outreach_io
from pipelines.catalog import DataLayout
from pipelines.catalog.dated import folder_dates
from training.tracking import TrackingSettings


class ReportCommandConfig(BaseModel):
    """``procare report``: the operations page for a day.

    Attributes:
        as_of: Day of the list; the plan's snapshot when omitted.
        layout: Where the outreach files are read and the report is written.
        plan: How to make today's list when none was written for ``as_of`` yet (with
            ``layout``'s folders, whatever its own layout says).
        rows_per_team: Customers shown per team (the full list is in plan.csv).
        effect_layout: Where the measured effects (``procare outreach evaluate``) are read when
            not from ``layout`` (the demo points it at its closed-loop world).
    """

    model_config = ConfigDict(extra="forbid")

    as_of: date | None = None
    layout: DataLayout = Field(default_factory=DataLayout)
    plan: PlanCommandConfig = Field(default_factory=PlanCommandConfig)
    rows_per_team: int = Field(30, ge=1, le=1000)
    effect_layout: DataLayout | None = None


@dataclass(frozen=True)
class MeasuredEffect:
    """The measured effect of a recorded plan, as read back for the report.

    Attributes:
        plan_as_of: Date of the evaluated plan.
        effect: :func:`outreach.effect.measure_effect`'s table.
        path: The effect table's file.
    """

    plan_as_of: date
    effect: pd.DataFrame
    path: Path


@dataclass(frozen=True)
class ReportResult:
    """A written report."""

    as_of: date
    path: Path
    run_id: str


def latest_measured_effect(layout: DataLayout, as_of: date) -> MeasuredEffect | None:
    """The effect table of the plan of ``as_of``, else of the closest earlier recorded plan
    whose effect was evaluated; ``None`` when no plan up to ``as_of`` was evaluated."""
    for day in reversed(folder_dates(layout.outreach_dir)):
        path = layout.outreach.at(day).effect
        if day <= as_of and path.is_file():
            return MeasuredEffect(day, pd.read_csv(path, dtype={"value": str}), path)
    return None


def measured_effect_rows(
    measured: MeasuredEffect, deciles_of: str = "repeat_contact"
) -> pd.DataFrame:
    """The report's rows of a measured effect: :func:`outreach.effect.effect_summary` with the
    difference and its interval as ``estimate``, ``low`` and ``high``; every overall and team
    row, the risk deciles of ``deciles_of`` only (all of them are in the effect table)."""
    effect = measured.effect
    keep = (effect["segment"] != "risk_decile") | (effect["outcome"] == deciles_of)
    effect = effect.loc[keep].reset_index(drop=True)
    summary = effect_summary(effect).drop(columns=["difference [CI]"])
    summary.insert(0, "plan", measured.plan_as_of.isoformat())
    at = summary.columns.get_loc("rate contacted / holdout") + 1
    for offset, (name, column) in enumerate(
        (("estimate", "difference"), ("low", "ci_low"), ("high", "ci_high"))
    ):
        summary.insert(at + offset, name, effect[column].to_numpy(dtype=float))
    return summary


def measured_headline(measured: MeasuredEffect, source: str = "") -> str:
    """One line: the overall intention-to-treat repeat-contact difference with its interval."""
    rows = measured.effect
    overall = rows.loc[
        (rows["analysis"] == ITT)
        & (rows["segment"] == "overall")
        & (rows["outcome"] == "repeat_contact")
    ]
    where = f" ({source})" if source else ""
    head = f"Measured effect of the plan of {measured.plan_as_of}{where}"
    if overall.empty or overall["status"].iloc[0] != OK:
        status = "no rows" if overall.empty else overall["status"].iloc[0]
        return f"{head}: repeat contact — {status}"
    row = overall.iloc[0]
    return (
        f"{head}: repeat-contact rate {row['difference']:+.3f} "
        f"[{row['ci_low']:+.3f}, {row['ci_high']:+.3f}] among contacted vs held-out customers "
        f"({int(row['n_contacted'])} / {int(row['n_holdout'])})"
    )


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
    effect_layout = config.effect_layout or config.layout
    measured = latest_measured_effect(effect_layout, as_of)
    source = "" if config.effect_layout is None else f"read from {effect_layout.outreach_dir}"
    settings = tracking or TrackingSettings.from_env()
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
        monitoring=monitoring_page(
            settings,
            as_of,
            measured_effect=None if measured is None else measured_effect_rows(measured),
            effect_note=None if measured is None else measured_headline(measured, source),
        ),
        measured=None if measured is None else measured_headline(measured, source),
    )
    page = render_report(content)
    path = outreach_io.write_report(page, outreach_dir, as_of)
    with outreach_run(f"report {as_of}", config, tracking) as run:
        mlflow.set_tags({"command": "report", "as_of": as_of.isoformat()})
        if measured is not None:
            mlflow.set_tag("measured_effect_plan_as_of", measured.plan_as_of.isoformat())
        mlflow.log_artifact(str(path), "report")
    return ReportResult(as_of, path, run.info.run_id)
