"""Naming the mistake behind one wrong gradient array.

:func:`explain` compares a learner's array with every mistake model's array (times every scalar
factor of :func:`mlp_course.diagnose.mistakes.factors`) and with the shapes and values of the usual
slips (transposed, a bias gradient not summed, keepdims, an (n, n) broadcast table, the lists
reversed). Two arrays agree when their worst :func:`mlp_course.gradreport.relative_error` is below
``tol``: the same rule as the package's gradient check (:func:`close`).
"""

from __future__ import annotations

import numpy as np

from ..gradreport import relative_error
from .mistakes import MistakeModel, factors
from .run import as_array, warning_cause


def close(a: np.ndarray, b: np.ndarray, tol: float) -> bool:
    """True when ``a`` and ``b`` have the same shape and their worst relative error is below ``tol``."""
    return a.shape == b.shape and worst_error(a, b) < tol


def worst_error(a: np.ndarray, b: np.ndarray) -> float:
    """The worst :func:`mlp_course.gradreport.relative_error` over the entries of ``a`` and ``b`` (same shape)."""
    return float(np.max(relative_error(a, b), initial=0.0))


def _explain_shape(g: np.ndarray, kind: str, truth: np.ndarray, n: int, tol: float, found: list) -> list:
    """The verdicts for an array ``g`` whose shape is not ``truth``'s."""
    if g.shape == truth.shape[::-1] and close(g.T, truth, tol):
        found.append((("transposed",), f"shape {g.shape}, expected {truth.shape}"))
    if kind == "b" and g.shape == (1, truth.shape[0]) and close(g[0], truth, tol):
        found.append((("wrong_shape",), f"shape {g.shape}, expected {truth.shape}: the right values with one "
                      "axis too many (a sum or mean with keepdims=True); the bias gradient is 1-D"))
    if kind == "b" and n > 1 and g.shape == (n, truth.shape[0]) and close(g.sum(axis=0), truth, tol):
        found.append((("bias_not_summed",), f"shape {g.shape}, expected {truth.shape}"))
    if kind == "W" and g.ndim == 2 and g.shape[0] == truth.shape[0] and g.shape[1] == n and n != truth.shape[1]:
        found.append((("wrong_shape",), f"shape {g.shape}, expected {truth.shape}: one column per sample, as "
                      "when an (n, 1) array meets an (n,) array and NumPy broadcasts the pair to an (n, n) "
                      "table (o − y with y of another shape than o): make both the same shape"))
    return found or [(("wrong_shape",), f"shape {g.shape}, expected {truth.shape}")]


def explain(got, name: str, l: int, models_grads: list[tuple[MistakeModel, tuple | None]], truth: np.ndarray,
            mirror: np.ndarray | None, n: int, lr: float | None, tol: float,
            warned: list[str]) -> list[tuple[tuple[str, ...], str]]:
    """All (mistake keys, detail) pairs that reproduce the learner's entry ``got`` on one network.

    ``name`` is ``"W<l>"`` or ``"b<l>"``; ``models_grads`` pairs each mistake model with its
    ``(d_loss__d_weights, d_loss__d_biases)`` (None where not modelled); ``truth`` is this array's
    numerical gradient; ``mirror`` the same kind's gradient of the layer at the mirrored position
    (last ↔ first), for lists returned in reverse order (None if none); ``n`` the batch size;
    ``warned`` the numerical warnings the learner's function emitted.
    """
    kind, index = name[0], 0 if name[0] == "W" else 1
    if got is None:
        return [(("missing",), "")]
    if isinstance(got, (list, tuple)):
        return [(("wrong_shape",), "a Python list: return NumPy arrays")]
    g = as_array(got)
    if g is None:
        return [(("wrong_shape",), f"a {type(got).__name__}, not an array of numbers")]
    if not np.all(np.isfinite(g)):
        cause = f"your function warned: {warned[0]}: {warning_cause(warned[0])}" if warned else ""
        return [(("not_finite",), cause)]
    found = []
    if mirror is not None and close(g, mirror, tol):
        found.append((("reversed_order",), "it holds the gradient of the layer at the mirrored position: build the "
                      "lists output layer first, then reverse them (or fill them by index)"))
    if g.shape != truth.shape:
        return _explain_shape(g, kind, truth, n, tol, found)
    if not np.any(g):
        return [(("zeros",), "")]
    if truth.ndim == 2 and truth.shape[0] == truth.shape[1] and close(g.T, truth, tol):
        found.append((("transposed",), "the values are those of the gradient's transpose"))
    for model, grads in models_grads:
        if grads is None:
            continue
        reference = grads[index][l]
        for factor, keys in factors(n, lr):
            if (model.key == "" and factor == 1.0) or not close(g, factor * reference, tol):
                continue
            parts = ((model.key,) if model.key else ()) + keys
            details = []
            if model.detail:
                inherited = model.layer > l
                note = " (made in a layer above; the error flows down to here)" if inherited else ""
                details.append(model.detail + note)
            if "scaled_by_batch_size" in keys:
                details.append("n × the gradient: a sum over the samples, not the mean" if abs(factor) == n
                               else "1/n × the gradient: divided by n twice")
            if "constant_factor" in keys:
                details.append(f"× {factor:g}")
            found.append((parts, "; ".join(details)))
    return found
