"""Customer documents: masked, segmented, time-ordered tokens of the window's texts."""

import pandas as pd

from features.text import TelecomTokenizer, customer_documents
from tests.features.text.conftest import AS_OF


def test_documents_are_masked_tokens_in_time_order(contacts: pd.DataFrame) -> None:
    docs = customer_documents(contacts, AS_OF, tokenizer=TelecomTokenizer(backend="jieba"))
    assert docs.name == "document" and docs.index.name == "customer_id"
    assert docs.index.tolist() == ["C1", "C2", "C4"]
    c1 = docs["C1"].split()
    assert c1.index("宽带") < c1.index("工信部")
    assert "销户" not in c1 and "媒体" not in c1
    assert "PHONE" in docs["C2"].split()
    assert "13812345678" not in docs["C2"]
    assert docs["C4"] == ""


def test_window_and_posts(contacts: pd.DataFrame, posts: pd.DataFrame) -> None:
    docs = customer_documents(contacts, AS_OF, days=30, posts=posts)
    assert "国际漫游" not in docs["C2"]
    tokens = docs["C2"].split()
    assert "微博曝光" in tokens and "乱扣费" in tokens and "#" not in tokens
    assert "前夫" not in docs["C2"]


def test_empty_input(contacts: pd.DataFrame) -> None:
    docs = customer_documents(contacts.iloc[0:0], AS_OF)
    assert docs.empty and docs.index.name == "customer_id"


def test_one_customer_slices_equal_the_batch_documents(
    contacts: pd.DataFrame, posts: pd.DataFrame
) -> None:
    tokenizer = TelecomTokenizer()
    batch = customer_documents(contacts, AS_OF, posts=posts, tokenizer=tokenizer)
    for customer in batch.index:
        alone = customer_documents(
            contacts.loc[contacts["customer_id"] == customer],
            AS_OF,
            posts=posts.loc[posts["customer_id"] == customer],
            tokenizer=tokenizer,
        )
        pd.testing.assert_series_equal(alone, batch.loc[[customer]])


def test_same_time_texts_follow_contact_id() -> None:
    ts = pd.Timestamp("2026-04-20 08:00")
    contacts = pd.DataFrame(
        {
            "contact_id": ["k2", "k1"],
            "customer_id": ["C1", "C1"],
            "ts": [ts, ts],
            "text": ["宽带断网", "话费乱扣"],
        }
    )
    docs = customer_documents(contacts, AS_OF, tokenizer=TelecomTokenizer())
    assert docs["C1"].split().index("话费") < docs["C1"].split().index("宽带")
