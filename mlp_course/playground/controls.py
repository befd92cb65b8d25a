"""The playground's ipywidgets, built and laid out: controls, buttons, the pictures, status line.

Only construction and layout live here (no callbacks): :mod:`.widget` wires them to a run. Sliders
send their values while they move (``continuous_update``); the projection mode makes everything
larger (:data:`mlp_course.playground.view.SIZES`, the ``mlp-projection`` CSS class).
"""

from __future__ import annotations

import html
import math

import ipywidgets as widgets

from .config import ACTIVATION_NAMES, BATCH_SIZES, DATASET_NAMES, LOSS_NAMES, RANGES, PlaygroundConfig

VIEW_CLASSES = {"boundary": "mlp-boundary", "loss": "mlp-loss", "hidden": "mlp-hidden", "network": "mlp-network"}
"""CSS class of each picture (a canvas; the browser tests find the pictures by them)."""
CONTROL_WIDTHS = {False: ("330px", "92px", "200px"), True: ("420px", "160px", "300px")}
"""Width of a control, of its description and of the seed box: normal and projection mode (a narrow
column at 22 px, so that the pictures keep most of a 1024 px wide screen)."""


def make_controls(config: PlaygroundConfig, projection: bool = False) -> dict[str, widgets.ValueWidget]:
    """One widget per config field, keyed by the field's name; descriptions as users see them."""
    width, label_width, seed_width = CONTROL_WIDTHS[projection]
    style = {"description_width": label_width}
    layout = widgets.Layout(width=width)
    slider = {"continuous_update": True, "style": style, "layout": layout}
    return {
        "dataset": widgets.Dropdown(options=DATASET_NAMES, value=config.dataset, description="dataset",
                                    style=style, layout=layout),
        "noise": widgets.FloatSlider(value=config.noise, min=0.0, max=0.5, step=0.05, description="noise",
                                     readout_format=".2f", **slider),
        "test_fraction": widgets.FloatSlider(value=config.test_fraction, min=0.0, max=0.8, step=0.05,
                                             description="test fraction", readout_format=".2f", **slider),
        "hidden_layers": widgets.IntSlider(value=config.hidden_layers, min=0, max=4, description="hidden layers",
                                           **slider),
        "units": widgets.IntSlider(value=config.units, min=1, max=8, description="units/layer", **slider),
        "activation": widgets.Dropdown(options=ACTIVATION_NAMES, value=config.activation, description="activation",
                                       style=style, layout=layout),
        "loss": widgets.Dropdown(options=LOSS_NAMES, value=config.loss, description="loss", style=style,
                                 layout=layout),
        "lr": widgets.FloatLogSlider(value=config.lr, base=10, min=-4, max=1, step=0.1, description="learning rate",
                                     readout_format=".3g", **slider),
        "epochs": widgets.IntSlider(value=config.epochs, min=0, max=max(5000, config.epochs), step=10,
                                    description="epochs", **slider),
        "batch_size": widgets.Dropdown(options=[("full batch", 0)] + [(str(b), b) for b in BATCH_SIZES],
                                       value=config.batch_size or 0, description="batch size", style=style,
                                       layout=layout),
        "init_scale": widgets.FloatLogSlider(value=config.init_scale, base=10, min=-2, max=1, step=0.1,
                                             description="init scale", readout_format=".3g", **slider),
        "seed": widgets.BoundedIntText(value=config.seed, min=0, max=RANGES["seed"][1], description="seed",
                                       continuous_update=False, style=style, layout=widgets.Layout(width=seed_width)),
    }


def make_buttons() -> dict[str, widgets.Button]:
    """The four buttons, keyed ``train``, ``more``, ``reset``, ``watch``."""
    return {
        "train": widgets.Button(description="Train", tooltip="train a new network from scratch"),
        "more": widgets.Button(description="Train more",
                               tooltip="continue training the network shown for as many epochs again"),
        "reset": widgets.Button(description="Reset", tooltip="back to the starting configuration"),
        "watch": widgets.Button(description="Watch it train",
                                tooltip="train from scratch, redrawing as it learns (click again to stop)"),
    }


def make_views(projection: bool = False, hint: str | None = None):
    """The pictures (a :class:`~.view.PlaygroundView`), the status line (CSS class ``mlp-status``)
    and the hint line (``mlp-hint``; hidden when ``hint`` is None)."""
    from .view import SIZES, PlaygroundView  # imports anywidget

    view = PlaygroundView(sizes=SIZES["projection" if projection else "normal"])
    view.add_class("mlp-pictures")
    status = widgets.HTML()
    status.add_class("mlp-status")
    hint_line = widgets.HTML(value=html.escape(hint or ""), layout=widgets.Layout(display=None if hint else "none"))
    hint_line.add_class("mlp-hint")
    return view, status, hint_line


def layout(controls: dict, buttons: dict, view, status: widgets.HTML, hint: widgets.HTML,
           projection: bool = False) -> widgets.Box:
    """Normal: the hint and the status on top, below them the controls, then the pictures (a VBox).

    Projection: a grid (CSS in :mod:`.view`) that fits a projected screen from 1024 × 768 up: the
    controls in a column on the left, on the right the hint, the status and the pictures, which the
    view scales to the window's height. A teacher dragging a slider sees the boundary move.
    """
    c, section = controls, widgets.HTML
    panel = widgets.VBox([
        section("<b>data</b>"), c["dataset"], c["noise"], c["test_fraction"],
        section("<b>network</b>"), c["hidden_layers"], c["units"], c["activation"], c["init_scale"],
        section("<b>training</b>"), c["loss"], c["lr"], c["epochs"], c["batch_size"], c["seed"],
        widgets.HBox([buttons["train"], buttons["more"]]),
        widgets.HBox([buttons["watch"], buttons["reset"]]),
    ], layout=widgets.Layout(flex="none"))
    panel.add_class("mlp-controls")
    if projection:
        root = widgets.GridBox([panel, hint, status, view])
        root.add_class("mlp-playground")
        root.add_class("mlp-projection")
        return root
    # A narrow page wraps the pictures below the controls instead of squeezing both.
    row = widgets.HBox([panel, view], layout=widgets.Layout(flex_flow="row wrap", grid_gap="12px"))
    root = widgets.VBox([hint, status, row])
    root.add_class("mlp-playground")
    return root


def widget_values(controls: dict, shown: PlaygroundConfig) -> dict:
    """The controls' values as config values (``batch_size`` 0 means None), echoes of ``shown`` undone.

    A log slider can only hold powers of its base on its step grid: shown ``lr=2``, the browser's
    slider sits at 10^0.3 = 1.995 and, sending its values while it moves, sends that one back when
    it is drawn. A value that is exactly where ``shown``'s value sits on the slider is that value.
    """
    values = {name: control.value for name, control in controls.items()}
    values["batch_size"] = values["batch_size"] or None
    for name, control in controls.items():
        if isinstance(control, widgets.FloatLogSlider) and math.isclose(values[name], _on_grid(control,
                                                                                             getattr(shown, name))):
            values[name] = getattr(shown, name)
    return values


def _on_grid(slider, value: float) -> float:
    """Where a FloatLogSlider shows ``value``: base ** (min + a whole number of steps), within its range."""
    exponent = math.log(value, slider.base)
    steps = round((exponent - slider.min) / slider.step)
    return slider.base ** min(slider.max, max(slider.min, slider.min + steps * slider.step))
