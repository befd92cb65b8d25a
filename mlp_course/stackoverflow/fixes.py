"""The fix ladder: the question's per-neuron trainer with each of its bugs fixable by name.

:data:`FIXES` lists one fix per bug, in notebook 02's order; :func:`train_fixed` runs the
question's loop with any subset of them (none: the question bit for bit; all: correct per-sample
gradient descent), and :func:`per_neuron_gradients` returns the gradient one step of that code
effectively descends. Both run :func:`_per_neuron_step`, the question's loop body in which every
``if`` swaps in one fix.

Notation (one sample ``x`` of shape (n_i,), target ``y`` a scalar, n_o = 1 output)::

    z_h = W_h x (+ b_h)      (n_h,)     h = σ(z_h)
    z_o = W_o h (+ b_o)      (n_o,)     o = σ(z_o)         c = ½‖o − y‖²

The per-neuron code stores ``W_h`` as ``h_layer``, one row (n_i,) per hidden neuron, and ``W_o``
as ``o_layer``, one row (n_h,) per output neuron. Parameters go in and come out in
:class:`~mlp_course.MLP`'s layout instead: ``weights[0] = W_h.T`` (n_i, n_h) and
``weights[1] = W_o.T`` (n_h, n_o).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from .. import activations as _activations
from .._validate import check_int, check_positive_float
from ._checks import check_run, check_sample
from .seed import X, activation, activation_d, cost, y
from .trace import Trace, _Recorder

FIXES: tuple[str, ...] = (
    "cost_derivative",
    "derivative_at_z",
    "descend",
    "backprop_order",
    "bias",
    "arrays",
    "shapes",
    "randn_init",
    "stable_sigmoid",
)
"""The fix ladder, in notebook 02's order (each name fixes one bug of the question):

1. ``cost_derivative``: the output error is dc/do = o − y, not the cost c itself.
2. ``derivative_at_z``: σ' is taken at each neuron's pre-activation z, not at the input x.
3. ``descend``: subtract the step (gradient *descent*), instead of adding it.
4. ``backprop_order``: the hidden error is δ_o·W_o, one number per hidden neuron, from the output
   error δ_o (not the lr- and h-scaled update) and the weights of the forward pass (not updated ones).
