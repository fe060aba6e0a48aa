"""One structured feature row per customer: billing, usage, account and contact history joined."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionArray

from features.core.inputs import (
    customer_index,
    feature_frame,
    frame_columns,
    require_columns,
)
from features.registry import FeatureSpec
from features.structured import account, billing, contact_history
from features.structured import usage as usage_family

logger = logging.getLogger(__name__)

FEATURES: list[FeatureSpec] = [
    *account.FEATURES,
    *billing.FEATURES,
    *usage_family.FEATURES,
    *contact_history.FEATURES,
]


CONTACT_FREE_FEATURES: list[FeatureSpec] = [
    *account.FEATURES,
    *billing.FEATURES,
    *usage_family.FEATURES,
]
"""Structured features that never read contacts: a new contact cannot change them."""


def contact_free_features(
    customers: pd.DataFrame,
    bills: pd.DataFrame,
    usage: pd.DataFrame,
    service_events: pd.DataFrame,
    as_of: str | pd.Timestamp,
    *,
    regions: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The account, billing and usage features (:data:`CONTACT_FREE_FEATURES`) at ``as_of``.

    They depend on the day and on these tables only, so a service can compute them for the
    whole base once a day and recompute only the contact features when a contact arrives.
    Arguments as in :func:`structured_features`.
    """
    require_columns(customers, "customers", ["customer_id"])
    ids = customer_index(customers["customer_id"])
    columns: dict[str, np.ndarray | pd.Categorical] = {}
    columns |= account.account_columns(customers, as_of, regions=regions)[1]
    columns |= billing.billing_columns(bills, service_events, ids, as_of)
    columns |= usage_family.usage_columns(usage, ids, as_of)
    return feature_frame(columns, ids, CONTACT_FREE_FEATURES)


def _given_columns(contact_free: pd.DataFrame, ids: pd.Index) -> dict[str, np.ndarray]:
    """Copies of the :data:`CONTACT_FREE_FEATURES` of ``ids`` from a frame holding them.

    Raises:
        ValueError: ``contact_free`` lacks one of the columns or one of the customers.
    """
    names = [spec.name for spec in CONTACT_FREE_FEATURES]
    present = set(contact_free.columns)
    missing = [name for name in names if name not in present]
    if missing:
        raise ValueError(f"contact_free lacks columns {missing[:5]}")
    if contact_free.index.equals(ids):
        return frame_columns(contact_free, names)
    rows = contact_free.index.get_indexer(ids) if contact_free.index.is_unique else None
    if rows is None or (rows < 0).any():
        raise ValueError(
            "contact_free rows must hold the customers of `customers` "
            f"({len(contact_free)} rows for {len(ids)} customers)"
        )
    return frame_columns(contact_free, names, rows)


def structured_features(
    customers: pd.DataFrame,
    bills: pd.DataFrame,
    usage: pd.DataFrame,
    service_events: pd.DataFrame,
    contacts: pd.DataFrame,
    as_of: str | pd.Timestamp,
    *,
    regions: Sequence[str] | None = None,
    contact_free: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """All structured features for the customers in ``customers`` at snapshot ``as_of``.

    Works on any subset of customers as long as every table holds all rows of those customers,
    so one customer online gets the same row as in the batch. Defaults for customers without
    rows are documented in each family module.

    Args:
        customers: Contract ``customers`` table: the customers to score.
        bills: Contract ``bills`` table.
        usage: Contract ``usage`` table.
        service_events: Contract ``service_events`` table.
        contacts: Contract ``contacts`` table with ``customer_id`` resolved (null = unidentified).
        as_of: Snapshot date; nothing stamped after the end of that day is used.
        regions: Pinned categories for ``acct_region`` (a trained model's list); the sorted
            regions of ``customers`` when omitted.
        contact_free: The :func:`contact_free_features` of exactly these customers at the same
            ``as_of``, computed earlier; only the contact history is computed then.

    Returns:
        One row per customer, index ``customer_id`` in the order of ``customers``, columns in the
        order of ``FEATURES``.

    Raises:
        ValueError: A required column is missing (the message names table and column), a
            timestamp column is not datetime64, or customer ids repeat.
    """
    if contact_free is not None:
        require_columns(customers, "customers", ["customer_id"])
        ids = customer_index(customers["customer_id"])
        if not contact_free.index.equals(ids):
            raise ValueError(
                "contact_free rows must be exactly the customers of `customers`, in order "
                f"({len(contact_free)} rows for {len(ids)} customers)"
            )
    ids, columns = structured_columns(
        customers,
        bills,
        usage,
        service_events,
        contacts,
        as_of,
        regions=regions,
        contact_free=contact_free,
    )
    return feature_frame(columns, ids, FEATURES)


def structured_columns(
    customers: pd.DataFrame,
    bills: pd.DataFrame,
    usage: pd.DataFrame,
    service_events: pd.DataFrame,
    contacts: pd.DataFrame,
    as_of: str | pd.Timestamp,
    *,
    regions: Sequence[str] | None = None,
    contact_free: pd.DataFrame | None = None,
    index: pd.Index | None = None,
) -> tuple[pd.Index, dict[str, np.ndarray | ExtensionArray]]:
    """The customer index and the arrays of :func:`structured_features`, by feature name.

    Arguments as in :func:`structured_features`, except that ``contact_free`` may hold more
    customers than ``customers``, in any order (say the whole base), and ``index`` is
    ``customer_index(customers["customer_id"])`` when the caller already has it.

    Returns:
        The index and fresh arrays (none shares memory with the inputs), in ``FEATURES`` order.

    Raises:
        ValueError: As :func:`structured_features`, or ``contact_free`` lacks a customer.
    """
    require_columns(customers, "customers", ["customer_id"])
    ids = customer_index(customers["customer_id"]) if index is None else index
    families = {
        "account": lambda: account.account_columns(customers, as_of, regions=regions)[1],
        "billing": lambda: billing.billing_columns(bills, service_events, ids, as_of),
        "usage": lambda: usage_family.usage_columns(usage, ids, as_of),
        "contact_history": lambda: contact_history.contact_history_columns(contacts, ids, as_of),
    }
    if contact_free is not None:
        families = {
            "given contact-free": lambda: _given_columns(contact_free, ids),
            "contact_history": families["contact_history"],
        }
    columns: dict[str, np.ndarray | ExtensionArray] = {}
    for name, compute in families.items():
        started = time.perf_counter()
        columns |= compute()
        logger.debug("structured %s: %.2f ms", name, 1000 * (time.perf_counter() - started))
    return ids, {spec.name: columns[spec.name] for spec in FEATURES}
