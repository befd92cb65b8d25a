"""Exercise check 2.3 of notebook 02: debug a network you have never seen.

The learner gets a per-sample training step of a network unlike the question's — 4 inputs, 4 tanh
hidden units, 2 sigmoid outputs, trained on a 2-bit comparator — with four bugs of the kinds
notebook 02 taught, and fixes it with the notebook's checklist and hand-written gradient check::

    train_step(x, t, W_in, b_in, W_out, b_out, learning_rate) -> (cost, [d W_in, d b_in, d W_out, d b_out])

x (n_in,), t (n_out,), W_in (n_in, n_hid), b_in (n_hid,), W_out (n_hid, n_out), b_out (n_out,);
a = tanh(x W_in + b_in), o = σ(a W_out + b_out), cost ½‖o − t‖². The step updates the four arrays in
place by gradient descent and returns the cost and the gradients at the parameters it received.

The four bugs (:data:`BUGS`), each a line or two of the given code: the output error's sign; tanh′
taken at the activation instead of the pre-activation; the hidden error sent back through output
weights already updated; W_in's gradient transposed, which runs only because this network has as
many inputs as hidden units.
"""

from __future__ import annotations

import itertools

import numpy as np

from ...activations import sigmoid
from ...criteria import has_diverged, solved_outputs
from ...gradreport import relative_error
from ...network import MLP
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

__all__ = ["check_train_step"]

NAMES = ("W_in", "b_in", "W_out", "b_out")
"""The step's four parameter arrays, in the order it receives them and returns their gradients."""
BUGS = ("sign", "slope_place", "stale", "transposed")
"""The given step's bugs, in the order the check names them."""
BUG_HINTS = {
    "sign": "every gradient your step returns is minus the true one (relative error 2 in every array), so each "
            "step climbs the cost instead of descending it. Find where the sign goes wrong",
    "slope_place": "the gradients of W_out and b_out are right; those of W_in and b_in are too large, by a factor "
                   "that differs from one hidden unit to the next: the slope of tanh is taken at the wrong point",
    "stale": "the gradients of W_out and b_out are right, and those of W_in and b_in are right at a tiny learning "
             "rate but not at learning_rate = 1 (the larger the rate, the larger their error): the hidden error "
             "is computed from weights that are no longer those the forward pass used",
    "transposed": "the gradient of W_in has the right shape only because this network has as many inputs as hidden "
                  "units (4 and 4): its entries are in the wrong places. On a network whose every dimension "
                  "differs (checklist item 2) your step raises",
}
"""Bug -> the hint that names what is wrong without giving the fixed line."""
GIVEN_HINT = ("this is still the step as given, with all four of its bugs: every gradient differs from central "
              "differences. Work through the checklist: compare each array with your numerical_gradient (at "
              "learning_rate=0 and at the rate you train with), make every dimension different, fix one thing, "
              "check again")

SQUARE_CASES = ((1.0, 0), (0.3, 1), (0.05, 2))
"""(learning_rate, seed) of the 4-4-2 cases: the notebook's network, where every bug runs and can be named."""
OTHER_CASES = (((3, 5, 2), 1.0, 3), ((2, 3, 4), 0.5, 4), ((5, 2, 3), 0.2, 5))
"""(sizes, learning_rate, seed) of networks whose every dimension differs."""
TRAIN_SEED, TRAIN_RATE, TRAIN_EPOCHS = 0, 1.0, 150
"""The training run: the comparator from normal(0, 1) weights of seed 0, zero biases, at learning rate 1."""


def comparator() -> tuple[np.ndarray, np.ndarray]:
    """The 2-bit comparator: X (16, 4) every a1 a0 b1 b0 in {0, 1}; Y (16, 2) = [a > b, a = b] (0/1)."""
    X = np.array(list(itertools.product([0.0, 1.0], repeat=4)))
    a, b = 2 * X[:, 0] + X[:, 1], 2 * X[:, 2] + X[:, 3]
    return X, np.stack([a > b, a == b], axis=1).astype(np.float64)


