"""One library function per CLI command, each taking a strict pydantic config.

- ``procare outreach plan``: :func:`plan_command` (:class:`PlanCommandConfig`)
- ``procare outreach backtest``: :func:`backtest_command` (:class:`BacktestCommandConfig`)
- ``procare outreach simulate``: :func:`simulate_command` (:class:`SimulateCommandConfig`)
- ``procare outreach social``: :func:`social_command` (:class:`SocialCommandConfig`)
- ``procare report``: :func:`report_command` (:class:`ReportCommandConfig`)

Files go through ``pipelines.outreach_io``; runs are logged to the MLflow experiment
``procare-outreach`` through :class:`training.tracking.TrackingSettings`.
"""

from outreach.run_backtest import BacktestCommandConfig, BacktestResult, backtest_command
from outreach.run_plan import PlanCommandConfig, PlanResult, plan_command, plan_counts
from outreach.run_report import ReportCommandConfig, ReportResult, report_command
from outreach.run_simulate import SimulateCommandConfig, SimulateResult, simulate_command
from outreach.run_social import SocialCommandConfig, SocialResult, social_command
from outreach.runs import EXPERIMENT, champion_scorer

__all__ = [
    "EXPERIMENT",
    "BacktestCommandConfig",
    "BacktestResult",
    "PlanCommandConfig",
    "PlanResult",
    "ReportCommandConfig",
    "ReportResult",
    "SimulateCommandConfig",
    "SimulateResult",
    "SocialCommandConfig",
    "SocialResult",
    "backtest_command",
    "champion_scorer",
    "plan_command",
    "plan_counts",
    "report_command",
    "simulate_command",
    "social_command",
]
