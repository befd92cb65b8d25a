"""Numerical gradient checking: does a backward pass agree with central differences?

For every entry p of a parameter array, one entry at a time::

    numeric dL/dp ≈ (L(p + h) − L(p − h)) / (2h)

The error of this estimate is O(h²) from truncation (≈1e-12 at h = 1e-6) plus round-off of about
1e-16·|L| / h (≈1e-10). Each entry's **relative error** is the one definition used everywhere in
the package (:func:`relative_error`)::

    |analytic − numeric| / max(|analytic|, |numeric|, floor)        floor = 1e-6

The ``floor`` keeps entries whose true gradient is ~0 from dividing a round-off-sized difference by
~0. And the numeric estimate is only known up to its round-off, which the check computes for every
entry (``ROUNDOFF · max(|L(p+h)|, |L(p−h)|) / 2h``, 100 times the typical size): a difference
within it counts as agreement (error 0), whatever the gradient's size and the loss's scale. A
correct backward pass therefore scores far below the default tolerance of 1e-4 (typically 1e-8 or
less); a wrong one scores 1e-2 or more.

Three tools, from the most general to the most specific:

- :func:`numerical_gradient` ``(f, x)``: central differences of any scalar function with respect to
  one array (CS231n's ``eval_numerical_gradient``);
- :func:`check_gradient` ``(f, params, grads)``: your gradients against those, one row per array
  (the ``cmp()`` helper of "backprop ninja", as a table);
- :func:`gradcheck` ``(net, X, y)``: the same check of an :class:`~mlp_course.MLP`'s backprop, which
  also knows where ReLU's kink makes the comparison meaningless (see :func:`kink_entries`).

>>> import numpy as np
>>> x = np.array([1.0, -2.0])
>>> np.round(numerical_gradient(lambda: np.sum(x ** 3), x), 6)
array([ 3., 12.])
"""

from __future__ import annotations

import inspect
import math
import numbers
from collections.abc import Mapping, Sequence

import numpy as np

from ._validate import as_real
from .gradreport import (
    DEFAULT_TOL,
    FLOOR,
    ROUNDOFF,
    GradCheckReport,
    ParameterCheck,
    check_tol,
    compare,
    relative_error,
)
from .network import MLP

__all__ = ["numerical_gradient", "numerical_gradients", "check_gradient", "gradcheck", "kink_entries", "check_step",
           "compare", "relative_error", "check_tol", "GradCheckReport", "ParameterCheck", "FLOOR", "ROUNDOFF",
           "DEFAULT_TOL"]

STEP_RANGE = (1e-10, 0.1)
"""Allowed steps ``h``: below, round-off swamps the difference; above, truncation (h²) does."""
LIPSCHITZ = {"sigmoid": 0.25, "tanh": 1.0, "relu": 1.0, "linear": 1.0}
"""max |f'(z)| of each activation: how far a change of z can move a = f(z), at most."""
KINKED = {"relu": 0.0}
"""Non-smooth activations and where their kink is (relu: at z = 0, where its slope jumps from 0 to 1)."""


def check_step(h, name: str = "h") -> float:
    """``h`` as a float in :data:`STEP_RANGE`, else a ``ValueError``/``TypeError`` naming ``name``."""
    lo, hi = STEP_RANGE
    what = f"a step between {lo:g} and {hi:g}"
    value = as_real(h, name, what)
    if not (math.isfinite(value) and lo <= value <= hi):
        raise ValueError(f"{name} must be {what} (smaller steps drown in round-off, larger ones in "
                         f"truncation error), got {h!r}")
    return value


# -------------------------------------------------------------------- central differences
def _zero_argument_call(f, x: np.ndarray, name: str = "f"):
    """``f`` if it takes no required argument, else ``lambda: f(x)``; a TypeError otherwise."""
    if not callable(f):
        raise TypeError(f"{name} must be a function returning the loss (a number), got {type(f).__name__}")
    try:
        parameters = inspect.signature(f).parameters.values()
    except (TypeError, ValueError):  # some built-ins have no signature: assume f(x)
        return lambda: f(x)
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    required = [p for p in parameters if p.default is p.empty and p.kind in positional]
    if not required:
        return f
    if len(required) == 1:
        return lambda: f(x)
    raise TypeError(f"{name} must take no argument (reading the arrays it is checked on) or one (the array), "
                    f"but it requires {len(required)}: {', '.join(p.name for p in required)}")


