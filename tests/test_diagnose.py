"""mc.diagnose_backprop: right arrays pass, and every named mistake is recognised as itself.

Each learner function below is correct backprop for a 2-layer sigmoid network with the mean
squared error (the diagnoser's defaults) with exactly one deliberate mistake, written the way a
learner would write it. The diagnosis must call the correct one right (it is compared with central
differences) and name each mistake, on the arrays it affects and on no others.
"""

import inspect
from pathlib import Path

import numpy as np
import pytest

import mlp_course as mc
from mlp_course import diagnose, gradreport, stackoverflow
from mlp_course.activations import sigmoid, sigmoid_derivative, tanh_derivative


def _words(text) -> str:
    """``str(text)`` with every run of whitespace (the line breaks of its wrapping too) as one space."""
    return " ".join(str(text).split())


def learner(bug=None):
    """A 2-layer sigmoid/mse backward pass (5-argument form) with one named mistake."""

    def backward(X, y, weights, biases, learning_rate):
        W0, W1 = weights
        b0, b1 = biases
        n = X.shape[0]
        with_bias = bug != "biases_ignored"
        z0 = X @ W0 + (b0 if with_bias else 0.0)
        h = sigmoid(z0)
        z1 = h @ W1 + (b1 if with_bias else 0.0)
        o = sigmoid(z1)
        d_loss__d_o = {
            "loss_instead_of_derivative": 0.5 * ((o - y) ** 2).sum(axis=1, keepdims=True) / n,
            "summed": o - y,
            "mean_twice": (o - y) / n / n,
            "factor_2": 2 * (o - y) / n,
            "loss_per_output": 0.5 * (o - y) ** 2 / n,
        }.get(bug, (o - y) / n)
        slope_out = {
            "missing_output_derivative": 1.0,
            "derivative_of_a_out": sigmoid_derivative(o),
            "a_form_on_z_out": z1 * (1 - z1),
        }.get(bug, o * (1 - o))
        d_loss__d_z1 = d_loss__d_o * slope_out
        d_W1 = h.T @ d_loss__d_z1
        d_b1 = d_loss__d_z1.sum(axis=0)
        W1_used = W1 - learning_rate * d_W1 if bug == "stale_weights" else W1
        back = d_loss__d_z1 @ (W1_used if bug == "transposed_backward" else W1_used.T)
        slope_hidden = {
            "missing_hidden_derivative": 1.0,
            "derivative_of_a_hidden": sigmoid_derivative(h),
            "derivative_at_input": sigmoid_derivative(X),  # the question's activation_d(x)
            "tanh_derivative_hidden": 1 - h**2,  # notebook 04's tanh′ copied into a sigmoid network
            "tanh_derivative_at_z_hidden": tanh_derivative(z0),
        }.get(bug, h * (1 - h))
        d_loss__d_z0 = back * slope_hidden
        d_W0 = X.T @ d_loss__d_z0
        d_b0 = d_loss__d_z0.sum(axis=0)
        if bug == "elementwise":  # the question's bug 7: (a * δ) where aᵀ @ δ belongs, the same for every unit
            d_W0 = np.repeat((X * d_loss__d_z0).sum(axis=0)[:, None], W0.shape[1], axis=1)
        if bug == "bias_not_summed":
            d_b0, d_b1 = d_loss__d_z0, d_loss__d_z1
        if bug == "transposed":
            d_W0 = d_loss__d_z0.T @ X
        grads = [d_W0, d_W1], [d_b0, d_b1]
        if bug == "sign_flipped":
            grads = [-g for g in grads[0]], [-g for g in grads[1]]
        if bug == "scaled_by_learning_rate":
            grads = [learning_rate * g for g in grads[0]], [learning_rate * g for g in grads[1]]
        if bug == "reversed":
            return grads[0][::-1], grads[1][::-1]
        if bug == "no_bias_gradients":
            return grads[0], None
        if bug == "python_list":
            return [d_W0.tolist(), d_W1], grads[1]
        if bug in ("step", "ascent_step"):  # update in place, return None
            sign = -1.0 if bug == "step" else 1.0
            for p, g in zip([W0, b0, W1, b1], [d_W0, d_b0, d_W1, d_b1]):
                p += sign * learning_rate * g
            return None
        return grads

    return backward


