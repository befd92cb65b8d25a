"""Exercise 4.4 (notebook 04): the whole vectorized backward pass. The check accepts the reference
solution and other correct forms, rejects every mistake the diagnoser knows — the question's bugs
among them — with a hint that names it, and rejects a correct loop over the samples."""

import numpy as np
import pytest
from exercise_asserts import assert_not_yet
from test_diagnose import learner  # correct 2-layer backprop with one named mistake switched on

import mlp_course as mc
from mlp_course import stackoverflow
from mlp_course.teacher.solutions.nb04 import backward_sigmoid as backward  # the reference solution's one home

ex = mc.exercises


def test_the_reference_and_other_correct_answers_pass():
    result = ex.check_backward(backward)
    assert result.passed and str(result).startswith("✓ passed (backward)"), result
    assert "one by one" in result.message
    assert ex.check_backward(learner())  # the five-argument form
    assert ex.check_backward(learner("step"))  # a step that updates in place


def test_the_check_lives_with_notebook_04():
    assert ex.check_backward.__module__ == "mlp_course.exercises.nb04.backward"


@pytest.mark.parametrize("answer", [..., None, lambda *args: None, lambda *args: ...])
def test_untouched_cells_say_not_yet_without_raising(answer):
    assert_not_yet(ex.check_backward(answer), "`...`")


def test_learner_exceptions_and_non_functions_become_hints():
    def broken(*args):
        raise ValueError("operands could not be broadcast together")

    assert_not_yet(ex.check_backward(broken), "raised ValueError", "broadcast")
    assert_not_yet(ex.check_backward(42), "function")


def _per_sample_loop(X, y, weights, biases):
    """Right gradients, computed one sample at a time: the exercise asks for the vectorized pass."""
    d_weights = [np.zeros_like(w) for w in weights]
    d_biases = [np.zeros_like(b) for b in biases]
    for x_i, y_i in zip(X, y):
        dw, db = backward(x_i[None, :], y_i[None, :], weights, biases)
        for total, part in zip(d_weights + d_biases, dw + db):
            total += part / len(X)
    return d_weights, d_biases


def test_a_correct_loop_over_the_samples_is_not_yet():
    assert_not_yet(ex.check_backward(_per_sample_loop), "one at a time", "for loop")


# every mistake the diagnoser knows, written into a learner's backward pass; the question's are marked
BACKWARD_WRONG = {
    "loss_instead_of_derivative": "the loss itself",  # question bug 1
    "derivative_at_input": "wrong place",  # question bug 2: activation_d(x)
    "ascent_step": "sign flipped",  # question bug 3: +=
    "sign_flipped": "sign flipped",
    "stale_weights": "stale weights",  # question bug 4, as the accepted answer still has it
    "no_bias_gradients": "missing",  # question bug 5: no biases
    "biases_ignored": "leaves out the biases",  # question bug 5
    "python_list": "list",  # question bug 6
    "elementwise": "element-wise",  # question bug 7
    "missing_output_derivative": "f′(z) is missing",
    "missing_hidden_derivative": "f′(z) is missing",
    "derivative_of_a_out": "wrong place",
    "a_form_on_z_out": "wrong place",
    "transposed": "transposed",
    "scaled_by_learning_rate": "learning rate",
    "summed": "batch size",
    "mean_twice": "batch size",
    "bias_not_summed": "not summed",
    "factor_2": "constant factor",
}


@pytest.mark.parametrize("bug", sorted(BACKWARD_WRONG))
def test_backward_rejects_each_mistake_and_names_it(bug):
    assert_not_yet(ex.check_backward(learner(bug)), BACKWARD_WRONG[bug], "mc.diagnose_backprop")


def test_backward_rejects_the_questions_own_code_and_the_answers_update_order():
    assert_not_yet(ex.check_backward(stackoverflow.answer_backward()), "stale weights")
    assert_not_yet(ex.check_backward(stackoverflow.question_backward(stackoverflow.ladder(0))))
    every = set(stackoverflow.FIXES)
    assert_not_yet(ex.check_backward(stackoverflow.question_backward(every - {"cost_derivative"})), "the loss itself")
    assert_not_yet(ex.check_backward(stackoverflow.question_backward(every - {"descend"})), "sign flipped")
    assert_not_yet(ex.check_backward(stackoverflow.question_backward(every - {"bias"})), "leaves out the biases")
    assert_not_yet(ex.check_backward(stackoverflow.question_backward(every - {"shapes"})), "element-wise")


def test_the_questions_derivative_at_the_input_is_named_although_it_only_runs_on_square_layers():
    # σ′(X) in place of σ′(z0) needs n_in == n_hidden: the check meets it on 2-2-1 and 3-3-1 networks first
    assert_not_yet(ex.check_backward(learner("derivative_at_input")), "wrong place", "layer's input")


def test_backward_that_crashes_only_on_non_square_layers_says_where_to_look():
    def questionlike(X, y, weights, biases):
        if weights[0].shape[0] != weights[0].shape[1]:
            raise ValueError("operands could not be broadcast together with shapes (5,4) (5,3)")
        return backward(X, y, weights, biases)

    assert_not_yet(ex.check_backward(questionlike), "broadcast", "matrix product")


def test_a_bias_gradient_not_summed_is_still_named_so_although_one_sample_cannot_tell():
    assert_not_yet(ex.check_backward(learner("bias_not_summed")), "not summed", "one row per sample")


