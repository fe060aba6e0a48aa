"""Random streams and samplers that keep parallel worlds aligned.

Every (month, component) pair has its own stream, so changing what happens in one month or one
mechanism never shifts the random numbers of another. Counts are drawn by inverse CDF from one
uniform per cell, so a customer whose intensity did not change keeps the same count.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np


class Stream(IntEnum):
    """Component ids of the random streams."""

    POPULATION = 1
    GRAPH = 2
    ACCOUNTS = 3
    REGIONS = 4
    PAYMENTS = 10
    OUTAGES = 11
    USAGE = 12
    CHARGES = 13
    CONTACT_COUNTS = 20
    CONTACT_MARKS = 21
    CONTACT_TEXT = 22
    TREATMENT = 23
    OUTBOUND = 24
    NOISE_CONTACTS = 25
    TICKETS = 26
    POSTS = 30
    POST_TEXT = 31
    POST_MARKS = 32
    EDGES = 40
    AFTERMATH = 50
    REFUNDS = 51


def stream(seed: int, month: int, component: Stream) -> np.random.Generator:
    """The random stream of one component in one simulated month (``month = -1``: static)."""
    return np.random.default_rng([seed, month + 1, int(component)])


def poisson_from_uniform(uniform: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """Poisson counts by inverse CDF: ``count = min{k : F(k; mean) >= u}``.

    Args:
        uniform: Uniform draws in [0, 1), one per cell.
        mean: Poisson means (same shape), >= 0.

    Returns:
        ``int32`` counts with the shape of ``mean``.
    """
    uniform = np.asarray(uniform, dtype=np.float64).ravel()
    mean = np.asarray(mean, dtype=np.float64)
    shape = mean.shape
    mean = mean.ravel()
    counts = np.zeros(mean.shape, dtype=np.int32)
    pmf = np.exp(-mean)
    cdf = pmf.copy()
    active = np.flatnonzero(uniform > cdf)
    k = 0
    while active.size:
        k += 1
        lam = mean[active]
        pmf_a = pmf[active] * lam / k
        cdf_a = cdf[active] + pmf_a
        pmf[active] = pmf_a
        cdf[active] = cdf_a
        counts[active] = k
        keep = (uniform[active] > cdf_a) & (k < 10_000) & (pmf_a > 0)
        active = active[keep]
    return counts.reshape(shape)


def categorical(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One category index per row of ``probs`` (rows need not be normalized)."""
    cum = np.cumsum(probs, axis=1)
    total = cum[:, -1:]
    u = rng.random((probs.shape[0], 1)) * total
    return np.minimum((cum <= u).sum(axis=1), probs.shape[1] - 1).astype(np.int16)


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))
