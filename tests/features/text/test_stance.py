"""Escalation stances, @-mentions and sarcasm, on texts written for this test."""

from __future__ import annotations

import pandas as pd
import pytest

from features.text import analyze_texts
from features.text.stance import STANCES, at_mentions, sarcasm

CASES: list[tuple[str, str]] = [
    ("要去12300投诉", "threat"),
    ("再不处理我就找媒体曝光", "threat"),
    ("上个月就给12300打过电话了", "done"),
    ("投诉了好几回都没人管", "done"),
    ("该投诉的地方我都投诉过了", "done"),
    ("帖子都发出去了，转发的人不少", "done"),
    ("听说有人投诉到工信部就解决了", "hearsay"),
    ("我不想投诉，只想解决问题", "negated"),
    ("请问怎么投诉？", "question"),
    ("12300电话多少", "question"),
    ("去年工信部出了提速降费的政策，为什么我的资费没降", ""),
    ("宽带又断了，麻烦派人修一下", ""),
]


@pytest.mark.parametrize(("text", "stance"), CASES)
def test_each_text_gets_its_stance(text: str, stance: str) -> None:
    row = analyze_texts(pd.Series([text])).iloc[0]
    flagged = [s for s in STANCES if row[f"escalation_{s}"]]
    assert flagged == ([stance] if stance else [])
    assert bool(row["escalation_intent"]) == (stance in ("threat", "done"))


def test_a_past_complaint_names_its_target_kind() -> None:
    row = analyze_texts(pd.Series(["我12315也打了，工信部网站也留言了"])).iloc[0]
    assert row["target_consumer"] and row["target_regulator"]
    assert row["escalation_target"] == "regulator"


def test_at_mentions_tell_regulator_media_and_brand_apart() -> None:
    found = at_mentions(["@工信部 @人民日报 求关注", "@中国移动10086 你好", "@张三 吃饭了吗", "无"])
    assert found.tolist() == [
        [True, True, False],
        [False, False, True],
        [False, False, False],
        [False, False, False],
    ]


def test_an_at_of_the_regulator_is_an_appeal_already_made() -> None:
    row = analyze_texts(pd.Series(["@北京市通信管理局 携号转网被拦截"])).iloc[0]
    assert row["at_regulator"] and row["escalation_done"] and row["escalation_intent"]
    brand_only = analyze_texts(pd.Series(["@中国联通客服 流量怎么查"])).iloc[0]
    assert brand_only["at_brand"] and not brand_only["escalation_intent"]


def test_sarcasm_and_rhetorical_questions_are_found_and_add_anger() -> None:
    texts = ["你们这服务真让人大开眼界啊？", "这就是你们说的5G时代？", "请问5G套餐怎么办理？"]
    assert sarcasm(texts).tolist() == [True, True, False]
    anger = analyze_texts(pd.Series(texts))["anger"]
    assert anger[0] > 0 and anger[2] == 0


def test_rights_words_are_counted() -> None:
    counts = analyze_texts(pd.Series(["维权到底，找媒体曝光，再找律师", "宽带坏了"]))[
        "rights_terms"
    ]
    assert counts.tolist() == [4, 0]
