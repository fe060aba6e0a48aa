"""Assemble one feature row per customer from all families (the same code offline and online)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionArray
from pydantic import ConfigDict, Field, field_validator

from features.catalog import absent_columns
from features.core.inputs import feature_frame, frame_columns, take
from features.core.pickled import DefaultsOnUnpickle
from features.core.point_in_time import known_mask
from features.core.timeline import as_of_timestamp, in_last_days, snapshot_end
from features.graph import GraphFeatureConfig, graph_features
from features.identity import (
    account_owners,
    identity_columns,
    resolve_contacts,
    resolve_posts,
)
from features.labels import LabelConfig
from features.sources import OptionalTable, check_missing, families_absent
from features.structured import FEATURES as STRUCTURED_FEATURES
from features.structured.combine import structured_columns
from features.text import FEATURE_COLUMNS as TEXT_COLUMNS
from features.text.aggregate import text_values


class FeatureConfig(DefaultsOnUnpickle):
    """Everything that shapes a snapshot's features and labels (registered models carry it
    pickled: a model trained before a setting existed loads with its default)."""

    model_config = ConfigDict(extra="forbid")

    graph: GraphFeatureConfig = Field(default_factory=GraphFeatureConfig)
    labels: LabelConfig = Field(default_factory=LabelConfig)
    missing_tables: list[OptionalTable] = Field(
        default_factory=list,
        description="Optional contract tables the data lack (the snapshot build takes them from "
        "the ingest manifest); the feature families they feed are left out, not zero-filled.",
    )

    @field_validator("missing_tables")
    @classmethod
    def _contract_order(cls, value: list[str]) -> list[str]:
        return list(check_missing(value))

    def without(self, tables: list[str] | tuple[str, ...]) -> FeatureConfig:
        """This configuration with ``tables`` missing too."""
        missing = [*self.missing_tables, *tables]
        return self.model_copy(update={"missing_tables": list(check_missing(missing))})


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
    open_date = customers["open_date"]
    if isinstance(open_date.dtype, np.dtype) and open_date.dtype.kind == "M":
        return known_mask(open_date.to_numpy(), as_of)
    return (open_date < snapshot_end(as_of)).to_numpy()


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

    Each family yields arrays and the frame is built once: for the one customer of an online
    request, the fixed cost of every pandas operation is what counts.

    Args:
        tables: Source tables with identity resolved; may hold only a few customers' rows.
        as_of: Snapshot date; only rows up to the end of this day are used.
        config: Feature configuration; the columns of the source families its
            ``missing_tables`` feed are left out (``features.sources``).
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
    if contact_free is not None:
        _check_given_rows(contact_free, ids)
    index, structured = structured_columns(
        customers,
        tables.bills,
        tables.usage,
        tables.service_events,
        tables.contacts,
        as_of,
        regions=list(tables.regions) or None,
        contact_free=contact_free,
        index=ids if _is_customer_index(customers, ids) else None,
    )
    if not index.equals(ids):
        frame = feature_frame(structured, index, STRUCTURED_FEATURES).reindex(ids)
        structured = frame_columns(frame, list(frame.columns))
    text = text_values(tables.contacts, as_of, ids, posts=tables.social_posts)
    identity = identity_columns(tables.contacts, tables.social_posts, tables.owners, ids, as_of)
    config = config or FeatureConfig()
    absent = _absent_columns(tuple(config.missing_tables))
    if graph is None and "graph" in families_absent(config.missing_tables):
        graph = pd.DataFrame(index=ids)
    elif graph is None:
        graph = compute_graph_features(tables, as_of, config)
    columns = {
        **structured,
        **dict(zip(TEXT_COLUMNS, text, strict=True)),
        **identity,
        **_graph_columns(graph, ids),
    }
    if absent:
        columns = {name: values for name, values in columns.items() if name not in absent}
    return _frame(columns, ids)


@lru_cache(maxsize=8)
def _absent_columns(missing_tables: tuple[str, ...]) -> frozenset[str]:
    """Columns of the source families the ``missing_tables`` feed (none when none is missing)."""
    if not missing_tables:
        return frozenset()
    return frozenset(absent_columns(missing_tables))


def _is_customer_index(customers: pd.DataFrame, ids: pd.Index) -> bool:
    """Whether ``ids`` (distinct ids of ``customers``) equals their ``customer_index``."""
    return (
        len(ids) == len(customers)
        and ids.dtype == object
        and customers["customer_id"].dtype == object
    )


def _check_given_rows(contact_free: pd.DataFrame, ids: pd.Index) -> None:
    if contact_free.index.equals(ids):
        return
    absent = ids.difference(contact_free.index)
    if len(absent):
        raise ValueError(
            f"contact_free lacks {len(absent)} of the customers, e.g. {absent[0]!r}: compute "
            "it for the same customers and day"
        )


def _graph_columns(graph: pd.DataFrame, ids: pd.Index) -> dict[str, np.ndarray | ExtensionArray]:
    """The columns of ``graph.reindex(ids)``, copied."""
    names = list(graph.columns)
    if graph.index.equals(ids):
        return frame_columns(graph, names)
    if graph.index.is_unique:
        rows = _positions(graph.index, ids)
        if (rows >= 0).all():
            return frame_columns(graph, names, rows)
    return frame_columns(graph.reindex(ids), names)


def _positions(index: pd.Index, ids: pd.Index) -> np.ndarray:
    """``index.get_indexer(ids)`` for a unique ``index``; one ``get_loc`` for a single id."""
    if len(ids) == 1:
        try:
            position = index.get_loc(ids[0])
        except (KeyError, TypeError):
            position = None
        if isinstance(position, int | np.integer):
            return np.array([position], dtype=np.intp)
    return index.get_indexer(ids)


FEW_ROWS = 1_000
"""Up to this many customers, :func:`customer_features` builds its frame from dtype blocks."""


def _frame(columns: dict[str, np.ndarray | ExtensionArray], index: pd.Index) -> pd.DataFrame:
    """``pd.DataFrame(columns, index=index)``, the arrays taken as they are (fresh ones).

    Up to :data:`FEW_ROWS` rows, the numeric columns are stacked into one block per dtype: a
    frame of a hundred one-row blocks costs more to build (and to read) than the stacking.
    """
    if len(index) > FEW_ROWS:
        return pd.DataFrame(columns, index=index, copy=False)
    names = list(columns)
    arrays = list(columns.values())
    groups: dict[np.dtype | None, list[int]] = {}
    for position, values in enumerate(arrays):
        numeric = isinstance(values, np.ndarray) and values.dtype.kind in "biuf"
        groups.setdefault(values.dtype if numeric else None, []).append(position)
    frames = []
    for dtype, positions in groups.items():
        if dtype is None:
            group = {names[i]: arrays[i] for i in positions}
            frames.append(pd.DataFrame(group, index=index, copy=False))
        else:
            block = np.array([arrays[i] for i in positions], dtype=dtype).T
            group_names = _column_index(tuple(names[i] for i in positions))
            frames.append(pd.DataFrame(block, index=index, columns=group_names, copy=False))
    grouped = np.concatenate([np.asarray(positions) for positions in groups.values()])
    return pd.concat(frames, axis=1, copy=False).take(np.argsort(grouped), axis=1)


@lru_cache(maxsize=32)
def _column_index(names: tuple[str, ...]) -> pd.Index:
    return pd.Index(names, dtype=object)
