"""Exercise checks of notebook 06, *The playground*: challenges whose answer is a configuration.

=====================  ===========================================================================
exercise               the learner passes
=====================  ===========================================================================
small_circle           a configuration that classifies ``circle``'s test points with ≥ 95 %
                       accuracy using at most 3 hidden units in total
divergence_edge        two XOR configurations, equal but for the learning rate, at most one
                       slider step apart: the larger rate diverges, the smaller does not
spiral_challenge       a configuration that classifies ``spiral``'s test points with ≥ 95 %
                       accuracy
=====================  ===========================================================================

Every answer can be the playground itself (``ui``, an :class:`mlp_course.Playground`), its
``ui.config`` dict or its ``ui.config_string``. The check rebuilds the run from the configuration
with the playground's own code (:class:`mlp_course.playground.Run`: the same data, the same
network, the same training in the same chunks), so it sees exactly what the learner saw. Runs are
limited to :data:`MAX_EPOCHS` epochs and :data:`MAX_STEPS` gradient steps so that a check stays
under about a second.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict

from ..playground import Playground, PlaygroundConfig
from ..playground import PlaygroundRun as Run
from ..training import accuracy
from ._check import (
    UNANSWERED_HINT,
    CheckResult,
    LearnerError,
    learner_value,
    not_yet,
    passed,
    run_check,
    safe_repr,
    unanswered,
)

__all__ = [
    "check_small_circle",
    "check_divergence_edge",
    "check_spiral_challenge",
]

MAX_EPOCHS = 5000
"""Most epochs a checked configuration may train (the epochs slider's range)."""
MAX_STEPS = 10_000
"""Most gradient steps (epochs × mini-batches per epoch) a checked configuration may take."""
MIN_NOISE = 0.1
MIN_TEST_FRACTION = 0.3
"""The accuracy challenges keep at least the default noise and test fraction (no easier data)."""
SLIDER_STEP = 10 ** 0.1
"""Ratio between neighbouring positions of the learning-rate slider (a log slider, step 0.1)."""
EDGE_EPOCHS = 1000
"""The divergence edge is judged over at least the default 1000 epochs."""


def _config(exercise: str, answer, name: str = "your answer") -> PlaygroundConfig:
    """The :class:`PlaygroundConfig` of a playground, a config dict or a config string."""
    if unanswered(answer):
        raise LearnerError(not_yet(exercise, UNANSWERED_HINT))
    if isinstance(answer, Playground):
        return learner_value(exercise, lambda: PlaygroundConfig.parse(answer.config), f"reading {name}")
    if isinstance(answer, (Mapping, str, PlaygroundConfig)):
        def parse():  # a learner's Mapping runs its own methods here
            try:
                return PlaygroundConfig.parse(answer)
            except (ValueError, TypeError) as error:
                return error

        config = learner_value(exercise, parse, f"reading {name}")
        if isinstance(config, Exception):
            raise LearnerError(not_yet(exercise, f"{name} is not a playground configuration: {config}"))
        return config
    raise LearnerError(not_yet(exercise, f"{name} must be the playground (`ui`) or its configuration (`ui.config`), "
                               f"got {type(answer).__name__} {safe_repr(answer, 40)}"))


def _steps_per_epoch(run: Run) -> int:
    batch = run.config.batch_size
    return 1 if batch is None else math.ceil(len(run.data.X_train) / batch)


def _trained(exercise: str, config: PlaygroundConfig, name: str = "your configuration") -> Run:
    """Rebuild and train ``config`` exactly as the playground does; refuse runs over the budget."""
    if config.epochs == 0:
        raise LearnerError(not_yet(exercise, f"{name} trains for 0 epochs: the network is untrained"))
    run = Run(config)
    steps = config.epochs * _steps_per_epoch(run)
    if config.epochs > MAX_EPOCHS or steps > MAX_STEPS:
        raise LearnerError(not_yet(exercise, f"{name} takes {config.epochs} epochs × {_steps_per_epoch(run)} "
                                   f"batch(es) = {steps} gradient steps; the check retrains it, so stay within "
                                   f"{MAX_EPOCHS} epochs and {MAX_STEPS} steps (a larger batch size or learning "
                                   "rate needs fewer)"))
    run.train_to(config.epochs)
    return run


def _diverged_hint(run: Run, name: str = "your configuration") -> str:
    return (f"{name} diverged at epoch {run.diverged_epoch} (the status says so in red): the learning rate "
            f"{run.config.lr:g} is too large for it")


def _accuracy_challenge(exercise: str, answer, dataset: str, goal: float, max_hidden_units: int | None = None,
                        ) -> CheckResult:
    """Pass when ``answer``'s run reaches ``goal`` test accuracy on ``dataset`` within the rules."""
    config = _config(exercise, answer)
    if config.dataset != dataset:
        return not_yet(exercise, f"your configuration trains on {config.dataset}; this challenge is {dataset}: pick it "
                       "in the dataset menu (or ui.set(dataset=...))")
    if config.noise < MIN_NOISE or config.test_fraction < MIN_TEST_FRACTION:
        return not_yet(exercise, f"keep noise at least {MIN_NOISE:g} and test fraction at least {MIN_TEST_FRACTION:g} "
                       f"(yours: {config.noise:g} and {config.test_fraction:g}): the challenge is to generalise from "
                       "noisy points to test points, not to make the data easier")
    hidden_units = config.hidden_layers * config.units
    if max_hidden_units is not None:
        if config.hidden_layers == 0:
            return not_yet(exercise, "with no hidden layer the network is one straight line (logistic regression): it "
                           "cannot enclose anything")
        if hidden_units > max_hidden_units:
            return not_yet(exercise, f"{config.hidden_layers} hidden layer(s) × {config.units} units = {hidden_units} "
                           f"hidden units; the challenge allows at most {max_hidden_units} in total")
    run = _trained(exercise, config)
    if run.diverged:
        return not_yet(exercise, _diverged_hint(run))
    data = run.data
    train_accuracy = accuracy(run.net, data.X_train, data.y_train)
    test_accuracy = accuracy(run.net, data.X_test, data.y_test)
    scores = f"train accuracy {train_accuracy:.1%}, test accuracy {test_accuracy:.1%}"
    if test_accuracy >= goal:
        return passed(exercise, f"{dataset} with {hidden_units} hidden unit(s) in {config.hidden_layers} layer(s), "
                      f"{config.epochs} epochs: {scores} (goal: {goal:.0%} on the test points)")
    if train_accuracy < goal:
        lines = ("; how many straight lines does it take to enclose a region?"
                 if max_hidden_units is not None and hidden_units < max_hidden_units else "")
        return not_yet(exercise, f"{scores}: the network does not even fit its training points yet. Train longer "
                       f"(more epochs), or try another learning rate, activation or network shape{lines}")
    return not_yet(exercise, f"{scores}: it fits the training points but not the test points. Watch the test loss in "
                   "the loss plot: stop where it is lowest (fewer epochs), or try another seed or a smaller network")


# ------------------------------------------------------------------------------------------------
SMALL_CIRCLE_UNITS = 3
SMALL_CIRCLE_GOAL = 0.95


def check_small_circle(answer) -> CheckResult:
    """Exercise 6.1: classify ``circle`` with at most 3 hidden units.

    ``answer`` is the playground (``ui``), ``ui.config`` or ``ui.config_string``. Passes when the
    configuration's run, rebuilt with the playground's own code, reaches ≥ 95 % accuracy on the test
    points of ``circle`` with at most 3 hidden units in total (hidden layers × units/layer), noise
    ≥ 0.1, test fraction ≥ 0.3, and within the check's budget (5000 epochs, 10 000 steps).

    Recognised answers: another dataset; no hidden layer (a straight line); too many units; easier
    data (less noise, fewer test points); 0 epochs; over the budget; a diverged run; a network that
    does not fit its training points (with fewer than 3 units: "how many lines enclose a region?");
    one that fits them but not the test points.
    """
    exercise = "small_circle"
    return run_check(exercise, lambda: _accuracy_challenge(exercise, answer, "circle", SMALL_CIRCLE_GOAL,
                                                           max_hidden_units=SMALL_CIRCLE_UNITS))


# ------------------------------------------------------------------------------------------------
SPIRAL_GOAL = 0.95


def check_spiral_challenge(answer) -> CheckResult:
    """Exercise 6.3: ≥ 95 % test accuracy on ``spiral``.

    ``answer`` is the playground (``ui``), ``ui.config`` or ``ui.config_string``. Passes when the
    configuration's run, rebuilt with the playground's own code, classifies ≥ 95 % of the spiral's
    test points, with noise ≥ 0.1, test fraction ≥ 0.3, and within the check's budget (5000 epochs,
    10 000 steps). Any network shape is allowed.

    Recognised answers: another dataset; easier data; 0 epochs; over the budget; a diverged run; a
    network that does not fit its training points (train longer, another shape or rate); one that
    fits them but not the test points (overfitting: stop earlier, another seed, a smaller network).
    """
    exercise = "spiral_challenge"
    return run_check(exercise, lambda: _accuracy_challenge(exercise, answer, "spiral", SPIRAL_GOAL))


# ------------------------------------------------------------------------------------------------
def check_divergence_edge(diverging, stable) -> CheckResult:
    """Exercise 6.2: the learning rate at which XOR training starts to diverge, to one slider step.

    ``diverging`` and ``stable`` are two playground configurations (``ui.config`` dicts or config
    strings, or a playground) on ``xor`` that are equal except for the learning rate, train at least
    1000 epochs, and whose learning rates are at most one slider step apart (a factor 10^0.1 ≈ 1.26):
    ``stable.lr < diverging.lr ≤ 1.26 × stable.lr``. Passes when both runs, rebuilt with the
    playground's own code, do what their names say: ``diverging`` diverges (the status turns red),
    ``stable`` does not.

    Recognised answers: the same configuration twice; another dataset; configurations that differ in
    more than the learning rate; swapped roles; fewer than 1000 epochs; a "diverging" run that does
    not diverge (with ``mse`` the hint recalls why it never does); a "stable" run that diverges; rates
    further apart than one slider step (the hint says how many steps).
    """
    exercise = "divergence_edge"

    def body() -> CheckResult:
        high = _config(exercise, diverging, "`diverging`")
        low = _config(exercise, stable, "`stable`")
        if high == low:
            return not_yet(exercise, "`diverging` and `stable` are the same configuration: record `ui.config` once "
                           "after setting the diverging rate and once after setting the stable one (ui.config is a "
                           "new dict each time; passing `ui` twice passes one configuration)")
        for name, config in (("`diverging`", high), ("`stable`", low)):
            if config.dataset != "xor":
                return not_yet(exercise, f"{name} trains on {config.dataset}; this challenge is XOR's four points")
        ignored = {"lr", "noise", "test_fraction"}  # noise and test fraction do not apply to xor
        low_values = asdict(low)
        differ = sorted(key for key, value in asdict(high).items() if key not in ignored and value != low_values[key])
        if differ:
            return not_yet(exercise, f"the two configurations also differ in {', '.join(differ)}: change only the "
                           "learning rate, so that it alone decides")
        if high.epochs < EDGE_EPOCHS:
            return not_yet(exercise, f"train at least {EDGE_EPOCHS} epochs (yours: {high.epochs}): a run that has not "
                           "diverged yet may still diverge later")
        if high.lr < low.lr:
            return not_yet(exercise, "`diverging` has the smaller learning rate: a larger step is what makes training "
                           "overshoot. Swap them, if each does what its name says")
        runs = {"`diverging`": _trained(exercise, high, "`diverging`"), "`stable`": _trained(exercise, low, "`stable`")}
        if runs["`stable`"].diverged:
            return not_yet(exercise, _diverged_hint(runs["`stable`"], "`stable`"))
        if not runs["`diverging`"].diverged:
            why = (" With the loss mse the sigmoid output saturates and the steps shrink by themselves (experiment "
                   "2): which loss diverges?" if high.loss == "mse" else " Raise its learning rate.")
            return not_yet(exercise, f"`diverging` (learning rate {high.lr:g}) trained without diverging: "
                           f"{runs['`diverging`'].status()}.{why}")
        ratio = high.lr / low.lr
        if ratio > SLIDER_STEP * 1.001:  # the config keeps 4 significant digits: 6.31 / 5.012 = 1.2590
            steps = round(math.log10(ratio) / 0.1)
            return not_yet(exercise, f"right on both sides, but {ratio:.2f}× apart, about {steps} slider steps (each "
                           "×1.26): narrow it down until the two rates are neighbours on the slider")
        return passed(exercise, f"at learning rate {low.lr:g} XOR trains ({runs['`stable`'].status()}); at {high.lr:g} "
                      f"it diverges at epoch {runs['`diverging`'].diverged_epoch}: the edge lies in between")

    return run_check(exercise, body)
