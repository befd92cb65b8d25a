"""Pictures of a network: its decision boundary, its loss curve, what its hidden units see.

Every function follows matplotlib's habit: it draws into ``ax`` (or ``axes``) when given, into a
new figure otherwise, and returns what it drew. Figures as pictures for the notebook — ``palette_png``,
``compact_figures``, ``frame_player`` (an animation) — live in :mod:`mlp_course.frames` and are here too.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes

from ._validate import as_finite_array, as_matrix, as_real, check_int
from .frames import FramePlayer, compact_figures, frame_player, palette_png  # noqa: F401 - mc.plotting.<name>
from .network import MLP
from .training import History

CLASS_COLORS = ("#e66101", "#5e3c99")
"""Colours of class 0 and class 1, also the two ends of the probability colour map."""
_CMAP = plt.matplotlib.colors.LinearSegmentedColormap.from_list("mlp_course", ["#f7a35c", "#f7f7f7", "#9d8fcf"])
CMAP = _CMAP  # the output colour map, public: the playground's renderer draws with it too


class BoundaryPlot(NamedTuple):
    """What :func:`plot_decision_boundary` drew."""

    ax: plt.Axes
    background: object  # the filled contours of the output (QuadContourSet)
    boundary: object  # the contour line at the decision threshold (QuadContourSet)
    points: list  # PathCollections: train points, then test points if given


MAX_RESOLUTION = 1000
"""The finest grid a map is drawn on (points per axis)."""
LOSS_CLIP = 1e200
"""Losses above this (and inf, NaN) are drawn at this height and marked: a log axis with its margins
stays within the float range (from losses of 1e-300 up)."""


def grid(X=None, resolution: int = 150, padding: float = 0.3, xlim=None, ylim=None, name: str = "X"):
    """A mesh covering the points ``X`` (n, 2), or the given limits.

    Returns
    -------
    xx, yy : ndarray, shape (resolution, resolution)
    points : ndarray, shape (resolution², 2), the mesh as rows of (x, y)
    """
    if xlim is None or ylim is None:
        if X is None:
            raise ValueError("pass X (n, 2) or both xlim and ylim")
        X = as_matrix(X, name, n_features=2)
        with np.errstate(over="ignore", invalid="ignore"):
            lo, hi = X.min(axis=0) - padding, X.max(axis=0) + padding
            wide = not np.all(np.isfinite(hi - lo)) or np.max(hi - lo) > 1e300
        if wide:
            raise ValueError(f"the points of {name} span too wide a range to draw a map of, from {X.min(axis=0)} "
                             f"to {X.max(axis=0)} (padding {padding:g}); pass points with coordinates below 1e299")
        margin = np.maximum(0.5, 1e-3 * np.abs(hi))
        flat = hi - lo < 1e-9 * margin  # all points on one line: give it some width
        lo, hi = np.where(flat, lo - margin, lo), np.where(flat, hi + margin, hi)
        xlim = xlim or (lo[0], hi[0])
        ylim = ylim or (lo[1], hi[1])
    xx, yy = np.meshgrid(np.linspace(*xlim, resolution), np.linspace(*ylim, resolution))
    return xx, yy, np.column_stack([xx.ravel(), yy.ravel()])


def _check_axes(ax, name: str = "ax") -> None:
    if ax is not None and not isinstance(ax, Axes):
        raise TypeError(f"{name} must be a matplotlib Axes (e.g. from plt.subplots()) or None, got {type(ax).__name__}")


def _check_resolution(resolution) -> int:
    resolution = check_int(resolution, "resolution", minimum=2)
    if resolution > MAX_RESOLUTION:
        raise ValueError(f"resolution must be an integer from 2 to {MAX_RESOLUTION}, got {resolution}")
    return resolution


def _check_padding(padding) -> float:
    value = as_real(padding, "padding", "a non-negative finite number")
    if not (math.isfinite(value) and 0 <= value <= 1e300):
        raise ValueError(f"padding must be a non-negative finite number, got {padding!r}")
    return value


def _labels(y, n: int, net: MLP, name: str) -> np.ndarray:
    """Class labels ``y`` (n,) or (n, k) as a column (n,) of 0/1 (−1/1 also for a tanh output)."""
    y = as_finite_array(y, name)
    if y.ndim == 2 and y.shape[1] in {1, net.sizes[-1]}:
        y = y[:, 0]  # the first output unit's labels: the one drawn
    if y.ndim != 1 or y.shape[0] != n:
        raise ValueError(f"{name} must hold one label per point: shape ({n},) or ({n}, {net.sizes[-1]}), got "
                         f"{np.shape(y)}")
    allowed = {0.0, 1.0, -1.0} if net.output_activation == "tanh" else {0.0, 1.0}
    bad = sorted(set(np.unique(y).tolist()) - allowed)
    if bad:
        valid = "0 or 1 (or −1 or 1 for a tanh output)" if net.output_activation == "tanh" else "0 or 1"
        raise ValueError(f"{name} must hold class labels {valid}, got {bad[:3]}")
    return y


def _check_2d_net(net) -> None:
    if not isinstance(net, MLP):
        raise TypeError(f"net must be an mlp_course.MLP, got {type(net).__name__}")
    if net.sizes[0] != 2:
        raise ValueError(f"plotting needs a network with 2 inputs, this one has {net.sizes[0]}")


def _scatter(ax, X, y, marker, label):
    colors = np.where(np.asarray(y) > 0.5, CLASS_COLORS[1], CLASS_COLORS[0])
    return ax.scatter(X[:, 0], X[:, 1], c=colors, marker=marker, s=36, edgecolors="k", linewidths=0.6,
                      label=label, zorder=3)


def plot_decision_boundary(
    net: MLP,
    X,
    y,
    ax: plt.Axes | None = None,
    *,
    X_test=None,
    y_test=None,
    resolution: int = 150,
    padding: float = 0.3,
    title: str | None = None,
) -> BoundaryPlot:
    """Shade the network's output over the plane, draw its decision boundary and the data.

    Parameters
    ----------
    net : MLP with 2 inputs (only the first output unit is drawn)
    X : array_like, shape (n, 2); y : array_like, shape (n, 1) or (n,), labels 0/1 (−1/1 also for a
        tanh output)
    ax : matplotlib Axes, optional
    X_test, y_test : array_like, optional
        Held-out points, drawn as triangles: both or neither.
    resolution : int, 2 to 1000
        Grid points per axis.
    padding : float ≥ 0
        Margin around the points.

    Returns
    -------
    BoundaryPlot
        ``(ax, background, boundary, points)``; ``background`` is None when no output on the grid is
        finite. Where the outputs overflowed (a diverged network), the map is left blank and a note
        on the figure says so.
    """
    _check_2d_net(net)
    X = as_matrix(X, "X", n_features=2)
    y = _labels(y, X.shape[0], net, "y")
    if (X_test is None) != (y_test is None):
        given, missing = ("X_test", "y_test") if y_test is None else ("y_test", "X_test")
        raise ValueError(f"{given} was given without {missing}: pass both held-out points and their labels, or neither")
    if X_test is not None:
        X_test = as_matrix(X_test, "X_test", n_features=2)
        y_test = _labels(y_test, X_test.shape[0], net, "y_test")
    resolution, padding = _check_resolution(resolution), _check_padding(padding)
    _check_axes(ax)
    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 4))
    shown, name = (X, "X") if X_test is None else (np.vstack([X, X_test]), "X and X_test")
    xx, yy, points = grid(shown, resolution, padding, name=name)
    with np.errstate(all="ignore"):  # a diverged network's overflow is reported on the figure instead
        out = net.forward(points)[:, 0].reshape(xx.shape)
    finite = np.isfinite(out)
    lo, hi = (-1.0, 1.0) if net.output_activation == "tanh" else (0.0, 1.0)
    t = net.decision_threshold
    background = boundary = None
    if finite.any():
        shown = np.ma.masked_invalid(np.clip(out, -1e300, 1e300))  # levels between must stay finite
        levels = np.linspace(min(lo, shown.min()), max(hi, shown.max()), 21)
        background = ax.contourf(xx, yy, shown, levels=levels, cmap=_CMAP, vmin=lo, vmax=hi)
        if shown.min() < t < shown.max():
            boundary = ax.contour(xx, yy, shown, levels=[t], colors="k", linewidths=1.5)
    if not finite.all():
        share = 1 - finite.mean()
        where = "everywhere on this grid" if not finite.any() else f"on {share:.0%} of this grid (left blank)"
        ax.text(0.5, 0.5, f"outputs overflowed {where}:\nthe network has diverged", transform=ax.transAxes,
                ha="center", va="center", color="#b2182b", fontsize=10, zorder=4,
                bbox={"boxstyle": "round", "facecolor": "white", "edgecolor": "#b2182b", "alpha": 0.9})
    drawn = [_scatter(ax, X, y, "o", "train")]
    if X_test is not None:
        drawn.append(_scatter(ax, X_test, y_test, "^", "test"))
    ax.set_xlim(xx.min(), xx.max())
    ax.set_ylim(yy.min(), yy.max())
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_title(title if title is not None else f"decision boundary (output = {t:g})")
    ax.set_aspect("equal", adjustable="box")
    return BoundaryPlot(ax, background, boundary, drawn)


def plot_loss(history: History, ax: plt.Axes | None = None, *, log: bool = True, label: str | None = None) -> list:
    """Plot the training (and validation) loss per epoch; mark where training diverged.

    Parameters
    ----------
    history : History, from :func:`mlp_course.train`
    ax : matplotlib Axes, optional
    log : bool
        Logarithmic loss axis (the default: losses fall over orders of magnitude).
    label : str, optional
        Legend label of the training curve (default "train").

    Returns
    -------
    list of matplotlib artists: the train line, the validation line if any, a red "x" marker set
    per curve over the losses that are inf, NaN or above ``LOSS_CLIP`` (1e200) if any (drawn at
    that height, as a log axis can't reach further), the divergence line if any.
    """
    if not isinstance(history, History):
        raise TypeError(f"history must be the History returned by mlp_course.train, got {type(history).__name__}")
    _check_axes(ax)
    if not isinstance(log, (bool, np.bool_)):
        raise TypeError(f"log must be True or False, got {log!r}")
    if label is not None and not isinstance(label, str):
        raise TypeError(f"label must be a string or None, got {type(label).__name__}")
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3.5))
    train = _loss_array(history.loss, "history.loss")
    val = _loss_array(history.val_loss, "history.val_loss")
    finite = np.concatenate([train[np.isfinite(train)], val[np.isfinite(val)]])
    log = bool(log) and finite.size > 0 and finite.min() > 0
    drawn, clipped = [], []
    for values, name, style in ((train, label or "train", "-"), (val, "validation", "--")):
        if values.size == 0:
            continue
        epochs = np.arange(1, values.size + 1)
        off = ~np.isfinite(values) | (np.abs(values) > LOSS_CLIP)
        shown = np.where(np.isnan(values), LOSS_CLIP, np.clip(values, -LOSS_CLIP, LOSS_CLIP))
        drawn += ax.plot(epochs, shown, label=name, linestyle=style)
        if off.any():
            note = f"inf, NaN or > {LOSS_CLIP:g} (drawn at {LOSS_CLIP:g})"
            clipped.append(ax.scatter(epochs[off], shown[off], marker="x", color="red", zorder=3,
                                      label="_nolegend_" if clipped else note))
    drawn += clipped
    if history.diverged and history.diverged_at is not None:
        epoch = history.diverged_at + 1
        drawn.append(ax.axvline(epoch, color="red", linestyle=":", label=f"diverged at epoch {epoch}"))
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel(f"{history.loss_name} loss")
    if drawn:
        ax.legend(fontsize="small")
    return drawn


def _loss_array(values, name: str) -> np.ndarray:
    """A list of losses as a float64 array; inf and NaN are kept (they are drawn, marked)."""
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        raise TypeError(f"{name} must be a list of numbers, got {values!r:.80}") from None
    if array.ndim != 1:
        raise ValueError(f"{name} must be a flat list of numbers, one per epoch, got shape {array.shape}")
    return array


def plot_hidden_units(
    net: MLP, X=None, y=None, axes=None, *, layer: int = 0, resolution: int = 60, xlim=(-1.5, 1.5), ylim=(-1.5, 1.5)
) -> list:
    """One small map per hidden neuron of ``layer``: its activation over the input plane.

    Like TensorFlow Playground's neuron thumbnails: they show which feature each unit computes
    (a line for a first-layer unit, a combination for deeper ones).

    Parameters
    ----------
    net : MLP with 2 inputs and at least one hidden layer
    X, y : array_like, optional
        Points to overlay, (n, 2) and (n, 1) or (n,). Their extent sets the plotted range.
    axes : sequence of Axes, optional
        At least as many as the layer has units; a new row of axes otherwise.
    layer : int
        Which hidden layer (0 is the first).
    resolution : int, 2 to 1000
        Grid points per axis.
    xlim, ylim : (low, high)
        The plotted range when no ``X`` is given.

    Returns
    -------
    list of AxesImage, one per unit. A unit whose activation overflowed (a diverged network) is
    left blank there and titled "overflowed".
    """
    _check_2d_net(net)
    n_hidden = len(net.sizes) - 2
    if n_hidden == 0:
        raise ValueError("this network has no hidden layer to show")
    if isinstance(layer, (bool, np.bool_)) or not isinstance(layer, (int, np.integer)):
        raise TypeError(f"layer must be an integer from 0 to {n_hidden - 1} (a hidden layer), got {layer!r}")
    if not 0 <= layer < n_hidden:
        raise ValueError(f"layer must be between 0 and {n_hidden - 1}, got {layer}")
    resolution = _check_resolution(resolution)
    if y is not None and X is None:
        raise ValueError("y was given without X: pass the points X (n, 2) with their labels y")
    if X is not None:
        X = as_matrix(X, "X", n_features=2)
        y = None if y is None else _labels(y, X.shape[0], net, "y")
    else:
        xlim, ylim = _limits(xlim, "xlim"), _limits(ylim, "ylim")
    width = net.sizes[layer + 1]
    if axes is None:
        _, axes = plt.subplots(1, width, figsize=(1.6 * width, 1.8), squeeze=False)
        axes = axes[0]
    axes = list(np.ravel(np.asarray(axes, dtype=object)))
    for k, ax in enumerate(axes):
        _check_axes(ax, f"axes[{k}]")
    if len(axes) < width:
        raise ValueError(f"axes holds {len(axes)} Axes but layer {layer} has {width} units")
    xx, yy, points = grid(X, resolution) if X is not None else grid(resolution=resolution, xlim=xlim, ylim=ylim)
    extent = (xx.min(), xx.max(), yy.min(), yy.max())
    with np.errstate(all="ignore"):  # a diverged network's overflow is masked and noted in the title
        acts = net.forward_all(points)[1][layer + 1]
    vmin, vmax = {"sigmoid": (0, 1), "tanh": (-1, 1)}.get(net.activation, (None, None))
    images = []
    for unit, ax in enumerate(axes[:width]):
        values = acts[:, unit].reshape(xx.shape)
        overflowed = not np.all(np.isfinite(values))
        img = ax.imshow(np.ma.masked_invalid(np.clip(values, -1e300, 1e300)), origin="lower", extent=extent,
                        cmap="RdBu_r", vmin=vmin, vmax=vmax, aspect="auto")
        if y is not None:
            _scatter(ax, X, y, "o", None).set_sizes([8])
        title = ax.set_title(f"h{layer + 1}.{unit + 1}" + (" overflowed" if overflowed else ""), fontsize=9)
        if overflowed:
            title.set_color("#b2182b")
        ax.set_xticks([])
        ax.set_yticks([])
        images.append(img)
    return images


def _limits(value, name: str) -> tuple[float, float]:
    """A (low, high) pair of finite numbers with low < high."""
    if isinstance(value, (str, bytes)) or not hasattr(value, "__len__") or len(value) != 2:
        raise TypeError(f"{name} must be a pair (low, high) of numbers, got {value!r}")
    low, high = (as_real(v, name, "a pair (low, high) of finite numbers") for v in value)
    if not (math.isfinite(low) and math.isfinite(high) and low < high and high - low < 1e300):
        raise ValueError(f"{name} must be a pair (low, high) of finite numbers with low < high, got {value!r}")
    return low, high
