"""The StackOverflow story: the question's broken XOR network, the accepted answer, and a fix ladder.

The seed of this course is a StackOverflow question ("I cannot get backpropagation to work") and
its accepted answer, both quoted here under CC BY-SA 4.0 with attribution to their StackOverflow
authors. The seed reached us through a Chinese translation that flattened every indentation and
did not keep the authors' names; the indentation is restored, and so are the closing quotes of the
answer's ``cost_d`` docstring, which the translation dropped. Nothing else is changed.

Three trainers, each returning a :class:`Trace` instead of printing:

``train_question``
    The question's ``mlp_train``, line for line (per-neuron Python lists, ``np.random.rand``
    initialisation, ``+=`` updates), instrumented only. ``verbose=True`` prints the post's lines.
``train_answer``
    The accepted answer's ``mlp_train``, line for line (``np.random.randn`` initialisation,
    biases, per-sample updates). ``fast=True`` runs a pure-Python-float transcription of the same
    arithmetic, several times faster (tested to agree with the faithful code).
``train_fixed``
    The question's per-neuron trainer with each bug fix switchable by name (:data:`FIXES`). With
    every fix on, its gradient is exactly backpropagation's: :func:`per_neuron_gradients` returns
    it for given weights, and the tests compare it with :meth:`mlp_course.MLP.gradients`.

Notation (one sample ``x`` of shape (n_i,), target ``y`` a scalar, n_o = 1 output)::

    z_h = W_h x (+ b_h)      (n_h,)     h = σ(z_h)
    z_o = W_o h (+ b_o)      (n_o,)     o = σ(z_o)         c = ½‖o − y‖²

The per-neuron code stores ``W_h`` as ``h_layer``, one row (n_i,) per hidden neuron, and ``W_o``
as ``o_layer``, one row (n_h,) per output neuron. :class:`Trace` reports parameters in
:class:`~mlp_course.MLP`'s layout instead: ``weights[0] = W_h.T`` (n_i, n_h) and
``weights[1] = W_o.T`` (n_h, n_o).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

from . import activations as _activations
from ._validate import check_int, check_positive_float
from .gradcheck import GradCheckReport, compare, numerical_gradients
from .network import MLP

# The seed's data, exactly as both programs define it.
X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
"""The four XOR inputs, shape (4, 2), int, as in the seed."""
y = np.array([0, 1, 1, 0])
"""The four XOR targets, shape (4,), int, as in the seed."""


# ----------------------------------------------------------------------------------------------
# The seed's helper functions, verbatim (both programs define the same three; the answer adds cost_d)
def activation(x):  # sigmoid
    return 1 / (1 + np.exp(-x))


def activation_d(x):  # sigmoid derivative
    s = activation(x)
    return s * (1 - s)


def cost(y1, y2):
    return (np.linalg.norm(y1 - y2) ** 2) / 2


def cost_d(y1, y2):
    """ Compute MSE loss, gradient
    y1: prediction
    y2: target
    grads: same shape with y1 / y2
    """
    # d_sigmoid = sigmoid * (1 - sigmoid)
    return np.array(y1 - y2) * (y1 * (1 - y1))


# ----------------------------------------------------------------------------------------------
@dataclass
class Trace:
    """What one training run did.

    Attributes
    ----------
    iterations : list of int
        The recorded iterations (epochs): 0, record_every, 2·record_every, …
    outputs : ndarray, shape (n_records, 4)
        ``outputs[k, j]``: the output for sample j computed during recorded iteration k's pass over
        the data (before that sample's own update) -- exactly the number the post prints.
    costs : ndarray, shape (n_records, 4)
        The matching per-sample costs ½(o − y)², the post's ``cost``.
    loss : ndarray, shape (epochs,)
        Mean of the four per-sample costs of every epoch's pass (the mse of ``mlp_course``).
    weights : list of ndarray
        Final parameters in MLP layout: ``weights[0]`` (n_i, n_h), ``weights[1]`` (n_h, n_o).
    biases : list of ndarray
        ``biases[0]`` (n_h,), ``biases[1]`` (n_o,); zeros for a program without biases.
    solved_at : int or None
        The first iteration whose pass had all four outputs on the right side of 0.5 and a mean
        cost below 0.01 (judged on the outputs of that pass, as printed), else None.
    epochs : int
        Iterations completed (fewer than asked when ``until_solved`` stopped early).
    initial_weights, initial_biases : list of ndarray
        The parameters before training, in MLP layout.
    """

    iterations: list[int]
    outputs: np.ndarray
    costs: np.ndarray
    loss: np.ndarray
    weights: list[np.ndarray]
    biases: list[np.ndarray]
    solved_at: int | None
    epochs: int
    initial_weights: list[np.ndarray] = field(default_factory=list)
    initial_biases: list[np.ndarray] = field(default_factory=list)

    def to_mlp(self, initial: bool = False) -> MLP:
        """The trained (or, with ``initial=True``, the untrained) network as a sigmoid ``mc.MLP``."""
        weights, biases = (self.initial_weights, self.initial_biases) if initial else (self.weights, self.biases)
        return MLP.from_parameters(weights, biases, activation="sigmoid", output_activation="sigmoid")

    def final_outputs(self) -> np.ndarray:
        """The trained network's outputs on the four XOR inputs, shape (4,)."""
        return self.to_mlp().forward(X)[:, 0]

    def __repr__(self) -> str:
        last = ", ".join(f"{o:.4f}" for o in self.outputs[-1]) if len(self.outputs) else "n/a"
        return f"Trace(epochs={self.epochs}, last recorded outputs=[{last}], solved_at={self.solved_at})"


class _Recorder:
    """Collects a run's per-sample outputs and costs (tiny lists, cheap enough for every epoch)."""

    def __init__(self, record_every: int, until_solved: bool) -> None:
        self.record_every = record_every
        self.until_solved = until_solved
        self.iterations: list[int] = []
        self.outputs: list[list[float]] = []
        self.costs: list[list[float]] = []
        self.loss: list[float] = []
        self.solved_at: int | None = None
        self._o: list[float] = []
        self._c: list[float] = []

    def sample(self, o, c) -> None:
        """Record one sample's output ``o`` (ndarray of one element, or float) and cost ``c``."""
        self._o.append(o.item(0) if isinstance(o, np.ndarray) else o)
        self._c.append(float(c))

    def end_epoch(self, iteration: int) -> bool:
        """Close the epoch; return True when training should stop (solved and ``until_solved``)."""
        o, c = self._o, self._c
        self._o, self._c = [], []
        mean_cost = sum(c) / len(c)
        self.loss.append(mean_cost)
        if iteration % self.record_every == 0:
            self.iterations.append(iteration)
            self.outputs.append(o)
            self.costs.append(c)
        if self.solved_at is None and mean_cost < 0.01 and all((oj > 0.5) == (yj > 0.5) for oj, yj in zip(o, y)):
            self.solved_at = iteration
            if self.until_solved:
                if not self.iterations or self.iterations[-1] != iteration:
                    self.iterations.append(iteration)
                    self.outputs.append(o)
                    self.costs.append(c)
                return True
        return False

    def trace(self, weights, biases, initial_weights, initial_biases) -> Trace:
        return Trace(
            iterations=self.iterations,
            outputs=np.array(self.outputs, dtype=np.float64).reshape(-1, len(X)),
            costs=np.array(self.costs, dtype=np.float64).reshape(-1, len(X)),
            loss=np.array(self.loss, dtype=np.float64),
            weights=[np.array(w, dtype=np.float64) for w in weights],
            biases=[np.array(b, dtype=np.float64).ravel() for b in biases],
            solved_at=self.solved_at,
            epochs=len(self.loss),
            initial_weights=[np.array(w, dtype=np.float64) for w in initial_weights],
            initial_biases=[np.array(b, dtype=np.float64).ravel() for b in initial_biases],
        )


def _check_run(n_h, learning_rate, max_iterations, record_every) -> tuple[int, float, int, int]:
    return (
        check_int(n_h, "n_h", minimum=1),
        check_positive_float(learning_rate, "learning_rate"),
        check_int(max_iterations, "max_iterations", minimum=1),
        check_int(record_every, "record_every", minimum=1),
    )


# ----------------------------------------------------------------------------------------------
# The question
def train_question(
    seed: int = 0,
    n_h: int = 2,
    learning_rate: float = 1e-2,
    max_iterations: int = 10000,
    record_every: int = 2000,
    verbose: bool = False,
) -> Trace:
    """Run the question's ``mlp_train(X, y, n_h)`` from ``np.random.seed(seed)``'s state.

    The body is the post's, line for line; the only additions are the lines marked ``# trace``.
    The initial weights come from ``np.random.RandomState(seed)``, which draws exactly what
    ``np.random.seed(seed); np.random.rand(...)`` draws, without touching NumPy's global state.

    Parameters
    ----------
    seed : int
    n_h : int
        Hidden neurons. The code only runs for ``n_h == 2`` (== the number of inputs): any other
        value raises the ``ValueError`` the post's code raises (bug 7 of notebook 02).
    learning_rate : float
    max_iterations : int
        Epochs (the post's "iterations").
    record_every : int
        Record (and, with ``verbose``, print) every this many iterations, like the post's 2000.
    verbose : bool
        Print exactly what the post's program prints.

    Returns
    -------
    Trace
    """
    n_h, learning_rate, max_iterations, record_every = _check_run(n_h, learning_rate, max_iterations, record_every)
    rand = np.random.RandomState(seed).rand  # trace: np.random.seed(seed); np.random.rand
    rec = _Recorder(record_every, until_solved=False)  # trace
    n_i = 1 if len(X.shape) == 1 else len(X[0]) # input neurons count
    n_o = 1 if len(y.shape) == 1 else len(y[0]) # output neurons count
    h_layer = [rand(n_i) for i in range(n_h)]
    o_layer = [rand(n_h) for i in range(n_o)]
    initial = [np.array(h_layer).T, np.array(o_layer).T]  # trace
    for iteration in range(max_iterations):
        if verbose and (iteration % record_every == 0): print('iteration', iteration)  # noqa: E701
        for j in range(len(X)):
            x = X[j]
            h = [activation(np.dot(x, n)) for n in h_layer]
            o = [activation(np.dot(h, n)) for n in o_layer]
            o = np.array(o)
            c = cost(o, np.array(y[j]))
            a_d = activation_d(x)
            o_grad = c * a_d
            o_delta = learning_rate * o_grad * h
            o_layer += o_delta
            h_grad = a_d * np.dot(o_delta, o_layer.T)
            h_delta = learning_rate * h_grad * x
            h_layer += h_delta
            if verbose and (iteration % record_every == 0): print(x, '->', o, 'cost', c)  # noqa: E701
            rec.sample(o, c)  # trace
        rec.end_epoch(iteration)  # trace
    no_bias = [np.zeros(n_h), np.zeros(n_o)]
    return rec.trace([np.asarray(h_layer).T, np.asarray(o_layer).T], no_bias, initial, no_bias)


# ----------------------------------------------------------------------------------------------
# The accepted answer
def train_answer(
    seed: int = 0,
    n_h: int = 2,
    learning_rate: float = 1e-2,
    max_iterations: int = 100000,
    record_every: int = 2000,
    verbose: bool = False,
    until_solved: bool = False,
    *,
    fix_update_order: bool = False,
    fast: bool = False,
) -> Trace:
    """Run the accepted answer's ``mlp_train(X, y, n_h)`` from ``np.random.seed(seed)``'s state.

    The body is the answer's, line for line, plus the lines marked ``# trace``; its default
    ``max_iterations`` is the ``int(1e5)`` the answer calls it with.

    Parameters
    ----------
    seed, n_h, learning_rate, max_iterations, record_every, verbose
        As in :func:`train_question`. ``verbose`` prints the answer's lines (not with ``fast``).
    until_solved : bool
        Stop after the first iteration at which XOR counts as solved (see :class:`Trace`).
    fix_update_order : bool
        False (the answer): ``ow`` is updated *before* the error is sent back through it.
        True: the hidden error uses the output weights of the forward pass, as backprop requires.
    fast : bool
        Run :func:`_answer_scalar`, the same arithmetic on Python floats (about 4x faster); it
        agrees with the NumPy code to round-off (``tests/test_stackoverflow.py`` checks it).

    Returns
    -------
    Trace
    """
    n_h, learning_rate, max_iterations, record_every = _check_run(n_h, learning_rate, max_iterations, record_every)
    randn = np.random.RandomState(seed).randn  # trace: np.random.seed(seed); np.random.randn
    rec = _Recorder(record_every, until_solved)  # trace
    n_i = 1 if len(X.shape) == 1 else len(X[0])  # input neurons count
    n_o = 1 if len(y.shape) == 1 else len(y[0])  # output neurons count
    # add bias
    hw = randn(n_i, n_h)
    hb = np.zeros((1, n_h))
    ow = randn(n_h, n_o)
    ob = np.zeros((1, n_o))
    initial = ([hw.copy(), ow.copy()], [hb.copy(), ob.copy()])  # trace
    if fast:  # trace
        if verbose:
            raise ValueError("verbose printing needs the faithful code: pass fast=False")
        _answer_scalar(hw, hb, ow, ob, learning_rate, max_iterations, rec, fix_update_order)
        return rec.trace([hw, ow], [hb, ob], *initial)
    for iteration in range(max_iterations):
        if verbose and iteration % record_every == 0:
            print('iteration', iteration)
        for x_i, y_i in zip(X, y):
            # forwardprop
            x_i = x_i[np.newaxis, :]
            hz = np.dot(x_i, hw) + hb   # (1, n_h)
            ho = activation(hz)
            oz = np.dot(ho, ow) + ob    # (1, n_o)
            oo = activation(oz)
            # cost
            c = cost(oo, y_i)
            # backwardprop
            grad_oz = cost_d(oo, y_i)   # (1, n_o)
            grad_ob = grad_oz
            grad_ow = np.dot(ho.T, grad_oz) # (n_h, n_o)
            if fix_update_order:  # trace: send the error back through the weights of the forward pass
                grad_h = np.dot(grad_oz, ow.T)  # (1, n_h)
            # update
            ow -= learning_rate * grad_ow
            ob -= learning_rate * grad_ob
            if not fix_update_order:  # trace: the answer's order
                grad_h = np.dot(grad_oz, ow.T)  # (1, n_h)
            grad_hz = grad_h * (ho * (1 - ho))
            grad_hb = grad_hz       # (1, n_h)
            grad_hw = np.dot(x_i.T, grad_hz)    # (n_i, n_h)
            # update
            hw -= learning_rate * grad_hw
            hb -= learning_rate * grad_hb
            if verbose and iteration % record_every == 0:
                print(x_i, '->', oo, 'cost', c)
            rec.sample(oo, c)  # trace
        if rec.end_epoch(iteration):  # trace
            break
    return rec.trace([hw, ow], [hb, ob], *initial)


def _sigmoid_float(z: float) -> float:
    """The seed's ``1 / (1 + exp(-z))`` on a Python float (exp overflow gives 0.0, as NumPy's inf does)."""
    try:
        return 1 / (1 + math.exp(-z))
    except OverflowError:
        return 0.0


def _answer_scalar(hw, hb, ow, ob, learning_rate, max_iterations, rec, fix_update_order) -> None:
    """The answer's loop on Python floats, updating ``hw`` (n_i, n_h), ``hb`` (1, n_h), ``ow`` (n_h, 1),
    ``ob`` (1, 1) in place. Same operations in the same order; NumPy's per-call overhead dominates
    the faithful loop for these 2-by-2 arrays, and plain floats avoid it."""
    n_i, n_h = hw.shape
    W = hw.tolist()  # W[k][j]: input k -> hidden j
    B = hb[0].tolist()
    V = ow[:, 0].tolist()  # hidden j -> output
    b_o = float(ob[0, 0])
    lr = learning_rate
    samples = [([float(v) for v in xi], float(yi)) for xi, yi in zip(X, y)]
    H = range(n_h)
    K = range(n_i)
    for iteration in range(max_iterations):
        for x_i, y_i in samples:
            ho = [_sigmoid_float(sum(x_i[k] * W[k][j] for k in K) + B[j]) for j in H]
            oz = sum(ho[j] * V[j] for j in H) + b_o
            oo = _sigmoid_float(oz)
            c = (oo - y_i) ** 2 / 2
            grad_oz = (oo - y_i) * (oo * (1 - oo))
            if fix_update_order:
                grad_h = [grad_oz * V[j] for j in H]
            for j in H:
                V[j] -= lr * (ho[j] * grad_oz)
            b_o -= lr * grad_oz
            if not fix_update_order:
                grad_h = [grad_oz * V[j] for j in H]
            grad_hz = [grad_h[j] * (ho[j] * (1 - ho[j])) for j in H]
            for k in K:
                for j in H:
                    W[k][j] -= lr * (x_i[k] * grad_hz[j])
            for j in H:
                B[j] -= lr * grad_hz[j]
            rec.sample(oo, c)
        if rec.end_epoch(iteration):
            break
    hw[...] = W
    hb[0] = B
    ow[:, 0] = V
    ob[0, 0] = b_o


def answer_gradients(weights, biases, x, target, learning_rate: float = 1e-2, fix_update_order: bool = False):
    """The gradient the answer's code effectively descends on one sample, in MLP layout.

    The answer's step is ``p -= learning_rate * g``; this returns those ``g``. Because the answer
    updates ``ow`` before computing ``grad_h``, its hidden-layer ``g`` depends on the learning rate
    (with ``fix_update_order=True`` it does not, and equals backprop's).

    Parameters
    ----------
    weights : [hw (n_i, n_h), ow (n_h, 1)]
    biases : [hb (n_h,), ob (1,)]
    x : array_like, shape (n_i,)
    target : float

    Returns
    -------
    d_weights : [ (n_i, n_h), (n_h, 1) ]
    d_biases : [ (n_h,), (1,) ]
    """
    hw, ow = (np.array(w, dtype=np.float64) for w in weights)
    hb = np.array(biases[0], dtype=np.float64).reshape(1, -1)
    ob = np.array(biases[1], dtype=np.float64).reshape(1, -1)
    x_i = np.asarray(x, dtype=np.float64)[np.newaxis, :]
    ho = activation(np.dot(x_i, hw) + hb)
    oo = activation(np.dot(ho, ow) + ob)
    grad_oz = cost_d(oo, target)
    grad_ow = np.dot(ho.T, grad_oz)
    ow_used = ow if fix_update_order else ow - learning_rate * grad_ow
    grad_h = np.dot(grad_oz, ow_used.T)
    grad_hz = grad_h * (ho * (1 - ho))
    return [np.dot(x_i.T, grad_hz), grad_ow], [grad_hz[0], grad_oz[0]]


# ----------------------------------------------------------------------------------------------
# The fix ladder
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


def check_fixes(fixes) -> frozenset[str]:
    """Validate a collection of fix names; raise ``ValueError`` listing the valid ones."""
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
    """The first ``upto`` fixes of :data:`FIXES` (``ladder(0) == ()``, ``ladder(len(FIXES)) == FIXES``)."""
    return FIXES[:upto]


def _per_neuron_step(state: dict, x, target, fixes: frozenset, learning_rate: float, gradients: bool = True) -> tuple:
    """One sample of the per-neuron trainer, updating ``state`` in place.

    With no fix this is the question's loop body, operation for operation (so the numbers are
    bit-identical); every ``if`` swaps in one fix.

    Returns
    -------
    o : ndarray (n_o,), c : float
        The output and cost before the update (what the post prints).
    d_o_layer : ndarray, d_h_layer : ndarray, d_o_bias, d_h_bias : ndarray or None
        Only with ``gradients=True`` (training skips them).
        The step taken is ``layer -= learning_rate * d_layer``: the gradient the code effectively
        descends (for the question's ``+=`` it is minus what it adds).
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
    if not gradients:
        return o, c
    d_h_layer = -sign * np.broadcast_to(h_step, np.shape(h_layer))
    d_o_layer = -sign * np.broadcast_to(o_step, np.shape(o_layer))
    d_biases = (-sign * h_grad, -sign * o_grad) if bias else (None, None)
    return o, c, d_o_layer, d_h_layer, *d_biases


def _initial_state(fixes: frozenset, seed: int, n_i: int, n_h: int, n_o: int) -> dict:
    rng = np.random.RandomState(seed)
    draw = rng.randn if "randn_init" in fixes else rng.rand
    h_layer = [draw(n_i) for i in range(n_h)]
    o_layer = [draw(n_h) for i in range(n_o)]
    if "arrays" in fixes:
        h_layer, o_layer = np.array(h_layer), np.array(o_layer)  # (n_h, n_i), (n_o, n_h)
    return {"h_layer": h_layer, "o_layer": o_layer, "h_bias": np.zeros(n_h), "o_bias": np.zeros(n_o)}


def train_fixed(
    fixes=FIXES,
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
    """
    chosen = check_fixes(fixes)
    n_h, learning_rate, max_iterations, record_every = _check_run(n_h, learning_rate, max_iterations, record_every)
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


def per_neuron_gradients(weights, biases, x, target, fixes=FIXES, learning_rate: float = 1e-2):
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
    d_weights : [ (n_i, n_h), (n_h, 1) ]
    d_biases : [ (n_h,), (1,) ] or None (the code has no biases)
    """
    chosen = check_fixes(fixes)
    h_layer = np.array(weights[0], dtype=np.float64).T.copy()
    o_layer = np.array(weights[1], dtype=np.float64).T.copy()
    state = {
        "h_layer": h_layer if "arrays" in chosen else list(h_layer),
        "o_layer": o_layer if "arrays" in chosen else list(o_layer),
        "h_bias": np.array(biases[0], dtype=np.float64).copy(),
        "o_bias": np.array(biases[1], dtype=np.float64).copy(),
    }
    _, _, d_o, d_h, d_hb, d_ob = _per_neuron_step(state, np.asarray(x, dtype=np.float64), target, chosen,
                                                  learning_rate)
    d_weights = [np.array(d_h).T, np.array(d_o).T]
    return d_weights, (None if d_hb is None else [np.array(d_hb), np.array(d_ob)])


def mlp_gradients(weights, biases, x, target):
    """Backprop's gradient of one sample's cost, from :meth:`mlp_course.MLP.gradients`.

    ``MLP``'s mse is a mean over rows; for the single row ``x[None]`` it is the sample's cost
    ½(o − y)², so these are directly comparable with :func:`per_neuron_gradients`.

    Returns
    -------
    d_weights : [ (n_i, n_h), (n_h, 1) ], d_biases : [ (n_h,), (1,) ]
    """
    net = MLP.from_parameters(weights, biases, activation="sigmoid", output_activation="sigmoid")
    _, d_weights, d_biases = net.gradients(np.asarray(x, dtype=np.float64)[None, :], [[float(target)]], "mse")
    return d_weights, d_biases


def _mean_over_samples(one_sample_gradients, X, y):
    """Average a one-sample gradient function over the rows of ``X``, all at the same parameters."""
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64).reshape(len(X), -1)
    total_w, total_b = None, None
    for x, target in zip(X, y):
        d_w, d_b = one_sample_gradients(x, float(target[0]))
        total_w = d_w if total_w is None else [t + g for t, g in zip(total_w, d_w)]
        if d_b is not None:
            total_b = d_b if total_b is None else [t + g for t, g in zip(total_b, d_b)]
    return [t / len(X) for t in total_w], None if total_b is None else [t / len(X) for t in total_b]


def question_backward(fixes=FIXES):
    """The question's per-neuron step, with ``fixes``, as a backward function for the diagnoser.

    Returns ``backward(X, y, weights, biases, learning_rate) -> (d_weights, d_biases)``: the mean
    over the rows of ``X`` of :func:`per_neuron_gradients` (each at the given parameters), in the
    shape convention of :func:`mlp_course.diagnose.diagnose_backprop`. Without the ``"bias"`` fix
    the code has no biases: ``d_biases`` is None. The code needs one output and sigmoid units, and
    without the ``"shapes"`` fix as many hidden units as inputs, so diagnose it with
    ``sizes=[[2, 2, 1]] * 3`` and ``samples=1`` (it updates after every sample).
    """
    chosen = check_fixes(fixes)

    def backward(X, y, weights, biases, learning_rate):
        return _mean_over_samples(
            lambda x, t: per_neuron_gradients(weights, biases, x, t, chosen, learning_rate), X, y)

    return backward


def answer_backward(fix_update_order: bool = False):
    """The accepted answer's step as a backward function for the diagnoser (see :func:`question_backward`).

    With ``fix_update_order=False`` it is the answer as posted: the hidden error is computed from
    the output weights *after* their update (the diagnoser calls this "stale weights").
    """

    def backward(X, y, weights, biases, learning_rate):
        return _mean_over_samples(
            lambda x, t: answer_gradients(weights, biases, x, t, learning_rate, fix_update_order), X, y)

    return backward


def post_printout(trace: Trace) -> str:
    """The recorded outputs and costs formatted like the post's lines (floats to 5 decimals)."""
    lines = []
    for it, outs, costs in zip(trace.iterations, trace.outputs, trace.costs):
        lines.append(f"iteration {it}")
        for x, o, c in zip(X, outs, costs):
            lines.append(f"{x} -> [{o:.5f}] cost {c:.5f}")
    return "\n".join(lines)


# ----------------------------------------------------------------------------------------------
# Gradient checks of the per-neuron code
def epoch_gradients(weights, biases, fixes=FIXES, learning_rate: float = 1e-2):
    """:func:`per_neuron_gradients` summed over the four XOR samples, all at the same parameters.

    This is what one epoch would descend if the parameters did not move between samples; its true
    value is the gradient of the *summed* cost Σ_j ½(o_j − y_j)², i.e. 4 × ``mc.MLP``'s mse
    gradient (a mean over the 4 samples).

    Returns
    -------
    d_weights : [ (n_i, n_h), (n_h, 1) ]
    d_biases : [ (n_h,), (1,) ] or None (the code has no biases)
    """
    total_w, total_b = None, None
    for x, target in zip(X, y):
        d_w, d_b = per_neuron_gradients(weights, biases, x, target, fixes, learning_rate)
        total_w = d_w if total_w is None else [t + d for t, d in zip(total_w, d_w)]
        if d_b is not None:
            total_b = d_b if total_b is None else [t + d for t, d in zip(total_b, d_b)]
    return total_w, total_b


def numerical_epoch_gradients(weights, biases, h: float = 1e-6):
    """Central differences of the summed cost Σ_j ½(o_j − y_j)² over the four XOR samples.

    Returns
    -------
    d_weights : [ (n_i, n_h), (n_h, 1) ], d_biases : [ (n_h,), (1,) ]
    """
    net = MLP.from_parameters(weights, biases, activation="sigmoid", output_activation="sigmoid")
    X_float, y_col = net.check_data(X, y)
    numeric = numerical_gradients(lambda: len(X) * net._loss_and_outputs(X_float, y_col, "mse")[0],
                                  net.parameters, h)
    return numeric[0::2], numeric[1::2]


def check_gradients(weights, biases, fixes=FIXES, learning_rate: float = 1e-2, tol: float = 1e-4) -> GradCheckReport:
    """Gradient-check the per-neuron code's step against central differences.

    Compares :func:`epoch_gradients` with :func:`numerical_epoch_gradients`: rows ``W0`` (hidden
    weights, (n_i, n_h)) and ``W1`` (output weights, (n_h, 1)), plus ``b0`` and ``b1`` when the
    ``"bias"`` fix gives the code biases to learn (without it the biases are fixed zeros, not
    parameters, and ``biases`` should be zeros).
    """
    d_weights, d_biases = epoch_gradients(weights, biases, fixes, learning_rate)
    num_weights, num_biases = numerical_epoch_gradients(weights, biases)
    if d_biases is None:
        return compare(["W0", "W1"], d_weights, num_weights, tol=tol)
    return compare(["W0", "b0", "W1", "b1"], [d_weights[0], d_biases[0], d_weights[1], d_biases[1]],
                   [num_weights[0], num_biases[0], num_weights[1], num_biases[1]], tol=tol)


# ----------------------------------------------------------------------------------------------
# Pictures of a trace (matplotlib is imported only when one is drawn)
INPUT_LABELS = ("[0, 0] → 0", "[0, 1] → 1", "[1, 0] → 1", "[1, 1] → 0")
"""Legend labels of the four XOR samples: input → target."""


def plot_trace(trace: Trace, axes=None, title: str = "") -> list:
    """Two panels: each sample's output over the iterations (targets dotted) and its cost.

    Parameters
    ----------
    trace : Trace
    axes : pair of matplotlib Axes, optional (a new 1×2 figure otherwise)
    title : str
        Prefix of both panels' titles.

    Returns
    -------
    list of the two Axes.
    """
    import matplotlib.pyplot as plt

    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(10, 3.5))
    ax_out, ax_cost = axes
    for j, label in enumerate(INPUT_LABELS):
        (line,) = ax_out.plot(trace.iterations, trace.outputs[:, j], label=label)
        ax_out.axhline(float(y[j]), color=line.get_color(), linestyle=":", linewidth=1)
        ax_cost.plot(trace.iterations, trace.costs[:, j], label=label, color=line.get_color())
    ax_out.set(xlabel="iteration", ylabel="output o", title=f"{title}outputs (dotted: targets)", ylim=(-0.05, 1.05))
    ax_cost.set(xlabel="iteration", ylabel="cost ½(o − y)²", title=f"{title}cost per input", ylim=(-0.02, 0.52))
    ax_out.legend(fontsize=8)
    return [ax_out, ax_cost]


