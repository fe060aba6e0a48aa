"""Placeholders for dates, amounts, order ids and numbers; service numbers and 5G stay."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from features.text import customer_documents
from features.text.normalize import _ALL, _replace, normalize_numbers, normalize_text


def test_dates_amounts_orders_and_numbers_become_placeholders() -> None:
    texts = [
        "上个月6月3号扣了58.5元，工单号A2024061234，打了12300",
        "2024年6月5日交了100块，下午3:30打的电话",
        "10086说3天内处理，5G套餐流量20G，六月十二号停机",
    ]
    assert normalize_numbers(texts) == [
        "上个月<DATE>扣了<AMOUNT>，工单号<ORDER>，打了12300",
        "<DATE>交了<AMOUNT>，下午<TIME>打的电话",
        "10086说<NUM>天内处理，5G套餐流量<NUM>G，<DATE>停机",
    ]


def test_texts_without_numbers_are_unchanged() -> None:
    assert normalize_numbers(["光猫亮红灯", "<PHONE>的话费"]) == ["光猫亮红灯", "<PHONE>的话费"]


def test_documents_hold_placeholders_not_calendar_tokens() -> None:
    contacts = pd.DataFrame(
        {
            "contact_id": ["k1", "k2"],
            "customer_id": ["C1", "C2"],
            "ts": pd.to_datetime(["2026-06-10", "2026-04-02"]),
            "text": ["6月3号扣了58元，打了12300", "4月1日起5G信号很差"],
        }
    )
    documents = customer_documents(contacts, "2026-06-30")
    words = " ".join(documents).split()
    assert {"DATE", "AMOUNT", "12300", "5G信号"} <= set(words)
    assert not {"6", "4", "月", "58"} & set(words)


def test_the_shortcut_for_texts_without_digits_changes_no_text() -> None:
    data = Path(__file__).parent / "data"
    texts = [
        *pd.read_csv(data / "real_texts.csv")["text"],
        *pd.read_csv(data / "real_texts_holdout.csv")["text"],
        "第٣次打电话了",
        "资费²不对",
        "①号工单没人管",
        "三月份开始信号差",
        "ＡＢ１２３４５６７８订单",
        "",
    ]
    for text in texts:
        assert normalize_text(text) == _ALL.sub(_replace, text), text
