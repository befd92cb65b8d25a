"""Exercise checks 4.1–4.3 of notebook 04, *Vectorized backprop*: three per-sample loops to vectorize.

=====================  ===========================================================================
exercise               the learner writes
=====================  ===========================================================================
loss_batch             ``loss_batch(X, y, weights, biases)``: the mean loss of a 2-layer net, no
                       loop over the samples
output_gradients       ``output_gradients(H, o, y)``: dL/dW1 and dL/db1 of the mean loss, no loop
per_sample_gradients   ``per_sample_gradients(H, o, y)``: every sample's own dℓ/dW1 as one
                       (n, n_hidden, n_out) array, no loop
=====================  ===========================================================================

Each check compares the learner's function with a per-sample loop on random inputs of several batch
sizes (n = 1 among them), recognises the typical mistakes of vectorizing (a forgotten bias,
transposed weights, a sum where the loop averages or the reverse, an (n, 1) − (n,) broadcast that
makes an (n, n) table, an element-wise ``*`` where a matrix product belongs) and, when the values
are right, proves that the function no longer visits the samples one at a time: the inputs are
handed over as a NumPy array subclass that notes every iteration over its rows and every
single-row index (see :mod:`mlp_course.exercises._loops`).
"""

from __future__ import annotations

import numpy as np

from ...activations import sigmoid
from ...network import MLP
from .._check import (
    CheckResult,
    LearnerError,
    as_float_array,
    learner_value,
    not_yet,
    passed,
    rtol_for,
    run_check,
)
from .._loops import call_watched, loop_hint, plain

__all__ = ["check_loss_batch", "check_output_gradients", "check_per_sample_gradients"]

BATCH_SIZES = (7, 1, 13)
"""Batch sizes every check tries (n = 1 included); none equals a layer width, so a sample axis is
never mistaken for a unit axis."""


# ------------------------------------------------------------------------------------------------
# Comparing an answer with the loop's values
def _matches(got: np.ndarray, want: np.ndarray, loose: bool = False) -> bool:
    """Equal to float64 precision, or to float32 precision when ``loose`` (an answer computed in float32)."""
    rtol, atol = (1e-4, 1e-7) if loose else (1e-7, 1e-12)
    return got.shape == want.shape and bool(np.allclose(got, want, rtol=rtol, atol=atol))


def _loose(value) -> bool:
    """True for an answer computed in float32: it is compared to float32 precision, not failed for its rounding."""
    return rtol_for(plain(value), 1e-7) > 1e-7


SHAPE_ERROR_HINT = ("Rows are samples: a layer is X @ W, (n, n_in) @ (n_in, n_out); W @ X or a transposed "
                    "W does not fit")
GRADIENT_SHAPE_HINT = ("H is (n, n_hidden) and δ is (n, n_out), one row per sample: line up the sample axes so "
                       "that H[i] meets δ_i")


# ------------------------------------------------------------------------------------------------
# Exercise 4.1: the loss of a batch
def _outputs(X, weights, biases, hidden="tanh", output="sigmoid", use_biases=(True, True)) -> np.ndarray:
    """The network's outputs (n, 1), computed by the package's own forward pass, optionally with a
    mistake built in: a bias left out (``use_biases``) or other activations (``"linear"``: none)."""
    used = [b if use else np.zeros_like(b) for b, use in zip(biases, use_biases)]
    return MLP.from_parameters(weights, used, hidden, output).forward(X)


def loss_loop(X: np.ndarray, y: np.ndarray, weights: list[np.ndarray], biases: list[np.ndarray]) -> float:
    """The loop the learner vectorizes: mean over samples of ½(o − y)², one sample at a time.

    X (n, n_in), y (n,), ``weights = [W0 (n_in, n_hidden), W1 (n_hidden, 1)]``,
    ``biases = [b0 (n_hidden,), b1 (1,)]``; tanh hidden units, a sigmoid output.
    """
    (W0, W1), (b0, b1) = weights, biases
    total = 0.0
    for x_i, y_i in zip(X, y):  # x_i: (n_in,), y_i: a number
        h_i = np.tanh(x_i @ W0 + b0)  # (n_hidden,)
        o_i = sigmoid(h_i @ W1 + b1)[0]  # a number
        total += 0.5 * (o_i - y_i) ** 2
    return total / len(X)


