"""Exercise checks of notebook 07, *Beyond XOR*.

=====================  ===========================================================================
exercise               the learner writes
=====================  ===========================================================================
spiral_network         ``net``: an ``mc.MLP`` trained on the notebook's spiral training set that
                       classifies fresh spiral points (≥ 90 %)
early_stopping_epoch   ``best_epoch``: the epoch at which the test loss of the notebook's
                       overfitting run is lowest (read off an experiment, recomputed here)
minibatches            ``minibatches(n, batch_size, rng)``: shuffled index batches for one epoch
=====================  ===========================================================================
"""

from __future__ import annotations

import numbers

import numpy as np

from ..datasets import spiral
from ..experiments import make_split, run
from ..network import MLP
from ..training import accuracy
from ._check import (
    UNANSWERED_HINT,
    CheckResult,
    LearnerError,
    call,
    learner_value,
    not_yet,
    passed,
    run_check,
    safe_repr,
    unanswered,
)

__all__ = ["check_spiral_network", "check_early_stopping_epoch", "check_minibatches"]

SPIRAL_SPLIT = {"dataset": "spiral", "n": 300, "noise": 0.05, "test_fraction": 0.3, "seed": 0}
"""The notebook's spiral: ``mc.experiments.make_split("spiral", n=300, noise=0.05, seed=0)``."""
FRESH_SPIRAL = {"n": 1000, "noise": 0.05, "seed": 2026}
"""The held-out points :func:`check_spiral_network` draws: new points of the same spiral."""
SPIRAL_PASS = 0.90
"""Accuracy on the fresh points needed to pass."""

OVERFITTING_SPLIT = {"dataset": "circle", "n": 60, "noise": 0.25, "test_fraction": 0.5, "seed": 1}
"""The notebook's overfitting data: ``make_split("circle", n=60, noise=0.25, test_fraction=0.5, seed=1)``."""
OVERFITTING_RUNS = {
    "big": {"sizes": [2, 32, 32, 1], "lr": 0.3, "epochs": 3000},
    "small": {"sizes": [2, 4, 1], "lr": 0.3, "epochs": 3000},
}
"""The notebook's two overfitting runs (the rest as :func:`mlp_course.experiments.run`'s defaults)."""
EARLY_STOPPING_TOLERANCE = 0.05
"""An epoch passes when its test loss is within 5 % of the lowest: the curve is flat near its bottom."""


