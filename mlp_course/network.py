"""The multi-layer perceptron: a forward pass and a backward pass over a whole batch.

Shapes follow the accepted answer's convention, rows are samples::

    a[0] = X                          (n, sizes[0])
    z[l] = a[l] @ W[l] + b[l]         (n, sizes[l+1])      W[l]: (sizes[l], sizes[l+1]), b[l]: (sizes[l+1],)
    a[l+1] = f(z[l])                  (n, sizes[l+1])      f = hidden activation, output activation last

Backpropagation runs the chain rule from the loss back to every parameter::

    delta[L-1] = dL/dz[L-1]                               (n, sizes[L])    from the loss
    dL/dW[l]   = a[l].T @ delta[l]                         (sizes[l], sizes[l+1])
    dL/db[l]   = delta[l].sum(axis=0)                      (sizes[l+1],)
    delta[l-1] = (delta[l] @ W[l].T) * f'(z[l-1])          (n, sizes[l])

Every product above is over the whole batch at once; the question's code did the same sums one neuron
and one sample at a time.
"""

from __future__ import annotations

import copy as _copy
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from . import activations as _activations
from . import losses as _losses
from ._validate import (
    as_array_list,
    as_matrix,
    as_targets,
    as_vector,
    check_choice,
    check_positive_float,
    check_seed,
    check_sizes,
)

INITS = ("normal", "xavier", "he")
"""Weight initialisations: standard normal, Glorot/Xavier normal, He normal (each × init_scale)."""


class Gradients(NamedTuple):
    """What :meth:`MLP.loss_and_gradients` returns: the loss, its gradients, and the outputs.

    Attributes
    ----------
    loss : float
        The loss of the outputs on the targets (see :mod:`mlp_course.losses`).
    d_loss__d_weights : list of ndarray
        ``d_loss__d_weights[l]`` = dL/dW[l], shape (sizes[l], sizes[l+1]), like ``weights[l]``.
    d_loss__d_biases : list of ndarray
        ``d_loss__d_biases[l]`` = dL/db[l], shape (sizes[l+1],), like ``biases[l]``.
    outputs : ndarray, shape (n, sizes[-1])
        The network's outputs, a[L], at the parameters the gradients were taken at.
    """

    loss: float
    d_loss__d_weights: list[np.ndarray]
    d_loss__d_biases: list[np.ndarray]
    outputs: np.ndarray


class LossAndOutputs(NamedTuple):
    """What :meth:`MLP.loss_and_outputs` returns.

    Attributes
    ----------
    loss : float
    outputs : ndarray, shape (n, sizes[-1])
    """

    loss: float
    outputs: np.ndarray


_FLOAT_ERRORS_SILENCED = {"over": "ignore", "invalid": "ignore", "divide": "ignore"}
"""``np.errstate`` settings of the validated public methods: see "Overflow" in :class:`MLP`."""


