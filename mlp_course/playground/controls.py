"""The playground's ipywidgets, built and laid out: controls, buttons, picture views, status line.

Only construction and layout live here (no callbacks): :mod:`.widget` wires them to a run. A new
view (a network panel) or another size (a projection mode) is a change to this module alone.
"""

from __future__ import annotations

import ipywidgets as widgets

from .config import ACTIVATION_NAMES, BATCH_SIZES, DATASET_NAMES, LOSS_NAMES, RANGES, PlaygroundConfig

VIEW_CLASSES = {"boundary": "mlp-boundary", "loss": "mlp-loss", "hidden": "mlp-hidden"}
"""CSS class of each picture view (the browser tests find the pictures by them)."""


def make_controls(config: PlaygroundConfig) -> dict[str, widgets.ValueWidget]:
    """One widget per config field, keyed by the field's name; descriptions as users see them."""
    style = {"description_width": "92px"}
    layout = widgets.Layout(width="330px")
    slider = {"continuous_update": False, "style": style, "layout": layout}
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
                                       continuous_update=False, style=style, layout=widgets.Layout(width="200px")),
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


def make_views() -> tuple[dict[str, widgets.Image], widgets.HTML]:
    """The PNG views (keyed like :data:`VIEW_CLASSES`) and the status line (CSS class ``mlp-status``)."""
    # Natural pixel size, never stretched to the page width (a stretched PNG is blurry). On a page
    # narrower than the picture, the widgets' CSS max-width: 100% shrinks it with its aspect ratio.
    natural_size = {"align_self": "flex-start", "width": "auto", "height": "auto", "object_fit": "contain"}
    images = {}
    for name, css_class in VIEW_CLASSES.items():
        images[name] = widgets.Image(format="png", layout=widgets.Layout(**natural_size))
        images[name].add_class(css_class)
    status = widgets.HTML()
    status.add_class("mlp-status")
    return images, status


def layout(controls: dict, buttons: dict, images: dict, status: widgets.HTML) -> widgets.VBox:
    """Status on top; below it the controls, the boundary over the loss, and the hidden-neuron maps."""
    c, section = controls, widgets.HTML
    panel = widgets.VBox([
        section("<b>data</b>"), c["dataset"], c["noise"], c["test_fraction"],
        section("<b>network</b>"), c["hidden_layers"], c["units"], c["activation"], c["init_scale"],
        section("<b>training</b>"), c["loss"], c["lr"], c["epochs"], c["batch_size"], c["seed"],
        widgets.HBox([buttons["train"], buttons["more"]]),
        widgets.HBox([buttons["watch"], buttons["reset"]]),
    ])
    views = widgets.VBox([images["boundary"], images["loss"]])
    # A narrow page wraps the pictures below the controls instead of squeezing both.
    row = widgets.HBox([panel, views, images["hidden"]], layout=widgets.Layout(flex_flow="row wrap"))
    root = widgets.VBox([status, row])
    root.add_class("mlp-playground")
    return root
