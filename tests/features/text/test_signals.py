"""The per-text signal table of `procare text check` and its summary."""

from __future__ import annotations

import pandas as pd

from features.text.signals import SIGNAL_COLUMNS, signal_summary, text_signal_table


def test_table_has_ids_and_signals_but_no_text() -> None:
    texts = pd.Series(["投诉了好几回都没人管", None, "话费多扣了20元"])
    table = text_signal_table(texts, pd.Series([7, 8, 9]))
    assert list(table.columns) == ["id", *SIGNAL_COLUMNS]
    assert table["id"].tolist() == ["7", "8", "9"]
    assert table["escalation_kinds"].tolist() == ["done", "", ""]
    assert table["top_topic"].tolist() == ["service_attitude", None, "billing"]


def test_summary_counts_texts_per_signal() -> None:
    table = text_signal_table(pd.Series(["要去12300投诉", "请问怎么投诉？", "醉了，垃圾"]))
    summary = signal_summary(table).set_index("signal")
    assert summary.loc["escalation_threat", "texts"] == 1
    assert summary.loc["escalation_question", "texts"] == 1
    assert summary.loc["angry", "texts"] == 1
    assert summary.loc["escalation_intent", "share"] == 1 / 3
