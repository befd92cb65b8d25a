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
from dataclasses import dataclass

import numpy as np

from . import activations as _activations
from . import losses as _losses
from ._validate import check_choice, check_positive_float
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


def _forward(weights, biases, X, hidden, output, with_biases=True):
    """zs[l], acts[l] as in MLP.forward_all (acts[0] = X)."""
    zs, acts = [], [X]
    for l, (W, b) in enumerate(zip(weights, biases)):
        z = acts[-1] @ W + (b if with_biases else 0.0)
        zs.append(z)
        acts.append((output if l == len(weights) - 1 else hidden).forward(z))
    return zs, acts


def _model_gradients(model: _Model, weights, biases, X, y, hidden, output, loss, lr):
    """The gradients backprop would return with ``model``'s mistake (shapes as the parameters)."""
    key, at, last = model.key, model.layer, len(weights) - 1
    zs, acts = _forward(weights, biases, X, hidden, output, with_biases=key != "biases_ignored")
    n = X.shape[0]
    o = acts[-1]
    if key == "loss_instead_of_derivative":  # per-sample loss, shape (n, 1), in place of dL/do
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
class BackpropDiagnosis:
    """Per parameter array: right, or wrong and which known mistake it matches.

    ``diagnosis.ok`` is True when every array is right; ``diagnosis.mistakes`` lists the distinct
    mistakes found; ``diagnosis["W0"]`` is one array's :class:`ArrayDiagnosis`. Displays as a table.
    """

    arrays: tuple[ArrayDiagnosis, ...]
    networks: tuple[str, ...]
    tol: float

    @property
    def ok(self) -> bool:
        return all(a.ok for a in self.arrays)

    @property
    def mistakes(self) -> list[str]:
        """The distinct mistake keys, in the order of the arrays (output layer first)."""
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
            networks = f"{len(self.networks)} random networks, each {self.networks[0]}"
        else:
            networks = f"{len(self.networks)} random networks: {', '.join(self.networks)}"
        lines = [f"backprop diagnosis on {networks}"]
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
def _takes_learning_rate(fn) -> bool:
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return False
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return len(positional) >= 5 or any(p.kind == p.VAR_POSITIONAL for p in params)


def _learner_gradients(fn, X, y, weights, biases, lr):
    """Call the learner's function on copies; return (d_weights, d_biases) as lists (entries may be None)."""
    w_copy, b_copy = [w.copy() for w in weights], [b.copy() for b in biases]
    args = (X.copy(), y.copy(), w_copy, b_copy) + ((lr,) if lr is not None else ())
    result = fn(*args)
    if result is None:
        if lr is None:
            raise TypeError(
                "your function returned None; return (d_weights, d_biases), or take a fifth argument "
                "learning_rate and update weights and biases in place"
            )
        return ([(w - wc) / lr for w, wc in zip(weights, w_copy)], [(b - bc) / lr for b, bc in zip(biases, b_copy)])
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise TypeError(f"your function must return (d_weights, d_biases), got {type(result).__name__}")
    d_weights, d_biases = result
    d_weights = [None] * len(weights) if d_weights is None else list(d_weights)
    d_biases = [None] * len(biases) if d_biases is None else list(d_biases)
    for name, got, want in (("d_weights", d_weights, weights), ("d_biases", d_biases, biases)):
        if len(got) != len(want):
            raise TypeError(f"{name} must hold {len(want)} arrays (one per layer), got {len(got)}")
    return d_weights, d_biases


def _explain(g, name: str, l: int, models_grads, truth, n: int, lr, tol: float):
    """All (mistake key, detail) pairs that reproduce the learner's array ``g`` on one network."""
    kind, index = name[0], 0 if name[0] == "W" else 1
    if g is None:
        return [(("missing",), "")]
    if isinstance(g, (list, tuple)):
        return [(("wrong_shape",), "a Python list: return NumPy arrays")]
    g = np.asarray(g, dtype=np.float64)
    if not np.all(np.isfinite(g)):
        return [(("not_finite",), "")]
    found = []
    if g.shape != truth.shape:
        if g.shape == truth.shape[::-1] and _close(g.T, truth, tol):
            found.append((("transposed",), f"shape {g.shape}, expected {truth.shape}"))
        if kind == "b" and g.shape == (n, truth.shape[0]) and _close(g.sum(axis=0), truth, tol):
            found.append((("bias_not_summed",), f"shape {g.shape}, expected {truth.shape}"))
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


