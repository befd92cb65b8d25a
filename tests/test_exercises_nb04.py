"""Exercises of notebook 04: each check accepts a loop-free solution, rejects the typical mistakes of
vectorizing with a hint that names them, and rejects a correct loop over the samples."""

import inspect
import json
from pathlib import Path

import numpy as np
import pytest
from exercise_asserts import assert_not_yet, hint_text

import mlp_course as mc
from mlp_course.exercises.nb04 import vectorize as nb04  # the loops and cases of exercises 4.1–4.3
from mlp_course.teacher.solutions.nb04 import (  # the reference solutions' one home
    loss_batch,
    output_gradients,
    per_sample_gradients,
)

ex = mc.exercises
NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "04_vectorized_backprop.ipynb"
sigmoid = mc.activations.sigmoid


# ================================================================================================
CHECKS = {
    "loss_batch": (ex.check_loss_batch, loss_batch),
    "output_gradients": (ex.check_output_gradients, output_gradients),
    "per_sample_gradients": (ex.check_per_sample_gradients, per_sample_gradients),
}


@pytest.mark.parametrize("name", CHECKS)
def test_reference_solutions_pass(name):
    check, solution = CHECKS[name]
    result = check(solution)
    assert result.passed and str(result).startswith(f"✓ passed ({name})"), result
    assert "one by one" in result.message


@pytest.mark.parametrize("name", CHECKS)
def test_reference_solutions_need_only_what_the_notebook_imports(name):
    # pasted into the notebook's `# YOUR CODE` cell, where only np and mc are sure to exist
    namespace = {"np": np, "mc": mc}
    exec(inspect.getsource(CHECKS[name][1]), namespace)
    assert CHECKS[name][0](namespace[name]).passed


def _forward(X, weights, biases):  # the notebook's forward pass (cell "The forward pass of a whole network")
    Zs, As = [], [X]
    for l, (W, b) in enumerate(zip(weights, biases)):
        Z = As[-1] @ W + b
        Zs.append(Z)
        As.append(sigmoid(Z) if l == len(weights) - 1 else np.tanh(Z))
    return Zs, As


OTHER_CORRECT = {
    "loss through the notebook's forward, y as a column": (
        ex.check_loss_batch, lambda X, y, w, b: float(0.5 * np.mean((_forward(X, w, b)[1][-1] - y[:, None]) ** 2))),
    "loss with reshape and sum / n": (
        ex.check_loss_batch,
        lambda X, y, w, b: 0.5 * np.sum((_forward(X, w, b)[1][-1] - y.reshape(-1, 1)) ** 2) / len(X)),
    "loss with ravel and a dot product": (
        ex.check_loss_batch,
        lambda X, y, w, b: (lambda d: d @ d / (2 * X.shape[0]))(_forward(X, w, b)[1][-1].ravel() - y)),
    "gradients with mean over rows": (
        ex.check_output_gradients,
        lambda H, o, y: (H.T @ ((o - y) * o * (1 - o)) / len(H), ((o - y) * o * (1 - o)).mean(0))),
    "gradients with einsum": (
        ex.check_output_gradients, lambda H, o, y: (np.einsum("ij,ik->jk", H, (o - y) * o * (1 - o)) / H.shape[0],
                                                    np.einsum("ik->k", (o - y) * o * (1 - o)) / H.shape[0])),
    "per-sample with einsum": (
        ex.check_per_sample_gradients, lambda H, o, y: np.einsum("ij,ik->ijk", H, (o - y) * o * (1 - o))),
    "per-sample with batched matmul": (
        ex.check_per_sample_gradients, lambda H, o, y: H[:, :, None] @ ((o - y) * o * (1 - o))[:, None, :]),
}


@pytest.mark.parametrize("name", OTHER_CORRECT)
def test_other_loop_free_answers_pass(name):
    check, answer = OTHER_CORRECT[name]
    assert check(answer).passed, check(answer)


