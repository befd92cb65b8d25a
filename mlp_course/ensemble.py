"""Train many networks of one architecture at once: an ensemble over random seeds.

How often does XOR training fail? Answering that means training a thousand networks. Training
them one by one spends almost all its time in Python overhead on 4×2 matrices. Here every array
gets a leading *member* axis of length S instead, and each product of :mod:`mlp_course.network`
becomes one batched matrix product (``np.matmul`` over the leading axis)::

    W[l]: (S, sizes[l], sizes[l+1])       b[l]: (S, sizes[l+1])
    z[l] = a[l] @ W[l] + b[l][:, None]     (S, n, sizes[l+1])
    dL/dW[l] = a[l]ᵀ @ delta[l]            (S, sizes[l], sizes[l+1])    aᵀ swaps the last two axes
    dL/db[l] = delta[l].sum(axis=1)        (S, sizes[l+1])
    delta[l-1] = (delta[l] @ W[l]ᵀ) * f'(z[l-1])

Member s sees only its own slice of every array, so it follows exactly the path that
``mc.train(mc.MLP(sizes, seed=s), X, y)`` would — the same products on the same numbers, which the
tests check to 1e-12.

Why not reuse :class:`mlp_course.MLP`'s forward and backward pass? They are written for *one*
network: 2-D weight matrices, and losses that divide by ``shape[0]``, the samples. Calling them
once per member would be the Python loop this module exists to avoid, so the same equations are
written once more here with the member axis in front. Two things differ from ``train`` for speed
only, not in the numbers: each epoch evaluates the loss and the next gradients in one pass (the
loss after epoch i is taken from the forward pass of epoch i+1's gradients, the same numbers
``train`` gets from a separate forward pass), and the parameters live in stacked arrays.

"Solved" and "diverged" are :mod:`mlp_course.criteria`'s, member by member. What a run returns,
:class:`EnsembleResult`, lives in :mod:`mlp_course.ensemble_result` (re-exported here).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from . import activations as _activations
from . import losses as _losses
from ._validate import as_matrix, check_int, check_positive_float, check_seed
from .criteria import SOLVED_MSE, has_diverged, solved_outputs
from .ensemble_result import EnsembleResult
from .network import MLP
from .training import XOR_DEFAULTS

__all__ = ["EnsembleResult", "SOLVED_MSE", "success_rates", "train_ensemble"]
# SOLVED_MSE is criteria's, re-exported under its old name here.


# ---------------------------------------------------------------------- the batched maths
def _batched_forward(weights, biases, X, hidden, output):
    """Batched forward pass.

    Parameters
    ----------
    weights : list of ndarray (S, sizes[l], sizes[l+1]); biases : list of ndarray (S, sizes[l+1])
    X : ndarray (n, sizes[0]), shared by every member
    hidden, output : Activation

    Returns
    -------
    zs : list of ndarray, ``zs[l]`` of shape (S, n, sizes[l+1])
    acts : list; ``acts[0]`` is X (n, sizes[0]), ``acts[l+1]`` has shape (S, n, sizes[l+1])
    """
    zs, acts = [], [X]
    last = len(weights) - 1
    for l, (W, b) in enumerate(zip(weights, biases)):
        z = np.matmul(acts[-1], W) + b[:, None, :]  # (S, n, sizes[l]) @ (S, sizes[l], sizes[l+1])
        zs.append(z)
        acts.append(output.forward(z) if l == last else hidden.forward(z))
    return zs, acts


def _samples_first(array: np.ndarray) -> np.ndarray:
    """(S, n, k) -> (n, S, k), a view: the losses module divides by ``shape[0]``, the samples."""
    return array.swapaxes(0, 1)


def _output_delta(loss: str, z_out, o, y, output) -> np.ndarray:
    """dL/dz_out per member, shape (S, n, k): the losses module's gradients, member by member."""
    if loss == "mse":
        d_loss__d_o = _samples_first(_losses.mse_gradient(_samples_first(o), y[:, None, :]))
        return np.ascontiguousarray(d_loss__d_o * output.derivative_at_output(o))
    return np.ascontiguousarray(_samples_first(_losses.bce_from_logits_gradient(_samples_first(z_out), y[:, None, :])))


