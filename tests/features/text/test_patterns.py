"""Every intent pattern match holds one of its kind's anchor keywords (the clause pre-filter)."""

import re

import pytest

from features.text import patterns as p
from tests.features.text.test_analysis import HARD_CASES

PHRASES = [
    "我要去工信部投诉",
    "打12300",
    "向通管局反映",
    "通信管理局举报你们",
    "打市长热线",
    "拨12345",
    "找消协",
    "消费者协会投诉",
    "打12315",
    "去市场监管局举报",
    "工商局投诉",
    "委托律师",
    "律师函",
    "起诉你们",
    "打官司",
    "上法院",
    "法院见",
    "法庭上见",
    "告你们",
    "告到法院",
    "走法律途径",
    "诉讼",
    "申请仲裁",
    "找媒体",
    "记者来曝光",
    "上315晚会",
    "爆料",
    "上新闻",
    "上电视",
    "曝光你们",
    "发到网上",
    "挂在朋友圈",
    "抖音吐槽",
    "发微博",
    "上热搜",
    "让网友评评理",
    "人肉",
    "申诉",
    "升级投诉",
    "越级投诉",
    "上访",
    "投诉到总部",
    "向集团反映",
    "要投诉",
    "投诉你们",
    "给你们差评",
    "销户",
    "销号",
    "注销这个号码",
    "准备注销",
    "携号转网",
    "携转",
    "转网",
    "换运营商",
    "换个运营商",
    "换别家",
    "换一家",
    "去别家",
    "换成联通",
    "转到电信",
    "退网",
    "拆机",
    "退宽带",
    "不续约",
    "不续费了",
    "不想再用你们家",
    "不再使用贵公司",
    "不再使用我司",
    "不用你们家的",
    "不用你们了",
    "停用号码",
    "这个号我不要了",
    "联通那边更便宜",
]


@pytest.mark.parametrize("kind", [*p.INTENT_PATTERNS, "churn"])
def test_pattern_matches_hold_an_anchor(kind: str) -> None:
    pattern = re.compile(p.CHURN_PATTERN if kind == "churn" else p.INTENT_PATTERNS[kind])
    anchors = p.MENTION_KEYWORDS[kind]
    texts = PHRASES + [text for text, _, _ in HARD_CASES]
    matched = [text for text in texts if pattern.search(text)]
    assert matched
    assert [text for text in matched if not any(word in text for word in anchors)] == []


def test_each_topic_keyword_belongs_to_one_topic() -> None:
    words = [word for topic in p.TOPICS for word in p.TOPIC_KEYWORDS[topic]]
    assert len(words) == len(set(words))
