"""The playground's pictures as PNG bytes, drawn off-screen with matplotlib's Agg backend.

The browser draws the live pictures itself (:mod:`.view`); these PNGs are the static copy
(``Playground.images``): for a file, a report, a viewer without widgets. Nothing here goes through
``plt.show`` or an ``Output`` widget.

Speed: a redraw must take a few tens of milliseconds. Each view is a :class:`.png.BlittedFigure`:
its static part is rendered once, and a redraw draws only the *dynamic* artists (the output image,
the boundary line, the points, the loss lines) on top. The static part is re-rendered only when it
changes (new axis limits, a test set appearing, another network shape). Nothing here touches
``pyplot``: no global figure list, no backend switch, no figure left open.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib import colormaps
from matplotlib.ticker import LogLocator, MaxNLocator, NullLocator

from ..network import MLP
from ..plotting import CLASS_COLORS, CMAP, grid
from .png import BlittedFigure, message_png

RESOLUTION = 60
"""Grid points per axis for the output and the hidden-unit maps (drawn smoothed)."""


def _point_colors(y: np.ndarray) -> list[str]:
    return [CLASS_COLORS[1] if label > 0.5 else CLASS_COLORS[0] for label in np.ravel(y)]


class PlaneGrid:
    """The mesh the playground evaluates its network on.

    Attributes
    ----------
    extent : tuple (x_min, x_max, y_min, y_max)
        Rounded outwards to multiples of 0.5 (so that many datasets share a background).
    points : ndarray, shape (RESOLUTION², 2)
    shape : tuple (RESOLUTION, RESOLUTION)
    """

    def __init__(self, X: np.ndarray, resolution: int = RESOLUTION, padding: float = 0.3) -> None:
        lo = np.floor((X.min(axis=0) - padding) * 2) / 2
        hi = np.ceil((X.max(axis=0) + padding) * 2) / 2
        xx, yy, self.points = grid(resolution=resolution, xlim=(lo[0], hi[0]), ylim=(lo[1], hi[1]))
        self.extent = (float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1]))
        self.shape = xx.shape


class BoundaryView:
    """Network output over the plane, the decision boundary, train (o) and test (^) points."""

    def __init__(self) -> None:
        self.layers = BlittedFigure(4.2, 4.1)
        fig = self.layers.fig
        fig.subplots_adjust(left=0.14, right=0.97, bottom=0.11, top=0.9)
        ax = self.ax = fig.add_subplot()
        self.image = ax.imshow(np.zeros((2, 2)), origin="lower", cmap=CMAP, vmin=0.0, vmax=1.0,
                               interpolation="bilinear", aspect="auto", animated=True)
        self.contour = None
        style = {"s": 30, "edgecolors": "k", "linewidths": 0.6, "zorder": 3, "animated": True}
        self.train_points = ax.scatter([], [], marker="o", label="train", **style)
        self.test_points = ax.scatter([], [], marker="^", label="test", **style)
        self.epoch_text = ax.text(0.02, 0.02, "", transform=ax.transAxes, fontsize=9, animated=True,
                                  bbox={"facecolor": "white", "alpha": 0.75, "edgecolor": "none", "pad": 2})
        ax.set_xlabel("$x_1$")
        ax.set_ylabel("$x_2$")
        ax.xaxis.set_major_locator(MaxNLocator(5))
        ax.yaxis.set_major_locator(MaxNLocator(5))
        self.legend = None

    def png(self, output: np.ndarray, plane: PlaneGrid, X_train, y_train, X_test=None, y_test=None,
            title: str = "decision boundary", note: str = "") -> bytes:
        """Draw and return the PNG.

        Parameters
        ----------
        output : ndarray, shape plane.shape
            The network's output (a probability, sigmoid output) at every grid point.
        plane : PlaneGrid
        X_train : ndarray (n, 2); y_train : ndarray (n, 1)
        X_test, y_test : ndarray (m, 2) and (m, 1), or None
        title : str
            Above the axes (part of the cached background).
        note : str
            Small text in the lower left corner, e.g. the epoch (redrawn every time).
        """
        output = np.clip(np.nan_to_num(output, nan=0.5), 0.0, 1.0)
        self.image.set_data(output)
        self.image.set_extent(plane.extent)
        if self.contour is not None:
            self.contour.remove()
            self.contour = None
        if output.min() < 0.5 < output.max():
            xs = np.linspace(plane.extent[0], plane.extent[1], plane.shape[1])
            ys = np.linspace(plane.extent[2], plane.extent[3], plane.shape[0])
            self.contour = self.ax.contour(xs, ys, output, levels=[0.5], colors="k", linewidths=1.5)
            self.contour.set_animated(True)
        self._points(self.train_points, X_train, y_train)
        self._points(self.test_points, X_test, y_test)
        self.epoch_text.set_text(note)
        self.epoch_text.set_visible(bool(note))
        has_test = X_test is not None and len(X_test) > 0
        key = (plane.extent, has_test, title)
        if key != self.layers._key:
            self._set_background(plane, has_test, title)
        dynamic = [self.image, self.contour, self.train_points, self.test_points, self.epoch_text,
                   *self.ax.spines.values()]
        return self.layers.render(key, dynamic)

    def _set_background(self, plane: PlaneGrid, has_test: bool, title: str) -> None:
        self.ax.set_xlim(plane.extent[:2])
        self.ax.set_ylim(plane.extent[2:])
        self.ax.set_title(title, fontsize=11, loc="left")
        if self.legend is not None:
            self.legend.remove()
        handles = [self.train_points, self.test_points] if has_test else [self.train_points]
        # above the axes, right of the title: the picture never covers it
        self.legend = self.ax.legend(handles=handles, loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=2,
                                     fontsize=8, frameon=False, borderaxespad=0.2)
        for handle in self.legend.legend_handles:
            handle.set_facecolor("white")
            handle.set_animated(False)

    @staticmethod
    def _points(collection, X, y) -> None:
        if X is None or len(X) == 0:
            collection.set_offsets(np.empty((0, 2)))
            collection.set_facecolors([])
            return
        collection.set_offsets(X)
        collection.set_facecolors(_point_colors(y))


class LossView:
    """Training and test loss per epoch on a log axis, with a red line where training diverged.

    The axis limits are rounded outwards (whole decades of loss, the planned number of epochs), so
    successive runs usually share the cached background.
    """

    def __init__(self) -> None:
        self.layers = BlittedFigure(4.2, 2.7)
        fig = self.layers.fig
        fig.subplots_adjust(left=0.17, right=0.96, bottom=0.17, top=0.86)
        ax = self.ax = fig.add_subplot()
        (self.train_line,) = ax.plot([], [], label="train", color="C0", animated=True)
        (self.test_line,) = ax.plot([], [], label="test", color="C1", linestyle="--", animated=True)
        self.marker = ax.axvline(0, color="red", linestyle=":", label="diverged", animated=True)
        ax.set_xlabel("epoch")
        ax.xaxis.set_major_locator(MaxNLocator(5, integer=True))
        self.legend = None

    def png(self, train_loss, test_loss, loss_name: str, diverged_at: int | None = None,
            planned_epochs: int | None = None) -> bytes:
        """Draw and return the PNG.

        Parameters
        ----------
        train_loss, test_loss : sequence of float
            Loss after each epoch (``test_loss`` may be empty).
        loss_name : str
            "mse" or "bce", for the axis label.
        diverged_at : int or None
            The epoch that diverged, counted from 0 (``History.diverged_at``). The red line stands
            at ``diverged_at + 1`` on the epoch axis, which counts from 1 (``train_loss[i]`` is
            drawn at epoch i + 1), the number the playground's status shows.
        planned_epochs : int, optional
            Width of the epoch axis (default: the epochs trained), so that "Watch it train" fills
            a fixed axis.
        """
        train = np.asarray(train_loss, dtype=float)
        test = np.asarray(test_loss, dtype=float)
        epochs = np.arange(1, len(train) + 1)
        both = np.concatenate([train, test])
        both = both[np.isfinite(both)]
        log = both.size > 0 and both.min() > 0
        floor = both.min() if log else 0.0
        self.train_line.set_data(epochs, np.clip(np.nan_to_num(train, nan=floor), floor, None))
        self.test_line.set_data(epochs[: len(test)], np.clip(np.nan_to_num(test, nan=floor), floor, None))
        self.test_line.set_visible(len(test) > 0)
        self.marker.set_visible(diverged_at is not None)
        if diverged_at is not None:
            self.marker.set_xdata([diverged_at + 1, diverged_at + 1])
        # a diverged run stops early: zoom on the epochs it has
        planned = planned_epochs if diverged_at is None else max(diverged_at + 2, 10)
        x_max = max(planned or 0, len(train), 1)
        y_range = _decades(both) if log else _linear_range(both)
        key = (loss_name, log, y_range, x_max, len(test) > 0, diverged_at is not None, len(train) > 0)
        if key != self.layers._key:
            self._set_background(loss_name, log, y_range, x_max, key)
        dynamic = [self.train_line, self.test_line, self.marker]
        return self.layers.render(key, dynamic)

    def _set_background(self, loss_name, log, y_range, x_max, key) -> None:
        ax = self.ax
        ax.set_yscale("log" if log else "linear")
        if log:
            ax.yaxis.set_major_locator(LogLocator(numticks=6))
        ax.yaxis.set_minor_locator(NullLocator())
        ax.xaxis.set_minor_locator(NullLocator())
        ax.set_ylim(*y_range)
        ax.set_xlim(0, x_max)
        ax.set_ylabel(f"{loss_name} loss")
        ax.set_title("loss" if key[-1] else "loss (not trained)", fontsize=11, loc="left")
        if self.legend is not None:
            self.legend.remove()
        handles = [self.train_line] + ([self.test_line] if key[4] else []) + ([self.marker] if key[5] else [])
        self.legend = ax.legend(handles=handles, loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=3, fontsize=8,
                                frameon=False, borderaxespad=0.2)
        for handle in self.legend.legend_handles:
            handle.set_animated(False)  # legend entries copy the lines' "animated" flag


def _decades(values: np.ndarray) -> tuple[float, float]:
    """The smallest range of whole powers of ten that contains the positive ``values``."""
    lo = 10.0 ** math.floor(math.log10(values.min()))
    hi = 10.0 ** math.ceil(math.log10(values.max()))
    return (lo, hi) if hi > lo else (lo, lo * 10)


def _linear_range(values: np.ndarray) -> tuple[float, float]:
    if values.size == 0:
        return 0.0, 1.0
    lo, hi = float(values.min()), float(values.max())
    pad = 0.05 * (hi - lo) + 0.01 * abs(hi) + 1e-6
    return lo - pad, hi + pad


class HiddenView:
    """One small map per hidden neuron: its activation over the input plane.

    Laid out like the network itself (and TensorFlow Playground): one column per hidden layer,
    one tile per neuron. All tiles are parts of a single image (one ``imshow``), so a 4 × 8 network
    costs no more to draw than a 1 × 1 one. Each tile is scaled to [−1, 1] for the colour map:
    tanh as it is, sigmoid as 2a − 1, relu as a / max|a|; white is the middle (0.5 for sigmoid,
    0 otherwise).
    """

    TILE = 30  # grid points per tile side (every other point of the RESOLUTION grid)
    GAP = 5  # blank grid cells between tiles
    CELL_INCHES = 0.9  # one tile and its gap on the PNG (65 px at 72 dpi)
    TOP_INCHES = 0.75  # title and column headers

    def __init__(self) -> None:
        self.layers = BlittedFigure(2.6, 2.0)
        fig = self.layers.fig
        self.ax = fig.add_axes((0.1, 0.1, 0.8, 0.6))
        cmap = colormaps["RdBu_r"].with_extremes(bad="white")  # white: the gaps between tiles
        self.image = self.ax.imshow(np.zeros((2, 2)), cmap=cmap, vmin=-1.0, vmax=1.0, interpolation="bilinear",
                                    origin="upper", aspect="equal", animated=True)
        self.ax.tick_params(length=0, labelsize=8, top=True, labeltop=True, bottom=False, labelbottom=False)
        self.ax.set_yticks([])
        for side in self.ax.spines.values():
            side.set_visible(False)
        fig.suptitle("hidden neurons\n(blue low, red high)", fontsize=9, x=0.04, y=0.99, ha="left", va="top")

    def png(self, hidden: list[np.ndarray], plane: PlaneGrid, activation: str) -> bytes:
        """Draw and return the PNG.

        Parameters
        ----------
        hidden : list of ndarray, one per hidden layer, shape (len(plane.points), width)
            Every hidden neuron's activation at every grid point.
        plane : PlaneGrid
        activation : str
            The hidden activation: "sigmoid", "tanh" or "relu".
        """
        if not hidden:
            return message_png("no hidden layer:\nthe output is one sigmoid\nof a straight line", width=2.6,
                               height=1.0)
        widths = tuple(a.shape[1] for a in hidden)
        step = max(1, plane.shape[0] // self.TILE)
        tile = len(range(0, plane.shape[0], step))
        cell = tile + self.GAP
        mosaic = np.full((max(widths) * cell - self.GAP, len(widths) * cell - self.GAP), np.nan)
        for layer, acts in enumerate(hidden):
            for unit in range(acts.shape[1]):
                values = acts[:, unit].reshape(plane.shape)[::step, ::step]
                top, left = unit * cell, layer * cell
                mosaic[top:top + tile, left:left + tile] = _unit_scale(values, activation)[::-1]  # north up
        self.image.set_data(np.ma.masked_invalid(mosaic))
        self.image.set_extent((-0.5, mosaic.shape[1] - 0.5, mosaic.shape[0] - 0.5, -0.5))
        if widths != self.layers._key:
            self._set_background(widths, tile, cell)
        return self.layers.render(widths, [self.image])

    def _set_background(self, widths: tuple[int, ...], tile: int, cell: int) -> None:
        cols, rows = len(widths), max(widths)
        box_width, box_height = self.CELL_INCHES * cols, self.CELL_INCHES * rows
        width, height = max(2.6, box_width + 0.3), box_height + self.TOP_INCHES + 0.1
        self.layers.fig.set_size_inches(width, height)
        left = (width - box_width) / 2
        self.ax.set_position((left / width, 0.1 / height, box_width / width, box_height / height))
        self.ax.set_xlim(-0.5, cols * cell - self.GAP - 0.5)
        self.ax.set_ylim(rows * cell - self.GAP - 0.5, -0.5)
        centres = np.arange(cols) * cell + (tile - 1) / 2
        self.ax.set_xticks(centres, [f"layer {l + 1}" for l in range(cols)])


def _unit_scale(values: np.ndarray, activation: str) -> np.ndarray:
    """One neuron's activations mapped onto [−1, 1] (see :class:`HiddenView`)."""
    values = np.nan_to_num(values, nan=0.0)
    if activation == "sigmoid":
        return 2.0 * values - 1.0
    if activation == "tanh":
        return values
    top = float(np.max(np.abs(values)))
    return values / top if np.isfinite(top) and top > 0 else np.clip(values, -1.0, 1.0)


