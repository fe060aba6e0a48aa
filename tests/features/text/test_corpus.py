"""The window corpus: which texts count and their order, as arrays and as a frame."""

import pandas as pd

from features.text.corpus import in_window, window_corpus, window_texts
from tests.features.text.conftest import AS_OF


def test_frame_keeps_the_window_texts_contract(contacts: pd.DataFrame, posts: pd.DataFrame) -> None:
    corpus = window_texts(contacts, AS_OF, 90, posts)
    assert list(corpus.columns) == ["customer_id", "ts", "source", "text"]
    assert corpus["customer_id"].tolist() == ["C1", "C1", "C2", "C2", "C2", "C4"]
    assert corpus["source"].tolist() == ["contact"] * 4 + ["post", "contact"]
    assert "<PHONE>" in corpus["text"].iloc[3]
    assert corpus.index.equals(pd.RangeIndex(6))
    arrays = window_corpus(contacts, AS_OF, 90, posts)
    assert arrays.customer_starts()[0].tolist() == ["C1", "C2", "C4"]
    assert arrays.customer_starts()[1].tolist() == [0, 2, 5]


def test_same_time_rows_follow_contact_id_with_missing_ids_last() -> None:
    ts = pd.Timestamp("2026-04-20 08:00")
    contacts = pd.DataFrame(
        {
            "contact_id": pd.Series(["k3", None, "k1", "k2"], dtype=object),
            "customer_id": ["C9", "C9", "C9", "C8"],
            "ts": [ts, ts, ts, ts - pd.Timedelta(hours=1)],
            "text": ["三", "无编号", "一", "别人"],
        }
    )
    corpus = window_corpus(contacts, AS_OF, 30)
    assert corpus.texts.tolist() == ["别人", "一", "三", "无编号"]
    alone = window_corpus(contacts.loc[contacts["customer_id"] == "C9"], AS_OF, 30)
    assert alone.texts.tolist() == ["一", "三", "无编号"]


def test_brand_flag_may_be_null_and_ids_are_strings() -> None:
    contacts = pd.DataFrame(
        {"customer_id": [7], "ts": [AS_OF], "text": ["宽带断网"]}, dtype=object
    ).astype({"ts": "datetime64[ns]"})
    posts = pd.DataFrame(
        {
            "customer_id": ["7", "7", "7"],
            "ts": pd.to_datetime(["2026-04-01", "2026-04-02", "2026-04-03"]),
            "text": ["有品牌", "没品牌", "未知"],
            "mentions_brand": pd.Series([True, False, None], dtype=object),
        }
    )
    corpus = window_corpus(contacts, AS_OF, 90, posts)
    assert corpus.customer_ids.tolist() == ["7", "7"]
    assert corpus.texts.tolist() == ["宽带断网", "有品牌"]
    assert corpus.is_post.tolist() == [False, True]


def test_nothing_in_the_window_gives_typed_empty_frames(contacts: pd.DataFrame) -> None:
    empty = window_texts(contacts, "2020-01-01", 90)
    assert empty.empty and str(empty["ts"].dtype) == "datetime64[ns]"
    blank = window_corpus(contacts.assign(text="  "), AS_OF, 90)
    assert len(blank) == 0 and blank.customer_starts()[0].size == 0


def test_in_window_bounds_match_for_numpy_and_other_datetime_columns() -> None:
    stamps = pd.Series(pd.to_datetime(["2026-04-01 00:00", "2026-04-30 23:59", "2026-05-01 00:00"]))
    start, end = pd.Timestamp("2026-04-01"), pd.Timestamp("2026-05-01")
    expected = [True, True, False]
    assert in_window(stamps, start, end).tolist() == expected
    assert in_window(pd.concat([stamps, pd.Series([pd.NaT])]), start, end).tolist()[-1] is False
    assert in_window(stamps.astype(object), start, end).tolist() == expected
