"""Exercise 2.3 (notebook 02): debug a network never seen. The check accepts the reference solution,
rejects each of the given code's four bugs put back alone with a hint that names what is wrong
without giving the fix, recognises the given code itself, and turns other wrong steps into hints.

Each bugged step is the reference's own source (mlp_course/teacher/solutions/nb02.py) with one line
edited, so the bugs stay the notebook's bugs if the reference is reworded."""

import json
import re
from pathlib import Path

import numpy as np
import pytest
from exercise_asserts import assert_not_yet, assert_passed, hint_text

import mlp_course as mc
from mlp_course.exercises.nb02 import unseen
from mlp_course.teacher.solutions import answer_cells
from mlp_course.teacher.solutions.nb02 import train_step

ex = mc.exercises
NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "02_debugging_backprop.ipynb"
REFERENCE = answer_cells("02")["check_train_step"]

# bug -> (the reference's line fragment, the given code's); "stale" moves the two W_out/b_out updates instead
EDITS = {
    "sign": ("d_cost__d_z_out = (o - t) * o", "d_cost__d_z_out = (t - o) * o"),
    "slope_place": ("* (1 - a ** 2)", "* (1 - np.tanh(a) ** 2)"),
    "transposed": ("np.outer(x, d_cost__d_z_hid)", "np.outer(d_cost__d_z_hid, x)"),
}
FIXED_LINES = {  # what each hint must not reveal: the reference's fixed code
    "sign": "(o - t)",
    "slope_place": "1 - a ** 2",
    "stale": "W_out @",
    "transposed": "np.outer(x",
}


def bugged_source(bugs) -> str:
    """The reference's source with the named bugs put back."""
    source = REFERENCE
    for bug in bugs:
        if bug == "stale":  # the output layer's update moves before the hidden error is sent back
            lines = source.splitlines()
            hidden = next(i for i, line in enumerate(lines) if line.strip().startswith("d_cost__d_z_hid ="))
            update = next(i for i, line in enumerate(lines) if line.strip().startswith("W_out -="))
            moved = lines[update:update + 2]
            assert moved[1].strip().startswith("b_out -=")
            del lines[update:update + 2]
            lines[hidden:hidden] = moved
            source = "\n".join(lines)
        else:
            before, after = EDITS[bug]
            assert source.count(before) == 1, before
            source = source.replace(before, after)
    return source


def compiled(source: str):
    namespace = {"np": np, "mc": mc}
    exec(source, namespace)
    return namespace["train_step"]


# ================================================================================================
def test_the_reference_passes_and_trains_the_comparator():
    result = ex.check_train_step(train_step)
    assert_passed(result)
    assert re.search(r"solved in \d+ epochs", result.message)
    assert ex.check_train_step.__module__ == "mlp_course.exercises.nb02.unseen"


def test_the_fixed_model_is_the_packages_backprop_and_that_is_central_differences():
    params, x, t = unseen._case((3, 5, 2), 9)
    cost, grads, new = unseen.model_step(x, t, params, 0.7)
    true_cost, true_grads, true_new = unseen.true_step(x, t, params, 0.7)
    assert np.isclose(cost, true_cost, rtol=1e-12)
    for got, want in zip(grads + new, true_grads + true_new):
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-14)

    def sample_cost():
        return unseen.model_step(x, t, params, 0.0)[0]

    for p, g in zip(params, grads):  # float64 central differences, h = 1e-5: agreement to ~1e-9 relative
        np.testing.assert_allclose(mc.numerical_gradient(sample_cost, p), g, rtol=1e-6, atol=1e-9)


def test_the_comparator_is_the_two_bit_comparison():
    X, Y = unseen.comparator()
    assert X.shape == (16, 4) and Y.shape == (16, 2)
    a, b = X[:, 0] * 2 + X[:, 1], X[:, 2] * 2 + X[:, 3]
    assert Y[:, 0].sum() == 6 and Y[:, 1].sum() == 4  # 6 pairs with a > b, 4 with a == b
    np.testing.assert_array_equal(Y[:, 0], a > b)


