"""One customer's source rows, read from the serving index, plus the contacts seen live.

The service never holds the base's tables: :class:`CustomerRows` reads one customer's rows of
each table from the serving index (:mod:`pipelines.serving_index`, a few milliseconds) and
appends the contacts received through the event endpoint, kept in a
:class:`serving.api.live_contacts.LiveContactStore` shared by the service's workers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from features.assemble import SourceTables
from pipelines.serving_index import CUSTOMER_TABLES, ServingIndex
from serving.api.live_contacts import LiveContactStore, open_store

PER_CUSTOMER_TABLES: tuple[str, ...] = CUSTOMER_TABLES
"""Tables of :class:`SourceTables` that :meth:`SourceTables.for_customers` restricts."""

GLOBAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "social_accounts": ("account_id", "platform", "followers", "bound_msisdn", "nickname"),
    "edges": ("src", "dst", "kind", "weight", "month"),
}
"""Tables one customer's features do not read (owners and the precomputed graph stand in)."""


@dataclass
class CustomerRows:
    """Source tables of one customer at a time, from the serving index.

    Build it with :meth:`open`. :meth:`tables_for` returns the same rows as
    ``tables.for_customers([customer_id])`` on the whole resolved tables (plus the customer's
    live contacts).
    """

    index: ServingIndex
    live: LiveContactStore

    @classmethod
    def open(cls, index: ServingIndex, live_dir: Path | None = None) -> CustomerRows:
        """Rows from ``index``; live contacts in ``live_dir`` (``None``: this process only).

        Live contacts the indexed data already covers (stamped before its latest contact)
        are dropped from the store.
        """
        template = index.tables["contacts"].empty
        return cls(index, open_store(live_dir, template, covered_until=index.contacts_end))

    def __contains__(self, customer_id: object) -> bool:
        return (
            isinstance(customer_id, str)
            and not self.index.tables["customers"].rows(customer_id).empty
        )

    @property
    def contact_columns(self) -> list[str]:
        """Columns of the contacts table (and of every live contact)."""
        return self.live.columns

    def owner(self, account_id: str) -> str | None:
        """The customer a social account is bound to, if any."""
        found = self.index.accounts.rows(account_id)
        return None if found.empty else str(found["customer_id"].iloc[0])

    def tables_for(self, customer_id: str) -> SourceTables:
        """The source tables restricted to one customer, live contacts included."""
        slices = {name: self.index.tables[name].rows(customer_id) for name in CUSTOMER_TABLES}
        live = self.live.rows(customer_id)
        if live is not None:
            slices["contacts"] = pd.concat([slices["contacts"], live], ignore_index=True)
        empty = {
            name: pd.DataFrame(columns=list(columns)) for name, columns in GLOBAL_COLUMNS.items()
        }
        return SourceTables(**slices, **empty, regions=self.index.regions)

    def append_contact(self, contact: pd.DataFrame | Mapping[str, Any]) -> bool:
        """Keep a new contact (one resolved row, or ``{column: value}``) with its customer's rows.

        Returns:
            ``False`` when a contact with that id was received before (not stored again).

        Raises:
            ValueError: If the row has no customer id or different columns than the contacts.
        """
        if isinstance(contact, pd.DataFrame):
            return self.live.append(contact)
        return self.live.append_record(contact)