# ------------------------------------------------------------------------------------------------
# Off-by-one, order and broadcasting variants: every one is "not yet", with its cause
def _ref_backward_with(d_loss__d_o):
    def wrong(X, y, weights, biases):
        W0, W1 = weights
        b0, b1 = biases
        h = mc.activations.sigmoid(X @ W0 + b0)
        o = mc.activations.sigmoid(h @ W1 + b1)
        d_loss__d_z1 = d_loss__d_o(o, y, len(X)) * o * (1 - o)
        d_loss__d_z0 = (d_loss__d_z1 @ W1.T) * h * (1 - h)
        return [X.T @ d_loss__d_z0, h.T @ d_loss__d_z1], [d_loss__d_z0.sum(axis=0), d_loss__d_z1.sum(axis=0)]

    return wrong


def _keepdims_biases(X, y, weights, biases):
    d_weights, d_biases = backward(X, y, weights, biases)
    return d_weights, [g[None, :] for g in d_biases]


def _rounded_log(X, y, weights, biases):  # a log of the output rounded to 0 or 1: log(0)
    d_weights, d_biases = backward(X, y, weights, biases)
    o_rounded = np.round(mc.activations.sigmoid(X @ weights[0] + biases[0]) @ weights[1] > 0)
    return d_weights, [d_biases[0], d_biases[1] - np.log(o_rounded).sum(axis=0)]


VARIANTS = {
    "keepdims biases": (_keepdims_biases, "keepdims"),
    "(n, 1) − (n,) broadcast": (_ref_backward_with(lambda o, y, n: (o - y.ravel()) / n),
                                "(n, 1) array meeting an (n,) array"),
    "divided by n − 1": (_ref_backward_with(lambda o, y, n: (o - y) / max(n - 1, 1)), "wrong"),
    "NaN from log(0)": (_rounded_log, "log(0)"),
    "layers reversed": (lambda *a: tuple(g[::-1] for g in backward(*a)), "reverse"),
}


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_off_by_one_order_and_broadcasting_variants_are_not_yet_with_their_cause(name):
    answer, word = VARIANTS[name]
    result = ex.check_backward(answer)
    assert_not_yet(result, word)
    assert "exp()" not in result.message  # the overflow hint only for an overflow


# ------------------------------------------------------------------------------------------------
# Notebook 04's own backward uses tanh′ = 1 − a²: copied into 4.4's sigmoid network, it gets its own hint
def _sigmoid_net_with_hidden_slope(hidden_slope):
    def backward_sigmoid(X, y, weights, biases):  # notebook 04's name for it
        h = mc.activations.sigmoid(X @ weights[0] + biases[0])
        o = mc.activations.sigmoid(h @ weights[1] + biases[1])
        d_loss__d_z1 = (o - y) * o * (1 - o) / len(X)
        d_loss__d_z0 = (d_loss__d_z1 @ weights[1].T) * hidden_slope(h)
        return [X.T @ d_loss__d_z0, h.T @ d_loss__d_z1], [d_loss__d_z0.sum(axis=0), d_loss__d_z1.sum(axis=0)]

    return backward_sigmoid


def test_notebook_04s_tanh_derivative_in_the_sigmoid_network_is_named_and_dW0_comes_first():
    result = ex.check_backward(_sigmoid_net_with_hidden_slope(lambda h: 1 - h**2))
    assert_not_yet(result, "derivative of the wrong activation", "mc.diagnose_backprop(backward_sigmoid)")
    words = " ".join(result.message.split())
    assert words.startswith("dW0 and db0 are wrong: ") and "whose sigmoid needs σ′ = a(1 − a)" in words, words
    assert "matches no mistake" not in words
    assert ex.check_backward(_sigmoid_net_with_hidden_slope(lambda h: h * (1 - h))).passed  # the right slope


def test_notebook_04s_tanh_forward_and_backward_reused_for_the_sigmoid_network_is_named():
    # the learner calls the lesson's tanh network code: every array is the gradient of another network
    def backward_sigmoid(X, y, weights, biases):
        h = np.tanh(X @ weights[0] + biases[0])
        o = mc.activations.sigmoid(h @ weights[1] + biases[1])
        d_loss__d_z1 = (o - y) * o * (1 - o) / len(X)
        d_loss__d_z0 = (d_loss__d_z1 @ weights[1].T) * (1 - h**2)
        return [X.T @ d_loss__d_z0, h.T @ d_loss__d_z1], [d_loss__d_z0.sum(axis=0), d_loss__d_z1.sum(axis=0)]

    result = ex.check_backward(backward_sigmoid)
    assert_not_yet(result, "another activation", "tanh hidden units")
    assert "matches no mistake" not in " ".join(result.message.split())


def test_gradients_returned_as_one_pair_per_layer_get_a_hint_on_the_structure():
    def backward_sigmoid(X, y, weights, biases):  # right numbers, returned as [(dW0, db0), (dW1, db1)]
        h = mc.activations.sigmoid(X @ weights[0] + biases[0])
        o = mc.activations.sigmoid(h @ weights[1] + biases[1])
        d_loss__d_z1 = (o - y) * o * (1 - o) / len(X)
        d_loss__d_z0 = (d_loss__d_z1 @ weights[1].T) * h * (1 - h)
        return [X.T @ d_loss__d_z0, d_loss__d_z0.sum(axis=0)], [h.T @ d_loss__d_z1, d_loss__d_z1.sum(axis=0)]

    result = ex.check_backward(backward_sigmoid)
    assert_not_yet(result, "one (dW, db) pair per layer", "(d_weights, d_biases)")
    assert "wrong shape" not in result.message


def test_the_hint_names_the_arrays_of_the_layer_nearest_the_output_weights_first():
    result = ex.check_backward(learner("missing_output_derivative"))  # wrong in every array, made in the output layer
    assert " ".join(result.message.split()).startswith("dW1 and db1 are wrong: the activation-derivative factor")
