"""Exercise checks 2.1, 2.2 and 2.4 of notebook 02, *Debugging backprop*: the pieces of backprop.

Each check recognises the question's own mistakes (the cost instead of its derivative, σ′ at the
wrong place, ascent, lists, all-positive ``rand`` weights, an overflowing sigmoid) and says so in
its hint.
"""

from __future__ import annotations

import numpy as np

from ...activations import sigmoid
from .._check import (
    CheckResult,
    LearnerError,
    as_float_array,
    call,
    learner_value,
    not_yet,
    passed,
    rtol_for,
    run_check,
)

__all__ = [
    "check_sigmoid_derivative",
    "check_output_delta",
    "check_initial_weights",
]


def _sigmoid_slope(z: np.ndarray) -> np.ndarray:
    s = sigmoid(z)
    return s * (1.0 - s)


def _close(a: np.ndarray, b: np.ndarray, rtol: float = 1e-6, atol: float = 1e-12) -> bool:
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol))


# ------------------------------------------------------------------------------------------------
def check_sigmoid_derivative(sigmoid_derivative) -> CheckResult:
    """Exercise 2.1: σ′(z) = dσ/dz for every entry of an array ``z``.

    Passes when ``sigmoid_derivative(z)`` returns an array of z's shape equal to σ′(z) (relative
    error 1e-6) on random z, on z = 0, and on |z| up to 1000 without an overflow warning, and
    leaves ``z`` unchanged.

    Recognised mistakes: the a-form a(1 − a) fed with z; returning σ(z) itself; the wrong sign; a
    formula through exp(−z) that overflows at large negative z (the question's ``activation``); a changed
    shape; overwriting the input.
    """
    exercise = "sigmoid_derivative"

    def body() -> CheckResult:
        rng = np.random.default_rng(2)
        z = np.concatenate([rng.normal(0.0, 3.0, 12), [0.0, 1.0, -1.0]]).reshape(3, 5)
        z_given = z.copy()
        value = call(exercise, sigmoid_derivative, z_given)
        got, rtol = as_float_array(exercise, value, "your result"), rtol_for(value, 1e-6)
        if not np.array_equal(z_given, z):
            return not_yet(exercise, "your function changed the array z it was given; compute into a new array")
        if got.shape != z.shape:
            return not_yet(exercise, f"for z of shape {z.shape} your function returned shape {got.shape}: σ′ is "
                           "element-wise, one slope per entry of z (no sums, means or reshapes)")
        want = _sigmoid_slope(z)
        if _close(got, want, rtol):
            extreme = np.array([-1000.0, -50.0, 50.0, 1000.0])
            tails = as_float_array(exercise, call(exercise, sigmoid_derivative, extreme), "your result at |z| = 1000")
            if tails.shape != extreme.shape or not np.all((tails >= 0) & (tails < 1e-20)):
                return not_yet(exercise, "right for moderate z, but not at z = ±50 or ±1000: there σ′ is tiny (0 to "
                               "within float precision), never negative")
            return passed(exercise, "σ′(z) is right on 15 values, element-wise, and stays finite and warning-free "
                          "at z = ±1000")
        if _close(got, z * (1 - z)):
            return not_yet(exercise, "you used the a(1 − a) form with z in place of a: that formula is σ′ written in "
                           "terms of the activation a = σ(z), so compute a first")
        if _close(got, sigmoid(z)):
            return not_yet(exercise, "this returns σ(z) itself: you need its slope dσ/dz")
        if _close(got, -want):
            return not_yet(exercise, "right size, wrong sign: σ is increasing, so its slope is positive everywhere")
        bad = np.unravel_index(np.argmax(np.abs(got - want)), z.shape)
        return not_yet(exercise, f"wrong values, e.g. at z = {z[bad]:.3f} you return {got[bad]:.4g}. Compare your "
                       "function with a central difference (σ(z + h) − σ(z − h)) / 2h at a few z")

    return run_check(exercise, body)


# ------------------------------------------------------------------------------------------------
def check_output_delta(output_delta) -> CheckResult:
    """Exercise 2.2: the output layer's δ = dc/dz for sigmoid outputs and c = ½ Σ (o − y)².

    ``output_delta(o, y)`` receives the outputs ``o = σ(z)`` and the targets ``y``, both of shape
    (n, k) (one row per sample), and returns δ of shape (n, k): each sample's own δ, no average.

    Recognised mistakes: the cost in place of its derivative (the question's bug 1); y − o (the sign,
    as with the question's ascent); the σ′ factor missing; σ′ taken at the wrong place (σ′(o) instead
    of σ′(z), as the question's ``activation_d(x)``); dividing by the batch size.
    """
    exercise = "output_delta"

    def body() -> CheckResult:
        rng = np.random.default_rng(3)
        o = sigmoid(rng.normal(0.0, 2.0, (5, 2)))
        y = rng.integers(0, 2, (5, 2)).astype(np.float64)
        value = call(exercise, output_delta, o.copy(), y.copy())
        got, rtol = as_float_array(exercise, value, "your δ"), rtol_for(value, 1e-6)
        if got.shape != o.shape:
            return not_yet(exercise, f"for o and y of shape {o.shape} your δ has shape {got.shape}: δ has one entry "
                           "per output of every sample (no sums over samples or outputs)")
        slope = o * (1 - o)
        want = (o - y) * slope
        if _close(got, want, rtol):
            return passed(exercise, "δ = dc/dz is right for 5 samples × 2 outputs")
        cost = 0.5 * (o - y) ** 2
        known = [
            (cost * slope, "you used the cost c itself where its derivative dc/do belongs (the question's bug 1: "
             "`o_grad = c * a_d`)"),
            (0.5 * ((o - y) ** 2).sum(axis=1, keepdims=True) * slope, "you used the cost c itself where its "
             "derivative dc/do belongs (the question's bug 1)"),
            (-want, "right size, wrong sign: differentiate ½(o − y)² with respect to o again (stepping along "
             "−δ climbs the cost, like the question's `+=`)"),
            (o - y, "the factor do/dz is missing: o = σ(z), so the chain rule needs σ′(z) as well"),
            ((y - o), "two things: the sign, and the missing factor do/dz"),
            ((o - y) * _sigmoid_slope(o), "σ′ is taken at the wrong place: σ′(o) treats the output as if it were "
             "z (the question took activation_d(x) at the input). σ′(z) can be written with o alone"),
            (want / o.shape[0], "you divided by the number of samples: here each sample keeps its own δ"),
        ]
        for value, hint in known:
            if _close(got, value):
                return not_yet(exercise, hint)
        return not_yet(exercise, "wrong values: write c as a function of z through o = σ(z) and apply the chain rule "
                       "dc/dz = dc/do · do/dz, one factor at a time")

    return run_check(exercise, body)


