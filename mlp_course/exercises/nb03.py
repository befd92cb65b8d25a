"""Exercise checks of notebook 03, *The accepted answer*.

=====================  ===========================================================================
exercise               the learner writes
=====================  ===========================================================================
answer_step            ``step(weights, biases, x, target, learning_rate)``: one per-sample step of
                       the answer's network, with the hidden error sent back through the output
                       weights of the forward pass (the answer's one remaining bug, fixed)
stuck_seed             ``stuck_seed``: a seed (not 0) from which the answer's code ends its
                       100 000 epochs in a local minimum instead of solving XOR
epochs_prediction      ``predicted_epochs``: the epoch at which the answer's code solves XOR from
                       seed 3 at learning rate 0.05, predicted from the notebook's runs
=====================  ===========================================================================

The first check recognises the answer's own update order (stale weights), ascent, a missing σ′
factor at the output or the hidden layer, the learning rate applied twice, biases not updated and
the question's cost in place of its derivative. The other two run the answer's code at check time
(:func:`mlp_course.stackoverflow.train_answer`) instead of trusting a number copied from a run.
"""

from __future__ import annotations

import numbers

import numpy as np

from ..activations import sigmoid
from ..stackoverflow import answer_gradients, train_answer
from ..stackoverflow import y as _seed_targets
from ._check import (
    UNANSWERED_HINT,
    CheckResult,
    LearnerError,
    as_float_array,
    call,
    learner_value,
    not_yet,
    passed,
    rtol_for,
    run_check,
    safe_repr,
    unanswered,
)

__all__ = [
    "check_answer_step",
    "check_stuck_seed",
    "check_epochs_prediction",
]

PARAMETER_NAMES = ("W_h", "b_h", "W_o", "b_o")
"""The four parameter arrays of the answer's network, in the order the checks compare them."""


# ------------------------------------------------------------------------------------------------
# Exercise 3.1: one per-sample step in backprop's order
STEP_CASES = ((2, 2, 0.5, 1.0), (3, 4, 0.01, 0.0), (2, 5, 0.3, 1.0), (4, 3, 0.2, 0.0))
"""(n_i, n_h, learning_rate, target) of the random cases: the answer's 2-2-1 first (square, so
that a transposed outer product runs and can be named), its learning rate 0.01 among them."""


def _step_case(index: int) -> tuple[list[np.ndarray], np.ndarray, float, float]:
    """Random parameters ``[W_h (n_i, n_h), b_h (n_h,), W_o (n_h, 1), b_o (1,)]``, x (n_i,), target, lr."""
    n_i, n_h, learning_rate, target = STEP_CASES[index]
    rng = np.random.default_rng(300 + index)
    params = [rng.normal(0.0, 1.5, (n_i, n_h)), rng.normal(0.0, 0.5, n_h),
              rng.normal(0.0, 1.5, (n_h, 1)), rng.normal(0.0, 0.5, 1)]
    return params, rng.normal(0.0, 1.0, n_i), target, learning_rate


def _mistaken_gradients(params, x, target: float, learning_rate: float, mistake: str) -> list[np.ndarray]:
    """What a step with one named ``mistake`` effectively descends: ``new = p - learning_rate * g``.

    Returns ``[g_W_h (n_i, n_h), g_b_h (n_h,), g_W_o (n_h, 1), g_b_o (1,)]``. The correct step and
    the answer's stale order come from :mod:`mlp_course.stackoverflow` instead (see the check).
    """
    W_h, b_h, W_o, b_o = params
    h = sigmoid(x @ W_h + b_h)  # (n_h,)
    o = sigmoid(h @ W_o + b_o)  # (1,)
    d_cost__d_o = 0.5 * (o - target) ** 2 if mistake == "cost_not_derivative" else o - target
    delta_o = d_cost__d_o if mistake == "no_output_slope" else d_cost__d_o * o * (1 - o)  # (1,)
    sent_back = learning_rate * delta_o if mistake == "lr_in_hidden_error" else delta_o
    d_cost__d_h = W_o @ sent_back  # (n_h,)
    delta_h = d_cost__d_h if mistake == "no_hidden_slope" else d_cost__d_h * h * (1 - h)  # (n_h,)
    d_W_h = np.outer(delta_h, x) if mistake == "transposed" else np.outer(x, delta_h)
    gradients = [d_W_h, delta_h, np.outer(h, delta_o), delta_o]
    if mistake == "ascent":
        return [-g for g in gradients]
    if mistake == "lr_twice":
        return [learning_rate * g for g in gradients]
    for frozen, name in ((1, "no_hidden_bias"), (3, "no_output_bias")):
        if mistake in (name, "no_biases"):
            gradients[frozen] = np.zeros_like(gradients[frozen])
    return gradients


