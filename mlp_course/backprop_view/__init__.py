"""Backprop you can watch: a diagram of a network that steps through one forward and backward pass.

>>> import mlp_course as mc
>>> X, y = mc.datasets.xor()
>>> view = mc.show_backprop(mc.MLP([2, 3, 1], seed=0), X, y, sample=1)   # doctest: +SKIP
>>> view                                   # in a notebook: the stepper (and a PNG for static viewers)

One idea per module:

``model``
    :class:`BackpropModel`, the numbers of every step, from ``net.forward_all`` and
    ``net.loss_and_gradients`` (:func:`mlp_model`).
``ladder``
    The same for the StackOverflow question's per-neuron code at any rung of the fix ladder
    (:func:`ladder_model`, from ``so.per_neuron_step`` and ``so.per_neuron_gradients``).
``draw``
    The static matplotlib picture (what GitHub, nbviewer and nbval see).
``widget``
    :class:`BackpropWidget`, the stepper drawn as SVG in the browser (anywidget): buttons and ← / →.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable

from numpy.typing import ArrayLike

from .._validate import check_int
from ..network import MLP
from ..training import XOR_DEFAULTS
from .draw import summary_figure, summary_png
from .ladder import ladder_model
from .model import BackpropModel, mlp_model

LADDER_SAMPLE = 3
"""The question's sample shown by default: x = (1, 1), the one where every weight gets a step."""


class BackpropView:
    """A backprop diagram: the stepper in a live notebook, a PNG where widgets can't render.

    Attributes
    ----------
    model : BackpropModel
        Every number the diagram shows.
    widget : BackpropWidget
        The interactive view (created with the view).
    """

    def __init__(self, model: BackpropModel, step: int = 0) -> None:
        from .widget import BackpropWidget

        self.model = model
        step = check_int(step, "step", minimum=0)
        if step >= len(model.steps):
            raise ValueError(f"step must be 0 .. {len(model.steps) - 1} (the diagram has {len(model.steps)} steps), "
                             f"got {step}")
        self.widget = BackpropWidget(data=model.to_json(), step=step)

    @property
    def step(self) -> int:
        """The step shown (synced with the browser)."""
        return self.widget.step

    @step.setter
    def step(self, value: int) -> None:
        value = check_int(value, "step", minimum=0)
        if value >= len(self.model.steps):
            raise ValueError(f"step must be 0 .. {len(self.model.steps) - 1}, got {value}")
        self.widget.step = value

    def figure(self):
        """The static picture: forward pass, δs flowing back, updates (a matplotlib Figure)."""
        return summary_figure(self.model)

    def __repr__(self) -> str:
        return f"<backprop diagram: {self.model.title}; {len(self.model.steps)} steps>"

    def _repr_mimebundle_(self, include=None, exclude=None) -> tuple[dict, dict]:
        """The widget's view, a PNG of the summary figure, and a deterministic one-line text."""
        shown = self.widget._repr_mimebundle_(include=include, exclude=exclude)
        data, metadata = (shown if isinstance(shown, tuple) else (shown or {}, {}))
        data = {**data, "image/png": base64.b64encode(summary_png(self.model)).decode("ascii"),
                "text/plain": repr(self)}
        return data, dict(metadata)


def show_backprop(
    net_or_fixes: MLP | Iterable[str],
    X: ArrayLike | None = None,
    y: ArrayLike | None = None,
    *,
    sample: int | None = None,
    lr: float | None = None,
    loss: str = "mse",
    seed: int = 0,
    step: int = 0,
) -> BackpropView:
    """A diagram that steps through one forward and backward pass: a, δ, w·δ, Δw, Δb, the new weights.

    Parameters
    ----------
    net_or_fixes : MLP, or collection of str
        An ``mc.MLP`` of at most 5 layers and 8 neurons per layer (e.g. ``[2, 8, 8, 1]``), or the
        StackOverflow question's per-neuron code with these fixes, e.g. ``so.ladder(k)`` (rung k;
        ``so.ladder(0) == ()``, the question as posted; ``so.FIXES``, every fix).
    X : array_like, shape (n, sizes[0])
        The data (an MLP only; the question's code runs on its own XOR data ``so.X``, ``so.y``).
    y : array_like, shape (n, sizes[-1]) or (n,)
    sample : int or None
        MLP: one row of ``X`` (the step on that sample's own loss), or None for the whole batch (the
        mean loss: each δᵢ carries 1/n, the diagram shows the sums). Question: one of its 4
        samples; None shows sample 3, x = (1, 1).
    lr : float > 0, optional
        Learning rate of the update (default: the course's XOR ``lr`` for an MLP, the question's 1e-2).
    loss : {"mse", "bce"}
        MLP only.
    seed : int
        The question's initial weights (``np.random.seed(seed)``); MLP: unused.
    step : int
        The step shown first.

    Returns
    -------
    BackpropView
        Displays as the stepper (buttons, ← / →) with a static PNG beside it for viewers without widgets.
    """
    if isinstance(net_or_fixes, MLP):
        if X is None or y is None:
            raise ValueError("X and y are required with a network: show_backprop(net, X, y)")
        model = mlp_model(net_or_fixes, X, y, sample, XOR_DEFAULTS["lr"] if lr is None else lr, loss)
    elif isinstance(net_or_fixes, (str, bytes)) or not isinstance(net_or_fixes, Iterable):
        raise TypeError("net_or_fixes must be an mc.MLP or a collection of fix names such as so.ladder(3), "
                        f"got {type(net_or_fixes).__name__}")
    else:
        if X is not None or y is not None:
            raise ValueError("X and y must be None for the question's code: it runs on its own XOR data so.X, so.y")
        if loss != "mse":
            raise ValueError(f"loss must be 'mse' for the question's code (its cost is ½(o − y)²), got {loss!r}")
        model = ladder_model(net_or_fixes, LADDER_SAMPLE if sample is None else sample, 1e-2 if lr is None else lr,
                             seed)
    return BackpropView(model, step)


__all__ = ["BackpropModel", "BackpropView", "show_backprop", "mlp_model", "ladder_model"]