# bug -> (network sizes, the arrays it makes wrong, the mistake each of them must be named)
CASES = {
    "sign_flipped": (None, "W0 b0 W1 b1", "sign_flipped"),
    "ascent_step": (None, "W0 b0 W1 b1", "sign_flipped"),
    "missing_output_derivative": (None, "W0 b0 W1 b1", "missing_derivative"),
    "missing_hidden_derivative": (None, "W0 b0", "missing_derivative"),
    "derivative_of_a_out": (None, "W0 b0 W1 b1", "derivative_at_wrong_place"),
    "a_form_on_z_out": (None, "W0 b0 W1 b1", "derivative_at_wrong_place"),
    "derivative_of_a_hidden": (None, "W0 b0", "derivative_at_wrong_place"),
    "derivative_at_input": ([[3, 3, 2], [2, 2, 1], [4, 4, 3]], "W0 b0", "derivative_at_wrong_place"),
    "tanh_derivative_hidden": (None, "W0 b0", "wrong_activation_derivative"),
    "tanh_derivative_at_z_hidden": (None, "W0 b0", "wrong_activation_derivative"),
    "transposed": (None, "W0", "transposed"),
    "transposed_backward": ([[3, 4, 4], [2, 3, 3], [2, 5, 5]], "W0 b0", "transposed"),
    "scaled_by_learning_rate": (None, "W0 b0 W1 b1", "scaled_by_learning_rate"),
    "summed": (None, "W0 b0 W1 b1", "scaled_by_batch_size"),
    "mean_twice": (None, "W0 b0 W1 b1", "scaled_by_batch_size"),
    "bias_not_summed": (None, "b0 b1", "bias_not_summed"),
    "stale_weights": (None, "W0 b0", "stale_weights"),
    "loss_instead_of_derivative": (None, "W0 b0 W1 b1", "loss_instead_of_derivative"),
    "biases_ignored": (None, "W0 b0 W1 b1", "biases_ignored"),
    "elementwise": ([[3, 3, 2], [2, 2, 1], [4, 4, 3]], "W0", "elementwise_product"),
    "factor_2": (None, "W0 b0 W1 b1", "constant_factor"),
    "no_bias_gradients": (None, "b0 b1", "missing"),
    "python_list": (None, "W0", "wrong_shape"),
    "reversed": (None, "W0 b0 W1 b1", "reversed_order"),
    "loss_per_output": (None, "W0 b0 W1 b1", "loss_instead_of_derivative"),
}


@pytest.mark.parametrize("bug", [None, "step"])
def test_correct_backward_passes_every_array(bug):
    report = mc.diagnose_backprop(learner(bug))
    assert report.ok and report.mistakes == [] and report.mistake_keys == []
    assert [a.name for a in report.arrays] == ["W0", "b0", "W1", "b1"]
    assert all(a.max_rel_error < report.tol for a in report.arrays)  # measured against central differences
    assert "every gradient matches" in str(report)


@pytest.mark.parametrize("bug", sorted(CASES))
def test_each_mistake_is_named_on_exactly_the_arrays_it_breaks(bug):
    sizes, wrong, key = CASES[bug]
    kwargs = {} if sizes is None else {"sizes": sizes}
    report = mc.diagnose_backprop(learner(bug), **kwargs)
    assert not report.ok
    assert {a.name for a in report.arrays if not a.ok} == set(wrong.split())
    for name in wrong.split():
        assert report[name].mistake == key, (name, report[name])
    assert report.mistake_keys == [key]
    assert diagnose.MISTAKES[key].split(":")[0] in _words(report)


def test_mistakes_made_above_say_so_on_the_arrays_below():
    report = mc.diagnose_backprop(learner("missing_output_derivative"))
    assert "layer above" in report["W0"].detail and "layer above" not in report["W1"].detail


def test_a_combination_of_sign_and_another_mistake_names_both():
    def backward(X, y, weights, biases, learning_rate):
        d_w, d_b = learner("missing_output_derivative")(X, y, weights, biases, learning_rate)
        return [-g for g in d_w], [-g for g in d_b]

    report = mc.diagnose_backprop(backward)
    assert report["W1"].mistakes == ("missing_derivative", "sign_flipped")
    assert "sign flipped" in report["W1"].explanation


