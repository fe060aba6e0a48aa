"""The real-time path: early-warning rule, event rows, and features recomputed without skew."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from features.identity import resolve_contacts
from serving.api.events import (
    EarlyWarningConfig,
    EventError,
    check_event_time,
    contact_row,
    contact_values,
    early_warning,
    operator_time,
    process_event,
    rescore_customer,
    text_signals,
)
from serving.api.live import score_frame
from serving.api.live_contacts import IN_MEMORY, LiveContactStore
from serving.api.schemas import ContactEvent

CONFIG = EarlyWarningConfig()


def contact(**values) -> ContactEvent:
    return ContactEvent.model_validate(
        {"customer_id": "C1", "channel": "hotline", "ts": "2026-10-01T10:00:00", **values}
    )


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("再不给我恢复，我就去工信部投诉！", True),
        ("我不会去投诉的，放心", False),
        ("请问怎么投诉？", False),
        ("听说有人去工信部投诉了", False),
        (None, False),
    ],
)
def test_escalation_words_handle_negation_questions_and_hearsay(text, intent):
    assert text_signals(text)["escalation_intent"] is intent


def test_escalation_words_warn_the_shift_supervisor():
    warning = early_warning(text_signals("我要去工信部投诉"), contact(), 1, "care_call", CONFIG)
    assert warning == {
        "flag": True,
        "triggers": ["escalation_words", "escalation_threat"],
        "distinct_channels_30d": 1,
        "notify": ["shift_supervisor"],
    }


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("上个月就给12300打过电话了，到现在也没人管", "done"),
        ("该投诉的地方我都投诉过了", "done"),
        ("再不处理我就去工信部投诉", "threat"),
    ],
)
def test_escalation_already_done_fires_like_a_threat(text, kind):
    signals = text_signals(text)
    assert kind in signals["escalation_kinds"]
    warning = early_warning(signals, contact(), 1, None, CONFIG)
    assert warning["flag"] and f"escalation_{kind}" in warning["triggers"]


def test_a_question_about_how_to_complain_fires_nothing():
    signals = text_signals("请问12300的电话是多少？")
    assert signals["escalation_kinds"] == ["question"]
    assert early_warning(signals, contact(), 1, None, CONFIG)["flag"] is False


def test_three_channels_regulator_and_agent_flags_each_fire():
    quiet = text_signals("查一下话费")
    assert early_warning(quiet, contact(), 2, None, CONFIG)["flag"] is False
    assert early_warning(quiet, contact(), 3, None, CONFIG)["triggers"] == ["multi_channel"]
    regulator = early_warning(quiet, contact(channel="regulator"), 1, None, CONFIG)
    assert regulator["triggers"] == ["regulator_channel"]
    flagged = early_warning(quiet, contact(escalated_flag=True), 1, None, CONFIG)
    assert flagged["triggers"] == ["agent_flag"]


def test_public_exposure_adds_the_crisis_team():
    threat = text_signals("再不解决我就发微博曝光你们")
    assert early_warning(threat, contact(), 1, None, CONFIG)["notify"] == [
        "shift_supervisor",
        "crisis_team",
    ]
    quiet = text_signals("查一下话费")
    on_weibo = early_warning(quiet, contact(channel="weibo"), 1, None, CONFIG)
    assert on_weibo["notify"] == []
    crisis_score = early_warning(quiet, contact(), 1, "crisis_team_handoff", CONFIG)
    assert crisis_score == {**crisis_score, "flag": False, "notify": ["crisis_team"]}


def test_event_times_become_shanghai_wall_clock():
    utc = datetime(2026, 10, 1, 17, 30, tzinfo=UTC)
    assert operator_time(utc) == pd.Timestamp("2026-10-02 01:30:00")
    plus8 = datetime(2026, 10, 1, 9, 0, tzinfo=timezone(timedelta(hours=8)))
    assert operator_time(plus8) == pd.Timestamp("2026-10-01 09:00:00")
    assert operator_time(datetime(2026, 10, 1, 9)) == pd.Timestamp("2026-10-01 09:00:00")


@pytest.mark.parametrize("case", ["customer", "bound_account", "unbound_account"])
def test_event_rows_resolve_identity_like_the_batch_contacts(state, case):
    """The live row equals what ``resolve_contacts`` makes of the same raw contact."""
    template = state.rows.index.tables["contacts"].empty
    owner = whole_tables(state).owners.iloc[0]
    event = {
        "customer": contact(customer_id=str(owner["customer_id"]), channel="app"),
        "bound_account": contact(
            customer_id=None, social_account_id=owner["account_id"], channel="weibo"
        ),
        "unbound_account": contact(customer_id=None, social_account_id="nobody", channel="weibo"),
    }[case]
    bound = state.rows.owner(event.social_account_id) if event.social_account_id else None
    row = contact_row(event, "live-x", template, bound)

    raw = row.drop(columns="resolved_via_social").assign(customer_id=event.customer_id)
    owners = pd.DataFrame(
        {"account_id": [owner["account_id"]], "customer_id": [owner["customer_id"]]}
    )
    expected = resolve_contacts(raw.astype({"customer_id": object}), owners)
    expected["customer_id"] = expected["customer_id"].where(expected["customer_id"].notna(), None)
    pd.testing.assert_frame_equal(row, expected[list(template.columns)].astype(template.dtypes))
    assert row.dtypes.equals(template.dtypes)
    assert bool(row["resolved_via_social"].iloc[0]) is (case == "bound_account")
    if row["customer_id"].iloc[0] is not None:
        store = LiveContactStore(IN_MEMORY, template)
        store.append_record(contact_values(event, "live-x", list(template.columns), bound))
        pd.testing.assert_frame_equal(store.rows(row["customer_id"].iloc[0]), row)


def whole_tables(state):
    """The plain path: the whole resolved source tables."""
    from features.assemble import resolve_tables
    from pipelines.snapshot import read_raw_tables

    return resolve_tables(read_raw_tables(state.settings.raw_dir))


def served_snapshot(state):
    """The plain path: the whole served snapshot as batch scoring reads it."""
    from pipelines.snapshot import read_snapshot

    return read_snapshot(state.settings.features_dir, state.snapshot_as_of)


def test_online_features_and_scores_equal_the_batch_snapshot(state):
    """No training/serving skew: recomputing a customer at the snapshot date gives its row."""
    snapshot = served_snapshot(state)
    customers = snapshot.frame.index[[0, 13, 101, 402]]
    for customer_id in customers:
        item, channels = rescore_customer(state, customer_id, snapshot.as_of)
        expected = state.scores.lookup([customer_id])[0]
        assert item["p_repeat_contact"] == pytest.approx(expected["p_repeat_contact"], abs=1e-9)
        assert item["p_escalation"] == pytest.approx(expected["p_escalation"], abs=1e-9)
        assert item["action"]["code"] == expected["action"]["code"]
        assert channels == snapshot.frame.loc[customer_id, "ct_distinct_channels_30d"]


def test_recomputed_feature_rows_equal_the_snapshot_rows(state):
    from features.assemble import customer_features

    snapshot = served_snapshot(state)
    graph = snapshot.frame[list(state.graph_of(snapshot.frame.index[0]).columns)]
    for customer_id in snapshot.frame.index[[2, 77, 500]]:
        pd.testing.assert_frame_equal(state.graph_of(customer_id), graph.loc[[customer_id]])
        online = customer_features(state.rows.tables_for(customer_id), snapshot.as_of, graph=graph)
        offline = snapshot.frame.loc[[customer_id], online.columns]
        for column in online.columns:
            a, b = online[column].iloc[0], offline[column].iloc[0]
            assert (pd.isna(a) and pd.isna(b)) or a == b or np.isclose(a, b), column


def test_score_frame_is_the_batch_scoring(state):
    snapshot = served_snapshot(state)
    frame = snapshot.frame.iloc[:3]
    indexed, documents = state.snapshot_rows(list(frame.index))
    pd.testing.assert_frame_equal(indexed, frame)
    pd.testing.assert_series_equal(documents, snapshot.documents.loc[frame.index])
    scored = score_frame(state, frame, snapshot.documents, explain=True)
    expected = state.scores.frame.loc[frame.index]
    np.testing.assert_allclose(scored["p_escalation"], expected["p_escalation"], atol=1e-12)


@pytest.mark.parametrize(
    "text",
    [
        "再不给我恢复，我就去工信部投诉，还要发微博曝光！",
        "我不会去投诉的，放心",
        "我要携号转网，13812345678 这个号不要了",
        "气死了！！！乱扣费",
        "",
        None,
    ],
)
def test_text_signals_equal_the_text_feature_analysis(text):
    """The event's own analysis is the one the text features use (no skew)."""
    from features.text import analyze_texts

    expected = analyze_texts(pd.Series([text], dtype=object)).iloc[0]
    signals = text_signals(text)
    assert signals["escalation_intent"] == bool(expected["escalation_intent"])
    assert signals["escalation_target"] == (expected["escalation_target"] or None)
    assert signals["churn_intent"] == bool(expected["churn_intent"])
    assert signals["anger"] == pytest.approx(float(expected["anger"]), abs=0)
    kinds = [c.removeprefix("target_") for c in expected.index if c.startswith("target_")]
    assert signals["targets"] == [k for k in kinds if bool(expected[f"target_{k}"])]


