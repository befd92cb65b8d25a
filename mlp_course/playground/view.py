"""The playground's pictures, drawn by the browser: an anywidget with three canvases.

The kernel sends a *frame* (:mod:`.frame`: the output on a 60 × 60 grid, each hidden neuron's map on
30 × 30, the weights, the points, the loss curves; tens of kB as binary buffers); the browser draws

- ``canvas.mlp-boundary``: the output map, the decision boundary (output = 0.5, marching squares),
  train (o) and test (^) points, axes;
- ``canvas.mlp-network`` (also ``mlp-hidden``): the network as TensorFlow Playground draws it, one
  column per layer, each neuron's map in its node, edges coloured by the weight's sign (red +,
  blue −) and as wide as its magnitude;
- ``canvas.mlp-loss``: training and test loss per epoch (log axis), a red line where it diverged.

Why in the browser: a new frame costs the kernel about a millisecond to assemble instead of tens to
render three PNGs, and the browser draws it in a few; canvases are drawn at the screen's
``devicePixelRatio`` (redrawn when it changes, e.g. browser zoom), so they stay sharp when projected
or zoomed, and their size and text size are parameters (:data:`SIZES`, the projection mode).
A frame is drawn in one go, synchronously, when it arrives: the page never shows half a frame, and
the widget's state always holds the last frame, so a view shown later draws it at once.
Everything (this module's JavaScript, anywidget's front end) is installed with the package: nothing
of ours is fetched at run time, in JupyterLab, Voilà or JupyterLite, and the buttons have no icons.
(Voilà's own page template links Font Awesome from cdn.jsdelivr.net; offline that link fails, and
nothing on this page needs it.)

After drawing, the view writes on its element: ``data-frame`` (the frame's id, also on each
canvas), ``data-config``, ``data-output-sum`` (the sum of the output values it decoded),
``data-draw-ms``, ``data-drawn-at`` (``performance.now()``), ``data-draw-count``, and the sizes it
drew at (``data-plot-width``/``-height`` of the boundary's axes, ``data-tile``, ``data-font``,
``data-dpr``, and ``data-boundary-size``/``data-side-width``, the fitted sizes in projection mode):
the browser tests and the latency benchmark read them.
"""

from __future__ import annotations

from pathlib import Path

import anywidget
import traitlets

from .style import CSS, FIT_MINIMUM, SIZES  # noqa: F401 - SIZES, FIT_MINIMUM: re-exported

_ESM = Path(__file__).with_name("view.js").read_text(encoding="utf-8")
"""The browser side: an ES module (``view.js``, installed with the package) that draws a frame on three canvases."""


class PlaygroundView(anywidget.AnyWidget):
    """The three pictures of a playground, drawn in the browser from :attr:`frame`.

    Attributes
    ----------
    frame : dict
        The frame shown (:func:`mlp_course.playground.frame.network_frame`); setting it redraws.
    sizes : dict
        CSS pixels: ``boundary`` (side of the square), ``side`` (width of the network and loss
        panels), ``loss_height``, ``tile`` (largest hidden map), ``network_height`` (largest), ``font``.
    """

    _esm = _ESM
    _css = CSS
    frame = traitlets.Dict().tag(sync=True)
    sizes = traitlets.Dict().tag(sync=True)