def plot_losses(traces: dict, ax=None, title: str = "mean cost per epoch", log: bool = False):
    """One curve of ``trace.loss`` (mean cost of each epoch's pass) per labelled trace.

    Parameters
    ----------
    traces : dict of label -> Trace
    ax : matplotlib Axes, optional
    log : bool
        Logarithmic cost axis.

    Returns
    -------
    The Axes.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 3.5))
    for (label, trace), style in zip(traces.items(), ["-", "--", "-.", ":"] * 4):
        ax.plot(np.arange(trace.epochs), trace.loss, linestyle=style, label=label)
    ax.set(xlabel="epoch", ylabel="mean cost (mse)", title=title)
    if log:
        ax.set_yscale("log")
    else:
        ax.set_ylim(-0.01, 0.3)
    ax.legend(fontsize=8)
    return ax


_FLOAT = re.compile(r"-?\d+\.\d+(?:e[-+]?\d+)?")


def round_floats(text: str, digits: int = 5) -> str:
    """Rewrite every decimal number in ``text`` with ``digits`` decimals (for stable printouts).

    The answer's NumPy code prints 16-17 significant digits, and NumPy's SIMD ``exp`` may differ in
    the last one between CPUs; rounded, the printout is the same everywhere.
    """
    return _FLOAT.sub(lambda m: f"{float(m.group()):.{digits}f}", text)
