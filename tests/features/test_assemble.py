"""Assembly: snapshot customers, one customer online equals the batch, text defaults, order."""

from __future__ import annotations

import pandas as pd
import pytest

from features.assemble import (
    FeatureConfig,
    compute_graph_features,
    customer_features,
    resolve_tables,
    snapshot_customers,
)
from features.catalog import all_features
from features.text import TEXT_DEFAULTS
from tests.pipelines.contract_tables import tiny_tables

DATES = ["2025-12-19", "2025-12-20", "2026-02-11", "2026-02-28", "2026-03-31"]


@pytest.fixture(scope="module")
def tables():
    raw = tiny_tables()
    raw["social_accounts"].loc[1, "bound_msisdn"] = "13800000002"
    return resolve_tables(raw)


def test_customers_open_by_the_end_of_the_day(tables):
    assert snapshot_customers(tables.customers, "2025-12-19").tolist() == ["C1", "C2"]
    assert snapshot_customers(tables.customers, "2025-12-20").tolist() == ["C1", "C2", "C3"]
    before = customer_features(tables, "2025-12-19")
    assert before.index.tolist() == ["C1", "C2"]
    assert customer_features(tables.for_customers(pd.Index(["C3"])), "2025-12-19").empty


def _assert_same_rows(online: pd.DataFrame, batch: pd.DataFrame) -> None:
    """Equal values, index and dtypes (a customer without rows of a kind keeps float sums)."""
    pd.testing.assert_frame_equal(online, batch)


@pytest.mark.parametrize("as_of", DATES)
def test_each_customer_alone_gets_its_batch_row(tables, as_of):
    batch = customer_features(tables, as_of)
    graph = compute_graph_features(tables, as_of, FeatureConfig())
    for customer_id in batch.index:
        alone = customer_features(tables.for_customers(pd.Index([customer_id])), as_of, graph=graph)
        _assert_same_rows(alone, batch.loc[[customer_id]])
    some = customer_features(tables.for_customers(pd.Index(["C3", "C1"])), as_of, graph=graph)
    _assert_same_rows(some, batch.loc[some.index])


def test_customers_without_texts_get_the_text_defaults(tables):
    frame = customer_features(tables, "2026-02-28")
    text_columns = list(TEXT_DEFAULTS)
    assert (frame.loc["C1", text_columns] == pd.Series(TEXT_DEFAULTS)).all()
    assert frame.loc["C3", "txt_n_texts_30d"] > 0
    assert (frame[text_columns].dtypes == "float64").all()


def test_one_row_per_customer_with_columns_in_family_order(tables):
    frame = customer_features(tables, "2026-02-28")
    assert frame.index.name == "customer_id"
    assert frame.index.tolist() == ["C1", "C2", "C3"]
    assert frame.columns.tolist() == [spec.name for spec in all_features()]


@pytest.mark.parametrize("as_of", DATES)
def test_precomputed_contact_free_features_give_the_same_rows(tables, as_of):
    """A service computes account, billing and usage once a day for the whole base; a
    customer's features built on those equal the ones computed from scratch."""
    from features.structured import contact_free_features

    day = contact_free_features(
        tables.customers,
        tables.bills,
        tables.usage,
        tables.service_events,
        as_of,
        regions=list(tables.regions),
    )
    graph = compute_graph_features(tables, as_of, FeatureConfig())
    whole = customer_features(tables, as_of, graph=graph)
    pd.testing.assert_frame_equal(
        customer_features(tables, as_of, graph=graph, contact_free=day), whole
    )
    for customer_id in whole.index:
        one = tables.for_customers(pd.Index([customer_id]))
        pd.testing.assert_frame_equal(
            customer_features(one, as_of, graph=graph, contact_free=day.loc[[customer_id]]),
            whole.loc[[customer_id]],
        )


def test_contact_free_features_without_a_customer_are_refused(tables):
    from features.structured import contact_free_features

    day = contact_free_features(
        tables.customers, tables.bills, tables.usage, tables.service_events, DATES[-1]
    )
    with pytest.raises(ValueError, match="lacks 1 of the customers"):
        customer_features(tables, DATES[-1], contact_free=day.iloc[1:])
