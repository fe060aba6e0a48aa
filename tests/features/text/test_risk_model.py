"""TF-IDF + balanced logistic regression, and out-of-fold scores that do not leak."""

import pickle

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from features.text import TextRiskModel, oof_scores
from features.text.risk_model import FEW_DOCUMENTS, predict_proba_many


def _corpus(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.3).astype(int)
    risky = np.array(["工信部 投诉", "携号转网 销户", "曝光 垃圾"])
    calm = np.array(["查询 话费", "宽带 报修", "套餐 咨询"])
    docs = np.where(y == 1, risky[rng.integers(0, 3, n)], calm[rng.integers(0, 3, n)]).astype(
        object
    )
    noise = rng.random(n) < 0.1
    docs[noise] = calm[rng.integers(0, 3, noise.sum())]
    return docs, y


def test_fit_and_predict_proba() -> None:
    docs, y = _corpus(300)
    model = TextRiskModel(min_df=1).fit(docs, y)
    scores = model.predict_proba(docs)
    assert scores.shape == (300,) and np.all((scores >= 0) & (scores <= 1))
    assert roc_auc_score(y, scores) > 0.85
    assert model.predict_proba(["", "工信部 投诉"])[1] > model.predict_proba([""])[0]
    restored = pickle.loads(pickle.dumps(model))
    np.testing.assert_allclose(restored.predict_proba(docs), scores)


def test_rejects_single_class() -> None:
    with pytest.raises(ValueError, match="two classes"):
        TextRiskModel(min_df=1).fit(["a b", "c d"], [1, 1])


def test_oof_scores_do_not_leak_group_memorized_tokens() -> None:
    rng = np.random.default_rng(1)
    groups = np.repeat(np.arange(60), 3)
    group_label = rng.random(60) < 0.5
    y = group_label[groups].astype(int)
    docs = np.array([f"客户{g} 账单 套餐" for g in groups], dtype=object)
    model = TextRiskModel(min_df=1, max_df=1.0, C=100.0)
    in_sample = model.fit(docs, y).predict_proba(docs)
    assert roc_auc_score(y, in_sample) > 0.99
    oof = oof_scores(model, docs, y, groups, n_splits=5, random_state=0)
    assert not np.isnan(oof).any()
    assert roc_auc_score(y, oof) < 0.75


def test_oof_scores_keep_the_signal() -> None:
    docs, y = _corpus(300)
    groups = np.arange(300) // 2
    oof = oof_scores(TextRiskModel(min_df=1), docs, y, groups)
    assert roc_auc_score(y, oof) > 0.85


def test_probabilities_equal_the_fitted_pipeline_bit_for_bit() -> None:
    """The direct computation is the pipeline's own arithmetic, for one document or many."""
    docs, y = _corpus(400, seed=3)
    model = TextRiskModel(min_df=1).fit(docs, y)
    unseen = np.array(["", "工信部 投诉 曝光", "没见过 的 词", None], dtype=object)
    for batch in (docs, docs[:1], unseen):
        expected = model.pipeline_.predict_proba([("" if d is None else str(d)) for d in batch])[
            :, 1
        ]
        np.testing.assert_array_equal(model.predict_proba(batch), expected)


def _rich_corpus(n: int, seed: int) -> tuple[list[object], np.ndarray]:
    """Documents over a few hundred tokens, long enough for summation order to matter."""
    rng = np.random.default_rng(seed)
    vocabulary = np.array([f"词{i}" for i in range(400)] + ["[PHONE]", "工信部", "投诉"])
    weights = 1.0 / np.arange(1, len(vocabulary) + 1)
    weights /= weights.sum()
    docs: list[object] = [
        " ".join(rng.choice(vocabulary, int(rng.integers(1, 150)), p=weights)) for _ in range(n)
    ]
    y = np.array([("工信部" in d) or (rng.random() < 0.2) for d in docs], dtype=int)
    long = " ".join(rng.choice(vocabulary, 5000, p=weights))
    docs += ["", " ", "  投诉  投诉 ", "没见过 的 词", long, None, float("nan")]
    return docs, np.concatenate([y, np.zeros(7, dtype=int)])


@pytest.mark.parametrize(
    "params",
    [{}, {"sublinear_tf": False}, {"ngram_range": (1, 1)}, {"max_df": 1.0, "C": 10.0}],
)
def test_a_few_documents_score_bit_for_bit_as_the_pipeline(params: dict) -> None:
    """One to a few documents skip the vectorizer's transform with the very same arithmetic
    (counts, log, idf, l2 norm, dot product in index order): the text score feeds the booster."""
    documents, y = _rich_corpus(200, seed=len(params))
    cleaned = ["" if d is None or isinstance(d, float) else d for d in documents]
    model = TextRiskModel(min_df=2, **params).fit(cleaned[:150], y[:150])
    expected = model.pipeline_.predict_proba(cleaned)[:, 1]
    for size in (1, 2, 3, FEW_DOCUMENTS, FEW_DOCUMENTS + 1):
        for start in range(0, len(documents), size):
            chunk = np.array(documents[start : start + size], dtype=object)
            np.testing.assert_array_equal(
                model.predict_proba(chunk), expected[start : start + size]
            )


def test_models_sharing_a_vectorizer_score_as_they_do_alone() -> None:
    documents, y = _rich_corpus(200, seed=7)
    cleaned = ["" if d is None or isinstance(d, float) else d for d in documents]
    first = TextRiskModel().fit(cleaned, y)
    models = [
        first,
        TextRiskModel().fit(cleaned, 1 - y),
        TextRiskModel().fit(cleaned[:100], y[:100]),
        pickle.loads(pickle.dumps(first)),
    ]
    for batch in (documents[:1], documents[3:7], documents):
        together = predict_proba_many(models, batch)
        for model, scores in zip(models, together, strict=True):
            np.testing.assert_array_equal(scores, model.predict_proba(batch))
        np.testing.assert_array_equal(together[3], together[0])


def test_vocabulary_never_holds_personal_looking_tokens() -> None:
    docs, y = _corpus(300)
    leaks = ["13812345678", "王先生", "粤B12345", "一三八一二三四五六七八", "a@qq.com", "62220212"]
    docs = np.array([f"{doc} {leaks[i % len(leaks)]} 12300" for i, doc in enumerate(docs)])
    model = TextRiskModel(min_df=1, max_df=1.0).fit(docs, y)
    vocabulary = model.pipeline_[0].vocabulary_
    assert not any(leak in term for term in vocabulary for leak in leaks)
    assert "12300" in vocabulary and "工信部" in vocabulary
    assert len(model.pipeline_[0].idf_) == len(vocabulary) == model.pipeline_[-1].coef_.shape[1]
    blob = pickle.dumps(model)
    assert not any(leak.encode() in blob for leak in leaks)
    np.testing.assert_array_equal(
        model.predict_proba(docs[:5]), model.pipeline_.predict_proba(list(docs[:5]))[:, 1]
    )
    assert roc_auc_score(y, model.predict_proba(docs)) > 0.85


def test_personal_terms_flags_pii_and_keeps_service_numbers() -> None:
    from features.text.pii_vocabulary import personal_terms

    terms = ["12300", "10086 投诉", "5G 套餐", "128.50", "PHONE", "NAME 先生", "客户经理"]
    assert not personal_terms(terms).any()
    personal = ["13812345678", "投诉 88886666", "王先生", "E12345678", "粤B12345", "a@b.cn"]
    assert personal_terms(personal).all()
