"""Account features: tenure and the customer's static attributes.

The contract exports static attributes (plan, fee, VIP level, autopay, region, status) as of the
export, not as of the snapshot, so on past snapshots they may reflect later changes. ``status`` is
therefore not a feature at all: a line closed after the snapshot would leak the future. Tenure is
point-in-time (from ``open_date``, 0 for a line opened after the snapshot).

Categories: ``acct_plan_type`` uses the fixed contract enum (other values become missing).
``acct_region`` uses the sorted regions of the given customers unless ``regions`` pins them; a
trained model must pin the categories it saw, since a category's code depends on the list.
Defaults for missing values: monthly fee 0, VIP level 0, autopay False.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import numpy as np
import pandas as pd

from features import vocabulary
from features.core.inputs import (
    customer_index,
    day_number,
    feature_frame,
    flag_values,
    float_values,
    require_columns,
)
from features.core.timeline import as_of_timestamp
from features.registry import FeatureSpec

CUSTOMER_COLUMNS = [
    "customer_id",
    "open_date",
    "plan_type",
    "monthly_fee",
    "region",
    "vip_level",
    "autopay",
    "status",
]
PLAN_TYPES = list(vocabulary.PLAN_TYPES)
PLAN_DTYPE = pd.CategoricalDtype(PLAN_TYPES)
STATUSES = list(vocabulary.CUSTOMER_STATUSES)

_spec = partial(FeatureSpec, family="structured")

FEATURES: list[FeatureSpec] = [
    _spec(
        "acct_tenure_days",
        description_en="Days since the line was opened",
        description_zh="在网天数",
        dtype="int",
        reason_en="customer for {value} days",
        reason_zh="在网 {value} 天",
    ),
    _spec(
        "acct_plan_type",
        description_en="Plan type",
        description_zh="套餐类型",
        dtype="category",
        reason_en="plan type {value}",
        reason_zh="套餐类型：{value}",
    ),
    _spec(
        "acct_monthly_fee",
        description_en="Monthly plan fee (yuan)",
        description_zh="套餐月费（元）",
        reason_en="monthly fee {value:.0f} yuan",
        reason_zh="套餐月费 {value:.0f} 元",
    ),
    _spec(
        "acct_vip_level",
        description_en="VIP level (0 = none, 3 = top tier)",
        description_zh="VIP 等级（0 为非 VIP，3 为最高）",
        dtype="int",
        reason_en="VIP level {value}",
        reason_zh="VIP 等级 {value}",
    ),
    _spec(
        "acct_autopay",
        description_en="Bills are paid by automatic debit",
        description_zh="已开通自动扣款",
        dtype="bool",
        reason_en="no automatic payment",
        reason_zh="未开通自动扣款",
    ),
    _spec(
        "acct_region",
        description_en="Region of the account",
        description_zh="归属地区",
        dtype="category",
        reason_en="region {value}",
        reason_zh="地区：{value}",
    ),
]


def account_features(
    customers: pd.DataFrame,
    as_of: str | pd.Timestamp,
    *,
    regions: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Tenure and static account attributes for a snapshot at ``as_of``.

    Args:
        customers: Contract ``customers`` table; one output row per row here.
        as_of: Snapshot date.
        regions: Category list for ``acct_region``; the sorted regions present when omitted.

    Returns:
        One row per customer (index ``customer_id``), columns as declared in ``FEATURES``.

    Raises:
        ValueError: A required column is missing, ``open_date`` is not datetime64, or customer
            ids repeat.
    """
    index, columns = account_columns(customers, as_of, regions=regions)
    return feature_frame(columns, index, FEATURES)


def account_columns(
    customers: pd.DataFrame,
    as_of: str | pd.Timestamp,
    *,
    regions: Sequence[str] | None = None,
) -> tuple[pd.Index, dict[str, np.ndarray | pd.Categorical]]:
    """The customer index and the arrays of :func:`account_features` by feature name."""
    customers = require_columns(customers, "customers", CUSTOMER_COLUMNS, ("open_date",))
    index = customer_index(customers["customer_id"])
    tenure = day_number(as_of_timestamp(as_of)) - day_number(customers["open_date"])
    region = customers["region"].astype("string").to_numpy(dtype=object, na_value=None)
    region_categories = sorted(set(region) - {None}) if regions is None else list(regions)
    return index, {
        "acct_tenure_days": np.maximum(tenure, 0).astype(np.int64),
        "acct_plan_type": pd.Categorical(customers["plan_type"].to_numpy(), dtype=PLAN_DTYPE),
        "acct_monthly_fee": float_values(customers["monthly_fee"], slice(None)),
        "acct_vip_level": _int_values(customers["vip_level"]),
        "acct_autopay": flag_values(customers["autopay"], slice(None)).copy(),
        "acct_region": pd.Categorical(region, region_categories),
    }


def _int_values(series: pd.Series) -> np.ndarray:
    """A fresh int64 copy of ``series``, missing values 0."""
    if pd.api.types.is_integer_dtype(series.dtype) and isinstance(series.dtype, np.dtype):
        return series.to_numpy(dtype=np.int64, copy=True)
    return series.fillna(0).to_numpy(dtype=np.int64, copy=True)