def _loss_case(rng: np.random.Generator, n: int, n_in: int, n_hidden: int):
    X = rng.normal(0.0, 1.0, (n, n_in))
    y = rng.integers(0, 2, n).astype(np.float64)
    y[0] = 1.0 - y[-1] if n > 1 else y[0]  # both classes whenever there are two samples
    weights = [rng.normal(0.0, 1.0, (n_in, n_hidden)), rng.normal(0.0, 1.0, (n_hidden, 1))]
    biases = [rng.normal(0.0, 1.0, n_hidden), rng.normal(0.0, 1.0, 1)]
    return X, y, weights, biases


def _loss_mistakes(X, y, weights, biases) -> list[tuple[float, str]]:
    """The values typical wrong answers give on this case, each with its hint."""
    n = len(X)
    o = _outputs(X, weights, biases)  # (n, 1)
    right = 0.5 * np.mean((o[:, 0] - y) ** 2)
    table = (o - y) ** 2  # (n, 1) - (n,) -> (n, n)
    table_hint = ("your o − y is an (n, n) table of every output minus every target: o has shape (n, 1) and y "
                  "shape (n,), and NumPy broadcasts the pair to (n, n). Make them the same shape before "
                  "subtracting")
    return [
        (0.5 * np.mean(table), table_hint),
        (0.5 * table.sum() / n, table_hint),
        (right * n, "your loss grows with the number of samples: the loop divides the total by len(X), so "
         "average over the samples instead of adding them up"),
        (right / n, "you divided by the number of samples twice (a mean of the per-sample losses is already "
         "divided by n)"),
        (2 * right, "twice the loop's value: each sample's loss is ½(o − y)²"),
        (0.5 * np.mean((_outputs(X, weights, biases, use_biases=(False, True))[:, 0] - y) ** 2),
         "you forgot the hidden layer's bias b0: every layer is X @ W + b"),
        (0.5 * np.mean((_outputs(X, weights, biases, use_biases=(True, False))[:, 0] - y) ** 2),
         "you forgot the output layer's bias b1: every layer is X @ W + b"),
        (0.5 * np.mean((_outputs(X, weights, biases, use_biases=(False, False))[:, 0] - y) ** 2),
         "you forgot both biases: every layer is X @ W + b"),
        (0.5 * np.mean((_outputs(X, weights, biases, hidden="linear")[:, 0] - y) ** 2),
         "the hidden layer's tanh is missing"),
        (0.5 * np.mean((_outputs(X, weights, biases, output="linear")[:, 0] - y) ** 2),
         "the output's sigmoid is missing"),
        (0.5 * np.mean((_outputs(X, weights, biases, hidden="sigmoid", output="tanh")[:, 0] - y) ** 2),
         "the activations are swapped: tanh in the hidden layer, the sigmoid at the output"),
        (0.5 * np.mean((_outputs(X, weights, biases, hidden="sigmoid")[:, 0] - y) ** 2),
         "the hidden layer uses the sigmoid: the loop uses tanh there"),
    ]


def check_loss_batch(loss_batch) -> CheckResult:
    """Exercise 4.1: the mean loss of a 2-layer network on a whole batch, without a loop over samples.

    ``loss_batch(X, y, weights, biases)`` receives X (n, n_in), y (n,) (one 0/1 target per sample),
    ``weights = [W0 (n_in, n_hidden), W1 (n_hidden, 1)]`` and ``biases = [b0 (n_hidden,), b1 (1,)]``
    and returns one number: the mean over the samples of ½(o − y)², with o = σ(tanh(X @ W0 + b0) @ W1
    + b1). It must equal :func:`loss_loop`.

    Passes when the value matches the loop (relative error 1e-7) on three random networks and
    batches of 7, 1 and 13 samples, and the function touches no sample on its own (see the module
    docstring). Recognised mistakes: the (n, 1) − (n,) broadcast that averages an (n, n) table; a
    sum over samples instead of the mean, or a mean divided by n again; a missing ½; a forgotten
    bias (either or both); a missing or swapped activation; ``W @ X`` or transposed weights (their
    shape error gets a reminder that rows are samples); per-sample losses instead of their mean.
    """
    exercise = "loss_batch"

    def body() -> CheckResult:
        rng = np.random.default_rng(41)
        seen: list[str] = []
        for n, (n_in, n_hidden) in zip(BATCH_SIZES, [(3, 5), (2, 4), (4, 3)]):
            X, y, weights, biases = _loss_case(rng, n, n_in, n_hidden)
            value, visits = call_watched(exercise, loss_batch, [X, y], [w.copy() for w in weights],
                                         [b.copy() for b in biases], shape_hint=SHAPE_ERROR_HINT)
            seen += visits
            got = as_float_array(exercise, plain(value), "your loss")
            loose = _loose(value)
            if got.shape != ():
                if got.size == 1:
                    return not_yet(exercise, f"your loss is an array of shape {got.shape}: return a single number "
                                   "(float(...) turns a one-element array into one)")
                if got.shape == (n, n):
                    return not_yet(exercise, f"for n = {n} samples your function returned an (n, n) array: o − y "
                                   "became a table of every output minus every target, because o has shape (n, 1) "
                                   "and y shape (n,). Make them the same shape, then return the mean")
                return not_yet(exercise, f"for n = {n} samples your function returned an array of shape {got.shape}: "
                               "return one number, the mean over the samples")
            want = loss_loop(X, y, weights, biases)
            if _matches(got, np.asarray(want), loose):
                continue
            for value_of_mistake, hint in _loss_mistakes(X, y, weights, biases):
                if np.isclose(got, value_of_mistake, rtol=1e-7, atol=1e-14):
                    return not_yet(exercise, f"{hint} (n = {n} samples)")
            return not_yet(exercise, f"for n = {n} samples your loss is {float(got):.6g}, the loop's is {want:.6g}. "
                           "Compare the two on X[:2], y[:2] step by step: Z0 (n, n_hidden), H, Z1 (n, 1), o, o − y")
        if seen:
            return not_yet(exercise, loop_hint(seen))
        return passed(exercise, "equals the loop's loss for 7, 1 and 13 samples on three networks, without visiting "
                      "the samples one by one")

    return run_check(exercise, body)


