"""A tiny, valid export of the eight contract tables, built by hand for ingest tests."""

from __future__ import annotations

import pandas as pd


def tiny_tables() -> dict[str, pd.DataFrame]:
    """Three customers, two months, every table non-empty and valid."""
    ts = pd.Timestamp
    customers = pd.DataFrame(
        {
            "customer_id": ["C1", "C2", "C3"],
            "msisdn": ["13800000001", "13800000002", "13800000003"],
            "open_date": [ts("2020-01-05"), ts("2021-06-01"), ts("2025-12-20")],
            "plan_type": ["prepaid", "postpaid_5g", "broadband_bundle"],
            "monthly_fee": [38.0, 128.0, 99.0],
            "region": ["广州", "深圳", "广州"],
            "vip_level": [0, 2, 1],
            "autopay": [False, True, True],
            "status": ["active", "active", "suspended"],
        }
    )
    bills = pd.DataFrame(
        {
            "customer_id": ["C1", "C1", "C2", "C3"],
            "bill_month": [ts("2026-01-01"), ts("2026-02-01"), ts("2026-02-01"), ts("2026-02-01")],
            "issued_at": [
                ts("2026-01-31 20:00"),
                ts("2026-02-28 20:00"),
                ts("2026-02-28 20:00"),
                ts("2026-02-28 20:00"),
            ],
            "amount_due": [38.0, 66.5, 128.0, 99.1],
            "amount_paid": [38.0, 66.5, 128.0, 99.0],
            "overdue_amount": [0.0, 0.0, 0.0, 0.1],
            "data_overage_fee": [0.0, 28.5, 0.0, 0.0],
            "voice_overage_fee": [0.0, 0.0, 0.0, 0.0],
            "vas_fee": [0.0, 0.0, 0.0, 0.1],
            "roaming_fee": [0.0, 0.0, 0.0, 0.0],
            "adjustment_amount": [0.0, 0.0, -5.0, 0.0],
        }
    )
    usage = pd.DataFrame(
        {
            "customer_id": ["C1", "C2", "C3"],
            "usage_month": [ts("2026-02-01")] * 3,
            "data_gb": [12.5, 40.0, 0.0],
            "voice_minutes": [120.0, 300.0, 3.0],
            "sms_count": [3, 10, 1],
            "dropped_call_rate": [0.01, 0.02, 0.0],
            "avg_download_mbps": [45.0, 210.0, 0.0],
            "outage_minutes": [0.0, 30.0, 0.0],
        }
    )
    service_events = pd.DataFrame(
        {
            "event_id": ["E1", "E2"],
            "customer_id": ["C3", "C3"],
            "ts": [ts("2026-02-10 09:00"), ts("2026-02-12 10:00")],
            "event_type": ["suspension_arrears", "resume"],
            "amount": [0.1, None],
        }
    )
    contacts = pd.DataFrame(
        {
            "contact_id": ["K1", "K2", "K3"],
            "customer_id": ["C3", "C3", None],
            "ts": [ts("2026-02-10 10:00"), ts("2026-02-11 11:00"), ts("2026-02-11 12:00")],
            "channel": ["hotline", "wechat", "weibo"],
            "direction": ["inbound", "inbound", "inbound"],
            "category": ["suspension", "suspension", "suspension"],
            "text": ["欠费0.1元就停机，太过分了", "我不是要投诉，就想问清楚", None],
            "ticket_id": ["T1", "T1", None],
            "resolved": [False, True, False],
            "handle_seconds": [300, 120, 0],
            "transfers": [1, 0, 0],
            "csat": [2.0, None, None],
            "escalated_flag": [False, False, True],
            "social_account_id": [None, None, "A2"],
        }
    )
    social_accounts = pd.DataFrame(
        {
            "account_id": ["A1", "A2"],
            "platform": ["weibo", "weibo"],
            "followers": [120, 5300],
            "bound_msisdn": ["13800000003", None],
            "nickname": ["小明", "路人甲"],
        }
    )
    social_posts = pd.DataFrame(
        {
            "post_id": ["P1"],
            "account_id": ["A2"],
            "ts": [ts("2026-02-11 12:30")],
            "text": ["@星河移动 欠费0.1元停我宽带和手机 #霸王条款#"],
            "reposts": [230],
            "comments": [41],
            "mentions_brand": [True],
        }
    )
    edges = pd.DataFrame(
        {
            "src": ["C1", "C1", "C2"],
            "dst": ["C2", "C3", "C3"],
            "kind": ["call", "sms", "family_plan"],
            "weight": [5.0, 2.0, 1.0],
            "month": [ts("2026-01-01"), ts("2026-02-01"), ts("2026-02-01")],
        }
    )
    return {
        "customers": customers,
        "bills": bills,
        "usage": usage,
        "service_events": service_events,
        "contacts": contacts,
        "social_accounts": social_accounts,
        "social_posts": social_posts,
        "edges": edges,
    }


def write_export(
    tables: dict[str, pd.DataFrame], folder, fmt: str = "csv", encoding: str = "utf-8"
):
    """Write tables as an operator export (CSV in the given encoding, or Parquet)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        if fmt == "parquet":
            frame.to_parquet(folder / f"{name}.parquet", index=False)
        else:
            frame.to_csv(folder / f"{name}.csv", index=False, encoding=encoding)
    return folder
