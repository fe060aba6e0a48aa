"""Write a synthetic world straight to Parquet, month by month, with bounded memory.

``generate_world`` keeps every month's rows until the tables are assembled: the 1M-customer
world peaked at 7.2 GB, so a 3M world does not fit a 24 GB machine. Here each simulated month's
rows are appended to the table files as row groups and dropped, so memory holds the
simulation's state (every customer, since contagion along the social graph needs all of them
each month) plus one month's rows. The files read back equal ``save_world(generate_world(...))``.
"""

from __future__ import annotations

import json
import logging
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.catalog import WorldFiles
from pipelines.memory import release_free_memory
from pipelines.storage import atomic_path, write_text_atomic
from pipelines.synthetic.accounts import accounts_frame
from pipelines.synthetic.config import WorldConfig
from pipelines.synthetic.frames import TableCollector, customer_latent, customers_frame
from pipelines.synthetic.world import DICTIONARY_COLUMNS, simulate, world_params

logger = logging.getLogger(__name__)

LATENT = ("contact_latent", "post_latent")


def _arrow_table(columns: dict[str, Any]) -> pa.Table:
    """One month's columns as the Arrow table ``save_world`` would write for them."""
    table = pa.Table.from_pandas(pd.DataFrame(columns, copy=False), preserve_index=False)
    fields = [
        field.with_type(pa.large_string()) if pa.types.is_string(field.type) else field
        for field in table.schema
    ]
    return table.cast(pa.schema(fields, metadata=table.schema.metadata))


class StreamingTables(TableCollector):
    """A collector that appends each month's rows to its table's Parquet file as they come.

    Args:
        paths: Destination of every streamed table, by name.
        stack: Keeps the temporary files open until the caller publishes them together.
    """

    def __init__(self, paths: dict[str, Path], stack: ExitStack) -> None:
        super().__init__()
        self.paths = paths
        self.stack = stack
        self.writers: dict[str, pq.ParquetWriter] = {}
        self.rows: dict[str, int] = dict.fromkeys(paths, 0)

    def add(self, table: str, columns: dict[str, Any]) -> None:
        """Append one chunk of ``table`` to its file."""
        chunk = _arrow_table(columns)
        writer = self.writers.get(table)
        if writer is None:
            tmp = self.stack.enter_context(atomic_path(self.paths[table]))
            dictionary = [name for name in chunk.column_names if name in DICTIONARY_COLUMNS]
            writer = pq.ParquetWriter(
                tmp, chunk.schema, use_dictionary=dictionary, write_statistics=False
            )
            self.writers[table] = writer
        writer.write_table(chunk.cast(writer.schema))
        self.rows[table] += chunk.num_rows
        release_free_memory()

    def close(self) -> None:
        """Finish every file (their footers); publishing is the caller's ``ExitStack``."""
        for writer in self.writers.values():
            writer.close()


def _write_frame(frame: pd.DataFrame, target: Path, stack: ExitStack) -> int:
    table = pa.Table.from_pandas(frame, preserve_index=False)
    dictionary = [name for name in frame.columns if name in DICTIONARY_COLUMNS]
    tmp = stack.enter_context(atomic_path(target))
    pq.write_table(table, tmp, use_dictionary=dictionary, write_statistics=False)
    return len(frame)


def write_world(config: WorldConfig, out_dir: Path, progress: bool = False) -> dict[str, int]:
    """Simulate a world and write it as ``save_world`` does, without holding its tables.

    Every file is written to a temporary name and all are renamed into place at the end, so a
    failed run leaves the previous world (or nothing) behind.

    Args:
        config: World configuration (size, months, seed, mechanism parameters, treatment).
        out_dir: Destination folder (created if missing).
        progress: Show a progress bar per simulated month.

    Returns:
        Rows written per table (contract tables, ``oracle`` and the latent tables).
    """
    files = WorldFiles(Path(out_dir))
    streamed = {
        name: files.table(name)
        for name in ("bills", "usage", "service_events", "contacts", "social_posts", "edges")
    }
    streamed |= {"oracle": files.oracle} | {name: files.latent(name) for name in LATENT}
    with ExitStack() as stack:
        out = StreamingTables(streamed, stack)
        sim = simulate(config, out, progress)
        rows = dict(out.rows)
        out.close()
        for name in streamed.keys() - out.writers.keys():
            rows[name] = _write_frame(pd.DataFrame(), streamed[name], stack)
        population, accounts = sim.population, sim.accounts
        customers = customers_frame(population, sim.state, tuple(config.population.regions))
        params = world_params(config, sim.calendar, sim.region_risk)
        sim.release()
        rows["customers"] = _write_frame(customers, files.table("customers"), stack)
        rows["social_accounts"] = _write_frame(
            accounts_frame(accounts, population), files.table("social_accounts"), stack
        )
        rows["customer_latent"] = _write_frame(
            customer_latent(population), files.latent("customer_latent"), stack
        )
    write_text_atomic(json.dumps(params, ensure_ascii=False, indent=2), files.params)
    logger.info(
        "synthetic world written to %s: %d customers, %d contacts, %d posts",
        out_dir,
        rows["customers"],
        rows["contacts"],
        rows["social_posts"],
    )
    return rows
