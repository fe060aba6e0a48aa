"""The model registry: register every primary model, promote by alias with a gate.

A new version becomes ``champion`` only when it beats the current champion on the same
validation snapshot by the promotion metric (strictly); otherwise it becomes ``challenger``.
``force=True`` promotes anyway and records ``forced_promotion=true`` on the version.
Only a version whose training run FINISHED gets an alias (forced or not): a version left by a
killed or failed run is never champion or challenger.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from training.tracking import FINISHED, TrackingSettings

logger = logging.getLogger(__name__)

CHAMPION = "champion"
CHALLENGER = "challenger"
METRIC_TAG_PREFIX = "metric."


class UnfinishedRunError(RuntimeError):
    """A model version's training run did not finish, so the version may not get an alias."""


@dataclass(frozen=True)
class PromotionDecision:
    """What the gate decided for one model version.

    Attributes:
        name: Registered model.
        version: The candidate version.
        alias: ``champion`` or ``challenger`` (the alias set, or kept when refused).
        promoted: Whether the version is now the champion.
        metric: Promotion metric name.
        candidate_score: The candidate's score on the validation snapshot.
        champion_score: The previous champion's score on the same snapshot (``None`` if none
            or not comparable).
        previous_champion: Version that was champion before, if any.
        forced: Whether ``force`` overrode the gate.
        reason: Readable explanation.
    """

    name: str
    version: str
    alias: str
    promoted: bool
    metric: str
    candidate_score: float | None
    champion_score: float | None
    previous_champion: str | None
    forced: bool
    reason: str


def beats(candidate: float | None, champion: float | None) -> bool:
    """The gate: a candidate wins when there is no comparable champion score, or it is higher."""
    if candidate is None:
        return False
    return champion is None or candidate > champion


def register_version(
    model_uri: str, name: str, tags: dict[str, str], settings: TrackingSettings | None = None
) -> str:
    """Register a logged model as a new version of ``name`` (created if needed); its number."""
    import mlflow

    settings = settings or TrackingSettings.from_env()
    settings.apply()
    version = mlflow.register_model(model_uri, name, tags={k: str(v) for k, v in tags.items()})
    return str(version.version)


def require_finished_run(client, run_id: str | None, what: str) -> None:
    """Refuse unless run ``run_id`` exists and FINISHED.

    Args:
        client: An ``MlflowClient``.
        run_id: The training run.
        what: What depends on the run, for the message (e.g. ``procare-escalation v3``).

    Raises:
        UnfinishedRunError: If the run is unknown, still RUNNING, FAILED or KILLED.
    """
    from mlflow.exceptions import MlflowException

    if not run_id:
        raise UnfinishedRunError(f"{what}: no training run is recorded; refusing an alias")
    try:
        status = client.get_run(run_id).info.status
    except MlflowException:
        status = "missing"
    if status != FINISHED:
        raise UnfinishedRunError(
            f"{what}: its training run {run_id} is {status}, not {FINISHED}; "
            "only versions of finished runs get an alias"
        )


def source_run_id(version) -> str | None:
    """The training run of a ``ModelVersion``: its ``run_id``, else tag ``parent_run_id``."""
    return version.run_id or (version.tags or {}).get("parent_run_id")


def champion_version(name: str, settings: TrackingSettings | None = None):
    """The ``ModelVersion`` holding the champion alias, or ``None``."""
    from mlflow.exceptions import MlflowException

    client = (settings or TrackingSettings.from_env()).client()
    try:
        return client.get_model_version_by_alias(name, CHAMPION)
    except MlflowException:
        return None


def stored_score(version, metric: str) -> float | None:
    """The promotion metric recorded on a version's tags."""
    value = (version.tags or {}).get(METRIC_TAG_PREFIX + metric)
    return None if value in (None, "", "nan") else float(value)


