"""Numerical gradient checking: does backprop agree with central differences?

For every parameter p, one entry at a time::

    numeric dL/dp ≈ (L(p + h) − L(p − h)) / (2h)

The error of this estimate is O(h²) from truncation (≈1e-12 at h = 1e-6) plus round-off of about
1e-16·|L| / h (≈1e-10). Each entry's relative error is
``|analytic − numeric| / max(|analytic|, |numeric|, floor)``; the ``floor`` (1e-6) keeps entries
whose true gradient is ~0 from dividing a round-off-sized difference by ~0, which bounds their
"relative" error by 1e-10 / 1e-6 = 1e-4. A correct backward pass therefore scores far below the
default tolerance of 1e-4 (typically 1e-8 or less); a wrong one scores 1e-2 or more.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .network import MLP


@dataclass(frozen=True)
class ParameterCheck:
    """The check of one parameter array (e.g. ``W0``)."""

    name: str
    shape: tuple[int, ...]
    max_rel_error: float
    max_abs_error: float
    ok: bool


@dataclass(frozen=True)
class GradCheckReport:
    """Per parameter array: the worst relative and absolute error, and whether it passed.

    ``report.ok`` is True when every array passed; ``report.max_rel_error`` is the worst of all.
    Displays as a table in a notebook.
    """

    checks: tuple[ParameterCheck, ...]
    tol: float

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def max_rel_error(self) -> float:
        return max(c.max_rel_error for c in self.checks)

    def __getitem__(self, name: str) -> ParameterCheck:
        for c in self.checks:
            if c.name == name:
                return c
        raise KeyError(f"no parameter named {name!r}; have {[c.name for c in self.checks]}")

    def __str__(self) -> str:
        lines = [
            f"{'parameter':<10}{'shape':<10}{'max rel. error':>16}{'max abs. error':>16}  result",
        ]
        for c in self.checks:
            shape = "×".join(map(str, c.shape))
            lines.append(
                f"{c.name:<10}{shape:<10}{c.max_rel_error:>16.1e}{c.max_abs_error:>16.1e}  "
                f"{'ok' if c.ok else 'WRONG'}"
            )
        verdict = "all gradients match" if self.ok else "some gradients are wrong"
        lines.append(f"{verdict} (tolerance {self.tol:g} on the relative error)")
        return "\n".join(lines)

    __repr__ = __str__


def numerical_gradients(
    loss_fn, params: list[np.ndarray], h: float = 1e-6
) -> list[np.ndarray]:
    """Central-difference gradient of ``loss_fn()`` with respect to each array in ``params``.

    ``loss_fn`` takes no arguments and reads the arrays in ``params``, which are perturbed in place
    one entry at a time and restored exactly.
    """
    grads = []
    for p in params:
        g = np.zeros_like(p, dtype=np.float64)
        for idx in np.ndindex(p.shape):
            old = p[idx]
            p[idx] = old + h
            plus = loss_fn()
            p[idx] = old - h
            minus = loss_fn()
            p[idx] = old
            g[idx] = (plus - minus) / (2 * h)
        grads.append(g)
    return grads


def compare(
    names, analytic, numeric, tol: float = 1e-4, floor: float = 1e-6
) -> GradCheckReport:
    """Compare analytic and numeric gradients array by array (see the module docstring)."""
    checks = []
    for name, a, n in zip(names, analytic, numeric):
        a, n = np.asarray(a, dtype=np.float64), np.asarray(n, dtype=np.float64)
        if a.shape != n.shape:
            raise ValueError(f"gradient of {name} has shape {a.shape}, expected {n.shape}")
        abs_err = np.abs(a - n)
        rel_err = abs_err / np.maximum(np.maximum(np.abs(a), np.abs(n)), floor)
        worst = float(rel_err.max()) if rel_err.size else 0.0
        if not np.isfinite(worst):
            worst = float("inf")
        checks.append(
            ParameterCheck(name, a.shape, worst, float(abs_err.max()) if a.size else 0.0, worst < tol)
        )
    return GradCheckReport(tuple(checks), tol)


def gradcheck(
    net: MLP, X, y, loss: str = "mse", h: float = 1e-6, tol: float = 1e-4
) -> GradCheckReport:
    """Check ``net.gradients`` against central differences on (X, y).

    Parameters
    ----------
    net : MLP
        Its parameters are perturbed in place and restored exactly.
    X : array_like, shape (n, sizes[0])
    y : array_like, shape (n, sizes[-1]) or (n,)
    loss : {"mse", "bce"}
    h : float
        Step of the central difference.
    tol : float
        An array passes when its worst relative error is below ``tol``.

    Returns
    -------
    GradCheckReport
        One row per parameter array, named W0, b0, W1, b1, …
    """
    if not isinstance(net, MLP):
        raise TypeError(f"net must be an mlp_course.MLP, got {type(net).__name__}")
    X, y = net.check_data(X, y, loss)
    _, d_weights, d_biases = net.gradients(X, y, loss)
    analytic = [g for pair in zip(d_weights, d_biases) for g in pair]
    numeric = numerical_gradients(lambda: net._loss_and_outputs(X, y, loss)[0], net.parameters, h)
    names = [f"{kind}{l}" for l in range(len(net.weights)) for kind in ("W", "b")]
    return compare(names, analytic, numeric, tol=tol)