STEP_MISTAKES = {
    "stale": "the hidden error is sent back through W_o *after* its update — the accepted answer's own "
             "order (stale weights). Backprop needs the W_o of the forward pass: keep it (or the hidden error) "
             "from before the update",
    "ascent": "every parameter moved the wrong way: your step climbs the cost (`+=` where the answer "
              "subtracts)",
    "no_output_slope": "the output layer's σ′ factor is missing: o = σ(z_o), so dc/dz_o needs do/dz_o as well "
                       "(the answer's cost_d includes it)",
    "no_hidden_slope": "the output layer is right, the hidden layer misses its σ′ factor: h = σ(z_h), so the "
                       "error reaching z_h is dc/dh · dh/dz_h",
    "lr_twice": "every step is the right direction but learning_rate times too small: the learning rate is "
                "applied twice (once in a gradient, once in the update)",
    "lr_in_hidden_error": "the hidden error is sent back from the output layer's *step* (learning_rate × δ), "
                          "not from its error δ, so the learning rate enters the hidden step twice (the "
                          "question's `np.dot(o_delta, o_layer.T)`)",
    "cost_not_derivative": "the output error is the cost ½(o − y)² itself, not its derivative dc/do (the "
                           "question's bug 1)",
    "transposed": "W_h's step is transposed: it must have W_h's shape (n_i, n_h), one entry per (input, "
                  "hidden unit); check the order of the two vectors in your outer product",
    "no_biases": "the weights are updated right, but neither bias changes: the biases learn too (their "
                 "gradient is the layer's δ)",
    "no_hidden_bias": "everything is right except the hidden biases b_h, which did not change",
    "no_output_bias": "everything is right except the output bias b_o, which did not change",
}
"""Mistake name -> hint (the names are :func:`_mistaken_gradients`'s, plus the answer's ``stale``)."""


def _close(a: np.ndarray, b: np.ndarray, rtol: float = 1e-6) -> bool:
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=1e-10 if rtol <= 1e-6 else 1e-4))


def _all_close(got: list[np.ndarray], want: list[np.ndarray], rtol: float = 1e-6) -> bool:
    return all(_close(g, w, rtol) for g, w in zip(got, want))


def _rtol(low_precision: bool) -> float:
    """1e-6, or a float32 step's looser tolerance: (old − new) / lr magnifies float32 rounding by 1/lr."""
    return 1e-2 if low_precision else 1e-6


def _model(name: str, params, x, target: float, learning_rate: float) -> list[np.ndarray]:
    """The gradient a step with mistake ``name`` descends (``stale``: the accepted answer's own order)."""
    if name == "stale":
        weights, biases = [params[0], params[2]], [params[1], params[3]]
        return _in_mlp_order(*answer_gradients(weights, biases, x, target, learning_rate, fix_update_order=False))
    return _mistaken_gradients(params, x, target, learning_rate, name)


def _in_mlp_order(d_weights, d_biases) -> list[np.ndarray]:
    """``([d_W_h, d_W_o], [d_b_h, d_b_o])`` as ``[d_W_h, d_b_h, d_W_o, d_b_o]`` (float arrays)."""
    return [np.asarray(a, dtype=np.float64) for a in (d_weights[0], d_biases[0], d_weights[1], d_biases[1])]


