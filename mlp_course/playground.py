"""The playground: train a small network on 2-D data with sliders, and watch what it learns.

>>> import mlp_course as mc
>>> ui = mc.playground()           # trains the XOR defaults and draws them at once
>>> ui                             # (last line of a cell) shows the controls and the pictures
>>> ui.set(lr=10.0, loss="bce")    # the same update path the widgets use
>>> print(ui.status)
>>> ui.config_string               # paste it into mc.playground(config=...) to get the same run back

How it stays dependable in a classroom:

- Pictures are PNG bytes rendered off-screen (Agg) and set as ``ipywidgets.Image`` values: they are
  part of the widget state, so they are there the moment the widget is shown. No ``Output`` widget,
  no ``plt.show``.
- Every change goes through one path: the widgets' values become a :class:`PlaygroundConfig`,
  normalised (floats rounded to 4 significant digits); if it equals the config already shown or
  being trained, nothing happens. A browser echoing ``1.0000000000000002`` for ``1.0`` therefore
  causes no second redraw.
- Training runs in chunks of about :data:`CHUNK` gradient steps. From a widget, a run not finished after
  :data:`SYNC_SECONDS` continues as an asyncio task on the kernel's event loop, which hands control
  back between chunks: the status shows the progress and a click (Stop, another setting) is
  processed at once. "Watch it train" always runs that way and redraws every few epochs.
- Chunking never changes the result: full-batch gradient descent has no randomness, and mini-batch
  epochs are shuffled with a seed made from (seed, epoch). A config therefore restores exactly.
- A run that blows up is stopped and reported in words (see :data:`DIVERGENCE_FACTOR`).
"""

from __future__ import annotations

import asyncio
import html
import math
import numbers
import re
import time
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, fields, replace

import ipywidgets as widgets
import numpy as np

from .datasets import DATASETS, train_test_split
from .network import MLP
from .playground_render import Renderer
from .training import XOR_DEFAULTS, History, accuracy, train

DATASET_NAMES = ("xor", "circle", "gauss", "spiral", "moons")
ACTIVATION_NAMES = ("sigmoid", "tanh", "relu")
LOSS_NAMES = ("mse", "bce")
BATCH_SIZES = (1, 2, 4, 8, 16, 32, 64, 128)
"""Mini-batch sizes offered besides full batch (``batch_size=None``)."""
N_POINTS = 200
"""Points generated for every dataset except xor (the seed's four points)."""
MAX_EPOCHS = 100_000
"""Largest epoch count a config may hold ("Train more" adds up); the slider shows up to 5000."""
CHUNK = 50
"""Gradient steps (at least one epoch) between two chances to update the status or be interrupted:
50 full-batch epochs, or one epoch of 50 or more mini-batches."""
DEFAULT_MORE_EPOCHS = 100
""""Train more" after a run of 0 epochs (otherwise it adds as many epochs as that run had)."""
WATCH_FRAMES = 40
""""Watch it train" redraws about this many times."""
SYNC_SECONDS = 0.3
"""A widget-triggered run still going after this long continues in the background."""
DIVERGENCE_FACTOR = 3.0
"""A run counts as diverged when its training loss rises above this multiple of the untrained
network's loss, or when the loss or a weight becomes NaN/infinite (:attr:`History.diverged`).
Healthy gradient descent lowers the loss; a step so large that it triples it has overshot.
Example: learning rate 10 with loss "bce" (the rest default) diverges within a few epochs on xor,
circle and spiral. With "mse" the sigmoid output saturates instead, so lr 10 does not diverge."""

_RANGES = {
    "noise": (0.0, 0.5),
    "test_fraction": (0.0, 0.8),
    "hidden_layers": (0, 4),
    "units": (1, 8),
    "lr": (1e-4, 10.0),
    "epochs": (0, MAX_EPOCHS),
    "init_scale": (0.01, 10.0),
    "seed": (0, 99_999),
}