class Renderer:
    """Draws all three views of a network; keeps the figures between redraws."""

    def __init__(self) -> None:
        self.boundary = BoundaryView()
        self.loss = LossView()
        self.hidden = HiddenView()

    def network_views(self, net: MLP, X_train, y_train, X_test=None, y_test=None, title: str = "decision boundary",
                      note: str = "") -> tuple[bytes, bytes]:
        """PNGs of the decision boundary and of the hidden-unit maps of ``net`` (2 inputs, 1 output).

        Parameters
        ----------
        net : MLP, sizes [2, ..., 1]
        X_train : ndarray (n, 2); y_train : ndarray (n, 1)
        X_test, y_test : ndarray (m, 2) and (m, 1), or None
        title, note : str
            See :meth:`BoundaryView.png`.
        """
        shown = X_train if X_test is None else np.vstack([X_train, X_test])
        plane = PlaneGrid(shown)
        with np.errstate(over="ignore", invalid="ignore"):
            _, acts = net.forward_all(plane.points)
        output = acts[-1][:, 0].reshape(plane.shape)
        boundary = self.boundary.png(output, plane, X_train, y_train, X_test, y_test, title, note)
        hidden = self.hidden.png(acts[1:-1], plane, net.activation)
        return boundary, hidden

    def run_views(self, run, planned_epochs: int | None = None) -> dict[str, bytes]:
        """PNGs ``boundary``, ``loss`` and ``hidden`` of a :class:`~.run.PlaygroundRun` as it is now."""
        data, history = run.data, run.history
        boundary, hidden = self.network_views(run.net, data.X_train, data.y_train, data.X_test, data.y_test,
                                              title=f"{run.config.dataset}: decision boundary",
                                              note=f"epoch {run.epoch}")
        loss = self.loss_view(history.loss, history.val_loss, run.config.loss, history.diverged_at, planned_epochs)
        return {"boundary": boundary, "loss": loss, "hidden": hidden}

    def loss_view(self, train_loss, test_loss, loss_name: str, diverged_at: int | None = None,
                  planned_epochs: int | None = None) -> bytes:
        """PNG of the loss curves; see :meth:`LossView.png`."""
        return self.loss.png(train_loss, test_loss, loss_name, diverged_at, planned_epochs)
