"""Benchmark of the text feature family against a plain jieba pass over the same texts.

Usage::

    python benchmarks/bench_text.py --texts 100000
    python benchmarks/bench_text.py --texts 20000 --jieba-sample 5000

Texts come from the synthetic world's grammar (``pipelines.synthetic.text_grammar``) when it
imports and renders, otherwise from a small built-in template sampler. Prints texts/s for plain
``jieba.lcut`` (global dictionary, HMM on: what a naive implementation does), for the project's
segmentation (masking + :class:`TelecomTokenizer`, both backends), for
:func:`analyze_texts`, for :func:`text_features` and for the whole text step
(``text_features`` + ``customer_documents``), each with its speed ratio to plain jieba.
"""

from __future__ import annotations

import argparse
import logging
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from features.text import (
    TelecomTokenizer,
    analyze_texts,
    customer_documents,
    mask_pii,
    rjieba_available,
    text_features,
)

logger = logging.getLogger("bench_text")

AS_OF = pd.Timestamp("2026-04-30")

_OPENERS = ("你好，", "客服你好，", "", "我想反映一下，", "喂，", "客户来电反映：", "您好，")
_FACTS = (
    "我这个月话费莫名其妙多扣了{amt}元，账单上有一笔增值业务我根本没订过",
    "家里宽带从{day}开始就一直断网，光猫亮红灯，报修三次都没人来",
    "我欠费{amt}元就被停机了，双停连宽带一起停，太不合理了",
    "5G套餐说好不限量，结果用了30G就限速，网速慢得要命",
    "出国去日本用了两天国际漫游，回来扣了{amt}元漫游费",
    "你们客服态度太差了，问了半天就挂我电话，工号{num}",
    "合约机送的流量包到期自动续费了，也没短信通知我",
    "小区信号特别差，打电话老是掉线，5G信号基本没有",
    "视频彩铃和会员包月每月扣{amt}元，我要求退订并退款",
    "号码{phone}充值了{amt}元却一直没到账，麻烦查一下",
)
_TAILS = (
    "。",
    "，请尽快处理！",
    "，再不解决我就去工信部投诉！",
    "，我不是要投诉，就想问问怎么回事。",
    "，这样下去我只能携号转网了。",
    "。请问12300是什么电话？",
    "，你们这是坑人啊！！！😡",
    "，我不打算销户，但希望给个说法。",
    "，找媒体曝光你们信不信？",
    "，谢谢。",
)


def sample_texts_builtin(n: int, rng: np.random.Generator) -> np.ndarray:
    """Template-built complaint texts of about 40-80 characters."""
    opener = np.array(_OPENERS, dtype=object)[rng.integers(0, len(_OPENERS), n)]
    fact = np.array(_FACTS, dtype=object)[rng.integers(0, len(_FACTS), n)]
    tail = np.array(_TAILS, dtype=object)[rng.integers(0, len(_TAILS), n)]
    amounts = rng.integers(1, 500, n)
    days = rng.integers(1, 28, n)
    numbers = rng.integers(10000, 99999, n)
    phones = rng.integers(13000000000, 19999999999, n)
    return np.array(
        [
            o + f.format(amt=a, day=f"3月{d}日", num=k, phone=p) + t
            for o, f, t, a, d, k, p in zip(
                opener, fact, tail, amounts, days, numbers, phones, strict=True
            )
        ],
        dtype=object,
    )


def sample_texts(n: int, seed: int = 0) -> tuple[np.ndarray, str]:
    """Texts from the synthetic grammar when available, else from the built-in sampler."""
    rng = np.random.default_rng(seed)
    try:
        from pipelines.synthetic.text_grammar import CHANNELS, TOPICS, render_contact_texts

        texts = render_contact_texts(
            rng,
            topic=rng.choice(np.array(TOPICS), n),
            channel=rng.choice(np.array(CHANNELS), n),
            anger=rng.random(n),
            intent=rng.choice(4, n, p=[0.7, 0.1, 0.1, 0.1]),
            churn=rng.random(n) < 0.1,
            amount=rng.uniform(1, 500, n).round(2),
            day=np.datetime64("2026-03-01") + rng.integers(0, 60, n).astype("timedelta64[D]"),
            msisdn=rng.integers(13_000_000_000, 19_999_999_999, n).astype(str),
        )
        return np.asarray(texts, dtype=object), "pipelines.synthetic.text_grammar"
    except Exception as error:  # noqa: BLE001 - any failure of the optional grammar falls back
        logger.warning("synthetic grammar unavailable (%s); using built-in sampler", error)
        return sample_texts_builtin(n, rng), "built-in sampler"


