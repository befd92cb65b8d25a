"""The playground: train a small network on 2-D data with sliders, and watch what it learns.

>>> import mlp_course as mc
>>> ui = mc.playground()           # trains the XOR defaults and draws them at once
>>> ui                             # (last line of a cell) shows the controls and the pictures
>>> mc.playground(projection=True) # for a projector (1024 × 768 and up), with a line saying what to try
>>> ui.set(lr=10.0, loss="bce")    # the same update path the widgets use
>>> print(ui.status)
>>> ui.config_string               # paste it into mc.playground(config=...) to get the same run back

One idea per module, bottom to top (each imports only those above it in this list)::

    config    PlaygroundConfig: the twelve fields, their ranges, parsing of dicts and strings
    run       PlaygroundRun: the data, the network and its training in chunks (no widgets)
    frame     what the browser draws: a run as small binary arrays (output map, hidden maps, weights, losses)
    live      LatestOnly: serve the newest slider value, drop stale ones; driving runs on the event loop
    style     SIZES of the pictures by mode, and the CSS (projection: larger text, a grid fitted to the window)
    view      PlaygroundView: the anywidget that draws the boundary, the network and the loss (canvas)
    render    the same three pictures as PNG bytes (matplotlib Agg): the static copy, ``ui.images``
    controls  the ipywidgets controls and the layout (normal and projection sizes)
    driving   RunDriver: a run in chunks, now or on the event loop; watching; stopping
    widget    Playground: the update path that ties them together

Chunking never changes the result: full-batch gradient descent has no randomness, and mini-batch
epochs are shuffled with a seed made from (seed, epoch). A config therefore restores exactly. A run
that diverges (:mod:`mlp_course.criteria`) is stopped and reported in words.
"""

from ..criteria import DIVERGENCE_FACTOR
from .config import ACTIVATION_NAMES, BATCH_SIZES, DATASET_NAMES, LOSS_NAMES, MAX_EPOCHS, N_POINTS, PlaygroundConfig
from .run import CHUNK, PlaygroundData, PlaygroundRun, make_data, make_network
from .widget import DEFAULT_MORE_EPOCHS, PROJECTION_HINT, SYNC_SECONDS, WATCH_FRAMES, Playground, playground

__all__ = [
    "ACTIVATION_NAMES", "BATCH_SIZES", "CHUNK", "DATASET_NAMES", "DEFAULT_MORE_EPOCHS", "DIVERGENCE_FACTOR",
    "LOSS_NAMES", "MAX_EPOCHS", "N_POINTS", "SYNC_SECONDS", "WATCH_FRAMES", "Playground", "PlaygroundConfig",
    "PlaygroundData", "PlaygroundRun", "PROJECTION_HINT", "make_data", "make_network", "playground",
]