def test_common_whole_array_idioms_are_not_mistaken_for_loops():
    def idioms(X, y, weights, biases):
        assert len(X) == X.shape[0] == y.size
        first_feature, column, mask = X[:, 0], y[:, None], y > 0.5
        _ = X[mask], X.T, X[..., :1], np.atleast_2d(y), X[::-1], X[1:] if len(X) > 1 else X, column.sum()
        assert first_feature.shape == (len(X),)
        return loss_batch(X, y, weights, biases)

    assert ex.check_loss_batch(idioms).passed


# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", CHECKS)
@pytest.mark.parametrize("answer", [..., None, lambda *args: None, lambda *args: ...])
def test_untouched_cells_say_not_yet_without_raising(name, answer):
    assert_not_yet(CHECKS[name][0](answer), "`...`")


@pytest.mark.parametrize("name", CHECKS)
def test_learner_exceptions_become_hints(name):
    def broken(*args):
        raise KeyError("W2")

    assert_not_yet(CHECKS[name][0](broken), "raised KeyError")


@pytest.mark.parametrize("name", CHECKS)
def test_a_non_function_is_not_yet(name):
    assert_not_yet(CHECKS[name][0](3.5), "function")


LISTS_AND_NANS = {
    "loss_batch": (lambda *a: [loss_batch(*a)], lambda *a: np.nan * loss_batch(*a)),
    "output_gradients": (lambda *a: [g.tolist() for g in output_gradients(*a)],
                         lambda *a: tuple(np.nan * g for g in output_gradients(*a))),
    "per_sample_gradients": (lambda *a: per_sample_gradients(*a).tolist(),
                             lambda *a: np.nan * per_sample_gradients(*a)),
}


@pytest.mark.parametrize("name", CHECKS)
def test_a_list_or_nan_is_not_yet(name):
    as_list, with_nan = LISTS_AND_NANS[name]
    assert_not_yet(CHECKS[name][0](as_list), "list")
    assert_not_yet(CHECKS[name][0](with_nan), "NaN")


# ------------------------------------------------------------------------------------------------
# Loops over the samples: right values, still rejected
def _apply_along(X, y, weights, biases):
    (W0, W1), (b0, b1) = weights, biases
    o = np.apply_along_axis(lambda x: sigmoid(np.tanh(x @ W0 + b0) @ W1 + b1), 1, X)  # (n, 1)
    return 0.5 * np.mean((o[:, 0] - y) ** 2)


def _vectorized_rows(X, y, weights, biases):
    (W0, W1), (b0, b1) = weights, biases
    one = np.vectorize(lambda x, t: 0.5 * (sigmoid(np.tanh(x @ W0 + b0) @ W1 + b1)[0] - t) ** 2,
                       signature="(k),()->()")
    return one(X, y).mean()


LOOPS = {
    "the given loop": (ex.check_loss_batch, nb04.loss_loop, "a for loop"),
    "index loop": (ex.check_loss_batch, lambda X, y, w, b: np.mean(
        [loss_batch(X[i][None], np.array([y[i]]), w, b) for i in range(len(X))]), "X[i]"),
    "one-row slices": (ex.check_loss_batch, lambda X, y, w, b: np.mean(
        [loss_batch(X[i : i + 1], y[i : i + 1], w, b) for i in range(len(X))]), "X[i:i+1]"),
    "apply_along_axis": (ex.check_loss_batch, _apply_along, "apply_along_axis"),
    "np.vectorize over rows": (ex.check_loss_batch, _vectorized_rows, "np.vectorize"),
    "built-in sum over per-sample losses": (ex.check_loss_batch, lambda X, y, w, b: sum(
        0.5 * (_forward(X, w, b)[1][-1][:, 0] - y) ** 2) / len(X), "sum()"),
    "tolist": (ex.check_loss_batch, lambda X, y, w, b: np.mean(
        [loss_batch(np.array([x]), np.array([t]), w, b) for x, t in zip(X.tolist(), y.tolist())]), ".tolist()"),
    "map": (ex.check_loss_batch, lambda X, y, w, b: np.mean(
        list(map(lambda x, t: loss_batch(x[None], np.array([t]), w, b), X, y))), "one at a time"),
    "the given gradient loop": (ex.check_output_gradients, nb04.output_gradients_loop, "one at a time"),
    "gradient outer products summed": (ex.check_output_gradients, lambda H, o, y: (
        sum(np.outer(h, d) for h, d in zip(H, (o - y) * o * (1 - o))) / len(H),
        ((o - y) * o * (1 - o)).mean(axis=0)), "one at a time"),
    "the given per-sample loop": (ex.check_per_sample_gradients, nb04.per_sample_gradients_loop, "one at a time"),
    "stack of outer products": (ex.check_per_sample_gradients, lambda H, o, y: np.stack(
        [np.outer(H[i], ((o - y) * o * (1 - o))[i]) for i in range(len(H))]), "X[i]"),
}