def test_unrecognised_mistake_is_reported_as_unknown_with_its_error():
    def backward(X, y, weights, biases):
        d_w, d_b = learner()(X, y, weights, biases, 0.1)
        d_w[1] = d_w[1] + 0.01 * np.arange(d_w[1].size).reshape(d_w[1].shape)
        return d_w, d_b

    report = mc.diagnose_backprop(backward)
    assert report["W1"].mistake == "unknown" and 0 < report["W1"].max_rel_error < np.inf
    assert report["W0"].ok and report["b1"].ok


def test_four_argument_functions_get_no_learning_rate_and_zero_arrays_are_named():
    seen = []

    def backward(X, y, weights, biases):
        seen.append(len(weights))
        return [np.zeros_like(w) for w in weights], [np.zeros_like(b) for b in biases]

    report = mc.diagnose_backprop(backward)
    assert seen == [2, 2, 2] and report.mistake_keys == ["zeros"]


def test_learner_gets_copies_and_nan_is_reported():
    def backward(X, y, weights, biases):
        weights[0][...] = np.nan  # vandalise the copy: the diagnosis must not care
        return [np.full_like(w, np.nan) for w in weights], [np.ones_like(b) for b in biases]

    report = mc.diagnose_backprop(backward)
    assert report["W0"].mistake == "not_finite" and report["b0"].mistake == "unknown"


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid"])
def test_the_package_backward_is_right_for_other_activations_and_bce(activation):
    def backward(X, y, weights, biases):
        net = mc.MLP.from_parameters(weights, biases, activation, "sigmoid")
        _, d_w, d_b = net.gradients(X, y, "bce")
        return d_w, d_b

    report = mc.diagnose_backprop(backward, activation=activation, loss="bce", sizes=[[3, 4, 5, 2]] * 2,
                                  samples=(4, 6))
    assert report.ok and len(report.arrays) == 6


def test_missing_derivative_in_every_layer_of_a_deeper_net():
    def backward(X, y, weights, biases):  # "backprop" with every f' left out (tanh hidden, mse)
        acts = [X]
        for l, (W, b) in enumerate(zip(weights, biases)):
            z = acts[-1] @ W + b
            acts.append(sigmoid(z) if l == len(weights) - 1 else np.tanh(z))
        delta = (acts[-1] - y) / len(X)
        d_w, d_b = [None] * len(weights), [None] * len(weights)
        for l in range(len(weights) - 1, -1, -1):
            d_w[l], d_b[l] = acts[l].T @ delta, delta.sum(axis=0)
            delta = delta @ weights[l].T
        return d_w, d_b

    report = mc.diagnose_backprop(backward, activation="tanh", sizes=[[3, 4, 5, 2], [2, 3, 4, 1]], samples=(5, 7))
    assert not report.ok and set(report.mistake_keys) == {"missing_derivative"}
    assert "every layer" in report["W0"].detail


def test_the_seeds_bugs_are_named_in_the_seeds_own_code():
    seed = {"sizes": [[2, 2, 1]] * 3, "samples": 1}
    answer = mc.diagnose_backprop(stackoverflow.answer_backward(), **seed)
    assert answer.mistake_keys == ["stale_weights"] and answer["W1"].ok and answer["b1"].ok
    assert mc.diagnose_backprop(stackoverflow.answer_backward(fix_update_order=True), **seed).ok
    assert mc.diagnose_backprop(stackoverflow.question_backward(), **seed).ok
    every = set(stackoverflow.FIXES)
    expected = {  # the question's code with one fix undone
        ("cost_derivative",): ["loss_instead_of_derivative"],
        ("descend",): ["sign_flipped"],
        ("bias",): ["missing", "biases_ignored"],  # output layer first: b1 missing, then W1
        ("shapes",): ["elementwise_product"],
        ("backprop_order", "bias"): ["update_sent_back"],
        ("arrays",): [],  # bug 6 changes no number
        ("randn_init",): [],  # bug 8 is about the start, not the gradient
        ("stable_sigmoid",): [],
    }
    for undone, mistakes in expected.items():
        report = mc.diagnose_backprop(stackoverflow.question_backward(every - set(undone)),
                                      with_biases="bias" not in undone or undone == ("bias",), **seed)
        assert report.mistake_keys == mistakes, (undone, str(report))


