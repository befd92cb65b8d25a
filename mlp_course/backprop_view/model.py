"""The numbers a backprop diagram shows, step by step, taken from the package's public API.

A :class:`BackpropModel` holds, for one network and either one sample or the whole batch::

    forward    a[0] = x;  z[l] = a[l] @ W[l] + b[l];  a[l+1] = f(z[l])         (from ``net.forward_all``)
    backward   δ[L-1] = dL/dz at the output;  δ[l-1] = (δ[l] @ W[l].T) * f'(z[l-1])
               (from ``net.loss_and_gradients``: for one row, dL/db[l] is δ[l] itself)
    flows      flows[l][k, j] = W[l][k, j] · δ[l][j]: what neuron j of layer l+1 sends back to neuron k
    update     Δw = −lr · dL/dW,  Δb = −lr · dL/db,  W_new = W + Δw,  b_new = b + Δb

For the whole batch the package's loss is a *mean*, L = (1/n) Σᵢ ½‖oᵢ − yᵢ‖², so each sample's
δᵢ carries a factor 1/n and the batch's δ is the *sum* Σᵢ δᵢ (= dL/db); the nodes then show the
mean activation over the batch. :func:`mlp_model` builds the model of an ``mc.MLP``;
:mod:`.ladder` builds the same structure for the StackOverflow question's per-neuron code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike

from .._validate import check_int, check_positive_float
from ..network import MLP

MAX_WIDTH = 8
"""The widest layer a diagram draws (``[2, 8, 8, 1]`` is the largest network it is made for)."""
MAX_LAYERS = 5
"""The most layers (input and output included) a diagram draws."""
UPDATE_RULE = "Δw = −lr·a·δ, Δb = −lr·δ"
"""The update of one sample: the activation at an edge's start times the δ at its end."""
BATCH_UPDATE_RULE = "Δw = −lr·Σᵢ aᵢ·δᵢ, Δb = −lr·Σᵢ δᵢ"
"""The update of a whole batch: each sample's own a·δ, summed (its δᵢ carries the mean's 1/n); the
nodes show the mean a and the sum Σᵢ δᵢ, so Δw is *not* −lr·(mean a)·(Σᵢ δᵢ)."""

FLOW_NAME = "w·δ"
"""The label of what an edge carries back in the backward panel: backprop sends w·δ."""


@dataclass
class Step:
    """One step of the stepper: what it shows (``kind``: forward, output_delta, hidden_delta, update_layer,
    updated) for which layer, with a title and a caption in words."""

    kind: str
    layer: int
    title: str
    caption: str


@dataclass
class BackpropModel:
    """Everything a diagram shows (L = number of weight layers).

    Attributes
    ----------
    title : str
    sizes : list of int
    weights, biases : lists of ndarray           (sizes[l], sizes[l+1]), (sizes[l+1],)
    activations : list of ndarray                a[l], (sizes[l],): one sample's, or the batch mean
    deltas : list of list                        deltas[l][j]: δ of neuron j of layer l+1, a float (or, in
                                                 buggy code, the list of numbers that code holds there)
    flows : list of ndarray or None              flows[l] (sizes[l], sizes[l+1]) for l >= 1, flows[0] None
    d_loss__d_weights, d_loss__d_biases : lists  shaped like weights and biases
    weight_steps, bias_steps : lists             Δw, Δb: what the step adds
    new_weights, new_biases : lists              after the step
    has_biases : bool                            False: the code has no biases (drawn as such)
    loss : float
    steps : list of Step
    notes : dict                                 extra per-node text shown with δ: {"l,j": str}
    inputs : ndarray or None                     (n, sizes[0]): a whole batch's x, one row per sample (the
                                                 input nodes show their column); None for one sample
    update_rule : str                            what the update panel's numbers are, as a formula (the
                                                 code's own sign; sums over a batch), e.g. "Δw = −lr·a·δ"
    flow_name : str                              the label of what each edge carries back ("w·δ"; the
                                                 question's code before fix 4 sends something else)
    """

    title: str
    sizes: list[int]
    weights: list[np.ndarray]
    biases: list[np.ndarray]
    activations: list[np.ndarray]
    deltas: list[list]
    flows: list[np.ndarray | None]
    d_loss__d_weights: list[np.ndarray]
    d_loss__d_biases: list[np.ndarray]
    weight_steps: list[np.ndarray]
    bias_steps: list[np.ndarray]
    new_weights: list[np.ndarray]
    new_biases: list[np.ndarray]
    loss: float
    steps: list[Step]
    has_biases: bool = True
    notes: dict = field(default_factory=dict)
    inputs: np.ndarray | None = None
    update_rule: str = UPDATE_RULE
    flow_name: str = FLOW_NAME

    def to_json(self) -> dict:
        """The model as plain lists and floats (what the browser draws from; floats keep every digit)."""

        def plain(value):
            if value is None:
                return None
            if isinstance(value, (list, tuple)):
                return [plain(v) for v in value]
            if isinstance(value, np.ndarray):
                return value.tolist()
            if isinstance(value, (np.floating, float, int, np.integer)):
                return float(value)
            return value

        return {
            "title": self.title, "sizes": list(self.sizes), "has_biases": self.has_biases, "loss": float(self.loss),
            **{name: plain(getattr(self, name)) for name in (
                "weights", "biases", "activations", "deltas", "flows", "weight_steps", "bias_steps",
                "new_weights", "new_biases", "inputs")},
            "steps": [vars(s) for s in self.steps], "notes": dict(self.notes), "update_rule": self.update_rule,
            "flow_name": self.flow_name,
        }


