"""The question's and the answer's gradients checked against backprop and central differences, and diagnosed.

One step of the question's code (with some fixes, :func:`~mlp_course.stackoverflow.per_neuron_gradients`)
or of the answer's (:func:`~mlp_course.stackoverflow.answer_gradients`) descends some gradient
``g``; here it is compared with the truth:

- :func:`mlp_gradients`: backprop's gradient of one sample's cost, from :class:`mlp_course.MLP`;
- :func:`epoch_gradients` / :func:`numerical_epoch_gradients` / :func:`check_gradients`: the
  per-neuron gradient summed over the four XOR samples against central differences of the summed
  cost Σ_j ½(o_j − y_j)² (4 × ``mc.MLP``'s mse, a mean over the samples);
- :func:`question_backward` / :func:`answer_backward`: either code as a backward function for
  :func:`mlp_course.diagnose_backprop`.

Parameters are in MLP layout: ``weights = [(n_i, n_h), (n_h, 1)]``, ``biases = [(n_h,), (1,)]``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np
from numpy.typing import ArrayLike

from .._validate import as_vector
from ..gradcheck import GradCheckReport, compare, numerical_gradients
from ..network import MLP
from ._checks import check_sample
from .answer import answer_gradients
from .fixes import FIXES, check_fixes, per_neuron_gradients
from .seed import X, y

Gradients = tuple[list[np.ndarray], list[np.ndarray] | None]
"""``(d_loss__d_weights, d_loss__d_biases)``; ``d_loss__d_biases`` is None for code without biases."""


def mlp_gradients(weights: Sequence[ArrayLike], biases: Sequence[ArrayLike], x: ArrayLike,
                  target: float) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Backprop's gradient of one sample's cost, from :meth:`mlp_course.MLP.loss_and_gradients`.

    ``MLP``'s mse is a mean over rows; for the single row ``x[None]`` it is the sample's cost
    ½(o − y)², so these are directly comparable with ``per_neuron_gradients``.

    Parameters
    ----------
    weights : [W_h.T (n_i, n_h), W_o.T (n_h, 1)]
    biases : [b_h (n_h,), b_o (1,)]
    x : array_like, shape (n_i,)
    target : float

    Returns
    -------
    d_loss__d_weights : [ (n_i, n_h), (n_h, 1) ]
    d_loss__d_biases : [ (n_h,), (1,) ]
    """
    target = check_sample(weights, biases, x, target)
    net = MLP.from_parameters(weights, biases, activation="sigmoid", output_activation="sigmoid")
    backprop = net.loss_and_gradients(np.asarray(x, dtype=np.float64)[None, :], [[target]], "mse")  # one row
    return backprop.d_loss__d_weights, backprop.d_loss__d_biases


def _sum_over_samples(one_sample_gradients: Callable[[np.ndarray, float], Gradients],
                      X: ArrayLike, y: ArrayLike) -> Gradients:
    """Sum a one-sample gradient function over the rows of ``X`` (n, n_i), all at the same parameters.

    ``one_sample_gradients(x, target)`` gets ``x`` (n_i,) as float64 and ``target`` as a float, and
    returns ``(d_loss__d_weights, d_loss__d_biases or None)``; ``y`` is (n,) or (n, 1).
    """
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64).reshape(len(X), -1)
    total_w, total_b = None, None
    for x, target in zip(X, y):
        d_loss__d_weights, d_loss__d_biases = one_sample_gradients(x, float(target[0]))
        total_w = d_loss__d_weights if total_w is None else [t + g for t, g in zip(total_w, d_loss__d_weights)]
        if d_loss__d_biases is not None:
            total_b = d_loss__d_biases if total_b is None else [t + g for t, g in zip(total_b, d_loss__d_biases)]
    return total_w, total_b


def _mean_over_samples(one_sample_gradients: Callable[[np.ndarray, float], Gradients],
                       X: ArrayLike, y: ArrayLike) -> Gradients:
    """:func:`_sum_over_samples` divided by the number of rows of ``X``."""
    total_w, total_b = _sum_over_samples(one_sample_gradients, X, y)
    n = len(X)
    return [t / n for t in total_w], None if total_b is None else [t / n for t in total_b]


def _check_xor_parameters(weights: Sequence[ArrayLike], biases: Sequence[ArrayLike]) -> None:
    """Check parameters meant for the four XOR samples ``X`` (4, 2); errors name the wrong argument.

    :func:`~mlp_course.stackoverflow._checks.check_sample`'s layout, and first: ``weights[0]`` has one
    row per input of ``X`` (otherwise that check would blame the sample ``x``, which the caller never
    passed); then ``biases[l]`` of shape (weights[l].shape[1],).
    """
    pair = not isinstance(weights, (str, bytes)) and hasattr(weights, "__len__") and len(weights) == 2
    n_inputs = X.shape[1]
    if pair and np.ndim(weights[0]) == 2 and np.shape(weights[0])[0] != n_inputs:
        raise ValueError(f"weights[0] must have one row per input of the XOR data, shape ({n_inputs}, n_h), "
                         f"got shape {np.shape(weights[0])}")
    check_sample(weights, biases, X[0], y[0])
    for l, (w, b) in enumerate(zip(weights, biases)):
        as_vector(b, f"biases[{l}]", np.shape(w)[1])  # one bias per unit of layer l


BackwardFunction = Callable[[np.ndarray, np.ndarray, list, list, float], Gradients]
"""``backward(X, y, weights, biases, learning_rate) -> (d_loss__d_weights, d_loss__d_biases)``."""


