"""Exercises of notebook 02: each check accepts the reference solution and rejects typical wrong
answers — including the question's bugs — with a hint that names the mistake. Exercise 2.3 (debug a
network never seen) has its own file, tests/test_exercises_nb02_unseen.py."""

import json
from pathlib import Path

import numpy as np
import pytest
from exercise_asserts import assert_not_yet, hint_text

import mlp_course as mc
from mlp_course.teacher.solutions.nb02 import (  # the reference solutions' one home
    initial_weights,
    output_delta,
    sigmoid_derivative,
)

ex = mc.exercises
NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "02_debugging_backprop.ipynb"


# ================================================================================================
def test_reference_solutions_pass():
    for result in (
        ex.check_sigmoid_derivative(sigmoid_derivative),
        ex.check_output_delta(output_delta),
        ex.check_initial_weights(initial_weights),
    ):
        assert result.passed and str(result).startswith("✓ passed"), result


def test_other_correct_answers_pass():
    assert ex.check_initial_weights(lambda sizes, rng: [rng.normal(0, np.sqrt(2 / (a + b)), (a, b))
                                                        for a, b in zip(sizes[:-1], sizes[1:])])
    assert ex.check_sigmoid_derivative(lambda z: np.exp(-np.logaddexp(0, -z) - np.logaddexp(0, z)))


CHECKS = [ex.check_sigmoid_derivative, ex.check_output_delta, ex.check_train_step, ex.check_initial_weights]


@pytest.mark.parametrize("check", CHECKS)
@pytest.mark.parametrize("answer", [..., None, lambda *args: None, lambda *args: ...])
def test_untouched_cells_say_not_yet_without_raising(check, answer):
    assert_not_yet(check(answer), "`...`")


@pytest.mark.parametrize("check", CHECKS)
def test_learner_exceptions_become_hints(check):
    def broken(*args):
        raise ValueError("operands could not be broadcast together")

    assert_not_yet(check(broken), "raised ValueError", "broadcast")


@pytest.mark.parametrize("check", CHECKS)
def test_a_non_function_is_not_yet(check):
    assert_not_yet(check(42), "function")


# ------------------------------------------------------------------------------------------------
def _naive_sigmoid(z):
    return 1 / (1 + np.exp(-z))  # the seed's activation: overflows for large negative z


SIGMOID_DERIVATIVE_WRONG = {
    "a-form on z": (lambda z: z * (1 - z), "a(1 − a) form"),
    "sigma itself": (lambda z: mc.activations.sigmoid(z), "σ(z) itself"),
    "sign": (lambda z: -sigmoid_derivative(z), "wrong sign"),
    "overflow (seed bug 8)": (lambda z: _naive_sigmoid(z) * (1 - _naive_sigmoid(z)), "overflow"),
    "exp form overflows": (lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2, "overflow"),
    "mean": (lambda z: sigmoid_derivative(z).mean(), "shape"),
    "in place": (lambda z: np.multiply(np.copyto(z, mc.activations.sigmoid(z)) or z, 1 - z, out=z),
                 "changed the array"),
    "math.exp": (lambda z: __import__("math").exp(-z), "raised TypeError"),
    "half": (lambda z: 0.5 * sigmoid_derivative(z), "central difference"),
    "list": (lambda z: sigmoid_derivative(z).tolist(), "NumPy array"),
}


@pytest.mark.parametrize("name", sorted(SIGMOID_DERIVATIVE_WRONG))
def test_sigmoid_derivative_rejects(name):
    answer, word = SIGMOID_DERIVATIVE_WRONG[name]
    assert_not_yet(ex.check_sigmoid_derivative(answer), word)


OUTPUT_DELTA_WRONG = {
    "cost, not derivative (seed bug 1)": (lambda o, y: 0.5 * (o - y) ** 2 * o * (1 - o), "bug 1"),
    "row cost (seed bug 1)": (lambda o, y: 0.5 * ((o - y) ** 2).sum(1, keepdims=True) * o * (1 - o), "bug 1"),
    "sign (seed bug 3)": (lambda o, y: (y - o) * o * (1 - o), "wrong sign"),
    "missing sigma'": (lambda o, y: o - y, "do/dz"),
    "sign and missing sigma'": (lambda o, y: y - o, "sign"),
    "sigma' at the wrong place (seed bug 2)": (lambda o, y: (o - y) * sigmoid_derivative(o), "wrong place"),
    "divided by n": (lambda o, y: output_delta(o, y) / len(o), "number of samples"),
    "summed": (lambda o, y: output_delta(o, y).sum(axis=0), "shape"),
    "other": (lambda o, y: (o - y) * o, "chain rule"),
}


