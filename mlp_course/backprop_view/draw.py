"""A static picture of a backprop diagram (matplotlib), for where widgets can't render.

The same rules as the browser's drawing (``widget.js``): neurons as circles in columns, weights as
edges coloured by sign (red +, blue −, as in the playground) with width by magnitude; what a node and an edge show
depends on the step reached (:func:`shown`). :func:`draw_step` draws one step on an axes;
:func:`summary_figure` draws the forward pass, the δs flowing back and the updates side by side,
the picture GitHub, nbviewer and nbval see.

Layout: every panel is drawn at one fixed scale (:data:`SCALE` pixels per unit), so text, whose
size is fixed in pixels, keeps its place relative to the nodes. The input layer's numbers stand to
the left of its nodes, the output layer's to the right, a hidden node's below it (beside it in tall
layers); each edge label is put at the first point along its edge where it overlaps no other text,
no node and no other edge, so a label on crossing edges sits on its own edge only
(:func:`place_edge_labels`). The panels are then cut to what they hold and stacked, one above the
other, over a key of what colour, width and dashes mean (:func:`fit`): a notebook shows the picture
about 900 px wide, and at that width its numbers are drawn at their full size (:data:`SHOWN_WIDTH`).
"""

from __future__ import annotations

import io

import numpy as np

from .model import BackpropModel, fmt

POSITIVE, NEGATIVE, ZERO = "#c8312b", "#1f66b0", "#9a9a9a"  # red +, blue −: as the playground and the hidden maps
EDGE_LABELS_UP_TO = 8
"""A layer with more edges than this is drawn without edge labels (they would overlap)."""
DPI = 100
SCALE = 100
"""Pixels per data unit (the distance between two neurons of a layer is about one unit)."""
NODE_RADIUS = 0.12
NODE_FONT, EDGE_FONT, TITLE_FONT, KEY_FONT = 11, 10.5, 12.5, 10.5  # points: 15.3, 14.6, 17.4, 14.6 px at DPI 100
SHOWN_WIDTH = 900
"""About the widest a notebook shows an output image at its own size (JupyterLab's output area on a
1366 × 768 screen; GitHub and nbviewer are similar): the picture is drawn no wider than this for the
diagrams of the course, so its numbers are not scaled down (a digit of 10.5 pt is about 10.6 px tall)."""
FRACTIONS = (0.5, 0.4, 0.6, 0.32, 0.68, 0.25, 0.75, 0.45, 0.55, 0.36, 0.64, 0.2, 0.8, 0.28, 0.72,
             *(round(0.12 + 0.02 * i, 2) for i in range(38)))
"""Where along its edge (0: the neuron feeding, 1: the neuron fed) a label may go, in order of preference
(then every 0.02 from 0.12 to 0.86, for crowded crossings)."""
BATCH_COLUMN_UP_TO = 8
"""A whole batch of at most this many samples shows each input node's column of values."""

__all__ = ["POSITIVE", "NEGATIVE", "ZERO", "fmt", "positions", "shown", "node_lines", "draw_step",
           "place_edge_labels", "fit", "legend", "summary_figure", "summary_png"]


def tall(sizes: list[int]) -> bool:
    """True when a layer has more than 4 neurons: hidden numbers stand beside the nodes, not below."""
    return max(sizes) > 4


def positions(sizes: list[int]) -> list[list[tuple[float, float]]]:
    """(x, y) of every neuron, layer by layer: columns 0 .. L, rows centred on y = 0."""
    # steps between columns, gap between neurons of a column; the layer whose edges carry labels and
    # cross or converge the most gets a wider step, so each label finds room on its own edge
    if tall(sizes):  # only the last layer's few edges are labelled: they converge on the outputs
        steps, gap = [2.15] * (len(sizes) - 2) + [2.8], 0.85
    else:  # the first layer's edges cross
        steps, gap = [2.8] + [2.2] * (len(sizes) - 2), 1.4
    xs = np.concatenate([[0.0], np.cumsum(steps)])
    return [[(float(xs[l]), ((width - 1) / 2 - k) * gap) for k in range(width)] for l, width in enumerate(sizes)]


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
    return {"edges": edges, "forward": forward, "delta": delta, "bias": bias, "current": current,
            "rows": {"value", "delta", "bias", "note"}}


