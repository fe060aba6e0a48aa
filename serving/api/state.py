"""Everything the service answers with, loaded once at start-up."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pandas as pd
from mlflow.exceptions import MlflowException

from features import graph as graph_features
from features.assemble import resolve_tables
from features.catalog import feature_specs
from features.structured import contact_free_features
from features.text import TelecomTokenizer
from pipelines.scores import latest_scored, read_scores, read_scores_scoring
from pipelines.snapshot import Snapshot, read_raw_tables, read_snapshot
from serving.api.customer_rows import CustomerRows
from serving.api.lookup import SCORE_COLUMNS, ScoreTable, snapshot_explainer
from serving.api.settings import ServingSettings
from training.champions import (
    CHAMPION,
    ChampionModels,
    ScoringConfig,
    TrackingSettings,
    load_champions,
)

logger = logging.getLogger(__name__)

GRAPH_COLUMNS: tuple[str, ...] = tuple(spec.name for spec in graph_features.FEATURES)


@dataclass
class ServingState:
    """Loaded models, the served snapshot, its batch scores and the indexed source tables.

    Attributes:
        settings: Service settings.
        champions: Champion model of each target.
        models: Registry details of each champion (for ``/model_info``).
        snapshot: The served feature snapshot (the latest scored one).
        graph: Its graph features by customer (the event path reuses them: the graph is
            computed once per snapshot).
        scores: Batch scores of the snapshot, looked up by id.
        rows: Source tables indexed by customer, plus contacts received live.
        tokenizer: Segmenter for the text model's documents.
        scoring: Tiers, actions and reason settings: the configuration the champions carry
            (as in batch scoring).
        feature_columns: Registered feature columns (accepted in ``records``).
        contact_free_day: The day after the served snapshot: the day a service started on a
            nightly snapshot answers events for.
        contact_free: Account, billing and usage features of every customer on that day
            (they never read contacts), so an event that day recomputes only the contact
            features of its customer.
    """

    settings: ServingSettings
    champions: ChampionModels
    models: list[dict[str, Any]]
    snapshot: Snapshot
    graph: pd.DataFrame
    scores: ScoreTable
    rows: CustomerRows
    tokenizer: TelecomTokenizer
    scoring: ScoringConfig = field(default_factory=ScoringConfig)
    feature_columns: tuple[str, ...] = ()
    contact_free_day: date | None = None
    contact_free: pd.DataFrame | None = None
    _other_scores: dict[date, ScoreTable] = field(default_factory=dict)
    _scores_lock: threading.Lock = field(default_factory=threading.Lock)

    def contact_free_row(self, customer_id: str, day: date) -> pd.DataFrame | None:
        """The precomputed contact-free features of one customer on ``day``, if there are."""
        if self.contact_free is None or day != self.contact_free_day:
            return None
        index = self.contact_free.index
        if customer_id not in index:
            return None
        position = index.get_loc(customer_id)
        return self.contact_free.iloc[position : position + 1]

    @property
    def categorical_columns(self) -> list[str]:
        """Input columns any model treats as categories."""
        seen: dict[str, None] = {}
        for model in self.champions.models.values():
            seen.update(dict.fromkeys(model.schema.categorical_columns))
        return list(seen)

    def scores_at(self, as_of: date | None) -> ScoreTable:
        """Batch scores of a snapshot (the served one by default; others read on first use).

        Raises:
            FileNotFoundError: If that snapshot was not scored.
        """
        if as_of is None or as_of == self.scores.as_of:
            return self.scores
        with self._scores_lock:
            table = self._other_scores.get(as_of)
            if table is None:
                frame, versions = read_scores(
                    self.settings.scores_dir, as_of, parse_reasons=False, columns=SCORE_COLUMNS
                )
                table = ScoreTable(as_of, frame, versions)
                self._other_scores[as_of] = table
        return table


def describe_models(champions: ChampionModels, tracking: TrackingSettings) -> list[dict[str, Any]]:
    """Registry details of each champion: version, aliases, run, training window, metrics."""
    client = tracking.client()
    described = []
    for target, model in champions.models.items():
        version = champions.versions[target]
        details = client.get_model_version(version["name"], version["version"])
        tags = details.tags or {}
        metrics = {
            key.removeprefix("metric."): float(value)
            for key, value in tags.items()
            if key.startswith("metric.") and value not in ("", "nan")
        }
        if details.run_id:
            try:
                run_metrics = client.get_run(details.run_id).data.metrics
            except MlflowException:
                logger.warning(
                    "run %s of %s is gone; model_info shows tag metrics only",
                    details.run_id,
                    version["name"],
                )
                run_metrics = {}
            metrics = {**{k: float(v) for k, v in run_metrics.items()}, **metrics}
        window = {
            key: model.metadata[key]
            for key in ("train_as_of", "valid_as_of", "data_fingerprint", "calibration")
            if key in model.metadata
        }
        described.append(
            {
                "target": target,
                "name": version["name"],
                "version": str(version["version"]),
                "aliases": sorted(getattr(details, "aliases", None) or [CHAMPION]),
                "run_id": details.run_id,
                "training_window": window,
                "metrics": metrics,
                "input_columns": model.input_columns,
                **model.carried_configs(),
            }
        )
    return described


def check_scores_scoring(recorded: dict | None, champions: ChampionModels, as_of: date) -> None:
    """Warn when the batch scores were made with another scoring configuration than the
    champions carry (lookups by id then answer with the scores' tiers, reasons and actions)."""
    carried = champions.scoring.model_dump(mode="json")
    if recorded is None:
        logger.warning(
            "scores of %s record no scoring configuration (made before scores recorded it): "
            "lookups by id may use other tiers and reasons than live scoring %s until "
            "`procare score` runs again",
            as_of,
            carried,
        )
    elif recorded != carried:
        logger.warning(
            "scores of %s were made with scoring configuration %s, the champions carry %s: "
            "lookups by id use the scores' tiers and reasons, live scoring the champions', "
            "until `procare score` runs again",
            as_of,
            recorded,
            carried,
        )


def check_snapshot_features(snapshot: Snapshot, champions: ChampionModels) -> None:
    """Warn when the served snapshot was built with another feature configuration than the
    champions were trained on (its graph features feed live scoring)."""
    built = snapshot.meta.get("feature_config")
    for target, model in champions.models.items():
        trained = model.carried_configs()["feature_config"]
        if built is not None and trained is not None and built != trained:
            logger.warning(
                "snapshot %s was built with feature configuration %s, the %s champion was "
                "trained on %s",
                snapshot.as_of,
                built,
                target,
                trained,
            )


def load_state(settings: ServingSettings) -> ServingState:
    """Load champions, the latest scored snapshot, its scores and the raw tables.

    Raises:
        LookupError: If a target has no champion model, or the champions carry different
            scoring configurations.
        FileNotFoundError: If nothing was scored, or the scored snapshot's features or the raw
            tables are missing (the message names the command to run).
    """
    tracking = TrackingSettings(tracking_uri=settings.tracking_uri)
    champions = load_champions(tracking, prefix=settings.model_prefix)
    models = describe_models(champions, tracking)
    as_of = latest_scored(settings.scores_dir)
    if as_of is None:
        raise FileNotFoundError(
            f"no batch scores under {settings.scores_dir}: run `procare score` first"
        )
    frame, versions = read_scores(
        settings.scores_dir, as_of, parse_reasons=False, columns=SCORE_COLUMNS
    )
    if versions != champions.versions:
        logger.warning(
            "scores of %s were made by %s, the champions are now %s: lookups by id use the "
            "older scores until `procare score` runs again",
            as_of,
            versions,
            champions.versions,
        )
    recorded = read_scores_scoring(settings.scores_dir, as_of)
    check_scores_scoring(recorded, champions, as_of)
    snapshot = read_snapshot(settings.features_dir, as_of)
    check_snapshot_features(snapshot, champions)
    same_models = versions == champions.versions and recorded == champions.scoring.model_dump(
        mode="json"
    )
    explain = snapshot_explainer(champions, snapshot, champions.scoring) if same_models else None
    scores = ScoreTable(as_of, frame, versions, explain)
    graph = snapshot.frame[[c for c in GRAPH_COLUMNS if c in snapshot.frame.columns]]
    rows = CustomerRows.from_tables(
        resolve_tables(read_raw_tables(settings.raw_dir)), live_dir=settings.live_dir
    )
    state = ServingState(
        settings=settings,
        champions=champions,
        models=models,
        snapshot=snapshot,
        graph=graph,
        scores=scores,
        rows=rows,
        tokenizer=TelecomTokenizer(),
        scoring=champions.scoring,
        feature_columns=tuple(feature_specs()),
    )
    state.contact_free_day = as_of + timedelta(days=1)
    tables = rows.tables
    state.contact_free = contact_free_features(
        tables.customers,
        tables.bills,
        tables.usage,
        tables.service_events,
        state.contact_free_day,
        regions=list(tables.regions) or None,
    )
    logger.info(
        "serving snapshot %s: %d customers, models %s",
        as_of,
        len(scores),
        {t: v["version"] for t, v in champions.versions.items()},
    )
    return state
