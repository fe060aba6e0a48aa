"""Contact-history features: how often, where and how well the customer was served before.

Point in time: a contact is seen once its ``ts`` is before the snapshot end; windows of N days end
with day ``as_of``. Contacts without a resolved ``customer_id`` are ignored; contacts without a
``ticket_id`` count as contacts but belong to no ticket. Tickets are per customer and ticket id;
contacts of one ticket are ordered by ``ts`` (an unresolved contact before a resolved one at the
same instant).

- Open ticket: the ticket's latest visible contact is unresolved.
- Re-opened ticket (90 days): an inbound contact in the window comes after an earlier contact of
  the same ticket that was marked resolved.
- Repeat ticket (90 days): a ticket with at least two inbound contacts in the window.

Defaults for a customer without contacts: counts 0, ``ct_days_since_last_inbound`` 999 (also the
cap for older contacts), ``ct_csat_mean_90d`` 3.0 (the neutral middle of 1..5) with
``ct_has_csat_90d`` False. Contacts with a missing CSAT are left out of the mean.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

import numpy as np
import pandas as pd

from features import vocabulary
from features.core.grouped import group_count, group_max, group_sum
from features.core.inputs import (
    category_codes,
    customer_codes,
    customer_index,
    day_number,
    equal_mask,
    feature_frame,
    flag_values,
    float_values,
    require_columns,
    stamp_values,
    take,
)
from features.core.point_in_time import as_of_day, known_mask, last_days_mask
from features.registry import FeatureSpec

CONTACT_COLUMNS = [
    "customer_id",
    "ts",
    "channel",
    "direction",
    "ticket_id",
    "resolved",
    "transfers",
    "csat",
    "escalated_flag",
]
CHANNELS = list(vocabulary.CHANNELS)
CHANNEL_ZH = {
    "hotline": "热线",
    "wechat": "微信",
    "weibo": "微博",
    "app": "手机App",
    "web_chat": "网页在线客服",
    "store": "营业厅",
    "email": "邮件",
    "regulator": "工信部/监管申诉",
}
CHANNEL_DTYPE = pd.CategoricalDtype(CHANNELS)
NEVER_DAYS = 999
NEUTRAL_CSAT = 3.0

_spec = partial(FeatureSpec, family="structured")


def _window_counts(days: int) -> FeatureSpec:
    return _spec(
        f"ct_inbound_{days}d",
        description_en=f"Inbound contacts in the last {days} days, all channels",
        description_zh=f"近{days}天客户来电/来访总次数（全渠道）",
        dtype="int",
        reason_en=f"contacted us {{value}} times in {days} days",
        reason_zh=f"近{days}天联系客服 {{value}} 次",
    )


def _channel_count(channel: str) -> FeatureSpec:
    zh = CHANNEL_ZH[channel]
    return _spec(
        f"ct_inbound_30d_{channel}",
        description_en=f"Inbound contacts through {channel} in the last 30 days",
        description_zh=f"近30天通过{zh}联系次数",
        dtype="int",
        reason_en=f"{{value}} contacts through {channel} in 30 days",
        reason_zh=f"近30天通过{zh}联系 {{value}} 次",
    )


FEATURES: list[FeatureSpec] = [
    *(_window_counts(days) for days in (7, 30, 90)),
    *(_channel_count(channel) for channel in CHANNELS),
    _spec(
        "ct_distinct_channels_30d",
        description_en="Distinct channels used for inbound contacts in the last 30 days",
        description_zh="近30天使用的不同联系渠道数",
        dtype="int",
        reason_en="contacted us on {value} different channels in 30 days",
        reason_zh="近30天在 {value} 个渠道反映问题",
    ),
    _spec(
        "ct_days_since_last_inbound",
        description_en=f"Days since the last inbound contact ({NEVER_DAYS} if never or older)",
        description_zh=f"距上次客户主动联系的天数（从未联系或更早记为{NEVER_DAYS}）",
        dtype="int",
        reason_en="last contacted us {value} days ago",
        reason_zh="{value} 天前联系过客服",
    ),
    _spec(
        "ct_open_tickets",
        description_en="Tickets whose latest contact is unresolved",
        description_zh="未解决的工单数（最近一次接触未解决）",
        dtype="int",
        reason_en="{value} unresolved tickets",
        reason_zh="有 {value} 张工单未解决",
    ),
    _spec(
        "ct_reopened_tickets_90d",
        description_en="Tickets contacted again in the last 90 days after being marked resolved",
        description_zh="近90天重开的工单数（已解决后客户再次来电）",
        dtype="int",
        reason_en="{value} tickets re-opened in 90 days",
        reason_zh="近90天 {value} 张工单解决后又重开",
    ),
    _spec(
        "ct_repeat_tickets_90d",
        description_en="Tickets with at least two inbound contacts in the last 90 days",
        description_zh="近90天重复来电的工单数（同一工单来电不少于2次）",
        dtype="int",
        reason_en="{value} problems needed repeat contacts in 90 days",
        reason_zh="近90天 {value} 个问题重复来电",
    ),
    _spec(
        "ct_transfers_30d",
        description_en="Transfers between agents on inbound contacts in the last 30 days",
        description_zh="近30天来电转接总次数",
        dtype="int",
        reason_en="transferred {value} times in 30 days",
        reason_zh="近30天被转接 {value} 次",
    ),
    _spec(
        "ct_csat_mean_90d",
        description_en=f"Mean satisfaction (1-5) over the last 90 days ({NEUTRAL_CSAT} if none)",
        description_zh=f"近90天平均满意度（1-5分，无评分记为{NEUTRAL_CSAT}）",
        reason_en="mean satisfaction {value:.1f} of 5",
        reason_zh="近90天平均满意度 {value:.1f} 分",
    ),
    _spec(
        "ct_has_csat_90d",
        description_en="At least one satisfaction score in the last 90 days",
        description_zh="近90天有满意度评价",
        dtype="bool",
        reason_en="no satisfaction score in 90 days",
        reason_zh="近90天无满意度评价",
    ),
    _spec(
        "ct_escalations_90d",
        description_en="Escalated or regulator-channel contacts in the last 90 days",
        description_zh="近90天升级投诉次数（坐席标记升级或工信部申诉）",
        dtype="int",
        reason_en="{value} escalations in 90 days",
        reason_zh="近90天升级投诉 {value} 次",
    ),
    _spec(
        "ct_outbound_30d",
        description_en="Outbound contacts the operator made in the last 30 days",
        description_zh="近30天已主动外呼次数",
        dtype="int",
        reason_en="we already contacted the customer {value} times in 30 days",
        reason_zh="近30天已主动联系 {value} 次",
    ),
]


def contact_history_features(
    contacts: pd.DataFrame, customer_ids: Iterable[str], as_of: str | pd.Timestamp
) -> pd.DataFrame:
    """Contact-history features for a snapshot at ``as_of``.

    Args:
        contacts: Contract ``contacts`` table with ``customer_id`` already resolved (null rows
            are ignored); any subset of customers with all of their rows.
        customer_ids: Customers to return, one row each.
        as_of: Snapshot date; contacts after the end of that day are ignored.

    Returns:
        One row per customer (index ``customer_id``), columns as declared in ``FEATURES``.

    Raises:
        ValueError: A required column is missing or ``ts`` is not datetime64.
    """
    index = customer_index(customer_ids)
    return feature_frame(contact_history_columns(contacts, index, as_of), index, FEATURES)


def contact_history_columns(
    contacts: pd.DataFrame, index: pd.Index, as_of: str | pd.Timestamp
) -> dict[str, np.ndarray]:
    """The arrays of :func:`contact_history_features` for the customers of ``index``, by name."""
    contacts = require_columns(contacts, "contacts", CONTACT_COLUMNS, ("ts",))
    size = len(index)
    rows = _visible_rows(contacts, index, as_of)
    code = rows["code"]
    inbound = rows["inbound"]
    last_7, last_30, last_90 = (last_days_mask(rows["ts"], as_of, days) for days in (7, 30, 90))

    channel = rows["channel"]
    by_channel = last_30 & inbound & (channel >= 0)
    per_channel = np.bincount(
        code[by_channel] * len(CHANNELS) + channel[by_channel], minlength=size * len(CHANNELS)
    ).reshape(size, len(CHANNELS))

    last_inbound_day = group_max(code, rows["day"], size, fill=-np.inf, mask=inbound)
    days_since = np.clip(as_of_day(as_of) - last_inbound_day, 0, NEVER_DAYS)

    csat = rows["csat"]
    rated = last_90 & ~np.isnan(csat)
    n_rated = group_count(code, size, rated)
    csat_mean = np.where(
        n_rated > 0, group_sum(code, csat, size, rated) / np.maximum(n_rated, 1), NEUTRAL_CSAT
    )
    escalated = rows["escalated"] | (channel == CHANNELS.index("regulator"))

    return {
        "ct_inbound_7d": group_count(code, size, last_7 & inbound),
        "ct_inbound_30d": group_count(code, size, last_30 & inbound),
        "ct_inbound_90d": group_count(code, size, last_90 & inbound),
        **{f"ct_inbound_30d_{name}": per_channel[:, i].copy() for i, name in enumerate(CHANNELS)},
        "ct_distinct_channels_30d": (per_channel > 0).sum(axis=1).astype(np.int64),
        "ct_days_since_last_inbound": days_since.astype(np.int64),
        **_ticket_features(rows, last_90, size),
        "ct_transfers_30d": group_sum(code, rows["transfers"], size, last_30 & inbound)
        .round()
        .astype(np.int64),
        "ct_csat_mean_90d": csat_mean,
        "ct_has_csat_90d": n_rated > 0,
        "ct_escalations_90d": group_count(code, size, last_90 & escalated),
        "ct_outbound_30d": group_count(code, size, last_30 & ~inbound),
    }


def _visible_rows(
    contacts: pd.DataFrame, index: pd.Index, as_of: str | pd.Timestamp
) -> dict[str, np.ndarray]:
    """Identified, visible contacts as numeric arrays by field (one entry per contact)."""
    ts = stamp_values(contacts["ts"])
    visible = np.flatnonzero(known_mask(ts, as_of))
    if not visible.size:
        return _no_rows(ts[visible])
    codes = customer_codes(contacts["customer_id"], index, visible)
    rows = visible[codes >= 0]
    if not rows.size:
        return _no_rows(ts[rows])
    return {
        "code": codes[codes >= 0],
        "ts": ts[rows],
        "day": day_number(ts[rows]).astype(np.float64),
        "channel": category_codes(contacts["channel"], rows, CHANNEL_DTYPE.categories),
        "inbound": equal_mask(contacts["direction"], rows, "inbound"),
        "ticket": pd.factorize(take(contacts["ticket_id"], rows))[0].astype(np.int64),
        "resolved": flag_values(contacts["resolved"], rows),
        "transfers": float_values(contacts["transfers"], rows),
        "csat": float_values(contacts["csat"], rows, nan=None),
        "escalated": flag_values(contacts["escalated_flag"], rows),
    }


def _no_rows(ts: np.ndarray) -> dict[str, np.ndarray]:
    """:func:`_visible_rows` without any contact (the other columns need not be read)."""
    return {
        "code": np.zeros(0, dtype=np.intp),
        "ts": ts,
        "day": np.zeros(0),
        "channel": np.zeros(0, dtype=np.int64),
        "inbound": np.zeros(0, dtype=bool),
        "ticket": np.zeros(0, dtype=np.int64),
        "resolved": np.zeros(0, dtype=bool),
        "transfers": np.zeros(0),
        "csat": np.zeros(0),
        "escalated": np.zeros(0, dtype=bool),
    }


def _ticket_features(
    rows: dict[str, np.ndarray], last_90: np.ndarray, size: int
) -> dict[str, np.ndarray]:
    """Open, re-opened and repeat tickets per customer."""
    ticket = rows["ticket"]
    on_ticket = ticket >= 0
    tickets = int(ticket.max()) + 1 if on_ticket.any() else 1
    code = rows["code"][on_ticket]
    key = code * tickets + ticket[on_ticket]
    resolved = rows["resolved"][on_ticket]
    order = np.lexsort((resolved, rows["ts"][on_ticket], key))
    key, code, resolved = key[order], code[order], resolved[order]
    counted = (rows["inbound"] & last_90)[on_ticket][order]

    boundary = key[1:] != key[:-1]
    is_first = np.concatenate(([True], boundary))[: key.size]
    is_last = np.concatenate((boundary, [True]))[: key.size]
    resolved_through = np.cumsum(resolved)
    first_pos = np.maximum.accumulate(np.where(is_first, np.arange(key.size), 0))
    resolved_before = resolved_through - resolved - (resolved_through - resolved)[first_pos]

    # ``key`` is sorted (the last lexsort key), so are its selections.
    reopened_keys, _ = _distinct(key[counted & (resolved_before > 0)])
    repeat_keys, repeat_counts = _distinct(key[counted])
    return {
        "ct_open_tickets": group_count(code, size, is_last & ~resolved),
        "ct_reopened_tickets_90d": np.bincount(reopened_keys // tickets, minlength=size),
        "ct_repeat_tickets_90d": np.bincount(
            repeat_keys[repeat_counts >= 2] // tickets, minlength=size
        ),
    }


def _distinct(ordered: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(ordered, return_counts=True)`` of an already sorted array."""
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1]))[: ordered.size])
    return ordered[starts], np.diff(np.append(starts, ordered.size))