def _edge_values(model: BackpropModel, l: int, what: str) -> np.ndarray:
    return {"w": model.weights, "w_new": model.new_weights, "dw": model.weight_steps,
            "flow": model.flows}[what][l]


_EDGE_NAMES = {"w": "w", "w_new": "w", "dw": "Δw", "flow": "w·δ"}


def node_lines(model: BackpropModel, view: dict, m: int, j: int) -> list[str]:
    """The text of neuron ``j`` of layer ``m`` in ``view``: its value, δ, bias (or Δb) and note, one per line."""
    L, rows, lines = len(model.sizes) - 1, view["rows"], []
    batch = model.inputs is not None
    if view["forward"][m] and "value" in rows:
        if m == 0 and batch and len(model.inputs) <= BATCH_COLUMN_UP_TO:
            lines.append(f"x={fmt(model.inputs[:, j])}")  # each sample's x: the batch is not its mean
        elif m == 0 and batch:
            lines.append(f"x: {len(model.inputs)} samples, mean {fmt(model.activations[0][j])}")
        else:
            name = "x" if m == 0 else "o" if m == L else "a"
            lines.append(f"{'mean ' if batch else ''}{name}={fmt(model.activations[m][j])}")
    if m > 0 and view["delta"][m] and "delta" in rows:
        lines.append(f"δ={fmt(model.deltas[m - 1][j])}")
    if m > 0 and model.has_biases and "bias" in rows:
        kind = view["bias"][m]
        value = {"b": model.biases, "db": model.bias_steps, "b_new": model.new_biases}[kind][m - 1][j]
        lines.append(f"{'Δb' if kind == 'db' else 'b'}={fmt(value)}")
    note = model.notes.get(f"{m},{j}")
    if note and m > 0 and view["delta"][m] and "note" in rows:
        lines.append(note)
    return lines


