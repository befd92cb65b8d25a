"""The StackOverflow story: the question's symptom, every rung of the fix ladder, the answer's seeds.

Budget: about 15 s in all. The longest runs are the question's 10 000 iterations (about 1 s), the
answer's 1e5 epochs for seed 0 on the fast float engine (about 2 s) and the answer's faithful NumPy
code for seed 3 until it solves XOR (42 760 epochs, about 4 s). Everything else is short prefixes.
"""

import itertools
import re
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import mlp_course as mc
from mlp_course import stackoverflow as so
from mlp_course.stackoverflow import fixes as so_fixes

ANSWER_SOLVES = 3  # np.random.seed(3): the answer's code solves XOR (first at epoch 42 760)
ANSWER_STUCK = 0  # np.random.seed(0): it ends in a local minimum, outputs ≈ 0.04, 0.50, 0.95, 0.50


@pytest.fixture(scope="module")
def question():
    """The question's program, as posted: seed 0, n_h=2, lr 1e-2, 10 000 iterations."""
    return so.train_question(seed=0)


def random_parameters(seed, scale=1.0):
    rng = np.random.default_rng(seed)
    weights = [rng.normal(size=(2, 2)) * scale, rng.normal(size=(2, 1)) * scale]
    biases = [rng.normal(size=2) * 0.5, rng.normal(size=1) * 0.5]
    return weights, biases


NO_BIAS = [np.zeros(2), np.zeros(1)]


# ------------------------------------------------------------------------------ the question
def test_the_question_reproduces_the_posts_symptom(question):
    """All four outputs > 0.99 by iteration 8000; costs of [0,0] and [1,1] -> 0.5, the others -> 0."""
    assert question.iterations == [0, 2000, 4000, 6000, 8000]  # the post prints these five
    last = question.iterations.index(8000)
    assert np.all(question.outputs[last] > 0.99)
    np.testing.assert_allclose(question.costs[last, [0, 3]], 0.5, atol=1e-3)
    assert np.all(question.costs[last, [1, 2]] < 1e-6)
    # the climb is monotone, as in the post's printout
    assert np.all(np.diff(question.outputs, axis=0) > 0)
    assert question.solved_at is None


def test_the_question_only_ever_grows_its_weights(question):
    """Bug 3: every factor of the step is >= 0 and it is *added*, so no weight ever decreases."""
    for before, after in zip(question.initial_weights, question.weights):
        assert np.all(before >= 0)  # np.random.rand
        assert np.all(after > before)


@settings(max_examples=40, deadline=None)
@given(arrays(np.float64, 6, elements=st.floats(0, 5)), st.sampled_from(range(4)))
def test_the_questions_step_is_never_negative_for_positive_weights(values, j):
    weights = [values[:4].reshape(2, 2), values[4:].reshape(2, 1)]
    d_weights, d_biases = so.per_neuron_gradients(weights, NO_BIAS, so.X[j], so.y[j], fixes=())
    assert d_biases is None  # the question has no biases
    for g in d_weights:
        assert np.all(g <= 0)  # the code steps by -lr * g: never downwards


def test_verbose_prints_the_posts_lines(capsys):
    trace = so.train_question(seed=0, max_iterations=1, verbose=True)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "iteration 0"
    assert len(lines) == 5
    for line, x, o, c in zip(lines[1:], so.X, trace.outputs[0], trace.costs[0]):
        match = re.fullmatch(r"\[(\d) (\d)\] -> \[([\d.]+)\] cost ([\d.e-]+)", line)
        assert match, line
        assert [int(match[1]), int(match[2])] == list(x)
        assert float(match[3]) == pytest.approx(o, abs=1e-8)
        assert float(match[4]) == pytest.approx(c, rel=1e-12)


def test_the_question_raises_for_three_hidden_neurons():
    """Bug 7: the shapes only line up because n_i == n_h == 2."""
    with pytest.raises(ValueError, match="could not be broadcast"):
        so.train_question(n_h=3, max_iterations=1)


def test_post_printout_formats_the_trace(question):
    text = so.post_printout(question)
    assert text.splitlines()[0] == "iteration 0"
    assert text.count("iteration") == 5
    assert re.search(r"^\[1 1\] -> \[1\.00000\] cost 0\.50000$", text, re.M)


