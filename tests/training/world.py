"""Tiny synthetic feature snapshots with a known signal, written in the snapshot layout.

Independent of the real feature families: a handful of columns, one or two per family, a
registry of their specs, and a stand-in text model with the ``TextRiskModel`` interface.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import make_pipeline

from features.registry import FeatureSpec
from training.text_score import TextScorer

PLANS = ["prepaid", "postpaid_basic", "postpaid_5g", "family"]
REGIONS = ["north", "south", "east", "west"]
SNAPSHOTS = [date(2026, 5, 31), date(2026, 6, 30), date(2026, 7, 31), date(2026, 8, 31)]
ESCALATION_TEXT = "txt_escalation_intent_any_30d"

SPECS = {
    spec.name: spec
    for spec in [
        FeatureSpec("acct_plan_type", "structured", "plan", "套餐", "category"),
        FeatureSpec("acct_region", "structured", "region", "地区", "category"),
        FeatureSpec("acct_vip_level", "structured", "VIP level", "VIP等级", "int"),
        FeatureSpec("acct_autopay", "structured", "autopay", "自动缴费", "bool"),
        FeatureSpec(
            "ct_inbound_30d",
            "structured",
            "inbound 30d",
            "近30天来电",
            "int",
            reason_en="contacted us {value} times in 30 days",
            reason_zh="近30天联系客服 {value} 次",
        ),
        FeatureSpec("ct_distinct_channels_30d", "structured", "channels", "渠道数", "int"),
        FeatureSpec("ct_inbound_30d_hotline", "structured", "hotline 30d", "热线", "int"),
        FeatureSpec("ct_inbound_30d_wechat", "structured", "wechat 30d", "微信", "int"),
        FeatureSpec(
            "bill_shock",
            "structured",
            "bill shock",
            "账单上涨",
            "float",
            reason_en="bill is {value:.0%} above normal",
            reason_zh="账单上涨 {value:.0%}",
        ),
        FeatureSpec(ESCALATION_TEXT, "text", "escalation intent", "升级意图", "bool"),
        FeatureSpec("g_neighbor_complaint_share", "graph", "neighbours", "邻居投诉", "float"),
        FeatureSpec("id_brand_posts_30d", "identity", "brand posts", "品牌帖子", "int"),
    ]
}


def customer_frame(n: int, seed: int) -> pd.DataFrame:
    """Latent traits of ``n`` customers (fixed across snapshots)."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "customer_id": [f"C{i:05d}" for i in range(n)],
            "plan": rng.choice(PLANS, n),
            "region": rng.choice(REGIONS, n),
            "vip": rng.integers(0, 4, n),
            "autopay": rng.random(n) < 0.5,
            "propensity": rng.normal(0, 1, n),
        }
    )


def snapshot_rows(
    customers: pd.DataFrame, as_of: date, seed: int
) -> tuple[pd.DataFrame, pd.Series, pd.DataFrame]:
    """Features with labels, documents and the true probabilities of one snapshot."""
    rng = np.random.default_rng([seed, as_of.toordinal()])
    n = len(customers)
    propensity = customers["propensity"].to_numpy()
    inbound = rng.poisson(np.exp(0.3 + 0.6 * propensity).clip(0, 20))
    wechat = rng.binomial(inbound, 0.3)
    channels = np.minimum((inbound > 0).astype(int) + rng.poisson(0.4 * inbound.clip(0, 5)), 5)
    shock = rng.gamma(1.0, 0.2, n) + (rng.random(n) < 0.1) * rng.uniform(0.5, 2.0, n)
    angry = rng.random(n) < expit(-3.0 + 1.2 * propensity + 1.5 * (shock > 0.6))
    neighbors = rng.beta(1 + (propensity > 1), 8, n)
    posts = rng.poisson(0.1 + 0.3 * angry)
    repeat_logit = -2.2 + 0.9 * propensity + 0.35 * np.log1p(inbound) + 1.0 * (shock > 0.6)
    repeat_logit += 0.4 * (customers["plan"].to_numpy() == "prepaid")
    escalation_logit = -5.0 + 2.2 * angry + 0.6 * channels.clip(0, 4) + 3.0 * neighbors
    p_repeat, p_escalation = expit(repeat_logit), expit(escalation_logit)
    frame = pd.DataFrame(
        {
            "customer_id": customers["customer_id"],
            "acct_plan_type": pd.Categorical(customers["plan"], PLANS),
            "acct_region": pd.Categorical(customers["region"]),
            "acct_vip_level": customers["vip"].astype(np.int64),
            "acct_autopay": customers["autopay"].astype(bool),
            "ct_inbound_30d": inbound.astype(np.int64),
            "ct_distinct_channels_30d": channels.astype(np.int64),
            "ct_inbound_30d_hotline": (inbound - wechat).astype(np.int64),
            "ct_inbound_30d_wechat": wechat.astype(np.int64),
            "bill_shock": shock,
            ESCALATION_TEXT: angry & (rng.random(n) < 0.7),
            "g_neighbor_complaint_share": neighbors,
            "id_brand_posts_30d": posts.astype(np.int64),
            "repeat_contact": rng.random(n) < p_repeat,
            "escalation": rng.random(n) < p_escalation,
        }
    ).set_index("customer_id")
    words = np.where(angry, "升级 投诉 工信部 曝光", "查询 套餐")
    words = np.where(shock > 0.6, np.char.add(words.astype(str), " 账单 扣费"), words)
    documents = pd.Series(np.where(inbound > 0, words, ""), index=frame.index, name="document")
    oracle = pd.DataFrame(
        {
            "customer_id": frame.index,
            "as_of": pd.Timestamp(as_of),
            "p_repeat_contact": p_repeat,
            "p_escalation": p_escalation,
        }
    )
    return frame, documents, oracle


