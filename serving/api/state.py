"""Everything the service answers with, loaded once at start-up."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd
from mlflow.exceptions import MlflowException

from features.catalog import feature_specs
from features.text import TelecomTokenizer
from pipelines.catalog import SnapshotStore
from pipelines.datasets import read_pointer
from pipelines.scores import latest_scored, read_scores, read_scores_scoring
from pipelines.serving_index import ServingIndex, build_serving_index, open_serving_index
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


@dataclass
class ServingState:
    """Loaded models, the served snapshot's scores and the serving index.

    Only the models and the batch scores (a few columns) are held in memory; the served
    snapshot's features and documents and the customers' source rows are read per customer
    from the serving index (:mod:`pipelines.serving_index`), so a worker's memory does not grow
    with the base.

    Attributes:
        settings: Service settings.
        champions: Champion model of each target.
        models: Registry details of each champion (for ``/model_info``).
        index: The serving index of the served snapshot (the latest scored one).
        scores: Batch scores of the snapshot, looked up by id.
        rows: Source rows by customer (from the index), plus contacts received live.
        tokenizer: Segmenter for the text model's documents.
        scoring: Tiers, actions and reason settings: the configuration the champions carry
            (as in batch scoring).
        feature_columns: Registered feature columns (accepted in ``records``).
        snapshot_meta: The served snapshot's ``meta.json``.
    """

    settings: ServingSettings
    champions: ChampionModels
    models: list[dict[str, Any]]
    index: ServingIndex
    scores: ScoreTable
    rows: CustomerRows
    tokenizer: TelecomTokenizer
    scoring: ScoringConfig = field(default_factory=ScoringConfig)
    feature_columns: tuple[str, ...] = ()
    snapshot_meta: dict = field(default_factory=dict)
    _other_scores: dict[date, ScoreTable] = field(default_factory=dict)
    _scores_lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def snapshot_as_of(self) -> date:
        """Date of the served snapshot."""
        return self.index.as_of

    @property
    def contact_free_day(self) -> date:
        """The day after the served snapshot: the day a service started on a nightly snapshot
        answers events for, whose contact-free features the index holds."""
        return self.index.contact_free_day

    def contact_free_row(self, customer_id: str, day: date) -> pd.DataFrame | None:
        """The precomputed contact-free features of one customer on ``day``, if there are."""
        if day != self.contact_free_day:
            return None
        found = self.index.contact_free.rows(customer_id)
        return None if found.empty else found.set_index("customer_id")

    def graph_of(self, customer_id: str) -> pd.DataFrame:
        """The customer's graph features in the served snapshot (events reuse them)."""
        return self.index.graph_of(customer_id)

    def snapshot_rows(self, customer_ids: list[str]) -> tuple[pd.DataFrame, pd.Series]:
        """Feature rows and documents of customers of the served snapshot (see
        :meth:`pipelines.serving_index.ServingIndex.snapshot_rows`)."""
        return self.index.snapshot_rows(customer_ids)

    def documents_of(self, customer_ids: list[str]) -> pd.Series:
        """Snapshot documents of customers (``customer_id`` -> text; unknown ids left out)."""
        return self.index.documents_of(customer_ids)

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
                **model.data_availability(),
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


def check_snapshot_features(meta: dict, as_of: date, champions: ChampionModels) -> None:
    """Warn when the served snapshot was built with another feature configuration than the
    champions were trained on (its graph features feed live scoring)."""
    built = meta.get("feature_config")
    for target, model in champions.models.items():
        trained = model.carried_configs()["feature_config"]
        if built is not None and trained is not None and built != trained:
            logger.warning(
                "snapshot %s was built with feature configuration %s, the %s champion was "
                "trained on %s",
                as_of,
                built,
                target,
                trained,
            )


def served_date(settings: ServingSettings) -> date:
    """The snapshot the service serves: the latest scored one.

    Raises:
        FileNotFoundError: If nothing was scored (the message names the command to run).
    """
    as_of = latest_scored(settings.scores_dir)
    if as_of is None:
        raise FileNotFoundError(
            f"no batch scores under {settings.scores_dir}: run `procare score` first"
        )
    return as_of


def ensure_index(settings: ServingSettings, progress: bool = False) -> date:
    """Build the serving index of the served snapshot unless it is current; its date.

    Raises:
        FileNotFoundError: If nothing was scored, or the snapshot or the raw tables are
            missing (the message names the command to run).
    """
    as_of = served_date(settings)
    build_serving_index(
        settings.raw_dir, settings.features_dir, settings.index_dir, as_of, progress=progress
    )
    return as_of


def load_state(settings: ServingSettings) -> ServingState:
    """Load champions, the latest scored snapshot's scores and its serving index.

    The index is built first when it is missing or stale (``procare serve`` builds it before
    starting the workers).

    Raises:
        LookupError: If a target has no champion model, or the champions carry different
            scoring configurations.
        FileNotFoundError: If nothing was scored, or the scored snapshot's features or the raw
            tables are missing (the message names the command to run).
    """
    tracking = TrackingSettings(tracking_uri=settings.tracking_uri)
    champions = load_champions(tracking, prefix=settings.model_prefix)
    models = describe_models(champions, tracking)
    as_of = ensure_index(settings)
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
    try:
        index = open_serving_index(settings.index_dir, as_of)
    except FileNotFoundError:
        # another process republished the index between reading its pointer and its parts
        ensure_index(settings)
        index = open_serving_index(settings.index_dir, as_of)
    meta = read_pointer(SnapshotStore(settings.features_dir).at(as_of).meta) or {}
    check_snapshot_features(meta, as_of, champions)
    same_models = versions == champions.versions and recorded == champions.scoring.model_dump(
        mode="json"
    )
    explain = (
        snapshot_explainer(champions, index.snapshot_rows, champions.scoring)
        if same_models
        else None
    )
    state = ServingState(
        settings=settings,
        champions=champions,
        models=models,
        index=index,
        scores=ScoreTable(as_of, frame, versions, explain),
        rows=CustomerRows.open(index, live_dir=settings.live_dir),
        tokenizer=TelecomTokenizer(),
        scoring=champions.scoring,
        feature_columns=tuple(feature_specs()),
        snapshot_meta=meta,
    )
    logger.info(
        "serving snapshot %s: %d customers, models %s",
        as_of,
        len(state.scores),
        {t: v["version"] for t, v in champions.versions.items()},
    )
    return state