# ------------------------------------------------------------------------------ the fix ladder
def test_no_fix_is_the_question_bit_for_bit():
    question = so.train_question(seed=1, max_iterations=300, record_every=100)
    for fixes in [(), ("arrays",)]:  # `arrays` changes the types, not one number
        ladder = so.train_fixed(fixes, seed=1, max_iterations=300, record_every=100)
        np.testing.assert_array_equal(ladder.outputs, question.outputs)
        np.testing.assert_array_equal(ladder.loss, question.loss)
        for a, b in zip(ladder.weights, question.weights):
            np.testing.assert_array_equal(a, b)


def test_numpy_turns_the_list_into_an_array():
    """Bug 6: `list += ndarray` calls ndarray.__radd__ (lists have no numeric +), not list.extend."""
    o_layer = [np.array([0.1, 0.2])]
    o_layer += np.array([1.0, 1.0])
    assert isinstance(o_layer, np.ndarray) and o_layer.shape == (1, 2)
    np.testing.assert_array_equal(o_layer, [[1.1, 1.2]])
    state = so_fixes._initial_state(frozenset(), 0, 2, 2, 1)
    assert isinstance(state["o_layer"], list)
    so_fixes._per_neuron_step(state, so.X[0], so.y[0], frozenset(), 1e-2)
    assert isinstance(state["o_layer"], np.ndarray) and state["o_layer"].shape == (1, 2)
    assert isinstance(so_fixes._initial_state(frozenset({"arrays"}), 0, 2, 2, 1)["o_layer"], np.ndarray)


def test_fix_names_are_checked():
    with pytest.raises(ValueError, match="valid fixes are .*cost_derivative"):
        so.train_fixed(["descent"])
    with pytest.raises(ValueError, match="'shapes' needs \\['derivative_at_z'\\]"):
        so.train_fixed(["shapes"])
    with pytest.raises(TypeError, match="collection of names"):
        so.train_fixed("descend")
    assert so.ladder(0) == () and so.ladder(len(so.FIXES)) == so.FIXES
    for k in range(len(so.FIXES) + 1):  # every rung of the ladder is a valid set
        so.check_fixes(so.ladder(k))


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from(range(4)), st.floats(0.1, 3.0))
def test_all_fixes_give_exactly_backprops_gradient(seed, j, scale):
    """Fully fixed, the per-neuron gradient is mc.MLP's, to float64 round-off.

    MLP's mse is a mean over rows: for the one-row batch x[None] it is the sample's cost ½(o − y)²,
    the very quantity the per-sample code descends, so no factor is needed.
    """
    weights, biases = random_parameters(seed, scale)
    ours_w, ours_b = so.per_neuron_gradients(weights, biases, so.X[j], so.y[j])
    mlp_w, mlp_b = so.mlp_gradients(weights, biases, so.X[j], so.y[j])
    for ours, theirs in zip(ours_w + ours_b, mlp_w + mlp_b):
        assert ours.shape == theirs.shape
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-16)


def test_all_fixes_pass_the_numerical_gradient_check():
    for seed in range(3):
        weights, biases = random_parameters(seed)
        report = so.check_gradients(weights, biases, so.FIXES)
        assert report.ok and report.max_rel_error < 1e-6, report
        # and the epoch sum is 4 × MLP's mean-over-samples gradient (the factor made explicit)
        net = mc.MLP.from_parameters(weights, biases, "sigmoid", "sigmoid")
        _, mean_w, mean_b = net.gradients(so.X, so.y)
        ours_w, ours_b = so.epoch_gradients(weights, biases)
        for ours, mean in zip(ours_w + ours_b, mean_w + mean_b):
            np.testing.assert_allclose(ours, len(so.X) * mean, rtol=1e-12, atol=1e-16)