@dataclass(frozen=True)
class PlaygroundConfig:
    """Everything that determines a playground run: the same config gives the same network.

    ``noise`` and ``test_fraction`` do not apply to ``xor`` (the seed's four points, all used for
    training). ``test_fraction`` 0 means no test set; ``batch_size`` None means full batch.
    """

    dataset: str = "xor"
    noise: float = 0.1
    test_fraction: float = 0.3
    hidden_layers: int = 1
    units: int = XOR_DEFAULTS["sizes"][1]
    activation: str = XOR_DEFAULTS["activation"]
    loss: str = XOR_DEFAULTS["loss"]
    lr: float = XOR_DEFAULTS["lr"]
    epochs: int = XOR_DEFAULTS["epochs"]
    batch_size: int | None = None
    init_scale: float = 1.0
    seed: int = 1  # seed 0 of the XOR recipe lands in a local minimum: a good experiment, a bad default

    @classmethod
    def parse(cls, config=None) -> PlaygroundConfig:
        """A validated, normalised config from a dict, a config string, a config, or None (defaults).

        Missing keys take their defaults. Raises ``ValueError`` naming the bad key and its range.
        """
        if config is None:
            return cls()
        if isinstance(config, PlaygroundConfig):
            return cls.parse(asdict(config))
        if isinstance(config, str):
            return cls.parse(_parse_string(config))
        if not isinstance(config, Mapping):
            raise ValueError(f"config must be a dict or a config string such as {cls().to_string()!r}, "
                             f"got {type(config).__name__}")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(config) - known)
        if unknown:
            raise ValueError(f"unknown config key(s) {unknown}; expected some of {sorted(known)}")
        values = {**asdict(cls()), **config}
        return cls(**{name: _check_field(name, value) for name, value in values.items()})

    def to_string(self) -> str:
        """``"dataset=xor noise=0.1 … seed=1"``: pasteable into ``mc.playground(config=...)``."""
        return " ".join(f"{key}={_format_value(value)}" for key, value in asdict(self).items())

    @property
    def sizes(self) -> list[int]:
        """Layer widths of the network: 2 inputs, the hidden layers, 1 output."""
        return [2] + [self.units] * self.hidden_layers + [1]


def _format_value(value) -> str:
    if value is None:
        return "full"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _parse_string(text: str) -> dict:
    """``"key=value key=value"`` (spaces, commas or semicolons between pairs) into a dict."""
    pairs = [p for p in re.split(r"[\s,;]+", text.strip()) if p]
    result = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key or not value:
            raise ValueError(f"config string entries must look like key=value, got {pair!r} in {text!r}")
        result[key] = _parse_scalar(key, value)
    return result


def _parse_scalar(key: str, value: str):
    if key in ("dataset", "activation", "loss"):
        return value
    if key == "batch_size" and value in ("full", "None", "none"):
        return None
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"config {key} must be a number, got {value!r}") from None
    return int(number) if key in _INT_FIELDS and number.is_integer() else number


_INT_FIELDS = ("hidden_layers", "units", "epochs", "seed", "batch_size")
_CHOICES = {"dataset": DATASET_NAMES, "activation": ACTIVATION_NAMES, "loss": LOSS_NAMES}


def _check_field(name: str, value):
    """Validate and normalise one config value; ``ValueError`` with the allowed values otherwise."""
    if name in _CHOICES:
        if value not in _CHOICES[name]:
            raise ValueError(f"config {name} must be one of {list(_CHOICES[name])}, got {value!r}")
        return value
    if name == "batch_size":
        if value is None or (isinstance(value, str) and value == "full"):
            return None
        if not _is_int(value) or int(value) not in BATCH_SIZES:
            raise ValueError(f"config batch_size must be None (full batch) or one of {list(BATCH_SIZES)}, "
                             f"got {value!r}")
        return int(value)
    lo, hi = _RANGES[name]
    if name in _INT_FIELDS:
        if not _is_int(value) or not lo <= value <= hi:
            raise ValueError(f"config {name} must be an integer from {lo} to {hi}, got {value!r}")
        return int(value)
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise ValueError(f"config {name} must be a number from {lo:g} to {hi:g}, got {value!r}")
    value = _round(float(value), name)
    if not lo <= value <= hi:
        raise ValueError(f"config {name} must be a number from {lo:g} to {hi:g}, got {value!r}")
    return value


def _is_int(value) -> bool:
    return not isinstance(value, (bool, np.bool_)) and isinstance(value, numbers.Integral)


def _round(value: float, name: str) -> float:
    """Round away float noise so an echoed 1.0000000000000002 compares equal to 1.0."""
    if name in ("noise", "test_fraction"):
        return round(value, 4) + 0.0
    return float(f"{value:.4g}")  # lr, init_scale: 4 significant digits


