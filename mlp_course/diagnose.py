"""Which of your gradients is wrong, and what kind of mistake does it look like?

:func:`diagnose_backprop` runs a learner's backward pass on a few small random networks, compares
every gradient array with central differences (:func:`mlp_course.gradcheck.numerical_gradients`),
and, for each wrong array, looks for the known mistake that reproduces it *exactly*. Each mistake is
a small, deliberate change to correct backprop (a "mistake model"); an array is explained by a
mistake when the learner's numbers equal that model's numbers on every random network (relative
error below ``tol``), so a match is evidence, not a guess. The mistakes it knows:

=============================  =============================================================
``sign_flipped``               −gradient: the step would climb the loss (the seed's ``+=``)
``missing_derivative``         the activation-derivative factor f′(z) left out of a δ
``derivative_at_wrong_place``  f′ taken at the activation a, at the layer's input (the seed's
                               ``activation_d(x)``), or the a-form a(1 − a) fed with z
``transposed``                 an array returned transposed, or δ sent back through W, not Wᵀ
``scaled_by_learning_rate``    lr × gradient: the step returned, or lr applied twice
``scaled_by_batch_size``       n × or 1/n × the gradient of the mean loss (a sum, or mean twice)
``bias_not_summed``            the bias gradient left as one row per sample, shape (n, k)
``stale_weights``              δ sent back through weights already updated by this step
``update_sent_back``           the weights' update lr·δ·a sent back (through updated weights)
                               instead of δ: every hidden unit gets the same error (the seed's bug 4)
``loss_instead_of_derivative`` the output error is the loss itself, not dL/do (the seed's bug 1)
``biases_ignored``             the forward pass inside the backward function skips the biases
``elementwise_product``        δ * a element-wise where the outer product aᵀδ belongs (the seed's
                               bug 7: it runs only when the two widths agree)
``constant_factor``            2× or ½× (the ½ of the squared error dropped or doubled)
``reversed_order``             the lists of gradients returned last layer first
=============================  =============================================================

Arrays that are wrong in a way none of these reproduces are reported as wrong with their size of
error; missing arrays (``None``), wrong shapes, NaN and all-zero arrays are reported as such.

The learner's function, for ``weights[l]`` of shape (sizes[l], sizes[l+1]) and rows as samples::

    backward(X, y, weights, biases)                  -> (d_weights, d_biases)
    backward(X, y, weights, biases, learning_rate)   -> (d_weights, d_biases)   or None

``X`` (n, sizes[0]), ``y`` (n, sizes[-1]); the loss is the package's: the mean over the n samples of
½‖o − y‖² (``"mse"``) or of the binary cross-entropy (``"bce"``). A five-argument function that
returns None is a training *step*: it updates ``weights`` and ``biases`` in place, and the gradient it
followed is read off as (before − after) / learning_rate.
"""

from __future__ import annotations

import inspect
import os
import traceback
import warnings
from dataclasses import dataclass

import numpy as np

from . import activations as _activations
from . import losses as _losses
from ._validate import check_choice, check_int, check_positive_float, check_seed
from .gradcheck import numerical_gradients
from .network import MLP

DEFAULT_SIZES: tuple[tuple[int, ...], ...] = ((3, 4, 2), (2, 5, 1), (4, 3, 3))
"""The random networks a diagnosis uses unless told otherwise: no two layer widths alike in the
first two (so a transposed array has the wrong shape), a square hidden-to-output matrix in the third
(so W versus Wᵀ is visible in the numbers too)."""

DEFAULT_SAMPLES: tuple[int, ...] = (5, 7, 6)
"""Batch size of each random network: different from every width, and from each other, so that a
factor n or a missing sum over the samples cannot pass for anything else."""