5. ``bias``: every neuron gets a bias (initialised to 0, like the answer's).
6. ``arrays``: the layers are 2-D arrays from the start, instead of lists that NumPy's ``__radd__``
   silently turns into arrays at the first ``+=`` (changes no number).
7. ``shapes``: the weight steps are outer products δ xᵀ (one entry per weight), instead of
   element-wise products that pair input k with hidden neuron k and only run when n_i == n_h.
8. ``randn_init``: weights ~ N(0, 1) (the answer's ``randn``) instead of U[0, 1) (all positive).
9. ``stable_sigmoid``: :func:`mlp_course.activations.sigmoid`, which never overflows.
"""

REQUIRES: dict[str, tuple[str, ...]] = {
    "backprop_order": ("derivative_at_z",),
    "bias": ("derivative_at_z",),
    "shapes": ("derivative_at_z",),
}
"""Fixes that only make sense on top of others: until σ' is taken at z (fix 2) the output error
is indexed by *input* (it has n_i entries, not n_o), so it cannot be sent back per hidden neuron,
given to a bias, or turned into an outer product."""


def check_fixes(fixes: Iterable[str]) -> frozenset[str]:
    """Validate a collection of fix names.

    Parameters
    ----------
    fixes : collection of str
        Names from :data:`FIXES`, in any order; each fix's prerequisites (:data:`REQUIRES`) included.

    Returns
    -------
    frozenset of str

    Raises
    ------
    TypeError
        ``fixes`` is a single string (it would be read as a collection of letters).
    ValueError
        An unknown name (the message lists the valid ones) or a missing prerequisite.
    """
    if isinstance(fixes, str):
        raise TypeError(f"fixes must be a collection of names such as ('descend',), got the string {fixes!r}")
    chosen = frozenset(fixes)
    unknown = sorted(chosen - set(FIXES))
    if unknown:
        raise ValueError(f"unknown fix(es) {unknown}; valid fixes are {list(FIXES)}")
    for fix, needs in REQUIRES.items():
        missing = [n for n in needs if n not in chosen]
        if fix in chosen and missing:
            raise ValueError(
                f"fix {fix!r} needs {missing} as well: until sigma' is taken at z the output error has one "
                "entry per input, not per output neuron, so it cannot be sent back, given to a bias or "
                "turned into an outer product"
            )
    return chosen


def ladder(upto: int) -> tuple[str, ...]:
    """The first ``upto`` fixes of :data:`FIXES` (``ladder(0) == ()``, ``ladder(len(FIXES)) == FIXES``).

    Parameters
    ----------
    upto : int
        The rung, 0 .. len(FIXES).

    Returns
    -------
    tuple of str
    """
    upto = check_int(upto, "upto", minimum=0)
    if upto > len(FIXES):
        raise ValueError(f"upto must be a rung between 0 and {len(FIXES)} (the number of fixes), got {upto}")
    return FIXES[:upto]


def _per_neuron_step(state: dict, x: np.ndarray, target: float, fixes: frozenset, learning_rate: float,
                     gradients: bool = True, seen: dict | None = None) -> tuple:
    """One sample of the per-neuron trainer, updating ``state`` in place.

    With no fix this is the question's loop body, operation for operation (so the numbers are
    bit-identical); every ``if`` swaps in one fix.

    Returns
    -------
    o : ndarray (n_o,), c : float
        The output and cost before the update (what the post prints).
    d_loss__d_o_layer : ndarray (n_o, n_h), d_loss__d_h_layer : ndarray (n_h, n_i)
    d_loss__d_h_bias : ndarray (n_h,) or None, d_loss__d_o_bias : ndarray (n_o,) or None
        Only with ``gradients=True`` (training skips them); in the code's own layout (rows per neuron).
        The step taken is ``layer -= learning_rate * d_loss__d_layer``: the gradient the code effectively
        descends (for the question's ``+=`` it is minus what it adds).

    With a dict ``seen``, the intermediate values are also stored in it (names as in
    :class:`PerNeuronStep`); no number changes.
    """
    act, act_d = (
        (_activations.sigmoid, _activations.sigmoid_derivative) if "stable_sigmoid" in fixes
        else (activation, activation_d)
    )
    h_layer, o_layer = state["h_layer"], state["o_layer"]
    bias = "bias" in fixes
    # forward
    z_h = [np.dot(x, n) for n in h_layer]
    if bias:
        z_h = [z + b for z, b in zip(z_h, state["h_bias"])]
    h = [act(z) for z in z_h]
    z_o = [np.dot(h, n) for n in o_layer]
    if bias:
        z_o = [z + b for z, b in zip(z_o, state["o_bias"])]
    o = [act(z) for z in z_o]
    o = np.array(o)
    c = cost(o, np.array(target))
    # output layer
    error = o - target if "cost_derivative" in fixes else c  # dc/do; the question used c
    if "derivative_at_z" in fixes:  # σ'(z) = σ(z)(1 − σ(z)) of each neuron, from its output
        slope_o, slope_h = o * (1 - o), np.array(h) * (1 - np.array(h))
    else:
        slope_o = slope_h = a_d = act_d(x)  # the question: a_d = activation_d(x)
    o_grad = error * slope_o
    sign = -1.0 if "descend" in fixes else 1.0  # the question adds (+=) its step
    if "shapes" in fixes:
        o_step = np.outer(o_grad, h)  # (n_o, n_h): one entry per output weight
        o_delta = learning_rate * o_step
    else:
        o_step = o_grad * h  # the question: input-indexed a_d times hidden-indexed h
        o_delta = learning_rate * o_grad * h  # the question's exact operation order
    if "backprop_order" in fixes:
        o_layer_used = np.array(o_layer, dtype=np.float64)  # the weights of the forward pass (a copy)
    if "descend" in fixes:
        o_layer -= o_delta
    else:
        o_layer += o_delta
    if bias:
        state["o_bias"] += sign * learning_rate * o_grad
    # hidden layer
    if "backprop_order" in fixes:
        h_error = np.dot(o_grad, o_layer_used)  # (n_h,): Σ_o δ_o W_o[o, j], per hidden neuron
    else:
        h_error = np.dot(o_delta, o_layer.T)  # the question: lr·δ·h, updated weights, summed
    h_grad = (slope_h if "derivative_at_z" in fixes else a_d) * h_error
    if "shapes" in fixes:
        h_step = np.outer(h_grad, x)  # (n_h, n_i): one entry per hidden weight
        h_delta = learning_rate * h_step
    else:
        h_step = h_grad * x
        h_delta = learning_rate * h_grad * x  # (n_i,), added to every hidden neuron's row
    if "descend" in fixes:
        h_layer -= h_delta
    else:
        h_layer += h_delta
    if bias:
        state["h_bias"] += sign * learning_rate * h_grad
    state["h_layer"], state["o_layer"] = h_layer, o_layer  # `+=` on a list rebinds to an ndarray
    if seen is not None:
        seen.update(z_h=z_h, h=h, z_o=z_o, o=o, cost=c, error=error, slope_o=slope_o, o_grad=o_grad,
                    o_delta=o_delta, o_layer_for_hidden=o_layer_used if "backprop_order" in fixes else o_layer,
                    h_error=h_error, h_grad=h_grad, h_delta=h_delta)
    if not gradients:
        return o, c
    d_loss__d_h_layer = -sign * np.broadcast_to(h_step, np.shape(h_layer))
    d_loss__d_o_layer = -sign * np.broadcast_to(o_step, np.shape(o_layer))
    d_loss__d_biases = (-sign * h_grad, -sign * o_grad) if bias else (None, None)
    return o, c, d_loss__d_o_layer, d_loss__d_h_layer, *d_loss__d_biases


def _initial_state(fixes: frozenset, seed: int, n_i: int, n_h: int, n_o: int) -> dict:
    rng = np.random.RandomState(seed)
    draw = rng.randn if "randn_init" in fixes else rng.rand
    h_layer = [draw(n_i) for i in range(n_h)]
    o_layer = [draw(n_h) for i in range(n_o)]
    if "arrays" in fixes:
        h_layer, o_layer = np.array(h_layer), np.array(o_layer)  # (n_h, n_i), (n_o, n_h)
    return {"h_layer": h_layer, "o_layer": o_layer, "h_bias": np.zeros(n_h), "o_bias": np.zeros(n_o)}


def _state_of(weights: Sequence[ArrayLike], biases: Sequence[ArrayLike], fixes: frozenset) -> dict:
    """The code's state from MLP-layout parameters (copies): rows per neuron, lists until fix 6."""
    h_layer = np.array(weights[0], dtype=np.float64).T.copy()  # (n_h, n_i)
    o_layer = np.array(weights[1], dtype=np.float64).T.copy()  # (n_o, n_h)
    return {"h_layer": h_layer if "arrays" in fixes else list(h_layer),
            "o_layer": o_layer if "arrays" in fixes else list(o_layer),
            "h_bias": np.array(biases[0], dtype=np.float64).copy(),
            "o_bias": np.array(biases[1], dtype=np.float64).copy()}


def train_fixed(
    fixes: Iterable[str] = FIXES,
    seed: int = 0,
    n_h: int = 2,
    learning_rate: float = 1e-2,
    max_iterations: int = 10000,
    record_every: int = 2000,
    until_solved: bool = False,
) -> Trace:
    """The question's per-neuron trainer with the named fixes applied.

    ``train_fixed(())`` reproduces :func:`train_question` bit for bit; ``train_fixed(FIXES)`` is
    correct per-sample gradient descent (see :func:`per_neuron_gradients`).

    Parameters
    ----------
    fixes : collection of str
        A subset of :data:`FIXES` (order does not matter; :data:`REQUIRES` lists prerequisites).
    seed, n_h, learning_rate, max_iterations, record_every, until_solved
        As in :func:`train_answer`.

    Returns
    -------
    Trace
        Weights in MLP layout: ``weights[0]`` (2, n_h), ``weights[1]`` (n_h, 1); biases (n_h,), (1,).
    """
    chosen = check_fixes(fixes)
    seed, n_h, learning_rate, max_iterations, record_every = check_run(
        seed, n_h, learning_rate, max_iterations, record_every)
    n_i, n_o = X.shape[1], 1
    state = _initial_state(chosen, seed, n_i, n_h, n_o)
    initial = [np.array(state["h_layer"], dtype=np.float64).T, np.array(state["o_layer"], dtype=np.float64).T]
    initial_biases = [state["h_bias"].copy(), state["o_bias"].copy()]
    rec = _Recorder(record_every, until_solved)
    for iteration in range(max_iterations):
        for j in range(len(X)):
            o, c = _per_neuron_step(state, X[j], y[j], chosen, learning_rate, gradients=False)
            rec.sample(o, c)
        if rec.end_epoch(iteration):
            break
    weights = [np.asarray(state["h_layer"]).T, np.asarray(state["o_layer"]).T]
    return rec.trace(weights, [state["h_bias"], state["o_bias"]], initial, initial_biases)


def per_neuron_gradients(
    weights: Sequence[ArrayLike],
    biases: Sequence[ArrayLike],
    x: ArrayLike,
    target: float,
    fixes: Iterable[str] = FIXES,
    learning_rate: float = 1e-2,
) -> tuple[list[np.ndarray], list[np.ndarray] | None]:
    """The gradient the per-neuron code effectively descends on one sample, in MLP layout.

    The code's step on sample ``(x, target)`` is ``p -= learning_rate * g``; this returns those
    ``g``, computed from the given parameters (which are not modified). With every fix, ``g`` is
    the gradient of the sample's cost ½(o − y)², i.e. what ``mc.MLP.gradients`` returns for the
    one-row batch ``x[None]`` (its mse is a mean over rows: over one row, the sample's cost).

    Parameters
    ----------
    weights : [W_h.T (n_i, n_h), W_o.T (n_h, 1)]
    biases : [b_h (n_h,), b_o (1,)]
        Ignored (and the returned ones are None) unless ``"bias"`` is among ``fixes``.
    x : array_like, shape (n_i,)
    target : float
    fixes : collection of str
    learning_rate : float
        Matters only without ``"backprop_order"``: the question's hidden step contains it.

    Returns
    -------
    d_loss__d_weights : [ (n_i, n_h), (n_h, 1) ]
    d_loss__d_biases : [ (n_h,), (1,) ] or None (the code has no biases)
    """
    chosen = check_fixes(fixes)
    check_sample(weights, biases, x, target)
    state = _state_of(weights, biases, chosen)
    _, _, d_loss__d_o_layer, d_loss__d_h_layer, d_loss__d_h_bias, d_loss__d_o_bias = _per_neuron_step(
        state, np.asarray(x, dtype=np.float64), target, chosen, learning_rate)
    d_loss__d_weights = [np.array(d_loss__d_h_layer).T, np.array(d_loss__d_o_layer).T]  # (n_i, n_h), (n_h, n_o)
    if d_loss__d_h_bias is None:
        return d_loss__d_weights, None
    return d_loss__d_weights, [np.array(d_loss__d_h_bias), np.array(d_loss__d_o_bias)]  # (n_h,), (n_o,)




class PerNeuronStep(NamedTuple):
    """What one step of the per-neuron code computes on one sample (:func:`per_neuron_step`).

    Where a bug changes a shape, the bug's shape follows "or" (n_i: one entry per *input*).

    Attributes
    ----------
    z_h, h : (n_h,)                  hidden pre-activations and outputs
    z_o, o : (n_o,)                  output pre-activation and output
    cost : float                     the sample's cost ½‖o − y‖²
    error : (n_o,) or float          the error sent back: o − y, or (before fix 1) the cost's value
    slope_o : (n_o,) or (n_i,)       σ'(z_o), or (before fix 2) σ'(x)
    d_loss__d_z_o : (n_o,) or (n_i,) the output δ, ``error * slope_o`` (the code's ``o_grad``)
    o_delta : (n_o, n_h) or (n_h,)   the output-weight step, lr·δ_o hᵀ (before fix 7 element-wise)
    o_layer_for_hidden : (n_o, n_h)  the output weights the hidden error is built from (before fix 4:
                                     the ones already updated by ``o_delta``)
    h_error : (n_h,) or (1,)         Σ_o δ_o W_o[o, j] per hidden neuron, or (before fix 4) one number,
                                     Σ_k o_delta[k] · W_o,updated[k]
    d_loss__d_z_h : (n_h,) or (n_i,) the hidden δ (the code's ``h_grad``)
    h_delta : (n_h, n_i) or (n_i,)   the hidden-weight step (before fix 7, one row for every neuron)
    weights, biases : lists          the parameters after the step, MLP layout [(n_i, n_h), (n_h, n_o)],
                                     [(n_h,), (n_o,)] (the given biases without the ``"bias"`` fix)
    """

    z_h: np.ndarray
    h: np.ndarray
    z_o: np.ndarray
    o: np.ndarray
    cost: float
    error: np.ndarray | float
    slope_o: np.ndarray
    d_loss__d_z_o: np.ndarray
    o_delta: np.ndarray
    o_layer_for_hidden: np.ndarray
    h_error: np.ndarray
    d_loss__d_z_h: np.ndarray
    h_delta: np.ndarray
    weights: list[np.ndarray]
    biases: list[np.ndarray]


def per_neuron_step(
    weights: Sequence[ArrayLike],
    biases: Sequence[ArrayLike],
    x: ArrayLike,
    target: float,
    fixes: Iterable[str] = FIXES,
    learning_rate: float = 1e-2,
) -> PerNeuronStep:
    """One step of the per-neuron code on one sample, with every intermediate value it computes.

    The loop body of :func:`train_fixed` and :func:`per_neuron_gradients`, on copies of the parameters.

    Parameters
    ----------
    weights, biases, x, target, fixes, learning_rate
        As in :func:`per_neuron_gradients` (``biases`` count only with the ``"bias"`` fix).

    Returns
    -------
    PerNeuronStep
    """
    chosen = check_fixes(fixes)
    target = check_sample(weights, biases, x, target)
    learning_rate = check_positive_float(learning_rate, "learning_rate")
    state = _state_of(weights, biases, chosen)
    seen: dict = {}
    _per_neuron_step(state, np.asarray(x, dtype=np.float64), target, chosen, learning_rate, gradients=False, seen=seen)
    as_array = {k: np.array(v, dtype=np.float64) for k, v in seen.items() if k != "cost"}
    return PerNeuronStep(
        **{k: as_array[k] for k in ("z_h", "h", "z_o", "o", "slope_o", "o_delta", "o_layer_for_hidden",
                                    "h_error", "h_delta")},
        cost=float(seen["cost"]), error=as_array["error"] if np.ndim(seen["error"]) else float(seen["error"]),
        d_loss__d_z_o=as_array["o_grad"], d_loss__d_z_h=as_array["h_grad"],
        weights=[np.array(state["h_layer"], dtype=np.float64).T, np.array(state["o_layer"], dtype=np.float64).T],
        biases=[state["h_bias"], state["o_bias"]] if "bias" in chosen else [np.array(b, dtype=np.float64)
                                                                           for b in biases],
    )
