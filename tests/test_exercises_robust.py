"""Every exercise check survives what a learner can pass it: an endless loop (stopped by the time limit),
a flood of prints (cut short), and objects whose methods raise. None of them makes a check raise or hang.

The answers are built per kind of check: a function, a whole number, a real number, a text, a playground
configuration (a Mapping) or a network (an MLP subclass). Learner code is run under
``_check.TIME_LIMIT``, patched to a fraction of a second here so that the endless loops end quickly.
"""

import functools
import time
import warnings
from collections.abc import Mapping
from functools import cache

import numpy as np
import pytest
import test_exercises_nb03 as nb03_ref
import test_exercises_nb04 as nb04_ref
import test_exercises_nb06 as nb06_ref
import test_exercises_nb07 as nb07_ref
from exercise_asserts import assert_not_yet, require_raises_with_hint

import mlp_course as mc
from mlp_course.exercises import _check, nb05
from mlp_course.teacher.solutions import nb02 as nb02_ref
from mlp_course.teacher.solutions import nb04 as nb04_solutions

ex = mc.exercises
LIMIT = 0.3


def _forever():
    while True:
        pass


def _flood(lines=2000):
    for i in range(lines):
        print("debug line", i)


class Hostile:
    """Raises on every use a check could make of it."""

    def _fail(self, *args, **kwargs):
        raise RuntimeError("hostile object")

    __array__ = __eq__ = __ne__ = __bool__ = __len__ = __iter__ = __getitem__ = __float__ = __int__ = _fail
    __index__ = __repr__ = __str__ = __hash__ = _fail

    def __getattr__(self, name):
        raise RuntimeError(f"hostile attribute {name}")


def _number_class(base, on_convert):
    """A subclass of int or float whose conversion (__int__/__float__/__index__) runs ``on_convert``."""
    method = "__int__" if base is int else "__float__"

    def convert(self):
        on_convert()
        return getattr(base, method)(self)

    extra = {"__index__": convert} if base is int else {}
    return type(f"Learner{base.__name__.title()}", (base,), {method: convert, **extra})


class LearnerMapping(Mapping):
    """A configuration mapping whose item access runs ``on_access`` first."""

    def __init__(self, data, on_access):
        self.data, self.on_access = dict(data), on_access

    def __getitem__(self, key):
        self.on_access()
        return self.data[key]

    def __iter__(self):
        return iter(self.data)

    def __len__(self):
        return len(self.data)


def _learner_net(on_use):
    """The notebook's reference spiral network, as an MLP subclass whose predict/forward run ``on_use``."""
    class LearnerNet(mc.MLP):
        def predict(self, X):
            on_use()
            return super().predict(X)

        def forward(self, X, *args, **kwargs):
            on_use()
            return super().forward(X, *args, **kwargs)

    net = LearnerNet([2, 8, 8, 1], "tanh")
    net.weights, net.biases = [w.copy() for w in nb07_ref.net.weights], [b.copy() for b in nb07_ref.net.biases]
    return net


def _wrapped(function, on_call):
    @functools.wraps(function)  # keeps the signature: check_backward counts the arguments
    def learner(*args):
        on_call()
        return function(*args)

    return learner


# check name -> (kind, check, reference answer(s))
CHECKS = {
    "sigmoid_derivative": ("function", ex.check_sigmoid_derivative, nb02_ref.sigmoid_derivative),
    "output_delta": ("function", ex.check_output_delta, nb02_ref.output_delta),
    "train_step": ("function", ex.check_train_step, nb02_ref.train_step),
    "initial_weights": ("function", ex.check_initial_weights, nb02_ref.initial_weights),
    "answer_step": ("function", ex.check_answer_step, nb03_ref.step),
    "stuck_seed": ("int", ex.check_stuck_seed, nb03_ref.stuck_seed),
    "epochs_prediction": ("real", ex.check_epochs_prediction, nb03_ref.predicted_epochs),
    "loss_batch": ("function", ex.check_loss_batch, nb04_ref.loss_batch),
    "output_gradients": ("function", ex.check_output_gradients, nb04_ref.output_gradients),
    "per_sample_gradients": ("function", ex.check_per_sample_gradients, nb04_ref.per_sample_gradients),
    "backward": ("function", ex.check_backward, nb04_solutions.backward_sigmoid),
    "learning_rate": ("real", ex.check_learning_rate, 5.0),
    "wider_networks": ("texts", ex.check_wider_networks, ("fewer", "more")),
    "small_circle": ("config", ex.check_small_circle, nb06_ref.small_circle),
    "divergence_edge": ("configs", ex.check_divergence_edge, (nb06_ref.diverging, nb06_ref.stable)),
    "spiral_challenge": ("config", ex.check_spiral_challenge, nb06_ref.spiral),
    "spiral_network": ("network", ex.check_spiral_network, None),
    "early_stopping_epoch": ("real", ex.check_early_stopping_epoch, float(nb07_ref.best_epoch)),
    "minibatches": ("function", ex.check_minibatches, nb07_ref.minibatches),
}