MISTAKES: dict[str, str] = {
    "sign_flipped": "sign flipped: this is −(the gradient); stepping along it climbs the loss (the seed's `+=`)",
    "missing_derivative": "the activation-derivative factor f′(z) is missing",
    "derivative_at_wrong_place": "the activation derivative is taken at the wrong place",
    "transposed": "transposed",
    "scaled_by_learning_rate": "scaled by the learning rate: this is the step lr·g, not the gradient g",
    "scaled_by_batch_size": "scaled by the batch size",
    "bias_not_summed": "bias gradient not summed over the batch: one row per sample",
    "stale_weights": "stale weights: the error is sent back through weights this step already updated",
    "update_sent_back": "the output weights' update lr·δ·h is sent back (through the updated weights) instead of "
    "the error δ, so every hidden unit receives the same number (the seed's bug 4)",
    "loss_instead_of_derivative": "the output error is the loss itself, not its derivative dL/do (the seed's bug 1)",
    "biases_ignored": "the forward pass inside your function leaves out the biases",
    "elementwise_product": "an element-wise product δ * a where the outer product aᵀ @ δ belongs (the seed's bug 7)",
    "constant_factor": "off by a constant factor",
    "reversed_order": "layers returned in reverse order",
    "missing": "missing: your function returned None for it",
    "wrong_shape": "wrong shape",
    "not_finite": "contains NaN or infinite values",
    "zeros": "all zeros",
    "unknown": "wrong, in a way that matches no mistake this diagnoser knows",
}
"""Every verdict a wrong array can get, by key, with its headline."""


# ------------------------------------------------------------------------------------------------
# Mistake models: correct backprop with one deliberate change
@dataclass(frozen=True)
class _Model:
    key: str  # a MISTAKES key, or "" for correct backprop
    detail: str  # says where and how
    layer: int  # the layer whose backward step holds the mistake (-1: none); arrays below inherit it


def _model_gradients(model: _Model, weights, biases, X, y, hidden, output, loss, lr):
    """The gradients backprop would return with ``model``'s mistake (shapes as the parameters)."""
    key, at, last = model.key, model.layer, len(weights) - 1
    # the package's own forward pass (zs[l], acts[l]; acts[0] = X), with the biases zeroed for biases_ignored
    used_biases = [np.zeros_like(b) for b in biases] if key == "biases_ignored" else biases
    zs, acts = MLP.from_parameters(weights, used_biases, hidden.name, output.name).forward_all(X)
    n = X.shape[0]
    o = acts[-1]
    if key == "loss_instead_of_derivative" and model.detail.startswith("per output"):
        d_loss__d_o = 0.5 * (o - y) ** 2 / n  # (n, k): each output's own loss in place of its dL/do_k
    elif key == "loss_instead_of_derivative":  # per-sample loss, shape (n, 1), in place of dL/do
        per_sample = 0.5 * ((o - y) ** 2).sum(axis=1, keepdims=True) if loss == "mse" else (
            (_losses.softplus(zs[-1]) - y * zs[-1]).sum(axis=1, keepdims=True))
        d_loss__d_o = per_sample / n
    elif loss == "mse":
        d_loss__d_o = (o - y) / n
    else:  # bce: dL/do = (o − y) / (o (1 − o)) / n; times σ′(z) = o (1 − o) gives (o − y) / n
        d_loss__d_o = None

    def slope(l):
        """The factor f′ multiplying δ at layer l, as the model computes it."""
        act = output if l == last else hidden
        if l != at and at != -2:  # at == -2: the mistake is made in every layer
            return act.derivative(zs[l])
        if key == "missing_derivative":
            return 1.0
        if model.detail.startswith("f′(a)"):
            return act.derivative(acts[l + 1])
        if model.detail.startswith("a-form"):
            return act.derivative_at_output(zs[l])
        if model.detail.startswith("input"):
            return act.derivative(acts[l])  # same shape as z[l]: only built when the widths agree
        return act.derivative(zs[l])

    if d_loss__d_o is None:
        delta = _losses.bce_from_logits_gradient(zs[-1], y)
        if (key in ("missing_derivative", "derivative_at_wrong_place") and at == last) or key == (
            "loss_instead_of_derivative"
        ):
            return None  # these output-layer mistakes are only modelled for mse
    else:
        delta = d_loss__d_o * slope(last)
    d_weights, d_biases = [None] * len(weights), [None] * len(biases)
    d_weights_elementwise = [None] * len(weights)
    for l in range(last, -1, -1):
        d_weights[l] = acts[l].T @ delta  # (sizes[l], n) @ (n, sizes[l+1])
        if acts[l].shape == delta.shape:  # the seed's bug 7: Σ_i a_ik δ_ik, the same for every column
            d_weights_elementwise[l] = np.repeat((acts[l] * delta).sum(axis=0)[:, None], delta.shape[1], axis=1)
        d_biases[l] = delta.sum(axis=0)
        if l == 0:
            break
        W = weights[l]
        if key == "elementwise_product" and at == l:
            d_weights[l] = d_weights_elementwise[l]
        if key == "stale_weights" and at == l - 1:
            W = W - lr * d_weights[l]
        if key == "transposed" and at == l - 1:
            W = W.T  # δ @ W instead of δ @ Wᵀ (square W only)
        if key == "update_sent_back" and at == l - 1:  # the question's np.dot(o_delta, o_layer.T)
            W = W - lr * d_weights[l]
            delta = (lr * (delta * (acts[l] @ W)).sum(axis=1, keepdims=True)) * slope(l - 1)  # (n, 1) * (n, sizes[l])
            continue
        delta = (delta @ W.T) * slope(l - 1)
    if key == "elementwise_product" and at == 0:
        d_weights[0] = d_weights_elementwise[0]
    return d_weights, d_biases


