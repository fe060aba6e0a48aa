"""PII masking: phones, ID numbers and e-mail addresses become tokens; other numbers stay."""

import numpy as np
import pandas as pd
import pytest

from features.text import mask_pii
from features.text.pii import mask_strings


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("我的号码13812345678打不通", "我的号码<PHONE>打不通"),
        ("+86 138 1234 5678 一直没信号", "<PHONE> 一直没信号"),
        ("联系138-1234-5678", "联系<PHONE>"),
        ("0086-13912345678", "<PHONE>"),
        ("８６１３８１２３４５６７８", "<PHONE>"),
        ("2026-03-01 13812345678", "2026-03-01 <PHONE>"),
        ("身份证11010519491231002X", "身份证<ID>"),
        ("身份证 110105 19491231 002x 请核实", "身份证 <ID> 请核实"),
        ("邮箱 zhang.san@qq.com 回复", "邮箱 <EMAIL> 回复"),
        ("打了12300和12315", "打了12300和12315"),
        ("话费128.50元，发票号1381234567890", "话费128.50元，发票号1381234567890"),
        ("123456789012345678901", "123456789012345678901"),
    ],
)
def test_masks_pii_and_keeps_other_numbers(raw: str, masked: str) -> None:
    assert mask_pii(pd.Series([raw])).iloc[0] == masked


def test_keeps_index_nulls_and_non_string_values() -> None:
    texts = pd.Series([None, "13812345678", "", 5], index=["a", "a", "b", "c"])
    out = mask_pii(texts)
    assert out.index.tolist() == ["a", "a", "b", "c"]
    assert out.iloc[0] is None
    assert out.iloc[1:].tolist() == ["<PHONE>", "", "5"]


def test_empty_series() -> None:
    assert mask_pii(pd.Series([], dtype=object)).empty


def test_mask_strings_equals_mask_pii() -> None:
    texts = ["我的号码13812345678", "邮箱 a.b@qq.com", "没有号码", "１３８１２３４５６７８", ""]
    masked = mask_strings(np.array(texts, dtype=object))
    assert masked.tolist() == mask_pii(pd.Series(texts)).tolist()
    assert texts[0] == "我的号码13812345678"
