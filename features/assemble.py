"""Assemble one feature row per customer from all families (the same code offline and online)."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from features.graph import GraphFeatureConfig, graph_features
from features.identity import (
    account_owners,
    identity_features,
    resolve_contacts,
    resolve_posts,
)
from features.labels import LabelConfig
from features.structured import structured_features
from features.structured._inputs import take
from features.text import TEXT_DEFAULTS, text_features
from features.timeline import as_of_timestamp, in_last_days, snapshot_end


class FeatureConfig(BaseModel):
    """Everything that shapes a snapshot's features and labels."""

    model_config = ConfigDict(extra="forbid")

    graph: GraphFeatureConfig = Field(default_factory=GraphFeatureConfig)
    labels: LabelConfig = Field(default_factory=LabelConfig)


@dataclass(frozen=True)
class SourceTables:
    """The eight contract tables, with identity resolved on contacts and posts.

    Build it with :func:`resolve_tables`; ``contacts`` then carry ``resolved_via_social`` and
    ``social_posts`` carry a nullable ``customer_id``. ``regions`` pins the region categories
    of the whole customer base, so a subset of customers gets the same category codes.
    """

    customers: pd.DataFrame
    bills: pd.DataFrame
    usage: pd.DataFrame
    service_events: pd.DataFrame
    contacts: pd.DataFrame
    social_accounts: pd.DataFrame
    social_posts: pd.DataFrame
    edges: pd.DataFrame
    owners: pd.DataFrame
    regions: tuple[str, ...] = ()

    def for_customers(self, customer_ids: pd.Index) -> SourceTables:
        """Only the rows of the given customers (for online scoring of a few customers)."""
        ids = pd.Index(customer_ids)

        def rows(frame: pd.DataFrame) -> pd.DataFrame:
            return frame.loc[frame["customer_id"].isin(ids)]

        return replace(
            self,
            customers=rows(self.customers),
            bills=rows(self.bills),
            usage=rows(self.usage),
            service_events=rows(self.service_events),
            contacts=rows(self.contacts),
            social_posts=rows(self.social_posts),
            owners=rows(self.owners),
        )


def resolve_tables(tables: dict[str, pd.DataFrame]) -> SourceTables:
    """Attribute contacts and posts to customers through bound social accounts."""
    owners = account_owners(tables["customers"], tables["social_accounts"])
    return SourceTables(
        customers=tables["customers"],
        bills=tables["bills"],
        usage=tables["usage"],
        service_events=tables["service_events"],
        contacts=resolve_contacts(tables["contacts"], owners),
        social_accounts=tables["social_accounts"],
        social_posts=resolve_posts(tables["social_posts"], owners),
        edges=tables["edges"],
        owners=owners,
        regions=tuple(sorted(tables["customers"]["region"].dropna().unique())),
    )


def snapshot_customers(customers: pd.DataFrame, as_of: str | pd.Timestamp) -> pd.Index:
    """Customers who had opened their account by the end of day ``as_of``."""
    return _opened_ids(customers, _opened(customers, as_of))


def _opened(customers: pd.DataFrame, as_of: str | pd.Timestamp) -> np.ndarray:
    """Mask of the ``customers`` rows opened by the end of day ``as_of``."""
    return (customers["open_date"] < snapshot_end(as_of)).to_numpy()


def _opened_ids(customers: pd.DataFrame, opened: np.ndarray) -> pd.Index:
    """Distinct ids of the ``opened`` rows, in order of first appearance."""
    return pd.Index(pd.unique(take(customers["customer_id"], opened)), name="customer_id")


def contact_flags(contacts: pd.DataFrame, as_of: str | pd.Timestamp) -> pd.DataFrame:
    """Who complained or escalated in the 30 days up to ``as_of`` (inputs to graph contagion)."""
    recent = in_last_days(contacts, "ts", as_of, 30)
    recent = recent.loc[(recent["direction"] == "inbound") & recent["customer_id"].notna()]
    escalated = recent["escalated_flag"] | (recent["channel"] == "regulator")
    flags = pd.DataFrame(
        {
            "complained_30d": True,
            "escalated_30d": escalated.groupby(recent["customer_id"]).any(),
        }
    )
    flags.index.name = "customer_id"
    return flags.reset_index().astype({"complained_30d": bool, "escalated_30d": bool})


