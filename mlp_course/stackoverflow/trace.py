"""What a run of the question's or the answer's code did: the :class:`Trace` every trainer returns, and its printouts.

The trainers (:func:`~mlp_course.stackoverflow.train_question`, ``train_answer``, ``train_fixed``)
feed each sample's output and cost to a recorder instead of printing them; the recorder keeps the
post's printed lines (every ``record_every`` iterations), the mean cost of every epoch, and the
first epoch at which XOR counts as *solved* -- as :mod:`mlp_course.criteria` defines it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from .._validate import check_int
from ..criteria import SOLVED_MSE, solved_outputs
from ..network import MLP
from .seed import X, y

_THRESHOLD = 0.5
"""The question's sigmoid output separates class 0 from class 1 at 0.5 (``MLP.decision_threshold``)."""
_TARGETS = np.asarray(y, dtype=np.float64).reshape(-1, 1)
"""The four XOR targets as a column, shape (4, 1), the layout of :func:`~mlp_course.criteria.solved_outputs`."""


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
        The first iteration whose pass solved XOR by :func:`mlp_course.criteria.solved_outputs`
        (all four outputs on the right side of 0.5, MSE below :data:`~mlp_course.criteria.SOLVED_MSE`),
        judged on the outputs of that pass, as printed; else None.
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

    def sample(self, o: np.ndarray | float, c: float) -> None:
        """Record one sample's output ``o`` (ndarray of one element, or float) and cost ``c``."""
        self._o.append(o.item(0) if isinstance(o, np.ndarray) else o)
        self._c.append(float(c))

    def _solved(self, o: list[float], mean_cost: float) -> bool:
        """Whether this pass's outputs ``o`` (4 floats) solve XOR, by :mod:`mlp_course.criteria`.

        ``mean_cost`` is this pass's MSE, (1/4) Σ_j ½(o_j − y_j)², as the question's code computed it:
        the criterion's array test (about 8 µs, as long as a whole epoch of the fast engine) is only
        asked once that number is below :data:`SOLVED_MSE`, which the criterion requires anyway.
        """
        if mean_cost >= SOLVED_MSE:
            return False
        return bool(solved_outputs(np.array(o, dtype=np.float64).reshape(-1, 1), _TARGETS, _THRESHOLD))

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
        if self.solved_at is None and self._solved(o, mean_cost):
            self.solved_at = iteration
            if self.until_solved:
                if not self.iterations or self.iterations[-1] != iteration:
                    self.iterations.append(iteration)
                    self.outputs.append(o)
                    self.costs.append(c)
                return True
        return False

    def trace(self, weights: list, biases: list, initial_weights: list, initial_biases: list) -> Trace:
        """The finished :class:`Trace`, parameters given in MLP layout (any array-likes, copied to float64)."""
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


def post_printout(trace: Trace) -> str:
    """The recorded outputs and costs formatted like the post's lines (floats to 5 decimals).

    Parameters
    ----------
    trace : Trace
        Its ``iterations``, ``outputs`` (n_records, 4) and ``costs`` (n_records, 4) are printed.

    Returns
    -------
    str
        ``"iteration k"`` followed by one ``"[x0 x1] -> [o] cost c"`` line per XOR sample, per record.
    """
    if not isinstance(trace, Trace):
        raise TypeError(f"trace must be a Trace (what train_question/train_answer/train_fixed return), "
                        f"got {type(trace).__name__}")
    lines = []
    for it, outs, costs in zip(trace.iterations, trace.outputs, trace.costs):
        lines.append(f"iteration {it}")
        for x, o, c in zip(X, outs, costs):
            lines.append(f"{x} -> [{o:.5f}] cost {c:.5f}")
    return "\n".join(lines)


_FLOAT = re.compile(r"-?\d+\.\d+(?:e[-+]?\d+)?")


def round_floats(text: str, digits: int = 5) -> str:
    """Rewrite every decimal number in ``text`` with ``digits`` decimals (for stable printouts).

    The answer's NumPy code prints 16-17 significant digits, and NumPy's SIMD ``exp`` may differ in
    the last one between CPUs; rounded, the printout is the same everywhere.

    Parameters
    ----------
    text : str
        Any text; integers (no decimal point) are left alone.
    digits : int
        Decimals to keep.

    Returns
    -------
    str
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    digits = check_int(digits, "digits", minimum=0)
    return _FLOAT.sub(lambda m: f"{float(m.group()):.{digits}f}", text)