def initial_parameters(sizes, seed: int) -> list[np.ndarray]:
    """``[W_in, b_in, W_out, b_out]`` for ``sizes = (n_in, n_hid, n_out)``: normal(0, 1) weights, zero biases."""
    rng = np.random.default_rng(seed)
    n_in, n_hid, n_out = sizes
    return [rng.normal(0.0, 1.0, (n_in, n_hid)), np.zeros(n_hid), rng.normal(0.0, 1.0, (n_hid, n_out)), np.zeros(n_out)]


def model_step(x, t, params, learning_rate: float, bugs=()) -> tuple[float, list[np.ndarray], list[np.ndarray]]:
    """The given step with the named ``bugs`` (a subset of :data:`BUGS`; none: the fixed step), on copies.

    Returns the cost, the four gradients it returns and the four parameters after its update.
    ``"transposed"`` needs n_in = n_hid.
    """
    W_in, b_in, W_out, b_out = (p.copy() for p in params)
    a = np.tanh(x @ W_in + b_in)  # (n_hid,)
    o = sigmoid(a @ W_out + b_out)  # (n_out,)
    cost = 0.5 * float(np.sum((o - t) ** 2))
    d_cost__d_z_out = ((t - o) if "sign" in bugs else (o - t)) * o * (1 - o)  # (n_out,)
    d_cost__d_W_out = np.outer(a, d_cost__d_z_out)  # (n_hid, n_out)
    sent_back_through = W_out - learning_rate * d_cost__d_W_out if "stale" in bugs else W_out
    slope = 1 - np.tanh(a) ** 2 if "slope_place" in bugs else 1 - a ** 2  # (n_hid,)
    d_cost__d_z_hid = (sent_back_through @ d_cost__d_z_out) * slope  # (n_hid,)
    d_cost__d_W_in = np.outer(d_cost__d_z_hid, x) if "transposed" in bugs else np.outer(x, d_cost__d_z_hid)
    grads = [d_cost__d_W_in, d_cost__d_z_hid, d_cost__d_W_out, d_cost__d_z_out]
    return cost, grads, [p - learning_rate * g for p, g in zip((W_in, b_in, W_out, b_out), grads)]


def true_step(x, t, params, learning_rate: float) -> tuple[float, list[np.ndarray], list[np.ndarray]]:
    """Cost, gradients and updated parameters from the package's own backprop (``mc.MLP``, one sample)."""
    net = MLP.from_parameters([params[0], params[2]], [params[1], params[3]], "tanh", "sigmoid")
    result = net.loss_and_gradients(x[None, :], t[None, :])
    grads = [result.d_loss__d_weights[0], result.d_loss__d_biases[0], result.d_loss__d_weights[1],
             result.d_loss__d_biases[1]]
    return result.loss, grads, [p - learning_rate * g for p, g in zip(params, grads)]


def _case(sizes, seed: int):
    rng = np.random.default_rng(230 + seed)
    n_in, n_hid, n_out = sizes
    params = [rng.normal(0.0, 1.0, (n_in, n_hid)), rng.normal(0.0, 0.5, n_hid),
              rng.normal(0.0, 1.0, (n_hid, n_out)), rng.normal(0.0, 0.5, n_out)]
    t = rng.integers(0, 2, n_out).astype(np.float64)
    t[0] = 1.0 - t[-1] if n_out > 1 else t[0]  # both targets 0 and 1
    return params, rng.normal(0.0, 1.0, n_in), t


# ------------------------------------------------------------------------------------------------
# Running the learner's step
class Outcome:
    """What one call of the learner's step gave: its cost, its gradients and the parameters after it."""

    def __init__(self, cost: float, grads: list[np.ndarray], new: list[np.ndarray], rtol: float) -> None:
        self.cost, self.grads, self.new, self.rtol = cost, grads, new, rtol

    def matches(self, cost: float, grads, new) -> bool:
        def close(a, b):
            return a.shape == b.shape and bool(np.allclose(a, b, rtol=self.rtol, atol=1e-10))

        return (bool(np.isclose(self.cost, cost, rtol=self.rtol, atol=1e-12))
                and all(close(a, b) for a, b in zip(self.grads, grads))
                and all(close(a, b) for a, b in zip(self.new, new)))