def test_each_rung_fixes_the_gradients_the_notebook_says():
    """The gradient-check table of notebook 02, rung by rung (weights with random signs)."""
    weights, biases = random_parameters(1)

    def report(k):
        fixes = so.ladder(k)
        return so.check_gradients(weights, biases if "bias" in fixes else NO_BIAS, fixes)

    for k in (0, 1):
        assert not report(k)["W1"].ok and not report(k)["W0"].ok
    # rung 2 (σ' at z): the output step has the right size but the wrong sign -> relative error 2
    assert report(2)["W1"].max_rel_error == pytest.approx(2.0, abs=1e-6)
    # rung 3 (descend): the output weights are right; the hidden ones still wrong until rung 7
    for k in range(3, 7):
        assert report(k)["W1"].ok and not report(k)["W0"].ok
    assert report(5)["b0"].ok and report(5)["b1"].ok  # biases learn correctly as soon as they exist
    for k in range(7, len(so.FIXES) + 1):
        assert report(k).ok


def test_backprop_order_removes_the_learning_rate_from_the_hidden_error():
    """Bug 4: the question's hidden step contains lr (from o_delta); backprop's does not."""
    weights, _ = random_parameters(2)

    def hidden(k, lr):
        return so.per_neuron_gradients(weights, NO_BIAS, so.X[3], 0, so.ladder(k), lr)[0][0]

    assert not np.allclose(hidden(3, 1e-2), hidden(3, 1e-1))
    np.testing.assert_allclose(hidden(3, 1e-1), 10 * hidden(3, 1e-2), rtol=0.2)  # ~ proportional to lr
    np.testing.assert_array_equal(hidden(4, 1e-2), hidden(4, 1e-1))


def test_shapes_fix_the_off_diagonal_hidden_weights():
    """Bug 7 with n_h == 2: without outer products hidden neuron j's weight k gets neuron k's step."""
    weights, _ = random_parameters(3)
    for j in range(4):
        true_w = so.mlp_gradients(weights, NO_BIAS, so.X[j], so.y[j])[0][0]
        wrong_w = so.per_neuron_gradients(weights, NO_BIAS, so.X[j], so.y[j], so.ladder(6))[0][0]
        right_w = so.per_neuron_gradients(weights, NO_BIAS, so.X[j], so.y[j], so.ladder(7))[0][0]
        np.testing.assert_allclose(np.diag(wrong_w), np.diag(true_w), rtol=1e-12, atol=1e-16)
        np.testing.assert_allclose(right_w, true_w, rtol=1e-12, atol=1e-16)
    # at x = [1, 1] the off-diagonal entries differ
    true_w = so.mlp_gradients(weights, NO_BIAS, so.X[3], 0)[0][0]
    wrong_w = so.per_neuron_gradients(weights, NO_BIAS, so.X[3], 0, so.ladder(6))[0][0]
    assert not np.allclose(wrong_w, true_w)


def test_three_hidden_neurons_need_the_shapes_fix():
    with pytest.raises(ValueError, match="could not be broadcast"):
        so.train_fixed(so.ladder(6), n_h=3, max_iterations=1)
    trace = so.train_fixed(so.FIXES, n_h=3, max_iterations=2)
    assert trace.weights[0].shape == (2, 3) and trace.weights[1].shape == (3, 1)


def test_descend_alone_sends_every_output_to_zero():
    """Bug 3 alone: the step is still the cost times positive factors, now subtracted."""
    trace = so.train_fixed(["descend"], seed=0, learning_rate=0.5, max_iterations=400, record_every=100)
    assert np.all(trace.outputs[-1] < 0.01)
    trace = so.train_fixed(["cost_derivative"], seed=0, learning_rate=0.5, max_iterations=400, record_every=100)
    assert np.all(trace.outputs[-1] > 0.99)  # the right error, still climbed: outputs still go to 1


def test_cost_derivative_gives_the_error_a_sign():
    """Bug 1: the cost c >= 0 pushes every output the same way; o − y points towards the target."""
    weights, _ = random_parameters(4)
    for fixes, signs in [((), {1.0}), (("cost_derivative",), {-1.0, 1.0})]:
        seen = set()
        for j in range(4):
            d_out = so.per_neuron_gradients(weights, NO_BIAS, so.X[j], so.y[j], fixes)[0][1]
            seen |= set(np.sign(-d_out.ravel()))  # the sign of what the code adds to W_o
        assert seen == signs


