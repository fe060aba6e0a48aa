"""Per-text analysis: intent with negation and questions, target kinds, anger, topics, bad input."""

import numpy as np
import pandas as pd
import pytest

from features.text import ANALYSIS_COLUMNS, analyze_masked, analyze_texts
from features.text.analysis import TARGET_COLUMNS, TOPIC_COLUMNS, analyze_strings

# (text, escalation_intent, churn_intent); written for this test, not taken from the generator.
HARD_CASES: list[tuple[str, bool, bool]] = [
    # threats
    ("你们再不把多扣的钱退回来，我明天就去工信部投诉。", True, False),
    ("这事没完，我已经打了12300，等着通管局找你们吧", True, False),
    ("实在不行我只能找消协讨个说法了", True, False),
    ("我会请律师起诉你们公司乱收费", True, False),
    ("信不信我把聊天记录发到微博上让网友评评理", True, False),
    ("我要越级投诉，这个问题拖了三个月", True, False),
    ("我要投诉这个工号的客服，态度太差了", True, False),
    ("你们不给个说法我就联系电视台记者来曝光", True, False),
    ("客户表示如不处理将向工信部投诉", True, False),
    ("别逼我去工信部投诉", True, False),
    ("我不想再打电话了直接去工信部", True, False),
    # threatening questions
    ("再不解决我就去工信部投诉，你们看着办吧？", True, False),
    ("是不是非要我找媒体曝光你们才肯处理？", True, False),
    ("信不信我去12315告你们？", True, False),
    ("要不要我去工信部投诉？", True, False),
    # negations
    ("我不是要投诉，就是想问下流量怎么算的", False, False),
    ("我也不打算去工信部，你们尽快处理就行", False, False),
    ("我又没说要曝光你们，别紧张", False, False),
    ("我并不想起诉，只想把钱要回来", False, False),
    ("放心我不会携号转网的，用了十几年了", False, False),
    ("我没打算销户，只是想降个套餐", False, False),
    ("投诉到工信部也没用，还是你们自己解决吧", False, False),
    ("我就不去工信部了，给你们一次机会", False, False),
    # neutral questions
    ("请问12300是什么电话？", False, False),
    ("工信部投诉一般多久处理？", False, False),
    ("消协的电话是多少啊", False, False),
    ("携号转网是什么意思？", False, False),
    # mentions inside other contexts
    ("我朋友上个月去工信部投诉过，听说挺快的", False, False),
    ("我在电视台上班，单位附近信号特别差", False, False),
    ("去年工信部出了提速降费的政策，为什么我的资费没降", False, False),
    ("我是从移动携号转网过来的，宽带什么时候能装", False, False),
    ("不用你们管，我自己去营业厅办", False, False),
    ("我律师朋友说这个合同条款没问题", False, False),
    ("新闻上说工信部在整治骚扰电话", False, False),
    ("你们的广告说送流量，结果没送", False, False),
    # churn
    ("这么坑人，我下个月就携号转网去联通", False, True),
    ("以后再也不用你们家的宽带了，帮我办拆机", False, True),
    ("携号转网怎么办理？需要带什么证件", False, True),
    ("受够了，我要销户", False, True),
    ("麻烦帮我注销这个号码", False, True),
    ("如果还不解决我就换运营商，顺便去消协投诉", True, True),
    ("我不想换运营商，但你们再乱扣费我就去工信部", True, False),
]


def test_hard_cases_are_all_right() -> None:
    texts = pd.Series([text for text, _, _ in HARD_CASES])
    result = analyze_texts(texts)
    wrong = [
        (text, bool(esc), bool(churn))
        for (text, want_esc, want_churn), esc, churn in zip(
            HARD_CASES, result["escalation_intent"], result["churn_intent"], strict=True
        )
        if (esc, churn) != (want_esc, want_churn)
    ]
    assert len(HARD_CASES) >= 30
    assert wrong == []


def test_negated_and_questioning_mentions_are_counted_as_non_intent() -> None:
    result = analyze_texts(
        pd.Series(["我也不打算去工信部", "请问12300是什么电话？", "我要去工信部投诉", "网速太慢"])
    )
    assert result["nonintent_mentions"].tolist() == [1, 1, 0, 0]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("我要去工信部投诉你们", "regulator"),
        ("明天就去消费者协会反映", "consumer"),
        ("我已经找好律师了，法院见", "legal"),
        ("我要找记者曝光", "media"),
        ("我要把这事发到网上让大家看看", "social"),
        ("我要升级投诉", "appeal"),
        ("我要投诉你们", "complaint"),
    ],
)
def test_escalation_target_kind(text: str, kind: str) -> None:
    row = analyze_texts(pd.Series([text])).iloc[0]
    assert row["escalation_intent"]
    assert row[f"target_{kind}"]
    assert row["escalation_target"] == kind


