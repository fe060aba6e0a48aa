"""PII masking: every kind of personal data becomes its token; service numbers, amounts and dates
stay. The corpus is hand-written in the forms customers and agents actually use."""

import numpy as np
import pandas as pd
import pytest

from features.text import mask_pii
from features.text.pii import MASK_TOKENS, mask_strings
from features.text.pii_patterns import luhn_valid

MASKED = [
    # mobiles: prefixes, separators, full-width digits, trunk and IP-call prefixes, long runs
    ("我的号码13812345678打不通", "我的号码<PHONE>打不通"),
    ("+86 138 1234 5678 一直没信号", "<PHONE> 一直没信号"),
    ("联系138-1234-5678", "联系<PHONE>"),
    ("0086-13912345678", "<PHONE>"),
    ("８６１３８１２３４５６７８", "<PHONE>"),
    ("2026-03-01 13812345678", "2026-03-01 <PHONE>"),
    ("从座机拨的013912345678，麻烦回电", "从座机拨的<PHONE>，麻烦回电"),
    ("用17951加号码拨的1795113712345678也打不通", "用17951加号码拨的<PHONE>也打不通"),
    ("两个号1381234567813912345678都停机了", "两个号<PHONE>都停机了"),
    ("发票上写的1381234567890", "发票上写的<PHONE>"),
    # mobiles and landlines in Chinese numerals
    ("我的手机是一三八一二三四五六七八，尽快回电", "我的手机是<PHONE>，尽快回电"),
    ("号码幺八六零零零零一二三四打不进来", "号码<PHONE>打不进来"),
    ("回电请打138一二三四五六七八", "回电请打<PHONE>"),
    ("家里座机八二三四五六七八一直没拨号音", "家里座机<PHONE>一直没拨号音"),
    # landlines
    ("有事打我单位电话010-62345678", "有事打我单位电话<PHONE>"),
    ("座机（0755）88886666又断了", "座机<PHONE>又断了"),
    ("办公室电话是021 54321234转806", "办公室电话是<PHONE>"),
    ("固话：83456789，宽带和固话一起停了", "固话：<PHONE>，宽带和固话一起停了"),
    ("拨打02887654321没人接", "拨打<PHONE>没人接"),
    # ID numbers
    ("身份证11010519491231002X", "身份证<ID>"),
    ("身份证 110105 19491231 002x 请核实", "身份证 <ID> 请核实"),
    ("机主证件号440305199912120018，可以核实", "机主证件号<ID>，可以核实"),
    ("身份证号码是三二零一零二一九八八零八零八一二三四", "身份证号码是<ID>"),
    # e-mail
    ("邮箱 zhang.san@qq.com 回复", "邮箱 <EMAIL> 回复"),
    ("电子发票发到12345678@qq.com就行", "电子发票发到<EMAIL>就行"),
    # bank cards
    ("扣款的银行卡6222021234567890128退回来", "扣款的银行卡<CARD>退回来"),
    ("卡号6222 0212 3456 7890 128", "卡号<CARD>"),
    ("信用卡4111111111111111被重复扣了两次", "信用卡<CARD>被重复扣了两次"),
    # QQ and WeChat
    ("QQ号 123456789，加我说吧", "QQ号 <QQ>，加我说吧"),
    ("有问题联系我扣扣:88886666", "有问题联系我扣扣:<QQ>"),
    ("微信号wxid_abc123，加一下", "微信号<WECHAT>，加一下"),
    # passports and permits
    ("出国前办了护照E12345678，漫游还是没开", "出国前办了护照<PASSPORT>，漫游还是没开"),
    ("护照号EA1234567", "护照号<PASSPORT>"),
    ("港澳通行证C12345678", "港澳通行证<PASSPORT>"),
    # licence plates
    ("车牌粤B12345的车主是我", "车牌<PLATE>的车主是我"),
    ("我的车京A·88888停在营业厅门口被贴条", "我的车<PLATE>停在营业厅门口被贴条"),
    ("新能源车沪AD12345充电桩的网络坏了", "新能源车<PLATE>充电桩的网络坏了"),
    # street addresses (city and district stay)
    ("装机地址朝阳区建国路88号3栋2单元501室", "装机地址朝阳区<ADDR>"),
    ("我家住在中山北路100号，光猫一直亮红灯", "我家住在<ADDR>，光猫一直亮红灯"),
    ("阳光花园5栋1单元1203的宽带断了三天", "阳光花园<ADDR>的宽带断了三天"),
    ("上门地址是幸福里小区12幢602室", "上门地址是幸福里小区<ADDR>"),
    ("长宁区愚园路1088弄3号", "长宁区愚园路<ADDR>"),
    # names
    ("我叫王小明，是你们的老用户", "我叫<NAME>，是你们的老用户"),
    ("机主姓名：李建国", "机主姓名：<NAME>"),
    ("免贵姓张，弓长张", "免贵姓<NAME>，弓长张"),
    ("之前是王先生接的电话", "之前是<NAME>先生接的电话"),
    ("找你们的张经理处理", "找你们的<NAME>经理处理"),
    ("上门的李师傅说光纤断了", "上门的<NAME>师傅说光纤断了"),
    ("欧阳娜娜女士的号码被停机", "<NAME>女士的号码被停机"),
    ("联系人是刘德华", "联系人是<NAME>"),
]