@pytest.mark.parametrize("name", sorted(OUTPUT_DELTA_WRONG))
def test_output_delta_rejects(name):
    answer, word = OUTPUT_DELTA_WRONG[name]
    result = ex.check_output_delta(answer)
    assert_not_yet(result, word)
    assert "(o - y)" not in hint_text(result) and "o * (1 - o)" not in hint_text(result)  # never the answer


INITIAL_WEIGHTS_WRONG = {
    "rand (seed bug 8)": (lambda sizes, rng: [rng.random((a, b)) for a, b in zip(sizes[:-1], sizes[1:])], "bug 8"),
    "zeros": (lambda sizes, rng: [np.zeros((a, b)) for a, b in zip(sizes[:-1], sizes[1:])], "same number"),
    "identical units": (lambda sizes, rng: [np.repeat(rng.standard_normal((a, 1)), b, axis=1)
                                            for a, b in zip(sizes[:-1], sizes[1:])], "identical"),
    "global np.random": (lambda sizes, rng: [np.random.randn(a, b) for a, b in zip(sizes[:-1], sizes[1:])], "rng"),
    "huge": (lambda sizes, rng: [10 * rng.standard_normal((a, b)) for a, b in zip(sizes[:-1], sizes[1:])], "saturate"),
    "tiny": (lambda sizes, rng: [1e-3 * rng.standard_normal((a, b)) for a, b in zip(sizes[:-1], sizes[1:])], "larger"),
    "off centre": (lambda sizes, rng: [rng.normal(1, 1, (a, b)) for a, b in zip(sizes[:-1], sizes[1:])], "centre"),
    "transposed": (lambda sizes, rng: [rng.standard_normal((b, a)) for a, b in zip(sizes[:-1], sizes[1:])], "shape"),
    "one too few": (lambda sizes, rng: [rng.standard_normal((sizes[0], sizes[1]))], "list of 2"),
    "fixed seed": (lambda sizes, rng: initial_weights(sizes, np.random.default_rng(0)), "different seeds"),
    "same row for every input": (lambda sizes, rng: [np.ones((a, 1)) * rng.normal(0, 1, b) * np.sign(np.arange(b) - 0.5)
                                                     for a, b in zip(sizes[:-1], sizes[1:])], "every row"),
    "one matrix too many": (lambda sizes, rng: [*initial_weights(sizes, rng), rng.standard_normal((sizes[-1], 1))],
                            "list of 2"),
    "a layer skipped": (lambda sizes, rng: [rng.standard_normal((a, b)) for a, b in zip(sizes[:-1], sizes[2:])],
                        "list of 2"),
    "float16": (lambda sizes, rng: [w.astype(np.float16) for w in initial_weights(sizes, rng)], "dtype matters"),
}


@pytest.mark.parametrize("name", sorted(INITIAL_WEIGHTS_WRONG))
def test_initial_weights_rejects(name):
    answer, word = INITIAL_WEIGHTS_WRONG[name]
    assert_not_yet(ex.check_initial_weights(answer), word)


# ------------------------------------------------------------------------------------------------
def test_the_notebook_holds_the_unsolved_exercises_and_their_not_yet_outputs():
    cells = json.loads(NOTEBOOK.read_text())["cells"]
    sources = ["".join(c["source"]) for c in cells]
    for name in ("sigmoid_derivative", "output_delta", "train_step", "initial_weights"):
        skeleton = [s for s in sources if s.startswith("# YOUR CODE") and f"def {name}(" in s]
        assert len(skeleton) == 1, name
        if name != "train_step":  # 2.3's skeleton is the given code with its bugs (tests/test_exercises_nb02_unseen.py)
            assert skeleton[0].rstrip().endswith("..."), name  # unsolved
        check = [c for c in cells if c["cell_type"] == "code" and f"check_{name}({name})" in "".join(c["source"])]
        assert len(check) == 1, name
        text = "".join("".join(out.get("data", {}).get("text/plain", "")) for out in check[0]["outputs"])
        assert text.startswith(f"✗ not yet ({name})"), (name, text)


