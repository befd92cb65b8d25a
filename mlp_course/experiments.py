"""Experiments on the playground datasets: a train/test split, a timed run, a row of comparisons.

Notebook 07 asks many small questions of the same form — "train these networks on this data and
compare" — and this module answers them in one line each::

    spiral = make_split("spiral", n=300, noise=0.05)
    runs = [run(spiral, [2, 24, 1], label="one layer"), run(spiral, [2, 8, 8, 1], label="two layers")]
    plot_runs(runs, spiral)

Every run is reproducible: the data from the split's ``seed``, the initial weights from the run's
``seed``, mini-batch shuffling from the same ``seed``. Only :attr:`ExperimentResult.seconds` varies.
The playground (:mod:`mlp_course.playground`) draws its points with the same :func:`make_split`.

>>> data = make_split("moons", n=40, noise=0.1)
>>> data.X_train.shape, data.X_test.shape
((28, 2), (12, 2))
"""

from __future__ import annotations

import inspect
import time
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np

from ._validate import as_real, check_choice, check_seed
from .datasets import DATASETS, train_test_split
from .network import MLP
from .plotting import plot_decision_boundary
from .training import History, train

SPLIT_DATASETS = tuple(name for name, make in DATASETS.items() if "n" in inspect.signature(make).parameters)
"""The datasets :func:`make_split` draws from: every generator of :data:`mlp_course.datasets.DATASETS`
that draws ``n`` points (all but xor, whose four fixed points leave nothing to hold out)."""


@dataclass(frozen=True, repr=False)
class Split:
    """A dataset cut into a training part and a held-out test part.

    Attributes
    ----------
    name : str
        The dataset, e.g. ``"spiral"``.
    X_train : ndarray, shape (n_train, 2); y_train : ndarray, shape (n_train, 1)
    X_test : ndarray, shape (n_test, 2), or None; y_test : ndarray, shape (n_test, 1), or None
        None when nothing is held out (``test_fraction=0``).
    """

    name: str
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray | None
    y_test: np.ndarray | None

    @property
    def n_test(self) -> int:
        """Test points (0 when nothing is held out)."""
        return 0 if self.X_test is None else len(self.X_test)

    def __repr__(self) -> str:
        return f"Split({self.name!r}: {len(self.X_train)} training points, {self.n_test} test points)"


def make_split(
    dataset: str, n: int = 200, noise: float = 0.1, test_fraction: float = 0.3, seed: int = 0
) -> Split:
    """Draw ``n`` points of ``dataset`` with ``noise`` and hold out ``test_fraction`` of them.

    Parameters
    ----------
    dataset : one of :data:`SPLIT_DATASETS` ("circle", "gauss", "spiral", "moons")
    n : int >= 2
        Points in total (training + test).
    noise : float >= 0
        Standard deviation of the Gaussian noise on each coordinate (see :mod:`mlp_course.datasets`).
    test_fraction : float in [0, 1)
        Share held out; 0 holds out nothing (``X_test`` and ``y_test`` are None).
    seed : int from 0 to 2**63 - 1
        Seed of the points and of the split: the same arguments give the same split.

    Returns
    -------
    Split
    """
    dataset = check_choice(dataset, "dataset", SPLIT_DATASETS)
    seed = check_seed(seed)
    test_fraction = as_real(test_fraction, "test_fraction", "a number from 0 (nothing held out) to below 1")
    X, y = DATASETS[dataset](n=n, noise=noise, seed=seed)
    if test_fraction == 0:
        return Split(dataset, X, y, None, None)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_fraction, seed=seed)
    return Split(dataset, X_train, y_train, X_test, y_test)


@dataclass(repr=False)
class ExperimentResult:
    """One trained network and how its training went.

    Attributes
    ----------
    label : str
        A short name for legends and titles.
    net : MLP
        The trained network.
    history : History
        Training loss and accuracy per epoch; ``val_loss``/``val_accuracy`` on the split's test part.
    seconds : float
        Wall-clock time of the training (the one number that differs between runs).
    """

    label: str
    net: MLP
    history: History
    seconds: float

    @property
    def test_accuracy(self) -> float:
        """Accuracy on the test part after the last epoch."""
        return self.history.val_accuracy[-1] if self.history.val_accuracy else float("nan")

    @property
    def train_accuracy(self) -> float:
        """Accuracy on the training part after the last epoch."""
        return self.history.accuracy[-1] if self.history.accuracy else float("nan")

    def __repr__(self) -> str:
        return (f"ExperimentResult({self.label!r}: {self.history.epochs} epochs, "
                f"train accuracy {self.train_accuracy:.2f}, test accuracy {self.test_accuracy:.2f})")


