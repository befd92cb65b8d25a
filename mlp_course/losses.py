"""Loss functions: their values and their gradients.

Both losses are *means over samples* of a per-sample sum over output units. ``o`` is the network's
output (n_samples, n_outputs), ``y`` the targets of the same shape, ``z`` the output layer's
pre-activation (so ``o = f(z)``).

``mse``
    L = (1/n) Σ_samples ½ Σ_outputs (o − y)².
    Per sample this is exactly the question's ``cost(o, y) = ‖o − y‖² / 2``.
    dL/do = (o − y) / n.
``bce``
    L = (1/n) Σ_samples −Σ_outputs [y·log o + (1 − y)·log(1 − o)], with o = σ(z).
    Computed from ``z`` as softplus(z) − y·z, so it stays finite when o rounds to exactly 0 or 1.
    dL/dz = (σ(z) − y) / n: the σ'(z) factor cancels, which is why BCE keeps learning from
    confident mistakes where MSE stalls.
"""

from __future__ import annotations

import numpy as np

from .activations import sigmoid

LOSSES = ("mse", "bce")
"""The names of the losses the package knows."""


def mse(o: np.ndarray, y: np.ndarray) -> float:
    """Mean over samples of ½·Σ_outputs (o − y)²; ``o`` and ``y`` of shape (n, k)."""
    diff = o - y
    return 0.5 * float(np.vdot(diff, diff)) / o.shape[0]  # vdot(diff, diff): the sum of squares, in one call


def mse_gradient(o: np.ndarray, y: np.ndarray) -> np.ndarray:
    """dL/do for :func:`mse`: (o − y) / n, shape (n, k)."""
    return (o - y) / o.shape[0]


def softplus(z: np.ndarray) -> np.ndarray:
    """log(1 + e^z), computed without overflow: max(z, 0) + log1p(e^−|z|)."""
    return np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))


def bce_from_logits(z: np.ndarray, y: np.ndarray) -> float:
    """Binary cross-entropy of σ(z) against ``y``, mean over samples, sum over outputs.

    Uses −log σ(z) = softplus(−z) and −log(1 − σ(z)) = softplus(z), so that
    −[y·log σ(z) + (1−y)·log(1−σ(z))] = softplus(z) − y·z, finite for every finite ``z``.
    """
    return float((softplus(z) - y * z).sum()) / z.shape[0]


def bce_from_logits_gradient(z: np.ndarray, y: np.ndarray) -> np.ndarray:
    """dL/dz for :func:`bce_from_logits`: (σ(z) − y) / n, shape (n, k)."""
    return (sigmoid(z) - y) / z.shape[0]


def check_loss(name: str, output_activation: str) -> str:
    """Validate a loss name, and that BCE is paired with a sigmoid output."""
    if not isinstance(name, str) or name not in LOSSES:
        valid = ", ".join(repr(n) for n in LOSSES)
        raise ValueError(f"unknown loss {name!r}; expected one of {valid}")
    if name == "bce" and output_activation != "sigmoid":
        raise ValueError(
            "loss 'bce' needs output_activation='sigmoid' (its outputs must be probabilities), "
            f"but the network's output activation is {output_activation!r}"
        )
    return name


def check_bce_targets(y: np.ndarray, name: str = "y") -> None:
    """BCE needs targets in [0, 1]; raise ``ValueError`` otherwise."""
    if np.any((y < 0) | (y > 1)):
        raise ValueError(
            f"{name} must lie in [0, 1] for loss 'bce', got values from {y.min():g} to {y.max():g}"
        )


def value_and_output_delta(
    name: str, z_out: np.ndarray, o: np.ndarray, y: np.ndarray, d_o__d_z_out: np.ndarray | None
) -> tuple[float, np.ndarray]:
    """The loss and its gradient with respect to the output pre-activation, dL/dz_out.

    Parameters
    ----------
    name : {"mse", "bce"}
    z_out : ndarray, shape (n, k)
        Output layer pre-activation.
    o : ndarray, shape (n, k)
        Output layer activation, f(z_out).
    y : ndarray, shape (n, k)
        Targets.
    d_o__d_z_out : ndarray, shape (n, k), or None
        f'(z_out); not needed for ``bce`` (whose σ' cancels).

    Returns
    -------
    loss : float
    d_loss__d_z_out : ndarray, shape (n, k)
    """
    if name == "mse":
        diff = o - y  # (n, k), shared by the value and the gradient
        n = o.shape[0]
        d_loss__d_o = diff / n  # = mse_gradient(o, y)
        return 0.5 * float(np.vdot(diff, diff)) / n, d_loss__d_o * d_o__d_z_out
    return bce_from_logits(z_out, y), bce_from_logits_gradient(z_out, y)
