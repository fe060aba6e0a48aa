"""Contract tables (and latent tables) from the simulation's arrays."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd
import pyarrow as pa

from pipelines.contract import CATEGORIES
from pipelines.memory import release_free_memory
from pipelines.synthetic.contact_batch import CHANNELS, ContactBatch
from pipelines.synthetic.contact_drivers import COMPONENTS
from pipelines.synthetic.events import EVENT_TYPES, EventBatch
from pipelines.synthetic.ids import format_ids, string_column, take_ids
from pipelines.synthetic.population import PLAN_TYPES, Population
from pipelines.synthetic.posts import PostBatch
from pipelines.synthetic.state import CustomerState

TABLES = (
    "customers",
    "bills",
    "usage",
    "service_events",
    "contacts",
    "social_accounts",
    "social_posts",
    "edges",
)
ID_WIDTH = 10
SOURCE_NAMES = (
    *COMPONENTS,
    "outage_shock",
    "suspension_shock",
    "regulator",
    "regulator_suspension_shock",
    "outbound",
)
POST_SOURCES = ("brand_base", "brand_outage_shock", "brand_suspension_shock", "everyday")


def codes_column(codes: np.ndarray, names: tuple[str, ...]) -> pd.arrays.ArrowStringArray:
    return take_ids(pa.array(list(names), type=pa.string()), codes)


Columns = dict[str, np.ndarray | pd.api.extensions.ExtensionArray]


class TableCollector:
    """Accumulates the output months' columns (as chunks) and hands out sequential ids.

    Tables are assembled once at the end, column by column, without copying string columns
    (they become multi-chunk Arrow arrays) and freeing each column's chunks as it goes, so the
    peak memory stays close to the size of the final tables.
    """

    def __init__(self) -> None:
        self.chunks: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        self.next_id = {"contacts": 1, "service_events": 1, "social_posts": 1}

    def ids(self, table: str, prefix: str, count: int) -> pa.Array:
        start = self.next_id[table]
        self.next_id[table] += count
        return format_ids(prefix, np.arange(start, start + count), ID_WIDTH)

    def add(self, table: str, columns: Columns) -> None:
        for name, values in columns.items():
            self.chunks[table][name].append(values)

    def frame(self, table: str) -> pd.DataFrame:
        """Assemble (and forget) one table."""
        columns = self.chunks.pop(table, {})
        out = {}
        for name in list(columns):
            out[name] = _join(columns.pop(name))
            release_free_memory()
        return pd.DataFrame(out, copy=False)


def _join(chunks: list) -> np.ndarray | pd.api.extensions.ExtensionArray:
    if isinstance(chunks[0], pd.arrays.ArrowStringArray):
        pieces = []
        for chunk in chunks:
            data = chunk.__arrow_array__()
            pieces.extend(data.chunks if isinstance(data, pa.ChunkedArray) else [data])
        return pd.arrays.ArrowStringArray(pa.chunked_array(pieces, type=pa.large_string()))
    if isinstance(chunks[0], pd.Categorical):
        codes = np.concatenate([chunk.codes for chunk in chunks])
        return pd.Categorical.from_codes(codes, categories=chunks[0].categories)
    return np.concatenate(chunks)


def contact_columns(
    batch: ContactBatch,
    texts: np.ndarray,
    population: Population,
    accounts_ids: pa.Array,
    collector: TableCollector,
) -> tuple[Columns, Columns]:
    contact_ids = collector.ids("contacts", "K", len(batch))
    shown_customer = np.where(batch.identified, batch.customer, -1)
    ticket = batch.ticket
    ticket_ids = format_ids("T", np.maximum(ticket, 0), ID_WIDTH, mask=ticket < 0)
    frame = {
        "contact_id": pd.arrays.ArrowStringArray(contact_ids),
        "customer_id": take_ids(population.ids, shown_customer),
        "ts": batch.ts.astype("datetime64[ns]"),
        "channel": codes_column(batch.channel, CHANNELS),
        "direction": codes_column((~batch.inbound).astype(np.int8), ("inbound", "outbound")),
        "category": codes_column(batch.category, CATEGORIES),
        "text": string_column(texts),
        "ticket_id": pd.arrays.ArrowStringArray(ticket_ids),
        "resolved": batch.resolved,
        "handle_seconds": batch.handle_seconds,
        "transfers": batch.transfers,
        "csat": batch.csat,
        "escalated_flag": batch.flagged,
        "social_account_id": take_ids(accounts_ids, batch.account),
    }
    source = np.where(batch.source >= 0, batch.source, len(SOURCE_NAMES))
    latent = {
        "contact_id": frame["contact_id"],
        "hidden_customer_id": take_ids(
            population.ids, np.where(batch.identified, -1, batch.customer)
        ),
        "escalation_intent": batch.intent,
        "churn_intent": batch.churn,
        "anger": batch.anger,
        "driver": pd.Categorical.from_codes(source, categories=[*SOURCE_NAMES, "non_customer"]),
    }
    return frame, latent


def post_columns(
    posts: PostBatch,
    texts: np.ndarray,
    population: Population,
    accounts_ids: pa.Array,
    collector: TableCollector,
) -> tuple[Columns, Columns]:
    post_ids = collector.ids("social_posts", "P", len(posts))
    frame = {
        "post_id": pd.arrays.ArrowStringArray(post_ids),
        "account_id": take_ids(accounts_ids, posts.account),
        "ts": posts.ts.astype("datetime64[ns]"),
        "text": string_column(texts),
        "reposts": posts.reposts,
        "comments": posts.comments,
        "mentions_brand": posts.brand,
    }
    latent = {
        "post_id": frame["post_id"],
        "true_customer_id": take_ids(population.ids, posts.owner),
        "escalation_intent": posts.intent,
        "anger": posts.anger,
        "driver": pd.Categorical.from_codes(posts.source, categories=list(POST_SOURCES)),
    }
    return frame, latent


def event_columns(events: EventBatch, population: Population, collector: TableCollector) -> Columns:
    order = np.lexsort((events.kind, events.customer, events.ts))
    customer, ts = events.customer[order], events.ts[order]
    kind, amount = events.kind[order], events.amount[order]
    return {
        "event_id": pd.arrays.ArrowStringArray(collector.ids("service_events", "E", len(order))),
        "customer_id": take_ids(population.ids, customer),
        "ts": ts.astype("datetime64[ns]"),
        "event_type": codes_column(kind, EVENT_TYPES),
        "amount": np.round(amount, 2),
    }


def customers_frame(
    population: Population, state: CustomerState, regions: tuple[str, ...]
) -> pd.DataFrame:
    status = np.where(state.closed, 2, np.where(state.suspended, 1, 0))
    return pd.DataFrame(
        {
            "customer_id": pd.arrays.ArrowStringArray(population.ids),
            "msisdn": pd.arrays.ArrowStringArray(population.msisdn),
            "open_date": population.open_date.astype("datetime64[ns]"),
            "plan_type": codes_column(population.plan, PLAN_TYPES),
            "monthly_fee": state.fee.astype(np.float64),
            "region": codes_column(population.region, regions),
            "vip_level": population.vip.astype(np.int64),
            "autopay": population.autopay.astype(bool),
            "status": codes_column(status, ("active", "suspended", "closed")),
        }
    )


def customer_latent(population: Population) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": pd.arrays.ArrowStringArray(population.ids),
            "propensity": population.propensity,
            "anger_trait": population.anger_trait,
            "social_activity": population.social,
            "bad_coverage": population.bad_coverage,
            "annual_prepaid": population.annual_prepaid,
            "pay_prob": population.pay_prob,
        }
    )
