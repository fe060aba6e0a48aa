"""The live contact store: shared by workers, exact round trip, retries counted once."""

from __future__ import annotations

import stat

import numpy as np
import pandas as pd
import pytest

from serving.api.live_contacts import LiveContactStore, open_store


def contacts(n: int = 3) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "contact_id": [f"K{i}" for i in range(n)],
            "customer_id": ["C1"] * n,
            "ts": pd.to_datetime(["2026-10-01 09:00:00.123456789"] * n).as_unit("ns"),
            "channel": ["hotline", "weibo", "app"][:n],
            "text": ["欠费0.1元就停机？", None, "再不处理我就去工信部投诉"][:n],
            "ticket_id": [None] * n,
            "resolved": [False, True, False][:n],
            "handle_seconds": np.arange(n, dtype=np.int64),
            "csat": [np.nan, 4.0, 1.0][:n],
            "escalated_flag": [True, False, False][:n],
        }
    )


def test_rows_come_back_with_the_same_values_and_dtypes(tmp_path):
    template = contacts()
    store = open_store(tmp_path, template.iloc[:0])
    for i in range(len(template)):
        assert store.append(template.iloc[[i]]) is True
    back = store.rows("C1")
    pd.testing.assert_frame_equal(back, template)
    assert store.rows("C2") is None


def test_two_workers_on_one_folder_see_each_others_contacts(tmp_path):
    template = contacts()
    first = open_store(tmp_path, template.iloc[:0])
    second = open_store(tmp_path, template.iloc[:0])
    first.append(template.iloc[[0]])
    second.append(template.iloc[[1]])
    first.append(template.iloc[[2]])
    for store in (first, second):
        assert store.rows("C1")["channel"].tolist() == ["hotline", "weibo", "app"]


def test_a_retried_contact_id_is_stored_once(tmp_path):
    store = open_store(tmp_path, contacts().iloc[:0])
    row = contacts().iloc[[0]]
    assert store.append(row) is True
    assert store.append(row.assign(text="changed")) is False
    assert len(store) == 1
    assert store.rows("C1")["text"].tolist() == ["欠费0.1元就停机？"]


def test_contacts_the_ingested_data_covers_are_dropped_on_open(tmp_path):
    live = contacts(2).assign(
        ts=pd.to_datetime(["2026-10-01 09:00", "2026-11-02 09:00"]).as_unit("ns")
    )
    store = open_store(tmp_path, live.iloc[:0])
    store.append(live.iloc[[0]])
    store.append(live.iloc[[1]])
    ingested = live.iloc[[0]].assign(contact_id="X", ts=pd.Timestamp("2026-10-31 23:00"))
    reopened = open_store(tmp_path, ingested)
    assert reopened.rows("C1")["contact_id"].tolist() == ["K1"]


def test_the_file_is_private_and_the_folder_is_created(tmp_path):
    folder = tmp_path / "live" / "nested"
    open_store(folder, contacts().iloc[:0])
    mode = (folder / "contacts.sqlite").stat().st_mode
    assert stat.S_IMODE(mode) == 0o600


def test_a_store_with_other_columns_is_refused_by_name(tmp_path):
    open_store(tmp_path, contacts().iloc[:0])
    with pytest.raises(ValueError, match="move the file away"):
        open_store(tmp_path, contacts().iloc[:0].drop(columns="csat"))


def test_rows_without_a_customer_or_with_other_columns_are_refused():
    store = LiveContactStore(":memory:", contacts().iloc[:0])
    with pytest.raises(ValueError, match="customer_id"):
        store.append(contacts().iloc[[0]].assign(customer_id=None))
    with pytest.raises(ValueError, match="columns"):
        store.append(contacts().iloc[[0]].drop(columns="csat"))
