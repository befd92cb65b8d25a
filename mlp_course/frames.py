"""Figures as pictures for a notebook: small PNGs, and an animation played from a list of them.

:func:`palette_png` turns a figure into a PNG of at most 256 colours; :func:`compact_figures` makes the
notebook show every figure that way; :func:`frame_player` plays a list of pictures with a ▶ button
and a slider (an ``ipywidgets`` Play, SelectionSlider and Image — nothing is fetched from the web).
``mlp_course.plotting`` re-exports all three: call them as ``mc.plotting.<name>``.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from functools import partial

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from ._validate import check_int

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
"""The eight bytes every PNG file starts with."""


def _check_colours(colours) -> int:
    colours = check_int(colours, "colours", minimum=2)
    if colours > 256:
        raise ValueError(f"colours must be an integer from 2 to 256 (a PNG palette), got {colours}")
    return colours


def palette_png(fig: Figure, colours: int = 256) -> bytes:
    """``fig`` as PNG bytes with a palette of at most ``colours`` colours (white background, tight box).

    Course figures are flat colours, lines and text: at 256 colours they look the same as the
    full-colour PNG that matplotlib writes, at a fraction of its size. The palette is chosen by
    Pillow's "maximum coverage" method, which keeps a colour that covers few pixels (the data points,
    coloured by class) apart from the large shaded areas around it; Pillow's default median cut
    merged such points into the shading (orange points turned red on a red map).

    Parameters
    ----------
    fig : matplotlib Figure
    colours : int from 2 to 256
        Size of the palette.

    Returns
    -------
    bytes
        A PNG image (palette mode) of the figure at its own dpi.
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    colours = _check_colours(colours)
    from PIL import Image  # a declared dependency; imported here so that plotting alone does not need it

    png, small = io.BytesIO(), io.BytesIO()
    fig.savefig(png, format="png", bbox_inches="tight", facecolor="white")
    full_colour = Image.open(png).convert("RGB")
    image = full_colour.quantize(colours, method=Image.Quantize.MAXCOVERAGE)
    palette = image.getpalette()  # a palette colour is the mean of its pixels: put the background back exactly
    background = image.getpixel((0, 0))
    palette[3 * background : 3 * background + 3] = full_colour.getpixel((0, 0))
    image.putpalette(palette)
    image.save(small, format="png")
    return small.getvalue()


def compact_figures(colours: int = 256) -> None:
    """Show figures as PNGs of at most 256 colours — they look the same and the notebook stays small.

    Call it once in a notebook's first cell, after ``%matplotlib inline``: from then on every matplotlib
    figure the notebook shows is stored as :func:`palette_png` makes it. Outside IPython (a script, a
    test) there is no notebook display to change: it prints why and does nothing. It returns None, so
    that the call shows nothing as a cell's last line.

    Parameters
    ----------
    colours : int from 2 to 256
        Size of the palette.
    """
    colours = _check_colours(colours)  # now, not at the notebook's first figure
    from IPython import get_ipython  # a declared dependency, needed only here

    shell = get_ipython()
    if shell is None:
        print("compact_figures: not running in IPython or Jupyter, so there is no notebook display to change; "
              "figures are drawn as usual.")
        return
    shell.display_formatter.formatters["image/png"].for_type(Figure, partial(palette_png, colours=colours))


class FramePlayer:
    """An animation: a ▶ button and a slider that step through pictures, made by :func:`frame_player`.

    In a running notebook it shows as widgets (``widget``: the Play and the slider above the Image).
    Where widgets cannot show — a notebook opened before it is run, GitHub, nbviewer — the notebook
    falls back to the picture on show (``image/png``) or to one line of text (``text/plain``).

    Attributes
    ----------
    frames : tuple of bytes
        The pictures, PNG files.
    labels : tuple of str
        The slider's label of each frame.
    play, slider, image, widget : ipywidgets
        The ▶ button, the slider, the picture, and the box holding them (what a notebook shows).
    link : ipywidgets.Link
        The browser-side link that makes ▶ move the slider (``play.value`` → ``slider.index``).
    """

    def __init__(self, frames: Sequence[bytes], labels: Sequence[str], description: str, interval: int,
                 start: int) -> None:
        import ipywidgets as widgets  # a declared dependency, needed only for the player

        self.frames, self.labels, self.description = tuple(frames), tuple(labels), description
        last = len(self.frames) - 1
        self.image = widgets.Image(value=self.frames[start], format="png")  # shown before anything is clicked
        self.play = widgets.Play(value=start, min=0, max=last, interval=interval)
        self.slider = widgets.SelectionSlider(options=[(label, i) for i, label in enumerate(self.labels)],
                                              index=start, description=description)
        self.link = widgets.jslink((self.play, "value"), (self.slider, "index"))  # ▶ moves the slider
        self.slider.observe(self._show, names="index")  # the slider changes the picture
        self.widget = widgets.VBox([widgets.HBox([self.play, self.slider]), self.image])

    def _show(self, change) -> None:
        self.image.value = self.frames[change["new"]]

    @property
    def index(self) -> int:
        """The position of the frame on show (0 .. len(frames) - 1); setting it moves the slider."""
        return self.slider.index

    @index.setter
    def index(self, value: int) -> None:
        self.slider.index = _check_index(value, len(self.frames), "index")

    def __len__(self) -> int:
        return len(self.frames)

    def summary(self) -> str:
        """One line: how many frames, which labels, and that a running notebook plays them."""
        count = f"{len(self.frames)} frame" + ("s" if len(self.frames) > 1 else "")
        span = self.labels[0] if len(self.labels) == 1 else f"{self.labels[0]} … {self.labels[-1]}"
        return f"Animation: {count}, {self.description} {span}; run the notebook to play it"

    def __repr__(self) -> str:
        return f"<FramePlayer: {self.summary()}>"

    def _repr_mimebundle_(self, include=None, exclude=None) -> tuple[dict, dict]:
        """The widgets, the frame on show as a PNG, and :meth:`summary` as text."""
        shown = self.widget._repr_mimebundle_(include=include, exclude=exclude)
        data, metadata = (shown if isinstance(shown, tuple) else (shown or {}, {}))
        data = {**data, "image/png": base64.b64encode(self.frames[self.index]).decode("ascii"),
                "text/plain": self.summary()}
        return data, dict(metadata)


