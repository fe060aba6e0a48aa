import numpy as np
import pandas as pd
import pytest

from features.structured.billing import FEATURES, billing_features

from .tables import EVENT_COLUMNS, bills, drop_after, empty, events, random_world, scramble_after

AS_OF = "2026-04-10"


def _monthly(customer: str, amounts: list[float], **columns: list[float]) -> list[dict]:
    months = pd.date_range(end="2026-03-01", periods=len(amounts), freq="MS")
    rows = [
        {"customer_id": customer, "bill_month": month, "amount_due": amount}
        for month, amount in zip(months, amounts, strict=True)
    ]
    for name, values in columns.items():
        for row, value in zip(rows, values, strict=True):
            row[name] = value
    return rows


def _features(bill_rows, event_rows=(), ids=("A",), as_of=AS_OF) -> pd.DataFrame:
    event_frame = events(list(event_rows)) if event_rows else empty(EVENT_COLUMNS)
    return billing_features(bills(bill_rows), event_frame, list(ids), as_of)


def test_columns_match_declared_features():
    result = _features(_monthly("A", [10.0]))
    assert list(result.columns) == [spec.name for spec in FEATURES]
    assert result.index.name == "customer_id"


def test_bill_shock_is_relative_increase_over_previous_three_bills():
    rows = (
        _monthly("A", [100.0, 100.0, 100.0, 185.0])
        + _monthly("B", [1000.0, 100.0, 100.0, 100.0, 200.0])
        + _monthly("C", [80.0])
        + _monthly("D", [0.0, 0.0, 50.0])
    )
    result = _features(rows, ids=["A", "B", "C", "D"])
    assert result["bill_shock"].to_dict() == pytest.approx(
        {"A": 0.85, "B": 1.0, "C": 0.0, "D": 0.0}
    )
    assert result.loc["A", "bill_last_amount_due"] == 185.0
    assert result["bill_count"].to_dict() == {"A": 4, "B": 5, "C": 1, "D": 3}


def test_last_bill_fees_and_new_charges():
    rows = (
        _monthly("A", [50, 50, 50, 60], vas_fee=[0, 0, 0, 10], roaming_fee=[0, 0, 0, 8])
        + _monthly("B", [50], vas_fee=[10], roaming_fee=[3])
        + _monthly("C", [50, 50], data_overage_fee=[0, 12.5], voice_overage_fee=[0, 3.0])
    )
    result = _features(rows, ids=["A", "B", "C"])
    assert result["bill_new_vas_charge"].to_dict() == {"A": True, "B": False, "C": False}
    assert result.loc["A", "bill_new_roaming_charge"]
    assert result.loc["A", "bill_last_vas_fee"] == 10.0
    assert result.loc["C", "bill_last_data_overage_fee"] == 12.5
    assert result.loc["C", "bill_last_voice_overage_fee"] == 3.0


def test_roaming_counts_as_new_only_when_previous_three_bills_had_none():
    rows = _monthly("A", [50] * 5, roaming_fee=[9, 0, 0, 0, 4]) + _monthly(
        "B", [50] * 4, roaming_fee=[0, 2, 0, 4]
    )
    result = _features(rows, ids=["A", "B"])
    assert result["bill_new_roaming_charge"].to_dict() == {"A": True, "B": False}


def test_days_overdue_counts_from_first_bill_of_unbroken_overdue_run():
    rows = (
        _monthly("A", [50, 50, 50], overdue_amount=[0, 5, 8])
        + _monthly("B", [50, 50, 50], overdue_amount=[5, 0, 8])
        + _monthly("C", [50, 50, 50], overdue_amount=[5, 8, 0])
        + _monthly("D", [50, 50], overdue_amount=[5, 8])
    )
    result = _features(rows, ids=["A", "B", "C", "D"])
    # bills are issued on 2026-01-31, 02-28 and 03-31; the snapshot is 2026-04-10
    assert result["bill_days_overdue"].to_dict() == {"A": 41, "B": 10, "C": 0, "D": 41}
    assert result["bill_overdue_amount"].to_dict() == {"A": 8.0, "B": 8.0, "C": 0.0, "D": 8.0}


def test_bill_issued_after_snapshot_is_not_the_last_bill():
    rows = _monthly("A", [50, 50, 500], overdue_amount=[0, 0, 9])
    result = _features(rows, as_of="2026-03-30")
    assert result.loc["A", "bill_last_amount_due"] == 50.0
    assert result.loc["A", "bill_overdue_amount"] == 0.0
    assert result.loc["A", "bill_count"] == 2