def write_snapshot(features_dir: Path, as_of: date, frame: pd.DataFrame, documents: pd.Series):
    """Write one snapshot as ``pipelines.snapshot.build_snapshots`` lays it out."""
    folder = Path(features_dir) / f"as_of={as_of.isoformat()}"
    folder.mkdir(parents=True, exist_ok=True)
    frame.reset_index().assign(as_of=pd.Timestamp(as_of)).to_parquet(
        folder / "features.parquet", index=False
    )
    documents.rename("document").reset_index().to_parquet(folder / "documents.parquet")
    labels = {"repeat_contact", "escalation"}
    rates = {name: float(frame[name].mean()) for name in labels} if labels <= set(frame) else None
    meta = {"as_of": as_of.isoformat(), "rows": len(frame), "label_rates": rates}
    (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")


def write_world(root: Path, n: int = 1500, seed: int = 7) -> tuple[Path, Path]:
    """Snapshots under ``root/features`` and an oracle under ``root/world/oracle``."""
    customers = customer_frame(n, seed)
    features_dir = root / "features"
    oracle_rows = []
    for as_of in SNAPSHOTS:
        frame, documents, oracle = snapshot_rows(customers, as_of, seed)
        write_snapshot(features_dir, as_of, frame, documents)
        oracle_rows.append(oracle)
    world_dir = root / "world"
    (world_dir / "oracle").mkdir(parents=True)
    pd.concat(oracle_rows).to_parquet(world_dir / "oracle" / "oracle.parquet", index=False)
    return features_dir, world_dir


class StandInTextModel(ClassifierMixin, BaseEstimator):
    """Bag of words + logistic regression, with ``TextRiskModel``'s 1-D ``predict_proba``."""

    def fit(self, docs, y):
        self.pipeline_ = make_pipeline(
            CountVectorizer(token_pattern=r"\S+", binary=True), LogisticRegression(max_iter=200)
        ).fit(list(docs), np.asarray(y, dtype=int))
        return self

    def predict_proba(self, docs):
        return self.pipeline_.predict_proba(list(docs))[:, 1]


def stand_in_oof(model, docs, y, groups, n_splits=5, random_state=0):
    """Out-of-fold scores grouped by customer (the ``oof_scores`` interface)."""
    docs = np.asarray(docs, dtype=object)
    out = np.zeros(len(docs))
    for fit_rows, score_rows in GroupKFold(n_splits=n_splits).split(docs, y, groups):
        out[score_rows] = (
            clone(model).fit(docs[fit_rows], y[fit_rows]).predict_proba(docs[score_rows])
        )
    return out


STAND_IN_SCORER = TextScorer(make_model=StandInTextModel, oof_scores=stand_in_oof)


def stand_in_folds(y, groups, n_splits=5, random_state=0):
    """The folds of :func:`stand_in_oof` (the ``folds`` hook: one task per fold)."""
    return list(GroupKFold(n_splits=n_splits).split(np.zeros(len(y)), y, groups))


STAND_IN_FOLDED_SCORER = TextScorer(
    make_model=StandInTextModel, oof_scores=stand_in_oof, folds=stand_in_folds
)
