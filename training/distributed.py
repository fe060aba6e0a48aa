"""The primary LightGBM model trained across a Dask cluster with ``lightgbm.dask`` (data parallel).

Two pitfalls of ``lightgbm.dask`` are handled here:

- ports: no ``local_listen_port`` is passed, so LightGBM finds a free port on every worker and
  holds it until training starts (one fixed port collides when several workers share a host);
- data on every worker: the training rows are cut into one contiguous block per worker and each
  block is placed on its worker, so every worker holds data and takes part (LightGBM trains
  only on the workers that hold parts, and a worker given no rows would leave the others
  waiting).

Each worker trains with one thread, as on one machine. The result is close to, not identical
with, the single-machine model (histograms are built per worker and merged).
"""

from __future__ import annotations

import warnings

import lightgbm as lgb
import numpy as np

from training.booster import booster_params
from training.config import TrainConfig
from training.families import Matrices


def worker_blocks(rows: int, workers: int) -> list[tuple[int, int]]:
    """Contiguous ``(start, stop)`` row blocks, one per worker, sizes within one row.

    Raises:
        ValueError: With fewer rows than workers (a worker would hold no data).
    """
    if rows < workers:
        raise ValueError(f"{rows} training rows cannot give each of {workers} workers data")
    bounds = np.linspace(0, rows, workers + 1).round().astype(int)
    return list(zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True))


def fit_lightgbm_dask(
    client,
    matrices: Matrices,
    y: np.ndarray,
    config: TrainConfig,
    weights: np.ndarray | None = None,
) -> lgb.Booster:
    """Train the primary model on the cluster of ``client``; the booster comes back here.

    Args:
        client: A connected ``distributed.Client``.
        matrices: Training matrix (validation is scored by the caller).
        y: Training labels.
        config: LightGBM settings and seed.
        weights: Row weights (negative subsampling), or ``None``.
    """
    import dask.array as da
    from dask import delayed
    from lightgbm import DaskLGBMClassifier

    workers = sorted(client.scheduler_info()["workers"])
    labels = np.asarray(y, dtype=np.float32)
    columns = matrices.train.shape[1]
    x_parts, y_parts, w_parts = [], [], []
    for worker, (start, stop) in zip(
        workers, worker_blocks(len(labels), len(workers)), strict=True
    ):
        x = client.scatter(matrices.train[start:stop], workers=[worker])
        x_parts.append(da.from_delayed(delayed(x), (stop - start, columns), np.float32))
        label = client.scatter(labels[start:stop], workers=[worker])
        y_parts.append(da.from_delayed(delayed(label), (stop - start,), np.float32))
        if weights is not None:
            weight = client.scatter(np.asarray(weights[start:stop]), workers=[worker])
            w_parts.append(da.from_delayed(delayed(weight), (stop - start,), np.float64))
    params = booster_params(config.lightgbm, y, config.seed, weights)
    params.pop("num_threads", None)
    model = DaskLGBMClassifier(
        client=client,
        n_estimators=config.lightgbm.n_estimators,
        tree_learner="data",
        **params,
    )
    schema = matrices.schema
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*n_jobs will be ignored.*")
        model.fit(
            da.concatenate(x_parts),
            da.concatenate(y_parts),
            sample_weight=da.concatenate(w_parts) if w_parts else None,
            feature_name=list(schema.columns),
            categorical_feature=schema.categorical_indices,
        )
    return model.booster_