def test_the_summary_names_the_mistakes_in_words_and_keeps_their_keys():
    """Notebook 02 prints ``report.mistakes`` for the question's code with one fix undone: words, not identifiers."""
    seed = {"sizes": [[2, 2, 1]] * 3, "samples": 1}
    every = set(stackoverflow.FIXES)
    bias = mc.diagnose_backprop(stackoverflow.question_backward(every - {"bias"}), **seed)
    assert bias.mistake_keys == ["missing", "biases_ignored"]
    assert bias.mistakes == ["bias gradients missing (None)", "biases left out of the forward pass"]
    order = mc.diagnose_backprop(stackoverflow.question_backward(every - {"backprop_order", "bias"}),
                                 with_biases=False, **seed)
    assert order.mistakes == ["weight update sent back instead of the error δ"]
    assert set(diagnose.mistakes.LABELS) == set(diagnose.MISTAKES)
    for bug in sorted(CASES):
        sizes = CASES[bug][0]
        report = mc.diagnose_backprop(learner(bug), **({} if sizes is None else {"sizes": sizes}))
        assert len(report.mistakes) == len(report.mistake_keys) and not any("_" in m for m in report.mistakes), bug
    zeros = mc.diagnose_backprop(lambda X, y, w, b: ([np.zeros_like(a) for a in w], [np.zeros_like(a) for a in b]))
    assert zeros.mistakes == ["gradients all zeros"]
    problem = mc.diagnose_backprop(WRONG_STRUCTURE["a number"])
    assert problem.mistakes == [diagnose.PROBLEMS["wrong_structure"]]


def test_no_verdict_calls_the_question_the_seed():
    """In the notebooks "seed" means a random seed; the StackOverflow post is "the question"."""
    texts = [*diagnose.MISTAKES.values(), *diagnose.mistakes.LABELS.values(), *diagnose.PROBLEMS.values()]
    texts += [m.detail for m in diagnose.mistakes.mistake_models([2, 2, 2, 1], "mse", True)]
    assert not [t for t in texts if "seed" in t]
    assert "the question's bug 4" in diagnose.MISTAKES["update_sent_back"]


def _backward_with_slopes(hidden, hidden_slope, output_slope=lambda o: o * (1 - o)):
    """A 2-layer mse backward pass with the given hidden activation and slopes (functions of a)."""
    def backward(X, y, weights, biases):
        h = hidden(X @ weights[0] + biases[0])
        o = sigmoid(h @ weights[1] + biases[1])
        d_loss__d_z1 = (o - y) / len(X) * output_slope(o)
        d_loss__d_z0 = (d_loss__d_z1 @ weights[1].T) * hidden_slope(h)
        return [X.T @ d_loss__d_z0, h.T @ d_loss__d_z1], [d_loss__d_z0.sum(axis=0), d_loss__d_z1.sum(axis=0)]

    return backward


def test_the_derivative_of_the_wrong_activation_is_named_both_ways():
    sigmoid_net = mc.diagnose_backprop(_backward_with_slopes(sigmoid, lambda h: 1 - h**2))
    assert sigmoid_net.mistake_keys == ["wrong_activation_derivative"] and sigmoid_net["W1"].ok
    assert "1 − a² (tanh′) in the hidden layer 1, whose sigmoid needs σ′ = a(1 − a)" in _words(sigmoid_net)
    tanh_net = mc.diagnose_backprop(_backward_with_slopes(np.tanh, lambda h: h * (1 - h)), activation="tanh")
    assert tanh_net.mistake_keys == ["wrong_activation_derivative"] and tanh_net["b1"].ok
    assert "a(1 − a) (σ′) in the hidden layer 1, whose tanh needs tanh′ = 1 − a²" in _words(tanh_net)
    assert mc.diagnose_backprop(_backward_with_slopes(np.tanh, lambda h: 1 - h**2), activation="tanh").ok
    everywhere = mc.diagnose_backprop(_backward_with_slopes(sigmoid, lambda h: 1 - h**2, lambda o: 1 - o**2))
    assert {a.mistake for a in everywhere.arrays} == {"wrong_activation_derivative"}
    assert "every layer" in everywhere["W0"].detail and "output layer" in everywhere["W1"].detail