def _check_index(value, count: int, name: str) -> int:
    value = check_int(value, name, minimum=0)
    if value >= count:
        raise ValueError(f"{name} must be an integer from 0 to {count - 1} (a frame's position), got {value}")
    return value


def _check_frame(frame, position: int) -> bytes | Figure:
    """A Figure as it is; PNG bytes as bytes; anything else a TypeError or ValueError naming frames[position]."""
    if isinstance(frame, Figure):
        return frame
    if not isinstance(frame, (bytes, bytearray, memoryview)):
        raise TypeError(f"frames[{position}] must be PNG bytes or a matplotlib Figure, got {type(frame).__name__}")
    frame = bytes(frame)
    if not frame.startswith(PNG_SIGNATURE):
        raise ValueError(f"frames[{position}] must be a PNG file (bytes starting with the PNG signature), "
                         f"got bytes starting with {frame[:8]!r}")
    return frame


def _as_png(frame: bytes | Figure) -> bytes:
    """A checked frame as PNG bytes: a Figure is drawn once (palette PNG) and closed."""
    if isinstance(frame, bytes):
        return frame
    png = palette_png(frame)
    plt.close(frame)  # drawn once: the notebook must not show it again below the cell
    return png


def frame_player(
    frames: Sequence[bytes | Figure],
    labels: Sequence | None = None,
    *,
    description: str = "epoch",
    interval: int = 500,
    start: int = 0,
) -> FramePlayer:
    """An animation of ``frames``: a ▶ button, a slider labelled with ``labels``, and the picture.

    The picture of frame ``start`` is there as soon as the cell has run, before anything is clicked.
    ▶ steps through the frames every ``interval`` milliseconds, in the browser; dragging the slider
    shows any frame. Where widgets cannot show (an unrun notebook, GitHub, nbviewer) the notebook
    shows that first picture instead, or the line :meth:`FramePlayer.summary` writes.

    Parameters
    ----------
    frames : sequence of PNG bytes or matplotlib Figures, length n >= 1
        The pictures, in order. A Figure is drawn once as a PNG of 256 colours
        (:func:`palette_png`) and then closed, so that the notebook does not show it again.
    labels : sequence of length n, optional
        What the slider shows for each frame (each turned into text), e.g. the epochs;
        ``0 .. n - 1`` by default.
    description : str
        The slider's name, e.g. ``"epoch"``.
    interval : int >= 1
        Milliseconds between frames while playing.
    start : int from 0 to n - 1
        The frame shown first, and the picture stored for places where widgets cannot show.

    Returns
    -------
    FramePlayer
        Displays as the player; its ``index`` is the frame on show.

    Examples
    --------
    >>> figures = []
    >>> for epoch in (0, 100, 200):
    ...     fig, ax = plt.subplots()
    ...     figures.append(fig)
    >>> frame_player(figures, [0, 100, 200]).summary()
    'Animation: 3 frames, epoch 0 … 200; run the notebook to play it'
    """
    if isinstance(frames, (bytes, bytearray, memoryview, Figure, str)) or not isinstance(frames, Sequence):
        raise TypeError(f"frames must be a list of PNG bytes or matplotlib Figures, got {type(frames).__name__}")
    if len(frames) == 0:
        raise ValueError("frames must hold at least one picture, got an empty sequence")
    if labels is None:
        labels = range(len(frames))
    if isinstance(labels, (str, bytes)) or not isinstance(labels, Sequence):
        raise TypeError(f"labels must be a sequence with one label per frame, got {type(labels).__name__}")
    if len(labels) != len(frames):
        raise ValueError(f"labels must have one label per frame: {len(frames)} frames, got {len(labels)} labels")
    if not isinstance(description, str):
        raise TypeError(f"description must be a str, got {type(description).__name__}")
    interval = check_int(interval, "interval", minimum=1)
    start = _check_index(start, len(frames), "start")
    checked = [_check_frame(frame, i) for i, frame in enumerate(frames)]  # all checked before any is drawn
    pngs = [_as_png(frame) for frame in checked]
    return FramePlayer(pngs, [str(label) for label in labels], description, interval, start)