def _models(sizes, loss, has_lr):
    """Every mistake model that makes sense for a network of these ``sizes``."""
    last = len(sizes) - 2
    models = [_Model("", "", -1), _Model("biases_ignored", "", -1)]
    if loss == "mse":
        models.append(_Model("loss_instead_of_derivative", "in the output layer", last))
        if sizes[-1] > 1:
            models.append(_Model("loss_instead_of_derivative", "per output: each output's own loss ½(o_k − y_k)² in "
                                 "place of its derivative dL/do_k", last))
    for l in range(last + 1):
        where = "output layer" if l == last else f"hidden layer {l + 1}"
        if loss == "mse" or l != last:
            models += [
                _Model("missing_derivative", f"in the {where}", l),
                _Model("derivative_at_wrong_place", f"f′(a) in the {where}: f′ applied to the activation a = f(z), "
                       "not to z", l),
                _Model("derivative_at_wrong_place", f"a-form in the {where}: the formula in terms of a (such as "
                       "a(1 − a)) was given z", l),
            ]
            if sizes[l] == sizes[l + 1]:
                models.append(_Model("derivative_at_wrong_place", f"input of the {where}: f′ taken at the layer's "
                                     "input instead of its own z (the seed's activation_d(x))", l))
        if sizes[l] == sizes[l + 1]:
            models.append(_Model("elementwise_product", f"for W{l}: input k is paired with unit k only, and every "
                                 "unit gets the same column", l))
        if l < last:
            if has_lr:
                models.append(_Model("stale_weights", f"δ reached hidden layer {l + 1} through W{l + 1} after its "
                                     "update", l))
                models.append(_Model("update_sent_back", f"into hidden layer {l + 1}", l))
            if sizes[l + 1] == sizes[l + 2]:
                models.append(_Model("transposed", f"δ sent back into hidden layer {l + 1} through W{l + 1} "
                                     f"instead of W{l + 1}ᵀ", l))
    if last >= 1:
        models += [
            _Model("missing_derivative", "in every layer", -2),
            _Model("derivative_at_wrong_place", "f′(a) in every layer", -2),
            _Model("derivative_at_wrong_place", "a-form in every layer", -2),
        ]
    return models


def _factors(n: int, lr: float | None):
    """Scalar factors a wrong array may carry, with the mistakes they mean."""
    factors = [(1.0, ()), (-1.0, ("sign_flipped",)), (n, ("scaled_by_batch_size",)),
               (1.0 / n, ("scaled_by_batch_size",)), (2.0, ("constant_factor",)), (0.5, ("constant_factor",))]
    if lr is not None:
        factors += [(lr, ("scaled_by_learning_rate",)), (-lr, ("scaled_by_learning_rate", "sign_flipped"))]
    factors += [(-n, ("sign_flipped", "scaled_by_batch_size")), (-1.0 / n, ("sign_flipped", "scaled_by_batch_size"))]
    return factors


