"""The causal mechanisms of the simulation, and the treatment hook."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from pipelines.synthetic.config import ContactParams, TreatmentConfig, WorldConfig
from pipelines.synthetic.world import World, generate_world
from tests.pipelines.synthetic.realized import attributed_contacts, realized_labels

MONTH = pd.offsets.MonthBegin(1)
ESCALATION_WORDS = ("工信部", "通管局", "通信管理局", "消协", "消费者协会", "12315", "12300",
                    "媒体", "记者", "律师", "起诉", "曝光", "投诉")  # fmt: skip


def _monthly_contacts(world: World) -> pd.DataFrame:
    """Attributed inbound contacts per customer and month (``who``, ``month``, ``n``)."""
    contacts = attributed_contacts(world)
    month = contacts["ts"].dt.to_period("M").dt.to_timestamp()
    return contacts.assign(month=month).groupby(["who", "month"]).size().rename("n").reset_index()


def _next_month_contacts(frame: pd.DataFrame, counts: pd.DataFrame) -> pd.Series:
    """For rows (``who``, ``month``), the contacts in the following month."""
    following = counts.assign(month=counts["month"] - MONTH)
    merged = frame[["who", "month"]].merge(following, on=["who", "month"], how="left")
    return merged["n"].fillna(0).to_numpy()


def test_tiny_arrears_suspension_brings_contacts_next_month(world: World):
    events = world.service_events
    suspensions = events.loc[events["event_type"] == "suspension_arrears"]
    suspensions = suspensions.assign(month=suspensions["ts"].dt.to_period("M").dt.to_timestamp())
    tiny = suspensions.loc[suspensions["amount"] < 1.0, ["customer_id", "month"]]
    assert len(tiny) > 50
    assert (tiny.merge(world.customers, on="customer_id")["plan_type"]
            .isin(["prepaid", "broadband_bundle"]).all())  # fmt: skip
    latent = world.latent["customer_latent"]
    annual = latent.loc[latent["annual_prepaid"], "customer_id"]
    months = pd.Series(sorted(world.bills["bill_month"].unique())[:-1], name="month")
    comparable = pd.DataFrame({"who": annual.to_numpy()}).merge(months, how="cross")
    suspended = suspensions[["customer_id", "month"]].rename(columns={"customer_id": "who"})
    comparable = comparable.merge(suspended.assign(s=1), on=["who", "month"], how="left")
    comparable = comparable.loc[comparable["s"].isna()]
    counts = _monthly_contacts(world)
    tiny_next = _next_month_contacts(tiny.rename(columns={"customer_id": "who"}), counts)
    comparable_next = _next_month_contacts(comparable, counts)
    assert tiny_next.mean() > 3 * comparable_next.mean()


def _neighbour_exposure_ratio(world: World) -> float:
    """Next-month contacts of customers with a complaining neighbour over those without,
    among customers who did not contact themselves that month."""
    contacts = attributed_contacts(world)
    contacts = contacts.assign(month=contacts["ts"].dt.to_period("M").dt.to_timestamp())
    complained = contacts.loc[contacts["category"] != "inquiry", ["who", "month"]]
    edges = world.edges.loc[world.edges["kind"].isin(["call", "sms", "family_plan"])]
    pairs = pd.concat(
        [
            edges[["src", "dst", "month"]],
            edges[["dst", "src", "month"]].set_axis(["src", "dst", "month"], axis=1),
        ]
    )
    exposed = pairs.merge(
        complained.drop_duplicates().rename(columns={"who": "dst"}), on=["dst", "month"]
    )
    exposed = exposed[["src", "month"]].drop_duplicates().rename(columns={"src": "who"})
    base = world.usage[["customer_id", "usage_month"]].set_axis(["who", "month"], axis=1)
    counts = _monthly_contacts(world)
    base = base.merge(counts, on=["who", "month"], how="left")
    quiet = base.loc[base["n"].isna(), ["who", "month"]]
    quiet = quiet.merge(exposed.assign(exposed=True), on=["who", "month"], how="left")
    is_exposed = quiet["exposed"].notna().to_numpy()
    following = _next_month_contacts(quiet, counts)
    return following[is_exposed].mean() / following[~is_exposed].mean()


def test_neighbours_who_complained_raise_contacts(world: World):
    without = generate_world(
        WorldConfig(
            customers=12_000,
            months=12,
            seed=11,
            contacts=ContactParams(contagion_rate=0.0, follow_viral_rate=0.0),
        )
    )
    with_contagion = _neighbour_exposure_ratio(world)
    assert with_contagion > 1.15
    assert with_contagion > _neighbour_exposure_ratio(without) + 0.1


def test_unresolved_tickets_bring_repeat_contacts_and_reopen(world: World):
    contacts = world.contacts.dropna(subset=["customer_id", "ticket_id"]).sort_values("ts")
    contacts = contacts.assign(month=contacts["ts"].dt.to_period("M").dt.to_timestamp())
    last = contacts.groupby(["ticket_id", "month"])["resolved"].last().reset_index()
    again = last.assign(month=last["month"] - MONTH)[["ticket_id", "month"]].assign(again=1)
    last = last.merge(again, on=["ticket_id", "month"], how="left")
    follow_up = last["again"].notna().groupby(last["resolved"]).mean()
    assert follow_up[False] > 0.5
    assert follow_up[False] > 3 * follow_up[True]
    reopened = contacts.groupby("ticket_id")["resolved"].shift(1).eq(True)
    assert reopened.sum() > 100


def test_text_escalation_intent_predicts_escalation(world: World, realized: pd.DataFrame):
    latent = world.latent["contact_latent"]
    contacts = world.contacts[["contact_id", "customer_id", "ts", "direction"]]
    contacts = contacts.merge(latent, on="contact_id")
    contacts = contacts.loc[(contacts["direction"] == "inbound") & contacts["customer_id"].notna()]
    contacts = contacts.assign(month=contacts["ts"].dt.to_period("M").dt.to_timestamp())
    size = contacts.groupby(["customer_id", "month"])["contact_id"].transform("size")
    single = contacts.loc[size == 1]
    outcome = realized.assign(month=realized["as_of"] - MONTH)
    single = single.merge(outcome, on=["customer_id", "month"])
    rate = single.groupby(single["escalation_intent"].clip(upper=2))["escalation"].agg(
        ["mean", "size"]
    )
    threat, plain, mention = rate.loc[1], rate.loc[0], rate.loc[2]
    assert threat["size"] > 100 and mention["size"] > 300
    assert threat["mean"] > 2 * plain["mean"]
    se = np.sqrt(plain["mean"] * (1 - plain["mean"]) / mention["size"])
    assert abs(mention["mean"] - plain["mean"]) < 4 * se
    texts = world.contacts[["contact_id", "text"]].dropna().merge(latent, on="contact_id")
    mentions = texts["text"].astype(str).str.contains("|".join(ESCALATION_WORDS))
    share = mentions.groupby(texts["escalation_intent"]).mean()
    assert share[1] > 0.5 and share[1] > 3 * share[0]


def _treatment_worlds(effect: float):
    base = {"customers": 3_000, "months": 6, "seed": 5}
    untreated = generate_world(WorldConfig(**base))
    ids = untreated.customers["customer_id"].astype(str)
    treated_ids = ids.sample(frac=0.5, random_state=1).tolist()
    treatment = TreatmentConfig(customer_ids=treated_ids, start=date(2026, 1, 12), effect=effect)
    return untreated, generate_world(WorldConfig(**base, treatment=treatment)), treated_ids


@pytest.fixture(scope="module")
def treatment_pair():
    return _treatment_worlds(0.6)


def test_treatment_changes_nothing_before_its_start(treatment_pair):
    untreated, treated, _ = treatment_pair
    start = pd.Timestamp("2026-01-12")
    for table in ("contacts", "service_events", "social_posts"):
        before = [getattr(w, table) for w in (untreated, treated)]
        before = [frame.loc[frame["ts"] < start].reset_index(drop=True) for frame in before]
        assert len(before[0]) > 0
        pd.testing.assert_frame_equal(before[0], before[1], obj=table)
    for table, column in (("bills", "bill_month"), ("usage", "usage_month"), ("edges", "month")):
        before = [getattr(w, table) for w in (untreated, treated)]
        before = [frame.loc[frame[column] < pd.Timestamp("2026-01-01")] for frame in before]
        pd.testing.assert_frame_equal(before[0], before[1], obj=table)
    oracle = [
        w.oracle.loc[w.oracle["as_of"] < pd.Timestamp("2025-12-13")] for w in treatment_pair[:2]
    ]
    pd.testing.assert_frame_equal(oracle[0], oracle[1])
    assert not untreated.contacts.equals(treated.contacts)


def test_treatment_lowers_inbound_contacts_of_treated_customers(treatment_pair):
    untreated, treated, treated_ids = treatment_pair
    start = pd.Timestamp("2026-01-12")

    def inbound_after(world: World) -> pd.Series:
        contacts = world.contacts
        mask = (contacts["direction"] == "inbound") & (contacts["ts"] >= start)
        after = contacts.loc[mask & contacts["customer_id"].notna(), "customer_id"].astype(str)
        return after.isin(treated_ids).value_counts()

    before, after = inbound_after(untreated), inbound_after(treated)
    assert after[True] < 0.6 * before[True]
    assert after[False] > 0.8 * before[False]
    oracle = [
        w.oracle.loc[w.oracle["as_of"] >= pd.Timestamp("2026-01-31")] for w in treatment_pair[:2]
    ]
    in_group = oracle[0]["customer_id"].astype(str).isin(treated_ids).to_numpy()
    lower = oracle[1]["p_repeat_contact"].to_numpy() < oracle[0]["p_repeat_contact"].to_numpy()
    assert lower[in_group].mean() > 0.5


def test_treated_oracle_is_calibrated_across_the_start():
    untreated, treated, treated_ids = _treatment_worlds(0.6)
    del untreated
    labels = realized_labels(treated)
    window = labels.loc[labels["as_of"] == pd.Timestamp("2025-12-31")]
    window = window.loc[window["customer_id"].astype(str).isin(treated_ids)]
    for prob, label in (("p_repeat_contact", "repeat_contact"), ("p_escalation", "escalation")):
        var = (window[prob] * (1 - window[prob])).sum()
        z = (window[label].sum() - window[prob].sum()) / np.sqrt(var)
        assert abs(z) < 4, (prob, z)


def test_zero_effect_changes_nothing():
    untreated, treated, _ = _treatment_worlds(0.0)
    for name, frame in untreated.tables().items():
        pd.testing.assert_frame_equal(frame, treated.tables()[name], obj=name)
    pd.testing.assert_frame_equal(untreated.oracle, treated.oracle)
