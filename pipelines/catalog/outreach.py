"""Outreach outputs: the dated lists, warnings, backtests and reports, and the simulation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pipelines.catalog.dated import dated_folder, folder_dates, present


@dataclass(frozen=True)
class OutreachFiles:
    """The outreach files of one day: plan, social warnings, backtest and report."""

    folder: Path

    def plan(self, kind: str) -> Path:
        """Today's list: ``kind`` is ``csv`` (for Excel), ``parquet`` or ``json`` (settings)."""
        return self.folder / f"plan.{kind}"

    def social_warnings(self, kind: str) -> Path:
        """Routed brand posts: ``kind`` is ``csv`` or ``parquet``."""
        return self.folder / f"social_warnings.{kind}"

    @property
    def backtest(self) -> Path:
        """The backtest table of lists made on the day's snapshot."""
        return self.folder / "backtest.csv"

    @property
    def gain(self) -> Path:
        """The gain curves of the backtest."""
        return self.folder / "gain.csv"

    @property
    def report(self) -> Path:
        """The HTML operations report of the day."""
        return self.folder / "report.html"

    @property
    def effect(self) -> Path:
        """The measured effect of the day's recorded plan (``procare outreach evaluate``)."""
        return self.folder / "effect.csv"


@dataclass(frozen=True)
class SimulationFiles:
    """The latest closed-loop simulation."""

    folder: Path

    @property
    def effects(self) -> Path:
        """Summary of the realized change per policy and capacity."""
        return self.folder / "effects.csv"

    @property
    def per_seed(self) -> Path:
        """One row per simulated world."""
        return self.folder / "per_seed.csv"

    @property
    def meta(self) -> Path:
        """Settings of the simulation (assumed effect, size, seeds)."""
        return self.folder / "simulation.json"


@dataclass(frozen=True)
class OutreachStore:
    """Outreach outputs: dated folders plus the latest simulation."""

    root: Path

    def at(self, as_of: date) -> OutreachFiles:
        """The outreach files of ``as_of``."""
        return OutreachFiles(dated_folder(self.root, as_of))

    def service_plan(self, as_of: str, plan_id: str) -> Path:
        """A plan the service returned (both groups), recorded for later effect measurement."""
        return Path(self.root) / f"plan_{as_of}_{plan_id}.parquet"

    def backtest_dates(self) -> list[date]:
        """Dates with a written backtest, oldest first."""
        return [as_of for as_of in folder_dates(self.root) if present(self.at(as_of).backtest)]

    @property
    def simulation(self) -> SimulationFiles:
        """The latest simulation's files."""
        return SimulationFiles(Path(self.root) / "simulation")
