"""Window outcomes: labels, contact volumes and re-opened tickets after a snapshot."""

from __future__ import annotations

import pandas as pd

from outreach.outcomes import reopened_tickets, window_outcomes


def contact(cid, customer, ts, ticket=None, resolved=False, channel="hotline", flag=False):
    return {
        "contact_id": cid,
        "customer_id": customer,
        "ts": pd.Timestamp(ts),
        "channel": channel,
        "direction": "inbound",
        "ticket_id": ticket,
        "resolved": resolved,
        "escalated_flag": flag,
    }


CONTACTS = pd.DataFrame(
    [
        contact("1", "A", "2026-07-20", "T1", resolved=True),
        contact("2", "A", "2026-08-03", "T1"),
        contact("3", "A", "2026-08-05", "T1"),
        contact("4", "B", "2026-08-02", "T2", resolved=True),
        contact("5", "B", "2026-08-04", "T2", channel="regulator"),
        contact("6", "C", "2026-08-10", "T3"),
        contact("7", "C", "2026-09-15", "T3", resolved=True),
        contact("8", None, "2026-08-10", None),
    ]
)
POSTS = pd.DataFrame(
    {
        "post_id": ["P1"],
        "customer_id": ["C"],
        "ts": [pd.Timestamp("2026-08-12")],
        "reposts": [500],
        "mentions_brand": [True],
    }
)
IDS = pd.Index(["A", "B", "C", "D"])


def test_reopened_tickets_need_an_earlier_resolved_contact():
    reopened = reopened_tickets(CONTACTS, IDS, "2026-07-31", 30)
    assert reopened.to_dict() == {"A": 1, "B": 1, "C": 0, "D": 0}
    assert reopened_tickets(CONTACTS, IDS, "2026-06-30", 30).sum() == 0


def test_window_outcomes_count_labels_and_volumes():
    out = window_outcomes(CONTACTS, POSTS, IDS, "2026-07-31")
    assert out["repeat_contact"].to_dict() == {"A": True, "B": True, "C": False, "D": False}
    assert out["escalation"].to_dict() == {"A": False, "B": True, "C": True, "D": False}
    assert out["inbound"].tolist() == [2, 2, 1, 0]
    assert out["repeat_contacts"].tolist() == [1, 1, 0, 0]
    assert out["escalation_contacts"].tolist() == [0, 1, 0, 0]
