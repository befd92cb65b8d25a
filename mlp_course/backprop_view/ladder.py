"""The diagram's numbers for the StackOverflow question's per-neuron code, at any rung of the fix ladder.

The code (:mod:`mlp_course.stackoverflow.fixes`) has 2 inputs, 2 hidden neurons and 1 output, and
updates after every sample, so its diagram is of one sample. Every number comes from
:func:`~mlp_course.stackoverflow.per_neuron_step` (the code's own intermediate values) and
:func:`~mlp_course.stackoverflow.per_neuron_gradients` (the gradient its step descends): the update
shown is ``Δw = −lr · g``, which for the question's ``+=`` is what it adds. Where a bug gives a
neuron a vector instead of one number (σ' taken at the *inputs*, bug 2), the node shows that vector.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from numpy.typing import ArrayLike

from .._validate import check_int, check_positive_float
from ..stackoverflow import FIXES, X, check_fixes, per_neuron_gradients, per_neuron_step, train_fixed, y
from .model import BackpropModel, Step, fmt


def rung_of(fixes: frozenset) -> str:
    """"rung k" when ``fixes`` is the ladder's first k fixes, else the fixes by name."""
    for k in range(len(FIXES) + 1):
        if fixes == frozenset(FIXES[:k]):
            return f"rung {k}"
    return "fixes " + ", ".join(f for f in FIXES if f in fixes)


def update_rule(fixes: frozenset, has_biases: bool) -> str:
    """What the code's update adds, as a formula: the question's ``+=`` (bug 3) adds +lr·a·δ, and
    until fix 7 (shapes) its element-wise product gives edge k → j of the hidden layer x_k·δ_k."""
    sign = "−" if "descend" in fixes else "+"
    rule = f"Δw = {sign}lr·a·δ" + (f", Δb = {sign}lr·δ" if has_biases else "")
    if "descend" not in fixes:
        rule += " (the question's sign: bug 3)"
    if "shapes" not in fixes:
        rule += f"\nhidden edge k→j: {sign}lr·x_k·δ_k, the same for every j (bug 7)"
    return rule


def flow_name(fixes: frozenset) -> str:
    """What the code sends back along each output edge: w·δ_o once fix 4 (backprop_order) is in; before it,
    lr·δ·h (its own output step) times the output weight it has already updated."""
    return "w·δ" if "backprop_order" in fixes else "sent"


def _captions(fixes: frozenset, error: str, all_positive: bool) -> dict[str, str]:
    descend = "descend" in fixes
    shapes = "shapes" in fixes
    return {
        "output_delta": (
            ("The error sent back is dc/do = o − y" if "cost_derivative" in fixes else
             "BUG 1: the error sent back is the COST'S VALUE c (never negative), not dc/do = o − y")
            + f" ({error}). "
            + ("δ = error · σ'(z_o)." if "derivative_at_z" in fixes else
               "BUG 2: δ = error · σ'(x), σ' taken at the INPUTS: δ holds one number per input, not per neuron.")),
        "hidden_delta": (
            "Each edge carries w·δ_o back, with the weights of the forward pass; the hidden neuron's "
            "δ = (w·δ_o)·σ'(z_h)." if "backprop_order" in fixes else
            "BUG 4: the code sends back lr·δ·h (its output update) through the output weights it has "
            "ALREADY UPDATED, and sums it to ONE number that every hidden neuron receives (edge labels: "
            "each term)."),
        "update": (
            ("Δw = −lr · a·δ (descent)" if descend else "BUG 3: Δw = +lr · a·δ, the code ADDS its step (ascent)")
            + ("." if shapes else "; BUG 7: element-wise products pair input k with hidden neuron k, so every "
               "hidden neuron gets the same Δw row.")
            + (" Here every Δw is positive: the weights can only grow." if all_positive else "")),
    }


