"""``procare outreach social``: route recent brand posts (crisis team / customer care)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from outreach.social_warning import SocialWarningConfig, fit_reach_model, score_posts
from pipelines import outreach_io
from pipelines.catalog import DataLayout
from pipelines.snapshot import available_snapshots, read_snapshot

logger = logging.getLogger(__name__)


class SocialCommandConfig(BaseModel):
    """``procare outreach social``: route recent brand posts (crisis team / customer care).

    Attributes:
        as_of: Day whose end the posts are read at; the latest snapshot when omitted.
        days: Posts of the last ``days`` days up to ``as_of``.
        layout: Where the posts and snapshots are read and the warnings written.
        fit_reach: Fit the reach model on settled earlier brand posts (else prior coefficients).
    """

    model_config = ConfigDict(extra="forbid")

    as_of: date | None = None
    days: int = Field(3, ge=1, le=90)
    layout: DataLayout = Field(default_factory=DataLayout)
    social: SocialWarningConfig = Field(default_factory=SocialWarningConfig)
    fit_reach: bool = True


@dataclass(frozen=True)
class SocialResult:
    """Routed posts and where they were written."""

    as_of: date
    warnings: pd.DataFrame
    paths: dict[str, Path]


def social_command(config: SocialCommandConfig) -> SocialResult:
    """Score and route the brand posts of the last days; write them (without post text)."""
    from features.identity import account_owners

    layout = config.layout
    snapshots = available_snapshots(layout.features_dir)
    as_of = config.as_of or (snapshots[-1] if snapshots else None)
    if as_of is None:
        raise FileNotFoundError(f"no snapshot under {layout.features_dir}")
    tables = outreach_io.read_social_tables(layout.raw_dir)
    owners = account_owners(tables["customers"], tables["social_accounts"])
    influence = None
    if as_of in snapshots:
        frame = read_snapshot(layout.features_dir, as_of).frame
        if "g_pagerank" in frame:
            influence = frame["g_pagerank"]
    end = pd.Timestamp(as_of) + pd.Timedelta(days=1)
    posts = tables["social_posts"]
    recent = posts.loc[
        posts["mentions_brand"].astype(bool)
        & (posts["ts"] >= end - pd.Timedelta(days=config.days))
        & (posts["ts"] < end)
    ]
    model = None
    if config.fit_reach:
        history = posts.loc[posts["ts"] < end - pd.Timedelta(days=config.days)]
        model = fit_reach_model(
            history,
            tables["social_accounts"],
            pd.Timestamp(as_of - timedelta(days=config.days)),
            config.social,
            owners=owners,
            influence=influence,
        )
    warnings = score_posts(
        recent,
        tables["social_accounts"],
        config.social,
        owners=owners,
        influence=influence,
        observed_at=end,
        model=model,
    )
    warnings = warnings.sort_values("p_viral", ascending=False)
    paths = outreach_io.write_social_warnings(warnings, layout.outreach_dir, as_of)
    logger.info(
        "social warning %s: %d brand posts, %d to the crisis team",
        as_of,
        len(warnings),
        int((warnings["route"] == "crisis_team").sum()),
    )
    return SocialResult(as_of, warnings, paths)