def draw_step(model: BackpropModel, step: int, ax, view: dict | None = None, title: str | None = None,
              renderer=None) -> None:
    """Draw the diagram at ``step`` (or at an explicit ``view`` from :func:`shown`) on ``ax``.

    ``ax`` should span :data:`SCALE` pixels per data unit in x and y (as :func:`summary_figure` sets);
    with a ``renderer`` the edge labels are placed clear of each other and of the nodes' text.
    """
    view = view or shown(model, step)
    pos = positions(model.sizes)
    current = view["current"]
    L = len(model.sizes) - 1
    side = tall(model.sizes)
    labels = []  # (text, x0, y0, x1, y1) of every edge label, placed once the nodes' text is down
    for l, what in enumerate(view["edges"]):
        values = np.asarray(_edge_values(model, l, what), dtype=np.float64)
        biggest = np.max(np.abs(values[np.isfinite(values)]), initial=0.0) or 1.0
        active = (current.layer == l and current.kind in ("hidden_delta", "update_layer"))
        for k, (x0, y0) in enumerate(pos[l]):
            for j, (x1, y1) in enumerate(pos[l + 1]):
                v = values[k, j]
                colour = POSITIVE if v > 0 else NEGATIVE if v < 0 else ZERO
                width = 0.6 + 5.0 * min(abs(v) / biggest, 1.0) if np.isfinite(v) else 0.6
                ax.plot([x0, x1], [y0, y1], color=colour, lw=width, alpha=0.9 if active else 0.55, zorder=1,
                        ls="--" if what == "flow" else "-", solid_capstyle="butt")
                if what == "flow":
                    ax.annotate("", xy=(x0 + 0.8 * (x1 - x0), y0 + 0.8 * (y1 - y0)),
                                xytext=(x0 + 0.9 * (x1 - x0), y0 + 0.9 * (y1 - y0)),
                                arrowprops={"arrowstyle": "-|>", "color": colour, "lw": 1.5, "mutation_scale": 24},
                                zorder=2)  # near the neuron fed, clear of the boxes by the neurons fed into
                if values.size <= EDGE_LABELS_UP_TO:
                    name = model.flow_name if what == "flow" else _EDGE_NAMES[what]
                    text = ax.text(x0, y0, f"{name}={fmt(v)}", fontsize=EDGE_FONT, ha="center",
                                   va="center", color=colour, zorder=3,
                                   bbox={"boxstyle": "round,pad=0.12", "fc": "white", "ec": "none", "alpha": 0.9})
                    labels.append((text, x0, y0, x1, y1))
    taken = []  # pixel boxes of the nodes and of their text
    for m, layer in enumerate(pos):
        for j, (x, y) in enumerate(layer):
            hot = (current.kind == "forward" and current.layer == m) or (
                current.kind in ("output_delta", "hidden_delta") and current.layer == m)
            circle = _circle(x, y, "#ffe9a8" if hot else "white")
            ax.add_patch(circle)
            if renderer is not None:
                taken.append(circle.get_window_extent(renderer).padded(2))
            lines = node_lines(model, view, m, j)
            if not lines:
                continue
            if m == 0:  # the inputs: left of the node, where no edge runs
                where = {"x": x - NODE_RADIUS - 0.05, "y": y, "ha": "right", "va": "center"}
            elif m == L or side:  # the outputs (and tall layers): right of the node
                where = {"x": x + NODE_RADIUS + 0.05, "y": y, "ha": "left", "va": "center"}
            else:
                where = {"x": x, "y": y - NODE_RADIUS - 0.06, "ha": "center", "va": "top"}
            text = ax.text(where.pop("x"), where.pop("y"), "\n".join(lines), fontsize=NODE_FONT, zorder=5,
                           linespacing=1.25, **where,
                           bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "#bbbbbb", "alpha": 0.92})
            if renderer is not None:
                taken.append(text.get_window_extent(renderer).padded(3))
    if renderer is not None:
        ends = [tuple(map(tuple, ax.transData.transform(line.get_xydata()))) for line in ax.lines]
        place_edge_labels(labels, taken, renderer, ends)
    else:
        for text, x0, y0, x1, y1 in labels:
            text.set_position((x0 + 0.4 * (x1 - x0), y0 + 0.4 * (y1 - y0)))
    ax.set_axis_off()
    ax.set_title(title or current.title, fontsize=TITLE_FONT)


def place_edge_labels(labels: list, taken: list, renderer, edges: list | None = None) -> None:
    """Put each edge label at the first of :data:`FRACTIONS` along its edge where its box is clear.

    ``labels``: (Text, x0, y0, x1, y1) with the edge's ends in data units; ``taken``: pixel Bboxes
    already occupied (nodes, their text), extended with each label placed; ``edges``: every edge drawn,
    its ends in pixels ((x0, y0), (x1, y1)), labelled or not. Clear means
    overlapping no box of ``taken`` and crossed by no edge but its own (so a label near where two
    edges cross is not put there: it would read as either's). Where no fraction is clear, the one
    overlapping least text (then crossing fewest edges) is used.
    """
    for text, x0, y0, x1, y1 in labels:
        own = tuple(map(tuple, text.axes.transData.transform([(x0, y0), (x1, y1)])))
        others = [edge for edge in edges or [] if edge != own]
        best, best_key = None, None
        for t in FRACTIONS:
            text.set_position((x0 + t * (x1 - x0), y0 + t * (y1 - y0)))
            box = text.get_window_extent(renderer).padded(2)
            key = (sum(_overlap(box, other) for other in taken), sum(_crosses(box, *edge) for edge in others))
            if best_key is None or key < best_key:
                best, best_key = (t, box), key
            if key == (0, 0):
                break
        t, box = best
        text.set_position((x0 + t * (x1 - x0), y0 + t * (y1 - y0)))
        taken.append(box)


