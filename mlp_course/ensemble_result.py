"""What :func:`mlp_course.train_ensemble` returns: one entry per network trained, and its summary.

:class:`EnsembleResult` holds each member's final loss, accuracy, solved and diverged flags (and,
on request, its loss curve and trained parameters); it reports the success rate, prints a one-line
summary, and turns any member back into a stand-alone :class:`~mlp_course.MLP`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._validate import check_int
from .network import MLP
from .training import XOR_DEFAULTS

__all__ = ["EnsembleResult"]


@dataclass(repr=False)
class EnsembleResult:
    """The outcome of :func:`train_ensemble`: one entry per member (per seed).

    Attributes
    ----------
    seeds : ndarray of int, shape (S,)
        Member s started as ``MLP(sizes, seed=seeds[s], ...)``.
    final_loss : ndarray of float, shape (S,)
        The training loss (the ``loss`` trained on) at each member's final parameters.
    accuracy : ndarray of float, shape (S,)
        Share of outputs on the right side of the decision threshold.
    solved : ndarray of bool, shape (S,)
        :func:`mlp_course.criteria.solved_outputs`: every output on the right side and MSE < 0.01.
    diverged : ndarray of bool, shape (S,)
        :func:`mlp_course.criteria.has_diverged` per member, as in :func:`mlp_course.train`: its
        loss became NaN/infinite or rose above 3 × its own starting loss, or a weight became
        non-finite. Such a member stopped there and keeps its parameters from before that epoch.
    diverged_at : ndarray of int, shape (S,)
        The epoch (0-based) whose step diverged a member; -1 for the others.
    loss_curves : ndarray of float, shape (S, epochs), or None
        ``loss_curves[s, i]``: member s's loss after epoch i; NaN from its divergence on.
        None unless ``record_loss=True``.
    weights : list of ndarray, ``weights[l].shape == (S, sizes[l], sizes[l+1])``, or None
    biases : list of ndarray, ``biases[l].shape == (S, sizes[l+1])``, or None
        The trained parameters; None unless ``return_weights=True``.
    sizes, activation, output_activation, loss, lr, epochs :
        The configuration that was trained.
    """

    seeds: np.ndarray
    final_loss: np.ndarray
    accuracy: np.ndarray
    solved: np.ndarray
    diverged: np.ndarray
    diverged_at: np.ndarray
    loss_curves: np.ndarray | None = None
    weights: list[np.ndarray] | None = None
    biases: list[np.ndarray] | None = None
    sizes: list[int] = field(default_factory=list)
    activation: str = "tanh"
    output_activation: str = "sigmoid"
    loss: str = "mse"
    lr: float = XOR_DEFAULTS["lr"]
    epochs: int = XOR_DEFAULTS["epochs"]

    @property
    def n_members(self) -> int:
        """S, the number of networks trained."""
        return len(self.seeds)

    @property
    def success_rate(self) -> float:
        """Share of members that solved the task (see ``solved``)."""
        return float(np.mean(self.solved)) if self.n_members else 0.0

    def network(self, index: int) -> MLP:
        """Member ``index`` (a position, not a seed) as a stand-alone :class:`MLP`.

        Needs ``return_weights=True``.
        """
        if self.weights is None or self.biases is None:
            raise ValueError("this result holds no weights: train with return_weights=True")
        index = check_int(index, "index", minimum=0)
        if index >= self.n_members:
            raise ValueError(f"index must be below the number of members, {self.n_members}, got {index}")
        net = MLP.from_parameters(
            [W[index] for W in self.weights], [b[index] for b in self.biases], self.activation,
            self.output_activation,
        )
        net.seed = int(self.seeds[index])
        return net

    def __len__(self) -> int:
        return self.n_members

    def __repr__(self) -> str:
        n_solved = int(np.count_nonzero(self.solved))
        median = f"{np.median(self.final_loss):.3g}" if self.n_members else "n/a"
        return (
            f"EnsembleResult({self.n_members} networks {self.sizes} {self.activation}/"
            f"{self.output_activation}, {self.loss}, lr={self.lr:g}, {self.epochs} epochs: "
            f"solved {n_solved}/{self.n_members} ({100 * self.success_rate:.1f}%), "
            f"diverged {int(np.count_nonzero(self.diverged))}, median final loss {median})"
        )
