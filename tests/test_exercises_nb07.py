"""Exercises of notebook 07: each check accepts the reference solution and rejects typical wrong
answers with a hint that names the mistake (and never gives the answer)."""

import json
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from exercise_asserts import assert_not_yet

import mlp_course as mc
from mlp_course.exercises import nb07
from mlp_course.teacher.solutions.nb07 import (  # the reference solutions' one home
    best_epoch,
    minibatches,
    net,
)

ex = mc.exercises
NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "07_beyond_xor.ipynb"


# ================================================================================================
def trained_spiral_net():
    return net


_rerun_experiment = nb07._overfitting_histories


@cache
def overfitting_histories():
    return _rerun_experiment()


def test_reference_solutions_pass():
    for result in (
        ex.check_spiral_network(trained_spiral_net()),
        ex.check_early_stopping_epoch(best_epoch),
        ex.check_minibatches(minibatches),
    ):
        assert result.passed and str(result).startswith("✓ passed"), result


CHECKS = [ex.check_spiral_network, ex.check_early_stopping_epoch, ex.check_minibatches]


@pytest.mark.parametrize("check", CHECKS)
@pytest.mark.parametrize("answer", [..., None])
def test_untouched_cells_say_not_yet_without_raising(check, answer):
    assert_not_yet(check(answer), "`...`")


def test_unfinished_function_says_not_yet():
    assert_not_yet(ex.check_minibatches(lambda n, batch_size, rng: None), "return")
    assert_not_yet(ex.check_minibatches(lambda n, batch_size, rng: ...), "`...`")


def test_learner_exceptions_become_hints():
    def broken(n, batch_size, rng):
        raise IndexError("index 10 is out of bounds for axis 0 with size 10")

    assert_not_yet(ex.check_minibatches(broken), "raised IndexError", "out of bounds")


def test_the_notebook_solution_is_what_the_check_rebuilds():
    assert nb07.SPIRAL_SPLIT == {"dataset": "spiral", "n": 300, "noise": 0.05, "test_fraction": 0.3, "seed": 0}
    mine, theirs = mc.experiments.make_split("spiral", n=300, noise=0.05, seed=0), mc.experiments.make_split(
        **nb07.SPIRAL_SPLIT)
    assert np.array_equal(mine.X_train, theirs.X_train) and np.array_equal(mine.y_train, theirs.y_train)


# ------------------------------------------------------------------------------------------------
# 7.1 spiral_network
def _trained(sizes, activation="tanh", epochs=300, lr=1.0, init="xavier", **net_options):
    spiral = mc.experiments.make_split(**nb07.SPIRAL_SPLIT)
    net = mc.MLP(sizes, activation, init=init, **net_options, seed=0)
    mc.train(net, spiral.X_train, spiral.y_train, lr=lr, epochs=epochs, loss="bce")
    return net


@cache
def _memoriser():
    """Random sharp tanh features, a wide layer: fits every training point, generalises poorly."""
    return _trained([2, 256, 1], init="normal", init_scale=20.0, epochs=1500)


SPIRAL_WRONG = {
    "the History": (lambda: mc.train(mc.MLP([2, 4, 1], seed=0), *mc.datasets.xor(), epochs=1), "History"),
    "a list of weights": (lambda: [np.zeros((2, 8))], "list"),
    "untrained": (lambda: mc.MLP([2, 8, 8, 1], seed=0), "coin toss", "mc.train"),
    "three inputs": (lambda: mc.MLP([3, 8, 1], seed=0), "sizes must start with 2"),
    "two outputs": (lambda: mc.MLP([2, 8, 2], seed=0), "end with 1"),
    "one layer (underfits)": (lambda: _trained([2, 24, 1], epochs=2000), "underfitting", "layers"),
    "sigmoid units (underfit)": (lambda: _trained([2, 8, 8, 1], "sigmoid", epochs=500), "underfitting"),
    "memorised": (_memoriser, "memorised", "overfitting"),
}


@pytest.mark.parametrize("name", sorted(SPIRAL_WRONG))
def test_spiral_network_rejects(name):
    make, *words = SPIRAL_WRONG[name]
    assert_not_yet(ex.check_spiral_network(make()), *words)


