import numpy as np
import pandas as pd
import pytest

from features.structured.contact_history import (
    CHANNELS,
    FEATURES,
    NEUTRAL_CSAT,
    NEVER_DAYS,
    _distinct,
    contact_history_features,
)

from .tables import CONTACT_COLUMNS, contacts, drop_after, empty, random_world, scramble_after

AS_OF = "2026-03-31"


def _features(rows, ids=("A",), as_of=AS_OF) -> pd.DataFrame:
    return contact_history_features(contacts(list(rows)), list(ids), as_of)


def test_columns_match_declared_features():
    result = _features([{"customer_id": "A", "ts": "2026-03-01"}])
    assert list(result.columns) == [spec.name for spec in FEATURES]


def test_window_counts_channels_and_distinct_channels():
    rows = [
        {"customer_id": "A", "ts": "2026-03-31 23:59", "channel": "hotline"},
        {"customer_id": "A", "ts": "2026-03-25", "channel": "hotline"},
        {"customer_id": "A", "ts": "2026-03-20", "channel": "weibo"},
        {"customer_id": "A", "ts": "2026-03-02 00:00", "channel": "regulator"},
        {"customer_id": "A", "ts": "2026-03-01 23:59", "channel": "app"},
        {"customer_id": "A", "ts": "2026-01-15", "channel": "store"},
        {"customer_id": "A", "ts": "2026-03-30", "channel": "hotline", "direction": "outbound"},
        {"customer_id": None, "ts": "2026-03-30", "channel": "email"},
        {"customer_id": "A", "ts": "2026-04-01 00:00", "channel": "email"},
    ]
    result = _features(rows).loc["A"]
    assert result[["ct_inbound_7d", "ct_inbound_30d", "ct_inbound_90d"]].tolist() == [2, 4, 6]
    per_channel = {name: result[f"ct_inbound_30d_{name}"] for name in CHANNELS}
    assert per_channel == {
        "hotline": 2,
        "wechat": 0,
        "weibo": 1,
        "app": 0,
        "web_chat": 0,
        "store": 0,
        "email": 0,
        "regulator": 1,
    }
    assert result["ct_distinct_channels_30d"] == 3
    assert result["ct_outbound_30d"] == 1
    assert result["ct_days_since_last_inbound"] == 0
    assert result["ct_escalations_90d"] == 1


def test_open_tickets_follow_latest_visible_contact():
    rows = [
        {"customer_id": "A", "ts": "2026-03-01", "ticket_id": "T1", "resolved": False},
        {"customer_id": "A", "ts": "2026-03-02", "ticket_id": "T1", "resolved": True},
        {"customer_id": "A", "ts": "2026-03-01", "ticket_id": "T2", "resolved": True},
        {"customer_id": "A", "ts": "2026-03-05", "ticket_id": "T2", "resolved": False},
        {"customer_id": "A", "ts": "2025-06-01", "ticket_id": "T3", "resolved": False},
        {"customer_id": "A", "ts": "2026-03-10", "ticket_id": "T4", "resolved": False},
        {"customer_id": "A", "ts": "2026-04-02", "ticket_id": "T4", "resolved": True},
        {"customer_id": "A", "ts": "2026-03-10", "ticket_id": "T5", "resolved": False},
        {"customer_id": "A", "ts": "2026-03-10", "ticket_id": "T5", "resolved": True},
    ]
    assert _features(rows).loc["A", "ct_open_tickets"] == 3


def test_reopened_tickets_need_an_inbound_contact_after_resolution_in_90_days():
    rows = [
        {"customer_id": "A", "ts": "2025-09-01", "ticket_id": "T1", "resolved": True},
        {"customer_id": "A", "ts": "2026-03-20", "ticket_id": "T1"},
        {"customer_id": "A", "ts": "2026-03-01", "ticket_id": "T2", "resolved": True},
        {"customer_id": "A", "ts": "2026-03-05", "ticket_id": "T2", "direction": "outbound"},
        {"customer_id": "A", "ts": "2026-03-01", "ticket_id": "T3", "resolved": True},
        {"customer_id": "A", "ts": "2026-03-06", "ticket_id": "T3", "resolved": True},
        {"customer_id": "A", "ts": "2026-03-09", "ticket_id": "T3"},
        {"customer_id": "A", "ts": "2026-03-01", "ticket_id": "T4"},
        {"customer_id": "A", "ts": "2026-03-02", "ticket_id": "T4", "resolved": True},
        {"customer_id": "B", "ts": "2026-03-01", "ticket_id": "T5"},
        {"customer_id": "B", "ts": "2026-03-09", "ticket_id": "T5", "resolved": True},
        {"customer_id": "B", "ts": "2026-04-03", "ticket_id": "T5"},
    ]
    result = _features(rows, ids=["A", "B"])
    assert result["ct_reopened_tickets_90d"].to_dict() == {"A": 2, "B": 0}


