"""A one-line text progress bar for sweeps that take more than a few seconds.

In a notebook the bar is one output that is redrawn in place; elsewhere it is written to stderr.
It shows elapsed time, so a cell that uses it gives different output on every run: mark such a
cell ``# NBVAL_IGNORE_OUTPUT`` and print the sweep's *results* in the next cell.

>>> for item in progress_bar(range(3), label="demo", stream=None):
...     pass
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from typing import TypeVar

from ._validate import check_int

T = TypeVar("T")


def format_bar(done: int, total: int, label: str = "", seconds: float | None = None, width: int = 24) -> str:
    """The bar's text, e.g. ``"sweep [############------------] 24/48  5.1 s"``."""
    filled = width * done // total if total else width
    text = f"{label} [{'#' * filled}{'-' * (width - filled)}] {done}/{total}".lstrip()
    return text if seconds is None else f"{text}  {seconds:.1f} s"


def _notebook_handle():
    """A display handle if we run inside a Jupyter kernel, else None."""
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # pragma: no cover - IPython comes with Jupyter
        return None
    shell = get_ipython()
    if shell is None or getattr(shell, "kernel", None) is None:
        return None
    return display({"text/plain": ""}, raw=True, display_id=True)


def progress_bar(items: Iterable[T], label: str = "", total: int | None = None, stream="auto") -> Iterator[T]:
    """Yield ``items`` one by one while drawing how many are done.

    Parameters
    ----------
    items : iterable
    label : str
        Shown before the bar.
    total : int, optional
        How many items there are (default ``len(items)``).
    stream : "auto", a file object, or None
        "auto": redraw in place in a notebook, else write to ``sys.stderr``. None draws nothing.
    """
    items = list(items) if total is None and not hasattr(items, "__len__") else items
    total = check_int(len(items) if total is None else total, "total", minimum=0)
    handle = _notebook_handle() if stream == "auto" else None
    out = sys.stderr if stream == "auto" else stream
    start = time.perf_counter()

    def draw(done: int) -> None:
        text = format_bar(done, total, label, time.perf_counter() - start)
        if handle is not None:
            handle.update({"text/plain": text}, raw=True)
        elif out is not None:
            out.write("\r" + text + ("\n" if done == total else ""))
            out.flush()

    draw(0)
    for done, item in enumerate(items, start=1):
        yield item
        draw(done)
