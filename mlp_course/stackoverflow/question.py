"""The question's program: its ``mlp_train``, line for line, instrumented to return a :class:`Trace`.

Quoted from the StackOverflow question (CC BY-SA, see :mod:`mlp_course.stackoverflow.seed`).
The body of :func:`train_question` is the post's; the only additions are the lines marked
``# trace``. It stores ``W_h`` as ``h_layer``, one row (n_i,) per hidden neuron, and ``W_o`` as
``o_layer``, one row (n_h,) per output neuron; the trace reports them in MLP layout.
"""

from __future__ import annotations

import numpy as np

from ._checks import check_run
from .seed import X, activation, activation_d, cost, y
from .trace import Trace, _Recorder


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
        Weights in MLP layout: ``weights[0]`` (2, n_h), ``weights[1]`` (n_h, 1); biases are zeros.
    """
    seed, n_h, learning_rate, max_iterations, record_every = check_run(
        seed, n_h, learning_rate, max_iterations, record_every)
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