def test_the_day_after_the_snapshot_uses_the_precomputed_contact_free_features(state):
    """Start-up computes account, billing and usage for the whole base on the day after the
    snapshot; an event that day gets the same features and scores as computed from scratch."""
    import copy

    from features.assemble import customer_features

    snapshot = served_snapshot(state)
    day = state.contact_free_day
    assert day == snapshot.as_of + timedelta(days=1)
    assert state.contact_free_row(str(snapshot.frame.index[0]), snapshot.as_of) is None
    scratch = copy.copy(state)
    scratch.contact_free_row = lambda customer_id, day: None
    for customer_id in snapshot.frame.index[[1, 40, 333, 900]]:
        given = state.contact_free_row(customer_id, day)
        assert given is not None and given.index.tolist() == [customer_id]
        tables = state.rows.tables_for(customer_id)
        graph = state.graph_of(customer_id)
        pd.testing.assert_frame_equal(
            customer_features(tables, day, graph=graph, contact_free=given),
            customer_features(tables, day, graph=graph),
        )
        fast, fast_channels = rescore_customer(state, customer_id, day)
        slow, slow_channels = rescore_customer(scratch, customer_id, day)
        assert fast == slow and fast_channels == slow_channels


SERVED = SimpleNamespace(scores=SimpleNamespace(as_of=date(2026, 9, 30)))
NOW = datetime(2026, 10, 2, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "ts",
    [
        "2026-10-02T12:04:59Z",
        "2026-10-02T20:04:00",
        "2026-08-31T00:00:00",
        "2026-10-02T12:00:00+00:00",
    ],
)
def test_event_times_within_the_window_are_accepted(ts):
    check_event_time(SERVED, contact(ts=ts), now=NOW)