def test_spiral_network_memoriser_really_fits_its_training_points():
    spiral = mc.experiments.make_split(**nb07.SPIRAL_SPLIT)
    assert mc.accuracy(_memoriser(), spiral.X_train, spiral.y_train) >= 0.95


def test_spiral_network_with_nan_parameters_says_diverged():
    net = trained_spiral_net().copy()
    net.weights[0][0, 0] = np.nan
    assert_not_yet(ex.check_spiral_network(net), "diverged")


def test_spiral_network_judges_new_points_not_the_training_set():
    spiral = mc.experiments.make_split(**nb07.SPIRAL_SPLIT)
    X_new, _ = mc.datasets.spiral(**nb07.FRESH_SPIRAL)
    assert not any(np.any(np.all(np.isclose(X_new, x), axis=1)) for x in spiral.X_train)
    result = ex.check_spiral_network(trained_spiral_net())
    assert "1000 new spiral points" in result.message


# ------------------------------------------------------------------------------------------------
# 7.2 early_stopping_epoch
@pytest.fixture
def experiment_once(monkeypatch):
    """The check reruns the notebook's experiment on every call (0.5-1 s); these tests reuse one rerun.
    (test_reference_solutions_pass and test_early_stopping_recomputes_the_experiment use the real one.)"""
    monkeypatch.setattr(nb07, "_overfitting_histories", overfitting_histories)


def test_early_stopping_accepts_a_window_around_the_lowest_test_loss_and_nothing_far_away(experiment_once):
    val_loss = np.array(overfitting_histories()["big"].val_loss)
    best = best_epoch
    assert 50 < best < len(val_loss) // 2, "the notebook's story needs an early minimum"
    assert val_loss[-1] > 3 * val_loss.min(), "the notebook says the test loss more than triples"
    inside = np.flatnonzero(val_loss <= val_loss.min() * (1 + nb07.EARLY_STOPPING_TOLERANCE)) + 1
    for epoch in (best, best - 1, best + 1, inside.min(), inside.max(), np.int64(best), float(best)):
        assert ex.check_early_stopping_epoch(epoch), epoch
    assert not ex.check_early_stopping_epoch(int(inside.min()) - 1)
    assert not ex.check_early_stopping_epoch(int(inside.max()) + 1)


def test_early_stopping_recomputes_the_experiment(monkeypatch):
    """Never a stored answer: change the experiment and the accepted epoch moves with it."""
    best = best_epoch
    monkeypatch.setitem(nb07.OVERFITTING_RUNS, "big", {"sizes": [2, 32, 32, 1], "lr": 0.6, "epochs": 1000})
    monkeypatch.setitem(nb07.OVERFITTING_RUNS, "small", {"sizes": [2, 4, 1], "lr": 0.3, "epochs": 300})
    moved = int(np.argmin(nb07._overfitting_histories()["big"].val_loss)) + 1
    assert abs(moved - best) > 100
    assert ex.check_early_stopping_epoch(moved)
    assert not ex.check_early_stopping_epoch(best)


def _early_wrong():
    histories = overfitting_histories()
    big, small = histories["big"], histories["small"]
    best = best_epoch
    return {
        "last epoch": (len(big.val_loss), "*training* loss"),
        "lowest training loss": (int(np.argmin(big.loss)) + 1, "*training* loss"),
        "highest test loss": (int(np.argmax(big.val_loss)) + 1, "*training* loss"),  # the last epoch here
        "small network": (int(np.argmin(small.val_loss)) + 1, "small [2, 4, 1]"),
        "best accuracy": (int(np.argmax(big.val_accuracy)) + 1, "*accuracy*"),
        "far too early": (10, "still falling"),
        "too late": (best * 2, "already rising"),
        "zero": (0, "outside the run"),
        "beyond the run": (len(big.val_loss) + 1, "outside the run"),
        "not whole": (best + 0.5, "whole number"),
        "a string": (str(best), "must be a number"),
        "a list": ([best], "must be a number"),
        "a bool": (True, "must be a number"),
    }


@pytest.mark.parametrize("name", ["last epoch", "lowest training loss", "highest test loss", "small network",
                                  "best accuracy", "far too early", "too late", "zero", "beyond the run",
                                  "not whole", "a string", "a list", "a bool"])
