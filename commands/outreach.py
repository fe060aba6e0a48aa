"""`procare outreach` and `procare report`: lists, backtest, simulation, social, report."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from commands.common import console, data_layout, fail, frame_table, parse_dates, workdir_option

outreach_app = typer.Typer(
    help="Proactive outreach: today's list, backtest, simulated effect, social warning.",
    no_args_is_help=True,
)

BACKTEST_COLUMNS = (
    "capacity",
    "policy",
    "contacted",
    "repeat_precision",
    "repeat_recall",
    "escalation_precision",
    "escalation_recall",
    "repeat_captured_volume",
)


def plan_preview(plan, rows: int) -> Table:
    table = Table(title=f"outreach list (first {rows} to contact)")
    for column in ("customer", "team", "action", "p_repeat", "p_escalation", "top reason"):
        table.add_column(column)
    contacted = plan.loc[plan["group"] == "outreach"].sort_values("net_value", ascending=False)
    for customer_id, row in contacted.head(rows).iterrows():
        reasons = row["reasons"]
        reason = reasons[0]["zh"] if isinstance(reasons, list) and reasons else "—"
        table.add_row(
            str(customer_id),
            row["team"],
            row["action_zh"],
            f"{row['p_repeat_contact']:.2f}",
            f"{row['p_escalation']:.2f}",
            reason,
        )
    return table


@outreach_app.command("plan")
def outreach_plan(
    as_of: str | None = typer.Option(None, "--as-of", help="Snapshot; default: latest scored."),
    capacity: int | None = typer.Option(
        None, min=0, help="Total cases today (split over agents, supervisors, crisis team)."
    ),
    show: int = typer.Option(10, min=0, help="Rows of the list to print."),
    workdir: Path | None = workdir_option(),
) -> None:
    """Choose today's outreach list (with a seeded holdout) and write CSV + Parquet."""
    from outreach.commands import PlanCommandConfig, plan_command
    from pipelines.stage_schemas import StageFileError

    config = PlanCommandConfig(
        as_of=parse_dates([as_of], "--as-of")[0] if as_of else None,
        capacity=capacity,
        layout=data_layout(workdir),
    )
    try:
        result = plan_command(config)
    except (FileNotFoundError, LookupError, StageFileError) as exc:
        fail(str(exc))
    console.print(
        frame_table(f"plan {result.as_of}: customers per team", result.counts.reset_index())
    )
    if show:
        console.print(plan_preview(result.plan, show))
    for kind, path in result.paths.items():
        console.print(f"{kind}: {path}")


@outreach_app.command("backtest")
def outreach_backtest(
    as_of: str | None = typer.Option(
        None, "--as-of", help="Snapshot with realized labels, after the training data."
    ),
    workdir: Path | None = workdir_option(),
) -> None:
    """Compare the model policy with the rule, most-contacts and random lists on realized labels."""
    from outreach.commands import BacktestCommandConfig, backtest_command

    config = BacktestCommandConfig(
        as_of=parse_dates([as_of], "--as-of")[0] if as_of else None, layout=data_layout(workdir)
    )
    try:
        result = backtest_command(config)
    except (FileNotFoundError, LookupError, ValueError) as exc:
        fail(str(exc))
    wide = result.wide[[c for c in BACKTEST_COLUMNS if c in result.wide]]
    console.print(frame_table(f"backtest on {result.as_of} (share of the base)", wide))


@outreach_app.command("simulate")
def outreach_simulate(
    effect: float = typer.Option(
        0.3, min=0, max=1, help="ASSUMED relative drop of a contacted customer's contacts."
    ),
    customers: int = typer.Option(10_000, min=500, help="Customers of each simulated world."),
    seeds: int = typer.Option(5, min=1, max=50, help="Worlds (seeds) for the intervals."),
    workdir: Path | None = workdir_option(),
) -> None:
    """Run the synthetic world forward with outreach applied; measure the realized change."""
    from outreach.commands import SimulateCommandConfig, simulate_command
    from outreach.simulate import SimulationConfig
    from pipelines.synthetic.config import WorldConfig

    simulation = SimulationConfig(
        effect=effect,
        seeds=tuple(range(101, 101 + seeds)),
        world=WorldConfig(customers=customers, months=12),
    )
    result = simulate_command(
        SimulateCommandConfig(simulation=simulation, layout=data_layout(workdir))
    )
    title = (
        f"simulated effect of outreach ({customers:,} customers x {seeds} seeds; "
        f"ASSUMED effect: contacted customers make {effect:.0%} fewer inbound contacts)"
    )
    console.print(frame_table(title, result.effects))