@pytest.mark.parametrize("name", LOOPS)
def test_a_loop_over_the_samples_is_rejected_with_the_loop_hint(name):
    check, answer, word = LOOPS[name]
    assert_not_yet(check(answer), "right values", "one at a time", word)


# ------------------------------------------------------------------------------------------------
# Exercise 4.1: typical wrong answers
def _o(X, w, b, bias0=True, bias1=True, hidden=np.tanh, output=sigmoid):
    return output(hidden(X @ w[0] + (b[0] if bias0 else 0)) @ w[1] + (b[1] if bias1 else 0))


LOSS_WRONG = {
    "(n, 1) - (n,) broadcast, mean": (lambda X, y, w, b: 0.5 * np.mean((_o(X, w, b) - y) ** 2), "(n, n) table"),
    "(n, 1) - (n,) broadcast, sum / n": (lambda X, y, w, b: 0.5 * np.sum((_o(X, w, b) - y) ** 2) / len(X), "(n, n)"),
    "sum instead of mean": (lambda X, y, w, b: 0.5 * np.sum((_o(X, w, b)[:, 0] - y) ** 2),
                            "with the number of samples"),
    "mean divided again": (lambda X, y, w, b: loss_batch(X, y, w, b) / len(X), "twice"),
    "no half": (lambda X, y, w, b: np.mean((_o(X, w, b)[:, 0] - y) ** 2), "½"),
    "no b0": (lambda X, y, w, b: 0.5 * np.mean((_o(X, w, b, bias0=False)[:, 0] - y) ** 2), "bias b0"),
    "no b1": (lambda X, y, w, b: 0.5 * np.mean((_o(X, w, b, bias1=False)[:, 0] - y) ** 2), "bias b1"),
    "no biases": (lambda X, y, w, b: 0.5 * np.mean((_o(X, w, b, False, False)[:, 0] - y) ** 2), "both biases"),
    "no tanh": (lambda X, y, w, b: 0.5 * np.mean((_o(X, w, b, hidden=lambda z: z)[:, 0] - y) ** 2), "tanh"),
    "no sigmoid": (lambda X, y, w, b: 0.5 * np.mean((_o(X, w, b, output=lambda z: z)[:, 0] - y) ** 2), "sigmoid"),
    "swapped": (lambda X, y, w, b: 0.5 * np.mean((_o(X, w, b, hidden=sigmoid, output=np.tanh)[:, 0] - y) ** 2),
                "swapped"),
    "W @ X": (lambda X, y, w, b: 0.5 * np.mean((sigmoid(w[1].T @ np.tanh(w[0] @ X + b[0])) - y) ** 2),
              "Rows are samples"),
    "transposed weights": (lambda X, y, w, b: 0.5 * np.mean((sigmoid(np.tanh(X @ w[0].T + b[0]) @ w[1] + b[1]) - y)
                                                            ** 2), "W @ X or a transposed"),
    "(n, n) table returned": (lambda X, y, w, b: 0.5 * (_o(X, w, b) - y) ** 2, "(n, n) array"),
    "per-sample losses": (lambda X, y, w, b: 0.5 * (_o(X, w, b)[:, 0] - y) ** 2, "one number"),
    "one-element array": (lambda X, y, w, b: np.array([loss_batch(X, y, w, b)]), "single number"),
    "other": (lambda X, y, w, b: loss_batch(X, y, w, b) + 0.01, "step by step"),
}