@pytest.mark.parametrize("bug", unseen.BUGS)
def test_each_bug_put_back_alone_is_named_without_giving_the_fix(bug):
    result = ex.check_train_step(compiled(bugged_source([bug])))
    assert_not_yet(result, unseen.BUG_HINTS[bug])
    assert "more of the given bugs" not in result.message
    assert FIXED_LINES[bug] not in hint_text(result)


def test_each_bug_alone_changes_the_gradients_the_step_returns():
    # the bugs are real: on the notebook's 4-4-2 shape each one changes some gradient by far more than round-off
    params, x, t = unseen._case((4, 4, 2), 0)
    for bug in unseen.BUGS:
        _, grads, _ = unseen.model_step(x, t, params, 1.0, (bug,))
        _, true_grads, _ = unseen.true_step(x, t, params, 1.0)
        assert max(np.max(np.abs(g - w)) for g, w in zip(grads, true_grads)) > 1e-3, bug


def test_the_given_code_is_recognised_and_the_hint_points_to_the_checklist():
    result = ex.check_train_step(compiled(bugged_source(unseen.BUGS)))
    assert_not_yet(result, unseen.GIVEN_HINT)


def test_the_notebooks_given_code_is_the_reference_with_the_four_bugs():
    cells = json.loads(NOTEBOOK.read_text())["cells"]
    (skeleton,) = ["".join(c["source"]) for c in cells
                   if c["cell_type"] == "code" and "".join(c["source"]).startswith("# YOUR CODE")
                   and "def train_step(" in "".join(c["source"])]
    given = compiled(skeleton)
    rng = np.random.default_rng(5)
    for sizes, lr in (((4, 4, 2), 1.0), ((4, 4, 3), 0.3)):  # n_in = n_hid: the transposed gradient runs
        params, x, t = unseen._case(sizes, int(rng.integers(100)))
        given_params = [p.copy() for p in params]
        cost, grads = given(x, t, *given_params, lr)
        want_cost, want_grads, want_new = unseen.model_step(x, t, params, lr, unseen.BUGS)
        assert np.isclose(cost, want_cost, rtol=1e-12)
        for got, want in zip(list(grads) + given_params, want_grads + want_new):
            np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-14)
    assert_not_yet(ex.check_train_step(given), unseen.GIVEN_HINT)


def test_two_bugs_left_name_the_first_and_count_the_rest():
    result = ex.check_train_step(compiled(bugged_source(["stale", "transposed"])))
    assert_not_yet(result, unseen.BUG_HINTS["stale"], "1 more of the given bugs")
    result = ex.check_train_step(compiled(bugged_source(["sign", "slope_place", "transposed"])))
    assert_not_yet(result, unseen.BUG_HINTS["sign"], "2 more of the given bugs")


def test_a_transpose_fixed_with_the_wrong_shape_elsewhere_raises_only_on_other_sizes():
    def square_only(x, t, W_in, b_in, W_out, b_out, learning_rate):
        if W_in.shape[0] != W_in.shape[1]:
            raise ValueError("operands could not be broadcast together with shapes (3,5) (5,3)")
        return train_step(x, t, W_in, b_in, W_out, b_out, learning_rate)

    assert_not_yet(ex.check_train_step(square_only), "3-5-2 network", "broadcast", "transpose",
                   "as many inputs as hidden units")


# ------------------------------------------------------------------------------------------------
# Other wrong steps: each gets a hint on what is wrong
def _rebinds(x, t, W_in, b_in, W_out, b_out, learning_rate):
    cost, grads = train_step(x, t, W_in.copy(), b_in.copy(), W_out.copy(), b_out.copy(), learning_rate)
    W_in = W_in - learning_rate * grads[0]  # a new local array: the caller's W_in is unchanged
    return cost, grads


def _climbs(x, t, W_in, b_in, W_out, b_out, learning_rate):
    cost, grads = train_step(x, t, W_in, b_in, W_out, b_out, -learning_rate)
    return cost, grads


def _mean_cost(x, t, W_in, b_in, W_out, b_out, learning_rate):
    cost, grads = train_step(x, t, W_in, b_in, W_out, b_out, learning_rate)
    return cost / len(t), grads