def _close(a: np.ndarray, b: np.ndarray, tol: float, floor: float = 1e-6) -> bool:
    return a.shape == b.shape and bool(
        np.all(np.abs(a - b) <= tol * np.maximum(np.maximum(np.abs(a), np.abs(b)), floor))
    )


def _rel_error(a: np.ndarray, b: np.ndarray, floor: float = 1e-6) -> float:
    return float(np.max(np.abs(a - b) / np.maximum(np.maximum(np.abs(a), np.abs(b)), floor)))


# ------------------------------------------------------------------------------------------------
# The report
@dataclass(frozen=True)
class ArrayDiagnosis:
    """The verdict on one gradient array, e.g. ``W1``, over every random network.

    Attributes
    ----------
    name : str
        ``"W0"``, ``"b0"``, ``"W1"``, … (gradient of that parameter).
    ok : bool
        True when it matched the numerical gradient on every network.
    max_rel_error : float
        Worst relative error against the numerical gradient (inf when missing or misshapen).
    mistakes : tuple of str
        :data:`MISTAKES` keys that together reproduce a wrong array (usually one); empty when right.
    detail : str
        Where and how, in words (empty for a right array).
    """

    name: str
    ok: bool
    max_rel_error: float
    mistakes: tuple[str, ...] = ()
    detail: str = ""

    @property
    def mistake(self) -> str | None:
        """The main mistake's key (the first of :attr:`mistakes`), None for a right array."""
        return self.mistakes[0] if self.mistakes else None

    @property
    def explanation(self) -> str:
        """The mistakes' headlines plus the detail, or "right"."""
        if self.ok:
            return "right"
        if len(self.mistakes) == 1:
            text = MISTAKES[self.mistakes[0]]
        else:
            text = " and ".join(MISTAKES[k].split(":")[0] for k in self.mistakes)
        return f"{text} — {self.detail}" if self.detail else text


@dataclass(frozen=True)
class CallProblem:
    """Why the learner's function could not be judged array by array.

    Attributes
    ----------
    kind : str
        A :data:`PROBLEMS` key: ``"raised"``, ``"returned_none"`` or ``"wrong_structure"``.
    message : str
        What happened, in words (for an exception: its type, message and the learner's line).
    network : str
        The random network it happened on, e.g. ``"[3, 4, 2] with 5 samples"``.
    line : str
        For ``"raised"``: where in the learner's code (``"line 7 of cell.py: `...`"``), else "".
    """

    kind: str
    message: str
    network: str
    line: str = ""


PROBLEMS: dict[str, str] = {
    "raised": "your function raised an exception",
    "returned_none": "your function returned None",
    "wrong_structure": "your function returned something other than (d_weights, d_biases)",
}
"""Every verdict a whole function can get when it cannot be judged array by array, by kind."""


@dataclass(frozen=True)
class BackpropDiagnosis:
    """Per parameter array: right, or wrong and which known mistake it matches.

    ``diagnosis.ok`` is True when every array is right; ``diagnosis.mistakes`` lists the distinct
    mistakes found; ``diagnosis["W0"]`` is one array's :class:`ArrayDiagnosis`. Displays as a table.
    When the function could not be judged at all (it raised, or returned the wrong structure),
    ``diagnosis.problem`` says why and ``arrays`` is empty.
    """

    arrays: tuple[ArrayDiagnosis, ...]
    networks: tuple[str, ...]
    tol: float
    problem: CallProblem | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None and all(a.ok for a in self.arrays)

    @property
    def mistakes(self) -> list[str]:
        """The distinct mistake keys, in the order of the arrays (output layer first); a problem's kind alone."""
        if self.problem is not None:
            return [self.problem.kind]
        found = []
        for a in reversed(self.arrays):
            found += [k for k in a.mistakes if k not in found]
        return found

    def __getitem__(self, name: str) -> ArrayDiagnosis:
        for a in self.arrays:
            if a.name == name:
                return a
        raise KeyError(f"no parameter named {name!r}; have {[a.name for a in self.arrays]}")

    def __str__(self) -> str:
        right = sum(a.ok for a in self.arrays)
        if len(set(self.networks)) == 1:
            networks = f"{len(self.networks)} random network{'s' * (len(self.networks) > 1)}, each {self.networks[0]}"
        else:
            networks = f"{len(self.networks)} random networks: {', '.join(self.networks)}"
        lines = [f"backprop diagnosis on {networks}"]
        if self.problem is not None:
            lines.append(f"  not judged: {self.problem.message} (on the network {self.problem.network})")
            return "\n".join(lines)
        for a in self.arrays:
            error = "" if a.max_rel_error == float("inf") or a.ok else f" (rel. error {a.max_rel_error:.1g})"
            lines.append(f"  d{a.name:<4}{'right' if a.ok else 'WRONG'}  {'' if a.ok else a.explanation + error}")
        lines.append(
            "every gradient matches central differences" if self.ok
            else f"{right} of {len(self.arrays)} gradient arrays right"
        )
        return "\n".join(line.rstrip() for line in lines)

    __repr__ = __str__


