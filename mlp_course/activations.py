"""Activation functions and their derivatives.

Each activation is a pair of element-wise functions of the pre-activation ``z`` (any shape):
``forward(z)`` gives the activation ``a = f(z)`` and ``derivative(z)`` gives ``f'(z) = da/dz``.
The derivative is always taken at the *pre-activation* ``z`` of the same neuron -- the question's
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


def sigmoid(z: np.ndarray) -> np.ndarray:
    """Logistic function 1 / (1 + e^-z), computed without overflow for any finite ``z``.

    The textbook ``1 / (1 + np.exp(-z))`` overflows (with a RuntimeWarning) for z < -709, where
    e^-z exceeds the largest float64. Instead we go through logarithms::

        σ(z) = exp(−log(1 + e^−z)) = exp(−logaddexp(0, −z))

    ``np.logaddexp(0, −z)`` computes log(e^0 + e^−z) without ever forming e^−z for large −z, so
    nothing overflows: σ(−1e4) is exactly 0.0, σ(1e4) exactly 1.0, σ(0) exactly 0.5, and tiny
    values such as σ(−700) ≈ 1e−304 keep full relative precision.
    """
    return np.exp(-np.logaddexp(0.0, np.negative(z, dtype=np.float64)))  # −z as float64, for any array_like z


def sigmoid_derivative(z: np.ndarray) -> np.ndarray:
    """σ'(z) = σ(z)·(1 − σ(z)); at most 0.25, at z = 0."""
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z: np.ndarray) -> np.ndarray:
    """Hyperbolic tangent, in (−1, 1)."""
    return np.tanh(z)


def tanh_derivative(z: np.ndarray) -> np.ndarray:
    """tanh'(z) = 1 − tanh(z)²; at most 1, at z = 0."""
    t = np.tanh(z)
    return 1.0 - t * t


def relu(z: np.ndarray) -> np.ndarray:
    """max(0, z)."""
    return np.maximum(z, 0.0)


def relu_derivative(z: np.ndarray) -> np.ndarray:
    """1 where z > 0, else 0 (so the derivative at exactly 0 is 0, as in PyTorch)."""
    return (np.asarray(z) > 0).astype(np.float64)


def linear(z: np.ndarray) -> np.ndarray:
    """The identity, f(z) = z (as a new float64 array)."""
    return np.array(z, dtype=np.float64)


def linear_derivative(z: np.ndarray) -> np.ndarray:
    """f'(z) = 1 everywhere."""
    return np.ones_like(np.asarray(z, dtype=np.float64))


# f'(z) written in terms of a = f(z): what backprop uses, since the forward pass kept a.


def sigmoid_derivative_from_output(a: np.ndarray) -> np.ndarray:
    """σ'(z) from a = σ(z): a·(1 − a)."""
    return a * (1.0 - a)


def tanh_derivative_from_output(a: np.ndarray) -> np.ndarray:
    """tanh'(z) from a = tanh(z): 1 − a²."""
    return 1.0 - a * a


def relu_derivative_from_output(a: np.ndarray) -> np.ndarray:
    """relu'(z) from a = max(0, z): 1 where a > 0, else 0."""
    return (a > 0).astype(np.float64)


def linear_derivative_from_output(a: np.ndarray) -> np.ndarray:
    """linear'(z) = 1, whatever a is."""
    return np.ones_like(a)


@dataclass(frozen=True)
class Activation:
    """An activation function with its derivative, as a function of ``z`` and of ``a = f(z)``.

    Attributes
    ----------
    name : str
    forward : callable, ndarray -> ndarray
        ``a = f(z)``, element-wise, same shape as ``z``.
    derivative : callable, ndarray -> ndarray
        ``f'(z)``, element-wise.
    derivative_at_output : callable, ndarray -> ndarray
        ``f'(z)`` computed from ``a = f(z)`` (the same numbers, bit for bit, without recomputing f).
    """

    name: str
    forward: Callable[[np.ndarray], np.ndarray]
    derivative: Callable[[np.ndarray], np.ndarray]
    derivative_at_output: Callable[[np.ndarray], np.ndarray]


ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Activation("sigmoid", sigmoid, sigmoid_derivative, sigmoid_derivative_from_output),
    "tanh": Activation("tanh", tanh, tanh_derivative, tanh_derivative_from_output),
    "relu": Activation("relu", relu, relu_derivative, relu_derivative_from_output),
    "linear": Activation("linear", linear, linear_derivative, linear_derivative_from_output),
}
"""Every activation the package knows, by name."""


def get(name: str, argument: str = "activation") -> Activation:
    """Look an activation up by name; raise ``ValueError`` naming ``argument`` and listing the valid names otherwise."""
    if not isinstance(name, str) or name not in ACTIVATIONS:
        valid = ", ".join(repr(n) for n in ACTIVATIONS)
        raise ValueError(f"unknown {argument} {name!r}; expected one of {valid}")
    return ACTIVATIONS[name]
