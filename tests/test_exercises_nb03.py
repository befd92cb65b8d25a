"""Exercises of notebook 03: each check accepts the reference solution and rejects typical wrong
answers — the accepted answer's own update order first — with a hint that names the mistake."""

import json
from pathlib import Path

import numpy as np
import pytest
from exercise_asserts import assert_not_yet, assert_passed, hint_text

import mlp_course as mc
from mlp_course import stackoverflow as so
from mlp_course.exercises import nb03
from mlp_course.teacher.solutions.nb03 import (  # the reference solutions' one home
    predicted_epochs,
    step,
    stuck_seed,
)

ex = mc.exercises
NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "03_the_accepted_answer.ipynb"
sigmoid = mc.activations.sigmoid


# ================================================================================================
def test_reference_step_passes():
    assert_passed(ex.check_answer_step(step))


def test_an_in_place_step_in_the_answers_style_with_the_order_fixed_passes():
    def answer_style(weights, biases, x, target, learning_rate):
        hw, ow = weights
        hb, ob = biases
        x_i = x[np.newaxis, :]  # (1, n_i), as in the answer
        ho = sigmoid(x_i @ hw + hb)
        oo = sigmoid(ho @ ow + ob)
        grad_oz = so.cost_d(oo, target)
        grad_h = grad_oz @ ow.T  # before ow changes
        ow -= learning_rate * (ho.T @ grad_oz)
        ob -= learning_rate * grad_oz[0]
        grad_hz = grad_h * ho * (1 - ho)
        hw -= learning_rate * (x_i.T @ grad_hz)
        hb -= learning_rate * grad_hz[0]
        return weights, biases

    assert_passed(ex.check_answer_step(answer_style))


def test_the_checks_truth_is_backprop_of_mc_MLP():
    """The check's right answer (answer_gradients with the order fixed) is mc.MLP's gradient, on its own cases."""
    for index in range(len(nb03.STEP_CASES)):
        params, x, target, lr = nb03._step_case(index)
        weights, biases = [params[0], params[2]], [params[1], params[3]]
        fixed = so.answer_gradients(weights, biases, x, target, lr, fix_update_order=True)
        mlp = so.mlp_gradients(weights, biases, x, target)
        for a, b in zip(fixed[0] + fixed[1], mlp[0] + mlp[1]):
            np.testing.assert_allclose(np.ravel(a), np.ravel(b), rtol=1e-9, atol=1e-14)


@pytest.mark.parametrize("check", [ex.check_answer_step, ex.check_stuck_seed, ex.check_epochs_prediction])
@pytest.mark.parametrize("answer", [..., None])
def test_untouched_cells_say_not_yet_without_raising(check, answer):
    assert_not_yet(check(answer), "`...`")


@pytest.mark.parametrize("answer", [lambda *args: None, lambda *args: ...])
def test_an_unfinished_step_says_not_yet(answer):
    assert_not_yet(ex.check_answer_step(answer), "`...`")


# ------------------------------------------------------------------------------------------------
# Wrong steps, written the way a learner would write them (independently of the check's models)
def make_step(mistake):
    def wrong(weights, biases, x, target, learning_rate):
        W_h, W_o = weights
        b_h, b_o = biases
        lr = learning_rate
        h = sigmoid(x @ W_h + b_h)
        o = sigmoid(h @ W_o + b_o)
        error = 0.5 * (o - target) ** 2 if mistake == "cost, not derivative (question bug 1)" else o - target
        d_o = error if mistake == "no output sigma'" else error * o * (1 - o)
        W_o_new = W_o - lr * np.outer(h, d_o)
        b_o_new = b_o if mistake in ("no biases", "no output bias") else b_o - lr * d_o
        through = W_o_new if mistake == "stale (the answer's order)" else W_o
        sent = lr * d_o if mistake == "lr in the hidden error (question)" else d_o
        d_h = through @ sent
        if mistake != "no hidden sigma'":
            d_h = d_h * h * (1 - h)
        if mistake == "hidden factor 2":
            d_h = 2 * d_h
        d_W_h = np.outer(d_h, x) if mistake == "transposed" else np.outer(x, d_h)
        W_h_new = W_h - lr * d_W_h
        b_h_new = b_h if mistake in ("no biases", "no hidden bias") else b_h - lr * d_h
        new = [W_h_new, b_h_new, W_o_new, b_o_new]
        if mistake == "ascent":
            new = [2 * p - n for p, n in zip((W_h, b_h, W_o, b_o), new)]
        if mistake == "lr twice":
            new = [p - lr * (p - n) for p, n in zip((W_h, b_h, W_o, b_o), new)]
        if mistake == "half step":
            new = [p - 0.5 * (p - n) for p, n in zip((W_h, b_h, W_o, b_o), new)]
        if mistake == "hidden step at lr/2":
            new[:2] = [p - 0.5 * (p - n) for p, n in zip((W_h, b_h), new[:2])]
        if mistake == "unchanged":
            new = [W_h, b_h, W_o, b_o]
        return [new[0], new[2]], [new[1], new[3]]

    return wrong