def test_without_bias_the_hidden_layer_sees_half_for_00():
    """Bug 5: z = w·[0, 0] = 0 for every weight, so both hidden units output exactly 0.5."""
    trace = so.train_fixed(so.ladder(4), seed=0, learning_rate=0.5, max_iterations=50)
    hidden = trace.to_mlp().forward_all(np.zeros((1, 2)))[1][1]
    np.testing.assert_array_equal(hidden, [[0.5, 0.5]])


def test_bias_is_what_lets_seeds_solve_xor():
    """With every other fix, no pinned seed solves XOR without biases; with them every one does."""
    no_bias = tuple(f for f in so.FIXES if f != "bias")
    for seed in (0, 3, 7):
        fixed = so.train_fixed(so.FIXES, seed=seed, learning_rate=1.0, max_iterations=600, until_solved=True)
        assert fixed.solved_at is not None and fixed.epochs == fixed.solved_at + 1
        unfixed = so.train_fixed(no_bias, seed=seed, learning_rate=1.0, max_iterations=600)
        assert unfixed.solved_at is None


def test_randn_init_unsticks_seed_0():
    """Bug 8: from np.random.rand's all-positive start, seed 0 is still on the plateau at epoch 1500."""
    rand = so.train_fixed(so.ladder(7), seed=0, learning_rate=0.5, max_iterations=1500, record_every=500)
    randn = so.train_fixed(so.ladder(8), seed=0, learning_rate=0.5, max_iterations=1500, until_solved=True)
    assert all(np.all(w >= 0) for w in rand.initial_weights)
    assert any(np.any(w < 0) for w in randn.initial_weights)
    assert rand.solved_at is None and np.all(np.abs(rand.outputs[-1] - 0.5) < 0.05)
    assert randn.solved_at is not None


def test_the_seeds_sigmoid_overflows_and_the_stable_one_does_not():
    with pytest.warns(RuntimeWarning, match="overflow"):
        assert so.activation(np.array([-1000.0]))[0] == 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert mc.activations.sigmoid(np.array([-1000.0]))[0] == 0.0
    # in the normal range the fix changes nothing but round-off
    a = so.train_fixed(so.ladder(8), seed=3, learning_rate=1.0, max_iterations=200)
    b = so.train_fixed(so.ladder(9), seed=3, learning_rate=1.0, max_iterations=200)
    np.testing.assert_allclose(a.loss, b.loss, rtol=1e-12)


# ------------------------------------------------------------------------------ the answer
def test_the_answer_solves_xor_for_seed_3():
    """The faithful NumPy code, until solved (about 4 s): the one long run of the faithful loop."""
    trace = so.train_answer(seed=ANSWER_SOLVES, until_solved=True)
    assert trace.solved_at == trace.epochs - 1
    assert 20_000 < trace.solved_at < 100_000  # needs tens of thousands of epochs at lr 1e-2
    out = trace.final_outputs()
    assert np.all((out > 0.5) == (so.y > 0.5))


def test_the_answer_ends_in_a_local_minimum_for_seed_0():
    trace = so.train_answer(seed=ANSWER_STUCK, fast=True)
    assert trace.epochs == 100_000 and trace.solved_at is None
    np.testing.assert_allclose(trace.final_outputs(), [0.04, 0.50, 0.95, 0.50], atol=0.015)


@pytest.mark.parametrize("seed", [ANSWER_STUCK, ANSWER_SOLVES])
@pytest.mark.parametrize("fix_update_order", [False, True])
def test_the_fast_engine_is_the_faithful_code(seed, fix_update_order):
    slow = so.train_answer(seed=seed, max_iterations=500, record_every=100, fix_update_order=fix_update_order)
    fast = so.train_answer(seed=seed, max_iterations=500, record_every=100, fix_update_order=fix_update_order,
                           fast=True)
    assert fast.iterations == slow.iterations
    np.testing.assert_allclose(fast.outputs, slow.outputs, rtol=1e-12)
    np.testing.assert_allclose(fast.loss, slow.loss, rtol=1e-12)
    for a, b in zip(fast.weights + fast.biases, slow.weights + slow.biases):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