# ------------------------------------------------------------------------------------------------
# Running the learner's function
def _takes_learning_rate(fn) -> bool:
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return False
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return len(positional) >= 5 or any(p.kind == p.VAR_POSITIONAL for p in params)


_WARNING_CAUSES = (
    ("overflow encountered in exp", "an exp() overflowed: large |z| must not overflow, so rewrite the formula so "
     "that no exp() can receive a large positive number"),
    ("overflow", "a number grew beyond the largest float (about 1e308): look for a product or power of very "
     "large values"),
    ("divide by zero encountered in log", "log(0) = −∞: a log received exactly 0 (an output of exactly 0 or 1, "
     "or a log of 1 − o when o = 1)"),
    ("divide by zero", "a division by zero: look for a divisor that can be exactly 0"),
    ("invalid value", "a NaN was computed (0/0, ∞ − ∞, 0 · ∞, or the log or square root of a negative number)"),
)


def warning_cause(message: str) -> str:
    """The cause behind a NumPy numerical warning's ``message`` (overflow, log(0), 0/0, …), in words."""
    text = message.lower()
    return next((cause for fragment, cause in _WARNING_CAUSES if fragment in text), "a numerical problem")


def learner_line(error: BaseException) -> str:
    """``"line 12 of cell.py: `o = a @ b`"``: the learner's frame in ``error``'s traceback, or "".

    The learner's frame is the last one outside NumPy, the standard library and the diagnoser and
    exercise checks themselves.
    """
    package = os.path.dirname(__file__)
    skip = (os.path.dirname(np.__file__), os.path.dirname(os.__file__), os.path.join(package, "exercises"), __file__)
    frames = [f for f in traceback.extract_tb(error.__traceback__) if not f.filename.startswith(skip)]
    if not frames:
        return ""
    frame = frames[-1]
    code = f": `{frame.line.strip()[:80]}`" if frame.line else ""
    return f"line {frame.lineno} of {os.path.basename(frame.filename) or frame.filename}{code}"


def describe_error(error: BaseException) -> str:
    """``"ValueError: message (line 12 of cell.py: `...`)"``: an exception and the learner's line that raised it."""
    try:
        text = f"{type(error).__name__}: {str(error)[:300]}"
    except Exception:  # an exception whose __str__ raises
        text = type(error).__name__
    where = learner_line(error)
    return f"{text} ({where})" if where else text


class _Unjudged(Exception):
    """The learner's function could not be judged on one network; carries the :class:`CallProblem`."""

    def __init__(self, kind: str, message: str, line: str = "") -> None:
        super().__init__(message)
        self.kind, self.message, self.line = kind, message, line


def _as_list(value, name: str, count: int) -> list:
    if value is None:
        return [None] * count
    if isinstance(value, np.ndarray) and value.dtype != object:
        raise _Unjudged("wrong_structure", f"{name} is one array of shape {value.shape}: return a list of "
                        f"{count} arrays, one per layer")
    try:
        items = list(value)
    except Exception:
        raise _Unjudged("wrong_structure", f"{name} must be a list of {count} arrays (one per layer), got "
                        f"{type(value).__name__}") from None
    if len(items) != count:
        raise _Unjudged("wrong_structure", f"{name} must hold {count} arrays (one per layer), got {len(items)}")
    return items


