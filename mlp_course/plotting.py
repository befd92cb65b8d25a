"""Pictures of a network: its decision boundary, its loss curve, what its hidden units see.

Every function follows matplotlib's habit: it draws into ``ax`` (or ``axes``) when given, into a
new figure otherwise, and returns what it drew.
"""

from __future__ import annotations

from typing import NamedTuple

import matplotlib.pyplot as plt
import numpy as np

from ._validate import as_matrix
from .network import MLP
from .training import History

CLASS_COLORS = ("#e66101", "#5e3c99")
"""Colours of class 0 and class 1, also the two ends of the probability colour map."""
_CMAP = plt.matplotlib.colors.LinearSegmentedColormap.from_list("mlp_course", ["#f7a35c", "#f7f7f7", "#9d8fcf"])


class BoundaryPlot(NamedTuple):
    """What :func:`plot_decision_boundary` drew."""

    ax: plt.Axes
    background: object  # the filled contours of the output (QuadContourSet)
    boundary: object  # the contour line at the decision threshold (QuadContourSet)
    points: list  # PathCollections: train points, then test points if given


def grid(X=None, resolution: int = 150, padding: float = 0.3, xlim=None, ylim=None):
    """A mesh covering the points ``X`` (n, 2), or the given limits.

    Returns
    -------
    xx, yy : ndarray, shape (resolution, resolution)
    points : ndarray, shape (resolution², 2), the mesh as rows of (x, y)
    """
    if xlim is None or ylim is None:
        if X is None:
            raise ValueError("pass X (n, 2) or both xlim and ylim")
        X = as_matrix(X, "X", n_features=2)
        lo, hi = X.min(axis=0) - padding, X.max(axis=0) + padding
        xlim = xlim or (lo[0], hi[0])
        ylim = ylim or (lo[1], hi[1])
    xx, yy = np.meshgrid(np.linspace(*xlim, resolution), np.linspace(*ylim, resolution))
    return xx, yy, np.column_stack([xx.ravel(), yy.ravel()])


def _check_2d_net(net) -> None:
    if not isinstance(net, MLP):
        raise TypeError(f"net must be an mlp_course.MLP, got {type(net).__name__}")
    if net.sizes[0] != 2:
        raise ValueError(f"plotting needs a network with 2 inputs, this one has {net.sizes[0]}")


def _scatter(ax, X, y, marker, label):
    y = np.asarray(y, dtype=float).reshape(len(X), -1)[:, 0]
    colors = np.where(y > 0.5, CLASS_COLORS[1], CLASS_COLORS[0])
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
    X : array_like, shape (n, 2); y : array_like, shape (n, 1) or (n,), labels 0/1
    ax : matplotlib Axes, optional
    X_test, y_test : array_like, optional
        Held-out points, drawn as triangles.
    resolution : int
        Grid points per axis.

    Returns
    -------
    BoundaryPlot
        ``(ax, background, boundary, points)``.
    """
    _check_2d_net(net)
    X = as_matrix(X, "X", n_features=2)
    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 4))
    shown = X if X_test is None else np.vstack([X, as_matrix(X_test, "X_test", n_features=2)])
    xx, yy, points = grid(shown, resolution, padding)
    out = net.forward(points)[:, 0].reshape(xx.shape)
    lo, hi = (-1.0, 1.0) if net.output_activation == "tanh" else (0.0, 1.0)
    levels = np.linspace(min(lo, out.min()), max(hi, out.max()), 21)
    background = ax.contourf(xx, yy, out, levels=levels, cmap=_CMAP, vmin=lo, vmax=hi)
    t = net.decision_threshold
    boundary = ax.contour(xx, yy, out, levels=[t], colors="k", linewidths=1.5) if out.min() < t < out.max() else None
    drawn = [_scatter(ax, X, y, "o", "train")]
    if X_test is not None:
        drawn.append(_scatter(ax, np.asarray(X_test, float), y_test, "^", "test"))
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
    list of matplotlib artists: the train line, the validation line if any, the divergence marker
    if any.
    """
    if not isinstance(history, History):
        raise TypeError(f"history must be the History returned by mlp_course.train, got {type(history).__name__}")
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3.5))
    epochs = np.arange(1, history.epochs + 1)
    drawn = ax.plot(epochs, history.loss, label=label or "train")
    if history.val_loss:
        drawn += ax.plot(epochs, history.val_loss, label="validation", linestyle="--")
    if history.diverged:
        drawn.append(ax.axvline(history.diverged_at + 1, color="red", linestyle=":",
                                label=f"diverged at epoch {history.diverged_at + 1}"))
    if log and history.loss and min(history.loss) > 0:
        ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel(f"{history.loss_name} loss")
    ax.legend()
    return drawn


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

    Returns
    -------
    list of AxesImage, one per unit.
    """
    _check_2d_net(net)
    n_hidden = len(net.sizes) - 2
    if n_hidden == 0:
        raise ValueError("this network has no hidden layer to show")
    if not 0 <= layer < n_hidden:
        raise ValueError(f"layer must be between 0 and {n_hidden - 1}, got {layer}")
    width = net.sizes[layer + 1]
    if axes is None:
        _, axes = plt.subplots(1, width, figsize=(1.6 * width, 1.8), squeeze=False)
        axes = axes[0]
    axes = list(np.ravel(axes))
    if len(axes) < width:
        raise ValueError(f"axes holds {len(axes)} Axes but layer {layer} has {width} units")
    if X is not None:
        X = as_matrix(X, "X", n_features=2)
        xx, yy, points = grid(X, resolution)
    else:
        xx, yy, points = grid(resolution=resolution, xlim=xlim, ylim=ylim)
    extent = (xx.min(), xx.max(), yy.min(), yy.max())
    acts = net.forward_all(points)[1][layer + 1]
    vmin, vmax = {"sigmoid": (0, 1), "tanh": (-1, 1)}.get(net.activation, (None, None))
    images = []
    for unit, ax in enumerate(axes[:width]):
        img = ax.imshow(acts[:, unit].reshape(xx.shape), origin="lower", extent=extent, cmap="RdBu_r",
                        vmin=vmin, vmax=vmax, aspect="auto")
        if X is not None and y is not None:
            _scatter(ax, X, y, "o", None).set_sizes([8])
        ax.set_title(f"h{layer + 1}.{unit + 1}", fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
        images.append(img)
    return images