def test_bad_arguments_raise_clear_errors():
    with pytest.raises(TypeError, match="backward_fn must be a function"):
        mc.diagnose_backprop("backward")
    with pytest.raises(ValueError, match="same number of layers"):
        mc.diagnose_backprop(learner(), sizes=[[2, 3, 1], [2, 3, 3, 1]])
    with pytest.raises(ValueError, match="one batch size per network"):
        mc.diagnose_backprop(learner(), samples=(3, 4))
    with pytest.raises(ValueError, match="loss"):
        mc.diagnose_backprop(learner(), loss="hinge")
    with pytest.raises(ValueError, match="learning_rate"):
        mc.diagnose_backprop(learner(), learning_rate=-1.0)
    with pytest.raises(KeyError, match="no parameter named"):
        mc.diagnose_backprop(learner())["W7"]


# ------------------------------------------------------------------------------------------------
# Arguments of the diagnoser itself are validated; nothing the learner's function does raises
@pytest.mark.parametrize("kwargs, error, name", [
    ({"samples": 0}, ValueError, "samples"),
    ({"samples": -3}, ValueError, "samples"),
    ({"samples": (5, 0, 6)}, ValueError, "samples"),
    ({"samples": 2.5}, TypeError, "samples"),
    ({"samples": "5"}, TypeError, "samples"),
    ({"tol": 0}, ValueError, "tol"),
    ({"tol": -1e-4}, ValueError, "tol"),
    ({"tol": float("nan")}, ValueError, "tol"),
    ({"tol": "small"}, TypeError, "tol"),
    ({"tol": 1.0}, ValueError, "tol"),  # gradcheck's rule: a relative error is at most 2, so tol >= 1 passes anything
    ({"tol": 2.0}, ValueError, "tol"),
    ({"tol": 1e16}, ValueError, "tol"),
    ({"tol": 1e308}, ValueError, "tol"),
    ({"tol": float("inf")}, ValueError, "tol"),
    ({"seed": -1}, ValueError, "seed"),
    ({"seed": 2**63}, ValueError, "seed"),
    ({"seed": 1.5}, TypeError, "seed"),
    ({"seed": "0"}, TypeError, "seed"),
    ({"sizes": 5}, TypeError, "sizes"),
    ({"sizes": "2-4-1"}, TypeError, "sizes"),
])
def test_invalid_arguments_name_the_argument(kwargs, error, name):
    with pytest.raises(error, match=name):
        mc.diagnose_backprop(learner(), **kwargs)


def test_one_network_needs_no_samples_and_seed_none_works():
    report = mc.diagnose_backprop(learner(), sizes=[2, 4, 1])
    assert report.ok and report.networks == ("[2, 4, 1] with 5 samples",)
    assert "1 random network, each [2, 4, 1]" in str(report)
    assert mc.diagnose_backprop(learner(), sizes=[[2, 4, 1], [3, 2, 2]], seed=None).ok
    assert mc.diagnose_backprop(learner(), sizes=(3, 4, 1), samples=1).ok


def _correct(X, y, weights, biases):
    return learner()(X, y, weights, biases, 0.1)


WRONG_STRUCTURE = {
    "a number": lambda X, y, w, b: 3.0,
    "one list": lambda X, y, w, b: _correct(X, y, w, b)[0],
    "a triple": lambda X, y, w, b: (*_correct(X, y, w, b), 0.0),
    "one gradient too few": lambda X, y, w, b: (_correct(X, y, w, b)[0][:1], _correct(X, y, w, b)[1]),
    "an array for d_weights": lambda X, y, w, b: (np.zeros(3), _correct(X, y, w, b)[1]),
    "a number for d_biases": lambda X, y, w, b: (_correct(X, y, w, b)[0], 1.0),
    "a generator": lambda X, y, w, b: (g for g in _correct(X, y, w, b)),
}


@pytest.mark.parametrize("name", sorted(WRONG_STRUCTURE))
def test_a_wrong_structure_gets_a_verdict_not_an_error(name):
    report = mc.diagnose_backprop(WRONG_STRUCTURE[name])
    assert not report.ok and report.problem.kind == "wrong_structure" and report.arrays == ()
    assert report.mistake_keys == ["wrong_structure"] and "not judged" in str(report)


