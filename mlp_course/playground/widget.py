"""The playground's widget: controls, three pictures and a status line around a :class:`PlaygroundRun`.

How it stays dependable in a classroom, and follows a slider while it moves:

- The pictures are drawn by the browser (:mod:`.view`) from a frame of small arrays (:mod:`.frame`)
  held in the widget's state: the frame is there the moment the widget is shown, and a new one is
  drawn in one go. No ``Output`` widget, no ``plt.show``. :attr:`Playground.images` still renders
  the three views as PNG bytes (:mod:`.render`, matplotlib) for a static copy.
- The sliders send their values while they move (``continuous_update``). Every change goes through
  one path: the widgets' values become a :class:`PlaygroundConfig`, normalised, and are served by
  :class:`~.live.LatestOnly`: values that a newer one replaced before the kernel got to them are
  dropped, never trained or drawn. If a config equals the one already shown or being trained,
  nothing happens: a browser echoing ``1.0000000000000002`` for ``1.0`` causes no second redraw.
- Training runs in chunks, from a widget on the kernel's event loop once a run takes longer than
  :data:`~.driving.SYNC_SECONDS`, so that a click (Stop, another setting) is processed at once:
  :mod:`.driving` (:class:`~.driving.RunDriver`, which :class:`Playground` builds on).
- ipywidgets is imported when the first playground is built (:mod:`.controls`), not when this
  module is: a config, a run and the exercise checks that rebuild runs need no widget library.
"""

from __future__ import annotations

import asyncio
import html
import time
from collections.abc import Iterator
from dataclasses import asdict

from .._validate import check_int
from ..network import MLP
from ..training import History
from .config import MAX_EPOCHS, PlaygroundConfig
from .driving import SYNC_SECONDS, WATCH_FRAMES, RunDriver  # noqa: F401 - the constants: re-exported
from .frame import network_frame
from .live import LatestOnly, running_loop
from .run import PlaygroundRun, Split, status_line

DEFAULT_MORE_EPOCHS = 100
""""Train more" after a run of 0 epochs (otherwise it adds as many epochs as that run had)."""
PROJECTION_HINT = "Try: switch the loss to bce, then drag the learning rate past 6 until training diverges."
"""The line a projected playground shows above its pictures. It works from the defaults: with mse even
the slider's top (10) trains, with bce every seed from 0 to 4 settles at 5 and diverges at 6.3 (the
slider's first step past 6) within a few epochs (tests/test_playground.py checks it)."""