@dataclass
class PlaygroundData:
    """The points of one run: training part always, test part unless ``test_fraction`` is 0 or xor."""

    X_train: np.ndarray  # (n_train, 2)
    y_train: np.ndarray  # (n_train, 1)
    X_test: np.ndarray | None  # (n_test, 2)
    y_test: np.ndarray | None  # (n_test, 1)


def make_data(config: PlaygroundConfig) -> PlaygroundData:
    """The dataset of ``config``: generated with ``config.seed``, split with ``config.seed``."""
    if config.dataset == "xor":
        X, y = DATASETS["xor"]()
        return PlaygroundData(X, y, None, None)
    X, y = DATASETS[config.dataset](n=N_POINTS, noise=config.noise, seed=config.seed)
    if config.test_fraction == 0:
        return PlaygroundData(X, y, None, None)
    X_train, X_test, y_train, y_test = train_test_split(X, y, config.test_fraction, seed=config.seed)
    return PlaygroundData(X_train, y_train, X_test, y_test)


def make_network(config: PlaygroundConfig) -> MLP:
    """The untrained network of ``config``: hidden layers of ``units``, sigmoid output."""
    return MLP(config.sizes, config.activation, "sigmoid", init="normal", init_scale=config.init_scale,
               seed=config.seed)


def _epoch_seed(seed: int, epoch: int) -> int:
    """The mini-batch shuffling seed of one epoch: independent of how epochs are chunked."""
    return int(np.random.SeedSequence([seed, epoch]).generate_state(1)[0])