def test_the_answer_prints_its_lines(capsys):
    so.train_answer(seed=0, max_iterations=1, verbose=True)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "iteration 0" and len(lines) == 5
    assert all(re.fullmatch(r"\[\[\d \d\]\] -> \[\[[\d.]+\]\] cost [\d.e-]+", line) for line in lines[1:])
    with pytest.raises(ValueError, match="fast=False"):
        so.train_answer(max_iterations=1, verbose=True, fast=True)


def test_the_answers_update_order_error_scales_with_the_learning_rate():
    """It updates ow before sending the error back through it: an O(lr) error in the hidden step."""
    weights, biases = random_parameters(5)
    true_w, true_b = so.mlp_gradients(weights, biases, so.X[1], 1)
    fixed_w, fixed_b = so.answer_gradients(weights, biases, so.X[1], 1, fix_update_order=True)
    for a, b in zip(fixed_w + fixed_b, true_w + true_b):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-16)
    errors = []
    for lr in (1e-2, 1e-3):
        got_w, got_b = so.answer_gradients(weights, biases, so.X[1], 1, learning_rate=lr)
        np.testing.assert_allclose(got_w[1], true_w[1], rtol=1e-12)  # the output layer is right
        errors.append(np.abs(got_w[0] - true_w[0]).max())
    assert errors[1] > 0
    assert errors[0] / errors[1] == pytest.approx(10, rel=0.01)


def test_trace_round_trips_to_an_mlp(question):
    net = question.to_mlp()
    assert net.sizes == [2, 2, 1] and net.activation == "sigmoid"
    np.testing.assert_array_equal(question.to_mlp(initial=True).weights[0], question.initial_weights[0])
    assert question.loss.shape == (10_000,)
    np.testing.assert_allclose(question.loss[question.iterations], question.costs.mean(axis=1), rtol=1e-15)
    assert "solved_at=None" in repr(question)


def test_descend_is_the_first_rung_whose_cost_falls():
    """Notebook 02's ladder table: rungs 0-2 end at a mean cost near 0.25, rung 3 near 0.13."""
    losses = [so.train_fixed(so.ladder(k), seed=0, learning_rate=1.0, max_iterations=200).loss[-1] for k in range(4)]
    assert all(loss > 0.24 for loss in losses[:3])
    assert losses[3] < 0.14


def test_round_floats_makes_printouts_stable():
    text = "[[0 1]] -> [[0.95518092]] cost 0.0010043748998508786 and 3.9e-14"
    assert so.round_floats(text) == "[[0 1]] -> [[0.95518]] cost 0.00100 and 0.00000"
    assert so.round_floats("iteration 2000", 3) == "iteration 2000"  # integers untouched


def test_plots_are_labelled():
    import matplotlib.pyplot as plt

    trace = so.train_fixed(so.FIXES, seed=0, learning_rate=1.0, max_iterations=20, record_every=5)
    ax_out, ax_cost = so.plot_trace(trace, title="t: ")
    assert ax_out.get_xlabel() == "iteration (epoch)" and ax_out.get_ylabel() == "output o"
    assert len(ax_out.get_lines()) == 8 and len(ax_cost.get_lines()) == 4  # 4 outputs + 4 targets
    # four curves that coincide (the question's outputs all at 1) must stay distinguishable: a line style
    # and a marker shape each, the markers at different points of the curve
    lines = ax_cost.get_lines()
    assert len({line.get_linestyle() for line in lines}) == 4 and len({line.get_marker() for line in lines}) == 4
    marked = []
    for line in lines:
        start, step = line.get_markevery()
        marked.append(frozenset(np.asarray(line.get_xdata())[start::step]))
    assert all(not (a & b) for a, b in itertools.combinations(marked, 2))
    assert [t.get_text() for t in ax_out.get_legend().get_texts()] == list(so.INPUT_LABELS)
    ax = so.plot_losses({"a": trace, "b": trace}, log=True)
    assert ax.get_yscale() == "log" and len(ax.get_lines()) == 2
    np.testing.assert_array_equal(ax.get_lines()[0].get_ydata(), trace.loss)
    plt.close("all")


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="n_h"):
        so.train_fixed(n_h=0)
    with pytest.raises(ValueError, match="learning_rate"):
        so.train_answer(learning_rate=-1.0)
    with pytest.raises(TypeError, match="max_iterations"):
        so.train_question(max_iterations=1e4)