@outreach_app.command("social")
def outreach_social(
    as_of: str | None = typer.Option(None, "--as-of", help="Day; default: latest snapshot."),
    days: int = typer.Option(7, min=1, max=90, help="Posts of the last N days."),
    workdir: Path | None = workdir_option(),
) -> None:
    """Score recent brand posts for escalation risk and reach; route to care or crisis team."""
    from outreach.commands import SocialCommandConfig, social_command
    from pipelines.stage_schemas import StageFileError

    config = SocialCommandConfig(
        as_of=parse_dates([as_of], "--as-of")[0] if as_of else None,
        days=days,
        layout=data_layout(workdir),
    )
    try:
        result = social_command(config)
    except (FileNotFoundError, StageFileError) as exc:
        fail(str(exc))
    routes = result.warnings.groupby("route").size().rename("posts").reset_index()
    console.print(frame_table(f"brand posts {result.as_of} (last {days} days)", routes))
    for kind, path in result.paths.items():
        console.print(f"{kind}: {path}")


@outreach_app.command("evaluate")
def outreach_evaluate(
    plan_as_of: str = typer.Option(..., "--plan-as-of", help="Date of the recorded plan (D)."),
    reached: Path | None = typer.Option(
        None, "--reached", help="CRM CSV (customer_id, reached): adds per-protocol figures."
    ),
    min_group: int = typer.Option(
        30, min=1, help="Fewest customers per group for a cell to get an estimate."
    ),
    segments: bool = typer.Option(True, help="Print the team and risk-decile rows too."),
    workdir: Path | None = workdir_option(),
) -> None:
    """Measured effect of a recorded plan: contacted vs holdout in (D, D+30], with intervals."""
    from outreach.effect import EffectConfig, effect_summary
    from outreach.run_evaluate import EvaluateCommandConfig, EvaluationInputError, evaluate_command
    from pipelines.stage_schemas import StageFileError

    config = EvaluateCommandConfig(
        plan_as_of=parse_dates([plan_as_of], "--plan-as-of")[0],
        reached=reached,
        effect=EffectConfig(min_group=min_group),
        layout=data_layout(workdir),
    )
    try:
        result = evaluate_command(config)
    except (FileNotFoundError, EvaluationInputError, StageFileError) as exc:
        fail(str(exc))
    summary = effect_summary(result.effect)
    if not segments:
        summary = summary.loc[summary["segment"] == "overall"]
    title = (
        f"measured effect of the plan of {result.plan_as_of} (contacted minus holdout, "
        "95% Newcombe intervals; negative = fewer events)"
    )
    console.print(frame_table(title, summary))
    console.print(f"effect: {result.path} (MLflow run {result.run_id})")


def report(
    as_of: str | None = typer.Option(None, "--as-of", help="Day of the list; default: latest."),
    workdir: Path | None = workdir_option(),
) -> None:
    """Render the operations report (HTML): lists by team, backtest, simulated effect, models."""
    from outreach.commands import ReportCommandConfig, report_command
    from pipelines.stage_schemas import StageFileError

    config = ReportCommandConfig(
        as_of=parse_dates([as_of], "--as-of")[0] if as_of else None, layout=data_layout(workdir)
    )
    try:
        result = report_command(config)
    except (FileNotFoundError, LookupError, StageFileError) as exc:
        fail(str(exc))
    console.print(f"report for {result.as_of}: {result.path} (also logged to MLflow)")
