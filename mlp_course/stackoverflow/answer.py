"""The accepted answer's program: its ``mlp_train``, line for line, instrumented; a float engine; its step.

Quoted from the StackOverflow accepted answer (CC BY-SA, see :mod:`mlp_course.stackoverflow.seed`).
:func:`train_answer` runs the answer's body plus the lines marked ``# trace``; with ``fast=True``
it runs :func:`_answer_scalar`, the same arithmetic on Python floats. :func:`answer_gradients`
returns the gradient one step of the answer effectively descends (its names are the answer's:
``grad_oz`` is dc/dz_o, ``grad_hz`` is dc/dz_h, and so on). The answer's arrays are already in
MLP layout: ``hw`` (n_i, n_h), ``hb`` (1, n_h), ``ow`` (n_h, n_o), ``ob`` (1, n_o).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from ._checks import check_run, check_sample
from .seed import X, activation, cost, cost_d, y
from .trace import Trace, _Recorder


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
        Weights in MLP layout: ``weights[0]`` (2, n_h), ``weights[1]`` (n_h, 1); biases (n_h,), (1,).
    """
    seed, n_h, learning_rate, max_iterations, record_every = check_run(
        seed, n_h, learning_rate, max_iterations, record_every)
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
    """The question's and the answer's ``1 / (1 + exp(-z))`` on a Python float.

    exp overflow gives 0.0 here, as NumPy's inf gives 0.0 there.
    """
    try:
        return 1 / (1 + math.exp(-z))
    except OverflowError:
        return 0.0


def _answer_scalar(hw: np.ndarray, hb: np.ndarray, ow: np.ndarray, ob: np.ndarray, learning_rate: float,
                   max_iterations: int, rec: _Recorder, fix_update_order: bool) -> None:
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


def answer_gradients(
    weights: Sequence[ArrayLike],
    biases: Sequence[ArrayLike],
    x: ArrayLike,
    target: float,
    learning_rate: float = 1e-2,
    fix_update_order: bool = False,
) -> tuple[list[np.ndarray], list[np.ndarray]]:
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
    learning_rate : float
        The answer's; its hidden-layer ``g`` contains it unless ``fix_update_order``.
    fix_update_order : bool
        As in :func:`train_answer`.

    Returns
    -------
    d_loss__d_weights : [ (n_i, n_h), (n_h, 1) ]
    d_loss__d_biases : [ (n_h,), (1,) ]
    """
    check_sample(weights, biases, x, target)
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