def _learner_gradients(fn, X, y, weights, biases, lr):
    """Call the learner's function on copies; return (d_weights, d_biases, warnings).

    ``d_weights``, ``d_biases`` are lists (entries may be anything the learner returned, or None);
    ``warnings`` the messages of the numerical warnings it emitted. Raises :class:`_Unjudged`.
    """
    w_copy, b_copy = [w.copy() for w in weights], [b.copy() for b in biases]
    args = (X.copy(), y.copy(), w_copy, b_copy) + ((lr,) if lr is not None else ())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = fn(*args)
        except Exception as error:  # the learner's bug: a verdict naming their line, not a re-raise
            raise _Unjudged("raised", f"your function raised {describe_error(error)}", learner_line(error)) from None
    numerical = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]
    if result is None:
        if lr is None:
            raise _Unjudged("returned_none", "your function returned None; return (d_weights, d_biases), or take a "
                            "fifth argument learning_rate and update weights and biases in place")
        with np.errstate(all="ignore"):
            return ([np.asarray(w - wc) / lr for w, wc in zip(weights, w_copy)],
                    [np.asarray(b - bc) / lr for b, bc in zip(biases, b_copy)], numerical)
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise _Unjudged("wrong_structure", f"your function must return (d_weights, d_biases), got "
                        f"{type(result).__name__}" + (f" of length {len(result)}" if isinstance(result, (tuple, list))
                                                      else ""))
    return _as_list(result[0], "d_weights", len(weights)), _as_list(result[1], "d_biases", len(biases)), numerical


def _as_array(value):
    """A learner's entry as a float64 array, or None when it is not one (None, a list, an object)."""
    if value is None or isinstance(value, (list, tuple)):
        return None
    try:
        array = np.array(value, dtype=np.float64)
    except Exception:
        return None
    return array


def _explain(got, name: str, l: int, models_grads, truth, mirror, n: int, lr, tol: float, warned: list[str]):
    """All (mistake keys, detail) pairs that reproduce the learner's entry ``got`` on one network.

    ``truth`` is this array's numerical gradient; ``mirror`` the same kind's gradient of the layer
    at the mirrored position (last ↔ first), for arrays returned in reverse order (None if none).
    """
    kind, index = name[0], 0 if name[0] == "W" else 1
    if got is None:
        return [(("missing",), "")]
    if isinstance(got, (list, tuple)):
        return [(("wrong_shape",), "a Python list: return NumPy arrays")]
    g = _as_array(got)
    if g is None:
        return [(("wrong_shape",), f"a {type(got).__name__}, not an array of numbers")]
    if not np.all(np.isfinite(g)):
        cause = f"your function warned: {warned[0]}: {warning_cause(warned[0])}" if warned else ""
        return [(("not_finite",), cause)]
    found = []
    if mirror is not None and g.shape == mirror.shape and _close(g, mirror, tol):
        found.append((("reversed_order",), "it holds the gradient of the layer at the mirrored position: build the "
                      "lists output layer first, then reverse them (or fill them by index)"))
    if g.shape != truth.shape:
        if g.shape == truth.shape[::-1] and _close(g.T, truth, tol):
            found.append((("transposed",), f"shape {g.shape}, expected {truth.shape}"))
        if kind == "b" and g.shape == (1, truth.shape[0]) and _close(g[0], truth, tol):
            found.append((("wrong_shape",), f"shape {g.shape}, expected {truth.shape}: the right values with one "
                          "axis too many (a sum or mean with keepdims=True); the bias gradient is 1-D"))
        if kind == "b" and n > 1 and g.shape == (n, truth.shape[0]) and _close(g.sum(axis=0), truth, tol):
            found.append((("bias_not_summed",), f"shape {g.shape}, expected {truth.shape}"))
        if kind == "W" and g.ndim == 2 and g.shape[0] == truth.shape[0] and g.shape[1] == n and n != truth.shape[1]:
            found.append((("wrong_shape",), f"shape {g.shape}, expected {truth.shape}: one column per sample, as "
                          "when an (n, 1) array meets an (n,) array and NumPy broadcasts the pair to an (n, n) "
                          "table (o − y with y of another shape than o): make both the same shape"))
        return found or [(("wrong_shape",), f"shape {g.shape}, expected {truth.shape}")]
    if not np.any(g):
        return [(("zeros",), "")]
    if truth.ndim == 2 and truth.shape[0] == truth.shape[1] and _close(g.T, truth, tol):
        found.append((("transposed",), "the values are those of the gradient's transpose"))
    for model, grads in models_grads:
        if grads is None:
            continue
        reference = grads[index][l]
        for factor, keys in _factors(n, lr):
            if (model.key == "" and factor == 1.0) or not _close(g, factor * reference, tol):
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