def _loss_value(value, name: str, where: str) -> float:
    """The number ``f`` returned, as a float; a clear error if it is not one finite real number."""
    if isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_)):
        number = as_real(value, f"the value {name} returned", "a finite real number")
    else:
        array = np.asarray(value) if not isinstance(value, (str, bytes, bool, np.bool_)) else None
        if array is None or array.dtype.kind not in "fiu":
            raise TypeError(f"{name} must return a real number (the loss), got {type(value).__name__} {value!r:.60}")
        if array.size != 1:
            raise ValueError(f"{name} must return a single number (the loss), got an array of shape {array.shape}; "
                             f"sum or average it")
        number = float(array.reshape(()))
    if not math.isfinite(number):
        raise ValueError(f"{name} returned {number} {where}: the function must be finite around the point checked")
    return number


def _central_differences(call, x: np.ndarray, h: float, name: str, fname: str, skip=None):
    """Central differences of ``call()`` w.r.t. each entry of ``x`` (perturbed in place, restored).

    Returns the gradient and its round-off (both shaped like ``x``); entries where ``skip`` is True
    are not evaluated and get NaN.
    """
    grad, noise = np.full(x.shape, np.nan), np.zeros(x.shape)
    for idx in np.ndindex(x.shape):
        if skip is not None and skip[idx]:
            continue
        old = float(x[idx])
        plus_x, minus_x = old + h, old - h
        step = plus_x - minus_x  # 2h up to rounding: the step actually taken
        where = f"at {name}{list(idx)} = {old:g} ± {h:g}"
        if not step > 0 or not math.isfinite(step):
            raise ValueError(f"{name}{list(idx)} = {old:g} is too large for the step h = {h:g}: x ± h rounds to x")
        try:
            x[idx] = plus_x
            plus = _loss_value(call(), fname, where)
            x[idx] = minus_x
            minus = _loss_value(call(), fname, where)
        finally:
            x[idx] = old
        grad[idx] = (plus - minus) / step
        noise[idx] = ROUNDOFF * max(abs(plus), abs(minus)) / step
        if not math.isfinite(grad[idx]):
            raise ValueError(f"{fname} changes by more than the largest float {where}")
    return grad, noise


def _check_array(x, name: str) -> np.ndarray:
    if isinstance(x, (np.ma.MaskedArray, np.matrix)):
        raise TypeError(f"{name} must be a plain float64 NumPy array, got a {type(x).__name__}; "
                        f"pass np.asarray({name}, float)")
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        got = f"array of dtype {x.dtype}" if isinstance(x, np.ndarray) else type(x).__name__
        raise TypeError(f"{name} must be a float64 NumPy array (it is perturbed in place, and the check needs "
                        f"float64 precision), got {got}; convert it first, e.g. {name} = np.asarray({name}, float)")
    if not x.flags.writeable:
        raise ValueError(f"{name} is read-only; the check perturbs it in place")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{name} contains NaN or infinite values; a gradient needs a finite point")
    return x


