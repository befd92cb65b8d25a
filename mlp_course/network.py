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

Every product above is over the whole batch at once; the seed's code did the same sums one neuron
and one sample at a time.
"""

from __future__ import annotations

import copy as _copy
import numbers

import numpy as np

from . import activations as _activations
from . import losses as _losses
from ._validate import as_matrix, as_targets, check_choice, check_positive_float

INITS = ("normal", "xavier", "he")
"""Weight initialisations: standard normal, Glorot/Xavier normal, He normal (each × init_scale)."""


def _check_sizes(sizes) -> list[int]:
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__"):
        raise TypeError(f"sizes must be a list of layer widths such as [2, 4, 1], got {sizes!r}")
    sizes = list(sizes)
    if len(sizes) < 2:
        raise ValueError(
            f"sizes must list at least 2 layers (input and output), e.g. [2, 4, 1], got {sizes}"
        )
    for i, width in enumerate(sizes):
        if isinstance(width, (bool, np.bool_)) or not isinstance(width, numbers.Integral):
            raise TypeError(f"sizes[{i}] must be a positive integer, got {width!r} in sizes={sizes}")
        if width < 1:
            raise ValueError(f"sizes[{i}] must be a positive integer, got {width} in sizes={sizes}")
    return [int(w) for w in sizes]


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
    seed : int or None
        Seed for the initial weights: the same seed gives the identical network.

    Attributes
    ----------
    weights : list of ndarray
        ``weights[l].shape == (sizes[l], sizes[l+1])``.
    biases : list of ndarray
        ``biases[l].shape == (sizes[l+1],)``.
    """

    def __init__(
        self,
        sizes,
        activation: str = "tanh",
        output_activation: str = "sigmoid",
        *,
        init: str = "normal",
        init_scale: float = 1.0,
        seed: int | None = None,
    ) -> None:
        self.sizes = _check_sizes(sizes)
        self.activation = _activations.get(activation).name
        self.output_activation = _activations.get(output_activation).name
        self.init = check_choice(init, "init", INITS)
        self.init_scale = check_positive_float(init_scale, "init_scale")
        self.seed = seed
        rng = np.random.default_rng(seed)
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
        cls, weights, biases, activation: str = "tanh", output_activation: str = "sigmoid"
    ) -> MLP:
        """Build a network around given weights and biases (copied), e.g. the seed's own.

        ``weights[l]`` must have shape (sizes[l], sizes[l+1]) and ``biases[l]`` shape (sizes[l+1],).
        """
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
        biases = list(biases)
        if len(biases) != len(weights):
            raise ValueError(f"biases must hold {len(weights)} arrays (one per weight matrix), got {len(biases)}")
        net = cls(sizes, activation, output_activation)
        net.weights = weights
        for i, b in enumerate(biases):
            b = np.asarray(b, dtype=np.float64)
            if b.shape != (sizes[i + 1],):
                raise ValueError(f"biases[{i}] must have shape ({sizes[i + 1]},), got {b.shape}")
            if not np.all(np.isfinite(b)):
                raise ValueError(f"biases[{i}] contains NaN or infinite values")
            net.biases[i] = b.copy()
        return net

    # ------------------------------------------------------------------ forward
    def forward_all(self, X) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Run the forward pass and keep every intermediate array, as backprop needs them.

        Parameters
        ----------
        X : array_like, shape (n, sizes[0])

        Returns
        -------
        zs : list of ndarray
            ``zs[l]``: pre-activation of layer l+1, shape (n, sizes[l+1]).
        activations : list of ndarray
            ``activations[0]`` is X; ``activations[l+1] = f(zs[l])``, shape (n, sizes[l+1]).
        """
        X = as_matrix(X, "X", n_features=self.sizes[0])
        return self._forward_all(X)

    def _forward_all(self, X: np.ndarray, *, keep_z: bool = True) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """:meth:`forward_all` on a validated ``X``.

        With ``keep_z=False`` each hidden activation is computed in place over its pre-activation
        (backprop needs only the activations, and the output layer's z for BCE), so ``zs`` holds
        just the output layer's z. Same numbers, fewer large temporary arrays.
        """
        hidden = _activations.get(self.activation).forward
        output = _activations.get(self.output_activation).forward
        zs, acts = [], [X]
        last = len(self.weights) - 1
        for l, (W, b) in enumerate(zip(self.weights, self.biases)):
            z = acts[-1] @ W  # (n, sizes[l]) @ (sizes[l], sizes[l+1])
            z += b  # + (sizes[l+1],), the same bias for every row
            if l == last:
                zs.append(z)
                acts.append(output(z))
            elif keep_z:
                zs.append(z)
                acts.append(hidden(z))
            else:
                acts.append(hidden(z, out=z))
        return zs, acts

    def forward(self, X) -> np.ndarray:
        """The network's output for each row of ``X``: shape (n, sizes[-1])."""
        return self.forward_all(X)[1][-1]

    def predict(self, X) -> np.ndarray:
        """Class labels 0/1 of shape (n, sizes[-1]), as int.

        An output counts as class 1 when it exceeds the middle of the output activation's range:
        0.5 for sigmoid (and for linear/relu, whose targets are 0/1), 0 for tanh.
        """
        return (self.forward(X) > self.decision_threshold).astype(int)

    @property
    def decision_threshold(self) -> float:
        """The output value that separates class 0 from class 1 (0.0 for tanh, else 0.5)."""
        return 0.0 if self.output_activation == "tanh" else 0.5

    # ----------------------------------------------------------------- backward
    def check_data(self, X, y, loss: str = "mse") -> tuple[np.ndarray, np.ndarray]:
        """Validate ``X`` (n, sizes[0]) and ``y`` (n, sizes[-1]) or (n,), and ``loss`` for this net.

        Returns float64 copies, ``y`` as a 2-D column block.
        """
        _losses.check_loss(loss, self.output_activation)
        X = as_matrix(X, "X", n_features=self.sizes[0])
        y = as_targets(y, "y", n_samples=X.shape[0], n_outputs=self.sizes[-1])
        if loss == "bce":
            _losses.check_bce_targets(y)
        return X, y

    def gradients(self, X, y, loss: str = "mse") -> tuple[float, list[np.ndarray], list[np.ndarray]]:
        """The loss and its gradient with respect to every weight and bias.

        Parameters
        ----------
        X : array_like, shape (n, sizes[0])
        y : array_like, shape (n, sizes[-1]), or (n,) for a single output unit
        loss : {"mse", "bce"}
            See :mod:`mlp_course.losses` for the exact definitions (means over samples).

        Returns
        -------
        loss : float
        d_loss__d_weights : list of ndarray, shaped exactly like ``weights``
        d_loss__d_biases : list of ndarray, shaped exactly like ``biases``
        """
        X, y = self.check_data(X, y, loss)
        loss_value, d_weights, d_biases, _ = self._gradients(X, y, loss)
        return loss_value, d_weights, d_biases

    def _gradients(self, X: np.ndarray, y: np.ndarray, loss: str):
        """:meth:`gradients` on validated arrays; also returns the outputs (n, sizes[-1])."""
        zs, acts = self._forward_all(X, keep_z=False)  # zs: just the output layer's z
        out = _activations.get(self.output_activation)
        # f'(z) from a = f(z), which the forward pass already computed (same numbers as f'(z))
        d_out = out.derivative_at_output(acts[-1]) if loss == "mse" else None
        loss_value, delta = _losses.value_and_output_delta(loss, zs[-1], acts[-1], y, d_out)
        hidden_derivative = _activations.get(self.activation).derivative_at_output
        d_weights = [np.empty(0)] * len(self.weights)
        d_biases = [np.empty(0)] * len(self.biases)
        for l in range(len(self.weights) - 1, -1, -1):
            # delta: dL/dz[l], shape (n, sizes[l+1])
            d_weights[l] = acts[l].T @ delta  # (sizes[l], n) @ (n, sizes[l+1])
            d_biases[l] = delta.sum(axis=0)  # (sizes[l+1],)
            if l > 0:
                delta = delta @ self.weights[l].T  # (n, sizes[l+1]) @ (sizes[l+1], sizes[l])
                # f'(z[l-1]) from a = f(z[l-1]); acts[l] has served (for d_weights[l] above), so the
                # derivative overwrites it instead of allocating another (n, sizes[l]) array
                delta *= hidden_derivative(acts[l], out=acts[l])
        return loss_value, d_weights, d_biases, acts[-1]

    def loss(self, X, y, loss: str = "mse") -> float:
        """The loss of the network's outputs on (X, y); see :mod:`mlp_course.losses`."""
        X, y = self.check_data(X, y, loss)
        return self._loss_and_outputs(X, y, loss)[0]

    def _loss_and_outputs(self, X: np.ndarray, y: np.ndarray, loss: str) -> tuple[float, np.ndarray]:
        """The loss and the outputs (n, sizes[-1]) on validated arrays."""
        zs, acts = self._forward_all(X, keep_z=False)
        if loss == "mse":
            return _losses.mse(acts[-1], y), acts[-1]
        return _losses.bce_from_logits(zs[-1], y), acts[-1]

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
