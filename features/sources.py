"""Which contract tables are optional, and which feature families and label parts each feeds.

The one place for that fact: the contract (``pipelines.contract``), ingest, the snapshot build,
training, the model card and the service's ``/model_info`` all read it from here. Many operators
have no social-media data (no bound accounts, no posts, no follower or call edges); without an
optional table the families it feeds are left out of the snapshots (their columns absent, never
zero-filled as if observed) and every output says which families were available.

A *source family* is a group of registered features fed by the same tables; it refines the
registry's :attr:`features.registry.FeatureSpec.family` where one registry family mixes sources
(identity: bound accounts vs posts; text: contact texts vs the post count). This module holds
names only (no feature code), so the contract can import it cheaply; the columns of each source
family are resolved against the registry by :func:`features.catalog.source_family_columns`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

OptionalTable = Literal["social_accounts", "social_posts", "edges"]

OPTIONAL_TABLES: tuple[str, ...] = ("social_accounts", "social_posts", "edges")
"""Contract tables an export may leave out (no file at all); every other table is required."""

POST_TABLES = ("social_accounts", "social_posts")
"""Posts reach a customer only through a bound account, so post features need both tables."""


@dataclass(frozen=True)
class SourceFamily:
    """A group of features fed by the same contract tables.

    Attributes:
        name: Source family name (``families_available`` / ``families_absent`` list these).
        family: The registry family its columns belong to.
        needs: Contract tables it cannot be computed without (absent when one is missing).
        reads: Further tables it reads when present (it stays, computed without them).
        columns: Its columns; empty for "every column of ``family`` no other source family of
            that registry family names".
        description: What it is, in English (docs and model cards).
    """

    name: str
    family: str
    needs: tuple[str, ...]
    reads: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()
    description: str = ""


SOURCE_FAMILIES: tuple[SourceFamily, ...] = (
    SourceFamily(
        "structured",
        "structured",
        needs=("customers", "bills", "usage", "service_events", "contacts"),
        reads=("social_accounts",),
        description="account, billing, usage, service events and contact history (contacts "
        "made through a bound social account count for its customer when social_accounts "
        "is present)",
    ),
    SourceFamily(
        "text",
        "text",
        needs=("contacts",),
        reads=("social_accounts", "social_posts"),
        description="complaint-text features of contact texts (escalation kinds, anger, topics, "
        "@-mentions); brand-mentioning posts are added to the texts when social_posts and "
        "social_accounts are present",
    ),
    SourceFamily(
        "text_posts",
        "text",
        needs=POST_TABLES,
        columns=("txt_n_posts_90d",),
        description="count of the customer's brand-mentioning social posts",
    ),
    SourceFamily(
        "identity_accounts",
        "identity",
        needs=("customers", "social_accounts"),
        reads=("contacts",),
        columns=("id_social_accounts", "id_followers", "id_social_contacts_30d"),
        description="social accounts bound to the customer's number, their followers and the "
        "contacts attributed through them",
    ),
    SourceFamily(
        "identity_posts",
        "identity",
        needs=("customers", *POST_TABLES),
        columns=(
            "id_brand_posts_30d",
            "id_brand_posts_90d",
            "id_brand_post_reposts_90d",
            "id_max_post_reposts_90d",
        ),
        description="the customer's brand-mentioning posts and their reposts",
    ),
    SourceFamily(
        "graph",
        "graph",
        needs=("edges",),
        reads=("contacts",),
        description="call/SMS/family/follow graph: influence, complaining and escalating "
        "neighbours, communities",
    ),
)

LABEL_PARTS: dict[str, tuple[str, ...]] = {
    "escalation.viral_post": POST_TABLES,
}
"""Label parts fed by optional tables: the escalation label's brand post with many reposts
(DESIGN §5) needs posts attributed to customers; without them the label is built from contacts
alone (regulator channel, escalated flag, 3+ channels)."""


def check_missing(missing: Iterable[str]) -> tuple[str, ...]:
    """The missing tables in contract order, each once.

    Raises:
        ValueError: When a required (non-optional) table is named.
    """
    missing = set(missing)
    required = sorted(missing - set(OPTIONAL_TABLES))
    if required:
        raise ValueError(
            f"{', '.join(required)} cannot be missing: only {', '.join(OPTIONAL_TABLES)} "
            "are optional"
        )
    return tuple(table for table in OPTIONAL_TABLES if table in missing)


def families_absent(missing: Iterable[str]) -> list[str]:
    """Source families left out when the ``missing`` tables are (in :data:`SOURCE_FAMILIES`
    order)."""
    gone = set(check_missing(missing))
    return [family.name for family in SOURCE_FAMILIES if gone & set(family.needs)]


def families_available(missing: Iterable[str]) -> list[str]:
    """Source families computed when the ``missing`` tables are."""
    absent = set(families_absent(missing))
    return [family.name for family in SOURCE_FAMILIES if family.name not in absent]


def label_parts_absent(missing: Iterable[str]) -> list[str]:
    """Label parts that cannot be observed when the ``missing`` tables are."""
    gone = set(check_missing(missing))
    return [part for part, needs in LABEL_PARTS.items() if gone & set(needs)]


def availability(missing: Iterable[str]) -> dict[str, list[str]]:
    """What a snapshot, a model card and ``/model_info`` report about the data's tables.

    Returns:
        ``missing_tables``, ``families_available``, ``families_absent`` and
        ``label_parts_absent``, each a list of names.
    """
    missing = check_missing(missing)
    return {
        "missing_tables": list(missing),
        "families_available": families_available(missing),
        "families_absent": families_absent(missing),
        "label_parts_absent": label_parts_absent(missing),
    }


def table_feeds() -> dict[str, dict[str, list[str]]]:
    """Per contract table named by a source family: the families it ``needs`` or ``reads``."""
    feeds: dict[str, dict[str, list[str]]] = {}
    for family in SOURCE_FAMILIES:
        for kind, tables in (("needs", family.needs), ("reads", family.reads)):
            for table in tables:
                feeds.setdefault(table, {"needs": [], "reads": []})[kind].append(family.name)
    return feeds