def compute_graph_features(
    tables: SourceTables, as_of: str | pd.Timestamp, config: FeatureConfig
) -> pd.DataFrame:
    """Graph features for every customer of the snapshot (needs the whole graph)."""
    customer_ids = snapshot_customers(tables.customers, as_of)
    return graph_features(
        tables.edges, customer_ids, contact_flags(tables.contacts, as_of), as_of, config.graph
    )


def customer_features(
    tables: SourceTables,
    as_of: str | pd.Timestamp,
    config: FeatureConfig | None = None,
    graph: pd.DataFrame | None = None,
    contact_free: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """All features of every snapshot customer in ``tables`` at ``as_of``.

    Args:
        tables: Source tables with identity resolved; may hold only a few customers' rows.
        as_of: Snapshot date; only rows up to the end of this day are used.
        config: Feature configuration.
        graph: Precomputed graph features (indexed by customer_id), e.g. from the snapshot
            when scoring online; computed from ``tables.edges`` when omitted.
        contact_free: Precomputed :func:`features.structured.contact_free_features` at the
            same ``as_of`` (indexed by customer_id, holding at least these customers), e.g.
            computed for the whole base once a day by the service; computed when omitted.

    Returns:
        One row per customer, indexed by ``customer_id``, columns ordered by family.

    Raises:
        ValueError: If ``contact_free`` lacks some of the customers.
    """
    as_of = as_of_timestamp(as_of)
    opened = _opened(tables.customers, as_of)
    ids = _opened_ids(tables.customers, opened)
    customers = tables.customers
    # When every row is opened, ``isin(ids)`` would keep them all: skip that scan.
    if not opened.all():
        customers = customers.loc[customers["customer_id"].isin(ids)]
    structured = structured_features(
        customers,
        tables.bills,
        tables.usage,
        tables.service_events,
        tables.contacts,
        as_of,
        regions=list(tables.regions) or None,
        contact_free=None if contact_free is None else _given_rows(contact_free, ids),
    )
    text = text_features(tables.contacts, as_of, posts=tables.social_posts)
    identity = identity_features(tables.contacts, tables.social_posts, tables.owners, ids, as_of)
    if graph is None:
        graph = compute_graph_features(tables, as_of, config or FeatureConfig())
    parts = [_aligned(structured, ids), _text_rows(text, ids), identity, _aligned(graph, ids)]
    frame = pd.concat(parts, axis=1)
    frame.index = ids
    return frame


def _given_rows(contact_free: pd.DataFrame, ids: pd.Index) -> pd.DataFrame:
    if contact_free.index.equals(ids):
        return contact_free
    absent = ids.difference(contact_free.index)
    if len(absent):
        raise ValueError(
            f"contact_free lacks {len(absent)} of the customers, e.g. {absent[0]!r}: compute "
            "it for the same customers and day"
        )
    return contact_free.loc[ids]


def _aligned(frame: pd.DataFrame, ids: pd.Index) -> pd.DataFrame:
    """``frame.reindex(ids)``, without the copy when the rows already are ``ids``."""
    return frame if frame.index.equals(ids) else frame.reindex(ids)


def _text_rows(text: pd.DataFrame, ids: pd.Index) -> pd.DataFrame:
    """``text.reindex(ids).fillna(TEXT_DEFAULTS)``: customers without texts get the defaults.

    Float columns are filled as one block: pandas fills column by column, which costs
    milliseconds for the one row of an online request.
    """
    if not all(dtype == np.float64 for dtype in text.dtypes):
        return text.reindex(ids).fillna(TEXT_DEFAULTS)
    positions = text.index.get_indexer(ids)
    found = positions >= 0
    values = np.full((len(ids), text.shape[1]), np.nan)
    values[found] = text.to_numpy()[positions[found]]
    defaults = np.array([TEXT_DEFAULTS.get(name, np.nan) for name in text.columns], dtype=float)
    return pd.DataFrame(
        np.where(np.isnan(values), defaults, values), index=ids, columns=text.columns
    )