def _crosses(box, start, end) -> bool:
    """True when the segment from ``start`` to ``end`` (pixels) passes through ``box`` (Liang–Barsky clipping)."""
    low, high = 0.0, 1.0
    for origin, step, lo, hi in ((start[0], end[0] - start[0], box.x0, box.x1),
                                 (start[1], end[1] - start[1], box.y0, box.y1)):
        if step == 0:
            if not lo <= origin <= hi:
                return False
            continue
        t0, t1 = sorted(((lo - origin) / step, (hi - origin) / step))
        low, high = max(low, t0), min(high, t1)
        if low > high:
            return False
    return True


def _overlap(a, b) -> float:
    """Area (pixels²) where two boxes overlap."""
    return max(0.0, min(a.x1, b.x1) - max(a.x0, b.x0)) * max(0.0, min(a.y1, b.y1) - max(a.y0, b.y0))


def _circle(x, y, colour):
    from matplotlib.patches import Circle

    return Circle((x, y), NODE_RADIUS, fc=colour, ec="#333333", lw=1.2, zorder=4)


def _place(ax, left: float, bottom: float, xlim: tuple, ylim: tuple, fig_size: tuple) -> None:
    """Axes at (left, bottom) inches showing ``xlim`` × ``ylim`` at :data:`SCALE` pixels per unit."""
    width, height = (xlim[1] - xlim[0]) * SCALE / DPI, (ylim[1] - ylim[0]) * SCALE / DPI
    ax.set_position([left / fig_size[0], bottom / fig_size[1], width / fig_size[0], height / fig_size[1]])
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)


def fit(fig, axes, renderer, title=None, key=None, gap: float = 0.15, margin: float = 0.08) -> None:
    """Cut the panels to what they hold and stack them, at one scale, nodes aligned, over the ``key`` (inches).

    Every panel gets the same x range (so a neuron stands at the same x in each), and its own y range;
    each panel's title goes above it, the figure's ``title`` (a suptitle Text) above them all.
    """
    boxes = []
    for ax in axes:
        extents = [a.get_window_extent(renderer) for a in ax.texts + ax.patches + ax.lines]
        lower = ax.transData.inverted().transform((min(e.x0 for e in extents) - 6, min(e.y0 for e in extents) - 6))
        upper = ax.transData.inverted().transform((max(e.x1 for e in extents) + 6, max(e.y1 for e in extents) + 6))
        boxes.append((lower, upper))
    xlim = (min(b[0][0] for b in boxes), max(b[1][0] for b in boxes))
    inches = [(xlim[1] - xlim[0]) * SCALE / DPI] + [ax.title.get_window_extent(renderer).width / DPI for ax in axes]
    heads = [ax.title.get_window_extent(renderer).height / DPI + 0.15 for ax in axes]  # a title and its pad
    top = 0.1 if title is None else title.get_window_extent(renderer).height / DPI + 0.12
    if title is not None:
        inches.append(title.get_window_extent(renderer).width / DPI)
    bottom = margin if key is None else key.get_window_extent(renderer).height / DPI + 2 * margin
    if key is not None:
        inches.append(key.get_window_extent(renderer).width / DPI)
    panels = [(b[1][1] - b[0][1]) * SCALE / DPI for b in boxes]
    width = max(inches) + 2 * margin
    height = top + sum(heads) + sum(panels) + gap * (len(axes) - 1) + bottom
    fig.set_size_inches(width, height)
    left = (width - (xlim[1] - xlim[0]) * SCALE / DPI) / 2
    level = height - top
    for ax, head, panel, (lower, upper) in zip(axes, heads, panels, boxes):
        level -= head + panel
        _place(ax, left, level, xlim, (lower[1], upper[1]), (width, height))
        level -= gap
    if title is not None:
        title.set_y(1 - 0.06 / height)
    if key is not None:
        key.set_bbox_to_anchor((0.5, margin / height), transform=fig.transFigure)


