"""The synthetic world: run the simulation, turn its output into tables, save them."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from rich.progress import Progress

from pipelines.catalog import WorldFiles
from pipelines.storage import atomic_path, write_text_atomic
from pipelines.synthetic.accounts import Accounts, accounts_frame
from pipelines.synthetic.calendar import Calendar
from pipelines.synthetic.config import WorldConfig
from pipelines.synthetic.contact_drivers import COMPONENTS
from pipelines.synthetic.frames import (
    TABLES,
    TableCollector,
    contact_columns,
    customer_latent,
    customers_frame,
    event_columns,
    post_columns,
)
from pipelines.synthetic.graph import edge_columns
from pipelines.synthetic.oracle import oracle_columns
from pipelines.synthetic.population import Population
from pipelines.synthetic.simulation import MonthResult, Simulation, SnapshotResult
from pipelines.synthetic.usage import usage_columns

logger = logging.getLogger(__name__)


@dataclass
class World:
    """The eight contract tables, the oracle, the parameters and latent truths.

    Attributes:
        customers, bills, usage, service_events, contacts, social_accounts, social_posts,
            edges: The contract tables (``docs/data_contract.md``).
        oracle: ``customer_id, as_of, p_repeat_contact, p_escalation`` per month-end snapshot.
        params: Seed and every parameter (``WorldConfig`` as JSON) plus derived facts.
        latent: Hidden truths for evaluation: ``customer_latent`` (traits), ``contact_latent``
            (true customer, escalation/churn intent, anger and driver of each contact),
            ``post_latent`` (true owner, intent, anger, driver of each post).
    """

    customers: pd.DataFrame
    bills: pd.DataFrame
    usage: pd.DataFrame
    service_events: pd.DataFrame
    contacts: pd.DataFrame
    social_accounts: pd.DataFrame
    social_posts: pd.DataFrame
    edges: pd.DataFrame
    oracle: pd.DataFrame
    params: dict
    latent: dict[str, pd.DataFrame] = field(default_factory=dict)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The contract tables by name."""
        return {name: getattr(self, name) for name in TABLES}


def generate_world(config: WorldConfig, progress: bool = False) -> World:
    """Simulate a synthetic telecom world.

    Args:
        config: World configuration (size, months, seed, mechanism parameters, treatment).
        progress: Show a rich progress bar per simulated month.

    Returns:
        The world: contract tables, oracle, parameters and latent truths.
    """
    out = TableCollector()
    sim = simulate(config, out, progress)
    population, accounts = sim.population, sim.accounts
    with sim.stopwatch("tables"):
        customers = customers_frame(population, sim.state, tuple(config.population.regions))
        sim.release()
        world = World(
            customers=customers,
            bills=out.frame("bills"),
            usage=out.frame("usage"),
            service_events=out.frame("service_events"),
            contacts=out.frame("contacts"),
            social_accounts=accounts_frame(accounts, population),
            social_posts=out.frame("social_posts"),
            edges=out.frame("edges"),
            oracle=out.frame("oracle"),
            params=world_params(config, sim.calendar, sim.region_risk),
            latent={
                "customer_latent": customer_latent(population),
                "contact_latent": out.frame("contact_latent"),
                "post_latent": out.frame("post_latent"),
            },
        )
    world.stage_seconds = dict(sim.stopwatch.seconds)
    logger.info(
        "synthetic world: %d customers, %d months, %d contacts, %d posts",
        population.size,
        config.months,
        len(world.contacts),
        len(world.social_posts),
    )
    return world


def simulate(config: WorldConfig, out: TableCollector, progress: bool = False) -> Simulation:
    """Run the simulation month by month, handing every month's rows to ``out``.

    The whole population is simulated together (contagion along the social graph needs every
    customer's state each month); only the output rows go to ``out`` as they are made, so a
    collector that writes them away keeps memory to the state plus one month's rows.

    Returns:
        The finished simulation (its population, accounts and final state).
    """
    sim = Simulation(config)
    population, accounts = sim.population, sim.accounts
    customer_ids = pd.arrays.ArrowStringArray(population.ids)
    with Progress(disable=not progress, transient=False) as bar:
        task = bar.add_task("simulating months", total=sim.calendar.n_months)
        for result in sim.run():
            if isinstance(result, SnapshotResult):
                out.add(
                    "oracle",
                    oracle_columns(
                        customer_ids, result.as_of, result.p_repeat, result.p_escalation
                    ),
                )
                continue
            with sim.stopwatch("tables"):
                _collect_month(result, population, accounts, out)
            bar.update(task, completed=result.t + 1, description=f"month {result.month:%Y-%m}")
        bar.update(task, completed=sim.calendar.n_months)
    return sim


def _collect_month(
    result: MonthResult, population: Population, accounts: Accounts, out: TableCollector
) -> None:
    out.add("service_events", event_columns(result.events, population, out))
    contacts, latent = contact_columns(
        result.contacts, result.contact_texts, population, accounts.ids, out
    )
    out.add("contacts", contacts)
    out.add("contact_latent", latent)
    posts, latent = post_columns(result.posts, result.post_texts, population, accounts.ids, out)
    out.add("social_posts", posts)
    out.add("post_latent", latent)
    out.add("bills", result.bills)
    out.add("usage", usage_columns(population, result.usage, result.usage_rows, result.month))
    out.add("edges", edge_columns(result.edges, population.ids, result.month))


def world_params(config: WorldConfig, calendar: Calendar, region_risk: np.ndarray) -> dict:
    first_data = calendar.burn_in
    return {
        "seed": config.seed,
        "config": config.model_dump(mode="json"),
        "data_start": str(calendar.month_timestamp(first_data).date()),
        "data_end": str(calendar.month_end(calendar.n_months - 1).date()),
        "snapshots": [str(calendar.month_end(t).date()) for t in calendar.snapshot_months()],
        "region_outage_prob": dict(
            zip(config.population.regions, np.round(region_risk, 4).tolist(), strict=True)
        ),
        "contact_drivers": list(COMPONENTS),
    }


DICTIONARY_COLUMNS = frozenset(
    {
        "plan_type",
        "region",
        "status",
        "bill_month",
        "issued_at",
        "usage_month",
        "event_type",
        "channel",
        "direction",
        "category",
        "platform",
        "kind",
        "month",
        "as_of",
        "driver",
    }
)


def _write_parquet(frame: pd.DataFrame, target: Path) -> Path:
    """Write atomically; dictionary-encode only low-cardinality columns (ids are unique)."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    dictionary = [name for name in frame.columns if name in DICTIONARY_COLUMNS]
    with atomic_path(target) as tmp:
        pq.write_table(table, tmp, use_dictionary=dictionary, write_statistics=False)
    return target


def save_world(world: World, out_dir: Path) -> dict[str, Path]:
    """Write the world: ``<table>.parquet``, ``oracle/*.parquet`` and ``world.json``.

    Args:
        world: A generated world.
        out_dir: Destination folder (created if missing).

    Returns:
        Written paths by name (table names, ``oracle``, latent table names, ``world``).
    """
    files = WorldFiles(Path(out_dir))
    paths = {
        name: _write_parquet(frame, files.table(name)) for name, frame in world.tables().items()
    }
    paths["oracle"] = _write_parquet(world.oracle, files.oracle)
    for name, frame in world.latent.items():
        paths[name] = _write_parquet(frame, files.latent(name))
    paths["world"] = write_text_atomic(
        json.dumps(world.params, ensure_ascii=False, indent=2), files.params
    )
    return paths