def test_none_from_a_four_argument_function_gets_a_verdict():
    report = mc.diagnose_backprop(lambda X, y, w, b: None)
    assert report.problem.kind == "returned_none" and "returned None" in report.problem.message


def test_an_exception_in_the_learners_function_names_their_line():
    def backward(X, y, weights, biases):
        h = X @ weights[0]
        return h @ weights[0], None  # the learner's bug: (n, 4) @ (3, 4)

    line = inspect.getsourcelines(backward)[1] + 2
    report = mc.diagnose_backprop(backward)
    assert not report.ok and report.problem.kind == "raised"
    assert "raised ValueError" in report.problem.message
    assert report.problem.line.startswith(f"line {line} of test_diagnose.py")
    assert "h @ weights[0]" in report.problem.line
    assert f"line {line}" in _words(report) and report.problem.network == "[3, 4, 2] with 5 samples"


def test_an_exception_whose_text_looks_like_the_diagnosers_own_is_still_the_learners():
    def backward(X, y, weights, biases):
        raise TypeError("your function must return (d_weights, d_biases)")

    report = mc.diagnose_backprop(backward)
    assert report.problem.kind == "raised"  # decided by where it came from, not by its wording


def test_objects_that_raise_or_nan_from_a_warning_get_verdicts():
    class Hostile:
        def __array__(self, *args, **kwargs):
            raise RuntimeError("no")

    report = mc.diagnose_backprop(lambda X, y, w, b: ([Hostile(), Hostile()], [Hostile(), Hostile()]))
    assert {a.mistake for a in report.arrays} == {"wrong_shape"}

    def log_of_zero(X, y, weights, biases):
        d_w, d_b = _correct(X, y, weights, biases)
        return [d_w[0], d_w[1] * np.log(np.zeros_like(d_w[1]))], d_b

    report = mc.diagnose_backprop(log_of_zero)  # pytest would turn a leaked RuntimeWarning into an error
    assert report["W1"].mistake == "not_finite" and "log(0)" in report["W1"].detail and report["W0"].ok


def test_max_rel_error_keeps_the_worst_network_not_the_last():
    def backward(X, y, weights, biases):
        d_w, d_b = _correct(X, y, weights, biases)
        factor = {5: 3.0, 7: 1.0, 6: 1.01}[len(X)]  # very wrong on the first network, nearly right on the last
        return [d_w[0], factor * d_w[1]], d_b

    report = mc.diagnose_backprop(backward)
    assert not report["W1"].ok and report["W1"].max_rel_error > 0.6


def test_keepdims_biases_and_an_n_by_n_broadcast_are_named():
    def keepdims(X, y, weights, biases):
        d_w, d_b = _correct(X, y, weights, biases)
        return d_w, [g[None, :] for g in d_b]

    report = mc.diagnose_backprop(keepdims)
    assert report["b0"].mistake == "wrong_shape" and "keepdims" in report["b0"].detail

    def table(X, y, weights, biases):  # dW1 from an (n, n) table: one column per sample
        d_w, d_b = _correct(X, y, weights, biases)
        return [d_w[0], np.repeat(d_w[1][:, :1], len(X), axis=1)], d_b

    report = mc.diagnose_backprop(table, sizes=[[3, 4, 1], [2, 5, 1]], samples=(6, 7))
    assert report["W1"].mistake == "wrong_shape" and "(n, n) table" in report["W1"].detail


def test_no_private_network_method_or_second_forward_pass_in_the_diagnoser_and_checks():
    root = Path(diagnose.__file__).parents[1]
    for path in [*sorted((root / "diagnose").glob("*.py")), *sorted((root / "exercises").glob("*.py"))]:
        source = path.read_text()
        for private in ("._loss_and_outputs", "._gradients(", "._forward_all", "def _forward("):
            assert private not in source, (path.name, private)