def _loss_terms(loss: str, z_out, o, y) -> np.ndarray:
    """The summands of each member's loss, shape (S, n, k), before the sum and its factor.

    ``mse``: (o − y)², to be summed and times ½ / n; ``bce``: softplus(z) − y·z, summed and / n
    (see :func:`losses.mse` and :func:`losses.bce_from_logits`).
    """
    if loss == "mse":
        diff = o - y
        return diff * diff
    return _losses.softplus(z_out) - y * z_out


def _member_losses(loss: str, terms: np.ndarray) -> np.ndarray:
    """Each member's loss, shape (S,), from its :func:`_loss_terms` (S, n, k)."""
    factor = 0.5 if loss == "mse" else 1.0
    return factor * np.sum(terms, axis=(1, 2)) / terms.shape[1]


def _sum_over_samples(delta: np.ndarray) -> np.ndarray:
    """``delta.sum(axis=1)``, (S, n, k) -> (S, k), adding in the order of ``delta[s].sum(axis=0)``.

    NumPy adds the rows of a 2-D block one after another (for fewer than 8 rows also when it is a
    single column), so below 8 samples an explicit loop makes the same additions — about three
    times faster than the strided reduction on XOR's 4 samples.
    """
    n = delta.shape[1]
    if n >= 8:
        return delta.sum(axis=1)
    total = delta[:, 0].copy()
    for i in range(1, n):
        total += delta[:, i]
    return total


def _batched_gradients(weights, biases, X, y, loss, hidden, output):
    """Batched :meth:`MLP.loss_and_gradients`.

    Returns
    -------
    loss_terms : ndarray (S, n, k), see :func:`_loss_terms`
    d_loss__d_weights : list of ndarray, shaped like ``weights``
    d_loss__d_biases : list of ndarray, shaped like ``biases``
    """
    zs, acts = _batched_forward(weights, biases, X, hidden, output)
    delta = _output_delta(loss, zs[-1], acts[-1], y, output)
    d_weights = [np.empty(0)] * len(weights)
    d_biases = [np.empty(0)] * len(biases)
    for l in range(len(weights) - 1, -1, -1):
        # delta: dL/dz[l], shape (S, n, sizes[l+1])
        d_weights[l] = np.matmul(np.swapaxes(acts[l], -1, -2), delta)  # (S, sizes[l], n) @ (S, n, sizes[l+1])
        d_biases[l] = _sum_over_samples(delta)  # (S, sizes[l+1])
        if l > 0:
            d_a__d_z = hidden.derivative_at_output(acts[l])  # f'(z[l-1]), from a = f(z[l-1])
            delta = np.matmul(delta, weights[l].swapaxes(1, 2)) * d_a__d_z  # (S, n, sizes[l])
    return _loss_terms(loss, zs[-1], acts[-1], y), d_weights, d_biases


def _finite_members(weights, biases) -> np.ndarray:
    """(S,) bool: every one of the member's parameters is finite."""
    S = len(weights[0])
    if np.isfinite(sum(p.sum() for p in weights + biases)):  # one sum: all finite
        return np.ones(S, dtype=bool)
    finite = np.ones(S, dtype=bool)
    for p in weights + biases:
        finite &= np.isfinite(p.reshape(S, -1)).all(axis=1)
    return finite


def _step(params, gradients, lr: float) -> list[np.ndarray]:
    """One plain gradient-descent step for every member, p − lr·dL/dp, as ``training._step`` (new arrays)."""
    return [p - lr * g for p, g in zip(params, gradients)]


def _restore(members: np.ndarray, params, previous) -> None:
    """Put back the previous values of the selected members (an (S,) bool mask), in place."""
    for p, old in zip(params, previous):
        p[members] = old[members]


