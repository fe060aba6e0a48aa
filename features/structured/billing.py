"""Billing features: the last bill, bill shock, new charges, arrears, suspensions, port-out.

Point in time: a bill is seen once ``issued_at`` is before the snapshot end; a service event once
its ``ts`` is. "Last bill" is the latest visible ``bill_month`` of the customer; "previous bills"
are the up to three visible bills before it.

Defaults for a customer without visible bills: every amount 0, ``bill_count`` 0, bill shock 0,
no new charge, 0 days overdue. Without service events: counts 0 and flags False.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

import numpy as np
import pandas as pd

from features.core.grouped import group_count, group_max, group_min, group_sum, safe_ratio
from features.core.inputs import (
    customer_codes,
    customer_index,
    day_number,
    feature_frame,
    float_values,
    require_columns,
    stamp_values,
)
from features.core.point_in_time import known_mask, last_days_mask
from features.core.timeline import as_of_timestamp
from features.registry import FeatureSpec

BILL_COLUMNS = [
    "customer_id",
    "bill_month",
    "issued_at",
    "amount_due",
    "overdue_amount",
    "data_overage_fee",
    "voice_overage_fee",
    "vas_fee",
    "roaming_fee",
    "adjustment_amount",
]
EVENT_COLUMNS = ["customer_id", "ts", "event_type", "amount"]
PREVIOUS_BILLS = 3
TINY_ARREARS_YUAN = 1.0

_spec = partial(FeatureSpec, family="structured")

FEATURES: list[FeatureSpec] = [
    _spec(
        "bill_count",
        description_en="Number of bills issued so far",
        description_zh="已出账单数",
        dtype="int",
        reason_en="{value} bills so far",
        reason_zh="已出账单 {value} 期",
    ),
    _spec(
        "bill_last_amount_due",
        description_en="Amount due on the last bill (yuan)",
        description_zh="最近一期账单应缴金额（元）",
        reason_en="last bill is {value:.2f} yuan",
        reason_zh="最近一期账单 {value:.2f} 元",
    ),
    _spec(
        "bill_shock",
        description_en="Relative increase of the last bill over the mean of the previous 3 bills",
        description_zh="最近一期账单较前三期均值的涨幅",
        reason_en="bill is {value:.0%} above the 3-month mean",
        reason_zh="账单较近三月均值上涨 {value:.0%}",
    ),
    _spec(
        "bill_last_data_overage_fee",
        description_en="Data overage fee on the last bill (yuan)",
        description_zh="最近一期账单流量超套费（元）",
        reason_en="data overage fee of {value:.2f} yuan on the last bill",
        reason_zh="上期账单流量超套费 {value:.2f} 元",
    ),
    _spec(
        "bill_last_voice_overage_fee",
        description_en="Voice overage fee on the last bill (yuan)",
        description_zh="最近一期账单语音超套费（元）",
        reason_en="voice overage fee of {value:.2f} yuan on the last bill",
        reason_zh="上期账单语音超套费 {value:.2f} 元",
    ),
    _spec(
        "bill_last_vas_fee",
        description_en="Value-added service fee on the last bill (yuan)",
        description_zh="最近一期账单增值业务费（元）",
        reason_en="value-added service fee of {value:.2f} yuan on the last bill",
        reason_zh="上期账单增值业务费 {value:.2f} 元",
    ),
    _spec(
        "bill_last_roaming_fee",
        description_en="Roaming fee on the last bill (yuan)",
        description_zh="最近一期账单漫游费（元）",
        reason_en="roaming fee of {value:.2f} yuan on the last bill",
        reason_zh="上期账单漫游费 {value:.2f} 元",
    ),
    _spec(
        "bill_new_vas_charge",
        description_en="A value-added service fee appears on the last bill, none on the previous 3",
        description_zh="最近一期账单新出现增值业务费（前三期没有）",
        dtype="bool",
        reason_en="a new value-added service charge appeared on the bill",
        reason_zh="账单新出现增值业务扣费",
    ),
    _spec(
        "bill_new_roaming_charge",
        description_en="A roaming fee appears on the last bill, none on the previous 3",
        description_zh="最近一期账单新出现漫游费（前三期没有）",
        dtype="bool",
        reason_en="a new roaming charge appeared on the bill",
        reason_zh="账单新出现漫游费",
    ),
    _spec(
        "bill_overdue_amount",
        description_en="Overdue amount on the last bill (yuan)",
        description_zh="最近一期账单欠费金额（元）",
        reason_en="{value:.2f} yuan overdue",
        reason_zh="欠费 {value:.2f} 元",
    ),
    _spec(
        "bill_days_overdue",
        description_en="Days since the first bill of the unbroken run of overdue bills",
        description_zh="连续欠费天数（自连续欠费的第一期账单出账起）",
        dtype="int",
        reason_en="in arrears for {value} days",
        reason_zh="已连续欠费 {value} 天",
    ),
    _spec(
        "bill_suspensions_30d",
        description_en="Suspensions for arrears in the last 30 days",
        description_zh="近30天欠费停机次数",
        dtype="int",
        reason_en="suspended for arrears {value} times in 30 days",
        reason_zh="近30天欠费停机 {value} 次",
    ),
    _spec(
        "bill_suspensions_90d",
        description_en="Suspensions for arrears in the last 90 days",
        description_zh="近90天欠费停机次数",
        dtype="int",
        reason_en="suspended for arrears {value} times in 90 days",
        reason_zh="近90天欠费停机 {value} 次",
    ),
    _spec(
        "bill_tiny_arrears_suspension_90d",
        description_en="Suspended in the last 90 days for arrears under 1 yuan",
        description_zh="近90天因不足1元的小额欠费被停机",
        dtype="bool",
        reason_en="suspended for arrears of less than 1 yuan",
        reason_zh="因不足1元欠费被停机",
    ),
    _spec(
        "bill_currently_suspended",
        description_en="The last arrears suspension has not been followed by a resume",
        description_zh="欠费停机后尚未复机",
        dtype="bool",
        reason_en="line is suspended for arrears",
        reason_zh="当前处于欠费停机状态",
    ),
    _spec(
        "bill_adjustment_refund_90d",
        description_en="Yuan adjusted on bills plus refunded in the last 90 days (absolute sum)",
        description_zh="近90天账单调账及退费总额（元，取绝对值）",
        reason_en="{value:.2f} yuan adjusted or refunded in 90 days",
        reason_zh="近90天调账退费 {value:.2f} 元",
    ),
    _spec(
        "bill_refunds_90d",
        description_en="Refund events in the last 90 days",
        description_zh="近90天退费次数",
        dtype="int",
        reason_en="{value} refunds in 90 days",
        reason_zh="近90天退费 {value} 次",
    ),
    _spec(
        "bill_port_out_requests_90d",
        description_en="Number-portability (port-out) requests in the last 90 days",
        description_zh="近90天携号转网申请次数",
        dtype="int",
        reason_en="{value} port-out requests in 90 days",
        reason_zh="近90天申请携号转网 {value} 次",
    ),
]


def billing_features(
    bills: pd.DataFrame,
    service_events: pd.DataFrame,
    customer_ids: Iterable[str],
    as_of: str | pd.Timestamp,
) -> pd.DataFrame:
    """Billing and account-event features for a snapshot at ``as_of``.

    Args:
        bills: Contract ``bills`` table (any subset of customers, all of their rows).
        service_events: Contract ``service_events`` table.
        customer_ids: Customers to return, one row each.
        as_of: Snapshot date; rows stamped after the end of that day are ignored.

    Returns:
        One row per customer (index ``customer_id``), columns as declared in ``FEATURES``.

    Raises:
        ValueError: A required column is missing or a timestamp column is not datetime64.
    """
    index = customer_index(customer_ids)
    return feature_frame(billing_columns(bills, service_events, index, as_of), index, FEATURES)


def billing_columns(
    bills: pd.DataFrame, service_events: pd.DataFrame, index: pd.Index, as_of: str | pd.Timestamp
) -> dict[str, np.ndarray]:
    """The arrays of :func:`billing_features` for the customers of ``index``, by feature name."""
    bills = require_columns(bills, "bills", BILL_COLUMNS, ("bill_month", "issued_at"))
    service_events = require_columns(service_events, "service_events", EVENT_COLUMNS, ("ts",))
    columns = _bill_history(bills, index, as_of)
    events = _event_history(service_events, index, as_of)
    columns["bill_adjustment_refund_90d"] += events.pop("refunded_yuan_90d")
    return columns | events


def _visible(
    table: pd.DataFrame, stamps: np.ndarray, index: pd.Index, as_of: str | pd.Timestamp
) -> tuple[np.ndarray, np.ndarray]:
    """Positions and customer codes of the visible rows of the customers in ``index``."""
    visible = np.flatnonzero(known_mask(stamps, as_of))
    codes = customer_codes(table["customer_id"], index, visible)
    known = codes >= 0
    return visible[known], codes[known]


def _bill_history(
    bills: pd.DataFrame, index: pd.Index, as_of: str | pd.Timestamp
) -> dict[str, np.ndarray]:
    size = len(index)
    issued_at = stamp_values(bills["issued_at"])
    rows, codes = _visible(bills, issued_at, index, as_of)
    month_day = day_number(bills["bill_month"].to_numpy(dtype="datetime64[ns]")[rows])
    if rows.size:
        month_day -= month_day.min()
    order = np.argsort(codes * (int(month_day.max(initial=0)) + 1) + month_day, kind="stable")
    rows, codes = rows[order], codes[order]

    def money(name: str) -> np.ndarray:
        return float_values(bills[name], rows)

    counts = np.bincount(codes, minlength=size)
    ends = np.cumsum(counts)
    rank_from_end = ends[codes] - 1 - np.arange(codes.size)
    has_bill = counts > 0
    last_pos = ends[has_bill] - 1

    def last(values: np.ndarray) -> np.ndarray:
        out = np.zeros(size, dtype=values.dtype)
        out[has_bill] = values[last_pos]
        return out

    previous = (rank_from_end >= 1) & (rank_from_end <= PREVIOUS_BILLS)
    n_previous = group_count(codes, size, previous)

    def new_charge(values: np.ndarray) -> np.ndarray:
        earlier = group_count(codes, size, previous & (values > 0))
        return (last(values) > 0) & (n_previous > 0) & (earlier == 0)

    amount_due = money("amount_due")
    last_due = last(amount_due)
    previous_mean = group_sum(codes, amount_due, size, previous) / np.maximum(n_previous, 1)
    shock = np.where(n_previous > 0, safe_ratio(last_due, previous_mean, 1.0) - 1.0, 0.0)

    overdue = money("overdue_amount")
    issued = issued_at[rows]
    recent = last_days_mask(issued, as_of, 90)
    adjusted = np.abs(money("adjustment_amount"))
    vas_fee = money("vas_fee")
    roaming_fee = money("roaming_fee")
    return {
        "bill_count": counts.astype(np.int64),
        "bill_last_amount_due": last_due,
        "bill_shock": shock,
        "bill_last_data_overage_fee": last(money("data_overage_fee")),
        "bill_last_voice_overage_fee": last(money("voice_overage_fee")),
        "bill_last_vas_fee": last(vas_fee),
        "bill_last_roaming_fee": last(roaming_fee),
        "bill_new_vas_charge": new_charge(vas_fee),
        "bill_new_roaming_charge": new_charge(roaming_fee),
        "bill_overdue_amount": last(overdue),
        "bill_days_overdue": _days_overdue(codes, overdue > 0, day_number(issued), size, as_of),
        "bill_adjustment_refund_90d": group_sum(codes, adjusted, size, recent),
    }


def _days_overdue(
    codes: np.ndarray,
    overdue: np.ndarray,
    issued_day: np.ndarray,
    size: int,
    as_of: str | pd.Timestamp,
) -> np.ndarray:
    """Days since the first bill of each customer's trailing run of overdue bills was issued.

    Rows are sorted by customer and month; 0 when the last bill is not overdue.
    """
    counts = np.bincount(codes, minlength=size)
    ends = np.cumsum(counts)
    rank_from_end = ends[codes] - 1 - np.arange(codes.size)
    run_length = group_min(codes, rank_from_end, size, fill=counts, mask=~overdue).astype(int)
    in_arrears = run_length > 0
    days = np.zeros(size, dtype=np.int64)
    first_overdue = issued_day[(ends - run_length)[in_arrears]]
    days[in_arrears] = day_number(as_of_timestamp(as_of)) - first_overdue
    return np.maximum(days, 0)


def _event_history(
    events: pd.DataFrame, index: pd.Index, as_of: str | pd.Timestamp
) -> dict[str, np.ndarray]:
    size = len(index)
    ts = stamp_values(events["ts"])
    rows, codes = _visible(events, ts, index, as_of)
    stamps = ts[rows]
    event_type = events["event_type"].to_numpy()[rows]
    amount = float_values(events["amount"], rows, nan=None)
    last_30 = last_days_mask(stamps, as_of, 30)
    last_90 = last_days_mask(stamps, as_of, 90)
    seconds = stamps.astype("datetime64[s]").astype(np.int64).astype(np.float64)
    suspension = event_type == "suspension_arrears"
    resume = event_type == "resume"
    refund = event_type == "refund"
    port_out = event_type == "port_out_request"

    def latest(mask: np.ndarray) -> np.ndarray:
        return group_max(codes, seconds, size, fill=-np.inf, mask=mask)

    tiny = suspension & last_90 & (amount < TINY_ARREARS_YUAN)
    return {
        "bill_suspensions_30d": group_count(codes, size, suspension & last_30),
        "bill_suspensions_90d": group_count(codes, size, suspension & last_90),
        "bill_tiny_arrears_suspension_90d": group_count(codes, size, tiny) > 0,
        "bill_currently_suspended": latest(suspension) > latest(resume),
        "bill_refunds_90d": group_count(codes, size, refund & last_90),
        "bill_port_out_requests_90d": group_count(codes, size, port_out & last_90),
        "refunded_yuan_90d": group_sum(codes, np.abs(amount), size, refund & last_90),
    }