KEPT = [
    "5G套餐说好不限量，结果用了30G就限速",
    "每月58元的套餐多扣了128.50元",
    "打了12300和12315都没用",
    "我要打10086投诉，10010和10000也打过",
    "请问12300是什么电话？",
    "从3月5号开始断网，到10号还没修好",
    "2026年3月1日开始扣费，2026-03-15又扣了一次",
    "宽带线路5号开始断网",
    "工号1234的客服态度很差",
    "客户经理态度很差，安装师傅也没来",
    "分公司经理说的会处理",
    "我先生的号码也被停了",
    "这位女士说了三次",
    "语文老师和班主任老师都在群里",
    "老百姓的钱就这么被扣了",
    "账单上有3笔共45元的增值业务",
    "流量包20GB，每月30元，合约期24个月",
    "QQ音乐会员每月15元自动续费",
    "关注了微信公众号还是收不到账单",
    "iPhone15信号特别差",
    "VIP客户也这样对待？",
    "小区3号楼的信号特别差",
    "一五一十地说清楚",
    "打了三四五次电话都没人接",
    "宽带400M，光猫型号HG8245",
    "2026年10月开始涨价了",
]


@pytest.mark.parametrize(("raw", "masked"), MASKED)
def test_masks_each_kind(raw: str, masked: str) -> None:
    assert mask_pii(pd.Series([raw])).iloc[0] == masked


@pytest.mark.parametrize("text", KEPT)
def test_keeps_service_numbers_amounts_dates_and_words(text: str) -> None:
    assert mask_pii(pd.Series([text])).iloc[0] == text


def test_corpus_is_large_and_covers_every_token() -> None:
    assert len(MASKED) >= 40
    found = {token for _, masked in MASKED for token in MASK_TOKENS if token in masked}
    assert found == set(MASK_TOKENS) - {"<NUMBER>"}


def test_other_long_digit_runs_become_numbers() -> None:
    assert mask_pii(pd.Series(["订单号202603011200450"])).iloc[0] == "订单号<NUMBER>"
    assert mask_pii(pd.Series(["123456789012345678901"])).iloc[0] == "<NUMBER>"


def test_luhn() -> None:
    assert luhn_valid("4111111111111111") and luhn_valid("6222021234567890128")
    assert not luhn_valid("6222021234567890123")


def test_card_shaped_number_failing_luhn_is_still_masked() -> None:
    assert mask_pii(pd.Series(["卡号6222021234567890123"])).iloc[0] == "卡号<NUMBER>"


def test_keeps_index_nulls_and_non_string_values() -> None:
    texts = pd.Series([None, "13812345678", "", 5], index=["a", "a", "b", "c"])
    out = mask_pii(texts)
    assert out.index.tolist() == ["a", "a", "b", "c"]
    assert out.iloc[0] is None
    assert out.iloc[1:].tolist() == ["<PHONE>", "", "5"]


def test_empty_series() -> None:
    assert mask_pii(pd.Series([], dtype=object)).empty


def test_mask_strings_equals_mask_pii_and_does_not_mutate() -> None:
    texts = [raw for raw, _ in MASKED] + KEPT + ["", "没有号码"]
    masked = mask_strings(np.array(texts, dtype=object))
    assert masked.tolist() == mask_pii(pd.Series(texts)).tolist()
    assert masked.tolist()[: len(MASKED)] == [expected for _, expected in MASKED]
    assert texts[0] == "我的号码13812345678打不通"


def test_batch_equals_one_by_one() -> None:
    texts = [raw for raw, _ in MASKED] + KEPT
    batch = mask_strings(np.array(texts, dtype=object)).tolist()
    single = [mask_strings(np.array([text], dtype=object))[0] for text in texts]
    assert batch == single
