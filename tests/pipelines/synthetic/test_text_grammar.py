"""Tests for the synthetic Chinese complaint-text grammar."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from pipelines.synthetic.text_grammar import (
    CHANNELS,
    DEFAULT_BRAND,
    TOPICS,
    _compile_grammar,
    grammar_vocabulary,
    render_contact_texts,
    render_post_texts,
)

ESCALATION_TERMS = (
    "工信部",
    "12300",
    "消协",
    "消费者协会",
    "媒体",
    "记者",
    "电视台",
    "报社",
    "律师",
    "起诉",
    "曝光",
    "申诉",
    "升级投诉",
    "通管局",
    "通信管理局",
    "12315",
    "315晚会",
    "法院",
)
MENTION_TERMS = (*ESCALATION_TERMS, "投诉", "帖子", "@工信部")
"""Escalation terms including the plain word 投诉 and posts, for the escalation pools."""
THREAT_CUES = (
    "我就去",
    "我已经打了",
    "我要去",
    "已经联系了",
    "我会找",
    "我要找",
    "我就发",
    "我就申诉",
    "要求升级投诉",
    "我马上打",
    "我已经向",
    "我一定去",
    "法院见",
    "我会把",
    "等着上",
    "我现在就打",
    "本人将向",
    "本人已向",
    "保留通过",
    "本人将委托",
    "本人已同时向",
    "扬言",
    "称已拨打",
    "将向",
    "威胁",
    "准备起诉",
    "称已向",
    "告你们",
)
DONE_CUES = (
    "打过电话了",
    "投诉了好几回",
    "都投诉过了",
    "都发出去了",
    "也打了",
    "@工信部",
    "也找了",
    "已于上月",
    "已多次",
    "此前已",
    "已在网上",
)
"""Cues of escalation already made, which the grammar renders as intent 1 too."""
HEARSAY_CUES = ("听说有人", "朋友说", "据悉有用户")
NEGATIONS = ("不", "没", "无意", "并非", "别", "无")
QUESTION_MARKERS = ("？", "吗", "怎么", "多久", "是什么", "多少")
CHURN_TERMS = (
    "销户",
    "携号转网",
    "转网",
    "换运营商",
    "不用你们家",
    "销号",
    "注销",
    "换别家",
    "不再使用",
)
ESCALATION_POOLS = ("threat", "negated_threat", "escalation_question", "incidental")
CHURN_POOLS = ("churn", "churn_denial")
MONEY_TOPICS = ("billing", "suspension", "plan", "vas", "roaming")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _inputs(n: int, seed: int = 7, **fixed: object) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    columns = {
        "topic": np.array(TOPICS, dtype=object)[rng.integers(0, len(TOPICS), n)],
        "channel": np.array(CHANNELS, dtype=object)[rng.integers(0, len(CHANNELS), n)],
        "anger": rng.random(n),
        "intent": rng.choice(4, n, p=[0.55, 0.15, 0.15, 0.15]).astype(np.int8),
        "churn": rng.random(n) < 0.2,
        "amount": np.round(rng.gamma(2.0, 30.0, n), 2),
        "day": np.datetime64("2026-01-01") + rng.integers(0, 365, n).astype("timedelta64[D]"),
        "msisdn": np.array([f"1{v:010d}" for v in rng.integers(3 * 10**9, 10**10 - 1, n)]),
    }
    columns.update({k: np.asarray(v) for k, v in fixed.items()})
    return columns


@pytest.fixture(scope="module")
def rendered() -> tuple[dict[str, np.ndarray], np.ndarray]:
    inputs = _inputs(20_000)
    return inputs, render_contact_texts(np.random.default_rng(11), **inputs)


def _has_negated_term(text: str, terms: tuple[str, ...], window: int = 8) -> bool:
    for term in terms:
        for match in re.finditer(re.escape(term), text):
            if any(
                neg in text[max(0, match.start() - window) : match.start()] for neg in NEGATIONS
            ):
                return True
    return False


def _amount_forms(amount: float) -> tuple[str, str]:
    cents = round(amount * 100)
    yuan, frac = divmod(cents, 100)
    trimmed = str(yuan) if frac == 0 else f"{yuan}.{frac:02d}".rstrip("0")
    return trimmed, f"{yuan}.{frac:02d}"


def test_same_seed_same_texts_and_other_seed_differs() -> None:
    inputs = _inputs(500)
    first = render_contact_texts(np.random.default_rng(3), **inputs)
    again = render_contact_texts(np.random.default_rng(3), **inputs)
    other = render_contact_texts(np.random.default_rng(4), **inputs)
    assert first.tolist() == again.tolist()
    assert first.tolist() != other.tolist()
    posts = render_post_texts(np.random.default_rng(3), **_post_args(inputs))
    assert (
        posts.tolist() == render_post_texts(np.random.default_rng(3), **_post_args(inputs)).tolist()
    )


def _post_args(inputs: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {k: inputs[k] for k in ("topic", "anger", "intent", "amount", "day")}


def test_output_is_object_array_aligned_with_inputs(rendered) -> None:
    inputs, texts = rendered
    assert texts.dtype == object
    assert texts.shape == inputs["topic"].shape
    assert render_contact_texts(np.random.default_rng(0), **_inputs(0)).shape == (0,)


def test_pandas_series_inputs_give_the_same_texts() -> None:
    inputs = _inputs(300)
    series = {k: pd.Series(v) for k, v in inputs.items()}
    series["day"] = pd.Series(pd.to_datetime(inputs["day"]))
    from_series = render_contact_texts(np.random.default_rng(1), **series)
    from_arrays = render_contact_texts(np.random.default_rng(1), **inputs)
    assert from_series.tolist() == from_arrays.tolist()


def test_bad_inputs_raise_clear_errors() -> None:
    inputs = _inputs(10)
    with pytest.raises(ValueError, match="channel"):
        render_contact_texts(
            np.random.default_rng(0), **{**inputs, "channel": inputs["channel"][:5]}
        )
    with pytest.raises(ValueError, match="topic"):
        render_contact_texts(np.random.default_rng(0), **{**inputs, "topic": np.array(["x"] * 10)})
    with pytest.raises(ValueError, match="intent"):
        render_contact_texts(np.random.default_rng(0), **{**inputs, "intent": np.full(10, 5)})


def test_every_topic_channel_intent_combination_renders_text() -> None:
    grid = np.array(
        [(t, c, i, ch) for t in TOPICS for c in CHANNELS for i in range(4) for ch in (False, True)],
        dtype=object,
    )
    n = len(grid)
    inputs = _inputs(
        n,
        topic=grid[:, 0],
        channel=grid[:, 1],
        intent=grid[:, 2].astype(np.int8),
        churn=grid[:, 3].astype(bool),
        anger=np.tile([0.1, 0.5, 0.9], n // 3 + 1)[:n],
    )
    texts = render_contact_texts(np.random.default_rng(5), **inputs)
    assert all(isinstance(t, str) and len(t) >= 8 for t in texts)
    assert not any("{" in t or "}" in t for t in texts)


def test_intent_one_texts_name_an_escalation_target(rendered) -> None:
    inputs, texts = rendered
    threats = texts[inputs["intent"] == 1]
    assert len(threats) > 1000
    assert all(any(term in t for term in MENTION_TERMS) for t in threats)
    assert all(any(cue in t for cue in (*THREAT_CUES, *DONE_CUES)) for t in threats)
    assert 0.1 < np.mean([any(cue in t for cue in DONE_CUES) for t in threats]) < 0.6


def test_intent_two_texts_negate_the_escalation_word(rendered) -> None:
    inputs, texts = rendered
    negated = texts[inputs["intent"] == 2]
    assert all(
        _has_negated_term(t, MENTION_TERMS) or any(cue in t for cue in HEARSAY_CUES)
        for t in negated
    )
    assert not any(any(cue in t for cue in (*THREAT_CUES, *DONE_CUES)) for t in negated)


def test_intent_three_texts_ask_without_threatening(rendered) -> None:
    inputs, texts = rendered
    questions = texts[inputs["intent"] == 3]
    assert all(any(q in t for q in QUESTION_MARKERS) for t in questions)
    assert all(any(term in t for term in MENTION_TERMS) for t in questions)
    assert not any(any(cue in t for cue in (*THREAT_CUES, *DONE_CUES)) for t in questions)


def test_intent_zero_texts_rarely_mention_escalation_targets(rendered) -> None:
    inputs, texts = rendered
    calm = texts[inputs["intent"] == 0]
    share = np.mean([any(term in t for term in ESCALATION_TERMS) for t in calm])
    assert 0.0 < share < 0.04
    assert not any(any(cue in t for cue in THREAT_CUES) for t in calm)


def test_churn_texts_state_churn_and_others_only_deny_it(rendered) -> None:
    inputs, texts = rendered
    churned = texts[inputs["churn"]]
    assert all(any(term in t for term in CHURN_TERMS) for t in churned)
    mentions = [t for t in texts[~inputs["churn"]] if any(term in t for term in CHURN_TERMS)]
    assert 0 < len(mentions) < 0.08 * (~inputs["churn"]).sum()
    assert all(_has_negated_term(t, CHURN_TERMS) for t in mentions)


def test_money_topics_quote_the_formatted_amount(rendered) -> None:
    inputs, texts = rendered
    money = np.isin(inputs["topic"], MONEY_TOPICS)
    for text, amount in zip(texts[money], inputs["amount"][money], strict=True):
        trimmed, two_dp = _amount_forms(float(amount))
        assert trimmed in text or two_dp in text
    small = render_contact_texts(
        np.random.default_rng(1),
        **_inputs(200, topic=np.full(200, "suspension"), amount=np.full(200, 0.1)),
    )
    assert all("0.1" in t for t in small)


def test_dates_are_written_in_chinese_formats() -> None:
    inputs = _inputs(2000, day=np.full(2000, np.datetime64("2026-03-15")))
    texts = render_contact_texts(np.random.default_rng(2), **inputs)
    forms = ("3月15日", "3月15号", "15号", "3.15", "3/15")
    share = np.mean([any(f in t for f in forms) for t in texts])
    assert share > 0.4
    assert any("2026年3月15日" in t for t in texts)


def test_phone_and_id_numbers_are_injected_at_the_specified_rates(rendered) -> None:
    inputs, texts = rendered
    flat = [re.sub(r"(?<=\d)[ -](?=\d)", "", t) for t in texts]
    phone_share = np.mean([m in t for m, t in zip(inputs["msisdn"], flat, strict=True)])
    assert 0.08 < phone_share < 0.12
    ids = [m.group(0) for t in texts for m in re.finditer(r"(?<!\d)\d{17}[\dX](?!\d)", t)]
    assert 0.01 < len(ids) / len(texts) < 0.03
    for number in ids:
        check = sum(int(d) * w for d, w in zip(number[:17], ID_WEIGHTS, strict=True)) % 11
        assert number[17] == "10X98765432"[check]
        assert 1955 <= int(number[6:10]) <= 2006


def test_no_pii_without_msisdn() -> None:
    inputs = _inputs(3000)
    del inputs["msisdn"]
    texts = render_contact_texts(np.random.default_rng(4), **inputs)
    assert not any(re.search(r"1\d{10}|\d{17}[\dX]", t) for t in texts)


def test_weibo_contacts_and_posts_carry_hashtags_or_mentions(rendered) -> None:
    inputs, texts = rendered
    weibo = texts[inputs["channel"] == "weibo"]
    assert all("#" in t or "@" in t for t in weibo)
    posts = render_post_texts(
        np.random.default_rng(8), **_post_args(_inputs(3000)), brand="云海通信"
    )
    assert all("云海通信" in t for t in posts)
    assert np.mean(["#" in t for t in posts]) > 0.7
    assert not any(DEFAULT_BRAND in t for t in posts)


def test_channel_styles_differ(rendered) -> None:
    inputs, texts = rendered
    emoji = re.compile(r"[\U0001F300-\U0001FAFF]")

    def share(channel: str, pattern: re.Pattern[str]) -> float:
        return float(
            np.mean([bool(pattern.search(t)) for t in texts[inputs["channel"] == channel]])
        )

    assert share("wechat", emoji) > 0.3
    assert share("email", emoji) == 0.0
    assert share("regulator", re.compile("贵部")) > 0.5
    assert share("hotline", re.compile("客户|用户|来电")) > 0.4
    assert share("email", re.compile("本人")) > 0.5


def test_angry_texts_are_louder_and_calm_texts_politer(rendered) -> None:
    inputs, texts = rendered
    angry = texts[inputs["anger"] >= 0.8]
    calm = texts[inputs["anger"] < 0.2]
    polite = re.compile("麻烦|请|谢谢|辛苦")
    loud = re.compile("！！|!!!|太过分|忍无可忍|垃圾|坑人|吸血")
    assert np.mean([bool(loud.search(t)) for t in angry]) > 0.4
    assert np.mean([bool(loud.search(t)) for t in calm]) < 0.1
    assert np.mean([bool(polite.search(t)) for t in calm]) > 1.5 * np.mean(
        [bool(polite.search(t)) for t in angry]
    )


def test_typos_appear_at_a_low_rate(rendered) -> None:
    _, texts = rendered
    typo = re.compile("流亮|投述|套参|宽代|帐单|以经|退定|化费|营业亭|网素|欠废|跟本|慢游|停鸡")
    share = np.mean([bool(typo.search(t)) for t in texts])
    assert 0.01 < share < 0.12


def test_texts_are_mostly_unique(rendered) -> None:
    _, texts = rendered
    assert len(set(texts.tolist())) / len(texts) > 0.8
    inputs = _inputs(20_000, amount=np.full(20_000, 58.5), day=np.full(20_000, "2026-03-15"))
    constant = render_contact_texts(np.random.default_rng(6), **inputs)
    assert len(set(constant.tolist())) / len(constant) > 0.8


def test_fact_and_detail_pools_have_ten_variants_per_topic_and_register() -> None:
    pools = _compile_grammar(DEFAULT_BRAND).pools
    for name in ("fact", "detail", "demand"):
        pool = pools[name]
        for key in range(len(pool.template_start)):
            start, count = pool.template_start[key], pool.template_count[key]
            assert pool.variant_count[start : start + count].sum() >= 10, (name, key)


def test_vocabulary_keeps_escalation_and_churn_words_in_their_pools() -> None:
    vocab = grammar_vocabulary()
    for variant in vocab["threat"]:
        assert any(cue in variant for cue in (*THREAT_CUES, *DONE_CUES)), variant
        assert any(term in variant for term in MENTION_TERMS), variant
    for variant in vocab["escalation_question"]:
        assert any(q in variant for q in QUESTION_MARKERS), variant
    for name, variants in vocab.items():
        if name == "threat":
            continue
        for variant in variants:
            assert not any(cue in variant for cue in (*THREAT_CUES, *DONE_CUES)), (name, variant)
            if name not in ESCALATION_POOLS:
                assert not any(term in variant for term in ESCALATION_TERMS), (name, variant)
            if name not in CHURN_POOLS:
                assert not any(term in variant for term in CHURN_TERMS), (name, variant)
    for variant in vocab["fact"]:
        assert variant.count("{") <= 2
    assert all(len(vocab[name]) >= 10 for name in ("threat", "negated_threat", "churn"))


def test_topic_vocabularies_overlap() -> None:
    inputs = _inputs(4000)
    texts = render_contact_texts(np.random.default_rng(12), **inputs)
    for topic in ("billing", "network", "vas"):
        chosen = texts[inputs["topic"] == topic]
        assert np.mean(["套餐" in t for t in chosen]) > 0.05