class MLP:
    """A fully connected network ``sizes[0] → sizes[1] → … → sizes[-1]``.

    Parameters
    ----------
    sizes : list of int
        Layer widths, input first: ``[2, 4, 1]`` is 2 inputs, 4 hidden units, 1 output.
    activation : {"sigmoid", "tanh", "relu", "linear"}
        Activation of every hidden layer.
    output_activation : {"sigmoid", "tanh", "relu", "linear"}
        Activation of the output layer. ``"sigmoid"`` (the default) gives outputs in (0, 1) and is
        required by the ``"bce"`` loss.
    init : {"normal", "xavier", "he"}
        ``"normal"``: weights ~ N(0, 1) — the accepted answer's ``np.random.randn``;
        ``"xavier"``: N(0, 2 / (fan_in + fan_out)); ``"he"``: N(0, 2 / fan_in).
    init_scale : float
        Multiplies every initial weight. Biases always start at zero.
    seed : int from 0 to 2**63 - 1, or None
        Seed for the initial weights: the same seed gives the identical network.

    Attributes
    ----------
    weights : list of ndarray
        ``weights[l].shape == (sizes[l], sizes[l+1])``.
    biases : list of ndarray
        ``biases[l].shape == (sizes[l+1],)``.

    Notes
    -----
    **Validation.** Every method that takes data checks it first (shapes, finiteness, the loss;
    see :meth:`check_data`) and names the wrong argument. A loop that calls them thousands of
    times on the same arrays passes ``validate=False`` after checking them once with
    :meth:`check_data`; :func:`mlp_course.train` does exactly that.

    **Overflow.** Finite inputs can still overflow float64 on the way: ``X`` near 1e308 times a
    weight of 2 is beyond the largest float. The validated methods then return what IEEE
    arithmetic gives, without a warning: such values become ±inf (which tanh and sigmoid map to
    ±1 and 0/1) and undefined combinations (inf − inf, 0·inf) become NaN, so outputs, loss and
    gradients may hold inf or NaN — test them with ``np.isfinite``. That lets a plot or a
    training run see where a network overflowed (``train`` calls it divergence). Only
    :meth:`predict`, which cannot label a NaN output, raises a ``ValueError``. With
    ``validate=False`` NumPy's floating-point error state is the caller's (``train`` silences it
    once around its whole loop).
    """

    def __init__(
        self,
        sizes: Sequence[int],
        activation: str = "tanh",
        output_activation: str = "sigmoid",
        *,
        init: str = "normal",
        init_scale: float = 1.0,
        seed: int | None = None,
    ) -> None:
        self.sizes = check_sizes(sizes)
        self.activation = _activations.get(activation).name
        self.output_activation = _activations.get(output_activation, "output_activation").name
        self.init = check_choice(init, "init", INITS)
        self.init_scale = check_positive_float(init_scale, "init_scale")
        self.seed = check_seed(seed)
        rng = np.random.default_rng(self.seed)
        self.weights: list[np.ndarray] = []
        self.biases: list[np.ndarray] = []
        for fan_in, fan_out in zip(self.sizes[:-1], self.sizes[1:]):
            std = {"normal": 1.0, "xavier": np.sqrt(2.0 / (fan_in + fan_out)), "he": np.sqrt(2.0 / fan_in)}[
                self.init
            ]
            self.weights.append(rng.standard_normal((fan_in, fan_out)) * std * self.init_scale)
            self.biases.append(np.zeros(fan_out))

    @classmethod
    def from_parameters(
        cls, weights: Sequence[ArrayLike], biases: Sequence[ArrayLike], activation: str = "tanh",
        output_activation: str = "sigmoid",
    ) -> MLP:
        """Build a network around given weights and biases (copied), e.g. the StackOverflow question's own.

        Parameters
        ----------
        weights : list of array_like
            ``weights[l]`` of shape (sizes[l], sizes[l+1]); consecutive shapes must chain.
        biases : list of array_like
            ``biases[l]`` of shape (sizes[l+1],), one per weight matrix.
        activation, output_activation : str
            As for :class:`MLP`.
        """
        weights = as_array_list(weights, "weights", "weights[l] of shape (sizes[l], sizes[l+1])")
        biases = as_array_list(biases, "biases", "biases[l] of shape (sizes[l+1],)")
        weights = [as_matrix(w, f"weights[{i}]") for i, w in enumerate(weights)]
        if len(weights) == 0:
            raise ValueError("weights must hold at least one weight matrix")
        sizes = [weights[0].shape[0]] + [w.shape[1] for w in weights]
        for i, (w_prev, w) in enumerate(zip(weights[:-1], weights[1:]), start=1):
            if w.shape[0] != w_prev.shape[1]:
                raise ValueError(
                    f"weights[{i}] has shape {w.shape} but weights[{i - 1}] has {w_prev.shape[1]} "
                    f"outputs: expected shape ({w_prev.shape[1]}, n)"
                )
        if len(biases) != len(weights):
            raise ValueError(f"biases must hold {len(weights)} arrays (one per weight matrix), got {len(biases)}")
        biases = [as_vector(b, f"biases[{i}]", sizes[i + 1]) for i, b in enumerate(biases)]
        net = cls(sizes, activation, output_activation)
        net.weights, net.biases = weights, biases
        return net

    # ------------------------------------------------------------------ forward
    def forward_all(self, X: ArrayLike, *, validate: bool = True) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Run the forward pass (module docstring) and keep every intermediate array, as backprop needs them.

        Parameters
        ----------
        X : array_like, shape (n, sizes[0])
        validate : bool
            False skips checking ``X`` (for an array already returned by :meth:`check_data`).

        Returns
        -------
        zs : list of ndarray
            ``zs[l]``: pre-activation of layer l+1, shape (n, sizes[l+1]).
        activations : list of ndarray
            ``activations[0]`` is X; ``activations[l+1] = f(zs[l])``, shape (n, sizes[l+1]).
            May hold inf/NaN where values overflow (see "Overflow" in :class:`MLP`).
        """
        if validate:
            X = as_matrix(X, "X", n_features=self.sizes[0])
            with np.errstate(**_FLOAT_ERRORS_SILENCED):
                return self.forward_all(X, validate=False)
        hidden = _activations.ACTIVATIONS[self.activation]
        output = _activations.ACTIVATIONS[self.output_activation]
        last = len(self.weights) - 1
        zs, a = [], [X]
        for l, (W, b) in enumerate(zip(self.weights, self.biases)):
            f = output if l == last else hidden
            z = a[l] @ W + b  # (n, sizes[l]) @ (sizes[l], sizes[l+1]) + (sizes[l+1],) -> (n, sizes[l+1])
            zs.append(z)
            a.append(f.forward(z))  # (n, sizes[l+1])
        return zs, a

    def forward(self, X: ArrayLike, *, validate: bool = True) -> np.ndarray:
        """The network's output for each row of ``X``: shape (n, sizes[-1]).

        May hold inf/NaN where values overflow float64 (see "Overflow" in :class:`MLP`).
        """
        return self.forward_all(X, validate=validate)[1][-1]

    def predict(self, X: ArrayLike) -> np.ndarray:
        """Class labels 0/1 of shape (n, sizes[-1]), as int.

        An output counts as class 1 when it exceeds the middle of the output activation's range:
        0.5 for sigmoid (and for linear/relu, whose targets are 0/1), 0 for tanh. Raises
        ``ValueError`` naming ``X`` if an output is NaN (its values overflowed float64 inside the
        network), since such an output has no label.
        """
        X = as_matrix(X, "X", n_features=self.sizes[0])
        with np.errstate(**_FLOAT_ERRORS_SILENCED):
            outputs = self.forward(X, validate=False)
        if np.isnan(outputs).any():
            rows = np.flatnonzero(np.isnan(outputs).any(axis=1))
            raise ValueError(
                f"the network's outputs for {rows.size} row(s) of X (first: row {rows[0]}) are NaN: the products "
                f"of X (largest |x| = {np.max(np.abs(X)):.3g}) and the weights (largest |w| = "
                f"{max(np.max(np.abs(W)) for W in self.weights):.3g}) overflow float64; rescale X"
            )
        return (outputs > self.decision_threshold).astype(int)

    @property
    def decision_threshold(self) -> float:
        """The output value that separates class 0 from class 1 (0.0 for tanh, else 0.5)."""
        return 0.0 if self.output_activation == "tanh" else 0.5

    # ------------------------------------------------------------ validation
    def check_data(self, X: ArrayLike, y: ArrayLike, loss: str = "mse") -> tuple[np.ndarray, np.ndarray]:
        """Validate ``X`` (n, sizes[0]) and ``y`` (n, sizes[-1]) or (n,), and ``loss`` for this net.

        Returns float64 copies, ``y`` as a 2-D column block: the arrays to pass with
        ``validate=False``.
        """
        _losses.check_loss(loss, self.output_activation)
        X = as_matrix(X, "X", n_features=self.sizes[0])
        y = as_targets(y, "y", n_samples=X.shape[0], n_outputs=self.sizes[-1])
        if loss == "bce":
            _losses.check_bce_targets(y)
        return X, y

    # ----------------------------------------------------------------- the loss
    def loss_and_outputs(
        self, X: ArrayLike, y: ArrayLike, loss: str = "mse", *, validate: bool = True
    ) -> LossAndOutputs:
        """The loss of the network on (X, y), and its outputs (n, sizes[-1]).

        Parameters
        ----------
        X : array_like, shape (n, sizes[0])
        y : array_like, shape (n, sizes[-1]), or (n,) for a single output unit
        loss : {"mse", "bce"}
            See :mod:`mlp_course.losses` for the exact definitions (means over samples).
        validate : bool
            False skips all checks: ``X`` and ``y`` must come from :meth:`check_data`.

        Returns
        -------
        LossAndOutputs
            ``(loss, outputs)``; inf/NaN where values overflow (see "Overflow" in :class:`MLP`).
        """
        if validate:
            X, y = self.check_data(X, y, loss)
            with np.errstate(**_FLOAT_ERRORS_SILENCED):
                return self.loss_and_outputs(X, y, loss, validate=False)
        zs, a = self.forward_all(X, validate=False)
        if loss == "mse":
            return LossAndOutputs(_losses.mse(a[-1], y), a[-1])
        return LossAndOutputs(_losses.bce_from_logits(zs[-1], y), a[-1])  # BCE from z: finite where σ(z) rounds

    def loss(self, X: ArrayLike, y: ArrayLike, loss: str = "mse", *, validate: bool = True) -> float:
        """The loss of the network's outputs on (X, y); see :meth:`loss_and_outputs`."""
        return self.loss_and_outputs(X, y, loss, validate=validate).loss

    # ----------------------------------------------------------------- backward
    def loss_and_gradients(
        self, X: ArrayLike, y: ArrayLike, loss: str = "mse", *, validate: bool = True
    ) -> Gradients:
        """The loss and its gradient with respect to every weight and bias, by backpropagation
        (the equations of the module docstring, line for line).

        Parameters
        ----------
        X, y, loss, validate
            As in :meth:`loss_and_outputs`: X (n, sizes[0]), y (n, sizes[-1]) or (n,).

        Returns
        -------
        Gradients
            ``(loss, d_loss__d_weights, d_loss__d_biases, outputs)``, the gradients shaped exactly
            like ``weights`` and ``biases``; inf/NaN where values overflow (see "Overflow" in
            :class:`MLP`).
        """
        if validate:
            X, y = self.check_data(X, y, loss)
            with np.errstate(**_FLOAT_ERRORS_SILENCED):
                return self.loss_and_gradients(X, y, loss, validate=False)
        hidden = _activations.ACTIVATIONS[self.activation]
        output = _activations.ACTIVATIONS[self.output_activation]
        zs, a = self.forward_all(X, validate=False)  # zs[l]: (n, sizes[l+1]); a[l]: (n, sizes[l])
        L = len(self.weights)

        # delta = dL/dz[L-1], shape (n, sizes[-1]), from the loss; f'(z) from a = f(z) (same numbers)
        d_o__d_z_out = output.derivative_at_output(a[L]) if loss == "mse" else None
        loss_value, delta = _losses.value_and_output_delta(loss, zs[L - 1], a[L], y, d_o__d_z_out)

        d_loss__d_weights: list[np.ndarray] = [None] * L  # filled from the last layer back
        d_loss__d_biases: list[np.ndarray] = [None] * L
        for l in range(L - 1, -1, -1):
            # delta: dL/dz[l], shape (n, sizes[l+1])
            d_loss__d_weights[l] = a[l].T @ delta  # (sizes[l], n) @ (n, sizes[l+1])
            d_loss__d_biases[l] = delta.sum(axis=0)  # (sizes[l+1],)
            if l > 0:
                # f'(z[l-1]) from a[l] = f(z[l-1]): (n, sizes[l])
                delta = (delta @ self.weights[l].T) * hidden.derivative_at_output(a[l])  # (n, sizes[l])
        return Gradients(loss_value, d_loss__d_weights, d_loss__d_biases, a[L])

    def gradients(
        self, X: ArrayLike, y: ArrayLike, loss: str = "mse", *, validate: bool = True
    ) -> tuple[float, list[np.ndarray], list[np.ndarray]]:
        """``(loss, d_loss__d_weights, d_loss__d_biases)``: :meth:`loss_and_gradients` without the outputs."""
        loss_value, d_loss__d_weights, d_loss__d_biases, _ = self.loss_and_gradients(X, y, loss, validate=validate)
        return loss_value, d_loss__d_weights, d_loss__d_biases

    # -------------------------------------------------------------- utilities
    @property
    def parameters(self) -> list[np.ndarray]:
        """All parameter arrays, in the order W0, b0, W1, b1, … (the arrays themselves, not copies)."""
        return [p for pair in zip(self.weights, self.biases) for p in pair]

    @property
    def n_parameters(self) -> int:
        """How many numbers the network learns."""
        return sum(p.size for p in self.parameters)

    def copy(self) -> MLP:
        """An independent deep copy."""
        return _copy.deepcopy(self)

    def __repr__(self) -> str:
        return (
            f"MLP(sizes={self.sizes}, activation={self.activation!r}, "
            f"output_activation={self.output_activation!r}, init={self.init!r}, "
            f"init_scale={self.init_scale:g}, seed={self.seed!r})"
        )