def test_suspensions_tiny_arrears_and_current_suspension():
    event_rows = [
        {
            "customer_id": "A",
            "ts": "2026-04-01 09:00",
            "event_type": "suspension_arrears",
            "amount": 0.1,
        },
        {
            "customer_id": "B",
            "ts": "2026-03-01 09:00",
            "event_type": "suspension_arrears",
            "amount": 0.5,
        },
        {"customer_id": "B", "ts": "2026-03-02 09:00", "event_type": "resume"},
        {
            "customer_id": "C",
            "ts": "2025-12-01 09:00",
            "event_type": "suspension_arrears",
            "amount": 0.1,
        },
        {
            "customer_id": "C",
            "ts": "2026-04-09 09:00",
            "event_type": "suspension_arrears",
            "amount": 50.0,
        },
        {"customer_id": "D", "ts": "2026-04-09 09:00", "event_type": "suspension_arrears"},
        {"customer_id": "D", "ts": "2026-04-11 09:00", "event_type": "resume"},
    ]
    result = _features([], event_rows, ids=["A", "B", "C", "D"])
    assert result["bill_suspensions_30d"].to_dict() == {"A": 1, "B": 0, "C": 1, "D": 1}
    assert result["bill_suspensions_90d"].to_dict() == {"A": 1, "B": 1, "C": 1, "D": 1}
    assert result["bill_tiny_arrears_suspension_90d"].to_dict() == {
        "A": True,
        "B": True,
        "C": False,
        "D": False,
    }
    assert result["bill_currently_suspended"].to_dict() == {
        "A": True,
        "B": False,
        "C": True,
        "D": True,
    }


def test_adjustments_refunds_and_port_out_in_90_days():
    rows = _monthly("A", [50, 50, 50], adjustment_amount=[-30, 0, -20])
    event_rows = [
        {"customer_id": "A", "ts": "2026-03-20", "event_type": "refund", "amount": 15.0},
        {"customer_id": "A", "ts": "2025-10-01", "event_type": "refund", "amount": 99.0},
        {"customer_id": "A", "ts": "2026-04-02", "event_type": "port_out_request"},
        {"customer_id": "A", "ts": "2026-04-12", "event_type": "port_out_request"},
    ]
    result = _features(rows, event_rows)
    assert result.loc["A", "bill_adjustment_refund_90d"] == pytest.approx(65.0)
    assert result.loc["A", "bill_refunds_90d"] == 1
    assert result.loc["A", "bill_port_out_requests_90d"] == 1


def test_customer_without_rows_gets_documented_defaults():
    result = _features(_monthly("A", [50.0]), ids=["A", "NEW"])
    row = result.loc["NEW"]
    assert row["bill_count"] == 0
    assert row["bill_shock"] == 0.0
    assert row["bill_days_overdue"] == 0
    assert not row["bill_currently_suspended"]
    assert not result.isna().any().any()


def test_empty_tables_give_defaults():
    result = billing_features(empty(list(bills([]).columns)), empty(EVENT_COLUMNS), ["A"], AS_OF)
    assert result.loc["A", "bill_count"] == 0
    assert result.loc["A", "bill_suspensions_90d"] == 0


def test_missing_column_names_table_and_column():
    frame = bills(_monthly("A", [50.0])).drop(columns="overdue_amount")
    with pytest.raises(ValueError, match="bills.*overdue_amount"):
        billing_features(frame, empty(EVENT_COLUMNS), ["A"], AS_OF)
    with pytest.raises(ValueError, match="service_events.*amount"):
        billing_features(bills([]), empty(["customer_id", "ts", "event_type"]), ["A"], AS_OF)


@pytest.mark.parametrize("as_of", ["2026-01-31", "2026-02-14"])
def test_rows_after_snapshot_do_not_change_features(as_of):
    world = random_world(seed=3)
    ids = world["customers"]["customer_id"]

    def compute(tables):
        return billing_features(tables["bills"], tables["service_events"], ids, as_of)

    expected = compute(world)
    assert expected["bill_suspensions_90d"].sum() > 0
    assert expected["bill_days_overdue"].gt(0).any()
    pd.testing.assert_frame_equal(compute(drop_after(world, as_of)), expected)
    pd.testing.assert_frame_equal(compute(scramble_after(world, as_of, seed=9)), expected)
    assert np.isfinite(expected.select_dtypes("number").to_numpy()).all()