@pytest.mark.parametrize("name", LOSS_WRONG)
def test_loss_batch_rejects(name):
    answer, word = LOSS_WRONG[name]
    result = ex.check_loss_batch(answer)
    assert_not_yet(result, word)
    assert "o[:, 0]" not in hint_text(result) and "y[:, None]" not in hint_text(result)  # never the answer


def test_the_broadcast_mistake_is_invisible_at_n_1_but_caught_on_larger_batches():
    wrong = LOSS_WRONG["(n, 1) - (n,) broadcast, mean"][0]
    rng = np.random.default_rng(0)
    X, y, w, b = nb04._loss_case(rng, 1, 3, 5)
    assert np.isclose(wrong(X, y, w, b), nb04.loss_loop(X, y, w, b))  # one sample: a (1, 1) table is harmless
    assert_not_yet(ex.check_loss_batch(wrong), "n = 7 samples")


# ------------------------------------------------------------------------------------------------
# Exercise 4.2: typical wrong answers
def _delta(o, y):
    return (o - y) * o * (1 - o)


GRADIENTS_WRONG = {
    "summed, not averaged": (lambda H, o, y: (H.T @ _delta(o, y), _delta(o, y).sum(0)), "with the number of samples"),
    "averaged twice": (lambda H, o, y: tuple(g / len(H) for g in output_gradients(H, o, y)), "twice"),
    "sign": (lambda H, o, y: tuple(-g for g in output_gradients(H, o, y)), "wrong sign"),
    "no sigma'": (lambda H, o, y: (H.T @ (o - y) / len(H), (o - y).mean(0)), "σ′(z)"),
    "no sigma', summed": (lambda H, o, y: (H.T @ (o - y), (o - y).sum(0)), "σ′(z)"),
    "transposed dW": (lambda H, o, y: (_delta(o, y).T @ H / len(H), _delta(o, y).mean(0)), "transposed"),
    "element-wise product": (lambda H, o, y: (H * _delta(o, y)[:, :1] / len(H), _delta(o, y).mean(0)), "element-wise"),
    "bias not summed": (lambda H, o, y: (H.T @ _delta(o, y) / len(H), _delta(o, y) / len(H)), "one value per sample"),
    "bias summed over the outputs": (lambda H, o, y: (H.T @ _delta(o, y) / len(H), _delta(o, y).sum(1) / len(H)),
                                     "one value per sample"),
    "bias with keepdims": (lambda H, o, y: (H.T @ _delta(o, y) / len(H), _delta(o, y).mean(0, keepdims=True)),
                           "keepdims"),
    "bias summed, weights averaged": (lambda H, o, y: (H.T @ _delta(o, y) / len(H), _delta(o, y).sum(0)),
                                      "dL/db1: your gradients grow"),
    "one array": (lambda H, o, y: H.T @ _delta(o, y) / len(H), "return two arrays"),
    "other": (lambda H, o, y: (H.T @ _delta(o, y) / len(H), 2 * _delta(o, y).mean(0) + 1), "δ = dℓ/dz"),
}


@pytest.mark.parametrize("name", GRADIENTS_WRONG)
def test_output_gradients_rejects(name):
    answer, word = GRADIENTS_WRONG[name]
    result = ex.check_output_gradients(answer)
    assert_not_yet(result, word)
    assert "H.T @" not in hint_text(result) and ".sum(axis=0) /" not in hint_text(result)  # never the answer


