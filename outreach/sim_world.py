"""One seed of the closed-loop simulation: a world without outreach and one with everyone treated.

Within the first treated month nothing a customer does depends on another customer's treatment
in the generator (contagion, anger and tickets act from the next month on, and posts follow the
regime fixed at the month end), and common random numbers make the treated world thin exactly
the untreated world's contacts. So the window outcome of a customer under any outreach list is
their outcome in the all-treated world when listed and in the untreated world otherwise; one
pair of worlds per seed serves every policy and capacity. ``tests`` check this against a world
regenerated with the treatment applied to one list only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from features.assemble import customer_features, resolve_tables
from features.identity import resolve_contacts, resolve_posts
from features.labels import LabelConfig
from features.text import customer_documents
from outreach.outcomes import window_outcomes
from pipelines.synthetic import TreatmentConfig, WorldConfig, generate_world

logger = logging.getLogger(__name__)

Scorer = Callable[[pd.DataFrame, pd.Series], pd.DataFrame]
"""Scores a feature frame (and its documents) like ``serving.scoring.score.score_customers``."""


@dataclass(frozen=True)
class SeedWorlds:
    """What the policies need from one seed.

    Attributes:
        frame: Features at the snapshot (identical in both worlds), indexed by customer_id.
        documents: Masked complaint documents at the snapshot (empty when not needed).
        oracle: True probabilities at the snapshot, indexed by customer_id.
        untreated: Window outcomes of every customer without outreach.
        treated: Window outcomes of every customer when contacted.
    """

    frame: pd.DataFrame
    documents: pd.Series
    oracle: pd.DataFrame
    untreated: pd.DataFrame
    treated: pd.DataFrame


def plain_strings(frame: pd.DataFrame) -> pd.DataFrame:
    """Arrow string columns as Python objects, as ingest stores them (same features)."""
    strings = [c for c in frame.columns if isinstance(frame[c].dtype, pd.StringDtype)]
    return frame.astype(dict.fromkeys(strings, object)) if strings else frame


def months_through(start: date, as_of: date) -> int:
    """Months to simulate from ``start`` so the month after ``as_of`` is the last one."""
    return (as_of.year - start.year) * 12 + as_of.month - start.month + 2


def check_window(as_of: date, horizon_days: int) -> None:
    """The label window must lie in the month after ``as_of`` (one treated month).

    Raises:
        ValueError: If ``as_of`` is not a month end or the next month is shorter than the horizon.
    """
    following = as_of + timedelta(days=1)
    if following.day != 1:
        raise ValueError(f"as_of {as_of} must be a month end")
    month_after = (following.replace(day=28) + timedelta(days=4)).replace(day=1)
    if (month_after - following).days < horizon_days:
        raise ValueError(
            f"the {horizon_days}-day window after {as_of} runs past the next month; "
            "pick a month end followed by a month of at least that many days"
        )


def _oracle_at(oracle: pd.DataFrame, as_of: date, index: pd.Index) -> pd.DataFrame:
    rows = oracle.loc[pd.to_datetime(oracle["as_of"]) == pd.Timestamp(as_of)]
    rows = rows.set_index(pd.Index(rows["customer_id"].astype(object), name="customer_id"))
    return rows[["p_repeat_contact", "p_escalation"]].reindex(index)


def seed_worlds(
    world: WorldConfig,
    as_of: date,
    effect: float,
    labels: LabelConfig,
    need_documents: bool,
) -> SeedWorlds:
    """Generate the untreated and the all-treated world of one seed and measure the window.

    Args:
        world: The world (seed and months already set; its treatment is replaced).
        as_of: Snapshot date; treatment starts the day after.
        effect: Assumed relative reduction of a contacted customer's inbound contacts.
        labels: Label definitions of the window.
        need_documents: Build complaint documents (for a model scorer).
    """
    untreated_world = generate_world(world.model_copy(update={"treatment": None}))
    tables = resolve_tables({k: plain_strings(v) for k, v in untreated_world.tables().items()})
    frame = customer_features(tables, as_of)
    documents = pd.Series("", index=frame.index, name="document")
    if need_documents:
        documents = customer_documents(tables.contacts, as_of, posts=tables.social_posts)
        documents = documents.reindex(frame.index).fillna("")
    untreated = window_outcomes(tables.contacts, tables.social_posts, frame.index, as_of, labels)
    oracle = _oracle_at(untreated_world.oracle, as_of, frame.index)
    del untreated_world

    treatment = TreatmentConfig(
        customer_ids=list(frame.index), start=as_of + timedelta(days=1), effect=effect
    )
    treated_world = generate_world(world.model_copy(update={"treatment": treatment}))
    contacts = resolve_contacts(plain_strings(treated_world.contacts), tables.owners)
    posts = resolve_posts(plain_strings(treated_world.social_posts), tables.owners)
    treated = window_outcomes(contacts, posts, frame.index, as_of, labels)
    logger.info(
        "seed %d: %d customers, repeat rate %.3f untreated, %.3f all treated (effect %.2f)",
        world.seed,
        len(frame),
        untreated["repeat_contact"].mean(),
        treated["repeat_contact"].mean(),
        effect,
    )
    return SeedWorlds(frame, documents, oracle, untreated, treated)
