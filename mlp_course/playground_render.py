"""The playground's pictures, drawn off-screen with matplotlib's Agg backend into PNG bytes.

The playground shows its figures as ``ipywidgets.Image`` values, never through ``plt.show`` or an
``Output`` widget: a PNG set as a widget value is part of the widget's state, so the browser shows
it as soon as it shows the widget (the ``Output`` route could come up blank after "Run All").

Each view keeps one :class:`~matplotlib.figure.Figure` and updates its artists in place (new image
data, new point positions, new line data), because building a figure and its tick labels from
scratch costs several times more than redrawing it. Nothing here touches ``pyplot``: no global
figure list, no backend switch, no figure left open.
"""

from __future__ import annotations

import io

import numpy as np
from matplotlib import colormaps
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import LogLocator, MaxNLocator, NullLocator

from .network import MLP
from .plotting import _CMAP, CLASS_COLORS, grid

DPI = 72
"""Pixels per inch of every PNG: figures are sized in inches, so 72 dpi means 1 pt = 1 px."""
RESOLUTION = 60
"""Grid points per axis for the output and the hidden-unit maps (drawn smoothed)."""
_PNG_OPTIONS = {"compress_level": 1}  # fast zlib: the PNGs are small anyway, speed matters more


def figure_png(fig: Figure) -> bytes:
    """Render ``fig`` with Agg and return the PNG file's bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, pil_kwargs=_PNG_OPTIONS)
    return buffer.getvalue()


def message_png(text: str, width: float = 4.0, height: float = 1.0) -> bytes:
    """A small PNG that shows ``text`` (for a view that has nothing to draw)."""
    fig = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(fig)
    fig.text(0.5, 0.5, text, ha="center", va="center", fontsize=10, color="0.3", wrap=True)
    return figure_png(fig)


def _finite(values: np.ndarray, fill: float) -> np.ndarray:
    """``values`` with NaN replaced by ``fill`` and ±inf by the largest finite float64."""
    return np.nan_to_num(values, nan=fill)


def _point_colors(y: np.ndarray) -> list[str]:
    return [CLASS_COLORS[1] if label > 0.5 else CLASS_COLORS[0] for label in np.ravel(y)]


class PlaneGrid:
    """The mesh the playground evaluates its network on.

    Attributes
    ----------
    extent : tuple (x_min, x_max, y_min, y_max)
    points : ndarray, shape (RESOLUTION², 2)
    shape : tuple (RESOLUTION, RESOLUTION)
    """

    def __init__(self, X: np.ndarray, resolution: int = RESOLUTION, padding: float = 0.4) -> None:
        xx, yy, self.points = grid(X, resolution, padding)
        self.extent = (float(xx.min()), float(xx.max()), float(yy.min()), float(yy.max()))
        self.shape = xx.shape


class BoundaryView:
    """Network output over the plane, the decision boundary, train (o) and test (^) points."""

    def __init__(self) -> None:
        self.fig = Figure(figsize=(4.2, 4.0), dpi=DPI)
        FigureCanvasAgg(self.fig)
        self.fig.subplots_adjust(left=0.14, right=0.97, bottom=0.12, top=0.92)
        self.legend_key = None
        ax = self.ax = self.fig.add_subplot()
        blank = np.zeros((2, 2))
        self.image = ax.imshow(blank, origin="lower", cmap=_CMAP, vmin=0.0, vmax=1.0, interpolation="bilinear",
                               aspect="auto")
        self.contour = None
        style = {"s": 30, "edgecolors": "k", "linewidths": 0.6, "zorder": 3}
        self.train_points = ax.scatter([], [], marker="o", label="train", **style)
        self.test_points = ax.scatter([], [], marker="^", label="test", **style)
        ax.set_xlabel("$x_1$")
        ax.set_ylabel("$x_2$")
        ax.xaxis.set_major_locator(MaxNLocator(5))
        ax.yaxis.set_major_locator(MaxNLocator(5))

    def png(self, output: np.ndarray, plane: PlaneGrid, X_train, y_train, X_test=None, y_test=None,
            title: str = "decision boundary") -> bytes:
        """Draw and return the PNG.

        Parameters
        ----------
        output : ndarray, shape plane.shape
            The network's output (a probability, sigmoid output) at every grid point.
        plane : PlaneGrid
        X_train : ndarray (n, 2); y_train : ndarray (n, 1)
        X_test, y_test : ndarray (m, 2) and (m, 1), or None
        """
        output = np.clip(_finite(output, 0.5), 0.0, 1.0)
        self.image.set_data(output)
        self.image.set_extent(plane.extent)
        if self.contour is not None:
            self.contour.remove()
            self.contour = None
        if output.min() < 0.5 < output.max():
            xs = np.linspace(plane.extent[0], plane.extent[1], plane.shape[1])
            ys = np.linspace(plane.extent[2], plane.extent[3], plane.shape[0])
            self.contour = self.ax.contour(xs, ys, output, levels=[0.5], colors="k", linewidths=1.5)
        self._points(self.train_points, X_train, y_train)
        self._points(self.test_points, X_test, y_test)
        self.ax.set_xlim(plane.extent[:2])
        self.ax.set_ylim(plane.extent[2:])
        self.ax.set_title(title, fontsize=11)
        has_test = X_test is not None and len(X_test) > 0
        if self.legend_key != has_test:  # a new legend only when its entries change: text layout is slow
            handles = [self.train_points, self.test_points] if has_test else [self.train_points]
            legend = self.ax.legend(handles=handles, loc="upper right", fontsize=8, framealpha=0.8)
            for handle in legend.legend_handles:
                handle.set_facecolor("white")
            self.legend_key = has_test
        return figure_png(self.fig)

    @staticmethod
    def _points(collection, X, y) -> None:
        if X is None or len(X) == 0:
            collection.set_offsets(np.empty((0, 2)))
            collection.set_facecolors([])
            return
        collection.set_offsets(X)
        collection.set_facecolors(_point_colors(y))


class LossView:
    """Training and test loss per epoch on a log axis, with a red line where training diverged."""

    def __init__(self) -> None:
        self.fig = Figure(figsize=(4.2, 2.7), dpi=DPI)
        FigureCanvasAgg(self.fig)
        self.fig.subplots_adjust(left=0.17, right=0.97, bottom=0.17, top=0.9)
        self.legend_key = None
        ax = self.ax = self.fig.add_subplot()
        (self.train_line,) = ax.plot([], [], label="train", color="C0")
        (self.test_line,) = ax.plot([], [], label="test", color="C1", linestyle="--")
        self.marker = ax.axvline(0, color="red", linestyle=":", label="diverged")
        ax.set_xlabel("epoch")
        ax.xaxis.set_major_locator(MaxNLocator(5, integer=True))

    def png(self, train_loss, test_loss, loss_name: str, diverged_at: int | None = None) -> bytes:
        """Draw and return the PNG.

        Parameters
        ----------
        train_loss, test_loss : sequence of float
            Loss after each epoch (``test_loss`` may be empty).
        loss_name : str
            "mse" or "bce", for the axis label.
        diverged_at : int or None
            Epoch (0-based) to mark in red.
        """
        ax = self.ax
        train = _finite(np.asarray(train_loss, dtype=float), 0.0)
        test = _finite(np.asarray(test_loss, dtype=float), 0.0)
        epochs = np.arange(1, len(train) + 1)
        self.train_line.set_data(epochs, train)
        self.test_line.set_data(epochs[: len(test)], test)
        self.test_line.set_visible(len(test) > 0)
        self.marker.set_visible(diverged_at is not None)
        if diverged_at is not None:
            self.marker.set_xdata([diverged_at + 1, diverged_at + 1])
        both = np.concatenate([train, test])
        log = both.size > 0 and both.min() > 0 and np.all(np.isfinite(both))
        ax.set_yscale("log" if log else "linear")
        if log:
            ax.yaxis.set_major_locator(LogLocator(numticks=5))
        ax.yaxis.set_minor_locator(NullLocator())
        ax.xaxis.set_minor_locator(NullLocator())
        if both.size:
            lo, hi = float(both.min()), float(both.max())
            pad = max((hi / lo) ** 0.05, 1.2) if log else 0.05 * (hi - lo) + 0.01 * abs(hi) + 1e-6
            ax.set_ylim((lo / pad, hi * pad) if log else (lo - pad, hi + pad))
            ax.set_xlim(0, max(len(train), 1) + 1)
        else:
            ax.set_ylim(0, 1)
            ax.set_xlim(0, 1)
        ax.set_ylabel(f"{loss_name} loss")
        key = (len(test) > 0, diverged_at is not None)
        if key != self.legend_key:
            handles = [self.train_line] + ([self.test_line] if key[0] else []) + ([self.marker] if key[1] else [])
            ax.legend(handles=handles, loc="upper right", fontsize=8)
            self.legend_key = key
        ax.set_title("loss per epoch" if len(train) else "loss per epoch (not trained yet)", fontsize=11)
        return figure_png(self.fig)


class HiddenView:
    """One small map per hidden neuron: its activation over the input plane (rows = layers).

    All maps are tiles of a single image (one ``imshow``), so a 4 × 8 network costs no more to
    draw than a 1 × 1 one. Each tile is scaled to [−1, 1] for the colour map: tanh as it is,
    sigmoid as 2a − 1, relu as a / max|a|; white is the middle (0.5 for sigmoid, 0 otherwise).
    """

    TILE = 30  # grid points per tile side (every other point of the RESOLUTION grid)
    GAP = 4  # blank grid cells between tiles

    def __init__(self) -> None:
        self.fig = Figure(figsize=(5.6, 2.0), dpi=DPI)
        FigureCanvasAgg(self.fig)
        self.ax = self.fig.add_axes((0.12, 0.04, 0.86, 0.78))
        cmap = colormaps["RdBu_r"].with_extremes(bad="white")  # white: the gaps between tiles
        self.image = self.ax.imshow(np.zeros((2, 2)), cmap=cmap, vmin=-1.0, vmax=1.0, interpolation="bilinear",
                                    origin="upper", aspect="equal")
        self.ax.tick_params(length=0, labelsize=8)
        for side in self.ax.spines.values():
            side.set_visible(False)
        self.fig.suptitle("hidden neurons over the input plane (blue low, red high)", fontsize=9, x=0.02, y=0.97,
                          ha="left")
        self.shape: tuple[int, ...] = ()

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
            return message_png("no hidden layer: the output is one sigmoid of a straight line\n"
                               "(only linearly separable data can be learnt)", width=5.6, height=0.9)
        widths = tuple(a.shape[1] for a in hidden)
        step = max(1, plane.shape[0] // self.TILE)
        tile = len(range(0, plane.shape[0], step))
        cell = tile + self.GAP
        mosaic = np.full((len(widths) * cell - self.GAP, max(widths) * cell - self.GAP), np.nan)
        for layer, acts in enumerate(hidden):
            for unit in range(acts.shape[1]):
                values = acts[:, unit].reshape(plane.shape)[::step, ::step]
                top, left = layer * cell, unit * cell
                mosaic[top:top + tile, left:left + tile] = _unit_scale(values, activation)[::-1]  # north up
        self.image.set_data(np.ma.masked_invalid(mosaic))
        self.image.set_extent((-0.5, mosaic.shape[1] - 0.5, mosaic.shape[0] - 0.5, -0.5))
        if widths != self.shape:
            centres = np.arange(len(widths)) * cell + (tile - 1) / 2
            self.ax.set_xticks([])
            self.ax.set_yticks(centres, [f"layer {l + 1}" for l in range(len(widths))])
            self.fig.set_size_inches(1.2 + 0.75 * max(widths), 0.45 + 0.75 * len(widths))
            self.ax.set_position((1.0 / (1.2 + 0.75 * max(widths)), 0.02, 1 - 1.1 / (1.2 + 0.75 * max(widths)),
                                  1 - 0.5 / (0.45 + 0.75 * len(widths))))
            self.shape = widths
        return figure_png(self.fig)


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

    def network_views(self, net: MLP, X_train, y_train, X_test=None, y_test=None, title: str = "decision boundary"
                      ) -> tuple[bytes, bytes]:
        """PNGs of the decision boundary and of the hidden-unit maps of ``net`` (2 inputs, 1 output).

        Parameters
        ----------
        net : MLP, sizes [2, ..., 1]
        X_train : ndarray (n, 2); y_train : ndarray (n, 1)
        X_test, y_test : ndarray (m, 2) and (m, 1), or None
        """
        shown = X_train if X_test is None else np.vstack([X_train, X_test])
        plane = PlaneGrid(shown)
        with np.errstate(over="ignore", invalid="ignore"):
            _, acts = net.forward_all(plane.points)
        output = acts[-1][:, 0].reshape(plane.shape)
        boundary = self.boundary.png(output, plane, X_train, y_train, X_test, y_test, title)
        hidden = self.hidden.png(acts[1:-1], plane, net.activation)
        return boundary, hidden

    def loss_view(self, train_loss, test_loss, loss_name: str, diverged_at: int | None = None) -> bytes:
        """PNG of the loss curves; see :meth:`LossView.png`."""
        return self.loss.png(train_loss, test_loss, loss_name, diverged_at)
