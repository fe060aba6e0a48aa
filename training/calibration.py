"""Probability calibration of raw model scores (log-odds, counts, ...).

``sigmoid`` is Platt scaling on the raw score (a logistic regression with one input), so it keeps
the ranking; ``isotonic`` is a monotone step function (it may tie neighbours); ``none`` reads the
raw score as log-odds. Calibrators are fitted on the validation period; the metrics reported for
that period use :func:`cross_fit`, so no customer is scored by a calibrator that saw its label.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit
from sklearn.isotonic import IsotonicRegression
from sklearn.model_selection import StratifiedKFold

from training.config import Calibration


def platt_fit(raw: np.ndarray, y: np.ndarray, ridge: float = 1e-6, steps: int = 100) -> np.ndarray:
    """Slope and intercept of ``P(y) = expit(a * raw + b)`` by damped Newton steps.

    A tiny ridge on the slope keeps the fit finite when the classes are separable (a 0/1 rule).
    """
    x = np.column_stack([raw, np.ones_like(raw)])
    y = y.astype(np.float64)
    rate = min(max(y.mean(), 1e-6), 1 - 1e-6)
    w = np.array([0.0, np.log(rate / (1 - rate))])
    penalty = ridge * len(y) * np.diag([1.0, 0.0])

    def loss(weights: np.ndarray) -> float:
        margin = x @ weights
        return float(
            np.sum(np.logaddexp(0.0, margin) - y * margin) + 0.5 * weights @ penalty @ weights
        )

    current = loss(w)
    for _ in range(steps):
        p = expit(x @ w)
        gradient = x.T @ (p - y) + penalty @ w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + penalty + 1e-12 * np.eye(2)
        step = np.linalg.solve(hessian, gradient)
        scale = 1.0
        while scale > 1e-8 and loss(w - scale * step) > current:
            scale /= 2
        w = w - scale * step
        previous, current = current, loss(w)
        if previous - current < 1e-12 * max(1.0, abs(current)):
            break
    return w


class Calibrator:
    """Maps raw scores to probabilities (scikit-learn conventions).

    Args:
        method: ``"sigmoid"``, ``"isotonic"`` or ``"none"``.
    """

    def __init__(self, method: Calibration = "sigmoid") -> None:
        self.method = method

    def fit(self, raw: np.ndarray, y: np.ndarray) -> Calibrator:
        """Fit on raw scores and binary labels.

        Raises:
            ValueError: If ``y`` holds a single class (nothing to calibrate against).
        """
        raw = np.asarray(raw, dtype=np.float64)
        y = np.asarray(y, dtype=bool)
        if self.method != "none" and (y.all() or not y.any()):
            raise ValueError("calibration needs both classes in the labels")
        if self.method == "sigmoid":
            self.coef_ = platt_fit(raw, y)
        elif self.method == "isotonic":
            self.model_ = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(
                raw, y.astype(np.float64)
            )
        return self

    def predict(self, raw: np.ndarray) -> np.ndarray:
        """Calibrated probabilities of raw scores."""
        raw = np.asarray(raw, dtype=np.float64)
        if self.method == "sigmoid":
            return expit(self.coef_[0] * raw + self.coef_[1])
        if self.method == "isotonic":
            return self.model_.predict(raw)
        return expit(raw)


def cross_fit(
    raw: np.ndarray, y: np.ndarray, method: Calibration, n_splits: int, seed: int
) -> np.ndarray:
    """Out-of-fold calibrated probabilities: each fold is calibrated on the other folds.

    Raises:
        ValueError: If there are fewer than two positives or two negatives.
    """
    raw = np.asarray(raw, dtype=np.float64)
    y = np.asarray(y, dtype=bool)
    if method == "none":
        return expit(raw)
    smallest = int(min(y.sum(), (~y).sum()))
    if smallest < 2:
        raise ValueError(
            f"validation labels have {int(y.sum())} positives of {len(y)}: need at least 2 of "
            "each class to calibrate"
        )
    folds = StratifiedKFold(n_splits=min(n_splits, smallest), shuffle=True, random_state=seed)
    out = np.empty(len(y), dtype=np.float64)
    for fit_rows, score_rows in folds.split(raw, y):
        out[score_rows] = (
            Calibrator(method).fit(raw[fit_rows], y[fit_rows]).predict(raw[score_rows])
        )
    return out
