"""The treatment hook with an effect that depends on the cause of each contact."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from pipelines.synthetic.config import CauseEffects, TreatmentConfig, WorldConfig
from pipelines.synthetic.treatment import TreatmentPlan, source_shares
from pipelines.synthetic.world import World, generate_world
from tests.pipelines.synthetic.realized import attributed_contacts, realized_labels

BASE = {"customers": 6_000, "months": 4, "seed": 9}
AS_OF = pd.Timestamp("2025-12-31")
START = date(2026, 1, 1)
WINDOW_END = pd.Timestamp("2026-01-31")


def _world(by_cause: CauseEffects | None, effect: float, ids: list[str]) -> World:
    treatment = TreatmentConfig(customer_ids=ids, start=START, effect=effect, by_cause=by_cause)
    return generate_world(WorldConfig(**BASE, treatment=treatment))


@pytest.fixture(scope="module")
def untreated() -> World:
    return generate_world(WorldConfig(**BASE))


@pytest.fixture(scope="module")
def treated_ids(untreated: World) -> list[str]:
    ids = untreated.customers["customer_id"].astype(str)
    return ids.sample(frac=0.5, random_state=3).tolist()


def _window_inbound(world: World, ids: list[str]) -> pd.DataFrame:
    contacts = attributed_contacts(world)
    in_window = (contacts["ts"] >= pd.Timestamp(START)) & (contacts["ts"] < WINDOW_END)
    return contacts.loc[in_window & contacts["who"].astype(str).isin(ids)]


def test_source_shares_follow_the_causes() -> None:
    assert source_shares(None) is None
    shares = source_shares(CauseEffects(suspension=1.0, ticket=0.7, outage=0.0, other=0.1))
    plan = TreatmentPlan(np.ones(2, dtype=bool), np.datetime64("2026-01-01"), 0.5, shares)
    from pipelines.synthetic.contact_batch import OUTAGE_SOURCE, SUSPENSION_SOURCE
    from pipelines.synthetic.contact_drivers import COMPONENTS, TICKET_COMPONENT

    assert plan.source_effect(OUTAGE_SOURCE) == 0.0
    assert plan.source_effect(SUSPENSION_SOURCE) == 0.5
    assert plan.source_effect(TICKET_COMPONENT) == pytest.approx(0.35)
    assert plan.source_effect(COMPONENTS.index("network")) == 0.0
    assert plan.source_effect(COMPONENTS.index("base")) == pytest.approx(0.05)


def test_full_share_for_every_cause_is_the_uniform_treatment(untreated, treated_ids) -> None:
    everything = CauseEffects(**dict.fromkeys(CauseEffects.model_fields, 1.0))
    uniform = _world(None, 0.5, treated_ids)
    by_cause = _world(everything, 0.5, treated_ids)
    for name, frame in uniform.tables().items():
        pd.testing.assert_frame_equal(frame, by_cause.tables()[name], obj=name)
    pd.testing.assert_frame_equal(uniform.oracle, by_cause.oracle, rtol=1e-9)


def test_outreach_removes_suspension_contacts_but_not_outage_contacts(
    untreated, treated_ids
) -> None:
    only_suspension = CauseEffects(
        suspension=1.0, ticket=0.0, billing=0.0, regulator=0.0, other=0.0, outage=0.0
    )
    treated = _world(only_suspension, 1.0, treated_ids)
    before = _window_inbound(untreated, treated_ids)
    after = _window_inbound(treated, treated_ids)
    by_category = [frame.groupby("category").size() for frame in (before, after)]
    assert by_category[0]["suspension"] > 20
    assert by_category[1].get("suspension", 0) < 0.35 * by_category[0]["suspension"]
    for category in ("network", "inquiry", "plan"):
        assert by_category[1][category] == by_category[0][category]
    others = [c for c in untreated.customers["customer_id"].astype(str) if c not in treated_ids]
    columns = ["who", "ts", "channel", "category"]
    pd.testing.assert_frame_equal(
        _window_inbound(untreated, others)[columns].reset_index(drop=True),
        _window_inbound(treated, others)[columns].reset_index(drop=True),
    )


def test_oracle_is_calibrated_for_customers_treated_by_cause(untreated, treated_ids) -> None:
    treated = _world(CauseEffects(), 0.9, treated_ids)
    labels = realized_labels(treated)
    window = labels.loc[labels["as_of"] == AS_OF]
    window = window.loc[window["customer_id"].astype(str).isin(treated_ids)]
    for prob, label in (("p_repeat_contact", "repeat_contact"), ("p_escalation", "escalation")):
        var = (window[prob] * (1 - window[prob])).sum()
        z = (window[label].sum() - window[prob].sum()) / np.sqrt(var)
        assert abs(z) < 4, (prob, z)
    plain = untreated.oracle.loc[untreated.oracle["as_of"] == AS_OF].set_index("customer_id")
    cause = treated.oracle.loc[treated.oracle["as_of"] == AS_OF].set_index("customer_id")
    drop = (plain["p_repeat_contact"] - cause["p_repeat_contact"]).loc[treated_ids]
    assert (drop >= -1e-12).all() and drop.mean() > 0.005
    assert drop.std() > 0.2 * drop.mean()
    uniform = _world(None, 0.9, treated_ids).oracle
    uniform = uniform.loc[uniform["as_of"] == AS_OF].set_index("customer_id")
    uniform_drop = (plain["p_repeat_contact"] - uniform["p_repeat_contact"]).loc[treated_ids]
    assert drop.mean() < uniform_drop.mean()


def test_no_treatment_world_has_no_cause_table_and_none_plan() -> None:
    plan = TreatmentPlan.none(3)
    assert plan.by_source is None
    assert plan.contact_effect(np.array([0, 1])) == 0.0