def run(
    split: Split,
    sizes,
    *,
    label: str | None = None,
    activation: str = "tanh",
    init: str = "xavier",
    seed: int = 0,
    lr: float = 1.0,
    epochs: int = 1000,
    loss: str = "bce",
    batch_size: int | None = None,
) -> ExperimentResult:
    """Build ``MLP(sizes, activation, "sigmoid", init=init, seed=seed)`` and train it on ``split``.

    The test part is passed to :func:`mlp_course.train` as validation data: it is evaluated after
    every epoch and never trained on.

    Parameters
    ----------
    split : Split
    sizes : list of int
        Layer widths, e.g. ``[2, 8, 8, 1]`` (2 inputs, 1 output).
    label : str, optional
        Default: the sizes and the activation, e.g. ``"[2, 8, 8, 1] tanh"``.
    activation, init, seed
        Passed to :class:`mlp_course.MLP` (the output unit is a sigmoid).
    lr, epochs, loss, batch_size
        Passed to :func:`mlp_course.train` (``seed`` also seeds the mini-batch shuffling).

    Returns
    -------
    ExperimentResult
    """
    if not isinstance(split, Split):
        raise TypeError(f"split must be a Split from make_split, got {type(split).__name__}")
    seed = check_seed(seed)
    net = MLP(sizes, activation, "sigmoid", init=init, seed=seed)
    start = time.perf_counter()
    history = train(net, split.X_train, split.y_train, lr=lr, epochs=epochs, loss=loss, batch_size=batch_size,
                    seed=seed, X_val=split.X_test, y_val=split.y_test)
    seconds = time.perf_counter() - start
    return ExperimentResult(label if label is not None else f"{net.sizes} {net.activation}", net, history, seconds)


def plot_runs(runs, split: Split, *, resolution: int = 100, log: bool = True, size: float = 3.2):
    """One row of pictures: each run's decision boundary, then every run's loss curves.

    Training points are circles, test points triangles. In the last panel each run has one colour:
    solid for the training loss, dashed for the test loss.

    Parameters
    ----------
    runs : sequence of ExperimentResult
    split : Split
        The data the runs were trained on.
    resolution : int
        Grid points per axis of the decision-boundary shading.
    log : bool
        Logarithmic loss axis.
    size : float
        Height of the row in inches (each panel is about this wide).

    Returns
    -------
    fig, axes : the Figure and its ``len(runs) + 1`` Axes
    """
    runs = list(runs)
    if not runs or not all(isinstance(r, ExperimentResult) for r in runs):
        raise TypeError("runs must be a non-empty sequence of ExperimentResult (from experiments.run)")
    fig, axes = plt.subplots(1, len(runs) + 1, figsize=(size * (len(runs) + 1.6), size),
                             gridspec_kw={"width_ratios": [1] * len(runs) + [1.4], "wspace": 0.45})
    for ax, (colour, r) in zip(axes, enumerate(runs)):
        title = f"{r.label}\ntest accuracy {r.test_accuracy:.2f}"
        plot_decision_boundary(r.net, split.X_train, split.y_train, ax=ax, X_test=split.X_test, y_test=split.y_test,
                               resolution=resolution, title=title)
        ax.title.set_color(f"C{colour}")
    loss_ax = axes[-1]
    for colour, r in enumerate(runs):
        epochs = np.arange(1, r.history.epochs + 1)
        loss_ax.plot(epochs, r.history.loss, color=f"C{colour}", label=f"{r.label}: train")
        if r.history.val_loss:
            loss_ax.plot(epochs, r.history.val_loss, color=f"C{colour}", linestyle="--", label=f"{r.label}: test")
    if log:
        loss_ax.set_yscale("log")
    loss_ax.set(xlabel="epoch", ylabel=f"{runs[0].history.loss_name} loss", title="loss (dashed: test)")
    loss_ax.legend(fontsize=7)
    return fig, axes
