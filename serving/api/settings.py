"""Service settings, read from environment variables in one place."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator

from pipelines.catalog import DEFAULT_TRACKING_URI, DEFAULT_WORKDIR, DataLayout
from training.tracking import TRACKING_URI_ENV

ENV_VARS: dict[str, str] = {
    "api_key": "PROCARE_API_KEY",
    "dev_mode": "PROCARE_DEV_MODE",
    "workdir": "PROCARE_WORKDIR",
    "features_dir": "PROCARE_FEATURES_DIR",
    "raw_dir": "PROCARE_RAW_DIR",
    "scores_dir": "PROCARE_SCORES_DIR",
    "outreach_dir": "PROCARE_OUTREACH_DIR",
    "live_dir": "PROCARE_LIVE_DIR",
    "index_dir": "PROCARE_INDEX_DIR",
    "tracking_uri": TRACKING_URI_ENV,
    "model_prefix": "PROCARE_MODEL_PREFIX",
    "max_batch_size": "PROCARE_MAX_BATCH_SIZE",
    "max_request_bytes": "PROCARE_MAX_REQUEST_BYTES",
    "live_explain_max_rows": "PROCARE_LIVE_EXPLAIN_MAX_ROWS",
    "bulk_chunk_rows": "PROCARE_BULK_CHUNK_ROWS",
    "metrics_open": "PROCARE_METRICS_OPEN",
    "workers": "PROCARE_WORKERS",
    "run_dir": "PROCARE_RUN_DIR",
}
"""Settings field -> environment variable."""

API_KEY_HEADER = "X-API-Key"

BOOLEAN_FIELDS = ("dev_mode", "metrics_open")

MAX_REQUEST_BYTES = 4 * 1024 * 1024
"""Default body limit (4 MiB): 1,000 feature records (113 features written with 15 digits are
about 3.5 KB a record) or 10,000 ids fit. BentoML parses and validates a body on the event loop
before the service sees it (about 150 ms for 1,000 records), so a larger body would hold every
request in flight, live events included; bulk scoring of the base is ``procare score``'s job."""

WORKDIR_FOLDERS = ("features_dir", "raw_dir", "scores_dir", "live_dir", "index_dir")
"""Folders that default to their area of :class:`~pipelines.catalog.DataLayout` (``workdir``)."""


class ServingSettings(BaseModel):
    """Everything the service reads from its environment.

    Attributes:
        api_key: Key CRM callers send in the ``X-API-Key`` header. Required unless
            ``dev_mode``; when set it is always enforced.
        dev_mode: Local development (``PROCARE_DEV_MODE=1``): the API key may be omitted.
        workdir: The data folder (``PROCARE_WORKDIR``, default ``data``); the features, raw,
            scores and live folders default to its areas, each overridable on its own.
        features_dir: Feature snapshots (graph features and documents of the served snapshot).
        raw_dir: Ingested contract tables (the real-time event path recomputes features).
        scores_dir: Batch scores written by ``procare score`` (looked up by id).
        outreach_dir: When set, every outreach plan (both groups) is written there as Parquet so
            the effect of outreach can be measured against the control group later.
        live_dir: Folder of the store of contacts received live (``/events/contact``), shared
            by all workers; ``none`` (``PROCARE_LIVE_DIR=none``) keeps them in each worker's
            memory, which is right for one worker only.
        index_dir: The serving index (the served snapshot and the customer tables sorted by id,
            built by ``procare serve`` on start; see :mod:`pipelines.serving_index`).
        tracking_uri: MLflow tracking/registry URI holding the ``champion`` models.
        model_prefix: Registered model names are ``<prefix>-<target>``.
        max_batch_size: Most customers (ids or records) one request may score.
        max_request_bytes: Largest request body accepted (413 beyond); see
            :data:`MAX_REQUEST_BYTES`.
        live_explain_max_rows: ``records`` batches up to this size get live reason codes by
            default (TreeSHAP costs milliseconds per row).
        bulk_chunk_rows: ``records`` are scored this many rows at a time (a tenth of it with
            live reasons); live events queued meanwhile run between two chunks.
        metrics_open: Whether Prometheus ``/metrics`` answers without the API key (its labels
            are a fixed set of routes and status codes: no value a client sends); ``0`` asks
            for the key there too.
        workers: Worker processes of the server; ``/readyz`` is 200 only when all are ready
            (with ``run_dir``).
        run_dir: Folder where the workers of one server record that they are ready (or why
            they failed); set by ``procare serve``. ``None``: each worker answers for itself.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    api_key: SecretStr | None = None
    dev_mode: bool = False
    workdir: Path = DEFAULT_WORKDIR
    features_dir: Path = DataLayout().features_dir
    raw_dir: Path = DataLayout().raw_dir
    scores_dir: Path = DataLayout().scores_dir
    outreach_dir: Path | None = None
    live_dir: Path | None = DataLayout().live_dir
    index_dir: Path = DataLayout().index_dir
    tracking_uri: str = DEFAULT_TRACKING_URI
    model_prefix: str = Field("procare", min_length=1)
    max_batch_size: int = Field(10_000, ge=1)
    max_request_bytes: int = Field(MAX_REQUEST_BYTES, ge=1024)
    live_explain_max_rows: int = Field(100, ge=0)
    bulk_chunk_rows: int = Field(500, ge=10)
    metrics_open: bool = True
    workers: int = Field(1, ge=1)
    run_dir: Path | None = None

    @model_validator(mode="before")
    @classmethod
    def _folders_from_workdir(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        layout = DataLayout(workdir=data.get("workdir") or DEFAULT_WORKDIR)
        derived = {field: getattr(layout, field) for field in WORKDIR_FOLDERS if field not in data}
        return {**derived, **data}

    @model_validator(mode="after")
    def _key_or_dev_mode(self) -> ServingSettings:
        if self.api_key is not None and not self.api_key.get_secret_value():
            raise ValueError(f"{ENV_VARS['api_key']} is set but empty")
        if self.api_key is None and not self.dev_mode:
            raise ValueError(
                f"{ENV_VARS['api_key']} is required (CRM callers send it in the "
                f"{API_KEY_HEADER} header); set {ENV_VARS['dev_mode']}=1 for local development "
                "without a key"
            )
        return self

    @property
    def auth_required(self) -> bool:
        """Whether requests must carry the API key."""
        return self.api_key is not None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ServingSettings:
        """Settings from environment variables (see :data:`ENV_VARS`); unset ones keep defaults.

        Raises:
            pydantic.ValidationError: When a value is invalid or the API key is missing outside
                dev mode.
        """
        environ = os.environ if environ is None else environ
        values = {
            field: environ[name]
            for field, name in ENV_VARS.items()
            if environ.get(name, "").strip() != ""
        }
        if values.get("live_dir", "").strip().lower() == "none":
            values["live_dir"] = None
        for name in BOOLEAN_FIELDS:
            if name in values:
                values[name] = values[name].strip().lower()
        return cls.model_validate(values)

    def environ(self) -> dict[str, str]:
        """These settings as environment variables (to start a server subprocess)."""
        out: dict[str, str] = {}
        for field, name in ENV_VARS.items():
            value = getattr(self, field)
            if value is None:
                if field == "live_dir":
                    out[name] = "none"
                continue
            if isinstance(value, SecretStr):
                value = value.get_secret_value()
            elif isinstance(value, bool):
                value = "1" if value else "0"
            out[name] = str(value)
        return out