def diagnose_backprop(
    backward_fn,
    *,
    sizes=DEFAULT_SIZES,
    activation: str = "sigmoid",
    output_activation: str = "sigmoid",
    loss: str = "mse",
    learning_rate: float = 0.1,
    samples=DEFAULT_SAMPLES,
    with_biases: bool = True,
    seed: int = 0,
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
        The random networks' layer widths, input first; all must have the same depth.
    activation, output_activation : str
        The activations the learner's function assumes (hidden layers, output layer).
    loss : {"mse", "bce"}
        The loss the learner differentiates: the mean over the samples, as in :mod:`mlp_course.losses`.
    learning_rate : float
        Passed to five-argument functions; it is how a gradient scaled by it, or sent back through
        updated (stale) weights, is recognised.
    samples : int or sequence of int
        Batch size of each random network (one per entry of ``sizes``, or one for all).
    with_biases : bool
        False: the networks' biases are all zero and their gradients are not judged (for code with
        no biases at all, like the seed's question).
    seed : int
        Seed of the random networks and data.
    tol : float
        An array is right when its relative error against central differences is below ``tol`` on
        every network; a mistake matches when it reproduces the array to within ``tol``.

    Returns
    -------
    BackpropDiagnosis
        One :class:`ArrayDiagnosis` per parameter array (W0, b0, W1, b1, …).
    """
    if not callable(backward_fn):
        raise TypeError(f"backward_fn must be a function, got {type(backward_fn).__name__}")
    hidden, output = _activations.get(activation), _activations.get(output_activation)
    loss = _losses.check_loss(check_choice(loss, "loss", _losses.LOSSES), output.name)
    learning_rate = check_positive_float(learning_rate, "learning_rate")
    sizes_list = [list(sizes)] if all(isinstance(s, (int, np.integer)) for s in sizes) else [list(s) for s in sizes]
    nets = [MLP(s, hidden.name, output.name) for s in sizes_list]  # validates every list of widths
    if len({len(s) for s in sizes_list}) != 1:
        raise ValueError(f"all networks in sizes must have the same number of layers, got {sizes_list}")
    samples_list = [samples] * len(sizes_list) if np.ndim(samples) == 0 else list(samples)
    if len(samples_list) != len(sizes_list):
        raise ValueError(f"samples must give one batch size per network ({len(sizes_list)}), got {samples_list}")
    lr = learning_rate if _takes_learning_rate(backward_fn) else None
    rng = np.random.default_rng(seed)
    n_layers = len(sizes_list[0]) - 1
    names = [f"{kind}{l}" for l in range(n_layers) for kind in ("W", "b") if kind == "W" or with_biases]
    verdicts: dict[str, list] = {name: [] for name in names}
    errors = dict.fromkeys(names, 0.0)
    descriptions = []
    for net, n in zip(nets, samples_list):
        net.weights = [rng.standard_normal(w.shape) for w in net.weights]
        net.biases = [rng.normal(0.0, 0.5, b.shape) if with_biases else np.zeros(b.shape) for b in net.biases]
        X = rng.standard_normal((n, net.sizes[0]))
        y = rng.integers(0, 2, (n, net.sizes[-1])).astype(np.float64)
        descriptions.append(f"{net.sizes} with {n} sample{'s' if n > 1 else ''}")
        truth = numerical_gradients(lambda net=net, X=X, y=y: net._loss_and_outputs(X, y, loss)[0], net.parameters)
        got_w, got_b = _learner_gradients(backward_fn, X, y, net.weights, net.biases, lr)
        models_grads = [
            (m, _model_gradients(m, net.weights, net.biases, X, y, hidden, output, loss, lr))
            for m in _models(net.sizes, loss, lr is not None)
        ]
        for l in range(n_layers):
            for kind, got in (("W", got_w[l]), ("b", got_b[l])):
                name, true = f"{kind}{l}", truth[2 * l + (kind == "b")]
                if kind == "b" and not with_biases:
                    continue
                is_array = isinstance(got, np.ndarray) or np.isscalar(got)
                g = np.asarray(got, dtype=np.float64) if is_array else None
                if g is not None and g.shape == true.shape and np.all(np.isfinite(g)) and _close(g, true, tol):
                    errors[name] = max(errors[name], _rel_error(g, true))
                    verdicts[name].append(None)
                    continue
                errors[name] = (_rel_error(g, true) if g is not None and g.shape == true.shape
                                and np.all(np.isfinite(g)) else float("inf"))
                verdicts[name].append(_explain(got if is_array or got is None else list(got), name, l,
                                               models_grads, true, n, lr, tol))
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
