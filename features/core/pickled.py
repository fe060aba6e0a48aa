"""Configurations that registered models carry pickled, loadable after new settings are added."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class DefaultsOnUnpickle(BaseModel):
    """A pydantic model that, when unpickled, gives the settings added since the pickling their
    defaults: a model registered before a setting existed still loads, with the default."""

    def __setstate__(self, state: dict[str, Any]) -> None:
        defaults = {
            name: info.get_default(call_default_factory=True)
            for name, info in type(self).model_fields.items()
        }
        super().__setstate__({**state, "__dict__": {**defaults, **state.get("__dict__", {})}})
