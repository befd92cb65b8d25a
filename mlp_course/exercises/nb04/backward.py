"""Exercise check 4.4 of notebook 04, *Vectorized backprop*: the whole backward pass of a batch.

The learner's ``backward(X, y, weights, biases)`` is judged by :func:`mlp_course.diagnose_backprop`
(every array against central differences, and the known mistakes named), first on networks shaped
like the question's 2-2-1, whose square first layer lets the question's element-wise and
σ′-at-the-input mistakes run so that they can be named, then on networks whose every width differs.
Right values computed one sample at a time are "not yet" too: the exercise is the vectorized pass.
"""

from __future__ import annotations

import numpy as np

from ...diagnose import DEFAULT_SAMPLES, DEFAULT_SIZES, diagnose_backprop
from ...diagnose.run import takes_learning_rate
from .._check import UNANSWERED_HINT, CheckResult, LearnerError, call, guarded, not_yet, passed, run_check
from .._loops import loop_hint, watcher

__all__ = ["check_backward"]

SQUARE_SIZES = ([2, 2, 1], [3, 3, 1])
"""Networks like the question's 2-2-1, whose square first layer lets the question's element-wise and
σ′-at-the-input mistakes run, so that the diagnoser can name them."""


def _probe(backward) -> None:
    """Call ``backward`` once on a tiny network and one sample; an untouched skeleton raises :class:`LearnerError`."""
    rng = np.random.default_rng(0)
    weights, biases = [rng.standard_normal((2, 2)), rng.standard_normal((2, 1))], [np.zeros(2), np.zeros(1)]
    before = [p.copy() for p in weights + biases]
    args = (rng.standard_normal((1, 2)), np.ones((1, 1)), weights, biases)
    if takes_learning_rate(backward):
        result = call("backward", lambda: (backward(*args, 0.1),), what="your function")[0]
        unchanged = all(np.array_equal(a, b) for a, b in zip(before, weights + biases))
        if result is None and unchanged:  # returned None and updated nothing
            raise LearnerError(not_yet("backward", f"your function returned None and changed no parameter: "
                                       f"{UNANSWERED_HINT}"))
        if result is Ellipsis:
            raise LearnerError(not_yet("backward", f"your function returned Ellipsis: {UNANSWERED_HINT}"))
    else:
        call("backward", backward, *args, what="your function")


def _sample_visits(backward) -> list[str]:
    """How ``backward`` visits the samples one at a time on a batch of 6 (empty when it does not)."""
    rng = np.random.default_rng(44)
    sizes = (3, 4, 2)
    weights = [rng.standard_normal((a, b)) for a, b in zip(sizes[:-1], sizes[1:])]
    biases = [rng.standard_normal(b) for b in sizes[1:]]
    X, y = rng.standard_normal((6, sizes[0])), rng.integers(0, 2, (6, sizes[-1])).astype(np.float64)
    rest = (weights, biases, 0.1) if takes_learning_rate(backward) else (weights, biases)
    Watched, visits = watcher(len(X))
    guarded("backward", lambda: backward(X.view(Watched), y.view(Watched), *rest))  # a step may return None
    return visits


def _first_wrong(report) -> list:
    """The wrong arrays to name first: those of the wrong layer nearest the output (a mistake there
    spoils every layer below it), W before b, with the same verdict as the first of them."""
    wrong = [a for a in report.arrays if not a.ok]  # W0, b0, W1, b1, …
    layer = max(int(a.name[1:]) for a in wrong)
    first = [a for a in wrong if int(a.name[1:]) == layer]
    return [a for a in first if a.explanation == first[0].explanation]