# ------------------------------------------------------------------------------------------------
# Off-by-one, order and broadcasting variants of each answer: every one is "not yet"
VARIANTS = {
    "sigmoid_derivative: transposed": (ex.check_sigmoid_derivative, lambda z: sigmoid_derivative(z).T, "shape"),
    "sigmoid_derivative: flattened": (ex.check_sigmoid_derivative, lambda z: sigmoid_derivative(z).ravel(), "shape"),
    "sigmoid_derivative: σ at z + 1": (ex.check_sigmoid_derivative, lambda z: mc.activations.sigmoid(z) * (
        1 - mc.activations.sigmoid(z + 1)), "central difference"),
    "sigmoid_derivative: first row broadcast": (ex.check_sigmoid_derivative, lambda z: np.broadcast_to(
        sigmoid_derivative(z)[:1], z.shape).copy(), "central difference"),
    "output_delta: arguments swapped": (ex.check_output_delta, lambda y, o: output_delta(o, y), "chain rule"),
    "output_delta: divided by n − 1": (ex.check_output_delta, lambda o, y: output_delta(o, y) / (len(o) - 1),
                                       "chain rule"),
    "output_delta: transposed": (ex.check_output_delta, lambda o, y: output_delta(o, y).T, "shape"),
    "output_delta: first output broadcast": (ex.check_output_delta, lambda o, y: np.broadcast_to(
        output_delta(o, y)[:, :1], o.shape).copy(), "chain rule"),
}


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_off_by_one_order_and_broadcasting_variants_are_not_yet_with_their_cause(name):
    check, answer, word = VARIANTS[name]
    result = check(answer)
    assert_not_yet(result, word)
    assert "exp()" not in result.message  # the overflow hint only for an overflow



# ------------------------------------------------------------------------------------------------
# The hints call the StackOverflow post "the question": in the notebooks "seed" is a random seed
def test_hints_call_the_post_the_question_never_the_seed():
    results = [
        ex.check_output_delta(OUTPUT_DELTA_WRONG["cost, not derivative (seed bug 1)"][0]),
        ex.check_output_delta(OUTPUT_DELTA_WRONG["sign (seed bug 3)"][0]),
        ex.check_output_delta(OUTPUT_DELTA_WRONG["sigma' at the wrong place (seed bug 2)"][0]),
        ex.check_initial_weights(INITIAL_WEIGHTS_WRONG["rand (seed bug 8)"][0]),
        ex.check_sigmoid_derivative(SIGMOID_DERIVATIVE_WRONG["list"][0]),
    ]
    for result in results:
        assert "seed" not in result.message and "the question" in result.message, result.message


def test_no_string_in_the_exercise_checks_or_the_diagnoser_says_the_seeds():
    import ast

    root = Path(mc.__file__).parent
    paths = [*root.glob("exercises/**/*.py"), *root.glob("diagnose/*.py"), root / "stackoverflow" / "gradients.py"]
    found = [(path.name, node.value) for path in paths for node in ast.walk(ast.parse(path.read_text()))
             if isinstance(node, ast.Constant) and isinstance(node.value, str) and "seed's" in node.value]
    assert not found


def test_initial_weights_with_extra_arrays_says_how_many_it_got():
    def with_biases(sizes, rng):  # the biases appended to the weights
        return [*initial_weights(sizes, rng), *(np.zeros(b) for b in sizes[1:])]

    assert_not_yet(ex.check_initial_weights(with_biases), "return a list of 2 weight matrices, got a list of 4",
                   "biases")
    assert_not_yet(ex.check_initial_weights(INITIAL_WEIGHTS_WRONG["one matrix too many"][0]), "got a list of 3")
    assert_not_yet(ex.check_initial_weights(lambda sizes, rng: tuple(initial_weights(sizes, rng))[:1]),
                   "got a tuple of 1")