# ------------------------------------------------------------------------------------------------
def check_spiral_network(net) -> CheckResult:
    """Exercise 7.1: a network that classifies the spiral, judged on points it has never seen.

    ``net`` is an :class:`mlp_course.MLP` with 2 inputs and 1 output, trained by the learner on the
    notebook's spiral training set (:data:`SPIRAL_SPLIT`). Passes when it labels at least 90 % of
    1000 fresh points of the same spiral (noise 0.05, drawn with a seed of their own) correctly.

    Recognised mistakes: not an MLP (e.g. the History that ``mc.train`` returns); wrong input or
    output sizes; an untrained network (near-chance accuracy); a network that memorised its
    training points (high training accuracy, low on new points: overfitting); a network that cannot
    fit the training points (too shallow or narrow, too few epochs, a poor learning rate or sigmoid
    hidden units); parameters that are NaN or infinite.
    """
    exercise = "spiral_network"

    def body() -> CheckResult:
        if unanswered(net):
            return not_yet(exercise, UNANSWERED_HINT)
        if not isinstance(net, MLP):
            return not_yet(exercise, f"`net` is a {type(net).__name__}: pass the network itself, an mc.MLP "
                           "(mc.train trains it in place and returns only its History)")
        sizes = learner_value(exercise, lambda: list(net.sizes), "reading your network's sizes")
        if sizes[0] != 2 or sizes[-1] != 1:
            return not_yet(exercise, f"your network has sizes {sizes}: the spiral has 2 inputs (x₁, x₂) and one "
                           "output (the probability of class 1), so sizes must start with 2 and end with 1")
        finite = learner_value(exercise, lambda: all(np.all(np.isfinite(p)) for p in net.parameters),
                               "reading your network's parameters")
        if not finite:
            return not_yet(exercise, "your network's parameters contain NaN or infinite values: training diverged. "
                           "Use a smaller learning rate")
        data = make_split(**SPIRAL_SPLIT)
        X_new, y_new = spiral(**FRESH_SPIRAL)
        # an MLP subclass may override predict/forward: learner code, run under the time limit
        train_acc, new_acc = learner_value(exercise, lambda: (accuracy(net, data.X_train, data.y_train),
                                                              accuracy(net, X_new, y_new)), "your network")
        seen = f"training accuracy {train_acc:.2f}, accuracy on 1000 new spiral points {new_acc:.2f}"
        if new_acc >= SPIRAL_PASS:
            return passed(exercise, f"{seen} (≥ {SPIRAL_PASS:.2f} needed)")
        if train_acc < 0.6:
            return not_yet(exercise, f"{seen}: about a coin toss. Is the network trained? mc.train(net, "
                           "spiral.X_train, spiral.y_train, ...) trains it in place")
        if train_acc >= 0.95:
            return not_yet(exercise, f"{seen}: it has memorised its training points instead of learning the spiral "
                           "(overfitting, section 2). Use a smaller network, a gentler start (init) or fewer epochs, "
                           "and watch the test loss")
        return not_yet(exercise, f"{seen}: it cannot even fit its training points yet (underfitting). Section 3: "
                       "does it have enough layers? Section 4: which hidden activation learns fastest? Then more "
                       "epochs, or another learning rate")

    return run_check(exercise, body)


# ------------------------------------------------------------------------------------------------
def _overfitting_histories():
    data = make_split(**OVERFITTING_SPLIT)
    return {name: run(data, **settings).history for name, settings in OVERFITTING_RUNS.items()}


def check_early_stopping_epoch(best_epoch) -> CheckResult:
    """Exercise 7.2 (an experiment): the epoch at which the big network's test loss is lowest.

    ``best_epoch`` is a whole number, the epoch (counted from 1, as on the plots' x-axis) after
    which the test loss of the notebook's overfitting run (the ``[2, 32, 32, 1]`` network, see
    :data:`OVERFITTING_RUNS`) is smallest: where early stopping would stop. The check reruns that
    experiment and passes any epoch whose test loss is within 5 % of the lowest (reading it off a
    plot is fine).

    Recognised mistakes: the last epoch (or where the training loss is lowest, the same here); the
    epoch of the highest test loss; the small network's best epoch; the epoch of the best test
    accuracy instead of the lowest test loss; not a whole number; outside 1..epochs; otherwise it
    says whether the answer is too early (test loss still falling) or too late (already rising).
    """
    exercise = "early_stopping_epoch"

    def body() -> CheckResult:
        if unanswered(best_epoch):
            return not_yet(exercise, UNANSWERED_HINT)
        if isinstance(best_epoch, (bool, np.bool_)) or not isinstance(best_epoch, numbers.Real):
            return not_yet(exercise, f"best_epoch must be a number (an epoch), got {type(best_epoch).__name__}")
        value = learner_value(exercise, lambda: float(best_epoch), "float() of your best_epoch")
        if not isinstance(value, float) or not value.is_integer():
            return not_yet(exercise, f"best_epoch = {safe_repr(best_epoch, 40)} is not a whole number: epochs are "
                           "counted 1, 2, 3, …")
        epoch = int(value)
        histories = _overfitting_histories()
        val_loss = np.array(histories["big"].val_loss)
        epochs = len(val_loss)
        if not 1 <= epoch <= epochs:
            return not_yet(exercise, f"epoch {epoch} is outside the run: it trained for epochs 1 to {epochs}")
        lowest = val_loss.min()
        if val_loss[epoch - 1] <= lowest * (1 + EARLY_STOPPING_TOLERANCE):
            return passed(exercise, f"the test loss at epoch {epoch} is within {EARLY_STOPPING_TOLERANCE:.0%} of its "
                          "lowest: early stopping would stop here, long before the training loss bottoms out")
        if epoch == epochs or epoch == int(np.argmin(histories["big"].loss)) + 1:
            return not_yet(exercise, "that is where the *training* loss is lowest (the end of the run). The question "
                           "is about the test loss, the dashed curve: where is it lowest?")
        if epoch == int(np.argmax(val_loss)) + 1:
            return not_yet(exercise, "that is where the test loss is highest: look for its lowest point")
        small_best = int(np.argmin(histories["small"].val_loss)) + 1
        if abs(epoch - small_best) <= 10:
            return not_yet(exercise, "that looks like the small [2, 4, 1] network's best epoch: the question is about "
                           "the big [2, 32, 32, 1] network's run")
        best_accuracy = int(np.argmax(histories["big"].val_accuracy)) + 1
        if epoch == best_accuracy:
            return not_yet(exercise, "that is where the test *accuracy* first peaks; the question asks for the lowest "
                           "test *loss* (history.val_loss), which moves more smoothly")
        best = int(np.argmin(val_loss)) + 1
        if epoch < best:
            return not_yet(exercise, f"at epoch {epoch} the big network's test loss is still falling: look later")
        return not_yet(exercise, f"at epoch {epoch} the big network's test loss is already rising again: look earlier")

    return run_check(exercise, body)


