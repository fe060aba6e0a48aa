"""Batch score lookups by id: request order, duplicates, per-item errors."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from serving.api.lookup import ScoreTable, result_items


def scores() -> pd.DataFrame:
    reason = {
        "target": "escalation",
        "feature": "ct_inbound_30d",
        "value": 4,
        "contribution": 0.7,
        "zh": "近30天联系4次",
        "en": "4 contacts",
    }
    return pd.DataFrame(
        {
            "p_repeat_contact": [0.1, 0.6],
            "p_escalation": [0.01, 0.4],
            "risk_tier": ["low", "high"],
            "action": ["care_call", "supervisor_escalation"],
            "action_zh": ["主动关怀回访", "值班主管介入，防止升级投诉"],
            "action_en": ["care call", "shift supervisor escalation"],
            "team": ["agents", "supervisors"],
            "reasons": [[], [reason]],
        },
        index=pd.Index(["A", "B"], name="customer_id"),
    )


def test_lookup_keeps_request_order_and_flags_unknown_ids():
    table = ScoreTable(date(2026, 9, 30), scores(), {})
    items = table.lookup(["B", "Z", "A", "B"])
    assert [i["customer_id"] for i in items] == ["B", "Z", "A", "B"]
    assert [i["index"] for i in items] == [0, 1, 2, 3]
    assert items[1]["error"]["code"] == "unknown_customer"
    assert "customer_ids[1]" in items[1]["error"]["message"]
    assert items[0]["action"] == {
        "code": "supervisor_escalation",
        "zh": "值班主管介入，防止升级投诉",
        "en": "shift supervisor escalation",
        "team": "supervisors",
    }
    assert items[0]["reasons"][0]["feature"] == "ct_inbound_30d"
    assert items[2]["reasons"] == [] and items[2]["source"] == "snapshot"


def test_row_returns_one_customer_or_none():
    table = ScoreTable(date(2026, 9, 30), scores(), {})
    assert table.row("A")["risk_tier"] == "low"
    assert table.row("nobody") is None


def test_a_table_without_score_columns_is_refused():
    with pytest.raises(ValueError, match="reasons"):
        ScoreTable(date(2026, 9, 30), scores().drop(columns=["reasons"]), {})


def test_result_items_use_the_given_positions_and_source():
    items = result_items(scores(), [7, 9], "live")
    assert [(i["index"], i["source"]) for i in items] == [(7, "live"), (9, "live")]
    assert items[1]["p_escalation"] == pytest.approx(0.4)


def test_the_error_of_an_unknown_id_names_the_position_not_the_id():
    table = ScoreTable(date(2026, 9, 30), scores(), {})
    (item,) = table.lookup(["<b>13812345678</b>"])
    assert item["customer_id"] == "<b>13812345678</b>"
    assert "1381" not in item["error"]["message"] and "<b>" not in item["error"]["message"]
    assert item["error"]["message"].startswith("customer_ids[0] ")
