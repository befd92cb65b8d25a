"""Two verdicts on a training run, each defined here and nowhere else: *solved* and *diverged*.

Solved (XOR's success test)
    Every output lies on the right side of the decision threshold **and** the MSE,
    (1/n) Σ ½‖o − y‖², is below :data:`SOLVED_MSE`.

Diverged
    After some epoch the training loss (or any weight) is no longer a finite number, **or** the
    training loss has climbed above :data:`DIVERGENCE_FACTOR` times the loss the run started
    from. A start below :data:`DIVERGENCE_MIN_START` counts as that value, so the ordinary ups
    and downs of a nearly-solved network trained on mini-batches are never called divergence.

Every part of the package that says "solved" or "diverged" (``train``, ``train_ensemble``, the
playground, the StackOverflow trainers, the benchmarks) asks these functions.
"""

from __future__ import annotations

import math

import numpy as np

SOLVED_MSE = 0.01
"""A run solves XOR when every output is on the right side and its MSE is below this."""

DIVERGENCE_FACTOR = 3.0
"""A run diverges when its training loss rises above this multiple of the loss it started from."""

DIVERGENCE_MIN_START = 0.05
"""Starting losses below this count as this value in :func:`divergence_limit`."""


def solved_outputs(outputs: np.ndarray, y: np.ndarray, threshold: float) -> np.ndarray:
    """Whether outputs solve their targets: all on the right side, MSE < :data:`SOLVED_MSE`.

    Parameters
    ----------
    outputs, y : ndarray, shape (..., n, k)
        Network outputs and 0/1 targets; any leading axes (e.g. ensemble members) are kept.
    threshold : float
        The output value separating class 0 from class 1 (``MLP.decision_threshold``).

    Returns
    -------
    ndarray of bool, shape (...)
        A 0-d array for a single network (``bool(...)`` of it is the verdict).
    """
    right_side = np.all((outputs > threshold) == (y > threshold), axis=(-2, -1))
    mse = 0.5 * np.sum((outputs - y) ** 2, axis=(-2, -1)) / outputs.shape[-2]
    return right_side & (mse < SOLVED_MSE)


def divergence_limit(start_loss):
    """The loss above which a run that started at ``start_loss`` counts as diverged.

    ``DIVERGENCE_FACTOR × max(start_loss, DIVERGENCE_MIN_START)``, element-wise on arrays.
    """
    if isinstance(start_loss, float):  # one run: plain Python, no array (train asks every epoch)
        return DIVERGENCE_FACTOR * max(start_loss, DIVERGENCE_MIN_START)
    return DIVERGENCE_FACTOR * np.maximum(start_loss, DIVERGENCE_MIN_START)


def has_diverged(loss, start_loss):
    """Whether a training loss means divergence for a run that started at ``start_loss``.

    NaN or ±inf counts as diverged, and so does a loss above :func:`divergence_limit`. For two
    floats the answer is a ``bool``; on arrays (one entry per ensemble member) it is element-wise,
    an ndarray of bool.
    """
    if isinstance(loss, float) and isinstance(start_loss, float):
        return not math.isfinite(loss) or loss > divergence_limit(start_loss)
    with np.errstate(invalid="ignore"):
        return ~np.isfinite(loss) | (np.asarray(loss) > divergence_limit(start_loss))
