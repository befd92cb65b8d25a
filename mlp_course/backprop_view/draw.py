"""A static picture of a backprop diagram (matplotlib), for where widgets can't render.

The same rules as the browser's drawing (``widget.js``): neurons as circles in columns, weights as
edges coloured by sign (blue +, red −) with width by magnitude; what a node and an edge show
depends on the step reached (:func:`shown`). :func:`draw_step` draws one step on an axes;
:func:`summary_figure` draws the forward pass, the δs flowing back and the updates side by side,
the picture GitHub, nbviewer and nbval see.
"""

from __future__ import annotations

import io

import numpy as np

from .model import BackpropModel

POSITIVE, NEGATIVE, ZERO = "#1f66b0", "#c8312b", "#9a9a9a"
EDGE_LABELS_UP_TO = 8
"""A layer with more edges than this is drawn without edge labels (they would overlap)."""


def fmt(value) -> str:
    """A node's or edge's number, or the list a buggy code holds there."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return "[" + ", ".join(fmt(v) for v in value) + "]"
    return f"{float(value):.3g}"


def positions(sizes: list[int]) -> list[list[tuple[float, float]]]:
    """(x, y) of every neuron, layer by layer: columns 0 .. L, rows centred on y = 0."""
    gap = 1.0  # vertical distance between neurons
    return [[(1.7 * l, ((width - 1) / 2 - k) * gap) for k in range(width)] for l, width in enumerate(sizes)]


def shown(model: BackpropModel, step: int) -> dict:
    """What the diagram shows at ``step``: per weight layer the edge quantity, per layer the node rows."""
    reached = {(s.kind, s.layer) for s in model.steps[:step + 1]}
    current = model.steps[step]
    L = len(model.sizes) - 1
    edges = []
    for l in range(L):
        if ("updated", L) in reached:
            edges.append("w_new")
        elif ("update_layer", l) in reached:
            edges.append("dw")
        elif current.kind == "hidden_delta" and current.layer == l:
            edges.append("flow")
        else:
            edges.append("w")
    forward = [("forward", m) in reached for m in range(L + 1)]
    delta = [False] + [(("output_delta", L) if m == L else ("hidden_delta", m)) in reached for m in range(1, L + 1)]
    bias = [None] + ["b_new" if ("updated", L) in reached else "db" if ("update_layer", m - 1) in reached else "b"
                     for m in range(1, L + 1)]
    return {"edges": edges, "forward": forward, "delta": delta, "bias": bias, "current": current}


def _edge_values(model: BackpropModel, l: int, what: str) -> np.ndarray:
    return {"w": model.weights, "w_new": model.new_weights, "dw": model.weight_steps,
            "flow": model.flows}[what][l]


_EDGE_NAMES = {"w": "w", "w_new": "w", "dw": "Δw", "flow": "w·δ"}


def draw_step(model: BackpropModel, step: int, ax, view: dict | None = None, title: str | None = None) -> None:
    """Draw the diagram at ``step`` (or at an explicit ``view`` from :func:`shown`) on ``ax``."""
    view = view or shown(model, step)
    pos = positions(model.sizes)
    current = view["current"]
    for l, what in enumerate(view["edges"]):
        values = np.asarray(_edge_values(model, l, what), dtype=np.float64)
        biggest = np.max(np.abs(values[np.isfinite(values)]), initial=0.0) or 1.0
        active = (current.layer == l and current.kind in ("hidden_delta", "update_layer"))
        labels = values.size <= EDGE_LABELS_UP_TO
        for k, (x0, y0) in enumerate(pos[l]):
            for j, (x1, y1) in enumerate(pos[l + 1]):
                v = values[k, j]
                colour = POSITIVE if v > 0 else NEGATIVE if v < 0 else ZERO
                width = 0.6 + 5.0 * min(abs(v) / biggest, 1.0) if np.isfinite(v) else 0.6
                ax.plot([x0, x1], [y0, y1], color=colour, lw=width, alpha=0.9 if active else 0.55, zorder=1,
                        ls="--" if what == "flow" else "-")
                if what == "flow":
                    ax.annotate("", xy=(x0 + 0.22, y0 + 0.22 * (y1 - y0)), xytext=(x0 + 0.45, y0 + 0.45 * (y1 - y0)),
                                arrowprops={"arrowstyle": "-|>", "color": colour, "lw": 1.5}, zorder=2)
                if labels:
                    t = 0.68 if model.sizes[l + 1] == 1 else 0.3  # off the crossings and the node boxes
                    ax.text(x0 + t * (x1 - x0), y0 + t * (y1 - y0), f"{_EDGE_NAMES[what]}={fmt(v)}", fontsize=8.5,
                            ha="center", va="center", color=colour, zorder=3,
                            bbox={"boxstyle": "round,pad=0.12", "fc": "white", "ec": "none", "alpha": 0.85})
    L = len(model.sizes) - 1
    for m, layer in enumerate(pos):
        for j, (x, y) in enumerate(layer):
            hot = (current.kind == "forward" and current.layer == m) or (
                current.kind in ("output_delta", "hidden_delta") and current.layer == m)
            ax.add_patch(_circle(x, y, "#ffe9a8" if hot else "white"))
            lines = []
            if view["forward"][m]:
                lines.append(f"{'x' if m == 0 else 'o' if m == L else 'a'}={fmt(model.activations[m][j])}")
            if m > 0 and view["delta"][m]:
                lines.append(f"δ={fmt(model.deltas[m - 1][j])}")
            if m > 0 and model.has_biases:
                kind = view["bias"][m]
                value = {"b": model.biases, "db": model.bias_steps, "b_new": model.new_biases}[kind][m - 1][j]
                lines.append(f"{'Δb' if kind == 'db' else 'b'}={fmt(value)}")
            side = max(model.sizes) > 4  # tall layers: the numbers beside the node, not below it
            ax.text(x + 0.15 if side else x, y if side else y - 0.17, "\n".join(lines), ha="left" if side else "center",
                    va="center" if side else "top", fontsize=9, zorder=5,
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "#bbbbbb", "alpha": 0.9})
            note = model.notes.get(f"{m},{j}")
            if note and view["delta"][m]:
                ax.text(x, y + 0.24, note, ha="center", va="bottom", fontsize=8.5, color="#444444", zorder=5)
    ys = [p[1] for layer in pos for p in layer]
    ax.set_xlim(-0.5, 1.7 * L + 0.5)
    ax.set_ylim(min(ys) - 0.8, max(ys) + 0.45)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_title(title or current.title, fontsize=12)


def _circle(x, y, colour):
    from matplotlib.patches import Circle

    return Circle((x, y), 0.12, fc=colour, ec="#333333", lw=1.2, zorder=4)


def summary_figure(model: BackpropModel):
    """Three panels: the forward pass, the δs flowing back, the updates Δw, Δb (a matplotlib Figure)."""
    from matplotlib.figure import Figure

    kinds = [s.kind for s in model.steps]
    last_forward = max(i for i, k in enumerate(kinds) if k == "forward")
    last_delta = max(i for i, k in enumerate(kinds) if k in ("output_delta", "hidden_delta"))
    last_update = max(i for i, k in enumerate(kinds) if k == "update_layer")
    backward = shown(model, last_delta)
    backward["edges"] = ["w"] + ["flow"] * (len(model.sizes) - 2)
    rows = max(model.sizes) + 0.25  # data units, as in positions
    tall = min(12.0, 1.1 + 5.3 * rows / (1.7 * (len(model.sizes) - 1) + 1.0))
    fig = Figure(figsize=(16, tall), dpi=100, layout="constrained")
    axes = fig.subplots(1, 3)
    draw_step(model, last_forward, axes[0], title="1. forward: activations")
    draw_step(model, last_delta, axes[1], view=backward, title="2. backward: δ, and w·δ along each edge")
    draw_step(model, last_update, axes[2], title="3. update: Δw = −lr·a·δ, Δb = −lr·δ")
    fig.suptitle(model.title, fontsize=13)
    return fig


def summary_png(model: BackpropModel) -> bytes:
    """:func:`summary_figure` as PNG bytes of at most 256 colours: it looks the same at a third of the size."""
    from PIL import Image

    buffer, small = io.BytesIO(), io.BytesIO()
    summary_figure(model).savefig(buffer, format="png")
    Image.open(buffer).convert("RGB").quantize(256).save(small, format="png")
    return small.getvalue()
