"""``procare outreach simulate``: the closed-loop simulation, written and logged."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from outreach.runs import champion_scorer, close_figures, outreach_run
from outreach.simulate import SimulationConfig, SimulationResult, effect_table, simulate
from pipelines import outreach_io
from pipelines.catalog import DataLayout
from training.tracking import TrackingSettings

logger = logging.getLogger(__name__)


class SimulateCommandConfig(BaseModel):
    """``procare outreach simulate``: the closed-loop simulation in the synthetic world.

    Attributes:
        simulation: Assumed effect, seeds, world size, capacities, policies.
        layout: Where the simulation's tables are written (``outreach/simulation``).
        use_model: Include the champion models' policy (skipped with a warning when there is
            no champion).
    """

    model_config = ConfigDict(extra="forbid")

    simulation: SimulationConfig = Field(default_factory=SimulationConfig)
    layout: DataLayout = Field(default_factory=DataLayout)
    use_model: bool = True


@dataclass(frozen=True)
class SimulateResult:
    """A simulation, its reported-shape table, files and run."""

    result: SimulationResult
    effects: pd.DataFrame
    paths: dict[str, Path]
    run_id: str


def simulate_command(
    config: SimulateCommandConfig,
    tracking: TrackingSettings | None = None,
    progress: bool = False,
) -> SimulateResult:
    """Run the simulation, write and log its tables and effect charts (effect stated)."""
    import mlflow

    from outreach.plots import effect_figure

    scorer, versions = None, {}
    if config.use_model:
        try:
            scorer, versions = champion_scorer(tracking)
        except LookupError as error:
            logger.warning("simulating without the model policy: %s", error)
    sim = config.simulation
    result = simulate(sim, scorer, progress=progress)
    effects = effect_table(result.summary)
    meta = {
        "assumed_effect": sim.effect,
        "customers": sim.world.customers,
        "seeds": list(sim.seeds),
        "as_of": sim.as_of.isoformat(),
        "model_versions": versions,
    }
    paths = outreach_io.write_simulation(
        result.summary, result.per_seed, meta, config.layout.outreach_dir
    )
    with outreach_run(f"simulate effect={sim.effect:g}", config, tracking) as run:
        mlflow.set_tags({"command": "simulate", "assumed_effect": f"{sim.effect:g}"})
        mlflow.log_params(
            {
                "assumed_effect": sim.effect,
                "customers": sim.world.customers,
                "seeds": ",".join(map(str, sim.seeds)),
                "as_of": sim.as_of.isoformat(),
            }
        )
        mlflow.log_table(result.summary, "simulation/summary.json")
        mlflow.log_text(effects.to_csv(index=False), "simulation/effects.csv")
        for metric in ("repeat_contact", "reopened_tickets"):
            mlflow.log_figure(
                effect_figure(result.summary, metric), f"simulation/{metric}_base_change.png"
            )
        main = result.summary.loc[result.summary["policy"] == ("model" if scorer else "oracle")]
        mlflow.log_metrics(
            {
                f"{row.metric}_base_change_{row.capacity * 100:g}pct": float(row.base_change)
                for row in main.itertuples()
                if pd.notna(row.base_change)
            }
        )
    close_figures()
    return SimulateResult(result, effects, paths, run.info.run_id)