def run_step(exercise: str, step, params, x, t, learning_rate: float) -> Outcome:
    """Call the learner's ``step`` on copies of ``params``; return what it gave, or raise :class:`LearnerError`."""
    given = [p.copy() for p in params]
    result = call(exercise, step, x.copy(), t.copy(), *given, learning_rate, what="your train_step")

    def unpack():  # a tuple or list subclass of the learner's runs its own methods here
        if not (isinstance(result, (tuple, list)) and len(result) == 2):
            return None
        cost, grads = result
        return (cost, tuple(grads)) if isinstance(grads, (tuple, list)) and len(grads) == 4 else None

    parts = learner_value(exercise, unpack, "reading your step's result")
    if parts is None:
        raise LearnerError(not_yet(exercise, "return `cost, [d_W_in, d_b_in, d_W_out, d_b_out]`, as the given step "
                                   f"does: the cost and a list of four gradients (got {type(result).__name__})"))
    cost = as_float_array(exercise, parts[0], "your cost", ())
    grads = [as_float_array(exercise, g, f"your gradient of {name}", p.shape)
             for name, g, p in zip(NAMES, parts[1], params)]
    new = [as_float_array(exercise, p, name, p.shape) for name, p in zip(NAMES, given)]
    rtol = max(rtol_for(parts[1][0], 1e-6), rtol_for(given[0], 1e-6))  # float32 answers: float32 precision
    return Outcome(float(cost), grads, new, rtol)


def _errors(got: list[np.ndarray], want: list[np.ndarray]) -> list[float]:
    return [float(np.max(relative_error(g, w))) for g, w in zip(got, want)]


def _explain(outcome: Outcome, truth, where: str) -> str:
    """The hint for a step that is wrong in a way no combination of the given bugs reproduces."""
    cost, grads, new, before = truth
    if not np.isclose(outcome.cost, cost, rtol=1e-6):
        return (f"{where} your step returns the cost {outcome.cost:.6g}, but ½‖o − t‖² is {cost:.6g}: check the "
                "forward pass and the cost before the gradients")
    errors = _errors(outcome.grads, grads)
    wrong = [f"{name} ({error:.2g})" for name, error in zip(NAMES, errors) if error > 1e-5]
    if wrong:
        right = [name for name, error in zip(NAMES, errors) if error <= 1e-5]
        return (f"{where} the gradients you return of {', '.join(wrong)} differ from backprop's (relative error in "
                f"brackets){'; ' + ', '.join(right) + ' are right' if right else ''}. Check each array with your "
                "numerical_gradient, then fix one thing at a time")
    for name, old, after in zip(NAMES, before, outcome.new):
        if np.allclose(after, old, rtol=0, atol=1e-12):
            return (f"{where} your gradients are right, but {name} did not change: update the arrays your step "
                    f"receives in place (`{name} -= …`); `{name} = {name} - …` only rebinds a local name")
    moved = [name for name, a, b in zip(NAMES, outcome.new, new) if not np.allclose(a, b, rtol=1e-6, atol=1e-10)]
    return (f"{where} your gradients are right, but {', '.join(moved)} did not move by −learning_rate × its "
            "gradient: gradient descent subtracts the learning rate times the gradient you return")


def _bugs_reproduced(outcomes, cases) -> tuple[str, ...] | None:
    """The combination of the given bugs that reproduces the learner's steps on the 4-4-2 cases, if any."""
    for count in range(1, len(BUGS) + 1):
        for bugs in itertools.combinations(BUGS, count):
            if all(o.matches(*model_step(x, t, params, lr, bugs)) for o, (params, x, t, lr) in zip(outcomes, cases)):
                return bugs
    return None


