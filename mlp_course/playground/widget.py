"""The playground's widget: controls, three pictures and a status line around a :class:`PlaygroundRun`.

How it stays dependable in a classroom:

- Pictures are PNG bytes rendered off-screen (:mod:`.render`) and set as ``ipywidgets.Image``
  values: they are part of the widget state, so they are there the moment the widget is shown. No
  ``Output`` widget, no ``plt.show``.
- Every change goes through one path: the widgets' values become a :class:`PlaygroundConfig`,
  normalised; if it equals the config already shown or being trained, nothing happens. A browser
  echoing ``1.0000000000000002`` for ``1.0`` therefore causes no second redraw.
- Training runs in chunks (:data:`~.run.CHUNK`). From a widget, a run not finished after
  :data:`SYNC_SECONDS` continues as an asyncio task on the kernel's event loop, which hands control
  back between chunks: the status shows the progress and a click (Stop, another setting) is
  processed at once. "Watch it train" always runs that way and redraws every few epochs.
- ipywidgets is imported when the first playground is built (:mod:`.controls`), not when this
  module is: a config, a run and the exercise checks that rebuild runs need no widget library.
"""

from __future__ import annotations

import asyncio
import html
import math
import time
from collections.abc import Iterator
from dataclasses import asdict, replace

from .._validate import check_int
from ..network import MLP
from ..training import History
from .config import MAX_EPOCHS, PlaygroundConfig
from .render import Renderer
from .run import PlaygroundRun, Split

DEFAULT_MORE_EPOCHS = 100
""""Train more" after a run of 0 epochs (otherwise it adds as many epochs as that run had)."""
WATCH_FRAMES = 40
""""Watch it train" redraws about this many times."""
SYNC_SECONDS = 0.3
"""A widget-triggered run still going after this long continues in the background."""


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
        from .controls import layout, make_buttons, make_controls, make_views  # imports ipywidgets

        self.controls = make_controls(self._initial)
        buttons = make_buttons()
        self.train_button, self.more_button = buttons["train"], buttons["more"]
        self.reset_button, self.watch_button = buttons["reset"], buttons["watch"]
        images, self.status_html = make_views()
        self.boundary_image, self.loss_image, self.hidden_image = images["boundary"], images["loss"], images["hidden"]
        self.widget = layout(self.controls, buttons, images, self.status_html)
        self._run = PlaygroundRun(self._initial)
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
    def data(self) -> Split:
        """The training and test points shown."""
        return self._run.data

    @property
    def diverged(self) -> bool:
        """Whether the run shown diverged (see :mod:`mlp_course.criteria`)."""
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

        Parameters
        ----------
        epochs : int from 1 to MAX_EPOCHS, or None
            ``TypeError``/``ValueError`` naming ``epochs`` otherwise (0 more epochs would train nothing).
        """
        if epochs is not None:
            epochs = check_int(epochs, "epochs", minimum=1)
            if epochs > MAX_EPOCHS:
                raise ValueError(f"epochs must be an integer from 1 to {MAX_EPOCHS}, got {epochs}")
        self._cancel()
        self._continue(epochs or self._more_epochs or DEFAULT_MORE_EPOCHS, background=False)

    def reset(self) -> None:
        """Back to the configuration the playground started with."""
        self.set(**asdict(self._initial))

    def watch(self, every: int | None = None) -> Iterator[int]:
        """Train from scratch and redraw every ``every`` epochs; yields the epoch of each frame.

        The widget's "Watch it train" button runs this on the kernel's event loop, pausing between
        frames; from code (or a test) iterate over it.

        Parameters
        ----------
        every : int >= 1 or None
            Epochs between frames; None: about :data:`WATCH_FRAMES` frames in all. ``TypeError``/
            ``ValueError`` naming ``every`` otherwise.
        """
        if every is not None:
            every = check_int(every, "every", minimum=1)
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
        self._run = PlaygroundRun(config)
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
