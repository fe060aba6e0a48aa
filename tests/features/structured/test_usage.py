import pandas as pd
import pytest

from features.structured.usage import FEATURES, usage_features

from .tables import USAGE_COLUMNS, drop_after, empty, random_world, scramble_after, usage

AS_OF = "2026-03-31"


def _months(customer: str, first: str, **columns: list[float]) -> list[dict]:
    n = len(next(iter(columns.values())))
    months = pd.date_range(first, periods=n, freq="MS")
    return [
        {"customer_id": customer, "usage_month": month}
        | {name: values[i] for name, values in columns.items()}
        for i, month in enumerate(months)
    ]


def test_columns_match_declared_features():
    result = usage_features(usage(_months("A", "2026-03-01", data_gb=[1.0])), ["A"], AS_OF)
    assert list(result.columns) == [spec.name for spec in FEATURES]


def test_data_change_and_trend_against_own_history():
    rows = _months("A", "2025-12-01", data_gb=[10.0, 10.0, 10.0, 20.0])
    result = usage_features(usage(rows), ["A"], AS_OF).loc["A"]
    assert result["use_data_gb_last"] == 20.0
    assert result["use_data_change_vs_3m"] == pytest.approx(1.0)
    assert result["use_data_trend_3m"] == pytest.approx(5.0)
    assert result["use_has_last_month"]


def test_month_not_yet_ended_is_not_last_month():
    rows = _months("A", "2025-12-01", data_gb=[10.0, 10.0, 12.0, 20.0])
    result = usage_features(usage(rows), ["A"], "2026-03-30").loc["A"]
    assert result["use_data_gb_last"] == 12.0
    assert result["use_data_change_vs_3m"] == pytest.approx(0.2)


def test_call_quality_speed_and_outages():
    rows = _months(
        "A",
        "2025-12-01",
        dropped_call_rate=[0.20, 0.01, 0.05, 0.02],
        avg_download_mbps=[100.0, 100.0, 100.0, 40.0],
        outage_minutes=[500.0, 10.0, 0.0, 30.0],
    )
    result = usage_features(usage(rows), ["A"], AS_OF).loc["A"]
    assert result["use_dropped_call_rate_last"] == pytest.approx(0.02)
    assert result["use_dropped_call_rate_max_3m"] == pytest.approx(0.05)
    assert result["use_download_mbps_last"] == 40.0
    assert result["use_download_drop_vs_3m"] == pytest.approx(0.6)
    assert result["use_outage_minutes_last"] == 30.0
    assert result["use_outage_minutes_3m"] == 40.0


def test_missing_last_month_and_missing_customer_get_defaults():
    rows = _months("A", "2025-12-01", data_gb=[10.0, 10.0, 10.0])
    result = usage_features(usage(rows), ["A", "NEW"], AS_OF)
    assert not result.loc["A", "use_has_last_month"]
    assert result.loc["A", "use_data_gb_last"] == 0.0
    assert result.loc["A", "use_data_change_vs_3m"] == 0.0
    assert result.loc["A", "use_data_trend_3m"] == pytest.approx(0.0)
    new = result.loc["NEW"]
    assert not new["use_has_last_month"]
    assert new[["use_download_drop_vs_3m", "use_outage_minutes_3m"]].eq(0.0).all()
    assert not result.isna().any().any()


def test_zero_baseline_does_not_divide_by_zero():
    rows = _months("A", "2025-12-01", data_gb=[0.0, 0.0, 0.0, 5.0])
    result = usage_features(usage(rows), ["A"], AS_OF).loc["A"]
    assert result["use_data_change_vs_3m"] == 0.0


def test_empty_usage_and_missing_column():
    result = usage_features(empty(USAGE_COLUMNS), ["A"], AS_OF)
    assert result.loc["A", "use_outage_minutes_3m"] == 0.0
    frame = usage(_months("A", "2026-03-01", data_gb=[1.0])).drop(columns="avg_download_mbps")
    with pytest.raises(ValueError, match="usage.*avg_download_mbps"):
        usage_features(frame, ["A"], AS_OF)


@pytest.mark.parametrize("as_of", ["2026-01-31", "2026-02-14"])
def test_rows_after_snapshot_do_not_change_features(as_of):
    world = random_world(seed=4)
    ids = world["customers"]["customer_id"]
    expected = usage_features(world["usage"], ids, as_of)
    assert expected["use_has_last_month"].any()
    for tables in (drop_after(world, as_of), scramble_after(world, as_of, seed=5)):
        pd.testing.assert_frame_equal(usage_features(tables["usage"], ids, as_of), expected)