def apply_decision(
    decision: PromotionDecision, settings: TrackingSettings | None = None
) -> PromotionDecision:
    """Set the decided alias and record the decision on the version's tags.

    Raises:
        UnfinishedRunError: If the version's training run did not finish (nothing changes).
    """
    client = (settings or TrackingSettings.from_env()).client()
    version = client.get_model_version(decision.name, decision.version)
    require_finished_run(client, source_run_id(version), f"{decision.name} v{decision.version}")
    aliases = client.get_registered_model(decision.name).aliases or {}
    if decision.alias == CHAMPION and str(aliases.get(CHALLENGER)) == decision.version:
        client.delete_registered_model_alias(decision.name, CHALLENGER)
    client.set_registered_model_alias(decision.name, decision.alias, decision.version)
    tags = {
        "promotion.decision": decision.alias,
        "promotion.reason": decision.reason,
        "promotion.at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    if decision.champion_score is not None:
        tags["promotion.champion_score"] = f"{decision.champion_score:.6f}"
    if decision.previous_champion is not None:
        tags["promotion.previous_champion"] = decision.previous_champion
    if decision.forced:
        tags["forced_promotion"] = "true"
    for key, value in tags.items():
        client.set_model_version_tag(decision.name, decision.version, key, value)
    logger.info(
        "%s version %s -> %s (%s)", decision.name, decision.version, decision.alias, decision.reason
    )
    return decision


def gate(
    name: str,
    version: str,
    metric: str,
    candidate_score: float | None,
    champion_score: float | None,
    previous_champion: str | None,
    not_comparable: str | None = None,
) -> PromotionDecision:
    """Decide champion or challenger for a freshly registered version (no side effects).

    Args:
        name: Registered model.
        version: Candidate version.
        metric: Promotion metric.
        candidate_score: Candidate's score on the validation snapshot.
        champion_score: Champion's score on the same snapshot, ``None`` when not comparable.
        previous_champion: Current champion version (``None`` when there is none).
        not_comparable: Why the champion could not be scored on this snapshot (keeps the
            candidate a challenger; promote it with ``force``).
    """
    if previous_champion is None:
        alias, reason = CHAMPION, "no champion yet"
    elif not_comparable is not None:
        alias, reason = CHALLENGER, f"champion not comparable: {not_comparable}"
    elif candidate_score is None:
        alias, reason = CHALLENGER, f"candidate has no recorded {metric}; use force"
    elif beats(candidate_score, champion_score):
        alias = CHAMPION
        reason = f"{metric} {candidate_score:.4f} > champion's {champion_score:.4f}"
    else:
        alias = CHALLENGER
        reason = f"{metric} {candidate_score:.4f} <= champion's {champion_score:.4f}"
    return PromotionDecision(
        name=name,
        version=version,
        alias=alias,
        promoted=alias == CHAMPION,
        metric=metric,
        candidate_score=candidate_score,
        champion_score=champion_score if not_comparable is None else None,
        previous_champion=previous_champion,
        forced=False,
        reason=reason,
    )


def promote(
    name: str, version: str, force: bool = False, settings: TrackingSettings | None = None
) -> PromotionDecision:
    """Make ``version`` the champion if it beats the champion on the same validation snapshot.

    The comparison uses the scores recorded on the versions' tags at training time, so both
    must have been validated on the same snapshot (tag ``valid_as_of``) with the same metric;
    otherwise only ``force`` promotes. A refused promotion changes nothing.

    Args:
        name: Registered model, e.g. ``procare-escalation``.
        version: Version number to promote.
        force: Promote regardless of the gate (recorded as tag ``forced_promotion=true``).
        settings: MLflow settings (default: from the environment).
    """
    settings = settings or TrackingSettings.from_env()
    client = settings.client()
    candidate = client.get_model_version(name, str(version))
    metric = (candidate.tags or {}).get("promotion_metric", "pr_auc")
    score = stored_score(candidate, metric)
    current = champion_version(name, settings)
    previous = None if current is None else str(current.version)
    if previous == str(version):
        return PromotionDecision(
            name=name,
            version=str(version),
            alias=CHAMPION,
            promoted=True,
            metric=metric,
            candidate_score=score,
            champion_score=score,
            previous_champion=previous,
            forced=False,
            reason="already the champion",
        )
    if force:
        decision = PromotionDecision(
            name=name,
            version=str(version),
            alias=CHAMPION,
            promoted=True,
            metric=metric,
            candidate_score=score,
            champion_score=None if current is None else stored_score(current, metric),
            previous_champion=previous,
            forced=True,
            reason="forced promotion",
        )
        return apply_decision(decision, settings)
    not_comparable = None
    champion_score = None
    if current is not None:
        champion_score = stored_score(current, metric)
        same_snapshot = (current.tags or {}).get("valid_as_of") == (candidate.tags or {}).get(
            "valid_as_of"
        )
        same_metric = (current.tags or {}).get("promotion_metric", "pr_auc") == metric
        if not (same_snapshot and same_metric) or champion_score is None:
            not_comparable = "validated on a different snapshot or metric; use force"
    decision = gate(name, str(version), metric, score, champion_score, previous, not_comparable)
    if decision.promoted:
        return apply_decision(decision, settings)
    return decision


@dataclass(frozen=True)
class ModelSummary:
    """One registered model: its latest version and aliases."""

    name: str
    latest_version: str | None
    aliases: dict[str, str]
    champion_score: float | None
    metric: str | None
    description: str


def list_models(
    prefix: str = "procare", settings: TrackingSettings | None = None
) -> list[ModelSummary]:
    """Registered models whose name starts with ``prefix``, sorted by name."""
    settings = settings or TrackingSettings.from_env()
    client = settings.client()
    found = client.search_registered_models(filter_string=f"name LIKE '{prefix}%'")
    out = []
    for model in sorted(found, key=lambda m: m.name):
        versions = client.search_model_versions(f"name = '{model.name}'")
        latest = max((int(v.version) for v in versions), default=None)
        champion = champion_version(model.name, settings)
        metric = None if champion is None else (champion.tags or {}).get("promotion_metric")
        out.append(
            ModelSummary(
                model.name,
                None if latest is None else str(latest),
                {alias: str(v) for alias, v in (model.aliases or {}).items()},
                None if champion is None or metric is None else stored_score(champion, metric),
                metric,
                model.description or "",
            )
        )
    return out


@dataclass(frozen=True)
class VersionInfo:
    """One version of a registered model with its aliases and training tags."""

    version: str
    aliases: list[str]
    run_id: str | None
    created: str
    tags: dict[str, str]


def show_model(name: str, settings: TrackingSettings | None = None) -> list[VersionInfo]:
    """Every version of ``name``, newest first, with aliases and tags (metrics, window, SHA)."""
    client = (settings or TrackingSettings.from_env()).client()
    model = client.get_registered_model(name)
    by_version: dict[str, list[str]] = {}
    for alias, version in (model.aliases or {}).items():
        by_version.setdefault(str(version), []).append(alias)
    versions = client.search_model_versions(f"name = '{name}'")
    out = []
    for version in sorted(versions, key=lambda v: int(v.version), reverse=True):
        created = datetime.fromtimestamp(version.creation_timestamp / 1000, UTC)
        out.append(
            VersionInfo(
                str(version.version),
                sorted(by_version.get(str(version.version), [])),
                version.run_id,
                created.isoformat(timespec="seconds"),
                dict(version.tags or {}),
            )
        )
    return out
