"""The mistake models: correct backprop with one deliberate change each, and the verdicts they lead to.

A model is a :class:`MistakeModel` (which mistake, where, in which layer); :func:`model_gradients`
computes the gradients backprop would return with that mistake built in, by the package's own
forward pass; :func:`mistake_models` lists every model that makes sense for a network's widths;
:func:`factors` lists the scalar factors (−1, n, 1/n, lr, …) a wrong array may carry on top.
:data:`MISTAKES` gives every verdict's headline, by key.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import losses as _losses
from ..activations import ACTIVATIONS
from ..network import MLP

MISTAKES: dict[str, str] = {
    "sign_flipped": "sign flipped: this is −(the gradient); stepping along it climbs the loss (the question's `+=`)",
    "missing_derivative": "the activation-derivative factor f′(z) is missing",
    "derivative_at_wrong_place": "the activation derivative is taken at the wrong place",
    "wrong_activation_derivative": "the derivative of the wrong activation",
    "wrong_hidden_activation": "the gradient of another network: its hidden units use another activation",
    "transposed": "transposed",
    "scaled_by_learning_rate": "scaled by the learning rate: this is the step lr·g, not the gradient g",
    "scaled_by_batch_size": "scaled by the batch size",
    "bias_not_summed": "bias gradient not summed over the batch: one row per sample",
    "stale_weights": "stale weights: the error is sent back through weights this step already updated",
    "update_sent_back": "the output weights' update lr·δ·h is sent back (through the updated weights) instead of "
    "the error δ, so every hidden unit receives the same number (the question's bug 4)",
    "loss_instead_of_derivative": "the output error is the loss itself, not its derivative dL/do "
    "(the question's bug 1)",
    "biases_ignored": "the forward pass inside your function leaves out the biases",
    "elementwise_product": "an element-wise product δ * a where the outer product aᵀ @ δ belongs "
    "(the question's bug 7)",
    "constant_factor": "off by a constant factor",
    "reversed_order": "layers returned in reverse order",
    "missing": "missing: your function returned None for it",
    "wrong_shape": "wrong shape",
    "not_finite": "contains NaN or infinite values",
    "zeros": "all zeros",
    "unknown": "wrong, in a way that matches no mistake this diagnoser knows",
}
"""Every verdict a wrong array can get, by key, with its headline."""

LABELS: dict[str, str] = {
    "sign_flipped": "sign flipped (ascent)",
    "missing_derivative": "f′(z) factor missing",
    "derivative_at_wrong_place": "f′ taken at the wrong place",
    "wrong_activation_derivative": "f′ of the wrong activation",
    "wrong_hidden_activation": "hidden units of another activation",
    "transposed": "transposed",
    "scaled_by_learning_rate": "scaled by the learning rate",
    "scaled_by_batch_size": "scaled by the batch size",
    "bias_not_summed": "bias gradient not summed over the batch",
    "stale_weights": "error sent back through updated weights",
    "update_sent_back": "weight update sent back instead of the error δ",
    "loss_instead_of_derivative": "loss in place of its derivative",
    "biases_ignored": "biases left out of the forward pass",
    "elementwise_product": "element-wise product in place of aᵀ @ δ",
    "constant_factor": "off by a constant factor",
    "reversed_order": "layers in reverse order",
    "missing": "missing (None)",
    "wrong_shape": "of the wrong shape",
    "not_finite": "NaN or infinite",
    "zeros": "all zeros",
    "unknown": "wrong in a way no known mistake matches",
}
"""Every verdict in a few words, by key, for one-line summaries (:attr:`BackpropDiagnosis.mistakes`).
The last five describe the arrays themselves, so a summary names the arrays first (see
:data:`ABOUT_THE_ARRAYS`)."""

ABOUT_THE_ARRAYS = ("missing", "wrong_shape", "not_finite", "zeros", "unknown")
"""Verdicts that describe the arrays rather than a mistake: "bias gradients missing (None)"."""

WRONG_DERIVATIVE: dict[str, tuple[str, str]] = {
    "sigmoid": ("1\u00a0−\u00a0a² (tanh′)", "σ′ = a(1\u00a0−\u00a0a)"),
    "tanh": ("a(1\u00a0−\u00a0a) (σ′)", "tanh′ = 1\u00a0−\u00a0a²"),
}
"""For a layer of this activation: the other activation's derivative that a learner may write in
its place (in terms of a), and the derivative the layer needs (no-break spaces keep each formula
on one line when a report wraps)."""


OTHER_ACTIVATION = {"sigmoid": "tanh", "tanh": "sigmoid"}
"""For sigmoid and tanh, the activation a learner may take for it: its derivative, or its whole network."""


def _other_derivative(name: str, z: np.ndarray, a: np.ndarray, at_z: bool) -> np.ndarray:
    """The derivative of the activation that is *not* ``name`` (sigmoid ↔ tanh), at z or from a = f(z)."""
    other = ACTIVATIONS[OTHER_ACTIVATION[name]]
    return other.derivative(z) if at_z else other.derivative_at_output(a)


EVERY_LAYER = -2
""":attr:`MistakeModel.layer` of a mistake made in every layer."""


@dataclass(frozen=True)
class MistakeModel:
    """Correct backprop with one deliberate change.

    ``key`` is a :data:`MISTAKES` key ("" for correct backprop); ``detail`` says where and how, in
    words; ``layer`` is the layer whose backward step holds the mistake (−1: none, :data:`EVERY_LAYER`:
    all); the arrays of the layers below inherit its error.
    """

    key: str
    detail: str
    layer: int


def model_gradients(model: MistakeModel, weights, biases, X, y, hidden, output, loss, lr):
    """The gradients backprop would return with ``model``'s mistake, or None where it is not modelled.

    ``weights[l]`` (sizes[l], sizes[l+1]), ``biases[l]`` (sizes[l+1],), X (n, sizes[0]), y (n, sizes[-1]);
    ``hidden``, ``output`` are :class:`mlp_course.activations.Activation` objects. Returns
    ``(d_loss__d_weights, d_loss__d_biases)`` shaped like the parameters.
    """
    key, at, last = model.key, model.layer, len(weights) - 1
    if key == "wrong_hidden_activation":  # forward and backward both of the other activation: a consistent gradient
        hidden = ACTIVATIONS[OTHER_ACTIVATION[hidden.name]]
    # the package's own forward pass (zs[l], acts[l]; acts[0] = X), with the biases zeroed for biases_ignored
    used_biases = [np.zeros_like(b) for b in biases] if key == "biases_ignored" else biases
    zs, acts = MLP.from_parameters(weights, used_biases, hidden.name, output.name).forward_all(X)
    n = X.shape[0]
    o = acts[-1]
    if key == "loss_instead_of_derivative" and model.detail.startswith("per output"):
        d_loss__d_o = 0.5 * (o - y) ** 2 / n  # (n, k): each output's own loss in place of its dL/do_k
    elif key == "loss_instead_of_derivative":  # per-sample loss, shape (n, 1), in place of dL/do
        per_sample = 0.5 * ((o - y) ** 2).sum(axis=1, keepdims=True) if loss == "mse" else (
            (_losses.softplus(zs[-1]) - y * zs[-1]).sum(axis=1, keepdims=True))
        d_loss__d_o = per_sample / n
    elif loss == "mse":
        d_loss__d_o = (o - y) / n
    else:  # bce: dL/do = (o − y) / (o (1 − o)) / n; times σ′(z) = o (1 − o) gives (o − y) / n
        d_loss__d_o = None

    def slope(l):
        """The factor f′ multiplying δ at layer l, as the model computes it."""
        act = output if l == last else hidden
        if l != at and at != EVERY_LAYER:
            return act.derivative(zs[l])
        if key == "missing_derivative":
            return 1.0
        if key == "wrong_activation_derivative":
            return _other_derivative(act.name, zs[l], acts[l + 1], model.detail.startswith(("tanh′(z)", "σ′(z)")))
        if model.detail.startswith("f′(a)"):
            return act.derivative(acts[l + 1])
        if model.detail.startswith("a-form"):
            return act.derivative_at_output(zs[l])
        if model.detail.startswith("input"):
            return act.derivative(acts[l])  # same shape as z[l]: only built when the widths agree
        return act.derivative(zs[l])

    if d_loss__d_o is None:
        d_loss__d_z = _losses.bce_from_logits_gradient(zs[-1], y)  # (n, sizes[-1])
        if (key in ("missing_derivative", "derivative_at_wrong_place", "wrong_activation_derivative")
                and at == last) or key == "loss_instead_of_derivative":
            return None  # these output-layer mistakes are only modelled for mse
    else:
        d_loss__d_z = d_loss__d_o * slope(last)  # (n, sizes[-1])
    d_loss__d_weights, d_loss__d_biases = [None] * len(weights), [None] * len(biases)
    elementwise = [None] * len(weights)
    for l in range(last, -1, -1):
        d_loss__d_weights[l] = acts[l].T @ d_loss__d_z  # (sizes[l], n) @ (n, sizes[l+1])
        if acts[l].shape == d_loss__d_z.shape:  # the question's bug 7: Σ_i a_ik δ_ik, the same for every column
            elementwise[l] = np.repeat((acts[l] * d_loss__d_z).sum(axis=0)[:, None], d_loss__d_z.shape[1], axis=1)
        d_loss__d_biases[l] = d_loss__d_z.sum(axis=0)  # (sizes[l+1],)
        if l == 0:
            break
        W = weights[l]
        if key == "elementwise_product" and at == l:
            d_loss__d_weights[l] = elementwise[l]
        if key == "stale_weights" and at == l - 1:
            W = W - lr * d_loss__d_weights[l]
        if key == "transposed" and at == l - 1:
            W = W.T  # δ @ W instead of δ @ Wᵀ (square W only)
        if key == "update_sent_back" and at == l - 1:  # the question's np.dot(o_delta, o_layer.T)
            W = W - lr * d_loss__d_weights[l]
            # (n, 1) * (n, sizes[l])
            d_loss__d_z = (lr * (d_loss__d_z * (acts[l] @ W)).sum(axis=1, keepdims=True)) * slope(l - 1)
            continue
        d_loss__d_z = (d_loss__d_z @ W.T) * slope(l - 1)  # (n, sizes[l])
    if key == "elementwise_product" and at == 0:
        d_loss__d_weights[0] = elementwise[0]
    return d_loss__d_weights, d_loss__d_biases


def _wrong_activation_models(name: str, where: str, l: int) -> list[MistakeModel]:
    """The other activation's derivative (sigmoid ↔ tanh) in a layer of activation ``name``, in its two forms."""
    if name not in WRONG_DERIVATIVE:
        return []
    written, needed = WRONG_DERIVATIVE[name]
    other = "tanh′(z) = 1 − tanh(z)²" if name == "sigmoid" else "σ′(z) = σ(z)(1 − σ(z))"
    return [MistakeModel("wrong_activation_derivative", f"{written} in the {where}, whose {name} needs {needed}", l),
            MistakeModel("wrong_activation_derivative", f"{other} in the {where}, whose {name} needs {needed}", l)]