# ------------------------------------------------------------------------------------------------
# Exercise 4.3: typical wrong answers
PER_SAMPLE_WRONG = {
    "batch gradient": (lambda H, o, y: H.T @ _delta(o, y), "one gradient for the whole batch"),
    "axes swapped": (lambda H, o, y: H[:, None, :] * _delta(o, y)[:, :, None], "swapped"),
    "samples last": (lambda H, o, y: np.moveaxis(per_sample_gradients(H, o, y), 0, -1), "samples must come first"),
    "every pair of samples": (lambda H, o, y: H[None, :, :, None] * _delta(o, y)[:, None, None, :], "(n, n, …)"),
    "misaligned broadcast": (lambda H, o, y: H[:, :, None] * _delta(o, y)[None, :, :], "line up the sample axes"),
    "divided by n": (lambda H, o, y: per_sample_gradients(H, o, y) / len(H), "own loss"),
    "sign": (lambda H, o, y: -per_sample_gradients(H, o, y), "wrong sign"),
    "no sigma'": (lambda H, o, y: H[:, :, None] * (o - y)[:, None, :], "σ′(z)"),
    "the mean repeated": (lambda H, o, y: np.broadcast_to(H.T @ _delta(o, y) / len(H), (len(H), *H.T.shape[:1],
                                                                                      o.shape[1])), "same"),
    "other": (lambda H, o, y: per_sample_gradients(H, o, y) + 1.0, "G[0]"),
}


@pytest.mark.parametrize("name", PER_SAMPLE_WRONG)
def test_per_sample_gradients_rejects(name):
    answer, word = PER_SAMPLE_WRONG[name]
    result = ex.check_per_sample_gradients(answer)
    assert_not_yet(result, word)
    assert "[:, :, None]" not in hint_text(result) and "einsum(" not in hint_text(result)  # never the answer


def test_the_mean_of_the_per_sample_gradients_is_the_batch_gradient():
    rng = np.random.default_rng(5)
    H, o, y = nb04._gradient_case(rng, 9, 4, 2)
    np.testing.assert_allclose(per_sample_gradients(H, o, y).mean(axis=0), output_gradients(H, o, y)[0], rtol=1e-12)
    np.testing.assert_allclose(nb04.per_sample_gradients_loop(H, o, y), per_sample_gradients(H, o, y), rtol=1e-12)


def test_the_loops_match_the_package_network():
    # the loops the learner vectorizes compute the package's loss and output-layer gradient
    rng = np.random.default_rng(6)
    X, y, weights, biases = nb04._loss_case(rng, 11, 3, 5)
    net = mc.MLP.from_parameters(weights, biases, "tanh", "sigmoid")
    assert np.isclose(nb04.loss_loop(X, y, weights, biases), net.loss(X, y), rtol=1e-12)
    _, d_weights, d_biases = net.gradients(X, y)
    H, o = np.tanh(X @ weights[0] + biases[0]), net.forward(X)
    d_W1, d_b1 = nb04.output_gradients_loop(H, o, y[:, None])
    np.testing.assert_allclose(d_W1, d_weights[1], rtol=1e-10)
    np.testing.assert_allclose(d_b1, d_biases[1], rtol=1e-10)


# ------------------------------------------------------------------------------------------------
def test_the_notebook_holds_the_unsolved_exercises_and_their_not_yet_outputs():
    cells = json.loads(NOTEBOOK.read_text())["cells"]
    sources = ["".join(c["source"]) for c in cells]
    assert sources[-1].startswith("[← 03") and "## Exercises" in "".join(sources[-24:])
    # exercise 4.4 (tests/test_exercises_nb04_backward.py): check_backward takes the learner's backward_sigmoid,
    # named so that it does not replace the lesson's own backward
    for name, function in [*((name, name) for name in CHECKS), ("backward", "backward_sigmoid")]:
        skeleton = [s for s in sources if s.startswith("# YOUR CODE") and f"def {function}(" in s]
        assert len(skeleton) == 1, name
        assert skeleton[0].rstrip().endswith("..."), name  # unsolved
        check = [c for c in cells if c["cell_type"] == "code" and f"check_{name}({function})" in "".join(c["source"])]
        assert len(check) == 1, name
        text = "".join("".join(out.get("data", {}).get("text/plain", "")) for out in check[0]["outputs"])
        assert text.startswith(f"✗ not yet ({name})"), (name, text)


