"""Tiny contact and post tables for the text feature tests."""

import pandas as pd
import pytest

AS_OF = pd.Timestamp("2026-04-30")


def _contacts(rows: list[tuple[str, str | None, str, str | None]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "contact_id": [row[0] for row in rows],
            "customer_id": pd.Series([row[1] for row in rows], dtype=object),
            "ts": pd.to_datetime([row[2] for row in rows]),
            "channel": "hotline",
            "direction": "inbound",
            "category": "billing",
            "text": pd.Series([row[3] for row in rows], dtype=object),
        }
    )


@pytest.fixture
def contacts() -> pd.DataFrame:
    """Contacts of four customers around AS_OF, including rows after it and unidentified ones."""
    return _contacts(
        [
            ("k01", "C1", "2026-04-29 10:00", "话费又多扣了，再不退钱我就去工信部投诉！"),
            ("k02", "C1", "2026-03-15 09:00", "我不打算携号转网，但是宽带老断网"),
            ("k03", "C1", "2026-01-10 09:00", "这条在90天之前，我要销户"),
            ("k04", "C2", "2026-04-30 23:59", "请问12300是什么电话？我的号码13812345678"),
            ("k05", "C2", "2026-02-20 12:00", "国际漫游费太贵了，骗子！！！"),
            ("k06", "C3", "2026-04-10 08:00", None),
            ("k07", "C3", "2026-04-11 08:00", "   "),
            ("k08", None, "2026-04-12 08:00", "我要去消协投诉，这是匿名来电"),
            ("k09", "C4", "2026-04-20 08:00", "😡😡😡"),
            ("k10", "C1", "2026-05-01 00:00", "第二天：我要找媒体曝光，还要销户"),
            ("k11", "C4", "2026-05-03 00:00", "以后的内容：我要起诉你们"),
        ]
    )


@pytest.fixture
def posts() -> pd.DataFrame:
    """Social posts resolved to customers; one does not mention the brand."""
    return pd.DataFrame(
        {
            "customer_id": ["C2", "C2", "C5"],
            "ts": pd.to_datetime(["2026-04-28", "2026-04-27", "2026-05-02"]),
            "text": ["#乱扣费# 我要发微博曝光你们", "我要起诉前夫", "明天起诉你们"],
            "reposts": [200, 3, 0],
            "mentions_brand": [True, False, True],
        }
    )