def _network_description(sizes, n: int) -> str:
    return f"{list(sizes)} with {n} sample{'s' if n > 1 else ''}"


def _check_samples(samples, count: int) -> list[int]:
    """One batch size (an int ≥ 1) per network, from an int or a sequence; None: the defaults, cycled."""
    if samples is None:
        return [DEFAULT_SAMPLES[i % len(DEFAULT_SAMPLES)] for i in range(count)]
    if isinstance(samples, (str, bytes)):
        raise TypeError(f"samples must be an int or a sequence of ints (one batch size per network), got {samples!r}")
    if np.ndim(samples) == 0:
        return [check_int(samples, "samples", minimum=1)] * count
    values = [check_int(s, "samples", minimum=1) for s in samples]
    if len(values) != count:
        raise ValueError(f"samples must give one batch size per network ({count}), got {values}")
    return values


def diagnose_backprop(
    backward_fn,
    *,
    sizes=DEFAULT_SIZES,
    activation: str = "sigmoid",
    output_activation: str = "sigmoid",
    loss: str = "mse",
    learning_rate: float = 0.1,
    samples=None,
    with_biases: bool = True,
    seed: int | None = 0,
    tol: float = 1e-4,
) -> BackpropDiagnosis:
    """Check a learner's backward pass array by array and name the mistake behind each wrong one.

    Parameters
    ----------
    backward_fn : callable
        ``backward_fn(X, y, weights, biases)`` or ``backward_fn(X, y, weights, biases,
        learning_rate)`` returning ``(d_weights, d_biases)`` — lists shaped like ``weights``
        (sizes[l], sizes[l+1]) and ``biases`` (sizes[l+1],) — or, for the five-argument form, None
        after updating the parameters in place (see the module docstring). It receives copies.
    sizes : list of int, or a sequence of such lists
        The random networks' layer widths, input first (one list: one network); all must have the
        same depth.
    activation, output_activation : str
        The activations the learner's function assumes (hidden layers, output layer).
    loss : {"mse", "bce"}
        The loss the learner differentiates: the mean over the samples, as in :mod:`mlp_course.losses`.
    learning_rate : float
        Passed to five-argument functions; it is how a gradient scaled by it, or sent back through
        updated (stale) weights, is recognised.
    samples : int, sequence of int, or None
        Batch size of each random network (one per entry of ``sizes``, or one for all), each ≥ 1.
        None: :data:`DEFAULT_SAMPLES`, repeated as needed.
    with_biases : bool
        False: the networks' biases are all zero and their gradients are not judged (for code with
        no biases at all, like the seed's question).
    seed : int or None
        Seed of the random networks and data (0 to 2**63 − 1; None: fresh randomness).
    tol : float
        An array is right when its relative error against central differences is below ``tol`` on
        every network; a mistake matches when it reproduces the array to within ``tol``.

    Returns
    -------
    BackpropDiagnosis
        One :class:`ArrayDiagnosis` per parameter array (W0, b0, W1, b1, …); or, when the function
        raised or returned the wrong structure, a diagnosis whose ``problem`` says so (with the
        learner's line for an exception). Exceptions in ``backward_fn`` are never re-raised.

    Raises
    ------
    TypeError, ValueError
        For arguments of the diagnoser itself that are invalid (naming the argument).
    """
    if not callable(backward_fn):
        raise TypeError(f"backward_fn must be a function, got {type(backward_fn).__name__}")
    hidden, output = _activations.get(activation), _activations.get(output_activation)
    loss = _losses.check_loss(check_choice(loss, "loss", _losses.LOSSES), output.name)
    learning_rate = check_positive_float(learning_rate, "learning_rate")
    tol = check_positive_float(tol, "tol")
    seed = check_seed(seed)
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__iter__"):
        raise TypeError(f"sizes must be a list of layer widths or a list of such lists, got {sizes!r}")
    sizes = list(sizes)
    one = all(isinstance(s, (int, np.integer)) for s in sizes)
    sizes_list = [sizes] if one else [list(s) if hasattr(s, "__iter__") else s for s in sizes]
    nets = [MLP(s, hidden.name, output.name) for s in sizes_list]  # validates every list of widths
    if len({len(net.sizes) for net in nets}) != 1:
        raise ValueError(f"all networks in sizes must have the same number of layers, got {sizes_list}")
    samples_list = _check_samples(samples, len(nets))
    lr = learning_rate if _takes_learning_rate(backward_fn) else None
    rng = np.random.default_rng(seed)
    n_layers = len(nets[0].sizes) - 1
    names = [f"{kind}{l}" for l in range(n_layers) for kind in ("W", "b") if kind == "W" or with_biases]
    verdicts: dict[str, list] = {name: [] for name in names}
    errors = dict.fromkeys(names, 0.0)
    descriptions = [_network_description(net.sizes, n) for net, n in zip(nets, samples_list)]
    for net, n, description in zip(nets, samples_list, descriptions):
        net.weights = [rng.standard_normal(w.shape) for w in net.weights]
        net.biases = [rng.normal(0.0, 0.5, b.shape) if with_biases else np.zeros(b.shape) for b in net.biases]
        X = rng.standard_normal((n, net.sizes[0]))
        y = rng.integers(0, 2, (n, net.sizes[-1])).astype(np.float64)
        truth = numerical_gradients(lambda net=net, X=X, y=y: net.loss(X, y, loss), net.parameters)
        try:
            got_w, got_b, warned = _learner_gradients(backward_fn, X, y, net.weights, net.biases, lr)
        except _Unjudged as failure:
            problem = CallProblem(failure.kind, failure.message, description, failure.line)
            return BackpropDiagnosis((), tuple(descriptions), tol, problem)
        models_grads = [
            (m, _model_gradients(m, net.weights, net.biases, X, y, hidden, output, loss, lr))
            for m in _models(net.sizes, loss, lr is not None)
        ]
        for l in range(n_layers):
            for kind, got in (("W", got_w[l]), ("b", got_b[l])):
                if kind == "b" and not with_biases:
                    continue
                name, true = f"{kind}{l}", truth[2 * l + (kind == "b")]
                mirrored = n_layers - 1 - l
                mirror = truth[2 * mirrored + (kind == "b")] if mirrored != l else None
                g = _as_array(got)
                comparable = g is not None and g.shape == true.shape and bool(np.all(np.isfinite(g)))
                with np.errstate(all="ignore"):  # a learner's huge values must not make the comparison warn
                    if comparable and _close(g, true, tol):
                        errors[name] = max(errors[name], _rel_error(g, true))
                        verdicts[name].append(None)
                        continue
                    errors[name] = max(errors[name], _rel_error(g, true) if comparable else float("inf"))
                    verdicts[name].append(_explain(got, name, l, models_grads, true, mirror, n, lr, tol, warned))
    arrays = []
    for name in names:
        wrong = [v for v in verdicts[name] if v is not None]
        if not wrong:
            arrays.append(ArrayDiagnosis(name, True, errors[name]))
            continue
        common = [v for v in wrong[0] if all(v in other for other in wrong[1:])]
        if not common:  # the same kind of mistake with network-specific details (e.g. shapes)
            keys = [k for k, _ in wrong[0] if all(k in [k2 for k2, _ in other] for other in wrong[1:])]
            common = [(k, d) for k, d in wrong[0] if k in keys]
        keys, detail = common[0] if common else (("unknown",), "")
        arrays.append(ArrayDiagnosis(name, False, errors[name], keys, detail))
    return BackpropDiagnosis(tuple(arrays), tuple(descriptions), tol)
