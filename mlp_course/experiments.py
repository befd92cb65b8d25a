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
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.transforms import ScaledTranslation

from ._validate import as_real, check_choice, check_int, check_seed
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


LEGEND_PLACES = ("beside", "below", "best", "upper right", "upper left", "lower left", "lower right", "right",
                 "center left", "center right", "lower center", "upper center", "center")
"""Where :func:`plot_runs` may put the loss legend: beside or below the loss panel (off the curves), or
any of matplotlib's places inside it."""


class RunsPlot(NamedTuple):
    """What :func:`plot_runs` drew."""

    fig: Figure
    axes: list  # Axes: one per run's decision boundary, then the loss panel


def _runs(runs) -> list:
    if isinstance(runs, (str, bytes)) or not isinstance(runs, Iterable):
        raise TypeError(f"runs must be a non-empty sequence of ExperimentResult (from experiments.run), "
                        f"got {type(runs).__name__}")
    runs = list(runs)
    if not runs or not all(isinstance(r, ExperimentResult) for r in runs):
        raise TypeError("runs must be a non-empty sequence of ExperimentResult (from experiments.run), got "
                        + ("an empty one" if not runs else f"one holding {type(runs[0]).__name__}"))
    return runs


def _new_axes(n_runs: int, ncols: int | None, size: float, legend_beside: bool) -> tuple[Figure, list]:
    """A figure of ``n_runs`` square boundary panels, ``ncols`` a row, and one loss panel below them all."""
    ncols = min(n_runs, 3) if ncols is None else check_int(ncols, "ncols", minimum=1)
    ncols = min(ncols, n_runs)
    rows = -(-n_runs // ncols)
    keys = [f"b{i}" for i in range(n_runs)] + ["."] * (rows * ncols - n_runs)
    mosaic = [keys[r * ncols:(r + 1) * ncols] for r in range(rows)] + [["loss"] * ncols]
    width = size * max(ncols, 2) + (2.1 if legend_beside else 0.4)  # 2.1 inches for a legend beside the loss panel
    fig, named = plt.subplot_mosaic(mosaic, figsize=(width, size * (rows + 0.9)), layout="constrained",
                                    height_ratios=[1] * rows + [0.9])
    return fig, [named[f"b{i}"] for i in range(n_runs)] + [named["loss"]]


def _check_axes(axes, n_runs: int) -> list:
    if isinstance(axes, Axes) or not isinstance(axes, Iterable):
        raise TypeError(f"axes must be a sequence of {n_runs + 1} matplotlib Axes (one per run, then the loss "
                        f"panel), got {type(axes).__name__}")
    axes = list(axes)
    if not all(isinstance(ax, Axes) for ax in axes):
        raise TypeError(f"axes must hold matplotlib Axes only, got {[type(ax).__name__ for ax in axes]}")
    if len(axes) != n_runs + 1:
        raise ValueError(f"axes must hold {n_runs + 1} Axes for {n_runs} runs (one per run, then the loss panel), "
                         f"got {len(axes)}")
    return axes


def plot_runs(
    runs,
    split: Split,
    axes=None,
    *,
    ncols: int | None = None,
    resolution: int = 80,
    log: bool = True,
    legend: str | None = "beside",
    size: float = 3.0,
) -> RunsPlot:
    """Each run's decision boundary, then every run's loss curves in one panel.

    Training points are circles, test points triangles. Each run has one colour (its boundary
    panel's title too); in the loss panel its training loss is solid and its test loss dashed.

    Parameters
    ----------
    runs : sequence of ExperimentResult
    split : Split
        The data the runs were trained on.
    axes : sequence of len(runs) + 1 matplotlib Axes, optional
        Where to draw: one Axes per run's boundary, then the loss panel. Default: a new figure with the
        boundaries ``ncols`` to a row and the loss panel below them, as wide as a row.
    ncols : int >= 1, optional
        Boundary panels per row of the new figure (default: up to 3).
    resolution : int from 2 to 1000
        Grid points per axis of the decision-boundary shading.
    log : bool
        Logarithmic loss axis.
    legend : one of :data:`LEGEND_PLACES`, or None
        "beside" (default) or "below" the loss panel, off the curves; or a matplotlib place inside it
        (e.g. "lower left"); None for no legend.
    size : float
        Height in inches of a boundary panel of the new figure.

    Returns
    -------
    RunsPlot
        ``fig, axes``: the figure and the ``len(runs) + 1`` Axes drawn into (the loss panel last).
    """
    runs = _runs(runs)
    if not isinstance(split, Split):
        raise TypeError(f"split must be a Split from make_split, got {type(split).__name__}")
    if legend is not None:
        legend = check_choice(legend, "legend", LEGEND_PLACES)
    size = as_real(size, "size", "a figure size in inches")
    if not 0.5 <= size <= 50:
        raise ValueError(f"size must be a height in inches from 0.5 to 50, got {size!r}")
    if axes is None:
        fig, axes = _new_axes(len(runs), ncols, size, legend == "beside")
    else:
        axes = _check_axes(axes, len(runs))
        fig = axes[0].figure
    for colour, (ax, r) in enumerate(zip(axes, runs)):
        plot_decision_boundary(r.net, split.X_train, split.y_train, ax=ax, X_test=split.X_test, y_test=split.y_test,
                               resolution=resolution, title=f"{r.label}\ntest accuracy {r.test_accuracy:.2f}")
        ax.title.set_color(f"C{colour}")
    loss_ax = axes[-1]
    for colour, r in enumerate(runs):
        epochs = np.arange(1, r.history.epochs + 1)
        loss_ax.plot(epochs, r.history.loss, color=f"C{colour}", label=f"{r.label}: training")
        if r.history.val_loss:
            loss_ax.plot(epochs, r.history.val_loss, color=f"C{colour}", linestyle="--", label=f"{r.label}: test")
    if log:
        loss_ax.set_yscale("log")
    tested = any(r.history.val_loss for r in runs)
    loss_ax.set(xlabel="epoch", ylabel=f"{runs[0].history.loss_name} loss" + (" (log scale)" if log else ""),
                title="loss per epoch" + (" (solid: training, dashed: test)" if tested else " (training)"))
    if legend == "beside":
        loss_ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), borderaxespad=0)
    elif legend == "below":  # under the x label: half an inch below the panel
        under = loss_ax.transAxes + ScaledTranslation(0, -0.5, fig.dpi_scale_trans)
        loss_ax.legend(loc="upper center", bbox_to_anchor=(0.5, 0), bbox_transform=under, ncols=min(len(runs), 3),
                       borderaxespad=0)
    elif legend is not None:
        loss_ax.legend(loc=legend)
    return RunsPlot(fig, axes)
