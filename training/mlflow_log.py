"""Small MLflow logging helpers for the active run (params, tags, datasets, tables, plots)."""

from __future__ import annotations

import functools
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import numpy as np
import pandas as pd

from training.tracking import END_REASON_TAG, failure_reason, process_tags

FIGURE_DPI = 90


def finite(metrics: Mapping[str, float]) -> dict[str, float]:
    """Metrics without NaN or infinite values (MLflow rejects them or plots them badly)."""
    return {k: float(v) for k, v in metrics.items() if np.isfinite(v)}


def active_experiment_id() -> str:
    """The experiment of the active run (nested runs must name it explicitly)."""
    import mlflow

    return mlflow.active_run().info.experiment_id


@contextmanager
def tracked_run(
    run_name: str,
    experiment_id: str,
    nested: bool = False,
    tags: Mapping[str, str] | None = None,
) -> Iterator[object]:
    """``mlflow.start_run`` tagged with the owning process (see :func:`process_tags`).

    A run left by an exception (a crash, Ctrl-C, SIGTERM under ``fail_runs_on_signal``) ends
    FAILED with the reason in tag ``procare.end_reason``; a run whose process was killed
    outright is found by its process tags and marked FAILED on the next training start.
    """
    import mlflow

    start_tags = {**process_tags(), **dict(tags or {})}
    with mlflow.start_run(
        run_name=run_name, experiment_id=experiment_id, nested=nested, tags=start_tags
    ) as run:
        try:
            yield run
        except BaseException as error:
            mlflow.set_tag(END_REASON_TAG, failure_reason(error))
            raise


def log_child_run(
    name: str,
    params: Mapping[str, object],
    metrics: Mapping[str, float],
    tags: Mapping[str, str] | None = None,
) -> None:
    """A nested run under the active run, in the same experiment."""
    import mlflow

    with tracked_run(name, active_experiment_id(), nested=True, tags=tags):
        mlflow.log_params({k: str(v) for k, v in params.items()})
        mlflow.log_metrics(finite(metrics))


def log_figures(figures: Mapping[str, object]) -> None:
    """Log matplotlib figures under ``plots/`` and close them."""
    import matplotlib.pyplot as plt
    import mlflow

    for file_name, figure in figures.items():
        mlflow.log_figure(figure, f"plots/{file_name}", save_kwargs={"dpi": FIGURE_DPI})
        plt.close(figure)


def log_table(table: pd.DataFrame, path: str, markdown: str | None = None) -> None:
    """Log a table as ``<path>.csv`` (and ``<path>.md`` when given)."""
    import mlflow

    mlflow.log_text(table.to_csv(index=False), f"{path}.csv")
    if markdown is not None:
        mlflow.log_text(markdown, f"{path}.md")


DATASET_SAMPLE_ROWS = 1_000
"""Rows of a feature frame that MLflow sees when a dataset is logged (its schema comes from them).

MLflow's own digest of a whole frame calls ``type`` on every cell (16 s for 200,000 rows x 113
columns, more than the LightGBM fit); the digest logged here is the snapshots' fingerprint."""


def dataset_sample(frame: pd.DataFrame, rows: int = DATASET_SAMPLE_ROWS, seed: int = 0):
    """A seeded sample of at most ``rows`` rows of ``frame`` (row order kept)."""
    if len(frame) <= rows:
        return frame
    return frame.sample(n=rows, random_state=seed).sort_index()


def log_dataset(
    frame: pd.DataFrame,
    source: str,
    target: str,
    name: str,
    context: str,
    *,
    digest: str,
    snapshot_dates: list[str],
    sample_rows: int = DATASET_SAMPLE_ROWS,
) -> None:
    """Dataset lineage of a feature frame: digest, source, row count, snapshot dates, schema.

    Only a seeded sample of rows reaches MLflow (the schema is inferred from it); the profile
    reports the whole frame's row and column counts, the snapshot dates and the sample size.
    Nothing of the rows is stored. Pass the feature frame only: complaint documents are never
    logged.

    Args:
        frame: The feature frame (with the label column ``target``).
        source: Where the snapshots live.
        target: The label column.
        name: Dataset name shown in MLflow.
        context: ``training`` or ``validation``.
        digest: Fingerprint of the snapshots the frame was read from.
        snapshot_dates: ISO dates of those snapshots.
        sample_rows: Rows handed to MLflow.
    """
    import mlflow
    from mlflow.data.dataset_source_registry import resolve_dataset_source

    lineage = {
        "num_rows": len(frame),
        "num_elements": int(frame.size),
        "sample_rows": min(len(frame), sample_rows),
        "snapshot_dates": list(snapshot_dates),
        "fingerprint": digest,
    }
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*interpreted in multiple ways.*")
        warnings.filterwarnings("ignore", message=".*schema contains integer.*")
        dataset = _lineage_dataset_class()(
            dataset_sample(frame, sample_rows),
            resolve_dataset_source(source),
            targets=target,
            name=name,
            digest=digest,
            lineage=lineage,
        )
        mlflow.log_input(dataset, context=context)


@functools.cache
def _lineage_dataset_class() -> type:
    """``LineageDataset``: defined on first use, so importing this module does not import MLflow.

    A pandas dataset holding a sample of a frame whose profile describes the whole frame.
    """
    from mlflow.data.pandas_dataset import PandasDataset

    class LineageDataset(PandasDataset):
        def __init__(self, df, source, targets, name, digest, lineage) -> None:
            self.lineage = dict(lineage)
            super().__init__(df, source, targets=targets, name=name, digest=digest)

        @property
        def profile(self) -> dict:
            return dict(self.lineage)

    return LineageDataset