def _answer(name, on_use):
    """The reference answer of check ``name``, rebuilt so that using it runs ``on_use`` (learner code)."""
    kind, _, reference = CHECKS[name]
    if kind == "function":
        return (_wrapped(reference, on_use),)
    if kind in ("int", "real"):
        return (_number_class(int if kind == "int" else float, on_use)(reference),)
    if kind == "texts":
        learner_str = type("LearnerStr", (str,), {"strip": lambda self: on_use(), "lower": lambda self: on_use()})
        return tuple(learner_str(text) for text in reference)
    if kind == "config":
        return (LearnerMapping(reference, on_use),)
    if kind == "configs":
        return tuple(LearnerMapping(config, on_use) for config in reference)
    return (_learner_net(on_use),)


@cache
def _plain_result(name):
    kind, check, reference = CHECKS[name]
    if kind in ("texts", "configs"):
        return check(*reference)
    return check(_learner_net(lambda: None) if kind == "network" else reference)


@pytest.fixture(autouse=True)
def quick(monkeypatch):
    monkeypatch.setattr(_check, "TIME_LIMIT", LIMIT)
    truth = {loss: nb05._wider_truth(loss) for loss in ("mse", "bce")} if not hasattr(quick, "truth") else quick.truth
    quick.truth = truth
    monkeypatch.setattr(nb05, "_wider_truth", truth.__getitem__)  # the 2 × 600 training runs once per session


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_an_endless_loop_is_stopped_and_reported(name):
    kind, check, _ = CHECKS[name]
    start = time.perf_counter()
    result = check(*_answer(name, _forever))
    elapsed = time.perf_counter() - start
    if kind == "texts":  # the check uses str's own methods, never the learner's: nothing to stop
        assert result.passed == _plain_result(name).passed
    else:
        assert_not_yet(result, f"did not return within {LIMIT:g} s")
    assert elapsed < 30 * LIMIT + 5  # stopped, not run to the end


FLOOD_LINES = {"train_step": 40}
"""Lines printed per call where a check calls the answer hundreds of times (train_step trains with it: ~630
calls, still ~25 000 lines); 2000 otherwise."""


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_a_flood_of_prints_is_cut_short_and_changes_no_verdict(name, capsys, monkeypatch):
    monkeypatch.setattr(_check, "TIME_LIMIT", 10.0)  # printing takes time: only the output is judged here
    result = CHECKS[name][1](*_answer(name, functools.partial(_flood, FLOOD_LINES.get(name, 2000))))
    assert result.passed == _plain_result(name).passed, result
    printed = capsys.readouterr()
    lines = (printed.out + printed.err).splitlines()
    assert len(lines) <= _check.MAX_OUTPUT_LINES + 1  # one cap for the whole check
    if CHECKS[name][0] != "texts":
        assert any("more line(s) of your output cut" in line for line in lines), lines[-3:]


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_objects_that_raise_never_make_a_check_raise(name):
    kind, check, _ = CHECKS[name]
    answers = [Hostile(), lambda *args: Hostile(), lambda *args: (Hostile(), Hostile())]

    def fail():
        raise RuntimeError("learner's method fails")

    answers.append(_answer(name, fail)[0])
    for answer in answers:
        arguments = (answer, answer) if kind in ("texts", "configs") else (answer,)
        result = check(*arguments)
        assert isinstance(result, mc.exercises.CheckResult)
        if kind != "texts" or answer is not answers[-1]:
            assert_not_yet(result)


def test_a_float_subclass_whose_float_raises_and_a_raising_mapping_are_named():
    bad_float = _number_class(float, lambda: 1 / 0)(5.0)
    assert_not_yet(ex.check_learning_rate(bad_float), "float() of your learning_rate raised ZeroDivisionError")
    assert_not_yet(ex.check_epochs_prediction(bad_float), "raised ZeroDivisionError")
    assert_not_yet(ex.check_small_circle(LearnerMapping(nb06_ref.small_circle, lambda: {}["missing"])),
                   "reading your answer raised KeyError")


def test_the_time_limit_is_off_where_the_platform_cannot_interrupt(monkeypatch):
    monkeypatch.setattr(_check, "can_limit_time", lambda: False)
    assert ex.check_sigmoid_derivative(nb02_ref.sigmoid_derivative).passed  # runs normally, just without a limit