def numerical_gradient(f, x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """Central-difference gradient of a scalar function with respect to the array ``x``.

    Each entry of ``x`` is moved to ``x + h`` and ``x − h`` **in place**, ``f`` is evaluated at
    both, and the entry is restored exactly::

        grad[i] = (f(x + h·e_i) − f(x − h·e_i)) / (2h)

    Parameters
    ----------
    f : callable
        ``f()`` (reading ``x`` from its surroundings, e.g. a loss closing over your weights) or
        ``f(x)``; it must return one finite real number. It is called ``2 · x.size`` times.
    x : ndarray of float64, any shape
        The point; left exactly as it was.
    h : float, from 1e-10 to 0.1
        The step. The estimate's error is about h²·|f'''| (truncation) plus 1e-16·|f| / h
        (round-off): 1e-5 balances the two for functions of size ~1.

    Returns
    -------
    ndarray of float64, shaped like ``x``.
    """
    x = _check_array(x, "x")
    h = check_step(h)
    call = _zero_argument_call(f, x)
    _loss_value(call(), "f", "at x")
    return _central_differences(call, x, h, "x", "f")[0]


def numerical_gradients(loss_fn, params: list[np.ndarray], h: float = 1e-6) -> list[np.ndarray]:
    """:func:`numerical_gradient` of ``loss_fn()`` with respect to each array in ``params``."""
    h = check_step(h)
    if not callable(loss_fn):
        raise TypeError(f"loss_fn must be a function of no arguments returning the loss, got {type(loss_fn).__name__}")
    return [_central_differences(loss_fn, _check_array(p, f"params[{i}]"), h, f"params[{i}]", "loss_fn")[0]
            for i, p in enumerate(params)]


def _named_arrays(params, names, what: str) -> tuple[list[str], list]:
    """``params`` (an array, a sequence or a mapping of arrays) as (names, arrays)."""
    if isinstance(params, Mapping):
        keys = list(params)
        if names is not None:
            raise TypeError(f"names must not be given when {what} is a mapping: its keys are the names")
        return [str(k) for k in keys], [params[k] for k in keys]
    if isinstance(params, np.ndarray):
        arrays = [params]
    elif isinstance(params, Sequence) and not isinstance(params, (str, bytes)):
        arrays = list(params)
    else:
        raise TypeError(f"{what} must be an array, a list of arrays or a dict of named arrays, "
                        f"got {type(params).__name__}")
    if not arrays:
        raise ValueError(f"{what} is empty: pass at least one array")
    if names is None:
        return (["x"] if len(arrays) == 1 else [f"p{i}" for i in range(len(arrays))]), arrays
    if isinstance(names, str) or not isinstance(names, Sequence):
        raise TypeError(f"names must be a list of strings, one per array, got {names!r}")
    if len(names) != len(arrays) or not all(isinstance(n, str) for n in names) or len(set(names)) != len(names):
        raise ValueError(f"names must hold {len(arrays)} different strings (one per array in {what}), got {names!r}")
    return list(names), arrays


def check_gradient(f, params, grads, *, names=None, h: float = 1e-5, tol: float = DEFAULT_TOL,
                   not_comparable=None) -> GradCheckReport:
    """Check your gradients of ``f`` against central differences, one table row per array.

    Parameters
    ----------
    f : callable
        ``f()``, reading the arrays in ``params`` (e.g. ``lambda: loss(W1, b1, W2, b2)``), or, for a
        single array, ``f(x)``. Must return one finite real number.
    params : ndarray, list of ndarray, or dict name → ndarray (float64)
        The arrays the gradient is taken with respect to; each is perturbed **in place**, one
        entry at a time, and restored exactly.
    grads : the same structure as ``params``
        Your gradient of ``f`` with respect to each array, of exactly the same shape.
    names : list of str, optional
        Row names for a list of arrays (default ``p0, p1, …``; ``x`` for a single array; the keys
        for a dict).
    h : float, from 1e-10 to 0.1
        Step of the central difference (see :func:`numerical_gradient`).
    tol : float in (0, 1)
        An array passes when the worst :func:`relative_error` of its entries is below ``tol``.
        Relative error: ``|analytic − numeric| / max(|analytic|, |numeric|, 1e-6)``, 0 when the
        difference is within the numeric estimate's round-off (see the module docstring).
    not_comparable : list of bool ndarray, optional
        Per array, the entries to leave out (e.g. at a kink of ReLU, see :func:`kink_entries`).

    Returns
    -------
    GradCheckReport
        ``report.ok``; ``report["W1"].max_rel_error``; print it (or show it in a notebook) for
        the table: name, shape, worst relative and absolute error, verdict.
    """
    param_names, arrays = _named_arrays(params, names, "params")
    labels = [f"params[{k!r}]" if isinstance(params, Mapping) else
              ("params" if isinstance(params, np.ndarray) else f"params[{i}]") for i, k in enumerate(param_names)]
    arrays = [_check_array(p, label) for p, label in zip(arrays, labels)]
    grads = _matching_grads(params, grads, param_names, arrays)
    h, tol = check_step(h), check_tol(tol)
    if not_comparable is not None:
        not_comparable = [np.broadcast_to(np.asarray(m, bool), p.shape) for m, p in zip(not_comparable, arrays)]
    numeric, noise = [], []
    for i, (x, label) in enumerate(zip(arrays, labels)):
        call = _zero_argument_call(f, x)
        if i == 0:
            _loss_value(call(), "f", "at the given parameters")
        estimate, error = _central_differences(call, x, h, label, "f", None if not_comparable is None else
                                               not_comparable[i])
        numeric.append(estimate)
        noise.append(error)
    return compare(param_names, grads, numeric, tol=tol, not_comparable=not_comparable, noise=noise)


def _matching_grads(params, grads, names: list[str], arrays: list[np.ndarray]) -> list[np.ndarray]:
    """``grads`` in the order of ``params``, each a float64 array of its parameter's shape."""
    if isinstance(params, Mapping):
        if not isinstance(grads, Mapping):
            raise TypeError(f"grads must be a dict with the same keys as params ({names}), got {type(grads).__name__}")
        missing, extra = [k for k in params if k not in grads], [k for k in grads if k not in params]
        if missing or extra:
            raise ValueError(f"grads must have the same keys as params: missing {missing}, unexpected {extra}")
        pairs = [(f"grads[{k!r}]", grads[k]) for k in params]
    elif isinstance(params, np.ndarray):
        pairs = [("grads", grads)]
    else:
        if isinstance(grads, (str, bytes, Mapping, np.ndarray)) or not isinstance(grads, Sequence):
            raise TypeError(f"grads must be a list of {len(arrays)} arrays, like params, got {type(grads).__name__}")
        if len(grads) != len(arrays):
            raise ValueError(f"grads holds {len(grads)} arrays but params holds {len(arrays)}: one gradient per array")
        pairs = [(f"grads[{i}]", g) for i, g in enumerate(grads)]
    out = []
    for (label, g), p in zip(pairs, arrays):
        if isinstance(g, (str, bytes)) or g is None:
            raise TypeError(f"{label} must be a numeric array of shape {p.shape}, got {type(g).__name__}")
        try:
            g = np.asarray(g)
        except ValueError:  # ragged nested lists
            raise ValueError(f"{label} must be a rectangular numeric array of shape {p.shape}") from None
        if g.dtype.kind not in "fiub":
            raise TypeError(f"{label} must be a real numeric array of shape {p.shape}, got dtype {g.dtype}")
        if g.shape != p.shape:
            raise ValueError(f"{label} has shape {g.shape} but its parameter has shape {p.shape}: a gradient has "
                             f"exactly its parameter's shape")
        out.append(g.astype(np.float64))
    return out


# ---------------------------------------------------------------------------- the MLP and its kinks
def kink_entries(net: MLP, X: np.ndarray, h: float) -> list[np.ndarray]:
    """Per parameter array (W0, b0, W1, …), True where a step of ±h may cross a ReLU kink.

    Moving one parameter by at most h moves each pre-activation by at most a computable amount:

    - ``b[l][j]`` moves ``z[l][:, j]`` by h; ``W[l][i, j]`` moves it by ``h·|a[l][:, i]|`` (exactly:
      z is affine in that parameter), and no other unit of layer l;
    - a unit's activation moves by at most ``max|f'| ×`` its z's move (``LIPSCHITZ``), and
      ``z[m+1] = a[m+1] @ W[m+1] + b[m+1]`` by at most ``|Δa[m+1]| @ |W[m+1]|``.

    If for some sample a ReLU unit's ``|z|`` is within that bound, the loss may have a kink inside
    [p − h, p + h], where central differences average two slopes and backprop takes one: the entry
    is not comparable. Every other entry's loss is smooth on the whole interval, so its comparison
    is sound. (The bound is rigorous, hence slightly conservative.)
    """
    zs, acts = net.forward_all(X)  # zs[l]: (n, sizes[l+1]); acts[l]: input of layer l, (n, sizes[l])
    last = len(net.weights) - 1
    kind = [net.output_activation if l == last else net.activation for l in range(last + 1)]
    masks = []
    for l, W in enumerate(net.weights):
        fan_in, fan_out = W.shape
        if not any(k in KINKED for k in kind[l:]):
            masks += [np.zeros((fan_in, fan_out), bool), np.zeros(fan_out, bool)]
            continue
        # reach[:, j]: the smallest move of z[l][:, j] (per sample) that may bring a ReLU unit at
        # layer l or later to its kink. The bound at layer m is linear in the move of z[l][:, j].
        reach = np.full((X.shape[0], fan_out), np.inf)
        for j in range(fan_out):
            gain = np.zeros(fan_out)
            gain[j] = 1.0  # |Δz[l]| per unit of |Δz[l][:, j]|
            for m in range(l, last + 1):
                if m > l:
                    gain = LIPSCHITZ[kind[m - 1]] * gain @ np.abs(net.weights[m])
                if kind[m] in KINKED:
                    distance = np.abs(zs[m] - KINKED[kind[m]])  # (n, sizes[m+1])
                    with np.errstate(divide="ignore", invalid="ignore"):
                        ratio = np.where(gain > 0, distance / np.where(gain > 0, gain, 1.0), np.inf)
                    reach[:, j] = np.minimum(reach[:, j], ratio.min(axis=1))
        slack = 1 + 1e-6  # round-off in z and in the bound
        moves_w = h * slack * np.abs(acts[l])  # (n, fan_in): |Δz[l][:, j]| for a step of W[l][i, j]
        w_mask = ((moves_w[:, :, None] > 0) & (moves_w[:, :, None] >= reach[:, None, :])).any(axis=0)
        b_mask = (h * slack >= reach).any(axis=0)
        masks += [w_mask, b_mask]
    return masks


def gradcheck(net: MLP, X, y, loss: str = "mse", h: float = 1e-6, tol: float = DEFAULT_TOL) -> GradCheckReport:
    """Check ``net.gradients`` against central differences on (X, y).

    Built on :func:`check_gradient` (one implementation). Entries within ``h`` of a ReLU kink —
    e.g. every bias of a fresh ReLU network on XOR's (0, 0) sample, where z = 0 exactly — are
    reported as **"at a kink: not comparable"** instead of being compared: there the loss has no
    derivative, the central difference averages the slopes on both sides while backprop takes
    ReLU'(0) = 0, and a correct backprop would look wrong. :func:`kink_entries` says how an entry
    is judged to be near a kink (a rigorous bound, not a guess).

    Parameters
    ----------
    net : MLP
        Its parameters are perturbed in place and restored exactly.
    X : array_like, shape (n, sizes[0])
    y : array_like, shape (n, sizes[-1]) or (n,)
    loss : {"mse", "bce"}
    h : float, from 1e-10 to 0.1
        Step of the central difference.
    tol : float in (0, 1)
        An array passes when its worst relative error is below ``tol``.

    Returns
    -------
    GradCheckReport
        One row per parameter array, named W0, b0, W1, b1, …
    """
    if not isinstance(net, MLP):
        raise TypeError(f"net must be an mlp_course.MLP, got {type(net).__name__}")
    h, tol = check_step(h), check_tol(tol)
    X, y = net.check_data(X, y, loss)
    _, d_weights, d_biases = net.gradients(X, y, loss)
    names = [f"{kind}{l}" for l in range(len(net.weights)) for kind in ("W", "b")]
    analytic = [g for pair in zip(d_weights, d_biases) for g in pair]
    return check_gradient(lambda: net.loss(X, y, loss), dict(zip(names, net.parameters)), dict(zip(names, analytic)),
                          h=h, tol=tol, not_comparable=kink_entries(net, X, h))
