"""Gradient descent: full-batch or mini-batch, with a record of how it went.

With ``batch_size=None`` every epoch is exactly one step of plain gradient descent on the whole
training set, for every layer ``l``::

    W[l] -= lr * dL/dW[l]
    b[l] -= lr * dL/db[l]

and nothing else: no momentum, no decay, no clipping. With a ``batch_size`` the samples are
shuffled (with ``seed``) at the start of every epoch and one such step is taken per mini-batch.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._validate import as_matrix, check_int, check_positive_float
from .network import MLP

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


@dataclass
class History:
    """What happened during :func:`train`.

    Attributes
    ----------
    loss : list of float
        ``loss[i]`` is the training loss after epoch i (over the whole training set).
    accuracy : list of float
        Training accuracy (share of outputs on the right side of the threshold) after epoch i.
    val_loss, val_accuracy : list of float
        The same on ``(X_val, y_val)``; empty when no validation data was given.
    diverged : bool
        True if the loss became NaN or infinite; training stopped and the network keeps the last
        finite parameters.
    diverged_at : int or None
        The epoch whose steps made the loss non-finite, counted from 0 like ``loss``'s index.
        (Printed, and on the loss plot, epochs count from 1: that is epoch ``diverged_at + 1``.)
    """

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    diverged: bool = False
    diverged_at: int | None = None
    loss_name: str = "mse"

    @property
    def epochs(self) -> int:
        """Epochs completed (with a finite loss)."""
        return len(self.loss)

    def __repr__(self) -> str:
        last = f"{self.loss[-1]:.4g}" if self.loss else "n/a"
        state = f", diverged at epoch {self.diverged_at + 1}" if self.diverged else ""
        return f"History(epochs={self.epochs}, final {self.loss_name} loss={last}{state})"


def accuracy(net: MLP, X, y) -> float:
    """Share of the outputs of ``net.predict(X)`` equal to the 0/1 targets ``y``."""
    X, y = net.check_data(X, y)
    return float(np.mean(net.predict(X) == (y > net.decision_threshold)))


def solved(net: MLP, X, y, mse_tol: float = 0.01) -> bool:
    """XOR's success test: every output on the right side of the threshold and MSE < ``mse_tol``."""
    X, y = net.check_data(X, y)
    right_side = np.all((net.forward(X) > net.decision_threshold) == (y > net.decision_threshold))
    return bool(right_side and net.loss(X, y, "mse") < mse_tol)


def _accuracy_of(outputs, y, threshold) -> float:
    return np.count_nonzero((outputs > threshold) == (y > threshold)) / outputs.size


def train(
    net: MLP,
    X,
    y,
    lr: float = XOR_DEFAULTS["lr"],
    epochs: int = XOR_DEFAULTS["epochs"],
    loss: str = "mse",
    batch_size: int | None = None,
    seed: int | None = 0,
    X_val=None,
    y_val=None,
) -> History:
    """Train ``net`` in place by gradient descent and return its :class:`History`.

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
    seed : int or None
        Seed of the mini-batch shuffling (unused for full batch).
    X_val, y_val : array_like, optional
        Held-out data, evaluated after every epoch (never trained on).

    Returns
    -------
    History
        If the loss turns NaN or infinite, training stops there: ``history.diverged`` is True,
        ``history.diverged_at`` is that epoch and ``net`` keeps the parameters from before the
        step that broke it.
    """
    if not isinstance(net, MLP):
        raise TypeError(f"net must be an mlp_course.MLP, got {type(net).__name__}")
    X, y = net.check_data(X, y, loss)
    lr = check_positive_float(lr, "lr")
    epochs = check_int(epochs, "epochs", minimum=0)
    if batch_size is not None:
        batch_size = check_int(batch_size, "batch_size", minimum=1)
    if (X_val is None) != (y_val is None):
        raise ValueError("pass X_val and y_val together (or neither)")
    if X_val is not None:
        X_val = as_matrix(X_val, "X_val", n_features=net.sizes[0])
        X_val, y_val = net.check_data(X_val, y_val, loss)

    history = History(loss_name=loss)
    threshold = net.decision_threshold
    rng = np.random.default_rng(seed)
    n = X.shape[0]
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        grads = net._gradients(X, y, loss) if batch_size is None else None
        for epoch in range(epochs):
            saved = [p.copy() for p in net.parameters]
            if batch_size is None:
                _, d_weights, d_biases, _ = grads
                _step(net, d_weights, d_biases, lr)
                grads = net._gradients(X, y, loss)  # the loss after this epoch, and the next step
                loss_value, outputs = grads[0], grads[3]
            else:
                order = rng.permutation(n)
                for start in range(0, n, batch_size):
                    batch = order[start : start + batch_size]
                    _, d_weights, d_biases, _ = net._gradients(X[batch], y[batch], loss)
                    _step(net, d_weights, d_biases, lr)
                loss_value, outputs = net._loss_and_outputs(X, y, loss)
            # One sum per array: NaN or ±inf anywhere makes it non-finite.
            if not (np.isfinite(loss_value) and np.isfinite(sum(float(p.sum()) for p in net.parameters))):
                for p, old in zip(net.parameters, saved):
                    p[...] = old
                history.diverged, history.diverged_at = True, epoch
                break
            history.loss.append(float(loss_value))
            history.accuracy.append(_accuracy_of(outputs, y, threshold))
            if X_val is not None:
                val_loss, val_out = net._loss_and_outputs(X_val, y_val, loss)
                history.val_loss.append(float(val_loss))
                history.val_accuracy.append(_accuracy_of(val_out, y_val, threshold))
    return history


def _step(net: MLP, d_weights, d_biases, lr: float) -> None:
    """One plain gradient-descent step, in place: p -= lr * dL/dp for every parameter array."""
    for W, dW in zip(net.weights, d_weights):
        W -= lr * dW
    for b, db in zip(net.biases, d_biases):
        b -= lr * db
