"""The registered models as the applying stage sees them: load the champions, score with them.

This is the one module of ``training`` that ``serving`` and ``outreach`` import: everything a
scorer needs from a registered model (the model class, its reasons, its input schema checks)
is re-exported here, so the modelling internals can change behind it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from features.vocabulary import TARGETS
from training.feature_schema import FEW_ROWS, FrameValues
from training.model import ProcareModel, Reason, score_models
from training.pyfunc import load_model
from training.registry import CHAMPION, champion_version
from training.scoring_config import ActionConfig, ScoringConfig, TierConfig
from training.tracking import TrackingSettings

__all__ = [
    "CHAMPION",
    "FEW_ROWS",
    "ActionConfig",
    "ChampionConfigError",
    "ChampionModels",
    "FrameValues",
    "ProcareModel",
    "Reason",
    "ScoringConfig",
    "TierConfig",
    "TrackingSettings",
    "load_champions",
    "model_name",
    "score_models",
]

logger = logging.getLogger(__name__)


class ChampionConfigError(LookupError):
    """The champions of the targets carry different scoring configurations."""


@dataclass(frozen=True)
class ChampionModels:
    """The model of each target, where it came from, and the scoring configuration they carry.

    Attributes:
        models: The model of each target.
        versions: Registry name, version and alias of each target's model.
        scoring: The scoring configuration chosen when the models were trained (tiers, actions,
            reasons); models trained before models carried one count as the defaults.

    Raises:
        ChampionConfigError: When the models carry different scoring configurations. A tier
            combines both targets' probabilities and an action reads the escalation score and
            both targets' reasons, so no single model owns the configuration; using either one
            would apply cut-offs the other model was never chosen with.
    """

    models: dict[str, ProcareModel]
    versions: dict[str, dict[str, str]] = field(default_factory=dict)
    scoring: ScoringConfig = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "scoring", self._carried_scoring())

    def _carried_scoring(self) -> ScoringConfig:
        carried = {target: model.scoring for target, model in self.models.items()}
        legacy = sorted(target for target, config in carried.items() if config is None)
        if legacy:
            logger.warning(
                "models of %s carry no scoring configuration (trained before models carried "
                "one): scoring with the defaults",
                ", ".join(legacy),
            )
        configs = {t: ScoringConfig() if c is None else c for t, c in carried.items()}
        distinct = {config.model_dump_json() for config in configs.values()}
        if len(distinct) > 1:
            shown = "; ".join(
                f"{self._label(target)}: {config.model_dump_json()}"
                for target, config in configs.items()
            )
            raise ChampionConfigError(
                f"the champions carry different scoring configurations ({shown}); retrain the "
                "targets together with one `scoring` section (`procare train`)"
            )
        return next(iter(configs.values()), ScoringConfig())

    def _label(self, target: str) -> str:
        version = self.versions.get(target)
        return f"{version['name']} v{version['version']}" if version else target

    @property
    def input_columns(self) -> list[str]:
        """Feature columns any of the models needs, in first-seen order."""
        seen: dict[str, None] = {}
        for model in self.models.values():
            seen.update(dict.fromkeys(model.input_columns))
        return list(seen)


def model_name(target: str, prefix: str = "procare") -> str:
    """Registered model name of a target, e.g. ``procare-escalation``."""
    return f"{prefix}-{target}"


def load_champions(
    settings: TrackingSettings | None = None, prefix: str = "procare"
) -> ChampionModels:
    """Load the ``champion`` of every target from the MLflow registry.

    Raises:
        LookupError: When a target has no champion yet (train first: ``procare train``).
        ChampionConfigError: When the champions carry different scoring configurations
            (a ``LookupError``: no usable set of champions).
    """
    settings = settings or TrackingSettings.from_env()
    settings.apply()
    models, versions = {}, {}
    for target in TARGETS:
        name = model_name(target, prefix)
        version = champion_version(name, settings)
        if version is None:
            raise LookupError(
                f"no '{CHAMPION}' alias on registered model {name!r} at {settings.tracking_uri}; "
                "run `procare train` first"
            )
        models[target] = load_model(f"models:/{name}@{CHAMPION}")
        versions[target] = {"name": name, "version": str(version.version), "alias": CHAMPION}
    return ChampionModels(models, versions)