def test_the_notebooks_loops_are_the_checks_loops():
    # the loops printed in the notebook are the ones the checks compare with: same numbers
    namespace = {"np": np, "mc": mc}
    for cell in json.loads(NOTEBOOK.read_text())["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "code" and source.startswith("def ") and "_loop(" in source.split("\n")[0]:
            exec(source.split("\n\n\n")[0], namespace)  # the function definition only
    rng = np.random.default_rng(7)
    X, y, weights, biases = nb04._loss_case(rng, 6, 2, 4)
    assert namespace["loss_loop"](X, y, weights, biases) == nb04.loss_loop(X, y, weights, biases)
    H, o, t = nb04._gradient_case(rng, 6, 4, 2)
    for got, want in zip(namespace["output_gradients_loop"](H, o, t), nb04.output_gradients_loop(H, o, t)):
        np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(namespace["per_sample_gradients_loop"](H, o, t),
                                  nb04.per_sample_gradients_loop(H, o, t))


# ------------------------------------------------------------------------------------------------
# Off-by-one, order and broadcasting variants of each answer: every one is "not yet"
def _all_but_last(X, y, w, b):
    return loss_batch(X[:-1], y[:-1], w, b) if len(X) > 1 else loss_batch(X, y, w, b)


VARIANTS = {
    "loss: divided by n − 1": (ex.check_loss_batch, lambda X, y, w, b: loss_batch(X, y, w, b) * len(X) / max(
        len(X) - 1, 1), "step by step"),
    "loss: first sample only": (ex.check_loss_batch, lambda X, y, w, b: loss_batch(X[:1], y[:1], w, b), "step by step"),
    "loss: all but the last sample": (ex.check_loss_batch, _all_but_last, "step by step"),
    "loss: targets reversed": (ex.check_loss_batch, lambda X, y, w, b: loss_batch(X, y[::-1], w, b), "step by step"),
    "loss: weights swapped": (ex.check_loss_batch, lambda X, y, w, b: loss_batch(X, y, w[::-1], b), "Rows are samples"),
    "gradients: divided by n − 1": (ex.check_output_gradients, lambda H, o, y: tuple(
        g * len(H) / max(len(H) - 1, 1) for g in output_gradients(H, o, y)), "differs"),
    "gradients: arguments o and y swapped": (ex.check_output_gradients, lambda H, y, o: output_gradients(H, o, y),
                                             "differs"),
    "gradients: (n, 1) − (n,) broadcast": (ex.check_output_gradients, lambda H, o, y: output_gradients(
        H, o, y.ravel()), "broadcast"),
    "gradients: bias from the first sample": (ex.check_output_gradients, lambda H, o, y: (
        output_gradients(H, o, y)[0], _delta(o, y)[0] / len(H)), "dL/db1"),
    "gradients: bias without its last sample": (ex.check_output_gradients, lambda H, o, y: (
        output_gradients(H, o, y)[0], _delta(o, y)[:-1].sum(0) / len(H) if len(H) > 1 else _delta(o, y)[0]),
        "dL/db1"),
    "per-sample: samples rolled by one": (ex.check_per_sample_gradients, lambda H, o, y: np.roll(
        per_sample_gradients(H, o, y), 1, axis=0), "G[0]"),
    "per-sample: H in reverse order": (ex.check_per_sample_gradients, lambda H, o, y: per_sample_gradients(
        H[::-1], o, y), "G[0]"),
}


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_off_by_one_order_and_broadcasting_variants_are_not_yet(name):
    check, answer, word = VARIANTS[name]
    assert_not_yet(check(answer), word)


def test_a_one_sample_batch_divided_by_n_minus_one_gets_the_division_hint_not_the_overflow_hint():
    def mean_over_n_minus_one(X, y, w, b):
        return loss_batch(X, y, w, b) * len(X) / np.float64(len(X) - 1)  # n = 1: a division by zero

    result = ex.check_loss_batch(mean_over_n_minus_one)
    assert_not_yet(result)  # caught on n = 7 first (a different value)
    single = nb04._loss_case(np.random.default_rng(0), 1, 3, 5)
    with np.errstate(divide="ignore"):
        assert not np.isfinite(mean_over_n_minus_one(*single))
