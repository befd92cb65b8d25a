"""Fuzz every public function with random bad inputs: only a ValueError/TypeError naming the argument.

One property test per public function (or method). Each example replaces ONE argument of a valid call
by a random bad value (wrong shape, dtype, NaN/inf, huge or negative numbers, wrong types) and
requires a ``ValueError`` or ``TypeError`` whose message names that argument, with no warning of any
kind. A few values are extreme but legal (``X`` near the float maximum): for those the call may also
succeed, still without a warning.

``python tests/test_fuzz.py`` runs every case without stopping at the first failure and prints, per
function, how many examples ran and which inputs misbehaved.
"""

from __future__ import annotations

import datetime
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.extra import numpy as hnp  # noqa: E402

import mlp_course as mc  # noqa: E402

FUZZ = settings(max_examples=25, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@dataclass(frozen=True)
class Bad:
    """A bad value for one argument; ``legal`` values may also be accepted (silently, no warning)."""

    value: object
    legal: bool = False

    def __repr__(self) -> str:
        text = repr(self.value)
        return (text if len(text) < 90 else text[:87] + "...") + (" (legal)" if self.legal else "")


class Misbehaved(AssertionError):
    pass


def outcome(call: Callable[[], object], names: tuple[str, ...], bad: Bad) -> str:
    """Run ``call``: "raised" (a clean error naming one of ``names``) or "accepted"; else Misbehaved."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            try:
                call()
            finally:
                plt.close("all")
    except (ValueError, TypeError) as exc:
        if not any(name in str(exc) for name in names):
            raise Misbehaved(f"{type(exc).__name__} does not name {' or '.join(names)}: {exc}") from exc
        return "raised"
    except Exception as exc:  # noqa: BLE001 - a warning turned error, OverflowError, IndexError, …
        raise Misbehaved(f"{type(exc).__name__}: {exc}") from exc
    if not bad.legal:
        raise Misbehaved("accepted silently")
    return "accepted"


# ------------------------------------------------------------------------------ bad values
FIXED_BAD_ARRAYS = [
    None, "X", b"01", 3.0, {"a": 1}, [], np.ones(3), np.ones((2, 2, 2)), np.ones((0, 2)), np.array([[1j, 0.0]] * 4),
    np.array([["a", "b"]] * 4), np.array([[None, 1]] * 4, dtype=object), [[1, 2], [3]], [[10**400, 0.0]] * 4,
    np.array([[1, 2]] * 4, dtype="timedelta64[s]"),
    np.array([[datetime.date(2020, 1, 1)] * 2] * 4, dtype="datetime64[D]"),
    np.ma.array(np.zeros((4, 2)), mask=[[1, 0]] + [[0, 0]] * 3),
]


def non_finite_arrays(rows: int, cols: int):
    """(rows, cols) float arrays with at least one NaN or ±inf."""
    values = st.floats(allow_nan=True, allow_infinity=True, width=64)
    return hnp.arrays(np.float64, (rows, cols), elements=values).filter(lambda a: not np.all(np.isfinite(a)))


def bad_matrices(rows: int, cols: int, *, any_shape_is_legal: bool = False):
    """Bad values for an (rows, cols) input array (or any-shape one)."""
    wrong_shape = st.tuples(st.integers(1, 5), st.integers(1, 5)).filter(lambda s: s[1] != cols).map(np.ones)
    extreme = st.sampled_from([1e308, -1.7e308, 1e300]).map(lambda v: Bad(np.full((rows, cols), v), legal=True))
    fixed = [v for v in FIXED_BAD_ARRAYS if not (any_shape_is_legal and isinstance(v, np.ndarray) and v.dtype == float
                                                 and not isinstance(v, np.ma.MaskedArray))]
    out = [st.sampled_from(fixed).map(Bad), non_finite_arrays(rows, cols).map(Bad), extreme]
    return st.one_of(out if any_shape_is_legal else [*out, wrong_shape.map(Bad)])


def bad_targets(rows: int, *, bce: bool = False, labels: bool = False, wide_is_legal: bool = False):
    """Bad values for targets y of shape (rows, 1) or (rows,): BCE targets lie in [0, 1], labels are 0/1."""
    wrong_length = st.integers(1, 9).filter(lambda n: n != rows).map(lambda n: Bad(np.zeros((n, 1))))
    fixed = [v for v in FIXED_BAD_ARRAYS if not (isinstance(v, np.ndarray) and v.shape == (3,))]
    out = [st.sampled_from(fixed).map(Bad), non_finite_arrays(rows, 1).map(Bad), wrong_length]
    if not wide_is_legal:
        out.append(st.just(Bad(np.ones((rows, 3)))))
    if bce or labels:
        outside = [2.0, -1.0, 1e300, -1e-9, 1 + 1e-9] + ([0.5, 0.999] if labels else [])
        out.append(st.sampled_from(outside).map(lambda v: Bad(np.full((rows, 1), v))))
    return st.one_of(out)


def bad_seeds():
    return st.one_of(st.integers(max_value=-1), st.integers(min_value=2**63, max_value=2**200),
                     st.floats(allow_nan=True), st.sampled_from(["0", "seed", True, 1j, [1], np.float64(1.0)])).map(Bad)


def bad_positive_numbers(*, upper: float | None = None):
    """Not a positive finite number (or above ``upper``)."""
    values = [0, 0.0, -1, -1e-9, float("nan"), float("inf"), -float("inf"), 10**400, "1", None, 1j, True, [1.0]]
    out = [st.sampled_from(values), st.floats(max_value=0, allow_nan=False)]
    if upper is not None:
        out.append(st.floats(min_value=upper, exclude_min=True, allow_infinity=False))
    return st.one_of(out).map(Bad)


def bad_counts(minimum: int, *, maximum: int | None = None, none_is_legal: bool = False):
    """Not an integer >= minimum (or above maximum)."""
    others = ["3", True, 2.0, [2]] + ([] if none_is_legal else [None])
    out = [st.integers(max_value=minimum - 1), st.floats(allow_nan=True), st.sampled_from(others)]
    if maximum is not None:
        out.append(st.integers(min_value=maximum + 1, max_value=10**30))
    return st.one_of(out).map(Bad)


def not_zero(bad: Bad) -> bool:
    """False for a bad value that is the number 0 (an int or float, not a bool), legal where 0 means "none"."""
    return not (isinstance(bad.value, (int, float)) and not isinstance(bad.value, bool) and bad.value == 0)


def bad_choices(valid=("sigmoid", "tanh", "relu", "linear", "mse", "bce", "normal", "xavier", "he", "gauss", "circle",
                       "moons", "spiral", "xor")):
    return st.one_of(st.text(max_size=5).filter(lambda t: t not in valid),
                     st.sampled_from([None, 1, ["mse"], b"mse", "Tanh"])).map(Bad)


# ------------------------------------------------------------------------------ the cases
X4, Y4 = mc.datasets.xor()
NET = mc.MLP([2, 3, 1], seed=0)


def net():
    return NET.copy()


def correct_backward(X, y, weights, biases):
    """A correct backward pass (sigmoid hidden and output, mean ½ squared error): the diagnoser's reference."""
    fresh = mc.MLP.from_parameters(weights, biases, activation="sigmoid", output_activation="sigmoid")
    _, d_weights, d_biases = fresh.gradients(X, y)
    return d_weights, d_biases


SPLIT = mc.experiments.make_split("gauss", n=20, seed=0)
RUN = mc.experiments.run(SPLIT, [2, 2, 1], epochs=2)

def _plain_float(value, shape=None) -> bool:
    """A plain 2-D float ndarray (of ``shape``, if given)."""
    return (type(value) is np.ndarray and value.dtype == float and value.ndim == 2
            and (shape is None or value.shape == shape))


def _dataset_call(name: str, arg: str):
    return lambda v: mc.datasets.DATASETS[name](**{arg: v})


Case = tuple
"""(function, argument, call(bad value), strategy of Bad values[, other argument names the error may blame])"""

CASES: list[Case] = [
    # network
    ("MLP", "sizes", lambda v: mc.MLP(v), st.one_of(
        st.sampled_from([[], [2], "2-4-1", 3, None, [2, 0, 1], [2, -1, 1], [2, 2.5, 1], [2, True, 1], [2, "4", 1],
                         {2: 4}]).map(Bad),
        st.lists(st.integers(max_value=0), min_size=2, max_size=4).map(Bad))),
    ("MLP", "activation", lambda v: mc.MLP([2, 2, 1], activation=v), bad_choices()),
    ("MLP", "output_activation", lambda v: mc.MLP([2, 2, 1], output_activation=v), bad_choices()),
    ("MLP", "init", lambda v: mc.MLP([2, 2, 1], init=v), bad_choices()),
    ("MLP", "init_scale", lambda v: mc.MLP([2, 2, 1], init_scale=v), bad_positive_numbers()),
    ("MLP", "seed", lambda v: mc.MLP([2, 2, 1], seed=v), bad_seeds()),
    ("MLP.from_parameters", "weights", lambda v: mc.MLP.from_parameters(v, [np.zeros(3), np.zeros(1)]),
     st.one_of(st.sampled_from([None, [], [np.ones(3)], [np.ones((2, 3)), np.ones((4, 1))], "W",
                                [np.full((2, 3), np.nan), np.ones((3, 1))]]).map(Bad))),
    ("MLP.from_parameters", "biases", lambda v: mc.MLP.from_parameters([np.ones((2, 3)), np.ones((3, 1))], v),
     st.sampled_from([None, [], [np.zeros(3)], [np.zeros(2), np.zeros(1)], "b", [np.full(3, np.inf), np.zeros(1)],
                      [np.zeros(3), None]]).map(Bad)),
    ("MLP.forward", "X", lambda v: net().forward(v), bad_matrices(4, 2)),
    ("MLP.predict", "X", lambda v: net().predict(v), bad_matrices(4, 2)),
    ("MLP.forward_all", "X", lambda v: net().forward_all(v), bad_matrices(4, 2)),
    ("MLP.loss", "X", lambda v: net().loss(v, Y4), bad_matrices(4, 2)),
    ("MLP.loss", "y", lambda v: net().loss(X4, v), bad_targets(4)),
    ("MLP.loss", "loss", lambda v: net().loss(X4, Y4, v), bad_choices()),
    ("MLP.gradients", "X", lambda v: net().gradients(v, Y4), bad_matrices(4, 2)),
    ("MLP.gradients", "y", lambda v: net().gradients(X4, v, "bce"), bad_targets(4, bce=True)),
    ("MLP.loss_and_gradients", "X", lambda v: net().loss_and_gradients(v, Y4), bad_matrices(4, 2)),
    ("MLP.loss_and_gradients", "y", lambda v: net().loss_and_gradients(X4, v), bad_targets(4)),
    ("MLP.loss_and_outputs", "y", lambda v: net().loss_and_outputs(X4, v, "bce"), bad_targets(4, bce=True)),
    # training
    ("train", "X", lambda v: mc.train(net(), v, Y4, epochs=2), bad_matrices(4, 2)),
    ("train", "y", lambda v: mc.train(net(), X4, v, epochs=2), bad_targets(4)),
    ("train", "lr", lambda v: mc.train(net(), X4, Y4, lr=v, epochs=2), bad_positive_numbers()),
    ("train", "epochs", lambda v: mc.train(net(), X4, Y4, epochs=v), bad_counts(0)),
    ("train", "batch_size", lambda v: mc.train(net(), X4, Y4, epochs=2, batch_size=v),
     bad_counts(1, none_is_legal=True)),
    ("train", "seed", lambda v: mc.train(net(), X4, Y4, epochs=2, batch_size=2, seed=v), bad_seeds()),
    ("train", "X_val", lambda v: mc.train(net(), X4, Y4, epochs=2, X_val=v, y_val=Y4), bad_matrices(4, 2)),
    ("train", "y_val", lambda v: mc.train(net(), X4, Y4, epochs=2, X_val=X4, y_val=v, loss="bce"),
     bad_targets(4, bce=True)),
    ("accuracy", "X", lambda v: mc.accuracy(net(), v, Y4), bad_matrices(4, 2)),
    ("solved", "y", lambda v: mc.solved(net(), X4, v), bad_targets(4)),
    ("train_ensemble", "sizes", lambda v: mc.train_ensemble(v, X4, Y4, seeds=range(2), epochs=2),
     st.sampled_from([[], [2], "2-4-1", None, [2, 0, 1], [2, 2.5, 1], [3, 2, 1], [2, 2, 2]]).map(Bad), ("X", "y")),
    ("train_ensemble", "X", lambda v: mc.train_ensemble([2, 2, 1], v, Y4, seeds=range(2), epochs=2),
     bad_matrices(4, 2)),
    ("train_ensemble", "y", lambda v: mc.train_ensemble([2, 2, 1], X4, v, seeds=range(2), epochs=2), bad_targets(4)),
    ("train_ensemble", "seeds", lambda v: mc.train_ensemble([2, 2, 1], X4, Y4, seeds=v, epochs=2), st.one_of(
        bad_seeds().map(lambda b: Bad([0, b.value])), st.sampled_from([[], None, "0", 3.5]).map(Bad))),
    ("train_ensemble", "lr", lambda v: mc.train_ensemble([2, 2, 1], X4, Y4, seeds=range(2), lr=v, epochs=2),
     bad_positive_numbers()),
    ("train_ensemble", "epochs", lambda v: mc.train_ensemble([2, 2, 1], X4, Y4, seeds=range(2), epochs=v),
     bad_counts(0)),
    ("train_ensemble", "init_scale", lambda v: mc.train_ensemble([2, 2, 1], X4, Y4, seeds=range(2), epochs=2,
                                                                 init_scale=v), bad_positive_numbers()),
    # gradient checks
    ("gradcheck", "X", lambda v: mc.gradcheck(net(), v, Y4), bad_matrices(4, 2)),
    ("gradcheck", "y", lambda v: mc.gradcheck(net(), X4, v), bad_targets(4)),
    ("gradcheck", "h", lambda v: mc.gradcheck(net(), X4, Y4, h=v), bad_positive_numbers(upper=0.1)),
    ("gradcheck", "tol", lambda v: mc.gradcheck(net(), X4, Y4, tol=v), bad_positive_numbers(upper=1.0)),
    ("numerical_gradient", "x", lambda v: mc.numerical_gradient(lambda: 1.0, v),
     bad_matrices(2, 2, any_shape_is_legal=True)),
    ("numerical_gradient", "h", lambda v: mc.numerical_gradient(lambda x: float(x @ x), np.ones(2), h=v),
     bad_positive_numbers(upper=0.1)),
    ("numerical_gradient", "f", lambda v: mc.numerical_gradient(v, np.ones(2)), st.sampled_from(
        [None, "f", 1.0, lambda: np.ones(2), lambda: "1", lambda: float("nan"), lambda: None, lambda a, b: 1.0,
         lambda: 10**400, lambda: [1.0, 2.0], lambda: np.array(["a"])]).map(Bad)),
    ("check_gradient", "grads", lambda v: mc.check_gradient(lambda: 1.0, {"W": np.ones((2, 2))}, v), st.one_of(
        st.sampled_from([None, [np.ones((2, 2))], {"V": np.ones((2, 2))}, {"W": "g"}, {"W": None}]).map(Bad),
        # (a NaN gradient is a result to report, WRONG, not a bad argument: tests/test_gradcheck.py)
        bad_matrices(2, 2).filter(lambda b: not b.legal and not _plain_float(b.value, (2, 2)))
        .map(lambda b: Bad({"W": b.value})))),
    ("check_gradient", "params", lambda v: mc.check_gradient(lambda: 1.0, v, [np.ones(2)]), st.one_of(
        bad_matrices(1, 2).filter(lambda b: not b.legal).map(lambda b: Bad([b.value])),
        st.sampled_from([None, "p", 3.0, [np.ones(2, dtype=int)]]).map(Bad)), ("grads",)),
    ("check_gradient", "tol", lambda v: mc.check_gradient(lambda x: float(x @ x), np.ones(2), 2 * np.ones(2), tol=v),
     bad_positive_numbers(upper=1.0)),
    # data
    *[(f"datasets.{name}", arg, _dataset_call(name, arg), s)
      for name in ("circle", "gauss", "spiral", "moons")
      for arg, s in (("n", bad_counts(2, maximum=1_000_000)), ("noise", bad_positive_numbers().filter(
          lambda b: not (isinstance(b.value, (int, float)) and b.value == 0))), ("seed", bad_seeds()))],
    ("datasets.train_test_split", "X", lambda v: mc.datasets.train_test_split(v, Y4), bad_matrices(4, 2).filter(
        lambda b: not (_plain_float(b.value) and b.value.shape[0] == 4 and np.all(np.isfinite(b.value)))),
     ("y",)),  # any number of features is fine
    ("datasets.train_test_split", "y", lambda v: mc.datasets.train_test_split(X4, v),
     bad_targets(4, wide_is_legal=True)),
    ("datasets.train_test_split", "test_fraction", lambda v: mc.datasets.train_test_split(X4, Y4, test_fraction=v),
     st.one_of(bad_positive_numbers(), st.floats(min_value=1.0).map(Bad))),
    ("datasets.train_test_split", "seed", lambda v: mc.datasets.train_test_split(X4, Y4, seed=v), bad_seeds()),
    # pictures
    ("plot_decision_boundary", "X", lambda v: mc.plot_decision_boundary(NET, v, Y4), bad_matrices(4, 2)),
    ("plot_decision_boundary", "y", lambda v: mc.plot_decision_boundary(NET, X4, v), bad_targets(4, labels=True)),
    ("plot_decision_boundary", "X_test", lambda v: mc.plot_decision_boundary(NET, X4, Y4, X_test=v, y_test=Y4),
     bad_matrices(4, 2)),
    ("plot_decision_boundary", "resolution", lambda v: mc.plot_decision_boundary(NET, X4, Y4, resolution=v),
     bad_counts(2, maximum=1000)),
    ("plot_decision_boundary", "padding", lambda v: mc.plot_decision_boundary(NET, X4, Y4, padding=v),
     bad_positive_numbers().filter(lambda b: not (isinstance(b.value, (int, float)) and b.value == 0))),
    ("plot_decision_boundary", "ax", lambda v: mc.plot_decision_boundary(NET, X4, Y4, ax=v),
     st.sampled_from(["ax", 1, [None], np.zeros(2), plt.Figure]).map(Bad)),
    ("plot_loss", "history", lambda v: mc.plot_loss(v), st.sampled_from(
        [None, [1.0, 2.0], "h", {"loss": [1.0]}, mc.History(loss=[[1.0]]), mc.History(loss=["a"])]).map(Bad)),
    ("plot_loss", "history.loss", lambda v: mc.plot_loss(mc.History(loss=v)), st.lists(
        st.floats(allow_nan=True, allow_infinity=True), min_size=1, max_size=20).map(lambda v: Bad(v, legal=True))),
    ("plot_hidden_units", "layer", lambda v: mc.plot_hidden_units(NET, layer=v), bad_counts(0, maximum=0)),
    ("plot_hidden_units", "resolution", lambda v: mc.plot_hidden_units(NET, resolution=v), bad_counts(2, maximum=1000)),
    ("plot_hidden_units", "X", lambda v: mc.plot_hidden_units(NET, v, Y4), bad_matrices(4, 2)),
    # the backprop diagram
    ("show_backprop", "X", lambda v: mc.show_backprop(NET, v, Y4), bad_matrices(4, 2)),
    ("show_backprop", "y", lambda v: mc.show_backprop(NET, X4, v), bad_targets(4)),
    ("show_backprop", "sample", lambda v: mc.show_backprop(NET, X4, Y4, sample=v),
     bad_counts(0, maximum=3, none_is_legal=True)),
    ("show_backprop", "lr", lambda v: mc.show_backprop(NET, X4, Y4, lr=v), bad_positive_numbers()),
    ("show_backprop", "loss", lambda v: mc.show_backprop(NET, X4, Y4, loss=v), bad_choices(valid=("mse", "bce"))),
    ("show_backprop", "step", lambda v: mc.show_backprop(NET, X4, Y4, step=v), bad_counts(0, maximum=8)),
    ("show_backprop", "seed", lambda v: mc.show_backprop((), seed=v), bad_seeds()),
    ("show_backprop", "net_or_fixes",
     lambda v: mc.show_backprop(v, X4, Y4) if isinstance(v, mc.MLP) else mc.show_backprop(v),
     st.sampled_from([None, 3, "bias", mc.MLP([2, 9, 1], seed=0), ["no such fix"]]).map(Bad), ("fixes", "net")),
    ("stackoverflow.train_question", "seed", lambda v: mc.stackoverflow.train_question(seed=v, max_iterations=1),
     bad_seeds()),
    ("stackoverflow.train_answer", "seed", lambda v: mc.stackoverflow.train_answer(seed=v, max_iterations=1),
     bad_seeds()),
    ("stackoverflow.train_fixed", "seed", lambda v: mc.stackoverflow.train_fixed((), seed=v, max_iterations=1),
     bad_seeds()),
    # the diagnoser
    ("diagnose_backprop", "samples", lambda v: mc.diagnose_backprop(correct_backward, sizes=[2, 3, 1], samples=v),
     st.one_of(bad_counts(1, none_is_legal=True).filter(lambda b: b.value != [2]), st.just(Bad([0])),
               st.just(Bad([])))),
    ("diagnose_backprop", "seed", lambda v: mc.diagnose_backprop(correct_backward, sizes=[2, 3, 1], seed=v),
     bad_seeds()),
    ("diagnose_backprop", "tol", lambda v: mc.diagnose_backprop(correct_backward, sizes=[2, 3, 1], tol=v),
     bad_positive_numbers(upper=1.0)),
    ("diagnose_backprop", "sizes", lambda v: mc.diagnose_backprop(correct_backward, sizes=v),
     st.sampled_from([[], [2], "2-3-1", None, [2, 0, 1], [[2, 3, 1], [2, 1]], [2.5, 3, 1]]).map(Bad)),
    ("diagnose_backprop", "learning_rate", lambda v: mc.diagnose_backprop(correct_backward, sizes=[2, 3, 1],
                                                                          learning_rate=v), bad_positive_numbers()),
    # experiments
    ("experiments.make_split", "dataset", lambda v: mc.experiments.make_split(v), bad_choices()),
    ("experiments.make_split", "seed", lambda v: mc.experiments.make_split("gauss", n=10, seed=v), bad_seeds()),
    ("experiments.make_split", "test_fraction", lambda v: mc.experiments.make_split("gauss", n=10, test_fraction=v),
     st.one_of(bad_positive_numbers().filter(not_zero),
               st.floats(min_value=1.0).map(Bad))),  # 0 is legal: the playground holds nothing out
    ("experiments.run", "sizes", lambda v: mc.experiments.run(SPLIT, v, epochs=1),
     st.sampled_from([[], [2], [3, 2, 1], [2, 0, 1], "2-2-1", None]).map(Bad), ("X",)),
    ("experiments.run", "lr", lambda v: mc.experiments.run(SPLIT, [2, 2, 1], lr=v, epochs=1), bad_positive_numbers()),
    ("experiments.run", "seed", lambda v: mc.experiments.run(SPLIT, [2, 2, 1], seed=v, epochs=1), bad_seeds()),
    ("experiments.run", "epochs", lambda v: mc.experiments.run(SPLIT, [2, 2, 1], epochs=v), bad_counts(0)),
    ("experiments.run", "split", lambda v: mc.experiments.run(v, [2, 2, 1], epochs=1),
     st.sampled_from([None, (X4, Y4), "gauss", 1]).map(Bad)),
    ("experiments.plot_runs", "resolution", lambda v: mc.experiments.plot_runs([RUN], SPLIT, resolution=v),
     bad_counts(2, maximum=1000)),
    ("experiments.plot_runs", "runs", lambda v: mc.experiments.plot_runs(v, SPLIT),
     st.sampled_from([None, [], [1], "run", [None]]).map(Bad)),
]

IDS = [f"{case[0]}-{case[1]}" for case in CASES]


def blamed(case) -> tuple[str, ...]:
    """The names an error about this case's argument may carry."""
    argument = case[1]
    return (argument, argument.split(".")[-1], *(case[4] if len(case) > 4 else ()))


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_bad_argument_gives_a_clean_error_naming_it(case):
    _, _, call, values = case[:4]

    @FUZZ
    @given(bad=values)
    def check(bad):
        outcome(lambda: call(bad.value), blamed(case), bad)

    check()


def test_every_public_function_is_fuzzed():
    fuzzed = {case[0].split(".")[0] for case in CASES}
    functions = {name for name in mc.__all__ if callable(getattr(mc, name)) and not isinstance(getattr(mc, name), type)}
    assert functions - {"playground"} <= fuzzed  # the playground is fuzzed by its own tests (tests/test_playground.py)


def survey(max_examples: int = 25) -> None:  # pragma: no cover - a report for people, not a test
    """Run every case to the end and print per function: examples, clean errors, accepted, misbehaved."""
    from hypothesis import find
    from hypothesis.errors import NoSuchExample

    totals: dict[str, list[int]] = {}
    for case in CASES:
        function, argument, call, values = case[:4]
        seen: list[tuple[Bad, str]] = []

        def record(bad, call=call, case=case, seen=seen):
            try:
                seen.append((bad, outcome(lambda: call(bad.value), blamed(case), bad)))
            except Misbehaved as exc:
                seen.append((bad, f"MISBEHAVED {exc}"[:200]))
            return False

        try:
            find(values, record, settings=settings(max_examples=max_examples, deadline=None, database=None,
                                                   suppress_health_check=list(HealthCheck)))
        except NoSuchExample:
            pass
        bad_runs = [(b, r) for b, r in seen if r.startswith("MISBEHAVED")]
        row = totals.setdefault(function, [0, 0])
        row[0] += len(seen)
        row[1] += len(bad_runs)
        for b, r in {repr(b): (b, r) for b, r in bad_runs}.values():
            print(f"{function}({argument}={b!r}): {r}")
    print()
    for function, (n, bad) in totals.items():
        print(f"{function:<32}{n:>5} examples {bad:>4} misbehaved")
    print(f"{'total':<32}{sum(n for n, _ in totals.values()):>5} examples "
          f"{sum(b for _, b in totals.values()):>4} misbehaved")


if __name__ == "__main__":  # pragma: no cover
    survey(int(sys.argv[1]) if len(sys.argv) > 1 else 25)
