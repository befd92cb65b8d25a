"""Activation functions and their derivatives.

Each activation is a pair of element-wise functions of the pre-activation ``z`` (any shape):
``forward(z)`` gives the activation ``a = f(z)`` and ``derivative(z)`` gives ``f'(z) = da/dz``.
The derivative is always taken at the *pre-activation* ``z`` of the same neuron -- the seed's
question took it at the network input ``x`` instead, which is one of its bugs.

Backprop already holds ``a = f(z)`` from the forward pass, and for these four functions f'(z) can
be written in terms of ``a`` alone (σ' = a(1 − a), tanh' = 1 − a², relu' = [a > 0], linear' = 1).
``derivative_at_output(a)`` is that form: the same numbers, bit for bit, without recomputing f.

>>> import numpy as np
>>> sigmoid(np.array([0.0]))
array([0.5])
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


def sigmoid(z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Logistic function 1 / (1 + e^-z), computed without overflow for any finite ``z``.

    The textbook ``1 / (1 + np.exp(-z))`` overflows (with a RuntimeWarning) for z < -709, where
    e^-z exceeds the largest float64. Instead we go through logarithms::

        σ(z) = exp(−log(1 + e^−z)) = exp(−logaddexp(0, −z))

    ``np.logaddexp(0, −z)`` computes log(e^0 + e^−z) without ever forming e^−z for large −z, so
    nothing overflows: σ(−1e4) is exactly 0.0, σ(1e4) exactly 1.0, σ(0) exactly 0.5, and tiny
    values such as σ(−700) ≈ 1e−304 keep full relative precision.

    ``out``, if given, receives the result (it may be ``z`` itself, to work in place).
    """
    z = np.asarray(z, dtype=np.float64)
    if out is None:
        return np.exp(-np.logaddexp(0.0, -z))
    np.negative(z, out=out)  # the same three steps, written into out
    np.logaddexp(0.0, out, out=out)
    np.negative(out, out=out)
    return np.exp(out, out=out)


def sigmoid_derivative(z: np.ndarray) -> np.ndarray:
    """σ'(z) = σ(z)·(1 − σ(z)); at most 0.25, at z = 0."""
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Hyperbolic tangent, in (−1, 1); into ``out`` if given."""
    return np.tanh(z, out=out)


def tanh_derivative(z: np.ndarray) -> np.ndarray:
    """tanh'(z) = 1 − tanh(z)²; at most 1, at z = 0."""
    t = np.tanh(z)
    return 1.0 - t * t


def relu(z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """max(0, z); into ``out`` if given."""
    return np.maximum(z, 0.0, out=out)


def relu_derivative(z: np.ndarray) -> np.ndarray:
    """1 where z > 0, else 0 (so the derivative at exactly 0 is 0, as in PyTorch)."""
    return (np.asarray(z) > 0).astype(np.float64)


def linear(z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """The identity, f(z) = z (a copy, or ``out`` filled with z)."""
    if out is None:
        return np.asarray(z, dtype=np.float64).copy()
    np.copyto(out, z)
    return out


def linear_derivative(z: np.ndarray) -> np.ndarray:
    """f'(z) = 1 everywhere."""
    return np.ones_like(np.asarray(z, dtype=np.float64))


# f'(z) from a = f(z). ``out`` (which may be ``a`` itself) receives the result: backprop overwrites
# each hidden activation with its derivative once it has no further use for the activation.


def _sigmoid_derivative_at_output(a: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    one_minus_a = 1.0 - a
    return np.multiply(a, one_minus_a, out=out)  # a·(1 − a)


def _tanh_derivative_at_output(a: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    square = np.multiply(a, a, out=out)
    return np.subtract(1.0, square, out=square)  # 1 − a²


def _relu_derivative_at_output(a: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    if out is None:
        return (a > 0).astype(np.float64)
    return np.greater(a, 0.0, out=out)  # 1.0 where a > 0, else 0.0


def _linear_derivative_at_output(a: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    if out is None:
        return np.ones_like(a)
    out.fill(1.0)
    return out


@dataclass(frozen=True)
class Activation:
    """An activation function with its derivative, as a function of ``z`` and of ``a = f(z)``.

    ``forward(z, out=None)`` can write into ``out`` (even ``z`` itself), which saves allocating a
    new array for every layer on large batches.
    """

    name: str
    forward: Callable[[np.ndarray], np.ndarray]
    derivative: Callable[[np.ndarray], np.ndarray]
    derivative_at_output: Callable[[np.ndarray], np.ndarray]


ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Activation("sigmoid", sigmoid, sigmoid_derivative, _sigmoid_derivative_at_output),
    "tanh": Activation("tanh", tanh, tanh_derivative, _tanh_derivative_at_output),
    "relu": Activation("relu", relu, relu_derivative, _relu_derivative_at_output),
    "linear": Activation("linear", linear, linear_derivative, _linear_derivative_at_output),
}
"""Every activation the package knows, by name."""


def get(name: str) -> Activation:
    """Look an activation up by name; raise ``ValueError`` listing the valid names otherwise."""
    if not isinstance(name, str) or name not in ACTIVATIONS:
        valid = ", ".join(repr(n) for n in ACTIVATIONS)
        raise ValueError(f"unknown activation {name!r}; expected one of {valid}")
    return ACTIVATIONS[name]