@pytest.mark.parametrize(
    ("ts", "rule"),
    [
        ("2026-10-02T12:05:01Z", "future"),
        ("2026-10-02T20:06:00", "future"),
        ("2199-12-31T23:59:00", "future"),
        ("2026-08-30T23:59:59", "30 days before the served snapshot"),
        ("2000-01-01T00:00:00", "30 days before the served snapshot"),
    ],
)
def test_event_times_in_the_future_or_long_before_the_snapshot_are_refused(ts, rule):
    with pytest.raises(EventError) as raised:
        check_event_time(SERVED, contact(ts=ts), now=NOW)
    assert raised.value.field == "ts" and rule in raised.value.message


@pytest.mark.parametrize("flag", ["true", 1])
def test_the_escalated_flag_must_be_a_json_boolean(flag):
    with pytest.raises(ValueError, match="escalated_flag"):
        contact(escalated_flag=flag)


@pytest.mark.parametrize(
    ("who", "field"),
    [
        ({"customer_id": "<b>13812345678</b>"}, "customer_id"),
        ({"customer_id": None, "social_account_id": "weibo:张三13812345678"}, "social_account_id"),
    ],
)
def test_the_error_of_an_unknown_sender_names_the_field_not_the_id(state, who, field):
    result = process_event(state, contact(**who))
    message = result["error"]["message"]
    assert result["error"]["code"] == "unknown_customer" and message.startswith(field)
    assert "1381" not in message and "<b>" not in message and "张三" not in message
