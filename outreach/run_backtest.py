"""``procare outreach backtest``: the policies' lists against realized labels, logged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from outreach.backtest import BacktestConfig, backtest, backtest_wide, gain_curves
from outreach.runs import champion_scorer, close_figures, oracle_scores, outreach_run
from pipelines import outreach_io
from pipelines.catalog import DataLayout
from pipelines.snapshot import read_raw_tables, read_snapshot
from pipelines.training_data import labelled_snapshots
from training.tracking import TrackingSettings


class BacktestCommandConfig(BaseModel):
    """``procare outreach backtest``: the policies' lists against realized labels.

    Attributes:
        as_of: A snapshot with realized labels, later than the models' training data; the
            latest labelled snapshot when omitted.
        layout: Where the snapshots are read and the backtest is written; its ingested tables
            give the captured contact volumes and its synthetic world the oracle policy (each
            skipped when missing).
        backtest: Capacities, policies and list settings.
        use_model: Score the snapshot with the champion models for the ``model`` policy.
    """

    model_config = ConfigDict(extra="forbid")

    as_of: date | None = None
    layout: DataLayout = Field(default_factory=DataLayout)
    backtest: BacktestConfig = Field(default_factory=BacktestConfig)
    use_model: bool = True


@dataclass(frozen=True)
class BacktestResult:
    """A backtest: long table, wide table, gain curves, files and run."""

    as_of: date
    table: pd.DataFrame
    wide: pd.DataFrame
    curves: pd.DataFrame
    paths: dict[str, Path]
    versions: dict
    run_id: str


def _window_outcomes(layout: DataLayout, frame: pd.DataFrame, as_of: date, horizon: int):
    if not layout.raw.has("contacts"):
        return None
    from features.assemble import resolve_tables
    from features.labels import LabelConfig
    from outreach.outcomes import window_outcomes

    tables = resolve_tables(read_raw_tables(layout.raw_dir))
    labels = LabelConfig(horizon_days=horizon)
    return window_outcomes(tables.contacts, tables.social_posts, frame.index, as_of, labels)


def backtest_command(
    config: BacktestCommandConfig, tracking: TrackingSettings | None = None
) -> BacktestResult:
    """Backtest the model policy against the baselines and log table and gain chart.

    Raises:
        FileNotFoundError: No labelled snapshot.
        LookupError: ``use_model`` without a champion model.
    """
    import mlflow

    from outreach.plots import gain_figure

    layout = config.layout
    labelled = labelled_snapshots(layout.features_dir)
    as_of = config.as_of or (labelled[-1] if labelled else None)
    if as_of is None:
        raise FileNotFoundError(f"no labelled snapshot under {layout.features_dir}")
    snapshot = read_snapshot(layout.features_dir, as_of)
    frame = snapshot.frame
    scores: dict[str, pd.DataFrame] = {}
    versions: dict = {}
    if config.use_model:
        scorer, versions = champion_scorer(tracking)
        scores["model"] = scorer(frame, snapshot.documents)
    oracle = oracle_scores(layout.world_dir, as_of)
    if oracle is not None:
        scores["oracle"] = oracle
    horizon = int(snapshot.meta.get("horizon_days", 30))
    outcomes = _window_outcomes(layout, frame, as_of, horizon)
    table = backtest(frame, scores, config.backtest, outcomes)
    curves = gain_curves(frame, scores, config.backtest)
    wide = backtest_wide(table)
    paths = outreach_io.write_backtest(table, curves, layout.outreach_dir, as_of)
    with outreach_run(f"backtest {as_of}", config, tracking) as run:
        mlflow.set_tags({"command": "backtest", "as_of": as_of.isoformat()})
        mlflow.log_params({"as_of": as_of.isoformat(), "customers": len(frame)})
        mlflow.log_table(table, "backtest/backtest.json")
        mlflow.log_text(wide.to_csv(index=False), "backtest/backtest_wide.csv")
        mlflow.log_figure(gain_figure(curves), "backtest/gain.png")
        model_rows = table.loc[table["policy"] == "model"]
        mlflow.log_metrics(
            {
                f"{row.label}_recall_{row.capacity * 100:g}pct": float(row.recall)
                for row in model_rows.itertuples()
            }
        )
    close_figures()
    return BacktestResult(as_of, table, wide, curves, paths, versions, run.info.run_id)