class Playground(RunDriver):
    """Sliders and pictures around one small network; see the module docstring.

    Parameters
    ----------
    config : dict, str, PlaygroundConfig or None
        Starting configuration (missing keys take the defaults: XOR, [2, 4, 1] tanh, lr 2).
    projection : bool
        Sized for projecting in a classroom: text 22 px, the controls in a column beside the
        pictures, which fit the window (a 720 px boundary and large hidden maps at 1920 × 1080,
        the controls and the boundary on one unscrolled screen down to 1024 × 768;
        :data:`mlp_course.playground.view.SIZES`), and a line saying what to try.
    hint : str or None
        That line (default in projection mode: :data:`PROJECTION_HINT`; none otherwise).

    Attributes
    ----------
    widget : ipywidgets.VBox or ipywidgets.GridBox
        The root container (CSS class ``mlp-playground``; in projection mode a GridBox, also
        ``mlp-projection``); displaying the playground displays it.
    controls : dict of str -> ipywidgets widget
        One control per config key.
    view : PlaygroundView
        The pictures (canvases ``mlp-boundary``, ``mlp-network``/``mlp-hidden``, ``mlp-loss``),
        drawn by the browser from ``view.frame``.
    status_html : ipywidgets.HTML
        The status line (CSS class ``mlp-status``).
    requests : LatestOnly
        Slider changes received and served (the rest were dropped as stale).
    """

    def __init__(self, config=None, projection: bool = False, hint: str | None = None) -> None:
        if not isinstance(projection, bool):
            raise TypeError(f"projection must be True or False, got {projection!r:.40}")
        if hint is not None and not isinstance(hint, str):
            raise TypeError(f"hint must be a str or None, got {type(hint).__name__}")
        self._initial = PlaygroundConfig.parse(config)
        self.projection = projection
        self._renderer = None  # matplotlib, made on the first call of `images`
        self._frames = 0
        self._requested_at = self._trained_at = time.perf_counter()
        self.requests = LatestOnly(self._serve, on_error=self._show_error)
        self._task: asyncio.Task | None = None
        self._quiet = False  # True while the code (not the user) sets widget values
        self._watching = False
        self._more_epochs = self._initial.epochs
        self._status_text = ""
        self._progress = ""
        from .controls import layout, make_buttons, make_controls, make_views  # imports ipywidgets, anywidget

        self.controls = make_controls(self._initial, projection)
        buttons = make_buttons()
        self.train_button, self.more_button = buttons["train"], buttons["more"]
        self.reset_button, self.watch_button = buttons["reset"], buttons["watch"]
        self.view, self.status_html, self.hint_html = make_views(projection, PROJECTION_HINT if hint is None and
                                                                 projection else hint)
        self.widget = layout(self.controls, buttons, self.view, self.status_html, self.hint_html, projection)
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
    def frame(self) -> dict:
        """What the browser draws now (see :mod:`mlp_course.playground.frame`; ``frame.decode`` reads it)."""
        return self.view.frame

    @property
    def images(self) -> dict[str, bytes]:
        """The network shown as three PNGs (``boundary``, ``loss``, ``hidden``), drawn by matplotlib:
        a static copy of what the browser draws (for a file, a report, a viewer without widgets)."""
        if self._renderer is None:
            from .render import Renderer  # imports matplotlib

            self._renderer = Renderer()
        return self._renderer.run_views(self._run, planned_epochs=self._target.epochs)

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
            Epochs between frames; None: about :data:`~.driving.WATCH_FRAMES` frames in all. ``TypeError``/
            ``ValueError`` naming ``every`` otherwise.
        """
        if every is not None:
            every = check_int(every, "every", minimum=1)
        self._cancel()
        config = self._config_from_widgets()
        self._start_run(config, background=False, epochs=0)
        return (epoch for epoch in self._watch_steps(config.epochs, every) if epoch is not None)

    def _repr_mimebundle_(self, **kwargs):
        """Display the root widget; as plain text (a notebook viewer, an unrun notebook), one sentence."""
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = self.summary()
        return bundle

    def summary(self) -> str:
        """One friendly sentence: what this playground trains, and how to get its sliders."""
        c = self._run.config
        net = "-".join(map(str, c.sizes))
        return (f"Playground: a {net} {c.activation} network learning {c.dataset} (learning rate {c.lr:g}). "
                "Run this cell in Jupyter to get its sliders and pictures.")

    def __repr__(self) -> str:
        return f"Playground({self.config_string!r})"

    # ---------------------------------------------------------------- internals
    def _guarded(self, action) -> None:
        """Run a widget callback; show an unexpected error in the status instead of losing it."""
        try:
            action()
        except Exception as error:  # noqa: BLE001 - a classroom UI must never die silently
            self._show_error(error)

    def _show_error(self, error: Exception) -> None:
        self._set_status(f"error: {type(error).__name__}: {error}", error=True)

    def _on_control(self, change) -> None:
        """A control moved: serve the newest values on the event loop's next turn (stale ones dropped)."""
        if self._quiet:
            return
        self._update_enabled()
        received = time.perf_counter()
        self._guarded(lambda: self.requests.submit((self._config_from_widgets(), received), loop=running_loop()))

    def _serve(self, request: tuple[PlaygroundConfig, float]) -> None:
        """Train and draw the newest config (unless it is an echo of what is shown or being trained)."""
        config, requested_at = request
        if config != self._target:
            self._cancel()
            self._start_run(config, background=True, requested_at=requested_at)

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
        self._watch_in_background(self._config_from_widgets())

    def _set_watching(self, on: bool) -> None:
        self._watching = on
        self.watch_button.description = "Stop" if on else "Watch it train"

    def _config_from_widgets(self) -> PlaygroundConfig:
        from .controls import widget_values

        return PlaygroundConfig.parse(widget_values(self.controls, self._target))

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

    def _draw(self) -> None:
        """Send the browser a new frame (and the status): ``kernel_ms`` from the request, ``train_ms`` of it."""
        run = self._run
        self._frames += 1
        framing = time.perf_counter()
        frame = network_frame(run, self._frames, planned_epochs=self._target.epochs)
        started, now = self._requested_at, time.perf_counter()
        frame.update(kernel_ms=round(1000 * (now - started), 2), frame_ms=round(1000 * (now - framing), 2),
                     train_ms=round(1000 * max(0.0, self._trained_at - started), 2))
        self.view.frame = frame
        headline, why, shown = run.status_parts()
        if headline:  # two short lines (run.page_status()), as the status box holds them; the why on hover
            self._status_text = status_line(headline, why, shown)  # ui.status: all of it on one line
            self.status_html.value = (
                f'<span style="color:#b2182b; font-family:monospace" title="{html.escape(why)}">'
                f'{html.escape(headline)}</span><br>'
                f'<span style="font-family:monospace">shown: {html.escape(shown)}</span>')
        else:
            self._set_status(shown)

    def _set_status(self, text: str, error: bool = False) -> None:
        self._status_text = text
        color = "#b2182b" if error else "inherit"
        self.status_html.value = f'<span style="color:{color}; font-family:monospace">{html.escape(text)}</span>'


def playground(config=None, projection: bool = False, hint: str | None = None) -> Playground:
    """Make a :class:`Playground`: controls, a decision boundary, the network with its hidden-unit
    maps, and loss curves; the pictures follow the sliders while they move.

    Parameters
    ----------
    config : dict, str or None
        A configuration from ``ui.config`` or ``ui.config_string`` (restores the same data, seed
        and network), or a partial dict such as ``{"dataset": "spiral"}``; None for the defaults.
    projection : bool
        Sized for a projector (readable from the back of a room, fits 1024 × 768 to 1920 × 1080):
        see :class:`Playground`.
    hint : str or None
        A line above the playground saying what to try (projection mode has one by default).

    Returns
    -------
    Playground
        Already trained and drawn; display it (last line of a cell) to see it.
    """
    return Playground(config, projection=projection, hint=hint)
