"""The vocabulary is the one definition every stage's closed sets derive from."""

from __future__ import annotations

from enum import StrEnum
from typing import get_args

import pytest

from features import vocabulary as v


def _allowed(table: str, column: str) -> list[str]:
    from pipelines.contract import table_schema

    checks = table_schema(table).columns[column].checks
    return next(check.statistics["allowed_values"] for check in checks if check.name == "isin")


@pytest.mark.parametrize(
    ("enum", "values"),
    [
        (v.Target, v.TARGETS),
        (v.Channel, v.CHANNELS),
        (v.Direction, v.DIRECTIONS),
        (v.Category, v.CATEGORIES),
        (v.EventType, v.EVENT_TYPES),
        (v.PlanType, v.PLAN_TYPES),
        (v.CustomerStatus, v.CUSTOMER_STATUSES),
        (v.Platform, v.PLATFORMS),
        (v.EdgeKind, v.EDGE_KINDS),
        (v.Team, v.TEAMS),
        (v.FeatureFamily, v.FEATURE_FAMILIES),
        (v.Language, v.LANGUAGES),
    ],
)
def test_each_tuple_holds_the_plain_values_of_its_enum_in_order(enum, values):
    assert values == tuple(member.value for member in enum)
    assert len(set(values)) == len(values)
    assert all(type(value) is str for value in values)
    assert all(enum(value) == value for value in values)


def test_special_members_belong_to_their_sets():
    assert v.INBOUND in v.DIRECTIONS
    assert v.REGULATOR_CHANNEL in v.CHANNELS
    assert set(v.PUBLIC_CHANNELS) <= set(v.CHANNELS)


@pytest.mark.parametrize(
    ("table", "column", "values"),
    [
        ("contacts", "channel", v.CHANNELS),
        ("contacts", "direction", v.DIRECTIONS),
        ("contacts", "category", v.CATEGORIES),
        ("service_events", "event_type", v.EVENT_TYPES),
        ("customers", "plan_type", v.PLAN_TYPES),
        ("customers", "status", v.CUSTOMER_STATUSES),
        ("social_accounts", "platform", v.PLATFORMS),
        ("edges", "kind", v.EDGE_KINDS),
    ],
)
def test_contract_pandera_checks_allow_exactly_the_vocabulary(table, column, values):
    assert _allowed(table, column) == list(values)


def test_contract_tuples_are_the_vocabulary():
    from pipelines import contract

    assert contract.CHANNELS is v.CHANNELS
    assert contract.DIRECTIONS is v.DIRECTIONS
    assert contract.CATEGORIES is v.CATEGORIES
    assert contract.EVENT_TYPES is v.EVENT_TYPES
    assert contract.PLATFORMS is v.PLATFORMS
    assert contract.EDGE_KINDS is v.EDGE_KINDS


def test_api_literals_equal_the_contract_and_the_vocabulary():
    from pipelines import contract
    from serving.api import schemas

    fields = schemas.ContactEvent.model_fields
    assert get_args(fields["channel"].annotation) == contract.CHANNELS == v.CHANNELS
    assert get_args(fields["category"].annotation) == contract.CATEGORIES == v.CATEGORIES
    assert get_args(fields["direction"].annotation) == contract.DIRECTIONS == v.DIRECTIONS
    assert fields["direction"].default == v.INBOUND
    assert fields["category"].default in v.CATEGORIES
    assert get_args(schemas.Target) == v.TARGETS
    assert get_args(schemas.Team) == v.TEAMS
    assert get_args(schemas.Reason.model_fields["target"].annotation) == v.TARGETS
    assert get_args(schemas.Action.model_fields["team"].annotation) == v.TEAMS
    target = schemas.OutreachRequest.model_fields["target"]
    assert get_args(target.annotation) == ("both", *v.TARGETS)


def test_api_json_schema_keeps_its_names_and_values():
    from serving.api import schemas

    event = schemas.ContactEvent.model_json_schema()["properties"]
    assert event["channel"] == {"enum": list(v.CHANNELS), "title": "Channel", "type": "string"}
    assert event["category"]["enum"] == list(v.CATEGORIES)
    assert event["direction"]["enum"] == ["inbound", "outbound"]
    outreach = schemas.OutreachRequest.model_json_schema()["properties"]["target"]
    assert outreach["enum"] == ["both", "repeat_contact", "escalation"]
    assert schemas.ContactEvent(customer_id="C1", channel="app", ts="2026-01-01T00:00").model_dump(
        include={"channel", "direction", "category"}
    ) == {"channel": "app", "direction": "inbound", "category": "inquiry"}


def test_targets_of_labels_training_and_champions_are_the_vocabulary():
    from features.labels import LABELS
    from training import champions
    from training.config import Target, TrainConfig

    assert LABELS == v.TARGETS
    assert champions.TARGETS == v.TARGETS
    assert get_args(Target) == v.TARGETS
    assert TrainConfig().targets == list(v.TARGETS)


def test_teams_of_actions_planning_and_capacity_are_the_vocabulary():
    from outreach.config import TEAM_ORDER, TeamCapacity
    from serving.scoring.actions import TEAMS

    assert sorted(TEAM_ORDER) == sorted(v.TEAMS)
    assert all(type(team) is str for team in TEAM_ORDER)
    assert set(TEAMS.values()) == set(v.TEAMS)
    assert set(TeamCapacity.model_fields) == set(v.TEAMS)


def test_feature_code_uses_the_same_sets():
    from features.catalog import all_features
    from features.graph.edges import KINDS
    from features.registry import Family
    from features.structured.contact_history import CHANNELS

    assert set(get_args(Family)) == set(v.FEATURE_FAMILIES)
    assert list(dict.fromkeys(spec.family for spec in all_features())) == list(v.FEATURE_FAMILIES)
    assert tuple(CHANNELS) == v.CHANNELS
    assert tuple(KINDS) == v.EDGE_KINDS


def test_cli_choices_derive_from_the_vocabulary():
    from commands.train import TargetChoice

    assert issubclass(TargetChoice, StrEnum)
    assert tuple(member.value for member in TargetChoice) == (*v.TARGETS, "all")
