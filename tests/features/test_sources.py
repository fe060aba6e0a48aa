"""Optional tables and the feature families they feed: declared once, consistent everywhere."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from features.catalog import absent_columns, all_features, source_family_columns
from features.sources import (
    OPTIONAL_TABLES,
    SOURCE_FAMILIES,
    availability,
    check_missing,
    families_absent,
    label_parts_absent,
    table_feeds,
)
from pipelines.contract import REQUIRED_TABLES, TABLE_ORDER

DOCS = Path(__file__).resolve().parents[2] / "docs" / "data_contract.md"


def test_every_registered_feature_belongs_to_exactly_one_source_family():
    columns = source_family_columns()
    flat = [column for names in columns.values() for column in names]
    assert sorted(flat) == sorted(spec.name for spec in all_features())
    assert len(flat) == len(set(flat))
    specs = {spec.name: spec for spec in all_features()}
    for family in SOURCE_FAMILIES:
        assert columns[family.name], family.name
        assert {specs[c].family for c in columns[family.name]} == {family.family}
        assert set(family.columns) <= set(specs), family.name


def test_source_families_name_only_contract_tables():
    for family in SOURCE_FAMILIES:
        assert set(family.needs) | set(family.reads) <= set(TABLE_ORDER), family.name
    assert set(OPTIONAL_TABLES) | set(REQUIRED_TABLES) == set(TABLE_ORDER)
    assert not set(OPTIONAL_TABLES) & set(REQUIRED_TABLES)


@pytest.mark.parametrize(
    ("missing", "absent", "label_parts"),
    [
        ((), [], []),
        (("edges",), ["graph"], []),
        (("social_posts",), ["text_posts", "identity_posts"], ["escalation.viral_post"]),
        (
            ("social_accounts",),
            ["text_posts", "identity_accounts", "identity_posts"],
            ["escalation.viral_post"],
        ),
    ],
)
def test_each_missing_table_leaves_out_the_families_it_feeds(missing, absent, label_parts):
    assert families_absent(missing) == absent
    assert label_parts_absent(missing) == label_parts
    found = availability(missing)
    assert found["families_available"] + found["families_absent"] != []
    assert set(found["families_available"]).isdisjoint(absent)
    assert "structured" in found["families_available"] and "text" in found["families_available"]


def test_absent_columns_are_the_absent_families_columns():
    by_family = source_family_columns()
    for n in range(len(OPTIONAL_TABLES) + 1):
        for missing in itertools.combinations(OPTIONAL_TABLES, n):
            expected = {c for f in families_absent(missing) for c in by_family[f]}
            assert set(absent_columns(missing)) == expected
    assert "txt_n_posts_90d" in absent_columns(["social_posts"])
    assert "txt_escalation_intent_any_30d" not in absent_columns(list(OPTIONAL_TABLES))


def test_required_tables_cannot_be_declared_missing():
    with pytest.raises(ValueError, match="contacts cannot be missing"):
        check_missing(["contacts", "edges"])
    assert check_missing(["edges", "social_accounts", "edges"]) == ("social_accounts", "edges")


def test_the_contract_doc_lists_every_optional_table_and_source_family():
    text = DOCS.read_text(encoding="utf-8")
    for table in OPTIONAL_TABLES:
        assert f"| {table} | optional |" in text
    for table in REQUIRED_TABLES:
        assert f"| {table} | required |" in text
    for family in SOURCE_FAMILIES:
        assert f"| {family.name} | {family.family} |" in text
    assert set(table_feeds()) == set(TABLE_ORDER)