# ------------------------------------------------------------------------------------------------
def _batches(exercise: str, minibatches, n: int, batch_size: int, seed: int) -> list[np.ndarray]:
    """Call the learner's function and return its batches as 1-D integer arrays (or raise LearnerError)."""
    result = call(exercise, minibatches, n, batch_size, np.random.default_rng(seed))
    if isinstance(result, np.ndarray) and result.ndim == 1:
        raise LearnerError(not_yet(exercise, "your function returned one flat array: split it into a list of "
                                   "batches (one index array per mini-batch)"))
    if not hasattr(type(result), "__iter__"):
        raise LearnerError(not_yet(exercise, f"return a list of index arrays, got {type(result).__name__}"))

    def collect():  # iterating runs learner code (a generator, a list subclass): time-limited, at most n + 1
        batches = []
        for batch in result:
            batches.append(np.array(batch))
            if len(batches) > n + 1:
                break
        return batches

    batches = learner_value(exercise, collect, "iterating over your batches")
    if len(batches) > n + 1:
        raise LearnerError(not_yet(exercise, f"for n = {n} your function gave more than {n + 1} batches: an epoch has "
                                   f"about n / batch_size batches ({n} samples, batch_size {batch_size})"))
    for batch in batches:
        if batch.ndim != 1:
            raise LearnerError(not_yet(exercise, f"each batch must be a 1-D array of indices, one had shape "
                                       f"{batch.shape}"))
        if batch.size and not np.issubdtype(batch.dtype, np.integer):
            raise LearnerError(not_yet(exercise, f"the batches hold {batch.dtype} values: indices must be integers "
                                       "(X[batch] needs integer indices)"))
    return batches


def _expected_sizes(n: int, batch_size: int) -> list[int]:
    full, rest = divmod(n, batch_size)
    return [batch_size] * full + ([rest] if rest else [])


MINIBATCH_CASES = ((10, 4), (9, 4), (12, 3), (7, 7), (5, 8), (17, 8), (1, 3), (103, 16))
"""(n, batch_size) of the cases: remainders 2, 1, 0, 0, 5, 1, 1, 7 — a last batch of one sample is
where `range(0, n - 1, batch_size)` and other off-by-ones show."""