def contacts_frame(texts: np.ndarray, seed: int = 0) -> pd.DataFrame:
    """Contacts over 90 days before AS_OF, about three texts per customer."""
    rng = np.random.default_rng(seed)
    n = len(texts)
    customers = max(1, n // 3)
    return pd.DataFrame(
        {
            "contact_id": [f"K{i}" for i in range(n)],
            "customer_id": rng.integers(0, customers, n).astype(str),
            "ts": AS_OF - pd.to_timedelta(rng.integers(0, 90 * 86400, n), unit="s"),
            "channel": "hotline",
            "direction": "inbound",
            "category": "billing",
            "text": texts,
        }
    )


def timed(label: str, n: int, step: Callable[[], object], baseline: float | None) -> float:
    """Run ``step`` once, print texts/s and the ratio to ``baseline`` texts/s."""
    start = time.perf_counter()
    step()
    seconds = time.perf_counter() - start
    rate = n / seconds
    ratio = "" if baseline is None else f"{rate / baseline:8.1f}x"
    print(f"{label:<58} {seconds:8.2f} s {rate:12,.0f} texts/s {ratio}")
    return rate


def main() -> None:
    """Parse arguments and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=100_000)
    parser.add_argument(
        "--jieba-sample",
        type=int,
        default=20_000,
        help="texts for the slow pure-jieba rows (their rate is per text, so a sample suffices)",
    )
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    import jieba

    jieba.setLogLevel(logging.WARNING)
    texts, source = sample_texts(args.texts, args.seed)
    series = pd.Series(texts, dtype=object)
    sample = series.iloc[: min(args.jieba_sample, len(series))]
    lengths = series.str.len()
    print(
        f"{len(series):,} texts from {source}; length mean {lengths.mean():.0f}, "
        f"median {lengths.median():.0f}; rjieba installed: {rjieba_available()}"
    )
    jieba.initialize()
    for backend in ("jieba", "auto"):
        TelecomTokenizer(backend=backend).fit()
    analyze_texts(series.iloc[:100])

    base = timed(
        f"plain jieba.lcut, HMM on ({len(sample):,} texts)",
        len(sample),
        lambda: [jieba.lcut(text) for text in sample],
        None,
    )
    timed(
        f"plain jieba.lcut, HMM off ({len(sample):,} texts)",
        len(sample),
        lambda: [jieba.lcut(text, HMM=False) for text in sample],
        base,
    )
    timed(
        f"mask + TelecomTokenizer(jieba) ({len(sample):,} texts)",
        len(sample),
        lambda: TelecomTokenizer(backend="jieba").transform(mask_pii(sample)),
        base,
    )
    tokenizer = TelecomTokenizer()
    n = len(series)
    timed(
        f"mask + TelecomTokenizer({tokenizer.fit().backend_})",
        n,
        lambda: tokenizer.transform(mask_pii(series)),
        base,
    )
    timed("mask_pii", n, lambda: mask_pii(series), base)
    timed("analyze_texts (mask + analysis)", n, lambda: analyze_texts(series), base)
    contacts = contacts_frame(texts, args.seed)
    timed("text_features (30/90-day aggregates)", n, lambda: text_features(contacts, AS_OF), base)
    timed("customer_documents (90 days)", n, lambda: customer_documents(contacts, AS_OF), base)
    timed(
        "whole text step (text_features + customer_documents)",
        n,
        lambda: (text_features(contacts, AS_OF), customer_documents(contacts, AS_OF)),
        base,
    )


if __name__ == "__main__":
    main()
