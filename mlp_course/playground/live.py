"""Following a slider while it moves: only the newest request is served, stale ones are dropped.

A slider with ``continuous_update`` sends a value for every step of a drag, faster than a network
can be trained and drawn. :class:`LatestOnly` keeps the newest request and serves it on the next
turn of the event loop: the values that arrived in between are never trained or drawn, so the
pictures follow the slider with no backlog, and the last picture is always that of the last value.
(ipywidgets' front end also holds back a model's changes while the kernel is busy with the previous
one and then sends only the latest; this is the kernel's half of the same rule.)

No widgets and no kernel here: a test drives it with a plain asyncio loop.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

Request = TypeVar("Request")
_NOTHING = object()


def running_loop() -> asyncio.AbstractEventLoop | None:
    """The asyncio loop running this code (ipykernel's, in Jupyter and Voilà), or None."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


class LatestOnly(Generic[Request]):
    """Serve requests one at a time, newest first, dropping any request a newer one replaced.

    Parameters
    ----------
    serve : callable(request)
        Called with the newest pending request; whatever it raises goes to ``on_error``.
    on_error : callable(exception), optional
        Default: re-raise.

    Attributes
    ----------
    received, served : int
        Requests submitted and requests served so far; the others were dropped as stale (or are pending).
    """

    def __init__(self, serve: Callable[[Request], None], on_error: Callable[[Exception], None] | None = None) -> None:
        self._serve = serve
        self._on_error = on_error
        self._pending = _NOTHING
        self._scheduled = False
        self.received = 0
        self.served = 0

    @property
    def pending(self) -> bool:
        """Whether a request waits to be served."""
        return self._pending is not _NOTHING

    @property
    def dropped(self) -> int:
        """Requests replaced by a newer one before they were served."""
        return self.received - self.served - int(self.pending)

    def submit(self, request: Request, loop: asyncio.AbstractEventLoop | None = None) -> None:
        """Make ``request`` the one to serve next (replacing a pending one).

        With ``loop`` it is served on the loop's next turn (requests arriving before then replace
        it); without, at once.
        """
        self.received += 1
        self._pending = request
        if loop is None:
            self.flush()
        elif not self._scheduled:
            self._scheduled = True
            loop.call_soon(self.flush)

    def flush(self) -> None:
        """Serve the pending request now, if there is one."""
        self._scheduled = False
        if self._pending is _NOTHING:
            return
        request, self._pending = self._pending, _NOTHING
        self.served += 1
        try:
            self._serve(request)
        except Exception as error:  # noqa: BLE001 - handed to on_error (the playground shows it)
            if self._on_error is None:
                raise
            self._on_error(error)


async def drive(steps: Iterator, pause: float, progress: Callable[[], None],
                on_error: Callable[[Exception], None]) -> None:
    """Advance ``steps`` on the event loop, handing control back between chunks so clicks get through.

    ``pause`` seconds after each frame (a non-None item), so that the browser can show it;
    ``progress()`` about every 0.2 s; an exception goes to ``on_error``, a cancellation closes ``steps``.
    """
    last_progress = time.perf_counter()
    try:
        for item in steps:
            if time.perf_counter() - last_progress > 0.2:
                progress()
                last_progress = time.perf_counter()
            await asyncio.sleep(0.0 if item is None else pause)
    except asyncio.CancelledError:
        steps.close()
        raise
    except Exception as error:  # noqa: BLE001 - shown to the user by on_error
        on_error(error)
