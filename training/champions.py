"""The registered models as the applying stage sees them: load the champions, score with them.

This is the one module of ``training`` that ``serving`` and ``outreach`` import: everything a
scorer needs from a registered model (the model class, its reasons, its input schema checks)
is re-exported here, so the modelling internals can change behind it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from training.feature_schema import FEW_ROWS, FrameValues
from training.model import ProcareModel, Reason, score_models
from training.pyfunc import load_model
from training.registry import CHAMPION, champion_version
from training.tracking import TrackingSettings

__all__ = [
    "CHAMPION",
    "FEW_ROWS",
    "ChampionModels",
    "FrameValues",
    "ProcareModel",
    "Reason",
    "TrackingSettings",
    "load_champions",
    "model_name",
    "score_models",
]

TARGETS = ("repeat_contact", "escalation")


@dataclass(frozen=True)
class ChampionModels:
    """The model of each target and where it came from."""

    models: dict[str, ProcareModel]
    versions: dict[str, dict[str, str]] = field(default_factory=dict)

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
