"""Tiny contract-shaped tables for the structured feature tests."""

from __future__ import annotations

import numpy as np
import pandas as pd

CUSTOMER_COLUMNS = [
    "customer_id",
    "msisdn",
    "open_date",
    "plan_type",
    "monthly_fee",
    "region",
    "vip_level",
    "autopay",
    "status",
]
BILL_COLUMNS = [
    "customer_id",
    "bill_month",
    "issued_at",
    "amount_due",
    "amount_paid",
    "overdue_amount",
    "data_overage_fee",
    "voice_overage_fee",
    "vas_fee",
    "roaming_fee",
    "adjustment_amount",
]
USAGE_COLUMNS = [
    "customer_id",
    "usage_month",
    "data_gb",
    "voice_minutes",
    "sms_count",
    "dropped_call_rate",
    "avg_download_mbps",
    "outage_minutes",
]
EVENT_COLUMNS = ["event_id", "customer_id", "ts", "event_type", "amount"]
CONTACT_COLUMNS = [
    "contact_id",
    "customer_id",
    "ts",
    "channel",
    "direction",
    "category",
    "text",
    "ticket_id",
    "resolved",
    "handle_seconds",
    "transfers",
    "csat",
    "escalated_flag",
    "social_account_id",
]
CHANNELS = ["hotline", "wechat", "weibo", "app", "web_chat", "store", "email", "regulator"]
EVENT_TYPES = [
    "suspension_arrears",
    "resume",
    "plan_change",
    "vas_subscribe",
    "vas_unsubscribe",
    "outage",
    "port_out_request",
    "payment",
    "refund",
]


def customers(ids: list[str], **columns: list[object]) -> pd.DataFrame:
    """Customers with contract defaults; keyword lists override columns."""
    n = len(ids)
    frame = pd.DataFrame(
        {
            "customer_id": ids,
            "msisdn": [f"1380000{i:04d}" for i in range(n)],
            "open_date": pd.to_datetime(["2024-01-15"] * n),
            "plan_type": ["postpaid_basic"] * n,
            "monthly_fee": [58.0] * n,
            "region": ["hangzhou"] * n,
            "vip_level": [0] * n,
            "autopay": [False] * n,
            "status": ["active"] * n,
        }
    )
    for name, values in columns.items():
        frame[name] = pd.to_datetime(values, format="ISO8601") if name == "open_date" else values
    return frame


def bills(rows: list[dict[str, object]]) -> pd.DataFrame:
    """Bills from ``customer_id``/``bill_month`` rows; issued on the month's last day at 08:00."""
    defaults = {name: 0.0 for name in BILL_COLUMNS[3:]}
    frame = pd.DataFrame([defaults | row for row in rows], columns=BILL_COLUMNS)
    frame["bill_month"] = pd.to_datetime(frame["bill_month"])
    if frame["issued_at"].isna().any() or not len(frame):
        month_end = frame["bill_month"] + pd.offsets.MonthEnd(0) + pd.Timedelta(hours=8)
        frame["issued_at"] = pd.to_datetime(frame["issued_at"]).fillna(month_end)
    frame["issued_at"] = pd.to_datetime(frame["issued_at"])
    return frame


def usage(rows: list[dict[str, object]]) -> pd.DataFrame:
    """Usage rows from ``customer_id``/``usage_month`` plus any values (others neutral)."""
    defaults = {
        "data_gb": 10.0,
        "voice_minutes": 200.0,
        "sms_count": 5,
        "dropped_call_rate": 0.01,
        "avg_download_mbps": 100.0,
        "outage_minutes": 0.0,
    }
    frame = pd.DataFrame([defaults | row for row in rows], columns=USAGE_COLUMNS)
    frame["usage_month"] = pd.to_datetime(frame["usage_month"])
    return frame


def events(rows: list[dict[str, object]]) -> pd.DataFrame:
    """Service events from ``customer_id``/``ts``/``event_type`` (+ ``amount``) rows."""
    frame = pd.DataFrame([{"amount": np.nan} | row for row in rows], columns=EVENT_COLUMNS)
    frame["event_id"] = [f"e{i}" for i in range(len(frame))]
    frame["ts"] = pd.to_datetime(frame["ts"], format="ISO8601")
    frame["amount"] = frame["amount"].astype(float)
    return frame


def contacts(rows: list[dict[str, object]]) -> pd.DataFrame:
    """Contacts from ``customer_id``/``ts`` rows; defaults: inbound hotline, no ticket."""
    defaults = {
        "channel": "hotline",
        "direction": "inbound",
        "category": "billing",
        "text": None,
        "ticket_id": None,
        "resolved": False,
        "handle_seconds": 120,
        "transfers": 0,
        "csat": np.nan,
        "escalated_flag": False,
        "social_account_id": None,
    }
    frame = pd.DataFrame([defaults | row for row in rows], columns=CONTACT_COLUMNS)
    frame["contact_id"] = [f"c{i}" for i in range(len(frame))]
    frame["ts"] = pd.to_datetime(frame["ts"], format="ISO8601")
    frame["csat"] = frame["csat"].astype(float)
    return frame


def empty(columns: list[str]) -> pd.DataFrame:
    """A table with the contract columns and no rows, as a caller would build it."""
    return pd.DataFrame(columns=columns)


