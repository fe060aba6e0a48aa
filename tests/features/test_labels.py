"""Labels use only the horizon (T, T+H] and follow DESIGN.md §5."""

from __future__ import annotations

import pandas as pd

from features.labels import LabelConfig, horizon_is_observed, make_labels

AS_OF = "2026-03-31"
IDS = pd.Index(["A", "B", "C", "D", "E"], name="customer_id")


def _contacts(rows):
    frame = pd.DataFrame(
        rows, columns=["customer_id", "ts", "channel", "direction", "escalated_flag"]
    )
    frame["ts"] = pd.to_datetime(frame["ts"], format="mixed")
    return frame


def _posts(rows=()):
    frame = pd.DataFrame(list(rows), columns=["customer_id", "ts", "reposts", "mentions_brand"])
    frame["ts"] = pd.to_datetime(frame["ts"], format="mixed")
    return frame


def test_repeat_contact_counts_inbound_in_window_only():
    contacts = _contacts(
        [
            ("A", "2026-04-01 00:00", "hotline", "inbound", False),
            ("A", "2026-04-30 23:59", "app", "inbound", False),
            ("B", "2026-03-31 23:59", "hotline", "inbound", False),  # at T: before the window
            ("B", "2026-04-02", "hotline", "inbound", False),
            ("C", "2026-04-02", "hotline", "outbound", False),
            ("C", "2026-04-03", "hotline", "inbound", False),
            ("D", "2026-04-02", "hotline", "inbound", False),
            ("D", "2026-05-01 00:00", "hotline", "inbound", False),  # after T+30
        ]
    )
    labels = make_labels(contacts, _posts(), IDS, AS_OF)
    assert labels["repeat_contact"].to_dict() == {
        "A": True,
        "B": False,
        "C": False,
        "D": False,
        "E": False,
    }


def test_escalation_rules():
    contacts = _contacts(
        [
            ("A", "2026-04-05", "regulator", "inbound", False),
            ("B", "2026-04-05", "hotline", "inbound", True),
            ("C", "2026-04-05", "hotline", "inbound", False),
            ("C", "2026-04-06", "wechat", "inbound", False),
            ("C", "2026-04-07", "app", "inbound", False),
            ("D", "2026-04-05", "hotline", "inbound", False),
            ("D", "2026-04-06", "wechat", "inbound", False),
        ]
    )
    posts = _posts(
        [
            ("E", "2026-04-10", 150, True),
            ("D", "2026-04-10", 150, False),  # no brand mention
            ("D", "2026-03-30", 500, True),  # before the window
        ]
    )
    labels = make_labels(contacts, posts, IDS, AS_OF)
    assert labels["escalation"].to_dict() == {
        "A": True,
        "B": True,
        "C": True,
        "D": False,
        "E": True,
    }


def test_thresholds_come_from_the_config():
    contacts = _contacts(
        [("A", "2026-04-05", "hotline", "inbound", False)] * 3
        + [("B", "2026-04-05", "hotline", "inbound", False)] * 2
    )
    config = LabelConfig(repeat_min_contacts=3, horizon_days=10)
    labels = make_labels(contacts, _posts(), IDS, AS_OF, config)
    assert labels.loc["A", "repeat_contact"]
    assert not labels.loc["B", "repeat_contact"]


def test_rows_outside_the_window_never_change_labels():
    inside = _contacts(
        [
            ("A", "2026-04-05", "hotline", "inbound", False),
            ("A", "2026-04-06", "wechat", "inbound", False),
        ]
    )
    outside = _contacts(
        [
            ("B", "2026-03-20", "regulator", "inbound", True),
            ("B", "2026-03-21", "regulator", "inbound", True),
            ("C", "2026-05-02", "regulator", "inbound", True),
        ]
    )
    alone = make_labels(inside, _posts(), IDS, AS_OF)
    together = make_labels(pd.concat([inside, outside]), _posts(), IDS, AS_OF)
    pd.testing.assert_frame_equal(alone, together)


def test_horizon_is_observed_only_inside_the_data():
    end = pd.Timestamp("2026-10-31 23:59:59.999999")
    assert horizon_is_observed("2026-09-30", end, 30)
    assert not horizon_is_observed("2026-10-15", end, 30)