class Run:
    """One network being trained with one config: its data, its history, whether it diverged.

    Attributes
    ----------
    config : PlaygroundConfig
    data : PlaygroundData
    net : MLP
    history : History
        ``loss[i]``/``val_loss[i]``: training/test loss after epoch i (0-based). ``diverged_at``
        (0-based) is set when the run diverged (NaN/inf, or the loss rose above DIVERGENCE_FACTOR ×
        its start); learners see it counted from 1, see :attr:`diverged_epoch`.
    initial_loss : float
        Training loss of the untrained network.
    """

    def __init__(self, config: PlaygroundConfig) -> None:
        self.config = config
        self.data = make_data(config)
        self.net = make_network(config)
        self.history = History(loss_name=config.loss)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            self.initial_loss = self.net.loss(self.data.X_train, self.data.y_train, config.loss)
        self.blew_up = False  # True: diverged because the loss grew, not because it became NaN/inf

    @property
    def epoch(self) -> int:
        """Epochs trained so far."""
        return self.history.epochs

    @property
    def diverged(self) -> bool:
        return self.history.diverged

    @property
    def diverged_epoch(self) -> int | None:
        """The 1-based number of the epoch whose step broke the run (``history.diverged_at + 1``), or None.

        Learners count epochs from 1, like the loss plot's axis; the network shown is the one from
        before that epoch, after ``diverged_epoch - 1`` epochs.
        """
        return None if self.history.diverged_at is None else self.history.diverged_at + 1

    def steps(self, stop: int) -> Iterator[int]:
        """Train up to epoch ``stop``, one chunk at a time; yield the epoch reached after each chunk.

        The chunks never change the result: full-batch descent has no randomness, mini-batch epochs
        are shuffled with a seed made of (seed, epoch), and divergence is found epoch by epoch.
        """
        while self.epoch < stop and not self.diverged:
            self._train_until(min(stop, self.epoch + self.chunk_epochs))
            yield self.epoch

    @property
    def chunk_epochs(self) -> int:
        """Epochs per chunk: about :data:`CHUNK` gradient steps, at least one epoch."""
        if self.config.batch_size is None:
            return CHUNK
        steps_per_epoch = math.ceil(len(self.data.X_train) / self.config.batch_size)
        return max(1, CHUNK // steps_per_epoch)

    def train_to(self, stop: int) -> None:
        """Train up to epoch ``stop`` (or until divergence) without interruption."""
        for _ in self.steps(stop):
            pass

    def _train_until(self, end: int) -> None:
        """Train from the current epoch to ``end``; on a blow-up, keep the network from just before it."""
        start = self.epoch
        before = self.net.copy()
        self._train_range(start, end)
        blow_up = self._first_blow_up(start)
        if blow_up is None:
            return
        # Redo the chunk up to the bad epoch (training is deterministic), like train() does for NaN.
        self.net = before
        self._truncate(start)
        self._train_range(start, blow_up)
        self.history.diverged, self.history.diverged_at, self.blew_up = True, blow_up, True

    def _train_range(self, start: int, end: int) -> None:
        cfg, data = self.config, self.data
        options = {"lr": cfg.lr, "loss": cfg.loss, "X_val": data.X_test, "y_val": data.y_test}
        if end <= start:
            return
        if cfg.batch_size is None:
            self._append(train(self.net, data.X_train, data.y_train, epochs=end - start, **options))
            return
        for epoch in range(start, end):
            self._append(train(self.net, data.X_train, data.y_train, epochs=1, batch_size=cfg.batch_size,
                               seed=_epoch_seed(cfg.seed, epoch), **options))
            if self.history.diverged:
                return

    def _append(self, part: History) -> None:
        h = self.history
        if part.diverged and not h.diverged:
            h.diverged, h.diverged_at = True, h.epochs + part.diverged_at
        h.loss += part.loss
        h.accuracy += part.accuracy
        h.val_loss += part.val_loss
        h.val_accuracy += part.val_accuracy

    def _truncate(self, epochs: int) -> None:
        h = self.history
        h.loss, h.accuracy = h.loss[:epochs], h.accuracy[:epochs]
        h.val_loss, h.val_accuracy = h.val_loss[:epochs], h.val_accuracy[:epochs]
        h.diverged, h.diverged_at = False, None

    def _first_blow_up(self, start: int) -> int | None:
        """The first epoch from ``start`` on whose loss exceeds DIVERGENCE_FACTOR × the initial loss."""
        if self.history.diverged:
            return None
        limit = DIVERGENCE_FACTOR * self.initial_loss
        return next((epoch for epoch in range(start, self.epoch) if self.history.loss[epoch] > limit), None)

    def status(self) -> str:
        """One line of plain text: epoch, losses, accuracies, and divergence in words."""
        X, y, X_test, y_test = self.data.X_train, self.data.y_train, self.data.X_test, self.data.y_test
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            parts = [f"epoch {self.epoch}" + (" (untrained)" if self.epoch == 0 else ""),
                     f"train loss {_loss_text(self.net.loss(X, y, self.config.loss))}",
                     f"train accuracy {accuracy(self.net, X, y):.0%}"]
            if X_test is not None:
                parts += [f"test loss {_loss_text(self.net.loss(X_test, y_test, self.config.loss))}",
                          f"test accuracy {accuracy(self.net, X_test, y_test):.0%}"]
        line = " · ".join(parts)
        if not self.diverged:
            return line
        why = (f"the loss rose above {DIVERGENCE_FACTOR:g}× its starting value" if self.blew_up
               else "the loss or a weight became infinite")
        return f"diverged at epoch {self.diverged_epoch} — lower the learning rate ({why}) · shown: {line}"


def _loss_text(value: float) -> str:
    return f"{value:.4f}" if math.isfinite(value) and value >= 1e-3 else f"{value:.2e}"


def _make_controls(config: PlaygroundConfig) -> dict[str, widgets.Widget]:
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
        "seed": widgets.BoundedIntText(value=config.seed, min=0, max=_RANGES["seed"][1], description="seed",
                                       continuous_update=False, style=style, layout=widgets.Layout(width="200px")),
    }