def test_a_correct_answer_with_a_harmless_warning_or_in_float32_passes():
    def noisy(z):
        warnings.warn("a harmless note", UserWarning, stacklevel=2)
        return nb02_ref.sigmoid_derivative(z)

    assert ex.check_sigmoid_derivative(noisy).passed
    assert ex.check_sigmoid_derivative(lambda z: nb02_ref.sigmoid_derivative(z.astype(np.float32))).passed
    assert ex.check_output_delta(lambda o, y: nb02_ref.output_delta(o.astype(np.float32), y.astype(np.float32))).passed
    as32 = [lambda a: a.astype(np.float32)] * 4
    assert ex.check_loss_batch(lambda X, y, w, b: nb04_ref.loss_batch(
        as32[0](X), as32[1](y), [v.astype(np.float32) for v in w], [v.astype(np.float32) for v in b])).passed
    assert ex.check_output_gradients(lambda H, o, y: nb04_ref.output_gradients(
        H.astype(np.float32), o.astype(np.float32), y.astype(np.float32))).passed
    assert ex.check_per_sample_gradients(lambda H, o, y: nb04_ref.per_sample_gradients(
        H.astype(np.float32), o.astype(np.float32), y.astype(np.float32))).passed
    assert ex.check_backward(lambda X, y, w, b: nb04_solutions.backward_sigmoid(
        X.astype(np.float32), y.astype(np.float32), [v.astype(np.float32) for v in w],
        [v.astype(np.float32) for v in b])).passed
    assert_not_yet(ex.check_sigmoid_derivative(lambda z: nb02_ref.sigmoid_derivative(z).astype(np.float16)),
                   "float16", "dtype matters")


@pytest.mark.parametrize("message, cause", [
    ("overflow encountered in exp", "exp() overflowed"),
    ("divide by zero encountered in log", "log(0)"),
    ("divide by zero encountered in divide", "division by zero"),
    ("invalid value encountered in subtract", "NaN"),
    ("overflow encountered in multiply", "largest float"),
])
def test_numerical_warnings_get_the_hint_of_their_own_cause(message, cause):
    def warns(X, y, weights, biases):
        warnings.warn(message, RuntimeWarning, stacklevel=2)
        return nb04_ref.loss_batch(X, y, weights, biases)

    result = ex.check_loss_batch(warns)
    assert_not_yet(result, message, cause)
    if "exp" not in message:
        assert "exp()" not in result.message  # the sigmoid-overflow hint only for an overflow in exp


def test_a_division_by_zero_in_loss_batch_is_named_as_such():
    def per_class(X, y, weights, biases):  # a mean over the samples of a class that the batch may not have
        total = nb04_ref.loss_batch(X, y, weights, biases) * len(X)
        return total / np.float64(np.count_nonzero(y == 2))  # no sample has y == 2: a division by zero

    result = ex.check_loss_batch(per_class)
    assert_not_yet(result, "divide by zero", "division by zero")
    assert "exp()" not in result.message


# ------------------------------------------------------------------------------------------------
def test_require_returns_a_pass_and_raises_with_the_hint_otherwise():
    result = ex.check_minibatches(nb07_ref.minibatches)
    assert mc.exercises.require(result) is result
    require_raises_with_hint(ex.check_minibatches(...))
    with pytest.raises(AssertionError, match="partial batch is missing"):
        mc.exercises.require(ex.check_minibatches(nb07_ref._drop_last))
    for wrong in (ex.check_minibatches, True, "✓ passed", None):
        with pytest.raises(TypeError, match="CheckResult"):
            mc.exercises.require(wrong)
    assert "require" in mc.exercises.__all__


# ------------------------------------------------------------------------------------------------
# A verdict wraps at words: JupyterLab breaks a long plain-text line at any character, mid-word
WIDTH = mc.diagnose.report.TEXT_WIDTH


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_every_checks_verdict_wraps_at_words(name):
    kind, check, reference = CHECKS[name]
    answers = (...,) * (len(reference) if kind in ("texts", "configs") else 1)
    result = check(*answers)  # the untouched cell's "not yet": a long hint, in every check
    text = str(result)
    assert repr(result) == text and text.startswith("✗ not yet")
    lines = text.splitlines()
    assert len(lines) > 1 and all(len(line) <= WIDTH for line in lines), lines
    assert all(line.startswith("    ") and line[4] != " " for line in lines[1:]), lines  # continuations indented
    assert text.split() == f"✗ not yet ({result.exercise}): {result.message}".split()  # no word broken


def test_every_check_is_in_the_robustness_table():
    assert {f"check_{name}" for name in CHECKS} == {n for n in mc.exercises.__all__ if n.startswith("check_")}


def test_a_long_word_and_the_messages_own_line_breaks_are_kept():
    long_word = "np.einsum('ij,ik->ijk',H,d_loss__d_z)" * 3
    result = _check.CheckResult("x", False, f"first line\n{'word ' * 30}{long_word} end")
    lines = str(result).splitlines()
    assert lines[0] == "✗ not yet (x): first line"
    assert any(line.strip() == long_word for line in lines)  # longer than the width: alone on its line, whole
    assert all(len(line) <= WIDTH for line in lines if long_word not in line)
    assert str(_check.CheckResult("x", True, "short")) == "✓ passed (x): short"
