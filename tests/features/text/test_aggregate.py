"""Per-customer text features: windows, point-in-time, online equals offline, bad input."""

import numpy as np
import pandas as pd
import pytest

from features.text import FEATURES, TEXT_DEFAULTS, text_features
from features.text.aggregate import segment_sums, text_values
from tests.features.text.conftest import AS_OF

COLUMNS = [spec.name for spec in FEATURES]


def test_columns_follow_the_registry(contacts: pd.DataFrame) -> None:
    features = text_features(contacts, AS_OF)
    assert list(features.columns) == COLUMNS
    assert set(TEXT_DEFAULTS) == set(COLUMNS)
    assert all(name.startswith("txt_") for name in COLUMNS)
    assert features.index.name == "customer_id"
    assert all(dtype == np.float64 for dtype in features.dtypes)


def test_values_per_customer_and_window(contacts: pd.DataFrame) -> None:
    features = text_features(contacts, AS_OF)
    assert features.index.tolist() == ["C1", "C2", "C4"]
    c1, c2 = features.loc["C1"], features.loc["C2"]
    assert c1["txt_n_texts_30d"] == 1 and c1["txt_n_texts_90d"] == 2
    assert c1["txt_escalation_intent_count_30d"] == 1
    assert c1["txt_target_regulator_90d"] == 1 and c1["txt_target_media_90d"] == 0
    assert c1["txt_churn_intent_any_90d"] == 0
    assert c1["txt_nonintent_mentions_90d"] == 1
    assert c1["txt_topic_billing_share_30d"] == 1.0
    assert c2["txt_escalation_intent_any_90d"] == 0
    assert c2["txt_nonintent_mentions_30d"] == 1
    assert c2["txt_anger_max_90d"] > c2["txt_anger_max_30d"]
    assert c2["txt_topic_roaming_share_90d"] > 0 and c2["txt_topic_roaming_share_30d"] == 0
    assert features.loc["C4", "txt_anger_max_30d"] > 0.5


def test_rows_after_as_of_never_matter(contacts: pd.DataFrame) -> None:
    baseline = text_features(contacts, AS_OF)
    end = AS_OF + pd.Timedelta(days=1)
    future = contacts["ts"] >= end
    assert future.sum() == 2
    pd.testing.assert_frame_equal(text_features(contacts.loc[~future], AS_OF), baseline)
    rng = np.random.default_rng(0)
    scrambled = contacts.copy()
    scrambled.loc[future, "text"] = ["我要去工信部投诉！我要销户！", "垃圾！！！"]
    scrambled.loc[future, "customer_id"] = rng.permutation(["C2", "C3"])
    scrambled.loc[future, "ts"] = end + pd.to_timedelta(rng.integers(0, 10**6, 2), unit="s")
    pd.testing.assert_frame_equal(text_features(scrambled, AS_OF), baseline)


def test_online_equals_offline(contacts: pd.DataFrame, posts: pd.DataFrame) -> None:
    batch = text_features(contacts, AS_OF, posts)
    for customer in batch.index:
        online = text_features(
            contacts.loc[contacts["customer_id"] == customer],
            AS_OF,
            posts.loc[posts["customer_id"] == customer],
        )
        pd.testing.assert_frame_equal(online, batch.loc[[customer]])


def test_brand_posts_count_as_texts(contacts: pd.DataFrame, posts: pd.DataFrame) -> None:
    features = text_features(contacts, AS_OF, posts)
    c2 = features.loc["C2"]
    assert c2["txt_n_posts_90d"] == 1 and c2["txt_n_texts_90d"] == 3
    assert c2["txt_target_social_90d"] == 1 and c2["txt_target_legal_90d"] == 0
    assert "C5" not in features.index


def test_bad_input(contacts: pd.DataFrame) -> None:
    empty = text_features(contacts.iloc[0:0], AS_OF)
    assert empty.empty and list(empty.columns) == COLUMNS
    nulls = contacts.assign(text=None)
    assert text_features(nulls, AS_OF).empty
    odd = contacts.assign(
        text=["", "😡", "a" * 5000, "工信部" * 1700, None, "x", "", "", "", "", ""]
    )
    features = text_features(odd, AS_OF)
    assert not features.isna().any().any()
    assert features["txt_anger_max_90d"].between(0, 1).all()


def test_defaults_fill_missing_customers(contacts: pd.DataFrame) -> None:
    features = text_features(contacts, AS_OF).reindex(["C1", "C3"]).fillna(TEXT_DEFAULTS)
    assert (features.loc["C3"] == 0).all()


def test_segment_sums_give_pandas_grouped_means_bit_for_bit() -> None:
    rng = np.random.default_rng(1)
    groups = np.sort(rng.integers(0, 300, 3000))
    values = rng.random((3000, 3)) / (rng.random((3000, 3)) + 0.01)
    expected = pd.DataFrame(values).groupby(groups).mean().to_numpy()
    labels, starts, lengths = np.unique(groups, return_index=True, return_counts=True)
    means = segment_sums(values, starts, lengths) / lengths[:, None]
    assert np.array_equal(means, expected)
    naive = np.add.reduceat(values, starts) / lengths[:, None]
    assert not np.array_equal(naive, expected)
    one_column = segment_sums(values[:, 0], starts, lengths) / lengths
    assert np.array_equal(one_column, expected[:, 0])


def test_one_customer_slices_equal_the_batch_rows_with_many_texts() -> None:
    rng = np.random.default_rng(2)
    pool = ["话费乱扣，我要去工信部投诉！", "宽带断网了", "垃圾！！！", "请问怎么销户？", "谢谢"]
    n = 400
    contacts = pd.DataFrame(
        {
            "contact_id": [f"k{i:04d}" for i in range(n)],
            "customer_id": rng.choice(["A", "B", "C", "D"], n),
            "ts": AS_OF - pd.to_timedelta(rng.integers(0, 100, n), unit="D"),
            "text": rng.choice(pool, n),
        }
    )
    batch = text_features(contacts, AS_OF)
    assert batch["txt_n_texts_90d"].min() > 50
    for customer in batch.index:
        alone = text_features(contacts.loc[contacts["customer_id"] == customer], AS_OF)
        pd.testing.assert_frame_equal(alone, batch.loc[[customer]], check_exact=True)


@pytest.mark.parametrize(
    "customer_ids", [["C1", "C2", "C3", "C4"], ["C4", "C9", "C1"], ["C9"], ["C2"], []]
)
def test_text_values_are_the_features_with_defaults(
    contacts: pd.DataFrame, posts: pd.DataFrame, customer_ids: list[str]
) -> None:
    ids = pd.Index(customer_ids, dtype=object, name="customer_id")
    for table_posts in (None, posts, posts.iloc[:0]):
        expected = text_features(contacts, AS_OF, table_posts).reindex(ids).fillna(TEXT_DEFAULTS)
        values = text_values(contacts, AS_OF, ids, table_posts)
        assert values.shape == (len(FEATURES), len(ids))
        np.testing.assert_array_equal(values, expected.to_numpy().T)
