"""Lookups by id of customers whose reasons batch scoring left out: computed on demand."""

from __future__ import annotations

import json

from pipelines.snapshot import read_snapshot
from serving.api.lookup import ScoreTable
from serving.scoring.score import score_customers


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def test_on_demand_reasons_equal_what_scoring_everyone_with_reasons_gives(state):
    table = state.scores
    unexplained = table.frame.index[table.frame["reasons"] == "null"][:6].tolist()
    shown = table.frame.index[table.frame["reasons"] != "null"][:2].tolist()
    assert unexplained and shown
    ids = [*unexplained, *shown]
    assert table.needs_explaining(unexplained) and not table.needs_explaining(shown)
    snapshot = read_snapshot(state.settings.features_dir, state.snapshot_as_of)
    full = score_customers(state.champions, snapshot.frame, snapshot.documents, state.scoring)
    items = table.lookup(ids)
    for item, customer_id in zip(items, ids, strict=True):
        expected = full.loc[customer_id]
        assert item["customer_id"] == customer_id and item["source"] == "snapshot"
        assert _json(item["reasons"]) == _json(expected["reasons"])
        assert item["action"]["code"] == expected["action"]
        assert (item["p_escalation"], item["risk_tier"]) == (
            expected["p_escalation"],
            expected["risk_tier"],
        )
    assert any(item["reasons"] for item in items[: len(unexplained)])


def test_without_an_explainer_a_lookup_answers_without_reasons(state):
    table = ScoreTable(state.scores.as_of, state.scores.frame, state.scores.versions)
    customer_id = state.scores.frame.index[state.scores.frame["reasons"] == "null"][0]
    assert not table.needs_explaining([customer_id])
    assert table.lookup([customer_id])[0]["reasons"] == []