def _freeze(gradients, active) -> list[np.ndarray]:
    """Zero the gradients of members that stopped (which may be NaN), so their step changes nothing."""
    return [np.where(active.reshape((-1,) + (1,) * (g.ndim - 1)), g, 0.0) for g in gradients]


# --------------------------------------------------------------------------- setup
def _check_seeds(seeds) -> np.ndarray:
    """The seeds as int64 (S,): each one an int from 0 to 2**63 - 1, as ``MLP(seed=...)`` takes."""
    if isinstance(seeds, (str, bytes)) or not hasattr(seeds, "__iter__"):
        raise TypeError(f"seeds must be a sequence of non-negative integers such as range(1000), got {seeds!r}")
    seeds = list(seeds)
    for i, s in enumerate(seeds):
        if s is None:  # MLP takes None (a random network); a member needs a reproducible seed
            raise TypeError(f"seeds[{i}] must be an integer from 0 to 2**63 - 1, got None")
        seeds[i] = check_seed(s, f"seeds[{i}]")
    if not seeds:
        raise ValueError("seeds is empty: pass at least one seed, e.g. range(1000)")
    return np.array(seeds, dtype=np.int64)


def _initial_members(sizes, seeds, activation, output_activation, init, init_scale):
    """Stack ``MLP(sizes, seed=s, ...)``'s initial parameters for every seed.

    Returns
    -------
    template : MLP, the first member (for validation and the decision threshold)
    weights : list of ndarray (S, sizes[l], sizes[l+1]); biases : list of ndarray (S, sizes[l+1])
    """
    nets = [MLP(sizes, activation, output_activation, init=init, init_scale=init_scale, seed=int(s)) for s in seeds]
    weights = [np.stack([net.weights[l] for net in nets]) for l in range(len(nets[0].weights))]
    biases = [np.stack([net.biases[l] for net in nets]) for l in range(len(nets[0].biases))]
    return nets[0], weights, biases


def _evaluate(template: MLP, weights, biases, X, y, loss):
    """Final loss, accuracy and the solved flag of every member, each of shape (S,)."""
    hidden = _activations.get(template.activation)
    output = _activations.get(template.output_activation)
    zs, acts = _batched_forward(weights, biases, X, hidden, output)
    outputs, t = acts[-1], template.decision_threshold
    accuracy = np.count_nonzero((outputs > t) == (y > t), axis=(1, 2)) / y.size  # (S,)
    solved = solved_outputs(outputs, y, t)  # (S,)
    return _member_losses(loss, _loss_terms(loss, zs[-1], outputs, y)), accuracy, solved