def mistake_models(sizes, loss: str, has_lr: bool, hidden: str = "sigmoid",
                   output: str = "sigmoid") -> list[MistakeModel]:
    """Every mistake model that makes sense for a network of these ``sizes`` (correct backprop first).

    ``hidden`` and ``output`` name the activations (hidden layers, output layer) the learner's code assumes.
    """
    last = len(sizes) - 2
    models = [MistakeModel("", "", -1), MistakeModel("biases_ignored", "", -1)]
    if loss == "mse":
        models.append(MistakeModel("loss_instead_of_derivative", "in the output layer", last))
        if sizes[-1] > 1:
            models.append(MistakeModel("loss_instead_of_derivative", "per output: each output's own loss "
                                       "½(o_k − y_k)² in place of its derivative dL/do_k", last))
    for l in range(last + 1):
        where = "output layer" if l == last else f"hidden layer {l + 1}"
        if loss == "mse" or l != last:
            models += [
                MistakeModel("missing_derivative", f"in the {where}", l),
                MistakeModel("derivative_at_wrong_place", f"f′(a) in the {where}: f′ applied to the activation "
                             "a = f(z), not to z", l),
                MistakeModel("derivative_at_wrong_place", f"a-form in the {where}: the formula in terms of a (such "
                             "as a(1 − a)) was given z", l),
            ]
            if sizes[l] == sizes[l + 1]:
                models.append(MistakeModel("derivative_at_wrong_place", f"input of the {where}: f′ taken at the "
                                           "layer's input instead of its own z (the question's activation_d(x))", l))
            models += _wrong_activation_models(output if l == last else hidden, where, l)
        if sizes[l] == sizes[l + 1]:
            models.append(MistakeModel("elementwise_product", f"for W{l}: input k is paired with unit k only, and "
                                       "every unit gets the same column", l))
        if l < last:
            if has_lr:
                models.append(MistakeModel("stale_weights", f"δ reached hidden layer {l + 1} through W{l + 1} "
                                           "after its update", l))
                models.append(MistakeModel("update_sent_back", f"into hidden layer {l + 1}", l))
            if sizes[l + 1] == sizes[l + 2]:
                models.append(MistakeModel("transposed", f"δ sent back into hidden layer {l + 1} through "
                                           f"W{l + 1} instead of W{l + 1}ᵀ", l))
    if last >= 1:
        models += [
            MistakeModel("missing_derivative", "in every layer", EVERY_LAYER),
            MistakeModel("derivative_at_wrong_place", "f′(a) in every layer", EVERY_LAYER),
            MistakeModel("derivative_at_wrong_place", "a-form in every layer", EVERY_LAYER),
        ]
        if hidden in WRONG_DERIVATIVE:  # e.g. a lesson's tanh forward and backward reused for a sigmoid network
            other = OTHER_ACTIVATION[hidden]
            models.append(MistakeModel("wrong_hidden_activation", f"{other} hidden units, forward and backward, where "
                                       f"this network's are {hidden} (a {other} network's code reused)",
                                       EVERY_LAYER))
        if hidden in WRONG_DERIVATIVE and output in WRONG_DERIVATIVE and loss == "mse":
            models.append(MistakeModel("wrong_activation_derivative", "in every layer: 1 − a² (tanh′) for a sigmoid, "
                                       "a(1 − a) (σ′) for a tanh", EVERY_LAYER))
    return models


def factors(n: int, lr: float | None) -> list[tuple[float, tuple[str, ...]]]:
    """Scalar factors a wrong array may carry (for a batch of ``n``), with the mistakes they mean."""
    found = [(1.0, ()), (-1.0, ("sign_flipped",)), (n, ("scaled_by_batch_size",)),
             (1.0 / n, ("scaled_by_batch_size",)), (2.0, ("constant_factor",)), (0.5, ("constant_factor",))]
    if lr is not None:
        found += [(lr, ("scaled_by_learning_rate",)), (-lr, ("scaled_by_learning_rate", "sign_flipped"))]
    found += [(-n, ("sign_flipped", "scaled_by_batch_size")), (-1.0 / n, ("sign_flipped", "scaled_by_batch_size"))]
    return found