def _new_parameters(exercise: str, step, params, x, target: float, learning_rate: float):
    """Call the learner's ``step`` on copies; return its new parameters in the order of PARAMETER_NAMES
    (float64 arrays), and whether any of them was computed in float32."""
    W_h, b_h, W_o, b_o = (p.copy() for p in params)
    result = call(exercise, step, [W_h, W_o], [b_h, b_o], x.copy(), target, learning_rate, what="your step")

    def unpack():  # a list or tuple subclass of the learner's runs its own methods here
        pair = result if isinstance(result, (tuple, list)) and len(result) == 2 else None
        if pair is None or not all(isinstance(part, (tuple, list)) and len(part) == 2 for part in pair):
            return None
        return [tuple(part) for part in pair]

    pair = learner_value(exercise, unpack, "reading your step's result")
    if pair is None:
        raise LearnerError(not_yet(exercise, "return the new parameters as `weights, biases`: two lists of two arrays, "
                                   "[W_h, W_o] and [b_h, b_o], as your step received them (got "
                                   f"{type(result).__name__})"))
    (new_W_h, new_W_o), (new_b_h, new_b_o) = pair
    new = []
    values = (new_W_h, new_b_h, new_W_o, new_b_o)
    low_precision = any(rtol_for(value, 1e-6) > 1e-6 for value in values)
    for name, value, old in zip(PARAMETER_NAMES, values, params):
        if isinstance(value, np.ndarray) and value.shape != old.shape and value.shape == old.shape[::-1]:
            raise LearnerError(not_yet(exercise, f"your new {name} has shape {value.shape}, expected {old.shape}: "
                                       "transposed? W_h is (n_i, n_h): one row per input, one column per "
                                       "hidden unit; an outer product np.outer(a, b) has a row per entry of a"))
        new.append(as_float_array(exercise, value, f"your new {name}", old.shape))
    return new, low_precision


def check_answer_step(step) -> CheckResult:
    """Exercise 3.1: one per-sample gradient step of the answer's network, in backprop's order.

    ``step(weights, biases, x, target, learning_rate)`` receives ``weights = [W_h (n_i, n_h),
    W_o (n_h, 1)]``, ``biases = [b_h (n_h,), b_o (1,)]``, one sample ``x`` of shape (n_i,) and its
    target (a float), for the network ``h = σ(x W_h + b_h)``, ``o = σ(h W_o + b_o)`` with the cost
    ½(o − y)². It returns the parameters after one step of gradient descent, ``(new_weights,
    new_biases)`` in the same layout. It may update the given arrays in place, as the answer does
    (it gets copies), but must return them.

    Passes when the step taken, ``(old − new) / learning_rate``, equals the gradient of the sample's
    cost (:func:`mlp_course.stackoverflow.answer_gradients` with ``fix_update_order=True``, which
    the tests prove equal to ``mc.MLP``'s backprop) for four random networks (2-2-1, 3-4-1,
    2-5-1, 4-3-1) at learning rates from 0.01 to 0.5, to a relative 1e-6.

    Recognised mistakes: the answer's own order (hidden error from the already-updated W_o, stale
    weights: ``fix_update_order=False``); ascent; σ′ missing at the output or at the hidden layer;
    the learning rate applied twice (everywhere, or in the error sent back); biases not updated;
    the cost in place of its derivative (the question's bug 1); a transposed W_h step.
    """
    exercise = "answer_step"

    def body() -> CheckResult:
        cases = []  # (params, x, target, lr, the step taken as a gradient, the right gradient) per case
        for index in range(len(STEP_CASES)):
            params, x, target, learning_rate = _step_case(index)
            try:
                new, low_precision = _new_parameters(exercise, step, params, x, target, learning_rate)
            except LearnerError as failure:  # a transposed step runs on the square 2-2-1 case only
                if cases and all(_all_close(c[4], _model("transposed", *c[:4]), c[6]) for c in cases):
                    raise LearnerError(not_yet(exercise, f"{STEP_MISTAKES['transposed']}. (On a non-square "
                                               f"network it then failed: {failure.result.message})")) from None
                raise
            taken = [(old - updated) / learning_rate for old, updated in zip(params, new)]
            weights, biases = [params[0], params[2]], [params[1], params[3]]
            right = _in_mlp_order(*answer_gradients(weights, biases, x, target, learning_rate, fix_update_order=True))
            if all(np.array_equal(old, updated) for old, updated in zip(params, new)):
                return not_yet(exercise, "your step returned the parameters unchanged: subtract learning_rate × "
                               "gradient from every one of the four arrays")
            cases.append((params, x, target, learning_rate, taken, right, _rtol(low_precision)))
        wrong_cases = [case for case in cases if not _all_close(case[4], case[5], case[6])]
        if not wrong_cases:
            return passed(exercise, "your step descends exactly backprop's gradient (the W_o of the forward pass) on "
                          "four random networks (2-2-1, 3-4-1, 2-5-1, 4-3-1) at learning rates 0.01 to 0.5")
        # a mistake is named only when its model reproduces the step on *every* case (one case can be
        # ambiguous: at learning rate 0.5, lr² = lr/2)
        for name in STEP_MISTAKES:
            if all(_all_close(taken, _model(name, params, x, target, lr), rtol)
                   for params, x, target, lr, taken, _, rtol in cases):
                return not_yet(exercise, STEP_MISTAKES[name])
        params, x, target, learning_rate, taken, right, rtol = wrong_cases[0]
        wrong = [name for name, got, want in zip(PARAMETER_NAMES, taken, right) if not _close(got, want, rtol)]
        n_i, n_h = params[0].shape
        where = ("the output layer's error δ_o is wrong, and the hidden layer inherits it"
                 if {"W_o", "b_o"} & set(wrong) else "the output layer is right: look at the hidden error")
        return not_yet(exercise, f"on a {n_i}-{n_h}-1 network at learning rate {learning_rate:g}, the steps of "
                       f"{', '.join(wrong)} are wrong ({where}). Write the chain rule one factor at a time and "
                       "compare with mc.stackoverflow.mlp_gradients(weights, biases, x, target)")

    return run_check(exercise, body)


