"""Exercise checks of notebook 05, *Training dynamics*.

=====================  ===========================================================================
exercise               the learner records
=====================  ===========================================================================
learning_rate          ``learning_rate``: one that solves XOR within 100 epochs from seeds 1, 2, 4, 8
wider_networks         ``mse_wider``, ``bce_wider``: "more" or "fewer" — do 8 hidden units solve
                       more seeds than 4 at init_scale 2, with MSE and with BCE?
=====================  ===========================================================================

Both checks run the experiment themselves at check time (``mc.train``, ``mc.train_ensemble``), so a
hint reports what the learner's setting actually did (the loss still falling, or jumping up and
down into saturation) or which experiment to run; never the answer.
"""

from __future__ import annotations

import numbers

import numpy as np

from ..datasets import xor
from ..ensemble import train_ensemble
from ..network import MLP
from ..training import solved, train
from ._check import UNANSWERED_HINT, CheckResult, learner_value, not_yet, passed, run_check, safe_repr, unanswered

__all__ = ["check_learning_rate", "check_wider_networks"]

LR_SEEDS = (1, 2, 4, 8)
"""The networks ``MLP([2, 4, 1], "tanh", seed=s)`` that the learning rate must train."""

LR_EPOCHS = 100
"""The epoch budget N: XOR must be solved after this many full-batch epochs."""

SATURATED = 0.99
"""A hidden value with |tanh| above this sits in a flat tail, where tanh′ < 0.02."""


def _as_learning_rate(value) -> float | str:
    """The learner's learning rate as a float, or the hint for why it is not one (:class:`LearnerError` when
    the learner's number class misbehaves)."""
    if isinstance(value, (bool, np.bool_)):
        return "learning_rate must be a number, not True or False"
    if isinstance(value, str):
        return f"learning_rate must be a number, not the text {value!r}: write it without quotes"
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if not isinstance(value, numbers.Real):
        return f"learning_rate must be one number, e.g. 0.1, got {type(value).__name__}"
    value = learner_value("learning_rate", lambda: float(value), "float() of your learning_rate")
    if not isinstance(value, float):
        return f"learning_rate must be one number, e.g. 0.1, got {type(value).__name__} from float()"
    if not np.isfinite(value):
        return f"learning_rate must be a finite number, got {value}"
    if value <= 0:
        return (f"learning_rate must be positive, got {value:g}: each step is W -= lr * dL/dW, so lr = 0 stands "
                "still and a negative lr climbs the loss")
    return value


def _run(lr: float, seed: int) -> dict:
    """Train a 2-4-1 tanh network on XOR from random seed ``seed``, :data:`LR_EPOCHS` epochs at ``lr``; describe it."""
    X, y = xor()
    net = MLP([2, 4, 1], "tanh", seed=seed)
    start = net.loss(X, y)
    history = train(net, X, y, lr=lr, epochs=LR_EPOCHS)
    losses = np.array([start, *history.loss])
    hidden = net.forward_all(X)[1][1]  # (4 samples, 4 hidden units)
    return {
        "seed": seed,
        "solved": solved(net, X, y),
        "diverged": history.diverged,
        "diverged_at": history.diverged_at,
        "start": start,
        "final": losses[-1],
        "rises": int(np.count_nonzero(np.diff(losses) > 0)),
        "saturated": float(np.mean(np.abs(hidden) > SATURATED)),
    }


