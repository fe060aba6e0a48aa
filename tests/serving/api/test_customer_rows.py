"""Per-customer rows from the serving index: the same rows as ``SourceTables.for_customers`` on
the whole resolved tables (the plain path), plus live contacts."""

from __future__ import annotations

import pandas as pd
import pytest

from features.assemble import resolve_tables
from pipelines.serving_index import build_serving_index, open_serving_index
from pipelines.snapshot import read_raw_tables
from serving.api.customer_rows import PER_CUSTOMER_TABLES, CustomerRows


@pytest.fixture(scope="module")
def tables(demo_world):
    return resolve_tables(read_raw_tables(demo_world.raw_dir))


@pytest.fixture(scope="module")
def index(demo_world, tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("index")
    as_of = demo_world.snapshots[-1]
    build_serving_index(demo_world.raw_dir, demo_world.features_dir, index_dir, as_of)
    return open_serving_index(index_dir, as_of)


@pytest.fixture
def rows(index):
    return CustomerRows.open(index)


def sorted_rows(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(list(frame.columns[:3])).reset_index(drop=True)


def test_slices_equal_for_customers(tables, rows):
    with_posts = tables.social_posts["customer_id"].dropna().iloc[0]
    with_account = tables.owners["customer_id"].iloc[0]
    many_contacts = tables.contacts["customer_id"].value_counts().index[0]
    customers = tables.customers["customer_id"]
    for customer_id in [with_posts, with_account, many_contacts, *customers.iloc[[0, 7, -1]]]:
        fast = rows.tables_for(customer_id)
        slow = tables.for_customers([customer_id])
        for name in PER_CUSTOMER_TABLES:
            pd.testing.assert_frame_equal(
                sorted_rows(getattr(fast, name)), sorted_rows(getattr(slow, name)), obj=name
            )
        own_order = slow.contacts.reset_index(drop=True)
        pd.testing.assert_frame_equal(fast.contacts, own_order, obj="contacts in export order")
        assert fast.regions == tables.regions


def test_unknown_customers_have_no_rows(rows):
    assert "NOBODY" not in rows
    assert rows.tables_for("NOBODY").customers.empty


def test_live_contacts_join_the_customer_rows(tables, rows):
    customer_id = tables.customers["customer_id"].iloc[3]
    before = len(rows.tables_for(customer_id).contacts)
    contact = tables.contacts.iloc[[0]].assign(customer_id=customer_id, contact_id="live-1")
    rows.append_contact(contact)
    rows.append_contact(contact.assign(contact_id="live-2"))
    after = rows.tables_for(customer_id).contacts
    assert len(after) == before + 2
    assert after["contact_id"].iloc[-2:].tolist() == ["live-1", "live-2"]
    assert after.dtypes.equals(tables.contacts.dtypes)


def test_live_contacts_joined_equal_a_concat(tables, index, rows, tmp_path):
    """Live rows (with missing texts, NaN csat, times) join exactly as ``pd.concat`` would."""
    customer_id = tables.customers["customer_id"].iloc[4]
    own = rows.tables_for(customer_id).contacts
    stored = CustomerRows.open(index, live_dir=tmp_path)
    for i, source in enumerate([0, 1, 2]):
        record = tables.contacts.iloc[source].to_dict()
        record |= {"customer_id": customer_id, "contact_id": f"live-{i}"}
        if i == 1:
            record |= {"text": None, "csat": float("nan")}
        assert stored.append_contact(record) is True
    live = stored.live.rows(customer_id)
    expected = pd.concat([own, live], ignore_index=True)
    pd.testing.assert_frame_equal(stored.tables_for(customer_id).contacts, expected)
    assert expected["text"].iloc[-2] is None


def test_a_record_without_customer_or_with_other_columns_is_refused(tables, rows):
    record = tables.contacts.iloc[0].to_dict()
    with pytest.raises(ValueError, match="customer_id"):
        rows.append_contact(record | {"customer_id": None})
    with pytest.raises(ValueError, match="columns"):
        rows.append_contact({k: v for k, v in record.items() if k != "csat"})


def test_appending_a_foreign_row_is_refused(tables, rows):
    with pytest.raises(ValueError, match="customer_id"):
        rows.append_contact(tables.contacts.iloc[[0]].assign(customer_id=None))
    with pytest.raises(ValueError, match="columns"):
        rows.append_contact(tables.contacts.iloc[[0]].drop(columns=["csat"]))


def test_bound_social_accounts_resolve_to_their_owner(tables, rows):
    owner = tables.owners.iloc[0]
    assert rows.owner(owner["account_id"]) == owner["customer_id"]
    assert rows.owner("no-such-account") is None


def test_workers_sharing_a_live_folder_see_each_others_contacts(tables, index, tmp_path):
    """Two workers (two CustomerRows on one folder): an event one received counts in the other."""
    first = CustomerRows.open(index, live_dir=tmp_path)
    second = CustomerRows.open(index, live_dir=tmp_path)
    customer_id = tables.customers["customer_id"].iloc[5]
    before = len(second.tables_for(customer_id).contacts)
    contact = tables.contacts.iloc[[0]].assign(
        customer_id=customer_id, contact_id="live-a", ts=tables.contacts["ts"].max()
    )
    assert first.append_contact(contact) is True
    assert second.append_contact(contact) is False
    assert len(second.tables_for(customer_id).contacts) == before + 1