def check_backward(backward) -> CheckResult:
    """Exercise 4.4: the full backward pass of a 2-layer sigmoid network with the mean squared error.

    ``backward(X, y, weights, biases)`` (or with a fifth argument ``learning_rate``) receives X
    (n, n_in), y (n, n_out), ``weights = [W0 (n_in, n_hidden), W1 (n_hidden, n_out)]``,
    ``biases = [b0 (n_hidden,), b1 (n_out,)]`` and returns ``(d_weights, d_biases)`` shaped alike:
    the gradient of the mean over the samples of ½‖o − y‖², sigmoid in both layers.

    Runs :func:`mlp_course.diagnose_backprop` in three stages: networks shaped like the question's
    (square first layer) with one sample, the same with several samples, then networks of three
    different widths; then runs the function once more on a batch handed over as an array that notes
    a loop over its rows (:mod:`mlp_course.exercises._loops`). Passes when every array matches central
    differences on all of them and no sample is visited on its own. Otherwise the hint is the
    diagnosis of the first wrong array (output layer first), which names the question's bugs when it
    meets them; a function that raises only at a later stage gets a hint on what that stage changed
    (more samples: an (n, 1) − (n,) broadcast; other widths: an element-wise product or a transpose).
    """
    exercise = "backward"

    def diagnose(stage: int):
        sizes, samples, what = BACKWARD_STAGES[stage]
        return call(exercise, diagnose_backprop, backward, sizes=sizes, samples=samples, what=f"your function ({what})")

    def body() -> CheckResult:
        if backward is None or backward is Ellipsis:
            call(exercise, backward)  # the standard "not yet" for an untouched cell
        if not callable(backward):
            return not_yet(exercise, f"pass your function itself, not {type(backward).__name__}")
        _probe(backward)
        reports = [diagnose(stage) for stage in range(len(BACKWARD_STAGES))]
        for stage, report in enumerate(reports):
            problem = report.problem
            if problem is not None:
                hint = f"{BACKWARD_STAGES[stage][2]}: {problem.message}"
                if problem.kind == "raised" and stage > 0:
                    hint += f". {STAGE_HINTS[stage]}"
                return not_yet(exercise, hint)
            if not report.ok:
                if stage == 0 and reports[1].problem is None and not reports[1].ok:
                    # one sample cannot tell some mistakes apart (keepdims or not summed): several samples can,
                    # unless the code handles one sample only (then the one-sample diagnosis is the one that fits)
                    report = reports[1] if _first_wrong(reports[1])[0].mistake != "unknown" else report
                named = " and ".join(f"d{a.name}" for a in _first_wrong(report))
                verb = "is" if " and " not in named else "are"
                called = getattr(backward, "__name__", "")
                called = called if called.isidentifier() else "your_function"
                return not_yet(exercise, f"{named} {verb} wrong: {_first_wrong(report)[0].explanation}. For every "
                               f"array, run mc.diagnose_backprop({called})")
        visits = _sample_visits(backward)
        if visits:
            return not_yet(exercise, loop_hint(visits))
        return passed(exercise, "every gradient matches central differences on 7 random networks "
                      "(2-2-1 and 3-3-1 with 1 and with several samples, 3-4-2, 2-5-1, 4-3-3), without visiting "
                      "the samples one by one")

    return run_check(exercise, body)


BACKWARD_STAGES = (
    (SQUARE_SIZES, (1, 1), "on networks shaped like the question's 2-2-1, with one sample"),
    (SQUARE_SIZES, (4, 5), "on networks shaped like the question's 2-2-1, with 4 and 5 samples"),
    (DEFAULT_SIZES, DEFAULT_SAMPLES, "on networks of sizes 3-4-2, 2-5-1 and 4-3-3"),
)
"""The three stages of :func:`check_backward`: (sizes, samples, what the hint calls them)."""
STAGE_HINTS = {
    1: "It runs on one sample but not on several: look for an (n, 1) array meeting an (n,) array (NumPy "
       "broadcasts the pair to an (n, n) table; keep y and o the same shape), or for code that handles one "
       "row only",
    2: "It runs when every layer is as wide as the one before, so look for an element-wise `*` where a matrix "
       "product `@` belongs, or a transpose",
}
"""What changed at each later stage, for a function that raises only there."""
