"""The benchmark code runs on tiny sizes, and its "solved" criterion is the package's.

Nothing here measures or asserts a time: benchmarks are not tests. What is checked is that the
benchmarks time the right thing — the solved test, the epoch counting, the answer's bare loop
(against the faithful, instrumented ``mc.stackoverflow.train_answer``), the matmul-only bound —
and that every part runs and reports its numbers.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mlp_course as mc
from benchmarks import __main__ as harness
from benchmarks import bench_training as bt
from benchmarks import format_seconds, format_table, machine_info, median_time

X_XOR, Y_XOR = mc.datasets.xor()


# ------------------------------------------------------------------------------ solved criterion
@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), scale=st.floats(0.1, 4.0), epochs=st.integers(0, 300))
def test_xor_solved_agrees_with_mc_solved(seed, scale, epochs):
    net = mc.MLP([2, 4, 1], "tanh", "sigmoid", init_scale=scale, seed=seed)
    mc.train(net, X_XOR, Y_XOR, lr=2.0, epochs=epochs)
    assert bt.xor_solved(net.forward(X_XOR), Y_XOR) == mc.solved(net, X_XOR, Y_XOR)


def test_xor_solved_is_the_criteria_definition():
    """xor_solved only reshapes: "solved" is defined once, in mlp_course.criteria."""
    from mlp_course.criteria import SOLVED_MSE

    assert bt.XOR_MSE_TOL == SOLVED_MSE
    assert not bt.xor_solved([0.2, 0.8, 0.8, 0.2], Y_XOR)  # all on the right side; MSE = ½·0.04 = 0.02
    assert bt.xor_solved([0.1, 0.9, 0.9, 0.1], Y_XOR)  # MSE = 0.005
    assert bt.xor_solved(np.array([[0.1], [0.9], [0.9], [0.1]]), Y_XOR.ravel())
    assert not bt.xor_solved([0.0, 1.0, 0.5, 0.0], Y_XOR)  # one output on the boundary: MSE ½·0.25/4 ≈ 0.031


def test_xor_solved_rejects_mismatched_sizes():
    with pytest.raises(ValueError, match="outputs has 3 values but y has 4"):
        bt.xor_solved([0.0, 1.0, 1.0], Y_XOR)


@pytest.mark.parametrize("seed", [1, 2])
def test_epochs_to_solve_is_the_first_solved_epoch(seed):
    history = bt._train_ours(seed, 1000)
    n = bt.epochs_to_solve(history)
    assert n is not None and n > 1
    net = bt._xor_net(seed)
    mc.train(net, X_XOR, Y_XOR, lr=2.0, epochs=n)
    assert mc.solved(net, X_XOR, Y_XOR)
    net = bt._xor_net(seed)
    mc.train(net, X_XOR, Y_XOR, lr=2.0, epochs=n - 1)
    assert not mc.solved(net, X_XOR, Y_XOR)


def test_epochs_to_solve_is_none_when_never_solved():
    assert bt.epochs_to_solve(bt._train_ours(1, 5)) is None
    history = mc.History(loss=[0.005], accuracy=[0.75])  # tiny loss, one output wrong: not solved
    assert bt.epochs_to_solve(history) is None
    with pytest.raises(ValueError, match="mse"):
        bt.epochs_to_solve(mc.History(loss_name="bce"))


# ---------------------------------------------------------------------- the answer's bare loop
@pytest.mark.parametrize("seed", [0, 1, 7])
def test_answer_loop_is_the_faithful_answer(seed):
    from mlp_course import stackoverflow

    trace = stackoverflow.train_answer(seed=seed, max_iterations=40, record_every=40)
    hw, hb, ow, ob = bt._run_answer(seed, 40)
    np.testing.assert_array_equal(hw, trace.weights[0])
    np.testing.assert_array_equal(ow, trace.weights[1])
    np.testing.assert_array_equal(hb.ravel(), trace.biases[0])
    np.testing.assert_array_equal(ob.ravel(), trace.biases[1])


def test_answer_solved_at_uses_the_same_criterion():
    """At a larger learning rate the answer solves XOR quickly; its stopping point is ours."""
    from mlp_course import stackoverflow

    trace = stackoverflow.train_answer(seed=3, learning_rate=2.0, max_iterations=1000, until_solved=True)
    assert trace.solved_at is not None
    assert trace.epochs == trace.solved_at + 1  # the benchmark times exactly this many iterations
    assert bt.xor_solved(trace.outputs[-1], Y_XOR)
    hw, hb, ow, ob = bt.answer_loop(*bt.answer_initial_parameters(3), trace.epochs, learning_rate=2.0)
    np.testing.assert_array_equal(hw, trace.weights[0])


def test_p1_reports_a_stuck_answer_without_a_ratio():
    result = bt.p1_time_to_solve(seeds=[1], repeats=1, answer_max_iterations=20, per_epoch_iterations=5)
    (row,) = result["rows"]
    assert row["answer_epochs"] is None and row["answer_s"] is None  # 20 iterations never solve XOR
    assert row["ours_epochs"] == bt.epochs_to_solve(bt._train_ours(1, 1000))
    assert row["ours_recipe_solved"] is True
    assert result["ratio_solve"] is None and result["ratio_recipe"] is None
    assert result["ours_solve_median_s"] > 0 and result["ratio_epoch"] > 0


# ------------------------------------------------------------------------------- P2, P3, plot
def test_p2_loop_and_ensemble_agree():
    result = bt.p2_ensemble(n_seeds=6, epochs=150, repeats=1)
    assert result["solved_flags_agree"] == 6
    expected = np.mean([mc.solved(_trained(s, 150), X_XOR, Y_XOR) for s in range(6)])
    assert result["success_rate"] == pytest.approx(expected)
    assert result["loop_s"] > 0 and result["ensemble_s"] > 0


def _trained(seed, epochs):
    net = bt._xor_net(seed)
    mc.train(net, X_XOR, Y_XOR, lr=2.0, epochs=epochs)
    return net


def test_matmul_epoch_computes_the_products_of_one_epoch():
    X, _ = mc.datasets.moons(7, seed=1)
    weights = mc.MLP(bt.P3_SIZES, init="xavier", seed=3).weights
    buffers = bt.matmul_buffers(7)
    bt.matmul_epoch(X, weights, buffers)
    a1 = X @ weights[0]
    a2 = a1 @ weights[1]
    a3 = a2 @ weights[2]
    d2 = a3 @ weights[2].T
    d1 = d2 @ weights[1].T
    for name, expected in {"a3": a3, "dW2": a2.T @ a3, "dW1": a1.T @ d2, "dW0": X.T @ d1}.items():
        np.testing.assert_allclose(buffers[name], expected, rtol=1e-12, atol=1e-12)


def test_sklearn_classifier_matches_our_training_setup():
    pytest.importorskip("sklearn")
    clf = bt.sklearn_classifier(epochs=7, n=50)
    assert (clf.batch_size, clf.max_iter, clf.momentum, clf.alpha) == (50, 7, 0.0, 0.0)
    assert (clf.solver, clf.learning_rate, clf.activation, clf.shuffle) == ("sgd", "constant", "tanh", False)
    assert clf.hidden_layer_sizes == tuple(bt.P3_SIZES[1:-1])


def test_p3_runs_on_tiny_sizes_and_plot_saves(tmp_path):
    p3 = bt.p3_per_epoch(ns=(4, 20), repeats=1, budget=10)
    assert [r["n"] for r in p3["rows"]] == [4, 20]
    for row in p3["rows"]:
        assert row["epochs"] >= 5 and row["matmul_s"] > 0 and row["ours_s"] >= 0
    p1 = {"answer_median_s": None, "ours_solve_median_s": 0.01, "ours_recipe_median_s": 0.05}
    p2 = {"n_seeds": 3, "epochs": 10, "loop_s": 0.2, "ensemble_s": 0.01}
    path = tmp_path / "plot.png"
    bt.plot({"p1": p1, "p2": p2, "p3": p3}, path)
    assert path.stat().st_size > 10_000


# --------------------------------------------------------------------------------- the harness
def test_harness_finds_and_resolves_benchmarks():
    assert "bench_training" in harness.available()
    assert harness.available() == sorted(harness.available())
    assert harness.resolve(["training"]) == ["bench_training"]
    assert harness.resolve(["bench_training"]) == ["bench_training"]
    assert harness.resolve([]) == harness.available()
    with pytest.raises(SystemExit, match="unknown benchmark 'nope'"):
        harness.resolve(["nope"])


def test_helpers():
    info = machine_info()
    assert info["nproc"] >= 1 and info["numpy"] == np.__version__
    assert median_time(lambda: None, repeats=3) >= 0
    with pytest.raises(ValueError, match="repeats"):
        median_time(lambda: None, repeats=0)
    assert [format_seconds(v) for v in (2.5, 0.0123, 4.5e-5, None)] == ["2.5 s", "12.3 ms", "45 µs", "n/a"]
    table = format_table(["name", "time"], [["a", "1 s"], ["long name", "10 ms"]])
    assert table.splitlines()[0] == "name        time"
    assert table.splitlines()[3] == "long name  10 ms"


# ------------------------------------------------------------------------ S1, S2 (bench_core)
def test_hand_written_xor_epoch_is_mc_train():
    """The floors of S1 compute what mc.train computes (the same steps; with record, the same losses)."""
    from benchmarks import bench_core as bc

    net = bc._xor_net()
    history = mc.train(net, X_XOR, Y_XOR, lr=bc.XOR_LR, epochs=30)
    params, losses = bc.hand_written_xor(30, record=True)
    for mine, theirs in zip(params, net.parameters):
        np.testing.assert_allclose(mine, theirs, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(losses, history.loss, rtol=1e-12)
    bare, no_losses = bc.hand_written_xor(30, record=False)
    assert no_losses == []
    for mine, theirs in zip(bare, params):
        np.testing.assert_array_equal(mine, theirs)
    as_train, as_train_losses = bc.hand_written_xor_as_train(30)
    for mine, theirs in zip(as_train, net.parameters):
        np.testing.assert_allclose(mine, theirs, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(as_train_losses, history.loss, rtol=1e-12)


def test_hand_written_xor_as_train_runs_the_whole_benchmark_like_mc_train():
    """Over the benchmark's 1000 epochs the by-hand copy of train's loop records what mc.train records:
    every epoch (its divergence test never stops it early), the same losses."""
    from benchmarks import bench_core as bc

    history = mc.train(bc._xor_net(), X_XOR, Y_XOR, lr=bc.XOR_LR, epochs=1000)
    _, losses = bc.hand_written_xor_as_train(1000)
    assert len(losses) == history.epochs == 1000
    np.testing.assert_allclose(losses, history.loss, rtol=1e-10)


def test_torch_epoch_is_mc_epoch():
    """S2's PyTorch contender runs the same maths as mc.train: same start, same step."""
    pytest.importorskip("torch")
    from benchmarks import bench_core as bc

    X, y = mc.datasets.moons(64, noise=0.2, seed=1)
    net = bc.moons_net()
    epoch, model = bc.torch_epoch_function(net.copy(), X, y, threads=1)
    loss_before = epoch()
    history = mc.train(net, X, y, lr=bc.MOONS_LR, epochs=1, loss="bce")
    assert loss_before == pytest.approx(history.start_loss, rel=1e-12)
    linears = [m for m in model if hasattr(m, "weight")]
    for layer, W, b in zip(linears, net.weights, net.biases):
        np.testing.assert_allclose(layer.weight.detach().numpy().T, W, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(layer.bias.detach().numpy(), b, rtol=1e-10, atol=1e-12)


def test_core_benchmark_runs_quick(capsys):
    from benchmarks import bench_core as bc

    result = bc.main(quick=True)
    out = capsys.readouterr().out
    assert "mc.train (History recorded)" in out and "NumPy by hand" in out
    assert "scikit-learn MLPClassifier.partial_fit" in out and "PyTorch CPU float64, 2 threads" in out
    assert result["xor"]["mc.train_s"] > 0 and result["xor"]["ratio_bare"] > 0
    assert result["moons"]["mc.train_s"] >= 0


def test_best_of_keeps_each_contenders_minimum():
    from benchmarks import bench_core as bc

    values = {"a": iter([9.0, 3.0, 5.0, 4.0]), "b": iter([1.0, 2.0, 0.5, 7.0])}
    best = bc.best_of({name: (lambda it=it: next(it)) for name, it in values.items()}, rounds=3)
    assert best == {"a": 3.0, "b": 0.5}  # the first (warm-up) call is not counted