# ------------------------------------------------------------------------------------------------
# Exercise 3.2: a seed that ends in a local minimum
ANSWER_EPOCHS = 100_000
"""The answer's ``max_iterations=int(1e5)``."""
XOR_TARGETS = _seed_targets.astype(np.float64)
"""The targets of the question's four XOR samples, shape (4,)."""
NEAR_TARGET = 0.1
"""An output within this of its target counts as right when describing a stuck run."""


def _as_seed(exercise: str, value) -> int:
    if unanswered(value):
        raise LearnerError(not_yet(exercise, UNANSWERED_HINT))
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise LearnerError(not_yet(exercise, f"a seed is a whole number such as 17, got {type(value).__name__} "
                                   f"{safe_repr(value, 40)}"))
    seed = learner_value(exercise, lambda: int(value), "int() of your seed")
    if not isinstance(seed, int) or not 0 <= seed < 2**32:
        raise LearnerError(not_yet(exercise, f"np.random.seed takes seeds from 0 to 2**32 − 1, got {safe_repr(seed)}"))
    return seed


def check_stuck_seed(stuck_seed) -> CheckResult:
    """Exercise 3.2: a seed from which the answer's code ends in a local minimum.

    ``stuck_seed`` is an int other than 0 (the notebook's own example). The check runs the answer's
    code, ``mc.stackoverflow.train_answer(seed=stuck_seed, fast=True, until_solved=True)`` — the
    answer's 100 000 epochs at learning rate 0.01, stopping early if XOR gets solved (about 2 s
    when it does not). Passes when XOR is not solved and at least one output is within 0.1 of its
    target: the run left the all-0.5 plateau and got stuck, like seed 0's (0.04, 0.5, 0.95, 0.5).

    Recognised answers: a seed that solves XOR (the hint says at which epoch and how to look for
    stuck seeds); a seed still on the plateau after 100 000 epochs (all outputs near 0.5: a slow
    start, which more epochs can still turn into a solution); seed 0; not a whole number; out of
    ``np.random.seed``'s range.
    """
    exercise = "stuck_seed"

    def body() -> CheckResult:
        seed = _as_seed(exercise, stuck_seed)
        if seed == 0:
            return not_yet(exercise, "seed 0 is the notebook's own example: find another seed that gets stuck")
        run = train_answer(seed=seed, max_iterations=ANSWER_EPOCHS, until_solved=True, fast=True)
        if run.solved_at is not None:
            return not_yet(exercise, f"from seed {seed} the answer's code solves XOR (at epoch {run.solved_at}). "
                           "Loop over seeds and print so.train_answer(seed=s, fast=True).final_outputs() "
                           "(about 2 s each): a stuck run ends with some outputs right and the others near 0.5")
        outputs = run.final_outputs()
        right = np.abs(outputs - XOR_TARGETS) < NEAR_TARGET
        shown = ", ".join(f"{o:.2f}" for o in outputs)
        if not right.any():
            return not_yet(exercise, f"from seed {seed} the run has not left the plateau after 100 000 epochs "
                           f"(outputs {shown}): that is a slow start that more epochs can still leave, not the local "
                           "minimum of seed 0. Find a seed whose outputs get some inputs right and stay stuck on the "
                           "others")
        return passed(exercise, f"from seed {seed} the answer's code ends 100 000 epochs with outputs ({shown}): "
                      f"{int(right.sum())} of 4 right, the others stuck, XOR not solved")

    return run_check(exercise, body)


