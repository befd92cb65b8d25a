"""What the browser draws: one frame of a run as a few small numeric arrays (no pictures, no widgets).

The playground's pictures are drawn in the browser (:mod:`.view`) from a *frame*: a dict of plain
values and little-endian binary arrays that ipywidgets sends as one message (its binary buffers).
One frame holds everything the three pictures need, so they always change together:

- ``output``   float32 (GRID, GRID): the network's output on the plane, row 0 at the bottom (y min);
- ``hidden``   float32 (n_hidden, TILE, TILE): every hidden neuron's activation on a coarser grid,
  neurons in layer order (the network panel's maps), unscaled;
- ``weights``/``biases``: float32 copies of the network's parameters (the edges);
- ``X``/``y`` and ``X_test``/``y_test``: the points (float32, labels uint8);
- ``loss_epochs``/``train_loss``/``test_loss``: the loss curves (float32, at most LOSS_POINTS points).

A frame is a few tens of kB at the XOR defaults; drawing it takes the browser a few milliseconds.
"""

from __future__ import annotations

import numpy as np

from ..network import MLP
from .run import PlaygroundRun

GRID = 60
"""Grid points per axis of the output map (the browser smooths it when scaling it up)."""
TILE = 30
"""Grid points per axis of each hidden neuron's map (every other point of the output grid)."""
LOSS_POINTS = 1500
"""Longest loss curve sent: longer histories are sampled evenly (first and last epochs kept)."""
_FLOAT32_MAX = float(np.finfo(np.float32).max)


def plane(X: np.ndarray, resolution: int = GRID, padding: float = 0.3) -> tuple[tuple[float, ...], np.ndarray]:
    """The grid the pictures are evaluated on: extent rounded outwards to halves, and its points.

    Parameters
    ----------
    X : ndarray, shape (n, 2)
        The points to cover.

    Returns
    -------
    extent : tuple (x_min, x_max, y_min, y_max)
    points : ndarray, shape (resolution², 2)
        Row-major from the bottom-left corner: point ``r * resolution + c`` is at
        (x_min + c·dx, y_min + r·dy).
    """
    lo = np.floor((X.min(axis=0) - padding) * 2) / 2
    hi = np.ceil((X.max(axis=0) + padding) * 2) / 2
    xs, ys = np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution)
    xx, yy = np.meshgrid(xs, ys)
    return (float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1])), np.column_stack([xx.ravel(), yy.ravel()])


def as_float32(values) -> np.ndarray:
    """``values`` as float32, huge values clipped to float32's range (NaN kept), no overflow warning."""
    values = np.asarray(values, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        return np.clip(values, -_FLOAT32_MAX, _FLOAT32_MAX).astype("<f4")


def _buffer(values, dtype: str = "<f4") -> bytes:
    array = as_float32(values) if dtype == "<f4" else np.asarray(values).astype(dtype)
    return np.ascontiguousarray(array).tobytes()


def grid_activations(net: MLP, points: np.ndarray) -> list[np.ndarray]:
    """Every layer's activations on ``points`` (n, 2): a list of (n, width) arrays, inputs first."""
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        _, acts = net.forward_all(points, validate=False)
    return acts


def loss_curve(losses, points: int = LOSS_POINTS) -> tuple[np.ndarray, np.ndarray]:
    """Epoch numbers (from 1) and the losses at them: all of them, or ``points`` evenly spaced ones."""
    losses = np.asarray(losses, dtype=float)
    epochs = np.arange(1, len(losses) + 1)
    if len(losses) <= points:
        return epochs, losses
    keep = np.unique(np.linspace(0, len(losses) - 1, points).round().astype(int))
    return epochs[keep], losses[keep]


def network_frame(run: PlaygroundRun, frame_id: int, planned_epochs: int | None = None) -> dict:
    """The frame that shows ``run`` now: see the module docstring for its arrays.

    Parameters
    ----------
    run : PlaygroundRun
        A network with 2 inputs and 1 output, its data and its history.
    frame_id : int
        Increases with every frame; the browser writes it on the page once the frame is drawn.
    planned_epochs : int, optional
        Width of the loss plot's epoch axis (default: the epochs trained).

    Returns
    -------
    dict
        JSON-able values plus ``bytes`` values (sent as binary buffers).
    """
    data, net, history = run.data, run.net, run.history
    shown = data.X_train if data.X_test is None else np.vstack([data.X_train, data.X_test])
    extent, points = plane(shown)
    acts = grid_activations(net, points)
    output = acts[-1][:, 0]
    step = GRID // TILE
    on_tile = (np.arange(GRID)[::step][:, None] * GRID + np.arange(GRID)[::step][None, :]).ravel()
    hidden = [a[on_tile].T.reshape(-1, TILE, TILE) for a in acts[1:-1]]  # (width, TILE, TILE) per layer
    epochs, train_loss = loss_curve(history.loss)
    _, test_loss = loss_curve(history.val_loss) if history.val_loss else (None, np.empty(0))
    output32 = as_float32(output)
    frame = {
        "id": int(frame_id),
        "config": run.config.to_string(),
        "dataset": run.config.dataset,
        "epoch": run.epoch,
        "extent": list(extent),
        "grid": GRID,
        "tile": TILE,
        "sizes": list(net.sizes),
        "activation": net.activation,
        "loss_name": run.config.loss,
        "diverged_epoch": run.diverged_epoch,
        "planned_epochs": int(planned_epochs if planned_epochs is not None else run.epoch),
        "output_sum": float(np.nansum(output32, dtype=np.float64)),
        "output": output32.tobytes(),
        "hidden": _buffer(np.concatenate(hidden) if hidden else np.empty((0, TILE, TILE))),
        "weights": [_buffer(w) for w in net.weights],
        "biases": [_buffer(b) for b in net.biases],
        "X": _buffer(data.X_train),
        "y": _buffer(np.ravel(data.y_train) > 0.5, "u1"),
        "X_test": _buffer(data.X_test if data.X_test is not None else np.empty((0, 2))),
        "y_test": _buffer(np.ravel(data.y_test) > 0.5 if data.y_test is not None else np.empty(0), "u1"),
        "loss_epochs": _buffer(epochs),
        "train_loss": _buffer(train_loss),
        "test_loss": _buffer(test_loss),
    }
    return frame


def decode(frame: dict, name: str) -> np.ndarray:
    """One array of a frame back as NumPy, shaped as the module docstring says (tests, notebooks).

    ``weights``/``biases`` give a list of arrays shaped like the network's.
    """
    if name in ("weights", "biases"):
        sizes = frame["sizes"]
        shapes = [(a, b) for a, b in zip(sizes[:-1], sizes[1:])] if name == "weights" else [(b,) for b in sizes[1:]]
        return [np.frombuffer(buf, "<f4").reshape(shape) for buf, shape in zip(frame[name], shapes)]
    dtype = "u1" if name in ("y", "y_test") else "<f4"
    values = np.frombuffer(frame[name], dtype)
    if name == "output":
        return values.reshape(frame["grid"], frame["grid"])
    if name == "hidden":
        return values.reshape(-1, frame["tile"], frame["tile"])
    if name in ("X", "X_test"):
        return values.reshape(-1, 2)
    return values