class Playground:
    """Sliders and pictures around one small network; see the module docstring.

    Parameters
    ----------
    config : dict, str, PlaygroundConfig or None
        Starting configuration (missing keys take the defaults: XOR, [2, 4, 1] tanh, lr 2).

    Attributes
    ----------
    widget : ipywidgets.VBox
        The root container; displaying the playground displays it.
    controls : dict of str -> ipywidgets widget
        One control per config key.
    boundary_image, loss_image, hidden_image : ipywidgets.Image
        PNG views (CSS classes ``mlp-boundary``, ``mlp-loss``, ``mlp-hidden``).
    status_html : ipywidgets.HTML
        The status line (CSS class ``mlp-status``).
    """

    def __init__(self, config=None) -> None:
        self._initial = PlaygroundConfig.parse(config)
        self._renderer = Renderer()
        self._task: asyncio.Task | None = None
        self._quiet = False  # True while the code (not the user) sets widget values
        self._watching = False
        self._more_epochs = self._initial.epochs
        self._status_text = ""
        self._progress = ""
        self.controls = _make_controls(self._initial)
        self.train_button = widgets.Button(description="Train", tooltip="train a new network from scratch")
        self.more_button = widgets.Button(description="Train more",
                                          tooltip="continue training the network shown for as many epochs again")
        self.reset_button = widgets.Button(description="Reset", tooltip="back to the starting configuration")
        self.watch_button = widgets.Button(description="Watch it train",
                                           tooltip="train from scratch, redrawing as it learns (click again to stop)")
        # Natural pixel size, never stretched to the page width (a stretched PNG is blurry). On a page
        # narrower than the picture, the widgets' CSS max-width: 100% shrinks it with its aspect ratio.
        natural_size = {"align_self": "flex-start", "width": "auto", "height": "auto", "object_fit": "contain"}
        self.boundary_image = widgets.Image(format="png", layout=widgets.Layout(**natural_size))
        self.loss_image = widgets.Image(format="png", layout=widgets.Layout(**natural_size))
        self.hidden_image = widgets.Image(format="png", layout=widgets.Layout(**natural_size))
        self.status_html = widgets.HTML()
        self.boundary_image.add_class("mlp-boundary")
        self.loss_image.add_class("mlp-loss")
        self.hidden_image.add_class("mlp-hidden")
        self.status_html.add_class("mlp-status")
        self.widget = self._layout()
        self._run = Run(self._initial)
        self._target = self._initial  # the config shown, or being trained right now
        self._run.train_to(self._initial.epochs)
        self._draw()
        self._update_enabled()
        for control in self.controls.values():
            control.observe(self._on_control, names="value")
        self.train_button.on_click(lambda _: self._guarded(self._on_train))
        self.more_button.on_click(lambda _: self._guarded(self._on_more))
        self.reset_button.on_click(lambda _: self._guarded(self._on_reset))
        self.watch_button.on_click(lambda _: self._guarded(self._on_watch))

    # ------------------------------------------------------------------ public
    @property
    def config(self) -> dict:
        """The configuration of the network shown, as a short dict (see :class:`PlaygroundConfig`)."""
        return asdict(self._run.config)

    @property
    def config_string(self) -> str:
        """:attr:`config` as a pasteable string: ``mc.playground(config=ui.config_string)``."""
        return self._run.config.to_string()

    @property
    def status(self) -> str:
        """The status line as plain text."""
        return self._status_text

    @property
    def network(self) -> MLP:
        """The network shown (trained in place by the playground: copy it to keep it)."""
        return self._run.net

    @property
    def history(self) -> History:
        """Loss and accuracy per epoch of the network shown."""
        return self._run.history

    @property
    def data(self) -> PlaygroundData:
        """The training and test points shown."""
        return self._run.data

    @property
    def diverged(self) -> bool:
        """Whether the run shown diverged (see :data:`DIVERGENCE_FACTOR`)."""
        return self._run.diverged

    @property
    def diverged_epoch(self) -> int | None:
        """The epoch (counted from 1) whose step made the run diverge, as the status and the loss plot
        show it; None if it did not diverge. ``history.diverged_at`` is the same epoch counted from 0."""
        return self._run.diverged_epoch

    @property
    def images(self) -> dict[str, bytes]:
        """The PNG bytes of the three views: ``boundary``, ``loss``, ``hidden``."""
        return {"boundary": self.boundary_image.value, "loss": self.loss_image.value,
                "hidden": self.hidden_image.value}

    def set(self, **changes) -> None:
        """Change controls (config keys, e.g. ``lr=0.5, dataset="spiral"``), retrain from scratch, redraw.

        Runs to the end before returning (a notebook cell can print :attr:`status` next). Raises
        ``ValueError`` for an unknown key or a value out of range, and changes nothing then.
        """
        config = PlaygroundConfig.parse({**asdict(self._target), **changes})
        self._cancel()
        self._show_controls(config)
        self._start_run(config, background=False)

    def update(self) -> None:
        """Read the widgets and retrain if their values differ from the config shown (what a slider does)."""
        self._apply_widgets(background=False)

    def train_more(self, epochs: int | None = None) -> None:
        """Continue training the network shown for ``epochs`` more (default: as many as the last Train).

        The config's ``epochs`` becomes the new total, so that it still restores this network.
        """
        self._cancel()
        more = (self._more_epochs or DEFAULT_MORE_EPOCHS) if epochs is None else _check_field("epochs", epochs)
        self._continue(max(more, 1), background=False)

    def reset(self) -> None:
        """Back to the configuration the playground started with."""
        self.set(**asdict(self._initial))

    def watch(self, every: int | None = None) -> Iterator[int]:
        """Train from scratch and redraw every ``every`` epochs; yields the epoch of each frame.

        The widget's "Watch it train" button runs this on the kernel's event loop, pausing between
        frames; from code (or a test) iterate over it.
        """
        self._cancel()
        config = self._config_from_widgets()
        self._start_run(config, background=False, epochs=0)
        return (epoch for epoch in self._watch_steps(config.epochs, every) if epoch is not None)

    def _repr_mimebundle_(self, **kwargs):
        """Display the root widget; as plain text (a notebook viewer), the pasteable config."""
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = repr(self)
        return bundle

    def __repr__(self) -> str:
        return f"Playground({self.config_string!r})"

    # ---------------------------------------------------------------- internals
    def _layout(self) -> widgets.VBox:
        c = self.controls
        section = widgets.HTML
        controls = widgets.VBox([
            section("<b>data</b>"), c["dataset"], c["noise"], c["test_fraction"],
            section("<b>network</b>"), c["hidden_layers"], c["units"], c["activation"], c["init_scale"],
            section("<b>training</b>"), c["loss"], c["lr"], c["epochs"], c["batch_size"], c["seed"],
            widgets.HBox([self.train_button, self.more_button]),
            widgets.HBox([self.watch_button, self.reset_button]),
        ])
        views = widgets.VBox([self.boundary_image, self.loss_image])
        # A narrow page wraps the pictures below the controls instead of squeezing both.
        row = widgets.HBox([controls, views, self.hidden_image], layout=widgets.Layout(flex_flow="row wrap"))
        root = widgets.VBox([self.status_html, row])
        root.add_class("mlp-playground")
        return root

    def _guarded(self, action) -> None:
        """Run a widget callback; show an unexpected error in the status instead of losing it."""
        try:
            action()
        except Exception as error:  # noqa: BLE001 - a classroom UI must never die silently
            self._set_status(f"error: {type(error).__name__}: {error}", error=True)

    def _on_control(self, change) -> None:
        if self._quiet:
            return
        self._guarded(lambda: self._apply_widgets(background=True))

    def _on_train(self) -> None:
        self._cancel()
        self._start_run(self._config_from_widgets(), background=True)

    def _on_more(self) -> None:
        self._cancel()
        self._continue(self._more_epochs or DEFAULT_MORE_EPOCHS, background=True)

    def _on_reset(self) -> None:
        self._cancel()
        self._show_controls(self._initial)
        self._start_run(self._initial, background=True)

    def _on_watch(self) -> None:
        if self._watching:
            self._cancel()
            return
        self._cancel()
        config = self._config_from_widgets()
        self._start_run(config, background=False, epochs=0)
        steps = self._watch_steps(config.epochs)
        if _running_loop() is None:
            for _ in steps:
                pass
            return
        self._watching = True
        self.watch_button.description = "Stop"
        self._task = asyncio.ensure_future(self._drive(steps, pause=0.03))

    def _config_from_widgets(self) -> PlaygroundConfig:
        values = {name: control.value for name, control in self.controls.items()}
        values["batch_size"] = values["batch_size"] or None
        return PlaygroundConfig.parse(values)

    def _apply_widgets(self, background: bool) -> None:
        config = self._config_from_widgets()
        self._update_enabled()
        if config == self._target:  # an echo of what is already shown (or being trained)
            return
        self._cancel()
        self._start_run(config, background=background)

    def _show_controls(self, config: PlaygroundConfig) -> None:
        """Set the widgets to ``config`` without triggering their callbacks."""
        self._quiet = True
        try:
            for name, value in asdict(config).items():
                control = self.controls[name]
                if name == "batch_size":
                    value = value or 0
                if name == "epochs" and value > control.max:
                    control.max = value
                if control.value != value:
                    control.value = value
        finally:
            self._quiet = False
        self._update_enabled()

    def _update_enabled(self) -> None:
        xor = self.controls["dataset"].value == "xor"
        self.controls["noise"].disabled = xor
        self.controls["test_fraction"].disabled = xor

    def _start_run(self, config: PlaygroundConfig, background: bool, epochs: int | None = None) -> None:
        """Train a new network for ``config`` (``epochs`` overrides config.epochs) and draw it."""
        self._target = config
        self._more_epochs = config.epochs
        self._run = Run(config)
        self._drive_or_schedule(self._run_steps(config.epochs if epochs is None else epochs), background)

    def _continue(self, more: int, background: bool) -> None:
        run = self._run
        if run.diverged:
            self._set_status(run.status() + " · lower the learning rate and press Train", error=True)
            return
        stop = min(run.epoch + more, MAX_EPOCHS)
        config = replace(run.config, epochs=stop)
        run.config = self._target = config
        self._show_controls(config)
        self._drive_or_schedule(self._run_steps(stop), background)

    def _run_steps(self, stop: int) -> Iterator[None]:
        """Train the current run to ``stop`` in chunks (yielding between them), then draw it."""
        run = self._run
        for epoch in run.steps(stop):
            self._progress = f"training… epoch {epoch} of {stop}"
            yield
        self._draw()

    def _watch_steps(self, stop: int, every: int | None = None) -> Iterator[int | None]:
        """Train the current run to ``stop``, drawing every ``every`` epochs.

        Yields None after each training chunk and the epoch after each frame drawn.
        """
        run = self._run
        every = every or max(1, math.ceil(stop / WATCH_FRAMES))
        while run.epoch < stop and not run.diverged:
            frame = min(stop, run.epoch + every)
            for epoch in run.steps(frame):
                if epoch < frame and not run.diverged:
                    yield None
            self._draw()
            yield run.epoch
        self._watching = False
        self.watch_button.description = "Watch it train"

    def _drive_or_schedule(self, steps: Iterator[None], background: bool) -> None:
        """Run ``steps`` now; from a widget, hand a long run over to the event loop after SYNC_SECONDS."""
        loop = _running_loop() if background else None
        started = time.perf_counter()
        for _ in steps:
            if loop is not None and time.perf_counter() - started > SYNC_SECONDS:
                self._set_status(self._progress)
                self._task = asyncio.ensure_future(self._drive(steps))
                return

    async def _drive(self, steps: Iterator, pause: float = 0.0) -> None:
        """Advance ``steps`` on the event loop, handing control back between chunks so clicks get through.

        ``pause`` seconds after each frame (a non-None item), so that the browser can show it.
        """
        last_status = time.perf_counter()
        try:
            for item in steps:
                if not self._watching and time.perf_counter() - last_status > 0.2:
                    self._set_status(self._progress)
                    last_status = time.perf_counter()
                await asyncio.sleep(0.0 if item is None else pause)
        except asyncio.CancelledError:
            steps.close()
            raise
        except Exception as error:  # noqa: BLE001 - shown in the status, see _guarded
            self._set_status(f"error: {type(error).__name__}: {error}", error=True)

    def _cancel(self) -> None:
        """Stop a background run; a stopped "watch" keeps and shows the network it reached."""
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()
        if self._watching:
            self._watching = False
            self.watch_button.description = "Watch it train"
            run = self._run
            run.config = self._target = replace(run.config, epochs=run.epoch)
            self._show_controls(run.config)
            self._draw()

    def _draw(self) -> None:
        run = self._run
        data = run.data
        boundary, hidden = self._renderer.network_views(
            run.net, data.X_train, data.y_train, data.X_test, data.y_test,
            title=f"{run.config.dataset}: decision boundary", note=f"epoch {run.epoch}")
        loss = self._renderer.loss_view(run.history.loss, run.history.val_loss, run.config.loss,
                                        run.history.diverged_at, planned_epochs=self._target.epochs)
        self.boundary_image.value = boundary
        self.loss_image.value = loss
        self.hidden_image.value = hidden
        self._set_status(run.status(), error=run.diverged)

    def _set_status(self, text: str, error: bool = False) -> None:
        self._status_text = text
        color = "#b2182b" if error else "inherit"
        self.status_html.value = f'<span style="color:{color}; font-family:monospace">{html.escape(text)}</span>'


def _running_loop() -> asyncio.AbstractEventLoop | None:
    """The asyncio loop running this code (ipykernel's, in Jupyter and Voilà), or None."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def playground(config=None) -> Playground:
    """Make a :class:`Playground`: controls, a decision boundary, loss curves and hidden-unit maps.

    Parameters
    ----------
    config : dict, str or None
        A configuration from ``ui.config`` or ``ui.config_string`` (restores the same data, seed
        and network), or a partial dict such as ``{"dataset": "spiral"}``; None for the defaults.

    Returns
    -------
    Playground
        Already trained and drawn; display it (last line of a cell) to see it.
    """
    return Playground(config)