def test_early_stopping_rejects(name, experiment_once):
    answer, word = _early_wrong()[name]
    result = ex.check_early_stopping_epoch(answer)
    assert_not_yet(result, word)
    assert str(best_epoch) not in result.message or name in ("not whole", "a string")  # never the answer


def test_early_stopping_names_the_highest_test_loss_when_it_is_not_the_last_epoch(monkeypatch):
    fake = mc.History(loss=[3.0, 2.0, 1.0, 0.5, 0.4], val_loss=[1.0, 0.5, 2.0, 1.5, 1.2], val_accuracy=[0.5] * 5)
    small = mc.History(loss=[1.0] * 5, val_loss=[0.5, 0.4, 0.45, 0.5, 0.6], val_accuracy=[0.5] * 5)
    monkeypatch.setattr(nb07, "_overfitting_histories", lambda: {"big": fake, "small": small})
    assert ex.check_early_stopping_epoch(2)
    assert_not_yet(ex.check_early_stopping_epoch(3), "highest")


# ------------------------------------------------------------------------------------------------
# 7.3 minibatches
def _drop_last(n, batch_size, rng):
    order = rng.permutation(n)
    return [order[s:s + batch_size] for s in range(0, n - batch_size + 1, batch_size)]


MINIBATCHES_WRONG = {
    "drops the last partial batch": (_drop_last, "partial batch is missing"),
    "not shuffled": (lambda n, b, rng: [np.arange(n)[s:s + b] for s in range(0, n, b)], "in order"),
    "draws with repeats": (lambda n, b, rng: [rng.integers(0, n, n)[s:s + b] for s in range(0, n, b)], "twice"),
    "array_split into n // b pieces": (lambda n, b, rng: np.array_split(rng.permutation(n), max(n // b, 1)),
                                       "sizes"),
    "global np.random": (lambda n, b, rng: minibatches(n, b, np.random.default_rng()), "np.random"),
    "fixed seed": (lambda n, b, rng: minibatches(n, b, np.random.default_rng(0)), "no fixed seed"),
    "one based": (lambda n, b, rng: [batch + 1 for batch in minibatches(n, b, rng)], "from 0 to"),
    "flat array": (lambda n, b, rng: rng.permutation(n), "flat array"),
    "float indices": (lambda n, b, rng: [batch.astype(float) for batch in minibatches(n, b, rng)], "integers"),
    "batches of 2-D arrays": (lambda n, b, rng: [batch[:, None] for batch in minibatches(n, b, rng)], "1-D"),
    "not iterable": (lambda n, b, rng: 3, "list of index arrays"),
    "loses samples": (lambda n, b, rng: [batch[:-1] if len(batch) > 1 else batch for batch in minibatches(n, b, rng)],
                      "of the"),
    "extra empty batch": (lambda n, b, rng: [*minibatches(n, b, rng), np.array([], dtype=int)], "sizes"),
    "range(0, n - 1, b) drops a last batch of one": (
        lambda n, b, rng: (lambda order: [order[s:s + b] for s in range(0, n - 1, b)])(rng.permutation(n)),
        "partial batch is missing"),
    "range(1, n, b) skips the first sample": (
        lambda n, b, rng: (lambda order: [order[s:s + b] for s in range(1, n, b)])(rng.permutation(n)), "of the"),
    "range(0, n + 1, b)": (
        lambda n, b, rng: (lambda order: [order[s:s + b] for s in range(0, n + 1, b)])(rng.permutation(n)), "sizes"),
    "batches one too short": (
        lambda n, b, rng: (lambda order: [order[s:s + b - 1] for s in range(0, n, b)])(rng.permutation(n)), "of the"),
    "permutation of n − 1": (lambda n, b, rng: minibatches(n - 1, b, rng), "of the"),
    "permutation of n + 1": (lambda n, b, rng: minibatches(n + 1, b, rng), "from 0 to"),
    "the same batches, shuffled inside": (
        lambda n, b, rng: [rng.permutation(np.arange(n)[s:s + b]) for s in range(0, n, b)], "same batches"),
    "array_split into ceil(n / b) pieces": (
        lambda n, b, rng: np.array_split(rng.permutation(n), -(-n // b)), "sizes"),
    "an endless generator": (lambda n, b, rng: (rng.permutation(n) for _ in iter(int, 1)), "more than"),
}


@pytest.mark.parametrize("name", sorted(MINIBATCHES_WRONG))
def test_minibatches_rejects(name):
    """Including the off-by-one, order and broadcasting variants: each is "not yet"."""
    answer, word = MINIBATCHES_WRONG[name]
    assert_not_yet(ex.check_minibatches(answer), word)


def test_minibatches_accepts_other_correct_answers():
    def shuffled_in_place(n, batch_size, rng):
        indices = np.arange(n)
        rng.shuffle(indices)
        return np.array_split(indices, range(batch_size, n, batch_size))

    def generator(n, batch_size, rng):
        order = rng.permutation(n)
        yield from (order[i:i + batch_size] for i in range(0, n, batch_size))

    assert ex.check_minibatches(shuffled_in_place)
    assert ex.check_minibatches(generator)
    assert ex.check_minibatches(lambda n, b, rng: tuple(minibatches(n, b, rng)))


def test_minibatches_reference_gives_the_batches_mc_train_uses():
    """The reference solution reproduces mc.train's own shuffling: same seed, same steps, same net."""
    X, y = mc.datasets.moons(n=50, noise=0.1, seed=0)
    trained = mc.MLP([2, 4, 1], seed=0)
    mc.train(trained, X, y, lr=0.5, epochs=2, batch_size=8, seed=3, loss="bce")
    by_hand, rng = mc.MLP([2, 4, 1], seed=0), np.random.default_rng(3)
    for _ in range(2):
        for batch in minibatches(len(X), 8, rng):
            _, d_weights, d_biases = by_hand.gradients(X[batch], y[batch], "bce")
            for p, d in zip(by_hand.weights + by_hand.biases, d_weights + d_biases):
                p -= 0.5 * d
    for a, b in zip(trained.parameters, by_hand.parameters):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


# ------------------------------------------------------------------------------------------------
def test_the_notebook_holds_the_unsolved_exercises_and_their_not_yet_outputs():
    cells = json.loads(NOTEBOOK.read_text())["cells"]
    sources = ["".join(c["source"]) for c in cells]
    for name, answer in (("spiral_network", "net"), ("early_stopping_epoch", "best_epoch"),
                         ("minibatches", "minibatches")):
        skeleton = [s for s in sources if s.startswith("# YOUR CODE") and (f"{answer} = ..." in s
                                                                            or f"def {answer}(" in s)]
        assert len(skeleton) == 1, name
        assert skeleton[0].rstrip().endswith("..."), name  # unsolved
        check = [c for c in cells if c["cell_type"] == "code" and f"check_{name}({answer})" in "".join(c["source"])]
        assert len(check) == 1, name
        text = "".join("".join(out.get("data", {}).get("text/plain", "")) for out in check[0]["outputs"])
        assert text.startswith(f"✗ not yet ({name})"), (name, text)


def test_the_notebook_runs_the_experiments_the_checks_rebuild():
    source = "\n".join("".join(c["source"]) for c in json.loads(NOTEBOOK.read_text())["cells"])
    assert 'spiral = make_split("spiral", n=300, noise=0.05, seed=0)' in source
    assert 'circle = make_split("circle", n=60, noise=0.25, test_fraction=0.5, seed=1)' in source
    assert 'run(circle, [2, 32, 32, 1], lr=0.3, epochs=3000, label="big")' in source
    assert 'run(circle, [2, 4, 1], lr=0.3, epochs=3000, label="small")' in source
    assert nb07.OVERFITTING_SPLIT == {"dataset": "circle", "n": 60, "noise": 0.25, "test_fraction": 0.5, "seed": 1}
    assert nb07.OVERFITTING_RUNS == {"big": {"sizes": [2, 32, 32, 1], "lr": 0.3, "epochs": 3000},
                                     "small": {"sizes": [2, 4, 1], "lr": 0.3, "epochs": 3000}}


def test_minibatches_cases_include_a_last_batch_of_one_sample():
    assert any(n % b == 1 for n, b in nb07.MINIBATCH_CASES)