# ------------------------------------------------------------------------------------------------
# One tolerance rule and one relative error, the gradient check's; a package of small modules
def test_the_tolerance_rule_is_the_gradient_checks():
    for tol in (1e-8, 1e-4, 0.5, 0.999):
        assert mc.diagnose_backprop(learner(), sizes=[2, 3, 1], tol=tol).tol == gradreport.check_tol(tol)
    for tol in (0.0, 1.0, 2.0, 1e16, 1e308):
        with pytest.raises(ValueError, match="tol") as from_gradcheck:
            gradreport.check_tol(tol)
        with pytest.raises(ValueError, match="tol") as from_diagnose:
            mc.diagnose_backprop(learner(), sizes=[2, 3, 1], tol=tol)
        assert str(from_diagnose.value) == str(from_gradcheck.value)


def test_the_relative_error_is_the_one_of_gradreport():
    """A gradient off by a factor 1 + e everywhere: its relative error, by gradreport's formula, is e / (1 + e)."""
    e = 3e-3

    def scaled(X, y, weights, biases):
        d_w, d_b = _correct(X, y, weights, biases)
        return [(1 + e) * g for g in d_w], [(1 + e) * g for g in d_b]

    report = mc.diagnose_backprop(scaled, tol=1e-2)
    want = gradreport.relative_error(1 + e, 1.0)
    # the reference is central differences, accurate to a few 1e-7 relative on these networks
    assert report.ok and all(abs(a.max_rel_error - want) < 2e-6 for a in report.arrays)
    assert not mc.diagnose_backprop(scaled, tol=0.9 * float(want)).ok  # below tol passes, at or above fails
    sources = [p.read_text() for p in Path(diagnose.__file__).parent.glob("*.py")]
    assert not any("np.maximum(np.maximum(" in text for text in sources), "a second relative-error formula"


def test_the_diagnoser_is_a_package_of_small_modules():
    for path in Path(diagnose.__file__).parent.glob("*.py"):
        assert len(path.read_text().splitlines()) <= 300, path.name
    for name in ("diagnose_backprop", "BackpropDiagnosis", "ArrayDiagnosis", "CallProblem", "MISTAKES", "PROBLEMS",
                 "DEFAULT_SIZES", "DEFAULT_SAMPLES", "describe_error", "learner_line", "warning_cause"):
        assert hasattr(diagnose, name), name
    assert mc.diagnose_backprop is diagnose.diagnose_backprop and mc.BackpropDiagnosis is diagnose.BackpropDiagnosis


# ------------------------------------------------------------------------------------------------
# The report's lines wrap at words: JupyterLab breaks a long plain-text line at any character
def _assert_wrapped_at_words(text: str, *phrases: str) -> None:
    """Every line of ``text`` fits TEXT_WIDTH (or is one word), continuation lines are indented, and
    every phrase appears whole: no word was broken."""
    width = diagnose.report.TEXT_WIDTH
    for line in text.splitlines():
        assert len(line) <= width or " " not in line.strip(), line
    for phrase in phrases:
        assert " ".join(phrase.split()) in _words(text), phrase


@pytest.mark.parametrize("bug", ["loss_per_output", "stale_weights", "derivative_at_input"])
def test_the_report_wraps_at_words(bug):
    sizes = CASES[bug][0]
    report = mc.diagnose_backprop(learner(bug), **({"sizes": sizes} if sizes else {}))
    text = str(report)
    assert repr(report) == text
    assert max(len(line) for line in text.splitlines()) > 40  # there is something to wrap
    _assert_wrapped_at_words(text, *(a.explanation for a in report.arrays if not a.ok), *report.networks)
    lines = text.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("  d"))  # after the header, itself wrapped
    assert all(line.startswith("  ") for line in lines[1:first])
    rows = lines[first:-1]
    for row in rows:  # "  dW0  WRONG  …": every line of the table is a row or a continuation indented under its text
        assert row.startswith("  d") or row.startswith(" " * 14), row
    assert sum(row.startswith("  d") for row in rows) == len(report.arrays)


def test_a_problem_wraps_at_words():
    def backward(X, y, weights, biases):
        raise ValueError("a long message of the learner's own, " * 4)

    report = mc.diagnose_backprop(backward)
    _assert_wrapped_at_words(str(report), report.problem.message, report.problem.network)
    lines = str(report).splitlines()
    judged = next(i for i, line in enumerate(lines) if line.startswith("  not judged: "))
    assert len(lines) > judged + 1 and all(line.startswith("    ") for line in lines[judged + 1:])