# ------------------------------------------------------------------------------------------------
def check_initial_weights(initial_weights) -> CheckResult:
    """Exercise 2.4: random starting weights from which backprop can learn.

    ``initial_weights(sizes, rng)`` receives layer widths such as ``[2, 4, 1]`` and a
    ``numpy.random.Generator``, and returns the list of weight matrices, ``weights[l]`` of shape
    (sizes[l], sizes[l+1]), drawn from ``rng`` (biases start at zero and are not asked for).

    Passes for weights that are reproducible from the generator, different for different seeds,
    centred on zero with a spread between 0.05 and 3 (normal, Xavier and He all pass), and not
    symmetric between units. Recognised mistakes: all-positive weights (the question's ``np.random.rand``,
    bug 8), zeros or copies (symmetric units never become different), a global ``np.random`` call
    instead of ``rng``, a spread so large that sigmoid units saturate.
    """
    exercise = "initial_weights"

    def draw(sizes, seed):
        weights = call(exercise, initial_weights, list(sizes), np.random.default_rng(seed))
        count = learner_value(exercise, lambda: len(weights) if isinstance(weights, (list, tuple)) else None,
                              "len() of your list")
        if count != len(sizes) - 1:
            got = f"a {type(weights).__name__} of {count}" if count is not None else type(weights).__name__
            extra = ": only the weights (the biases start at zero and are not asked for)" if (
                count is not None and count > len(sizes) - 1) else ""
            raise LearnerError(not_yet(exercise, f"for sizes {list(sizes)} return a list of {len(sizes) - 1} weight "
                                       f"matrices, got {got}{extra}"))
        weights = learner_value(exercise, lambda: tuple(weights), "reading your list")
        return [as_float_array(exercise, w, f"weights[{l}]", (sizes[l], sizes[l + 1])) for l, w in enumerate(weights)]

    def body() -> CheckResult:
        sizes = [64, 48, 3]
        first, again, other = draw(sizes, 0), draw(sizes, 0), draw(sizes, 1)
        if not all(np.array_equal(a, b) for a, b in zip(first, again)):
            return not_yet(exercise, "two calls with the same seed gave different weights: draw from the `rng` you are "
                           "given (rng.standard_normal, rng.normal, …), not from np.random")
        for l, W in enumerate(first):
            if np.all(W == W.flat[0]):
                return not_yet(exercise, f"every entry of weights[{l}] is the same number: identical units get "
                               "identical gradients and never become different. Draw every weight at random")
        if all(np.array_equal(a, b) for a, b in zip(first, other)):
            return not_yet(exercise, "different seeds give the same weights: the weights must be random draws from rng")
        for l, W in enumerate(first):
            if np.all(W >= 0):
                return not_yet(exercise, f"every entry of weights[{l}] is ≥ 0, like the question's np.random.rand "
                               "(bug 8): all units then start pushing their inputs the same way. Centre the draws on 0")
            if np.all(W == W[:, :1]):
                return not_yet(exercise, f"the units of weights[{l}] start identical: identical units get identical "
                               "gradients and never become different. Draw every weight separately")
            if np.all(W == W[:1, :]):
                return not_yet(exercise, f"every row of weights[{l}] is the same: each unit then weighs all its inputs "
                               "alike and sees only their sum. Draw every weight separately")
            spread, centre = float(W.std()), float(W.mean())
            if abs(centre) > 0.25 * spread + 1e-12:
                return not_yet(exercise, f"weights[{l}] average {centre:.2f} with spread {spread:.2f}: centre them "
                               "on 0")
            if spread > 3.0:
                return not_yet(exercise, f"weights[{l}] spread {spread:.1f}: with {sizes[l]} inputs the weighted "
                               "sums get so large that sigmoid units saturate (σ′ ≈ 0, learning stalls). Use a "
                               "smaller scale")
            if spread < 0.05:
                return not_yet(exercise, f"weights[{l}] spread only {spread:.3f}: so tiny a start makes every unit "
                               "almost the same and the signal fades layer by layer. Use a larger scale")
        return passed(exercise, "reproducible from rng, centred on 0, a sensible spread, and no two units alike")

    return run_check(exercise, body)