def test_repeat_tickets_count_tickets_with_two_inbound_contacts_in_90_days():
    rows = [
        {"customer_id": "A", "ts": "2026-03-01", "ticket_id": "T1"},
        {"customer_id": "A", "ts": "2026-03-03", "ticket_id": "T1"},
        {"customer_id": "A", "ts": "2026-03-01", "ticket_id": "T2"},
        {"customer_id": "A", "ts": "2026-03-03", "ticket_id": "T2", "direction": "outbound"},
        {"customer_id": "A", "ts": "2025-10-01", "ticket_id": "T3"},
        {"customer_id": "A", "ts": "2026-03-03", "ticket_id": "T3"},
        {"customer_id": "A", "ts": "2026-03-04"},
        {"customer_id": "A", "ts": "2026-03-05"},
    ]
    assert _features(rows).loc["A", "ct_repeat_tickets_90d"] == 1


def test_transfers_csat_and_escalations():
    rows = [
        {"customer_id": "A", "ts": "2026-03-20", "transfers": 2, "csat": 1.0},
        {"customer_id": "A", "ts": "2026-03-21", "transfers": 1, "csat": np.nan},
        {"customer_id": "A", "ts": "2026-02-01", "transfers": 5, "csat": 4.0},
        {"customer_id": "A", "ts": "2026-02-02", "escalated_flag": True},
        {"customer_id": "A", "ts": "2025-10-01", "escalated_flag": True, "csat": 5.0},
        {"customer_id": "B", "ts": "2026-03-20", "csat": np.nan},
    ]
    result = _features(rows, ids=["A", "B"])
    assert result.loc["A", "ct_transfers_30d"] == 3
    assert result.loc["A", "ct_csat_mean_90d"] == pytest.approx(2.5)
    assert result.loc["A", "ct_has_csat_90d"]
    assert result.loc["A", "ct_escalations_90d"] == 1
    assert result.loc["B", "ct_csat_mean_90d"] == NEUTRAL_CSAT
    assert not result.loc["B", "ct_has_csat_90d"]


def test_days_since_last_inbound_and_defaults_for_customer_without_contacts():
    rows = [
        {"customer_id": "A", "ts": "2026-03-21 18:00"},
        {"customer_id": "A", "ts": "2026-03-29", "direction": "outbound"},
        {"customer_id": "B", "ts": "2021-01-01"},
    ]
    result = _features(rows, ids=["A", "B", "NEW"])
    assert result["ct_days_since_last_inbound"].to_dict() == {
        "A": 10,
        "B": NEVER_DAYS,
        "NEW": NEVER_DAYS,
    }
    new = result.loc["NEW"].drop(["ct_days_since_last_inbound", "ct_csat_mean_90d"])
    assert (new == 0).all()
    assert not result.isna().any().any()


def test_empty_contacts_and_missing_column():
    result = contact_history_features(empty(CONTACT_COLUMNS), ["A"], AS_OF)
    assert result.loc["A", "ct_inbound_90d"] == 0
    assert result.loc["A", "ct_open_tickets"] == 0
    frame = contacts([{"customer_id": "A", "ts": "2026-03-01"}]).drop(columns="ticket_id")
    with pytest.raises(ValueError, match="contacts.*ticket_id"):
        contact_history_features(frame, ["A"], AS_OF)


@pytest.mark.parametrize("as_of", ["2026-01-31", "2026-02-14"])
def test_rows_after_snapshot_do_not_change_features(as_of):
    world = random_world(seed=5)
    ids = world["customers"]["customer_id"]
    expected = contact_history_features(world["contacts"], ids, as_of)
    assert expected[["ct_open_tickets", "ct_reopened_tickets_90d"]].gt(0).any().all()
    for tables in (drop_after(world, as_of), scramble_after(world, as_of, seed=6)):
        pd.testing.assert_frame_equal(
            contact_history_features(tables["contacts"], ids, as_of), expected
        )


def test_missing_flags_count_as_false():
    frame = contacts(
        [
            {"customer_id": "A", "ts": "2026-03-20", "ticket_id": "T1", "resolved": None},
            {"customer_id": "A", "ts": "2026-03-21", "ticket_id": "T1", "resolved": True},
            {"customer_id": "A", "ts": "2026-03-22", "escalated_flag": None},
        ]
    )
    assert frame["resolved"].dtype == object
    result = contact_history_features(frame, ["A"], AS_OF).loc["A"]
    assert result["ct_open_tickets"] == 0
    assert result["ct_escalations_90d"] == 0
    assert result["ct_repeat_tickets_90d"] == 1


@pytest.mark.parametrize("size", [0, 1, 2, 9, 40])
def test_distinct_of_sorted_keys_equals_numpy_unique(size):
    keys = np.sort(np.random.default_rng(size).integers(0, 6, size))
    values, counts = _distinct(keys)
    expected_values, expected_counts = np.unique(keys, return_counts=True)
    np.testing.assert_array_equal(values, expected_values)
    np.testing.assert_array_equal(counts, expected_counts)
    assert values.dtype == expected_values.dtype and counts.dtype == expected_counts.dtype


def test_customers_without_visible_contacts_get_the_defaults_whatever_the_columns_hold():
    later = contacts([{"customer_id": "A", "ts": "2026-04-02"}]).astype({"transfers": object})
    for table in (later, empty(CONTACT_COLUMNS).astype({"ts": "datetime64[ns]"})):
        result = contact_history_features(table, ["A", "B"], AS_OF)
        assert (result["ct_days_since_last_inbound"] == NEVER_DAYS).all()
        assert (result["ct_csat_mean_90d"] == NEUTRAL_CSAT).all()
        assert {str(dtype) for dtype in result.dtypes} == {"int64", "float64", "bool"}
