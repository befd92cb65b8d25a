"""Gradient descent: full-batch or mini-batch, with a record of how it went.

With ``batch_size=None`` every epoch is exactly one step of plain gradient descent on the whole
training set, for every layer ``l``::

    W[l] -= lr * dL/dW[l]
    b[l] -= lr * dL/db[l]

and nothing else: no momentum, no decay, no clipping. With a ``batch_size`` the samples are
shuffled (with ``seed``) at the start of every epoch and one such step is taken per mini-batch.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike

from . import losses as _losses
from ._validate import as_matrix, as_real, as_targets, check_int, check_positive_float, check_seed
from .criteria import has_diverged, solved_outputs
from .network import MLP, Gradients

XOR_DEFAULTS = {
    "sizes": [2, 4, 1],
    "activation": "tanh",
    "output_activation": "sigmoid",
    "loss": "mse",
    "lr": 2.0,
    "epochs": 1000,
}
"""The documented XOR recipe: ``MLP([2, 4, 1], "tanh", "sigmoid", seed=s)`` trained with
``train(net, X, y, lr=2.0, epochs=1000, loss="mse")`` (also ``train``'s own defaults). It solves
XOR (see :func:`solved`) for at least 90% of seeds 0–49; ``tests/test_training.py`` checks it."""

_FLOAT_ERRORS_SILENCED = {"over": "ignore", "invalid": "ignore", "divide": "ignore"}


@dataclass
class History:
    """What happened during :func:`train`.

    Attributes
    ----------
    loss : list of float
        ``loss[i]`` is the training loss after epoch i (over the whole training set), i.e. at the
        parameters that epoch's steps produced.
    accuracy : list of float
        Training accuracy (share of outputs on the right side of the threshold) after epoch i.
    val_loss, val_accuracy : list of float
        The same on ``(X_val, y_val)``; empty when no validation data was given.
    diverged : bool
        True if training diverged (see :mod:`mlp_course.criteria`): after some epoch the training
        loss was NaN or infinite, or above 3 × the loss it started from (``start_loss``; a start
        below 0.05 counts as 0.05), or a weight was no longer finite. Training stopped there.
    diverged_at : int or None
        The epoch whose steps diverged, counted from 0 like ``loss``'s index; it is not recorded in
        ``loss``, so ``diverged_at == epochs``. The network keeps the parameters from before that
        epoch: the ones ``loss[-1]`` was measured at (all finite).
    loss_name : {"mse", "bce"}
        The loss that was trained on and recorded in ``loss`` and ``val_loss``.
    start_loss : float or None
        The training loss the run started from, the reference of the divergence test: the loss
        before the first step of :func:`train` (or the ``start_loss`` it was given).
    """

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    diverged: bool = False
    diverged_at: int | None = None
    loss_name: str = "mse"
    start_loss: float | None = None

    @property
    def epochs(self) -> int:
        """Epochs completed (and recorded)."""
        return len(self.loss)

    @property
    def diverged_epoch(self) -> int | None:
        """The epoch that diverged counted from 1, as printed and plotted (``diverged_at + 1``); or None."""
        return None if self.diverged_at is None else self.diverged_at + 1

    def __repr__(self) -> str:
        last = f"{self.loss[-1]:.4g}" if self.loss else "n/a"
        state = f", diverged at epoch {self.diverged_epoch}" if self.diverged else ""
        return f"History(epochs={self.epochs}, final {self.loss_name} loss={last}{state})"


def accuracy(net: MLP, X: ArrayLike, y: ArrayLike) -> float:
    """Share of the outputs of ``net.predict(X)`` equal to the 0/1 targets ``y``."""
    X, y = net.check_data(X, y)
    return float(np.mean(net.predict(X) == (y > net.decision_threshold)))


def solved(net: MLP, X: ArrayLike, y: ArrayLike) -> bool:
    """XOR's success test, :func:`mlp_course.criteria.solved_outputs`: every output on the right
    side of the threshold and MSE below :data:`mlp_course.criteria.SOLVED_MSE` (0.01)."""
    X, y = net.check_data(X, y)
    with np.errstate(**_FLOAT_ERRORS_SILENCED):
        return bool(solved_outputs(net.forward(X, validate=False), y, net.decision_threshold))


def train(
    net: MLP,
    X: ArrayLike,
    y: ArrayLike,
    lr: float = XOR_DEFAULTS["lr"],
    epochs: int = XOR_DEFAULTS["epochs"],
    loss: str = "mse",
    batch_size: int | None = None,
    seed: int | None = 0,
    X_val: ArrayLike | None = None,
    y_val: ArrayLike | None = None,
    *,
    start_loss: float | None = None,
) -> History:
    """Train ``net`` in place by gradient descent and return its :class:`History`.

    Every epoch reads: step → gradients → record. Full batch, that is::

        gradients = net.loss_and_gradients(X, y, loss)     # once, before the first step
        for epoch in range(epochs):
            W[l] = W[l] - lr * gradients.d_loss__d_weights[l];  b[l] likewise
            gradients = net.loss_and_gradients(X, y, loss) # at the new parameters
            history.loss.append(gradients.loss)            # the loss after this epoch

    One forward and one backward pass per epoch: the gradients at the new parameters carry the
    loss to record (``gradients.loss``) and are the next epoch's step.

    Parameters
    ----------
    net : MLP
    X : array_like, shape (n, sizes[0])
    y : array_like, shape (n, sizes[-1]), or (n,) for one output unit
    lr : float > 0
        Learning rate.
    epochs : int >= 0
        Passes over the training set.
    loss : {"mse", "bce"}
    batch_size : int >= 1 or None
        None: full batch, one step per epoch. Otherwise steps on mini-batches of this size
        (the last one may be smaller), reshuffled every epoch with ``seed``.
    seed : int from 0 to 2**63 - 1, or None
        Seed of the mini-batch shuffling (unused for full batch).
    X_val, y_val : array_like, optional
        Held-out data, shapes as ``X`` and ``y``, evaluated after every epoch (never trained on).
    start_loss : float >= 0, optional
        The loss the run started from, for the divergence test. By default the training loss
        before this call's first step; a run continued over several calls (the playground) passes
        its first call's ``history.start_loss`` so that the test keeps one reference.

    Returns
    -------
    History
        If training diverges (:func:`mlp_course.criteria.has_diverged`: a NaN/infinite loss, a loss
        above 3 × ``start_loss``, or a non-finite weight after an epoch), it stops there:
        ``history.diverged`` is True, ``history.diverged_at`` is that epoch (0-based;
        ``history.diverged_epoch`` counts from 1) and ``net`` keeps the parameters from before
        that epoch, the last ones recorded.
    """
    if not isinstance(net, MLP):
        raise TypeError(f"net must be an mlp_course.MLP, got {type(net).__name__}")
    X, y = net.check_data(X, y, loss)
    lr = check_positive_float(lr, "lr")
    epochs = check_int(epochs, "epochs", minimum=0)
    if batch_size is not None:
        batch_size = check_int(batch_size, "batch_size", minimum=1)
    seed = check_seed(seed)
    X_val, y_val = _check_validation_data(net, X_val, y_val, loss)
    if start_loss is not None:
        start_loss = as_real(start_loss, "start_loss", "a finite loss >= 0")
        if not (math.isfinite(start_loss) and start_loss >= 0):
            raise ValueError(f"start_loss must be a finite loss >= 0, got {start_loss}")

    threshold = net.decision_threshold
    y_class = y > threshold  # (n, k) bool, the right side of every target
    y_val_class = None if y_val is None else y_val > threshold
    rng = np.random.default_rng(seed)
    # Overflow inside a diverging network is expected here: it is detected, not warned about.
    with np.errstate(**_FLOAT_ERRORS_SILENCED):
        gradients = net.loss_and_gradients(X, y, loss, validate=False) if batch_size is None else None
        if start_loss is None:
            start_loss = gradients.loss if batch_size is None else net.loss(X, y, loss, validate=False)
        history = History(loss_name=loss, start_loss=start_loss)
        for epoch in range(epochs):
            weights_before, biases_before = list(net.weights), list(net.biases)  # _step makes new arrays
            if batch_size is None:
                _step(net, gradients, lr)
                gradients = net.loss_and_gradients(X, y, loss, validate=False)  # at the new parameters
                loss_value, outputs = gradients.loss, gradients.outputs
            else:
                order = rng.permutation(len(X))
                for start in range(0, len(X), batch_size):
                    batch = order[start : start + batch_size]
                    _step(net, net.loss_and_gradients(X[batch], y[batch], loss, validate=False), lr)
                loss_value, outputs = net.loss_and_outputs(X, y, loss, validate=False)
            if has_diverged(loss_value, start_loss) or not _all_finite(net.weights + net.biases):
                net.weights[:], net.biases[:] = weights_before, biases_before
                history.diverged, history.diverged_at = True, epoch
                break
            history.loss.append(loss_value)
            history.accuracy.append(_accuracy(outputs, y_class, threshold))
            if X_val is not None:
                val_loss, val_outputs = net.loss_and_outputs(X_val, y_val, loss, validate=False)
                history.val_loss.append(val_loss)
                history.val_accuracy.append(_accuracy(val_outputs, y_val_class, threshold))
    return history


def _step(net: MLP, gradients: Gradients, lr: float) -> None:
    """One plain gradient-descent step: W[l] ← W[l] − lr·dL/dW[l], b[l] ← b[l] − lr·dL/db[l].

    Each parameter becomes a new array, so the arrays from before the step stay intact (``train``
    puts them back when the step diverged).
    """
    net.weights[:] = [W - lr * d_loss__d_W for W, d_loss__d_W in zip(net.weights, gradients.d_loss__d_weights)]
    net.biases[:] = [b - lr * d_loss__d_b for b, d_loss__d_b in zip(net.biases, gradients.d_loss__d_biases)]


def _accuracy(outputs: np.ndarray, y_class: np.ndarray, threshold: float) -> float:
    """Share of outputs (n, k) on the same side of ``threshold`` as their targets (``y_class``: y > threshold)."""
    return np.count_nonzero((outputs > threshold) == y_class) / outputs.size


def _all_finite(arrays: list[np.ndarray]) -> bool:
    """Whether every entry of every array is finite.

    Σ p² over an array is finite exactly when every entry is, unless an entry beyond ~1e154
    overflows its square; only then does the exact, slower element-wise test decide.
    """
    sum_of_squares = 0.0
    for p in arrays:
        sum_of_squares += np.vdot(p, p)
    if math.isfinite(sum_of_squares):
        return True
    return all(np.isfinite(p).all() for p in arrays)


def _check_validation_data(net: MLP, X_val, y_val, loss: str):
    """``(X_val, y_val)`` as :meth:`MLP.check_data` returns them, with errors naming X_val/y_val; or (None, None)."""
    if (X_val is None) != (y_val is None):
        raise ValueError("pass X_val and y_val together (or neither)")
    if X_val is None:
        return None, None
    X_val = as_matrix(X_val, "X_val", n_features=net.sizes[0])
    try:
        y_val = as_targets(y_val, "y_val", n_samples=X_val.shape[0], n_outputs=net.sizes[-1])
    except ValueError as exc:  # as_targets compares the rows with "X": here they are X_val's
        raise ValueError(str(exc).replace("but X has", "but X_val has")) from None
    if loss == "bce":
        _losses.check_bce_targets(y_val, "y_val")
    return X_val, y_val