STEP_WRONG = {
    "stale (the answer's order)": "stale weights",
    "ascent": "climbs the cost",
    "no output sigma'": "output layer's σ′ factor is missing",
    "no hidden sigma'": "hidden layer misses its σ′",
    "lr twice": "applied twice",
    "lr in the hidden error (question)": "enters the hidden step twice",
    "cost, not derivative (question bug 1)": "bug 1",
    "transposed": "transposed",
    "no biases": "neither bias",
    "no hidden bias": "b_h",
    "no output bias": "b_o",
    "unchanged": "unchanged",
    "hidden factor 2": "W_h, b_h are wrong",
    "half step": "W_h, b_h, W_o, b_o are wrong",  # at lr = 0.5 this equals "lr twice": never named from one case
    "hidden step at lr/2": "W_h, b_h are wrong",  # at lr = 0.5 this equals "lr in the hidden error"
}
NAMED_ONLY_WHEN_EVERY_CASE_AGREES = {"half step": "applied twice", "hidden step at lr/2": "enters the hidden step"}


@pytest.mark.parametrize("mistake", sorted(NAMED_ONLY_WHEN_EVERY_CASE_AGREES))
def test_a_mistake_that_matches_a_model_on_one_case_only_is_not_given_its_name(mistake):
    lr_of_first_case = nb03.STEP_CASES[0][2]
    assert lr_of_first_case**2 == lr_of_first_case / 2  # the ambiguous case is still there
    result = ex.check_answer_step(make_step(mistake))
    assert_not_yet(result, "are wrong")
    assert NAMED_ONLY_WHEN_EVERY_CASE_AGREES[mistake] not in result.message


def test_a_step_computed_in_float32_passes_and_float16_says_the_dtype_matters():
    def in_dtype(dtype):
        def step32(weights, biases, x, target, learning_rate):
            new_w, new_b = step([w.astype(dtype) for w in weights], [b.astype(dtype) for b in biases],
                                x.astype(dtype), target, learning_rate)
            return [w.astype(dtype) for w in new_w], [b.astype(dtype) for b in new_b]
        return step32

    assert_passed(ex.check_answer_step(in_dtype(np.float32)))
    assert_not_yet(ex.check_answer_step(in_dtype(np.float16)), "float16", "dtype matters")


@pytest.mark.parametrize("mistake", sorted(STEP_WRONG))
def test_step_rejects_each_mistake_and_names_it(mistake):
    result = ex.check_answer_step(make_step(mistake))
    assert_not_yet(result, STEP_WRONG[mistake])
    assert "np.outer(x" not in hint_text(result) and "o * (1 - o)" not in hint_text(result)  # never the answer


def test_step_recognises_the_answers_own_code_as_stale():
    def the_answer(weights, biases, x, target, learning_rate):
        d_w, d_b = so.answer_gradients(weights, biases, x, target, learning_rate, fix_update_order=False)
        return ([w - learning_rate * g for w, g in zip(weights, d_w)],
                [b - learning_rate * g for b, g in zip(biases, d_b)])

    assert_not_yet(ex.check_answer_step(the_answer), "the accepted answer's own order")


def test_step_with_the_answers_bias_shapes_or_lists_or_one_output_gets_a_format_hint():
    def row_biases(weights, biases, x, target, learning_rate):
        new_w, new_b = step(weights, biases, x, target, learning_rate)
        return new_w, [b[np.newaxis, :] for b in new_b]  # (1, n_h), as the answer's hb

    assert_not_yet(ex.check_answer_step(row_biases), "shape (1, 2)", "expected (2,)")
    assert_not_yet(ex.check_answer_step(lambda *a: step(*a)[0]), "two lists of two arrays")
    assert_not_yet(ex.check_answer_step(lambda *a: ([w.tolist() for w in step(*a)[0]], step(*a)[1])), "NumPy array")


def test_step_exceptions_and_non_functions_become_hints():
    def broken(weights, biases, x, target, learning_rate):
        return np.dot(np.ones((1, 3)), np.ones((2, 1)))

    assert_not_yet(ex.check_answer_step(broken), "raised ValueError")
    assert_not_yet(ex.check_answer_step(42), "function")


# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("answer, words", [
    (0, ("own example",)),
    (True, ("whole number",)),
    (2.5, ("whole number",)),
    ("6", ("whole number",)),
    (-1, ("2**32",)),
    (2**32, ("2**32",)),
])
def test_stuck_seed_rejects_answers_that_need_no_run(answer, words):
    assert_not_yet(ex.check_stuck_seed(answer), *words)


def test_stuck_seed_rejects_a_seed_that_solves_xor_and_says_when_it_did():
    solved_at = so.train_answer(seed=10, until_solved=True, fast=True).solved_at  # the quickest of seeds 0-9
    result = ex.check_stuck_seed(np.int64(10))
    assert_not_yet(result, "solves XOR", f"at epoch {solved_at}", "final_outputs()")


def test_stuck_seed_rejects_a_run_still_on_the_plateau(monkeypatch):
    class Plateau:  # what train_answer would return for a run that never left outputs ≈ 0.5
        solved_at = None

        @staticmethod
        def final_outputs():
            return np.array([0.49, 0.51, 0.5, 0.5])

    monkeypatch.setattr(nb03, "train_answer", lambda **kwargs: Plateau())
    assert_not_yet(ex.check_stuck_seed(7), "plateau")


# ------------------------------------------------------------------------------------------------
def test_epochs_prediction_reference_passes():
    result = ex.check_epochs_prediction(predicted_epochs)
    assert_passed(result)
    truth = so.train_answer(seed=3, learning_rate=0.05, until_solved=True, fast=True).solved_at
    assert f"epoch {truth}" in result.message


def test_epochs_prediction_hints_say_too_high_or_too_low_without_the_number():
    truth = so.train_answer(seed=3, learning_rate=0.05, until_solved=True, fast=True).solved_at
    cases = {
        5 * truth: ("too high", "more than twice"),  # epochs growing with the learning rate
        1.4 * truth: ("too high", "25 %"),
        0.7 * truth: ("too low", "20 %"),
        truth / 5: ("too low", "more than twice"),
    }
    for guess, words in cases.items():
        result = ex.check_epochs_prediction(guess)
        assert_not_yet(result, *words, "multiply the learning rate")
        assert str(truth) not in result.message
    assert ex.check_epochs_prediction(round(0.81 * truth)) and ex.check_epochs_prediction(int(1.24 * truth))


@pytest.mark.parametrize("answer, word", [("8000", "number"), (True, "number"), (-5, "positive"),
                                          (float("nan"), "positive"), (0, "positive")])
def test_epochs_prediction_rejects_non_numbers(answer, word):
    assert_not_yet(ex.check_epochs_prediction(answer), word)


# ------------------------------------------------------------------------------------------------
EXERCISES = {  # name -> (the variable the `# YOUR CODE` cell defines, how the check cell calls the check)
    "answer_step": ("def step(", "mc.exercises.check_answer_step(step)"),
    "stuck_seed": ("stuck_seed = ...", "mc.exercises.check_stuck_seed(stuck_seed)"),
    "epochs_prediction": ("predicted_epochs = ...", "mc.exercises.check_epochs_prediction(predicted_epochs)"),
}


def test_the_notebook_holds_the_unsolved_exercises_and_their_not_yet_outputs():
    cells = json.loads(NOTEBOOK.read_text())["cells"]
    sources = ["".join(c["source"]) for c in cells]
    for name, (skeleton_mark, check_call) in EXERCISES.items():
        skeleton = [s for s in sources if s.startswith("# YOUR CODE") and skeleton_mark in s]
        assert len(skeleton) == 1, name
        assert skeleton[0].rstrip().endswith("..."), name  # unsolved
        check = [c for c in cells if c["cell_type"] == "code" and "".join(c["source"]).strip().endswith(check_call)]
        assert len(check) == 1, name
        text = "".join("".join(out.get("data", {}).get("text/plain", "")) for out in check[0]["outputs"])
        assert text.startswith(f"✗ not yet ({name})"), (name, text)
    assert "".join(cells[-1]["source"]).startswith("[← 02"), "the exercises go before the bottom navigation line"


def test_the_reference_solutions_pass_when_pasted_into_the_notebook():
    """Run the notebook's setup cell, then each reference in place of a skeleton, then its check cell as written."""
    cells = json.loads(NOTEBOOK.read_text())["cells"]
    setup = next("".join(c["source"]) for c in cells if "import mlp_course as mc" in "".join(c["source"]))
    namespace = {}
    exec(setup.replace("%matplotlib inline", ""), namespace)
    namespace.update(step=step, stuck_seed=stuck_seed, predicted_epochs=predicted_epochs)
    for name, (_, check_call) in EXERCISES.items():
        result = eval(check_call, namespace)
        assert_passed(result)
        if name == "stuck_seed":  # the reference seed's run ends like seed 0's
            assert "2 of 4 right" in result.message