def random_world(seed: int, n_customers: int = 60) -> dict[str, pd.DataFrame]:
    """Random contract tables from 2025-01 to 2026-06 covering every feature's code paths."""
    rng = np.random.default_rng(seed)
    ids = [f"C{i:04d}" for i in range(n_customers)]
    months = pd.date_range("2025-01-01", "2026-06-01", freq="MS")
    start, end = pd.Timestamp("2025-01-01"), pd.Timestamp("2026-06-30")
    span = (end - start).total_seconds()

    def stamps(n: int) -> pd.Series:
        return pd.Series(start + pd.to_timedelta(rng.uniform(0, span, n).round(), unit="s"))

    people = customers(
        ids,
        open_date=list(
            pd.Timestamp("2024-06-01") + pd.to_timedelta(rng.integers(0, 700, n_customers), "D")
        ),
        plan_type=list(
            rng.choice(
                ["prepaid", "postpaid_basic", "postpaid_5g", "family", "broadband_bundle"],
                n_customers,
            )
        ),
        region=list(rng.choice(["hangzhou", "ningbo", "wenzhou"], n_customers)),
        vip_level=list(rng.integers(0, 4, n_customers)),
        autopay=list(rng.random(n_customers) < 0.5),
    )
    pairs = [(c, m) for c in ids for m in months if rng.random() < 0.9]
    n = len(pairs)
    bill_rows = pd.DataFrame(pairs, columns=["customer_id", "bill_month"])
    bill_rows["amount_due"] = rng.gamma(2, 40, n).round(2)
    bill_rows["amount_paid"] = bill_rows["amount_due"]
    bill_rows["overdue_amount"] = np.where(rng.random(n) < 0.3, rng.gamma(1, 20, n), 0).round(2)
    for name in ["data_overage_fee", "voice_overage_fee", "vas_fee", "roaming_fee"]:
        bill_rows[name] = np.where(rng.random(n) < 0.25, rng.gamma(1, 15, n), 0.0).round(2)
    bill_rows["adjustment_amount"] = np.where(rng.random(n) < 0.1, -rng.gamma(1, 10, n), 0).round(2)
    bill_rows["issued_at"] = None
    world_bills = bills(bill_rows.to_dict("records"))

    world_usage = usage(
        [
            {
                "customer_id": c,
                "usage_month": m,
                "data_gb": float(rng.gamma(2, 5)),
                "dropped_call_rate": float(rng.beta(1, 40)),
                "avg_download_mbps": float(rng.gamma(5, 20)),
                "outage_minutes": float(rng.choice([0.0, 0.0, rng.gamma(1, 30)])),
            }
            for c, m in pairs
        ]
    )

    n_events = 25 * n_customers
    world_events = events(
        [
            {
                "customer_id": c,
                "ts": t,
                "event_type": e,
                "amount": float(rng.choice([0.1, 0.5, 12.0, 80.0, np.nan])),
            }
            for c, t, e in zip(
                rng.choice(ids, n_events),
                stamps(n_events),
                rng.choice(EVENT_TYPES, n_events),
                strict=True,
            )
        ]
    )

    n_contacts = 30 * n_customers
    world_contacts = contacts(
        [
            {
                "customer_id": None if rng.random() < 0.05 else c,
                "ts": t,
                "channel": str(rng.choice(CHANNELS)),
                "direction": "outbound" if rng.random() < 0.15 else "inbound",
                "ticket_id": None if rng.random() < 0.2 else f"T{c}-{rng.integers(0, 6)}",
                "resolved": bool(rng.random() < 0.4),
                "transfers": int(rng.integers(0, 3)),
                "csat": float(rng.choice([1.0, 3.0, 5.0, np.nan])),
                "escalated_flag": bool(rng.random() < 0.05),
            }
            for c, t in zip(rng.choice(ids, n_contacts), stamps(n_contacts), strict=True)
        ]
    )
    return {
        "customers": people,
        "bills": world_bills,
        "usage": world_usage,
        "service_events": world_events,
        "contacts": world_contacts,
    }


def after_snapshot(world: dict[str, pd.DataFrame], as_of: str) -> dict[str, pd.Series]:
    """Per table, the rows a snapshot at ``as_of`` must not see (True = after the snapshot)."""
    end = pd.Timestamp(as_of) + pd.Timedelta(days=1)
    return {
        "bills": world["bills"]["issued_at"] >= end,
        "usage": world["usage"]["usage_month"] + pd.offsets.MonthBegin(1) > end,
        "service_events": world["service_events"]["ts"] >= end,
        "contacts": world["contacts"]["ts"] >= end,
    }


def drop_after(world: dict[str, pd.DataFrame], as_of: str) -> dict[str, pd.DataFrame]:
    """The world without any row dated after the snapshot."""
    later = after_snapshot(world, as_of)
    return {
        name: frame.loc[~later[name]] if name in later else frame for name, frame in world.items()
    }


def scramble_after(
    world: dict[str, pd.DataFrame], as_of: str, seed: int
) -> dict[str, pd.DataFrame]:
    """The world with every non-time value of rows dated after the snapshot shuffled or changed."""
    rng = np.random.default_rng(seed)
    later = after_snapshot(world, as_of)
    time_columns = {"bill_month", "issued_at", "usage_month", "ts"}
    out = dict(world)
    for name, mask in later.items():
        frame = world[name].copy()
        rows = np.flatnonzero(mask.to_numpy())
        for column in frame.columns.difference(sorted(time_columns)):
            values = frame[column].to_numpy(copy=True)
            if pd.api.types.is_float_dtype(frame[column]):
                values[rows] = rng.uniform(0, 500, rows.size).round(2)
            else:
                values[rows] = rng.permutation(values[rows])
            frame[column] = values
        if name == "contacts":
            frame.loc[rows, "direction"] = "inbound"
            frame.loc[rows, "channel"] = "regulator"
            frame.loc[rows, "resolved"] = rng.random(rows.size) < 0.5
        out[name] = frame
    return out
