"""Texts of contacts and posts: the complaint grammar for complaints, small talk otherwise."""

from __future__ import annotations

import numpy as np

from pipelines.contract import CATEGORIES
from pipelines.synthetic.text_grammar import render_contact_texts, render_post_texts

_OPENERS = np.array(["今天", "周末", "下班后", "刚刚", "早上", "晚上", "假期", "午休时"])
# fmt: off
_ACTIVITIES = np.array(
    ["去爬山了", "吃了一顿火锅", "看了一部电影", "加班到很晚", "跑了五公里", "做了红烧肉",
     "带娃去公园", "喝了杯奶茶", "逛了夜市", "在家追剧", "整理了房间", "和朋友打球"]
)
# fmt: on
_FEELINGS = np.array(["，好开心", "，累死了", "，太治愈了", "，有点无聊", "，心情不错", "", "！"])
_TAILS = np.array(["", "", " 😄", " 😂", " 🙂", " #日常#", " #周末#", " 🌞"])


def everyday_texts(rng: np.random.Generator, n: int) -> np.ndarray:
    """Short Chinese small-talk posts (no brand, no complaint)."""
    parts = [
        _OPENERS[rng.integers(0, len(_OPENERS), size=n)],
        _ACTIVITIES[rng.integers(0, len(_ACTIVITIES), size=n)],
        _FEELINGS[rng.integers(0, len(_FEELINGS), size=n)],
        _TAILS[rng.integers(0, len(_TAILS), size=n)],
    ]
    text = parts[0]
    for part in parts[1:]:
        text = np.strings.add(text, part)
    return text.astype(object)


def contact_texts(
    rng: np.random.Generator,
    category: np.ndarray,
    channel: np.ndarray,
    anger: np.ndarray,
    intent: np.ndarray,
    churn: np.ndarray,
    amount: np.ndarray,
    day: np.ndarray,
    msisdn: np.ndarray,
    channel_names: tuple[str, ...],
) -> np.ndarray:
    """Render contact texts with the shared complaint grammar (category/channel as codes)."""
    return render_contact_texts(
        rng,
        topic=np.asarray(CATEGORIES, dtype=object)[category],
        channel=np.asarray(channel_names, dtype=object)[channel],
        anger=anger.astype(np.float64),
        intent=intent.astype(np.int8),
        churn=churn.astype(bool),
        amount=np.nan_to_num(amount, nan=0.0),
        day=day.astype("datetime64[D]"),
        msisdn=msisdn,
    )


def post_texts(
    rng: np.random.Generator,
    category: np.ndarray,
    anger: np.ndarray,
    intent: np.ndarray,
    amount: np.ndarray,
    day: np.ndarray,
    brand: str,
) -> np.ndarray:
    """Render brand-mentioning complaint posts with the shared complaint grammar."""
    return render_post_texts(
        rng,
        topic=np.asarray(CATEGORIES, dtype=object)[category],
        anger=anger.astype(np.float64),
        intent=intent.astype(np.int8),
        amount=np.nan_to_num(amount, nan=0.0),
        day=day.astype("datetime64[D]"),
        brand=brand,
    )
