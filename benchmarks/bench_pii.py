"""Benchmark of PII masking (:func:`features.text.pii.mask_strings`) per 100k texts.

Usage::

    python benchmarks/bench_pii.py --texts 100000 --pii-share 0.05

Texts come from the synthetic world's grammar (about 10% quote a mobile number, 2% an ID
number); ``--pii-share`` of them get one more hand-written PII form (names, addresses,
landlines, cards, QQ, passports, plates, Chinese numerals). Prints seconds per 100k texts
(best of ``--repeat``) and how many texts each masking pass screened in.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from features.text.pii import _hints, mask_strings
from pipelines.synthetic.text_grammar import CHANNELS, TOPICS, render_contact_texts

PII_FORMS = (
    "我叫王小明，机主姓名：李建国",
    "找你们的张经理，上门的李师傅",
    "装机地址朝阳区建国路88号3栋2单元501室",
    "单位电话010-62345678，座机（0755）88886666",
    "扣款的银行卡6222021234567890128",
    "QQ号 123456789，微信号wxid_abc123",
    "护照E12345678，车牌粤B12345",
    "我的手机是一三八一二三四五六七八",
    "用17951拨的1795113712345678",
)


def sample_texts(n: int, pii_share: float, seed: int = 0) -> np.ndarray:
    """Grammar texts, ``pii_share`` of them with one extra PII form appended."""
    rng = np.random.default_rng(seed)
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
    texts = np.asarray(texts, dtype=object)
    rows = np.flatnonzero(rng.random(n) < pii_share)
    forms = np.array(PII_FORMS, dtype=object)[rng.integers(0, len(PII_FORMS), len(rows))]
    texts[rows] = texts[rows] + forms
    return texts


def main() -> None:
    """Parse arguments and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=100_000)
    parser.add_argument("--pii-share", type=float, default=0.05)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    texts = sample_texts(args.texts, args.pii_share)
    best = float("inf")
    for _ in range(args.repeat):
        start = time.perf_counter()
        masked = mask_strings(texts)
        best = min(best, time.perf_counter() - start)
    changed = int(sum(a != b for a, b in zip(texts.tolist(), masked.tolist(), strict=True)))
    print(f"texts: {len(texts):,}  mean length: {np.mean([len(t) for t in texts]):.0f} chars")
    print(f"mask_strings: {best:.3f} s  ({best * 100_000 / len(texts):.3f} s per 100k texts)")
    print(f"texts changed by masking: {changed:,}")
    for kind, hinted in _hints(texts).items():
        print(f"  screened in for {kind:<15} {int(hinted.sum()):>8,}")


if __name__ == "__main__":
    main()