def ladder_model(
    fixes: Iterable[str] = (),
    sample: int = 0,
    lr: float = 1e-2,
    seed: int = 0,
    weights: Sequence[ArrayLike] | None = None,
    biases: Sequence[ArrayLike] | None = None,
) -> BackpropModel:
    """The diagram's numbers for one step of the question's per-neuron code with ``fixes``.

    Parameters
    ----------
    fixes : collection of str
        A subset of :data:`~mlp_course.stackoverflow.FIXES`, e.g. ``so.ladder(k)`` (rung k; () is the
        question as posted).
    sample : int in 0 .. 3
        Which XOR sample (rows of ``so.X``) the step is taken on.
    lr : float > 0
        The code's learning rate (the question's 1e-2).
    seed : int
        Seed of the code's initial weights (as in :func:`~mlp_course.stackoverflow.train_fixed`).
    weights : [(2, 2), (2, 1)], optional
        Parameters in MLP layout instead of the code's initial draw.
    biases : [(2,), (1,)], optional
        Used with the ``"bias"`` fix; zeros by default.

    Returns
    -------
    BackpropModel
    """
    chosen = check_fixes(fixes)
    sample = check_int(sample, "sample", minimum=0)
    if sample >= len(X):
        raise ValueError(f"sample must be one of the question's {len(X)} XOR samples, 0 .. {len(X) - 1}; got {sample}")
    lr = check_positive_float(lr, "lr")
    if weights is None:
        start = train_fixed(chosen, seed=seed, max_iterations=1)
        weights, drawn_biases = start.initial_weights, start.initial_biases
        biases = drawn_biases if biases is None else biases
    if biases is None:
        biases = [np.zeros(np.shape(w)[1]) for w in weights]
    weights = [np.array(w, dtype=np.float64) for w in weights]
    biases = [np.array(b, dtype=np.float64) for b in biases]
    x, target = X[sample].astype(np.float64), float(y[sample])  # (2,), a number
    step = per_neuron_step(weights, biases, x, target, chosen, lr)
    g_weights, g_biases = per_neuron_gradients(weights, biases, x, target, chosen, lr)
    has_biases = g_biases is not None
    if g_biases is None:
        g_biases = [np.zeros_like(b) for b in biases]
    per_neuron = "derivative_at_z" in chosen  # before fix 2, δs are indexed by input

    def node_values(delta: np.ndarray, width: int) -> list:
        return delta.tolist() if per_neuron and delta.shape == (width,) else [delta.tolist()] * width

    n_h = weights[0].shape[1]
    if "backprop_order" in chosen:
        flows = weights[1] * step.d_loss__d_z_o[None, :]  # (n_h, 1): W_o[k] · δ_o
    else:  # the code: lr·δ·h, element k times the UPDATED output weight of hidden neuron k
        flows = (np.ravel(step.o_delta) * step.o_layer_for_hidden[0]).reshape(n_h, 1)
    weight_steps = [-lr * g for g in g_weights]
    bias_steps = [-lr * g for g in g_biases]
    error = (f"c = {fmt(step.error)}" if np.ndim(step.error) == 0 else
             f"o − y = {fmt(step.o[0])} − {fmt(target)} = {fmt(np.ravel(step.error)[0])}")
    all_positive = all(bool(np.all(s > 0)) for s in weight_steps)
    words = _captions(chosen, error, all_positive)
    b = " + b" if has_biases else ""
    steps = [
        Step("forward", 0, "forward: the inputs",
             f"The question's XOR sample {sample}: x = {x.tolist()}, y = {target:g}."),
        Step("forward", 1, "forward: the hidden layer", f"z_h = x·W_h{b}, h = σ(z_h)."),
        Step("forward", 2, "forward: the output",
             f"z_o = h·W_o{b}, o = σ(z_o); cost c = ½(o − y)² = {fmt(step.cost)}."),
        Step("output_delta", 2, "backward: the output δ", words["output_delta"]),
        Step("hidden_delta", 1, "backward: the hidden δ", words["hidden_delta"]),
        Step("update_layer", 1, "update: Δw of the output layer", words["update"]),
        Step("update_layer", 0, "update: Δw of the hidden layer", words["update"]),
        Step("updated", 2, "the updated weights", "W + Δw (and b + Δb): the weights after this sample's step."),
    ]
    notes = {"2,0": f"error sent back:\n{error}"}
    if "backprop_order" not in chosen:
        notes.update({f"1,{k}": f"receives Σ = {fmt(np.ravel(step.h_error)[0])}" for k in range(n_h)})
    return BackpropModel(
        title=f"The question's per-neuron code, {rung_of(chosen)}: sample {sample}, lr={lr:g}",
        sizes=[weights[0].shape[0], n_h, weights[1].shape[1]], weights=weights, biases=biases,
        activations=[x, step.h, step.o],
        deltas=[node_values(step.d_loss__d_z_h, n_h), node_values(step.d_loss__d_z_o, weights[1].shape[1])],
        flows=[None, flows], d_loss__d_weights=list(g_weights), d_loss__d_biases=list(g_biases),
        weight_steps=weight_steps, bias_steps=bias_steps,
        new_weights=[w + s for w, s in zip(weights, weight_steps)],
        new_biases=[b_ + s for b_, s in zip(biases, bias_steps)], loss=step.cost, steps=steps,
        has_biases=has_biases, notes=notes, update_rule=update_rule(chosen, has_biases), flow_name=flow_name(chosen))