# ------------------------------------------------------------------------------------------------
def check_train_step(train_step) -> CheckResult:
    """Exercise 2.3: the given 4-4-2 training step (tanh hidden units, sigmoid outputs), its four bugs fixed.

    ``train_step(x, t, W_in, b_in, W_out, b_out, learning_rate)`` (see the module docstring) must
    return the cost ½‖o − t‖² and the gradients of the four arrays at the parameters it received, and
    update the arrays in place by −learning_rate × gradient.

    Passes when (1) on three random 4-4-2 networks (the notebook's shape) at learning rates 1, 0.3 and
    0.05 the cost, the gradients and the updated parameters equal those of the package's own
    backprop (``mc.MLP.loss_and_gradients``, which the tests check against central differences) to a
    relative 1e-6; (2) the same holds on 3-5-2, 2-3-4 and 5-2-3 networks, every dimension different;
    (3) training the 2-bit comparator with it, sample by sample from seed 0's normal(0, 1) weights at
    learning rate 1, solves it (every output on the right side of 0.5 and the MSE below
    :data:`mlp_course.criteria.SOLVED_MSE`) within 150 epochs.

    On the 4-4-2 networks the check finds which of the given bugs (:data:`BUGS`) reproduce the
    learner's numbers exactly and names the first one still there, without the fix; other wrong
    numbers get the relative error of each array; a step that raises only on the networks whose
    dimensions differ is told that a shape lined up by coincidence.
    """
    exercise = "train_step"

    def body() -> CheckResult:
        cases = [(*_case((4, 4, 2), seed), lr) for lr, seed in SQUARE_CASES]  # (params, x, t, learning_rate)
        outcomes = [run_step(exercise, train_step, params, x, t, lr) for params, x, t, lr in cases]
        truths = [(*true_step(x, t, params, lr), params) for params, x, t, lr in cases]
        for outcome, truth, (_, _, _, lr) in zip(outcomes, truths, cases):
            if not outcome.matches(*truth[:3]):
                bugs = _bugs_reproduced(outcomes, cases)
                if bugs == BUGS:
                    return not_yet(exercise, GIVEN_HINT)
                if bugs:
                    more = len(bugs) - 1
                    rest = f" ({more} more of the given bugs after this one)" if more else ""
                    return not_yet(exercise, f"{BUG_HINTS[bugs[0]]}{rest}")
                return not_yet(exercise, _explain(outcome, truth, f"on a 4-4-2 network at learning_rate {lr:g},"))
        for sizes, lr, seed in OTHER_CASES:
            params, x, t = _case(sizes, seed)
            shape = "-".join(map(str, sizes))
            try:
                outcome = run_step(exercise, train_step, params, x, t, lr)
            except LearnerError as failure:
                if failure.kind == "timeout":
                    raise
                raise LearnerError(not_yet(exercise, f"right on the 4-4-2 networks, but on a {shape} network (every "
                                           f"dimension different): {failure.result.message}. A shape lined up "
                                           "only because 4-4-2 has as many inputs as hidden units: look for an "
                                           "array that is the transpose of what it should be")) from None
            truth = (*true_step(x, t, params, lr), params)
            if not outcome.matches(*truth[:3]):
                return not_yet(exercise, _explain(outcome, truth, f"right on the 4-4-2 networks, but on a {shape} "
                                                  f"network at learning_rate {lr:g}"))
        return _train(exercise, train_step)

    return run_check(exercise, body)


def _train(exercise: str, train_step) -> CheckResult:
    """Stage 3: train the comparator with the learner's step until solved, or report how far it got."""
    X, Y = comparator()
    params = initial_parameters((4, 4, 2), TRAIN_SEED)
    start = None
    for epoch in range(1, TRAIN_EPOCHS + 1):
        for x, t in zip(X, Y):
            call(exercise, train_step, x.copy(), t.copy(), *params, TRAIN_RATE, what="your train_step")
        net = MLP.from_parameters([params[0], params[2]], [params[1], params[3]], "tanh", "sigmoid")
        outputs = net.forward(X)
        loss = float(0.5 * np.sum((outputs - Y) ** 2) / len(X))
        start = loss if start is None else start
        if bool(solved_outputs(outputs, Y, 0.5)):
            return passed(exercise, "cost, gradients and update equal mc.MLP's backprop on 4-4-2 networks at "
                          "learning rates 1, 0.3 and 0.05 and on 3-5-2, 2-3-4 and 5-2-3 networks, and it trained "
                          f"the 2-bit comparator to solved in {epoch} epochs")
        if has_diverged(loss, start) or not all(np.all(np.isfinite(p)) for p in params):
            break
    return not_yet(exercise, f"every single step was right, yet training the comparator (seed {TRAIN_SEED}, "
                   f"learning_rate {TRAIN_RATE:g}) did not solve it within {TRAIN_EPOCHS} epochs (MSE {loss:.3g} at "
                   f"epoch {epoch}): does your step keep something between calls, such as a global variable?")