def _missing_slope(x, t, W_in, b_in, W_out, b_out, learning_rate):  # not one of the given bugs
    a = np.tanh(x @ W_in + b_in)
    o = mc.activations.sigmoid(a @ W_out + b_out)
    d_z_out = (o - t) * o * (1 - o)
    d_z_hid = W_out @ d_z_out  # tanh′ left out
    grads = [np.outer(x, d_z_hid), d_z_hid, np.outer(a, d_z_out), d_z_out]
    for p, g in zip((W_in, b_in, W_out, b_out), grads):
        p -= learning_rate * g
    return 0.5 * np.sum((o - t) ** 2), grads


_calls = []


def _tires(x, t, W_in, b_in, W_out, b_out, learning_rate):  # right for 50 calls, then it stops learning
    _calls.append(1)
    return train_step(x, t, W_in, b_in, W_out, b_out, learning_rate if len(_calls) < 50 else 0.0)


WRONG = {
    "parameters rebound, not updated": (_rebinds, "W_in did not change", "in place"),
    "uphill update": (_climbs, "did not move by −learning_rate"),
    "cost divided by the outputs": (_mean_cost, "cost", "½‖o − t‖²"),
    "hidden slope missing": (_missing_slope, "W_in (", "b_in (", "W_out, b_out are right", "numerical_gradient"),
    "gradients in a dict": (lambda *a: (train_step(*a)[0], dict(enumerate(train_step(*a)[1]))), "list of four"),
    "gradients only": (lambda *a: train_step(*a)[1], "return `cost,"),
    "gradients transposed everywhere": (lambda *a: (train_step(*a)[0], [g.T for g in train_step(*a)[1]]), "shape"),
    "state between calls": (_tires, "every single step was right", "between calls"),
}


@pytest.mark.parametrize("name", sorted(WRONG))
def test_other_wrong_steps_get_their_hint(name):
    _calls.clear()
    answer, *words = WRONG[name]
    assert_not_yet(ex.check_train_step(answer), *words)


def test_other_correct_steps_pass():
    def slope_from_z(x, t, W_in, b_in, W_out, b_out, learning_rate):  # tanh′ written through z: the same numbers
        z = x @ W_in + b_in
        a = np.tanh(z)
        o = 1 / (1 + np.exp(-(a @ W_out + b_out)))
        d_z_out = (o - t) * o * (1 - o)
        d_z_hid = (d_z_out @ W_out.T) / np.cosh(z) ** 2
        grads = [x[:, None] * d_z_hid[None, :], d_z_hid, a[:, None] * d_z_out, d_z_out]
        for p, g in zip((W_in, b_in, W_out, b_out), grads):
            p -= learning_rate * g
        return float(0.5 * (o - t) @ (o - t)), tuple(grads)

    assert_passed(ex.check_train_step(slope_from_z))
    assert_passed(ex.check_train_step(lambda x, t, *rest: train_step(x.astype(np.float32), t, *rest)))


def test_the_notebooks_comparator_and_start_are_the_checks():
    cells = json.loads(NOTEBOOK.read_text())["cells"]
    (data,) = ["".join(c["source"]) for c in cells if c["cell_type"] == "code" and "def train_comparator(" in
               "".join(c["source"])]
    namespace = {"np": np, "mc": mc}
    exec(data, namespace)
    X, Y = unseen.comparator()
    np.testing.assert_array_equal(namespace["bits"], X)
    np.testing.assert_array_equal(namespace["comparisons"], Y)
    starts = []

    def spy(x, t, *params_and_rate):
        if not starts:
            starts.append([p.copy() for p in params_and_rate[:4]] + [params_and_rate[4]])
        return 0.0, None

    namespace["train_comparator"](spy, epochs=1)
    for got, want in zip(starts[0], unseen.initial_parameters((4, 4, 2), unseen.TRAIN_SEED)):
        np.testing.assert_array_equal(got, want)
    assert starts[0][4] == unseen.TRAIN_RATE
