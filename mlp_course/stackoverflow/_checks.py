"""Argument checks shared by the StackOverflow trainers and gradient functions; errors name the argument."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from .._validate import as_real, check_int, check_positive_float

LEGACY_SEED_LIMIT = 2**32
"""``np.random.seed`` (``RandomState``), which the question and the answer use, takes seeds below this."""


def check_run(seed, n_h, learning_rate, max_iterations, record_every) -> tuple[int, int, float, int, int]:
    """The settings every trainer shares, as (int, int, float, int, int); ``seed`` is a legacy NumPy seed."""
    seed = check_int(seed, "seed", minimum=0)
    if seed >= LEGACY_SEED_LIMIT:
        raise ValueError(f"seed must be an integer from 0 to 2**32 - 1 (np.random.seed's range), got {seed}")
    return (
        seed,
        check_int(n_h, "n_h", minimum=1),
        check_positive_float(learning_rate, "learning_rate"),
        check_int(max_iterations, "max_iterations", minimum=1),
        check_int(record_every, "record_every", minimum=1),
    )


def check_sample(weights: Sequence[ArrayLike], biases: Sequence[ArrayLike], x: ArrayLike, target) -> float:
    """Check a one-hidden-layer network's parameters and one sample; return ``target`` as a float.

    ``weights`` must be a pair of 2-D arrays [(n_i, n_h), (n_h, n_o)], ``biases`` a pair, ``x`` a
    vector of n_i numbers, ``target`` a real number. Only the layout is checked: whether the seed's
    code runs on it (the question's needs n_i == n_h) is for the code to show.
    """
    for name, pair in (("weights", weights), ("biases", biases)):
        if isinstance(pair, (str, bytes)) or not hasattr(pair, "__len__") or len(pair) != 2:
            raise TypeError(f"{name} must be a pair (list) of arrays for the hidden and output layer, got {pair!r}")
    shapes = [np.shape(w) for w in weights]
    if len(shapes[0]) != 2 or len(shapes[1]) != 2 or shapes[0][1] != shapes[1][0]:
        raise ValueError(f"weights must be [W_h (n_i, n_h), W_o (n_h, n_o)] (the answer's hw, ow), got shapes {shapes}")
    if np.shape(x) != (shapes[0][0],):
        raise ValueError(f"x must be one sample, shape ({shapes[0][0]},) to match weights[0], got shape {np.shape(x)}")
    return as_real(target, "target", "a number")
