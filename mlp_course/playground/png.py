"""PNG bytes from matplotlib's Agg backend, and a figure redrawn by blitting.

:class:`BlittedFigure` keeps a figure's *static* part (axes, ticks, labels, legend, title) as a
rendered pixel buffer; a redraw restores that buffer and draws only the *dynamic* artists on top —
the "blitting" technique of matplotlib's animations. The playground's static pictures
(:mod:`.render`) are made of such figures. Nothing here touches ``pyplot``.
"""

from __future__ import annotations

import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

DPI = 72
"""Pixels per inch of every PNG: figures are sized in inches, so 72 dpi means 1 pt = 1 px."""
PNG_COMPRESS_LEVEL = 1
"""zlib level of the PNGs: fast; the pictures are small anyway."""


def figure_png(fig: Figure) -> bytes:
    """Render ``fig`` with Agg (completely) and return the PNG file's bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, pil_kwargs={"compress_level": PNG_COMPRESS_LEVEL})
    return buffer.getvalue()


def canvas_png(canvas: FigureCanvasAgg) -> bytes:
    """The PNG bytes of what ``canvas`` holds now (without drawing it again)."""
    width, height = canvas.get_width_height()
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=PNG_COMPRESS_LEVEL)
    return buffer.getvalue()


def message_png(text: str, width: float = 4.0, height: float = 1.0) -> bytes:
    """A small PNG that shows ``text`` (for a view that has nothing to draw)."""
    fig = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(fig)
    fig.text(0.5, 0.5, text, ha="center", va="center", fontsize=10, color="0.3")
    return figure_png(fig)


class BlittedFigure:
    """A figure drawn in two layers: a cached static background and the dynamic artists on top.

    Dynamic artists must be marked ``set_animated(True)``: ``canvas.draw()`` then leaves them out
    of the background.
    """

    def __init__(self, width: float, height: float) -> None:
        self.fig = Figure(figsize=(width, height), dpi=DPI)
        self.canvas = FigureCanvasAgg(self.fig)
        self._key = None
        self._background = None

    def render(self, key, dynamic: list) -> bytes:
        """PNG bytes: the background for ``key`` (drawn again if ``key`` changed) plus ``dynamic``."""
        if key != self._key or self._background is None:
            self.canvas.draw()  # everything except the animated artists
            self._background = self.canvas.copy_from_bbox(self.fig.bbox)
            self._key = key
        else:
            self.canvas.restore_region(self._background)
        for artist in dynamic:
            if artist is not None and artist.get_visible():
                self.fig.draw_artist(artist)
        return canvas_png(self.canvas)