# ---------------------------------------------------------------------------- public
def train_ensemble(
    sizes,
    X,
    y,
    seeds=range(1000),
    lr: float = XOR_DEFAULTS["lr"],
    epochs: int = XOR_DEFAULTS["epochs"],
    loss: str = "mse",
    activation: str = "tanh",
    output_activation: str = "sigmoid",
    init: str = "normal",
    init_scale: float = 1.0,
    record_loss: bool = False,
    return_weights: bool = False,
) -> EnsembleResult:
    """Train one network per seed, all at once, by full-batch gradient descent.

    Member s is exactly ``net = MLP(sizes, activation, output_activation, init=init,
    init_scale=init_scale, seed=seeds[s])`` trained by ``train(net, X, y, lr=lr, epochs=epochs,
    loss=loss)`` (full batch): the same steps on the same numbers, only batched.

    Parameters
    ----------
    sizes : list of int
        Layer widths, e.g. ``[2, 4, 1]``.
    X : array_like, shape (n, sizes[0])
    y : array_like, shape (n, sizes[-1]), or (n,) for one output unit
    seeds : iterable of int from 0 to 2**63 - 1
        One member per seed (S = len(seeds)).
    lr : float > 0
    epochs : int >= 0
    loss : {"mse", "bce"}
    activation, output_activation, init, init_scale :
        As for :class:`MLP`.
    record_loss : bool
        Keep every member's loss after every epoch (``loss_curves``, shape (S, epochs)).
    return_weights : bool
        Keep the trained weights and biases (``weights[l]``: (S, sizes[l], sizes[l+1])).

    Returns
    -------
    EnsembleResult

    Examples
    --------
    >>> import mlp_course as mc
    >>> X, y = mc.datasets.xor()
    >>> result = mc.train_ensemble([2, 4, 1], X, y, seeds=range(20), epochs=200)
    >>> result.solved.shape
    (20,)
    """
    seeds = _check_seeds(seeds)
    template, weights, biases = _initial_members(sizes, seeds, activation, output_activation, init, init_scale)
    X, y = template.check_data(X, y, loss)
    lr = check_positive_float(lr, "lr")
    epochs = check_int(epochs, "epochs", minimum=0)
    hidden = _activations.get(template.activation)
    output = _activations.get(template.output_activation)

    S = len(seeds)
    active = np.ones(S, dtype=bool)
    diverged_at = np.full(S, -1, dtype=np.int64)
    curves = np.full((S, epochs), np.nan) if record_loss else None
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        terms, d_weights, d_biases = _batched_gradients(weights, biases, X, y, loss, hidden, output)
        start_losses = _member_losses(loss, terms)  # (S,): each member's loss before its first step
        for epoch in range(epochs):
            previous = weights + biases
            weights, biases = _step(weights, d_weights, lr), _step(biases, d_biases, lr)
            # the loss after this epoch's step (and the gradients of the next one), per member
            terms, d_weights, d_biases = _batched_gradients(weights, biases, X, y, loss, hidden, output)
            losses = _member_losses(loss, terms)  # (S,)
            broke = active & (has_diverged(losses, start_losses) | ~_finite_members(weights, biases))
            if broke.any():  # undo their step, as train does
                _restore(broke, weights + biases, previous)
                diverged_at[broke] = epoch
                active &= ~broke
            if not active.all():
                d_weights, d_biases = _freeze(d_weights, active), _freeze(d_biases, active)
            if curves is not None:
                curves[active, epoch] = losses[active]
        final_loss, accuracy, solved = _evaluate(template, weights, biases, X, y, loss)
    return EnsembleResult(
        seeds=seeds,
        final_loss=final_loss,
        accuracy=accuracy,
        solved=solved,
        diverged=diverged_at >= 0,
        diverged_at=diverged_at,
        loss_curves=curves,
        weights=weights if return_weights else None,
        biases=biases if return_weights else None,
        sizes=list(template.sizes),
        activation=template.activation,
        output_activation=template.output_activation,
        loss=loss,
        lr=lr,
        epochs=epochs,
    )


def success_rates(
    X,
    y,
    hidden_sizes,
    init_scales,
    *,
    seeds=range(1000),
    progress: Callable[[list], Iterable] | None = None,
    **settings,
) -> np.ndarray:
    """The share of seeds that solve the task, for every hidden width × initial weight scale.

    Parameters
    ----------
    X : array_like, shape (n, n_in); y : array_like, shape (n, n_out) or (n,)
    hidden_sizes : sequence of int
        One hidden layer of each width: ``sizes = [n_in, width, n_out]``.
    init_scales : sequence of float
    seeds : iterable of int
        The members of every ensemble.
    progress : callable, optional
        Wraps the list of (width, scale) pairs, e.g. :func:`mlp_course.progress.progress_bar`.
    **settings
        Passed to :func:`train_ensemble` (lr, epochs, loss, activation, ...).

    Returns
    -------
    ndarray, shape (len(hidden_sizes), len(init_scales))
        ``rates[i, j]``: success rate of width ``hidden_sizes[i]`` at scale ``init_scales[j]``.
    """
    X = as_matrix(X, "X")
    n_out = 1 if np.ndim(y) == 1 else np.shape(y)[1]
    cells = [(width, scale) for width in hidden_sizes for scale in init_scales]
    rates = [
        train_ensemble([X.shape[1], width, n_out], X, y, seeds=seeds, init_scale=scale, **settings).success_rate
        for width, scale in (cells if progress is None else progress(cells))
    ]
    return np.array(rates).reshape(len(hidden_sizes), len(init_scales))