def test_most_severe_target_is_reported() -> None:
    row = analyze_texts(pd.Series(["我要投诉到工信部，还要找媒体曝光"])).iloc[0]
    assert row["target_regulator"] and row["target_media"] and row["target_complaint"]
    assert row["escalation_target"] == "regulator"


def test_anger_orders_calm_annoyed_and_furious_texts() -> None:
    texts = pd.Series(
        [
            "请帮我查一下这个月的账单，谢谢。",
            "又乱扣费了，太过分了！",
            "垃圾运营商！！！骗子！骗子！骗子！气死我了😡😡",
        ]
    )
    anger = analyze_texts(texts)["anger"].to_numpy()
    assert anger[0] == 0.0
    assert 0.0 < anger[1] < anger[2] < 1.0


def test_topics_are_shares_of_topic_keywords() -> None:
    result = analyze_texts(
        pd.Series(
            ["话费多扣了，账单不对", "宽带断网，光猫亮红灯", "国际漫游费太贵，账单吓人", "你好"]
        )
    )
    topics = result[[c for c in result.columns if c.startswith("topic_")]]
    assert result.loc[0, "topic_billing"] == 1.0
    assert result.loc[1, "topic_network"] == 1.0
    assert result.loc[2, "topic_roaming"] > 0 and result.loc[2, "topic_billing"] > 0
    np.testing.assert_allclose(topics.sum(axis=1), [1.0, 1.0, 1.0, 0.0])


def test_bad_input_gives_sensible_values() -> None:
    long_text = ("我要去工信部投诉！" + "网速很慢，" * 20) * 25
    texts = pd.Series([None, "", "   ", "😡😡😡", "🙂🙂🙂", long_text[:5000], "a" * 5000])
    result = analyze_texts(texts)
    assert list(result.columns) == list(ANALYSIS_COLUMNS)
    assert len(result) == len(texts)
    assert not result.drop(columns="escalation_target").isna().any().any()
    assert result.loc[[0, 1, 2, 4, 6], "anger"].eq(0).all()
    assert result.loc[3, "anger"] > 0.5
    assert result.loc[5, "escalation_intent"] and result.loc[5, "topic_network"] > 0.5
    assert result["anger"].between(0, 1).all()


def test_empty_and_all_null_input() -> None:
    empty = analyze_texts(pd.Series([], dtype=object))
    assert empty.empty and list(empty.columns) == list(ANALYSIS_COLUMNS)
    nulls = analyze_texts(pd.Series([None, None], index=[7, 7]))
    assert nulls.index.tolist() == [7, 7]
    assert not nulls["escalation_intent"].any() and nulls["anger"].eq(0).all()


def test_masks_before_analysis() -> None:
    row = analyze_texts(pd.Series(["我的号码13812345678，我要去工信部投诉"])).iloc[0]
    assert row["target_regulator"]


def test_arrays_match_the_frame() -> None:
    texts = [text for text, _, _ in HARD_CASES[:12]] + ["垃圾！！！😡", "话费多扣了，漫游费太贵"]
    frame = analyze_masked(pd.Series(texts, index=range(100, 100 + len(texts))))
    arrays = analyze_strings(texts)
    assert frame.index.tolist() == list(range(100, 100 + len(texts)))
    assert np.array_equal(arrays.escalation_intent, frame["escalation_intent"].to_numpy())
    assert np.array_equal(arrays.targets, frame[list(TARGET_COLUMNS)].to_numpy())
    assert np.array_equal(arrays.churn_intent, frame["churn_intent"].to_numpy())
    assert np.array_equal(arrays.nonintent_mentions, frame["nonintent_mentions"].to_numpy())
    assert np.array_equal(arrays.anger, frame["anger"].to_numpy())
    assert np.array_equal(arrays.topics, frame[list(TOPIC_COLUMNS)].to_numpy())
    assert frame["escalation_intent"].any() and frame["anger"].gt(0).any()
