import pandas as pd
import pytest

from features.structured.account import FEATURES, PLAN_TYPES, account_features

from .tables import customers


def test_tenure_and_attributes():
    frame = customers(
        ["A", "B"],
        open_date=["2026-03-01 15:00", "2026-05-01 00:00"],
        plan_type=["postpaid_5g", "family"],
        monthly_fee=[128.0, 199.0],
        vip_level=[2, 0],
        autopay=[True, False],
        status=["active", "suspended"],
    )
    result = account_features(frame, "2026-03-31")
    assert list(result.columns) == [spec.name for spec in FEATURES]
    assert result["acct_tenure_days"].to_dict() == {"A": 30, "B": 0}
    assert result.loc["A", "acct_plan_type"] == "postpaid_5g"
    assert result.loc["A", "acct_vip_level"] == 2
    assert result.loc["A", "acct_autopay"]
    assert "acct_status" not in result.columns, "status at export would leak the future"
    assert result.loc["B", "acct_monthly_fee"] == 199.0


def test_plan_categories_are_fixed_and_region_can_be_pinned():
    frame = customers(["A", "B"], region=["wenzhou", "hangzhou"])
    result = account_features(frame, "2026-03-31")
    assert list(result["acct_plan_type"].cat.categories) == PLAN_TYPES
    assert list(result["acct_region"].cat.categories) == ["hangzhou", "wenzhou"]
    pinned = account_features(
        frame.iloc[:1], "2026-03-31", regions=["hangzhou", "ningbo", "wenzhou"]
    )
    assert list(pinned["acct_region"].cat.categories) == ["hangzhou", "ningbo", "wenzhou"]
    assert pinned["acct_region"].cat.codes.tolist() == [2]


def test_unknown_enum_value_becomes_missing_category():
    frame = customers(["A"], plan_type=["legacy_plan"])
    assert pd.isna(account_features(frame, "2026-03-31").loc["A", "acct_plan_type"])


def test_missing_column_and_duplicate_ids_are_errors():
    with pytest.raises(ValueError, match="customers.*vip_level"):
        account_features(customers(["A"]).drop(columns="vip_level"), "2026-03-31")
    with pytest.raises(ValueError, match="customer_id"):
        account_features(customers(["A", "A"]), "2026-03-31")