def legend(fig):
    """The key under the panels: what an edge's colour, width and dashes mean (a matplotlib Legend)."""
    from matplotlib.legend_handler import HandlerTuple
    from matplotlib.lines import Line2D

    def edge(colour, width=3.0, style="-"):
        return Line2D([], [], color=colour, lw=width, ls=style, solid_capstyle="butt")

    handles = [(edge(POSITIVE), edge(NEGATIVE), edge(ZERO)), (edge(ZERO, 0.6), edge(ZERO, 5.6)),
               edge(POSITIVE, 2.5, "--")]
    labels = ["colour: the value's sign (red > 0, blue < 0, grey 0)",
              "width: its size |value|, relative to the largest in its layer",
              "dashed (panel 2): what is sent back (w·δ), the way its arrow points"]
    return fig.legend(handles, labels, loc="lower center", fontsize=KEY_FONT, frameon=False, handlelength=4,
                      handler_map={tuple: HandlerTuple(ndivide=None, pad=0.4)}, borderaxespad=0, labelspacing=0.3)


def summary_figure(model: BackpropModel):
    """Three panels, one above the other: the forward pass, the δs flowing back, the updates Δw, Δb, and a key.

    A tall network (layers of more than 4) shows in each panel only that panel's numbers (a and b,
    then δ, then Δb), so every node's text fits beside it. The update panel's title is the model's own
    :attr:`~.model.BackpropModel.update_rule` (the question's sign at the rungs that add their step;
    sums over a whole batch).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    kinds = [s.kind for s in model.steps]
    last_forward = max(i for i, k in enumerate(kinds) if k == "forward")
    last_delta = max(i for i, k in enumerate(kinds) if k in ("output_delta", "hidden_delta"))
    last_update = max(i for i, k in enumerate(kinds) if k == "update_layer")
    views = [shown(model, last_forward), shown(model, last_delta), shown(model, last_update)]
    views[1]["edges"] = ["w"] + ["flow"] * (len(model.sizes) - 2)
    if tall(model.sizes):
        views[0]["rows"], views[1]["rows"], views[2]["rows"] = {"value", "bias"}, {"delta", "note"}, {"bias"}
    # first pass: generous limits at the final scale, so every text's place in pixels is its final one
    pos = positions(model.sizes)
    xs, ys = [p[0] for layer in pos for p in layer], [p[1] for layer in pos for p in layer]
    xlim, ylim = (min(xs) - 4.0, max(xs) + 4.0), (min(ys) - 2.5, max(ys) + 1.5)
    panel = ((xlim[1] - xlim[0]) * SCALE / DPI, (ylim[1] - ylim[0]) * SCALE / DPI)
    fig = Figure(figsize=(panel[0] + 1, 3 * panel[1] + 1), dpi=DPI)
    FigureCanvasAgg(fig)
    renderer = fig.canvas.get_renderer()
    axes = [fig.add_axes([0, 0, 1, 1]) for _ in range(3)]
    for i, ax in enumerate(axes):
        _place(ax, 0.5, 0.5 + i * panel[1], xlim, ylim, fig.get_size_inches())
    titles = ["1. forward: activations" + (" (means over the batch)" if model.inputs is not None else ""),
              ("2. backward: δ, and w·δ along each edge" if model.flow_name == "w·δ" else
               f"2. backward: δ; {model.flow_name} = lr·δ·h · (w already updated), bug 4"),
              f"3. update: {model.update_rule}"]
    steps = [last_forward, last_delta, last_update]
    for ax, step, view, title in zip(axes, steps, views, titles):
        draw_step(model, step, ax, view=view, title=title, renderer=renderer)
    fit(fig, axes, renderer, title=fig.suptitle(model.title, fontsize=TITLE_FONT + 1, va="top"), key=legend(fig))
    return fig


def summary_png(model: BackpropModel) -> bytes:
    """:func:`summary_figure` as PNG bytes of at most 256 colours (no dithering): it looks the same, far smaller.

    The palette is chosen by maximum coverage, which keeps a colour that only a few pixels have (the
    key's blue where no edge is negative); median cut would merge it into its neighbours.
    """
    from PIL import Image

    buffer, small = io.BytesIO(), io.BytesIO()
    summary_figure(model).savefig(buffer, format="png", dpi=DPI)
    Image.open(buffer).convert("RGB").quantize(256, method=Image.Quantize.MAXCOVERAGE,
                                               dither=Image.Dither.NONE).save(small, format="png", optimize=True)
    return small.getvalue()
