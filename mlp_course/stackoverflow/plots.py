"""Pictures of a :class:`~mlp_course.stackoverflow.Trace`: each sample's output and cost, and loss curves.

Matplotlib is imported at the top, like :mod:`mlp_course.plotting`: ``import mlp_course`` loads
pyplot anyway, so importing it lazily here would save nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes

from .seed import y
from .trace import Trace

INPUT_LABELS = ("[0, 0] → 0", "[0, 1] → 1", "[1, 0] → 1", "[1, 1] → 0")
"""Legend labels of the four XOR samples: input → target."""

INPUT_STYLES = ("-", "--", "-.", ":")
"""Line styles of the four XOR samples' curves, so that curves lying on top of each other stay visible."""

INPUT_MARKERS = ("o", "s", "^", "D")
"""Marker shapes of the four XOR samples' curves (see :func:`input_style`)."""


def input_style(j: int, n_points: int) -> dict:
    """Matplotlib line properties of sample ``j``'s curve of ``n_points`` points: its line style, and its
    marker every eighth of the curve, each sample's markers shifted along by a quarter of that, so that
    four curves lying exactly on top of each other (the question's outputs, all at 1) still show four."""
    every = max(n_points // 8, 4)  # at least 4, so that the four shifts differ
    return {"linestyle": INPUT_STYLES[j], "marker": INPUT_MARKERS[j], "markersize": 5,
            "markevery": (j * every // 4, every)}


def plot_trace(trace: Trace, axes: Sequence[Axes] | None = None, title: str = "") -> list[Axes]:
    """Two panels: each sample's output over the iterations (targets dotted) and its cost.

    Parameters
    ----------
    trace : Trace
        Its ``iterations`` (n_records,), ``outputs`` and ``costs`` (n_records, 4) are drawn.
    axes : pair of matplotlib Axes, optional (a new 1×2 figure otherwise)
    title : str
        Prefix of both panels' titles.

    Returns
    -------
    list of the two Axes.
    """
    if not isinstance(trace, Trace):
        raise TypeError(f"trace must be a Trace (what the trainers return), got {type(trace).__name__}")
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(10, 3.5))
    ax_out, ax_cost = axes
    for j, label in enumerate(INPUT_LABELS):
        style = input_style(j, len(trace.iterations))
        (line,) = ax_out.plot(trace.iterations, trace.outputs[:, j], label=label, **style)
        ax_out.axhline(float(y[j]), color=line.get_color(), linestyle=":", linewidth=1)
        ax_cost.plot(trace.iterations, trace.costs[:, j], label=label, color=line.get_color(), **style)
    # the question's code calls its epochs "iterations"
    ax_out.set(xlabel="iteration (epoch)", ylabel="output o", title=f"{title}outputs (dotted: targets)",
               ylim=(-0.05, 1.05))
    ax_cost.set(xlabel="iteration (epoch)", ylabel="cost ½(o − y)²", title=f"{title}cost per input", ylim=(-0.02, 0.52))
    ax_out.legend(fontsize=8)
    return [ax_out, ax_cost]


def plot_losses(traces: Mapping[str, Trace], ax: Axes | None = None, title: str = "mean cost per epoch",
                log: bool = False) -> Axes:
    """One curve of ``trace.loss`` (mean cost of each epoch's pass) per labelled trace.

    Parameters
    ----------
    traces : dict of label -> Trace
        One curve of each trace's ``loss`` (epochs,) per label.
    ax : matplotlib Axes, optional
    title : str
    log : bool
        Logarithmic cost axis.

    Returns
    -------
    The Axes.
    """
    if not isinstance(traces, Mapping) or not all(isinstance(t, Trace) for t in traces.values()):
        raise TypeError("traces must be a dict of label -> Trace, e.g. {'the answer': so.train_answer()}")
    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 3.5))
    for (label, trace), style in zip(traces.items(), ["-", "--", "-.", ":"] * 4):
        ax.plot(np.arange(trace.epochs), trace.loss, linestyle=style, label=label)
    ax.set(xlabel="epoch", ylabel="mean cost (mse)", title=title)
    if log:
        ax.set_yscale("log")
    else:
        ax.set_ylim(-0.01, 0.3)
    ax.legend(fontsize=8)
    return ax