def check_minibatches(minibatches) -> CheckResult:
    """Exercise 7.3: the mini-batches of one epoch of mini-batch gradient descent.

    ``minibatches(n, batch_size, rng)`` receives the number of training samples ``n``, the batch
    size and a ``numpy.random.Generator``, and returns a list of 1-D integer arrays of sample
    indices: every index 0..n−1 exactly once, in a random order drawn from ``rng``, cut into batches
    of ``batch_size`` (the last one smaller when ``batch_size`` does not divide ``n``).

    Recognised mistakes: dropping the last, partial batch; not shuffling; drawing indices with
    repeats (some samples twice, others never); batches of the wrong sizes (e.g. ``np.array_split``
    into n // batch_size pieces); using the global ``np.random`` or a fixed seed instead of ``rng``;
    indices out of range; a flat array or floats instead of a list of integer arrays.
    """
    exercise = "minibatches"

    def body() -> CheckResult:
        for n, batch_size in MINIBATCH_CASES:
            batches = _batches(exercise, minibatches, n, batch_size, seed=n)
            sizes = [len(b) for b in batches]
            everything = np.concatenate(batches) if batches else np.array([], dtype=int)
            wanted = _expected_sizes(n, batch_size)
            case = f"for n = {n}, batch_size = {batch_size}"
            if everything.size and (everything.min() < 0 or everything.max() >= n):
                return not_yet(exercise, f"{case} you returned indices from {everything.min()} to {everything.max()}: "
                               f"sample indices run from 0 to {n - 1}")
            distinct = len(set(everything.tolist()))
            dropped_last = sizes == _expected_sizes(n - n % batch_size, batch_size)
            if distinct == everything.size and n % batch_size and dropped_last:
                return not_yet(exercise, f"{case} you returned batches of sizes {sizes}: the last, partial batch is "
                               f"missing, so {n % batch_size} samples are never trained on in this epoch. Keep it, "
                               "smaller")
            if distinct != everything.size:
                return not_yet(exercise, f"{case} some samples appear twice and {n - distinct} never: an epoch uses "
                               "every sample exactly once. Shuffle the indices (a permutation) instead of drawing "
                               "each one at random")
            if distinct != n:
                return not_yet(exercise, f"{case} your batches hold {distinct} of the {n} samples: an epoch uses every "
                               "sample exactly once")
            if sizes != wanted:
                return not_yet(exercise, f"{case} your batches have sizes {sizes}, expected "
                               f"{', '.join(map(str, wanted))}: full batches of batch_size, only the last smaller")
        ordered = _batches(exercise, minibatches, 103, 16, seed=0)
        if np.array_equal(np.concatenate(ordered), np.arange(103)):
            return not_yet(exercise, "the indices come out in order 0, 1, 2, …: shuffle them with rng first, or every "
                           "epoch sees the same batches in the same order")
        again = _batches(exercise, minibatches, 103, 16, seed=0)
        if not all(np.array_equal(a, b) for a, b in zip(ordered, again)):
            return not_yet(exercise, "two calls with equally seeded generators gave different batches: draw the order "
                           "from the `rng` you are given, not from np.random")
        other = _batches(exercise, minibatches, 103, 16, seed=1)
        if all(np.array_equal(a, b) for a, b in zip(ordered, other)):
            return not_yet(exercise, "differently seeded generators gave the same batches: use the `rng` you are given "
                           "(no fixed seed inside your function), so each epoch gets a new order")
        if {frozenset(b.tolist()) for b in ordered} == {frozenset(b.tolist()) for b in other}:
            return not_yet(exercise, "every epoch gets the same batches, only in another order: shuffle the samples "
                           "first, then cut them into batches, so that each batch mixes different samples each epoch")
        return passed(exercise, "every sample exactly once per epoch, shuffled with rng, full batches and one smaller "
                      f"last batch ({len(MINIBATCH_CASES)} cases, n from 1 to 103)")

    return run_check(exercise, body)