def question_backward(fixes: Iterable[str] = FIXES) -> BackwardFunction:
    """The question's per-neuron step, with ``fixes``, as a backward function for the diagnoser.

    The code needs one output and sigmoid units, and without the ``"shapes"`` fix as many hidden
    units as inputs, so diagnose it with ``sizes=[[2, 2, 1]] * 3`` and ``samples=1`` (it updates
    after every sample).

    Parameters
    ----------
    fixes : collection of str
        A subset of :data:`~mlp_course.stackoverflow.FIXES`.

    Returns
    -------
    backward : callable
        ``backward(X, y, weights, biases, learning_rate) -> (d_loss__d_weights, d_loss__d_biases)``:
        the mean over the rows of ``X`` (n, n_i) of ``per_neuron_gradients`` (each at the given
        parameters), in the shape convention of :func:`mlp_course.diagnose.diagnose_backprop`.
        Without the ``"bias"`` fix the code has no biases: ``d_loss__d_biases`` is None.
    """
    chosen = check_fixes(fixes)

    def backward(X, y, weights, biases, learning_rate):
        return _mean_over_samples(
            lambda x, t: per_neuron_gradients(weights, biases, x, t, chosen, learning_rate), X, y)

    return backward


def answer_backward(fix_update_order: bool = False) -> BackwardFunction:
    """The accepted answer's step as a backward function for the diagnoser (see :func:`question_backward`).

    Parameters
    ----------
    fix_update_order : bool
        False: the answer as posted, whose hidden error is computed from the output weights
        *after* their update (the diagnoser calls this "stale weights"). True: backprop's order.

    Returns
    -------
    backward : callable
        ``backward(X, y, weights, biases, learning_rate) -> (d_loss__d_weights, d_loss__d_biases)``,
        the mean over the rows of ``X`` of ``answer_gradients``.
    """

    def backward(X, y, weights, biases, learning_rate):
        return _mean_over_samples(
            lambda x, t: answer_gradients(weights, biases, x, t, learning_rate, fix_update_order), X, y)

    return backward


def epoch_gradients(weights: Sequence[ArrayLike], biases: Sequence[ArrayLike], fixes: Iterable[str] = FIXES,
                    learning_rate: float = 1e-2) -> Gradients:
    """``per_neuron_gradients`` summed over the four XOR samples, all at the same parameters.

    This is what one epoch would descend if the parameters did not move between samples; its true
    value is the gradient of the *summed* cost Σ_j ½(o_j − y_j)², i.e. 4 × ``mc.MLP``'s mse
    gradient (a mean over the 4 samples).

    Parameters
    ----------
    weights : [W_h.T (n_i, n_h), W_o.T (n_h, 1)]
    biases : [b_h (n_h,), b_o (1,)]
    fixes : collection of str
    learning_rate : float
        Matters only without ``"backprop_order"``: the question's hidden step contains it.

    Returns
    -------
    d_loss__d_weights : [ (n_i, n_h), (n_h, 1) ]
    d_loss__d_biases : [ (n_h,), (1,) ] or None (the code has no biases)
    """
    _check_xor_parameters(weights, biases)
    return _sum_over_samples(
        lambda x, t: per_neuron_gradients(weights, biases, x, t, fixes, learning_rate), X, y)


def numerical_epoch_gradients(weights: Sequence[ArrayLike], biases: Sequence[ArrayLike],
                              h: float = 1e-6) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Central differences of the summed cost Σ_j ½(o_j − y_j)² over the four XOR samples.

    Parameters
    ----------
    weights : [W_h.T (n_i, n_h), W_o.T (n_h, 1)]
    biases : [b_h (n_h,), b_o (1,)]
    h : float
        The step of the central differences.

    Returns
    -------
    d_loss__d_weights : [ (n_i, n_h), (n_h, 1) ], d_loss__d_biases : [ (n_h,), (1,) ]
    """
    _check_xor_parameters(weights, biases)
    net = MLP.from_parameters(weights, biases, activation="sigmoid", output_activation="sigmoid")
    X_float, y_column = net.check_data(X, y)  # (4, n_i), (4, 1)
    numeric = numerical_gradients(lambda: len(X) * net.loss(X_float, y_column, "mse"), net.parameters, h)
    return numeric[0::2], numeric[1::2]


def check_gradients(weights: Sequence[ArrayLike], biases: Sequence[ArrayLike], fixes: Iterable[str] = FIXES,
                    learning_rate: float = 1e-2, tol: float = 1e-4) -> GradCheckReport:
    """Gradient-check the per-neuron code's step against central differences.

    Compares :func:`epoch_gradients` with :func:`numerical_epoch_gradients`: rows ``W0`` (hidden
    weights, (n_i, n_h)) and ``W1`` (output weights, (n_h, 1)), plus ``b0`` (n_h,) and ``b1`` (1,)
    when the ``"bias"`` fix gives the code biases to learn (without it the biases are fixed zeros,
    not parameters, and ``biases`` should be zeros).

    Parameters
    ----------
    weights, biases, fixes, learning_rate
        As in :func:`epoch_gradients`.
    tol : float
        The largest relative error an array may have to pass.

    Returns
    -------
    GradCheckReport
    """
    d_loss__d_weights, d_loss__d_biases = epoch_gradients(weights, biases, fixes, learning_rate)
    numeric_weights, numeric_biases = numerical_epoch_gradients(weights, biases)
    if d_loss__d_biases is None:
        return compare(["W0", "W1"], d_loss__d_weights, numeric_weights, tol=tol)
    return compare(["W0", "b0", "W1", "b1"],
                   [d_loss__d_weights[0], d_loss__d_biases[0], d_loss__d_weights[1], d_loss__d_biases[1]],
                   [numeric_weights[0], numeric_biases[0], numeric_weights[1], numeric_biases[1]], tol=tol)