def check_drawable(sizes: list[int], name: str = "net") -> None:
    """Raise ValueError naming ``name`` unless the network fits a readable diagram."""
    if len(sizes) > MAX_LAYERS or max(sizes) > MAX_WIDTH:
        raise ValueError(
            f"{name} has sizes {sizes}: a backprop diagram draws networks of at most {MAX_LAYERS} layers and "
            f"{MAX_WIDTH} neurons per layer (e.g. [2, 8, 8, 1]); for a larger network look at "
            "net.loss_and_gradients(X, y) directly")


def fmt(value) -> str:
    """A number as the diagram shows it (3 significant digits; −0 reads 0), or the list a buggy code holds."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return "[" + ", ".join(fmt(v) for v in value) + "]"
    text = f"{float(value):.3g}"
    return "0" if text == "-0" else text


def signed_sum(values, per_line: int = 2) -> str:
    """``a − b + c …`` (not ``a + -b``), ``per_line`` terms to a line, for a note beside a node."""
    terms = [fmt(v) for v in values]
    parts = [terms[0]] + [("− " + t[1:]) if t.startswith("-") else "+ " + t for t in terms[1:]]
    return "\n   ".join(" ".join(parts[i:i + per_line]) for i in range(0, len(parts), per_line))


def mlp_steps(sizes: list[int], activation: str, output_activation: str, loss: str, n: int | None,
              output_text: str) -> list[Step]:
    """The stepper's steps for a network of ``sizes`` (n: the batch size, None for one sample)."""
    L = len(sizes) - 1
    over = "" if n is None else f" (mean over the {n} samples)"
    inputs = ("The input layer holds x." if n is None else
              f"The input layer holds the {n} samples' x (the column at each input node); the other nodes show "
              f"means over the {n} samples.")
    steps = [Step("forward", 0, "forward: the inputs", inputs)]
    for l in range(1, L + 1):
        f = output_activation if l == L else activation
        steps.append(Step("forward", l, f"forward: layer {l}",
                          f"Each neuron: z = Σ w·a + b over the edges coming in, then a = {f}(z){over}."
                          + (f" {output_text}" if l == L else "")))
    if loss == "mse":
        rule = "δ = dL/dz = (o − y)·f'(z)"
    else:
        rule = "δ = dL/dz = σ(z) − y (binary cross-entropy: the σ' cancels)"
    batch = ("" if n is None else
             f" The loss is a MEAN over the batch, so each sample's δᵢ carries 1/{n}; the node shows the SUM "
             f"Σᵢ δᵢ over the {n} samples (= dL/db).")
    steps.append(Step("output_delta", L, "backward: the output δ", f"{rule}.{batch}"))
    for l in range(L - 1, 0, -1):
        steps.append(Step(
            "hidden_delta", l, f"backward: δ of layer {l}",
            "Each edge carries w·δ back from the neuron it feeds (the edge labels); a hidden neuron adds "
            "what reaches it and multiplies by f'(z): δ = (Σ w·δ)·f'(z)."
            + ("" if n is None else " Over a batch, f'(z) differs per sample: δ = Σᵢ (Σ w·δᵢ)·f'(zᵢ).")))
    for l in range(L - 1, -1, -1):
        steps.append(Step("update_layer", l, f"update: Δw, Δb of layer {l + 1}",
                          "Δw = −lr · a·δ (the activation at the edge's start times the δ at its end), "
                          "Δb = −lr · δ" + ("." if n is None else "; for the batch, a·δ is Σᵢ aᵢ·δᵢ.")))
    steps.append(Step("updated", L, "the updated weights", "W + Δw and b + Δb: the network after one step."))
    return steps


