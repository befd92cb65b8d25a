"""Small 2-D classification datasets, in the spirit of TensorFlow Playground.

Every generator returns ``X`` of shape (n, 2), float64, and ``y`` of shape (n, 1), float64 in
{0, 1}. The points lie roughly in the square [−1.5, 1.5]², so one plotting range fits them all.
``noise`` (0 to 1e6) is the standard deviation of Gaussian noise added to each coordinate; ``seed``
(an integer from 0 to 2**63 − 1, or None for fresh randomness) makes the data reproducible (same
seed, same points); ``n`` is from 2 to 1,000,000.

>>> X, y = xor()
>>> X.shape, y.shape
((4, 2), (4, 1))
"""

from __future__ import annotations

import math

import numpy as np

from ._validate import as_finite_array, as_matrix, as_real, check_fraction, check_int, check_seed


def xor() -> tuple[np.ndarray, np.ndarray]:
    """The four XOR points of the StackOverflow question: X (4, 2) and y (4, 1) = [[0], [1], [1], [0]]."""
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([[0.0], [1.0], [1.0], [0.0]])
    return X, y


MAX_POINTS = 1_000_000
"""The most points a generator makes (``n``); more would only exhaust the memory."""
MAX_NOISE = 1e6
"""The largest ``noise``: far beyond it the points are pure noise, and near 1e308 they overflow."""


def _check_args(n, noise, seed) -> tuple[int, float, np.random.Generator]:
    n = check_int(n, "n", minimum=2)
    if n > MAX_POINTS:
        raise ValueError(f"n must be an integer from 2 to {MAX_POINTS:,}, got {n}")
    noise = as_real(noise, "noise", "a non-negative finite number")
    if not (math.isfinite(noise) and 0 <= noise <= MAX_NOISE):
        raise ValueError(f"noise must be a non-negative finite number (at most {MAX_NOISE:g}), got {noise}")
    return n, noise, np.random.default_rng(check_seed(seed))


def _labelled(X0: np.ndarray, X1: np.ndarray, noise: float, rng) -> tuple[np.ndarray, np.ndarray]:
    """Stack class-0 points ``X0`` and class-1 points ``X1``, add noise, and return (X, y)."""
    X = np.vstack([X0, X1])
    X = X + rng.normal(scale=noise, size=X.shape) if noise > 0 else X
    y = np.concatenate([np.zeros(len(X0)), np.ones(len(X1))]).reshape(-1, 1)
    return X, y


def circle(n: int = 200, noise: float = 0.1, seed: int | None = 0) -> tuple[np.ndarray, np.ndarray]:
    """A disk of class 1 (radius < 0.5) inside a ring of class 0 (radius 0.7 to 1.0).

    Not linearly separable: a network needs a hidden layer to draw a closed boundary.
    """
    n, noise, rng = _check_args(n, noise, seed)
    n_in = n // 2

    def ring(count, r_min, r_max):
        radius = rng.uniform(r_min, r_max, count)
        angle = rng.uniform(0, 2 * np.pi, count)
        return np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])

    return _labelled(ring(n - n_in, 0.7, 1.0), ring(n_in, 0.0, 0.5), noise, rng)


def gauss(n: int = 200, noise: float = 0.1, seed: int | None = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two Gaussian blobs: class 0 around (−0.6, −0.6), class 1 around (0.6, 0.6).

    The blobs' standard deviation is 0.25 + ``noise``; linearly separable at low noise.
    """
    n, noise, rng = _check_args(n, noise, seed)
    n1 = n // 2
    std = 0.25
    X0 = rng.normal(loc=-0.6, scale=std, size=(n - n1, 2))
    X1 = rng.normal(loc=0.6, scale=std, size=(n1, 2))
    return _labelled(X0, X1, noise, rng)


def spiral(n: int = 200, noise: float = 0.1, seed: int | None = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved spirals, each turning 1.75 times around the origin.

    The hardest of the set: it wants a wider or deeper network.
    """
    n, noise, rng = _check_args(n, noise, seed)
    n1 = n // 2

    def arm(count, phase):
        t = np.sqrt(rng.uniform(0, 1, count))  # more points further out, where the arm is longer
        angle = 1.75 * 2 * np.pi * t + phase
        radius = 1.2 * t
        return np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])

    return _labelled(arm(n - n1, 0.0), arm(n1, np.pi), noise, rng)


def moons(n: int = 200, noise: float = 0.1, seed: int | None = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half-circles (class 0 on top, class 1 below), centred on the origin."""
    n, noise, rng = _check_args(n, noise, seed)
    n1 = n // 2
    a0 = rng.uniform(0, np.pi, n - n1)
    a1 = rng.uniform(0, np.pi, n1)
    X0 = np.column_stack([np.cos(a0), np.sin(a0)])
    X1 = np.column_stack([1 - np.cos(a1), 0.5 - np.sin(a1)])
    X0, X1 = (X0 - [0.5, 0.25]) * 0.9, (X1 - [0.5, 0.25]) * 0.9
    return _labelled(X0, X1, noise, rng)


DATASETS = {"xor": xor, "circle": circle, "gauss": gauss, "spiral": spiral, "moons": moons}
"""Every dataset by name. ``xor`` takes no arguments; the others take ``n``, ``noise``, ``seed``."""


def train_test_split(
    X, y, test_fraction: float = 0.5, seed: int | None = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Shuffle the samples with ``seed`` and split them into a training and a test part.

    Parameters
    ----------
    X : array_like, shape (n, d)
    y : array_like, shape (n, k) or (n,)
    test_fraction : float in (0, 1)
        Share of the samples held out; rounded, but both parts keep at least one sample.
    seed : int from 0 to 2**63 − 1, or None
        Seed of the shuffle.

    Returns
    -------
    X_train (n_train, d), X_test (n_test, d), y_train (n_train, ...), y_test (n_test, ...)
    """
    X = as_matrix(X, "X")
    y = _as_labels(y, X.shape[0])
    test_fraction = check_fraction(test_fraction, "test_fraction")
    n = X.shape[0]
    if n < 2:
        raise ValueError(f"X needs at least 2 samples to split, got {n}")
    n_test = min(max(int(round(n * test_fraction)), 1), n - 1)
    order = np.random.default_rng(check_seed(seed)).permutation(n)
    test, train = order[:n_test], order[n_test:]
    return X[train], X[test], y[train], y[test]


def _as_labels(y, n_samples: int) -> np.ndarray:
    """``y`` as a finite float64 array of shape (n_samples,) or (n_samples, k)."""
    array = as_finite_array(y, "y")
    if array.ndim not in (1, 2) or array.shape[0] != n_samples:
        raise ValueError(f"y must have shape ({n_samples},) or ({n_samples}, k), got {array.shape}")
    return array
