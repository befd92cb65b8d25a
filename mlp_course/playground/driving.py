"""How a playground trains: a run in chunks, now or on the kernel's event loop; watching; stopping.

Training runs in chunks (:data:`~.run.CHUNK`). From a widget, a run not finished after
:data:`SYNC_SECONDS` continues as an asyncio task on the kernel's event loop, which hands control
back between chunks: the status shows the progress and a click (Stop, another setting) is
processed at once. "Watch it train" always runs that way and redraws every few epochs. From code
(``ui.set``, ``ui.watch``, a test) every run goes to its end before the call returns.

:class:`RunDriver` is the part of :class:`~.widget.Playground` that does this; the playground
supplies the pictures and the controls (the methods listed in the class docstring).
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Iterator
from dataclasses import replace

from .config import MAX_EPOCHS, PlaygroundConfig
from .live import drive, running_loop
from .run import PlaygroundRun

WATCH_FRAMES = 40
""""Watch it train" redraws about this many times."""
SYNC_SECONDS = 0.3
"""A widget-triggered run still going after this long continues in the background."""


class RunDriver:
    """Start, continue, watch and stop the playground's run (a mixin of :class:`~.widget.Playground`).

    State kept on the playground: ``_run`` (the :class:`PlaygroundRun` shown), ``_target`` (the config
    shown or being trained), ``_more_epochs`` ("Train more"'s step), ``_task`` (the background run or
    None), ``_watching``, ``_progress`` (the progress line) and the times ``_requested_at``,
    ``_trained_at`` (``time.perf_counter()``).

    The playground provides ``_draw()``, ``_set_status(text, error=False)``, ``_show_controls(config)``,
    ``_show_error(error)`` and ``_set_watching(on)`` (the state and the "Watch it train"/"Stop" button).
    """

    _run: PlaygroundRun
    _target: PlaygroundConfig
    _more_epochs: int
    _task: asyncio.Task | None
    _watching: bool
    _progress: str
    _requested_at: float
    _trained_at: float

    def _start_run(self, config: PlaygroundConfig, background: bool, epochs: int | None = None,
                   requested_at: float | None = None) -> None:
        """Train a new network for ``config`` (``epochs`` overrides config.epochs) and draw it."""
        self._requested_at = requested_at or time.perf_counter()
        self._target = config
        self._more_epochs = config.epochs
        self._run = PlaygroundRun(config)
        self._drive_or_schedule(self._run_steps(config.epochs if epochs is None else epochs), background)

    def _continue(self, more: int, background: bool) -> None:
        """Train the run shown ``more`` epochs further (its config's ``epochs`` becomes the new total)."""
        run = self._run
        if run.diverged:
            self._set_status(run.status() + " · lower the learning rate and press Train", error=True)
            return
        self._requested_at = time.perf_counter()
        stop = min(run.epoch + more, MAX_EPOCHS)
        config = replace(run.config, epochs=stop)
        run.config = self._target = config
        self._show_controls(config)
        self._drive_or_schedule(self._run_steps(stop), background)

    def _watch_in_background(self, config: PlaygroundConfig) -> None:
        """"Watch it train": from scratch, a frame every few epochs, on the event loop (now without one)."""
        self._start_run(config, background=False, epochs=0)
        steps = self._watch_steps(config.epochs)
        if running_loop() is None:
            for _ in steps:
                pass
            return
        self._set_watching(True)
        self._task = asyncio.ensure_future(self._drive(steps, pause=0.03))

    def _run_steps(self, stop: int) -> Iterator[None]:
        """Train the current run to ``stop`` in chunks (yielding between them), then draw it."""
        run = self._run
        for epoch in run.steps(stop):
            self._progress = f"training… epoch {epoch} of {stop}"
            yield
        self._trained_at = time.perf_counter()
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
        self._set_watching(False)

    def _drive_or_schedule(self, steps: Iterator[None], background: bool) -> None:
        """Run ``steps`` now; from a widget, hand a long run over to the event loop after SYNC_SECONDS."""
        loop = running_loop() if background else None
        started = time.perf_counter()
        for _ in steps:
            if loop is not None and time.perf_counter() - started > SYNC_SECONDS:
                self._set_status(self._progress)
                self._task = asyncio.ensure_future(self._drive(steps))
                return

    def _drive(self, steps: Iterator, pause: float = 0.0):
        """:func:`~.live.drive` with this playground's progress line and error display."""
        progress = (lambda: None) if self._watching else (lambda: self._set_status(self._progress))
        return drive(steps, pause, progress, self._show_error)

    def _cancel(self) -> None:
        """Stop a background run; a stopped "watch" keeps and shows the network it reached."""
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()
        if self._watching:
            self._set_watching(False)
            run = self._run
            run.config = self._target = replace(run.config, epochs=run.epoch)
            self._show_controls(run.config)
            self._draw()

    # provided by the playground
    def _draw(self) -> None:
        raise NotImplementedError

    def _set_status(self, text: str, error: bool = False) -> None:
        raise NotImplementedError

    def _show_controls(self, config: PlaygroundConfig) -> None:
        raise NotImplementedError

    def _show_error(self, error: Exception) -> None:
        raise NotImplementedError

    def _set_watching(self, on: bool) -> None:
        raise NotImplementedError