# ------------------------------------------------------------------------------------------------
# Exercise 3.3: predict the epochs to solve at another learning rate
PREDICTION_SEED = 3
PREDICTION_LR = 0.05
PREDICTION_TOLERANCE = (0.8, 1.25)
"""A prediction passes within these factors of the measured epoch count (±20–25 %)."""


def check_epochs_prediction(predicted_epochs) -> CheckResult:
    """Exercise 3.3: predict when the answer's code solves XOR from seed 3 at learning rate 0.05.

    ``predicted_epochs`` is a positive number: the learner's prediction, made from the epochs the
    notebook measured at learning rates 0.01, 0.1, 0.5 and 1.0 without running 0.05. The check runs
    ``mc.stackoverflow.train_answer(seed=3, learning_rate=0.05, until_solved=True, fast=True)``
    (about 0.2 s) and passes when the prediction is within a factor 0.8–1.25 of its ``solved_at``.

    Recognised answers: too high or too low (the hint says which, and by more or less than a factor
    2, and points at the quantity that stays nearly constant); not a positive number.
    """
    exercise = "epochs_prediction"

    def body() -> CheckResult:
        if unanswered(predicted_epochs):
            return not_yet(exercise, UNANSWERED_HINT)
        if isinstance(predicted_epochs, (bool, np.bool_)) or not isinstance(predicted_epochs, numbers.Real):
            return not_yet(exercise, f"give the number of epochs as a number such as 1234, got "
                           f"{type(predicted_epochs).__name__} {safe_repr(predicted_epochs, 40)}")
        guess = learner_value(exercise, lambda: float(predicted_epochs), "float() of your number")
        if not isinstance(guess, float) or not np.isfinite(guess) or guess <= 0:
            return not_yet(exercise, f"an epoch count is a positive number, got {guess:g}")
        run = train_answer(seed=PREDICTION_SEED, learning_rate=PREDICTION_LR, until_solved=True, fast=True)
        if run.solved_at is None:  # never for seed 3; kept so the check cannot crash
            return not_yet(exercise, "the answer's code did not solve XOR from seed 3 at learning rate 0.05 within "
                           "100 000 epochs, so there is nothing to predict")
        truth = run.solved_at
        low, high = PREDICTION_TOLERANCE
        if low * truth <= guess <= high * truth:
            return passed(exercise, f"seed 3 at learning rate 0.05 solves XOR at epoch {truth}; you predicted "
                          f"{guess:.0f}. learning rate × epochs stays near {PREDICTION_LR * truth:.0f}: with small "
                          "steps the weights follow nearly the same path whatever the rate, and the path's length "
                          "is fixed, so halving the step doubles the number of steps")
        direction = "high" if guess > truth else "low"
        factor = guess / truth if guess > truth else truth / guess
        size = "more than twice" if factor > 2 else "by more than 25 %" if guess > truth else "by more than 20 %"
        return not_yet(exercise, f"your prediction is too {direction} ({size}). For each run the notebook printed, "
                       "multiply the learning rate by the epoch at which it solved: what stays nearly the same? "
                       "Predict from that, not from a straight line between two of the runs")

    return run_check(exercise, body)