def check_learning_rate(learning_rate) -> CheckResult:
    """Exercise 5.1: a learning rate that solves XOR within 100 epochs.

    The check trains ``MLP([2, 4, 1], "tanh", seed=s)`` for s = 1, 2, 4 and 8 with
    ``train(net, X, y, lr=learning_rate, epochs=100)`` (full batch, MSE, sigmoid output) and passes
    when :func:`mlp_course.solved` holds for all four networks afterwards. Measured in steps of 0.1:
    every lr from 2.3 to 29.0 passes (above that the edge is chaotic); the recipe's 2.0 is just
    too slow for 100 epochs.

    Hints say what the given rate did: too small (every loss still falling steadily, and by how
    much), too large (a loss that rose during training — overshooting — ending stuck, with the share
    of saturated hidden units), diverged; and reject answers that are not a positive finite number
    (text, True/False, lists, 0, negative, NaN).
    """
    exercise = "learning_rate"

    def body() -> CheckResult:
        if unanswered(learning_rate):
            return not_yet(exercise, UNANSWERED_HINT)
        lr = _as_learning_rate(learning_rate)
        if isinstance(lr, str):
            return not_yet(exercise, lr)
        runs = [_run(lr, seed) for seed in LR_SEEDS]
        failed = [run for run in runs if not run["solved"]]
        if not failed:
            return passed(exercise, f"lr = {lr:g} solves XOR within {LR_EPOCHS} epochs from all four seeds "
                          f"{', '.join(map(str, LR_SEEDS))}")
        which = f"with lr = {lr:g}, {len(failed)} of the {len(runs)} networks did not solve XOR in {LR_EPOCHS} epochs."
        diverged = [run for run in failed if run["diverged"]]
        if diverged:
            run = diverged[0]
            return not_yet(exercise, f"{which} Seed {run['seed']}'s loss became infinite or NaN in epoch "
                           f"{run['diverged_at'] + 1}: the steps are far too large")
        overshot = [run for run in failed if run["rises"] > 0 or run["final"] >= run["start"]]
        if overshot:
            run = max(overshot, key=lambda r: (r["final"] - r["start"], r["rises"]))
            how = (f"rose in {run['rises']} of the {LR_EPOCHS} epochs (it jumped up and down instead of falling)"
                   if run["rises"] >= 3 else "got worse instead of better")
            return not_yet(exercise, f"{which} Seed {run['seed']}'s loss {how} and ended at {run['final']:.3f} "
                           f"(it started at {run['start']:.3f}); {run['saturated']:.0%} of its hidden values ended "
                           f"saturated (|tanh| > {SATURATED}), where tanh′ ≈ 0 and learning stops. The steps "
                           "overshoot: too large")
        run = max(failed, key=lambda r: r["final"])
        return not_yet(exercise, f"{which} Still learning: seed {run['seed']}'s loss fell steadily, without a "
                       f"single rise, from {run['start']:.3f} to {run['final']:.3f}, but solving needs MSE < 0.01 with "
                       "every output on the right side. The steps are safe but too short: too small")

    return run_check(exercise, body)


# ------------------------------------------------------------------------------------------------
CHOICES = ("more", "fewer")
WIDER_SEEDS = 300
WIDER_EPOCHS = 400
WIDER_SCALE = 2.0


def _wider_truth(loss: str) -> tuple[str, float, float]:
    """Run the experiment: success rates of 4 and 8 hidden units at init_scale 2, and the verdict."""
    X, y = xor()
    rate = {
        width: train_ensemble([2, width, 1], X, y, seeds=range(WIDER_SEEDS), epochs=WIDER_EPOCHS,
                              init_scale=WIDER_SCALE, loss=loss).success_rate
        for width in (4, 8)
    }
    return ("more" if rate[8] > rate[4] else "fewer"), rate[4], rate[8]


def _as_choice(value, name: str) -> str:
    if unanswered(value):
        raise ValueError(UNANSWERED_HINT)
    text = str.lower(str.strip(value)) if isinstance(value, str) else None  # str's own methods: no learner code
    if text not in CHOICES:
        raise ValueError(f"{name} must be the text \"more\" or \"fewer\" (in quotes), got {safe_repr(value, 40)}")
    return text


def check_wider_networks(mse_wider, bce_wider) -> CheckResult:
    """Exercise 5.2 (explain by experiment): does widening help when the initial weights are large?

    The learner records, for init_scale 2 and 400 epochs, whether 8 hidden units solve XOR for
    ``"more"`` or ``"fewer"`` seeds than 4 hidden units: ``mse_wider`` with the MSE loss,
    ``bce_wider`` with BCE. The check reruns the experiment (``train_ensemble`` on seeds 0–299, the
    same runs as in section 3's table, which uses 0–999) and compares. On a wrong answer it names
    the experiment to run and where in the notebook to look, never the verdict.
    """
    exercise = "wider_networks"

    def body() -> CheckResult:
        try:
            answers = {"mse": _as_choice(mse_wider, "mse_wider"), "bce": _as_choice(bce_wider, "bce_wider")}
        except ValueError as problem:
            return not_yet(exercise, str(problem))
        truths = {loss: _wider_truth(loss) for loss in answers}
        wrong = [loss for loss in answers if answers[loss] != truths[loss][0]]
        if not wrong:
            summary = "; ".join(f"{loss}: {truths[loss][1]:.0%} with 4 units, {truths[loss][2]:.0%} with 8"
                                for loss in answers)
            return passed(exercise, f"the experiment agrees ({WIDER_SEEDS} seeds, init_scale 2, {WIDER_EPOCHS} "
                          f"epochs: {summary})")
        names = " and ".join(f"{loss}_wider" for loss in wrong)
        runs = " and ".join(f'loss="{loss}"' for loss in wrong)
        return not_yet(exercise, f"{names} {'does' if len(wrong) == 1 else 'do'} not match the experiment. Run "
                       f"mc.train_ensemble([2, width, 1], X, y, seeds=range({WIDER_SEEDS}), epochs={WIDER_EPOCHS}, "
                       f"init_scale=2, {'loss=...' if len(wrong) > 1 else runs}) for width 4 and for width 8 and "
                       "compare their .success_rate (or read section 3's table: column scale 2, rows 4 and 8, "
                       f"{' and '.join(wrong)})")

    return run_check(exercise, body)