def mlp_model(net: MLP, X: ArrayLike, y: ArrayLike, sample: int | None = 0, lr: float = 0.5,
              loss: str = "mse") -> BackpropModel:
    """The diagram's numbers for ``net`` on one sample of (X, y), or on the whole batch.

    Parameters
    ----------
    net : MLP
        At most :data:`MAX_LAYERS` layers of at most :data:`MAX_WIDTH` neurons.
    X : array_like, shape (n, sizes[0])
    y : array_like, shape (n, sizes[-1]) or (n,)
    sample : int in 0 .. n-1, or None
        One sample (its own loss ½‖o − y‖², as a per-sample step descends), or None: the batch's
        mean loss (what ``mc.train`` descends in one full-batch step).
    lr : float > 0
        The learning rate of the update shown.
    loss : {"mse", "bce"}

    Returns
    -------
    BackpropModel
    """
    if not isinstance(net, MLP):
        raise TypeError(f"net must be an mc.MLP, got {type(net).__name__}")
    check_drawable(net.sizes)
    X, y = net.check_data(X, y, loss)  # (n, sizes[0]), (n, sizes[-1])
    lr = check_positive_float(lr, "lr")
    n = X.shape[0]
    if sample is not None:
        sample = check_int(sample, "sample", minimum=0)
        if sample >= n:
            raise ValueError(f"sample must be a row of X, 0 .. {n - 1}, or None for the whole batch; got {sample}")
        X, y = X[sample:sample + 1], y[sample:sample + 1]  # (1, sizes[0]), (1, sizes[-1])
    L = len(net.weights)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        _zs, a = net.forward_all(X, validate=False)  # a[l]: (rows, sizes[l])
        total = net.loss_and_gradients(X, y, loss, validate=False)
        mean_activations = [layer.mean(axis=0) for layer in a]  # (sizes[l],) each
    shown = [total.loss, *mean_activations, *total.d_loss__d_weights, *total.d_loss__d_biases]
    if not all(np.all(np.isfinite(v)) for v in shown):
        raise ValueError("X is too large for this network's diagram: its values overflow to inf/NaN "
                         "(draw inputs of ordinary size, or a network that has not diverged)")
    rows = len(X)
    deltas = [total.d_loss__d_biases[l] for l in range(L)]  # δ[l] (sizes[l+1],): Σᵢ δᵢ for a batch
    flows = [None] + [net.weights[l] * deltas[l][None, :] for l in range(1, L)]  # (sizes[l], sizes[l+1])
    weight_steps = [-lr * g for g in total.d_loss__d_weights]
    bias_steps = [-lr * g for g in total.d_loss__d_biases]
    target = y.mean(axis=0)  # (sizes[-1],): one sample's y
    if sample is None:
        title = f"MLP {net.sizes} ({net.activation}/{net.output_activation}), whole batch of {n}, lr={lr:g}"
        output_text = f"Loss L = (1/{n}) Σᵢ {'½‖oᵢ − yᵢ‖²' if loss == 'mse' else 'BCEᵢ'} = {fmt(total.loss)}."
    else:
        title = f"MLP {net.sizes} ({net.activation}/{net.output_activation}), sample {sample} of {n}, lr={lr:g}"
        output_text = (f"Target y = {', '.join(map(fmt, target))}; this sample's loss = {fmt(total.loss)}.")
    notes = {}
    if sample is None and rows <= 8:
        # each sample's δᵢ = its own one-row dL/db, divided by n in a batch (the loss is a mean)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            per_sample = [net.loss_and_gradients(X[i:i + 1], y[i:i + 1], loss, validate=False).d_loss__d_biases
                          for i in range(rows)]
        for j in range(net.sizes[-1]):
            notes[f"{L},{j}"] = "Σᵢ δᵢ =\n   " + signed_sum([d[L - 1][j] / rows for d in per_sample])
    elif sample is not None:
        notes.update({f"{L},{j}": f"target y = {fmt(target[j])}" for j in range(net.sizes[-1])})
    return BackpropModel(
        title=title, sizes=list(net.sizes), weights=[w.copy() for w in net.weights],
        biases=[b.copy() for b in net.biases], activations=mean_activations,
        deltas=[d.tolist() for d in deltas], flows=flows, d_loss__d_weights=list(total.d_loss__d_weights),
        d_loss__d_biases=list(total.d_loss__d_biases), weight_steps=weight_steps, bias_steps=bias_steps,
        new_weights=[w + s for w, s in zip(net.weights, weight_steps)],
        new_biases=[b + s for b, s in zip(net.biases, bias_steps)], loss=float(total.loss),
        steps=mlp_steps(net.sizes, net.activation, net.output_activation, loss, n if sample is None else None,
                        output_text),
        notes=notes, inputs=X.copy() if sample is None else None,
        update_rule=UPDATE_RULE if sample is not None else BATCH_UPDATE_RULE)
