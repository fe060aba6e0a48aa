"""Negative subsampling of training rows, with weights that keep the class balance unbiased.

At scale most training rows are negatives that teach the model little: keeping every positive
and a seeded share ``rate`` of the negatives, each kept negative weighted ``1 / rate``, cuts the
fitting cost by about ``rate`` while the weighted rows estimate the same loss. Probabilities are
calibrated afterwards on the unsampled validation snapshot, so they stay calibrated.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class SampledRows:
    """Training rows kept for one target.

    Attributes:
        rows: Positions of the kept rows (ascending).
        weights: Weight of each kept row (1 for positives, ``1 / rate`` for negatives).
        rate: Share of negatives kept.
    """

    rows: np.ndarray
    weights: np.ndarray
    rate: float


def negative_sample(y: np.ndarray, rate: float, seed: int | list[int]) -> SampledRows | None:
    """Keep every positive and a seeded share ``rate`` of negatives; ``None`` when ``rate`` is 1.

    Args:
        y: Binary labels of the training rows.
        rate: Share of negatives kept, in (0, 1].
        seed: Seed of the draw (the same seed keeps the same negatives).

    Raises:
        ValueError: If ``rate`` is not in (0, 1].
    """
    if not 0 < rate <= 1:
        raise ValueError(f"negative_sample_rate must lie in (0, 1]: {rate}")
    if rate == 1:
        return None
    y = np.asarray(y, dtype=bool)
    keep = y | (np.random.default_rng(seed).random(len(y)) < rate)
    rows = np.flatnonzero(keep)
    weights = np.where(y[rows], 1.0, 1.0 / rate)
    return SampledRows(rows, weights, rate)
