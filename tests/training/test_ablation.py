"""Ablation arms pick feature families; the table has one row per non-empty arm."""

from __future__ import annotations

from tests.training.world import SPECS
from training.ablation import ARMS, ablation_markdown, arm_columns, run_ablation
from training.text_score import TEXT_SCORE, TEXT_SCORE_SPEC

SPECS_WITH_SCORE = {**SPECS, TEXT_SCORE: TEXT_SCORE_SPEC}
COLUMNS = list(SPECS_WITH_SCORE)


def test_arms_add_families_to_the_structured_base():
    structured = arm_columns(COLUMNS, SPECS_WITH_SCORE, "structured")
    text = arm_columns(COLUMNS, SPECS_WITH_SCORE, "structured+text")
    graph = arm_columns(COLUMNS, SPECS_WITH_SCORE, "structured+graph")
    assert all(SPECS_WITH_SCORE[c].family == "structured" for c in structured)
    assert set(text) - set(structured) == {"txt_escalation_intent_any_30d", TEXT_SCORE}
    assert set(graph) - set(structured) == {"g_neighbor_complaint_share", "id_brand_posts_30d"}
    assert arm_columns(COLUMNS, SPECS_WITH_SCORE, "all") == COLUMNS


def test_run_ablation_evaluates_each_arm_once_and_skips_empty_arms():
    seen = []

    def evaluate(arm, columns):
        seen.append(arm)
        return {"pr_auc": len(columns) / 100, "roc_auc": 0.5}

    only_structured = [c for c in COLUMNS if SPECS_WITH_SCORE[c].family == "structured"]
    table = run_ablation(COLUMNS, SPECS_WITH_SCORE, evaluate)
    assert seen == list(ARMS) and list(table["arm"]) == list(ARMS)
    assert table.set_index("arm").loc["all", "features"] == len(COLUMNS)
    assert "| structured+text | 11 |" in ablation_markdown(table)
    table = run_ablation(only_structured, SPECS_WITH_SCORE, evaluate)
    assert len(table) == 4
    table = run_ablation(["g_neighbor_complaint_share"], SPECS_WITH_SCORE, evaluate)
    assert list(table["arm"]) == ["structured+graph", "all"]