# ------------------------------------------------------------------------------------------------
# Exercises 4.2 and 4.3: the output layer's gradients
def _gradient_case(rng: np.random.Generator, n: int, n_hidden: int, n_out: int):
    H = np.tanh(rng.normal(0.0, 1.5, (n, n_hidden)))
    o = sigmoid(rng.normal(0.0, 2.0, (n, n_out)))
    y = rng.integers(0, 2, (n, n_out)).astype(np.float64)
    return H, o, y


GRADIENT_CASES = [(7, 5, 2), (1, 4, 1), (13, 3, 1)]
"""(n, n_hidden, n_out) of the three batches the gradient checks try."""


def output_gradients_loop(H: np.ndarray, o: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The loop the learner vectorizes: dL/dW1 and dL/db1 of L = mean over samples of ½‖o − y‖².

    H (n, n_hidden) hidden activations, o (n, n_out) sigmoid outputs, y (n, n_out) targets.
    Returns dL/dW1 (n_hidden, n_out) and dL/db1 (n_out,).
    """
    n = len(H)
    d_loss__d_W1 = np.zeros((H.shape[1], o.shape[1]))
    d_loss__d_b1 = np.zeros(o.shape[1])
    for h_i, o_i, y_i in zip(H, o, y):  # h_i: (n_hidden,), o_i and y_i: (n_out,)
        d_loss_i__d_z = (o_i - y_i) * o_i * (1 - o_i)  # this sample's dℓ/dz, (n_out,)
        d_loss__d_W1 += np.outer(h_i, d_loss_i__d_z) / n  # its share of the mean, (n_hidden, n_out)
        d_loss__d_b1 += d_loss_i__d_z / n
    return d_loss__d_W1, d_loss__d_b1


def _per_sample_deltas(o: np.ndarray, y: np.ndarray) -> np.ndarray:
    """dℓ_i/dz for every sample, (n, n_out): no 1/n."""
    return (o - y) * o * (1 - o)


def _gradient_mistakes(H, o, y, what: str) -> list[tuple[np.ndarray, str]]:
    """Typical wrong values of dW (``what="W"``, (n_hidden, n_out)) or db (``"b"``, (n_out,)) with hints."""
    n = len(H)
    delta = _per_sample_deltas(o, y)

    def grad(d):
        return H.T @ d if what == "W" else d.sum(axis=0)

    right = grad(delta) / n
    return [
        (-right, "right size, wrong sign: the loop uses o − y"),
        (right * n, "your gradients grow with the number of samples: the loop divides each sample's share by n, "
         "so the result is a mean over the samples, not their sum"),
        (right / n, "you divided by the number of samples twice"),
        (grad(o - y) / n, "the factor σ′(z) = o(1 − o) is missing: the loop multiplies o − y by it"),
        (grad(o - y), "the factor σ′(z) = o(1 − o) is missing, and the result is a sum over the samples where "
         "the loop takes a mean"),
    ]


def _check_pair(exercise: str, value, n: int, n_hidden: int, n_out: int) -> tuple[np.ndarray, np.ndarray]:
    """The learner's ``(dW, db)`` as arrays of the right shapes, or :class:`LearnerError` with a hint."""
    pair = learner_value(exercise, lambda: tuple(value) if isinstance(value, (tuple, list)) else None,
                         "reading your result")
    if pair is None or len(pair) != 2:
        raise LearnerError(not_yet(exercise, "return two arrays, `return d_loss__d_W1, d_loss__d_b1`, got "
                                   f"{type(value).__name__}"))
    dW = as_float_array(exercise, plain(pair[0]), "your dL/dW1")
    db = as_float_array(exercise, plain(pair[1]), "your dL/db1")
    if dW.shape != (n_hidden, n_out):
        if dW.shape == (n_out, n_hidden):
            hint = ("it is transposed. Arrange the product so that its result is (n_hidden, n_out) and the n "
                    "samples are the inner dimension it sums over")
        elif dW.shape in ((n, n_hidden), (n_hidden,), (n, n_hidden, n_out)):
            hint = ("the samples were not summed away: an element-wise `*` where a matrix product belongs, "
                    "or one gradient per sample")
        else:
            hint = "it must have W1's shape"
        raise LearnerError(not_yet(exercise, f"for H {(n, n_hidden)} and o {(n, n_out)} your dL/dW1 has shape "
                                   f"{dW.shape}, expected {(n_hidden, n_out)}: {hint}"))
    if db.shape != (n_out,):
        if db.shape in ((n, n_out), (n,)) and n > 1:
            hint = ("one value per sample: the bias gradient adds up every sample's share (the loop's `+=`), a "
                    "sum over the rows, axis=0")
        elif db.shape == (1, n_out):
            hint = "one row too many: sum over the rows without keepdims"
        else:
            hint = "it must have b1's shape"
        raise LearnerError(not_yet(exercise, f"your dL/db1 has shape {db.shape}, expected {(n_out,)}: {hint}"))
    return dW, db


def check_output_gradients(output_gradients) -> CheckResult:
    """Exercise 4.2: the output layer's gradients of the mean loss, without a loop over samples.

    ``output_gradients(H, o, y)`` receives the hidden activations H (n, n_hidden), the sigmoid outputs
    o (n, n_out) and the targets y (n, n_out) and returns ``(dL/dW1 (n_hidden, n_out), dL/db1
    (n_out,))`` for L = mean over samples of ½‖o − y‖², equal to :func:`output_gradients_loop`.

    Passes when both arrays match the loop (relative error 1e-7) for batches of 7, 1 and 13 samples
    (1 and 2 outputs) and the function touches no sample on its own. Recognised mistakes: a sum
    over the samples instead of the mean (or the mean divided by n again), the wrong sign, the
    σ′ factor missing, a transposed dW, an element-wise product that keeps one row per sample, a
    bias gradient not summed over the samples (or summed over the wrong axis).
    """
    exercise = "output_gradients"

    def body() -> CheckResult:
        rng = np.random.default_rng(42)
        seen: list[str] = []
        for n, n_hidden, n_out in GRADIENT_CASES:
            H, o, y = _gradient_case(rng, n, n_hidden, n_out)
            value, visits = call_watched(exercise, output_gradients, [H, o, y], shape_hint=GRADIENT_SHAPE_HINT)
            seen += visits
            dW, db = _check_pair(exercise, value, n, n_hidden, n_out)
            loose = _loose(value)
            want_W, want_b = output_gradients_loop(H, o, y)
            for name, got, want, what in (("dL/dW1", dW, want_W, "W"), ("dL/db1", db, want_b, "b")):
                if _matches(got, want, loose):
                    continue
                for value_of_mistake, hint in _gradient_mistakes(H, o, y, what):
                    if _matches(got, value_of_mistake):
                        return not_yet(exercise, f"{name}: {hint} (n = {n} samples)")
                return not_yet(exercise, f"{name} differs from the loop's for n = {n} samples. Compare the two on "
                               "H[:2], o[:2], y[:2]: first the per-sample δ = dℓ/dz (n, n_out), then its sums")
        if seen:
            return not_yet(exercise, loop_hint(seen))
        return passed(exercise, "dL/dW1 and dL/db1 equal the loop's for 7, 1 and 13 samples, without visiting the "
                      "samples one by one")

    return run_check(exercise, body)


def per_sample_gradients_loop(H: np.ndarray, o: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The loop the learner vectorizes: every sample's own dℓ_i/dW1, stacked, shape (n, n_hidden, n_out).

    ℓ_i = ½‖o_i − y_i‖² is sample i's own loss (no 1/n): the mean of the n gradients over the first
    axis is the batch gradient of exercise 4.2.
    """
    gradients = []
    for h_i, o_i, y_i in zip(H, o, y):
        d_loss_i__d_z = (o_i - y_i) * o_i * (1 - o_i)  # (n_out,)
        gradients.append(np.outer(h_i, d_loss_i__d_z))  # (n_hidden, n_out)
    return np.array(gradients)


def check_per_sample_gradients(per_sample_gradients) -> CheckResult:
    """Exercise 4.3: all n per-sample gradients of the output weights as one array, without a loop.

    ``per_sample_gradients(H, o, y)`` receives H (n, n_hidden), o (n, n_out), y (n, n_out) and returns
    G of shape (n, n_hidden, n_out), ``G[i]`` = dℓ_i/dW1 = outer(H[i], δ_i) with δ_i = (o_i − y_i) ⊙
    o_i(1 − o_i), equal to :func:`per_sample_gradients_loop`.

    Passes when G matches the loop for batches of 7, 1 and 13 samples and the function touches no
    sample on its own. Recognised mistakes: the batch gradient (samples summed or averaged away);
    the last two axes swapped; the sample axis last; an (n, n, …) array from pairing every sample
    with every other; dividing by n (that belongs to the mean); the wrong sign; σ′ missing.
    """
    exercise = "per_sample_gradients"

    def body() -> CheckResult:
        rng = np.random.default_rng(43)
        seen: list[str] = []
        for n, n_hidden, n_out in GRADIENT_CASES:
            H, o, y = _gradient_case(rng, n, n_hidden, n_out)
            value, visits = call_watched(exercise, per_sample_gradients, [H, o, y],
                                         shape_hint=GRADIENT_SHAPE_HINT)
            seen += visits
            got = as_float_array(exercise, plain(value), "your array")
            loose = _loose(value)
            want = per_sample_gradients_loop(H, o, y)
            expected = (n, n_hidden, n_out)
            if got.shape != expected:
                where = (f"for H {(n, n_hidden)} and o {(n, n_out)} your array has shape {got.shape}, "
                         f"expected {expected}")
                if got.shape == (n_hidden, n_out):
                    hint = ("that is one gradient for the whole batch: the samples were summed or averaged away. "
                            "Keep them apart, one (n_hidden, n_out) slice per sample")
                elif got.shape == (n, n_out, n_hidden):
                    hint = "the last two axes are swapped: each slice G[i] has W1's shape (n_hidden, n_out)"
                elif got.ndim >= 2 and got.shape[:2] == (n, n) and n > 1:
                    hint = ("an (n, n, …) array pairs every sample with every other sample: sample i's gradient "
                            "combines H[i] with δ_i only. Line up the sample axes before multiplying")
                elif got.ndim == 3 and n in got.shape[1:] and n > 1:
                    hint = "the samples must come first: G[i] is sample i's gradient"
                else:
                    hint = "one (n_hidden, n_out) slice per sample"
                return not_yet(exercise, f"{where}: {hint}")
            if _matches(got, want, loose):
                continue
            delta = _per_sample_deltas(o, y)
            known = [
                (want / n, "you divided by the number of samples: each G[i] is the gradient of sample i's own loss "
                 "½‖o_i − y_i‖²; the 1/n belongs to the mean taken afterwards"),
                (-want, "right size, wrong sign: the loop uses o − y"),
                (H[:, :, None] * (o - y)[:, None, :], "the factor σ′(z) = o(1 − o) is missing"),
                (np.broadcast_to(H.T @ delta / n, want.shape), "every slice is the same, the batch's mean gradient: "
                 "each G[i] must use sample i alone"),
            ]
            for value_of_mistake, hint in known:
                if _matches(got, value_of_mistake):
                    return not_yet(exercise, f"{hint} (n = {n} samples)")
            return not_yet(exercise, f"wrong values for n = {n} samples. Compare G[0] with "
                           "np.outer(H[0], δ_0), where δ_0 is sample 0's dℓ/dz")
        if seen:
            return not_yet(exercise, loop_hint(seen))
        return passed(exercise, "every sample's gradient equals the loop's for 7, 1 and 13 samples, without visiting "
                      "the samples one by one")

    return run_check(exercise, body)
