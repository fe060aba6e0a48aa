"""Small MLflow logging helpers for the active run (params, tags, datasets, tables, plots)."""

from __future__ import annotations

import warnings
from collections.abc import Mapping

import numpy as np
import pandas as pd

FIGURE_DPI = 90


def finite(metrics: Mapping[str, float]) -> dict[str, float]:
    """Metrics without NaN or infinite values (MLflow rejects them or plots them badly)."""
    return {k: float(v) for k, v in metrics.items() if np.isfinite(v)}


def active_experiment_id() -> str:
    """The experiment of the active run (nested runs must name it explicitly)."""
    import mlflow

    return mlflow.active_run().info.experiment_id


def log_child_run(
    name: str,
    params: Mapping[str, object],
    metrics: Mapping[str, float],
    tags: Mapping[str, str] | None = None,
) -> None:
    """A nested run under the active run, in the same experiment."""
    import mlflow

    with mlflow.start_run(run_name=name, nested=True, experiment_id=active_experiment_id()):
        mlflow.set_tags(dict(tags or {}))
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


def log_dataset(frame: pd.DataFrame, source: str, target: str, name: str, context: str) -> None:
    """Dataset lineage (schema, digest, row count; never the rows) of a feature frame.

    Pass the feature frame only: complaint documents are never logged.
    """
    import mlflow

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*interpreted in multiple ways.*")
        warnings.filterwarnings("ignore", message=".*schema contains integer.*")
        dataset = mlflow.data.from_pandas(frame, source=source, targets=target, name=name)
    mlflow.log_input(dataset, context=context)
