"""Training: the definition of full-batch GD, mini-batches, divergence, the XOR recipe."""

import warnings

import numpy as np
import pytest

import mlp_course as mc


def hand_written_gd(net, X, y, lr, epochs, loss):
    """The definition: each epoch is one step W -= lr·dW, b -= lr·db for every layer."""
    losses = []
    for _ in range(epochs):
        _, dW, db = net.gradients(X, y, loss)
        for l in range(len(net.weights)):
            net.weights[l] = net.weights[l] - lr * dW[l]
            net.biases[l] = net.biases[l] - lr * db[l]
        losses.append(net.loss(X, y, loss))
    return losses


@pytest.mark.parametrize("loss", ["mse", "bce"])
@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_full_batch_training_equals_the_definition(loss, activation):
    X, y = mc.datasets.circle(n=30, noise=0.1, seed=1)
    a = mc.MLP([2, 5, 3, 1], activation=activation, seed=4)
    b = a.copy()
    history = mc.train(a, X, y, lr=0.5, epochs=25, loss=loss)
    expected_losses = hand_written_gd(b, X, y, lr=0.5, epochs=25, loss=loss)
    np.testing.assert_allclose(history.loss, expected_losses, rtol=1e-12)
    for p, q in zip(a.parameters, b.parameters):
        np.testing.assert_allclose(p, q, rtol=1e-12, atol=1e-15)


def test_history_records_loss_after_each_epoch_and_accuracy(xor):
    X, y = xor
    net = mc.MLP([2, 4, 1], seed=0)
    history = mc.train(net, X, y, lr=2.0, epochs=10)
    assert history.epochs == 10 and len(history.accuracy) == 10
    assert history.loss[-1] == pytest.approx(net.loss(X, y), rel=1e-14)
    assert history.accuracy[-1] == mc.accuracy(net, X, y)
    assert history.val_loss == [] and not history.diverged
    assert "epochs=10" in repr(history)


def test_zero_epochs_changes_nothing(xor):
    X, y = xor
    net = mc.MLP([2, 4, 1], seed=0)
    before = [p.copy() for p in net.parameters]
    history = mc.train(net, X, y, epochs=0)
    assert history.epochs == 0
    for p, q in zip(before, net.parameters):
        np.testing.assert_array_equal(p, q)


def test_mini_batches_step_once_per_batch_on_shuffled_data():
    X, y = mc.datasets.moons(n=10, noise=0.0, seed=0)
    a = mc.MLP([2, 3, 1], seed=1)
    b = a.copy()
    mc.train(a, X, y, lr=0.3, epochs=2, batch_size=4, seed=9)
    rng = np.random.default_rng(9)
    for _ in range(2):
        order = rng.permutation(10)
        for start in range(0, 10, 4):
            rows = order[start:start + 4]
            _, dW, db = b.gradients(X[rows], y[rows])
            for l in range(2):
                b.weights[l] -= 0.3 * dW[l]
                b.biases[l] -= 0.3 * db[l]
    for p, q in zip(a.parameters, b.parameters):
        np.testing.assert_allclose(p, q, rtol=1e-13)


def test_batch_size_at_least_n_is_full_batch(xor):
    X, y = xor
    a, b = mc.MLP([2, 3, 1], seed=2), mc.MLP([2, 3, 1], seed=2)
    np.testing.assert_allclose(mc.train(a, X, y, epochs=5, batch_size=4).loss, mc.train(b, X, y, epochs=5).loss,
                               rtol=1e-13)


def test_same_seed_same_training():
    X, y = mc.datasets.spiral(n=40, seed=3)
    runs = [mc.train(mc.MLP([2, 6, 1], seed=0), X, y, lr=0.5, epochs=20, batch_size=8, seed=5).loss for _ in range(2)]
    assert runs[0] == runs[1]


def test_validation_data_is_evaluated_not_trained_on():
    X, y = mc.datasets.gauss(n=40, seed=0)
    X_tr, X_te, y_tr, y_te = mc.datasets.train_test_split(X, y, test_fraction=0.25, seed=0)
    a, b = mc.MLP([2, 3, 1], seed=0), mc.MLP([2, 3, 1], seed=0)
    h = mc.train(a, X_tr, y_tr, lr=1.0, epochs=15, X_val=X_te, y_val=y_te)
    h_plain = mc.train(b, X_tr, y_tr, lr=1.0, epochs=15)
    assert h.loss == h_plain.loss
    assert len(h.val_loss) == 15 and h.val_loss[-1] == pytest.approx(a.loss(X_te, y_te), rel=1e-14)
    assert len(h.val_accuracy) == 15


def test_divergence_stops_training_and_keeps_finite_weights():
    X, y = mc.datasets.gauss(n=20, seed=0)
    X = X * 1e3  # huge inputs and a linear output: the loss explodes within a few steps
    net = mc.MLP([2, 8, 1], activation="relu", output_activation="linear", seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = mc.train(net, X, y, lr=10.0, epochs=500)
    assert history.diverged
    assert history.diverged_at == history.epochs  # the epoch that broke it is not recorded
    assert history.epochs < 500
    assert all(np.all(np.isfinite(p)) for p in net.parameters)
    assert all(np.isfinite(history.loss))
    assert f"diverged at epoch {history.diverged_at + 1}" in repr(history)  # printed from 1


def test_xor_default_recipe_solves_at_least_90_percent_of_seeds(xor):
    """The documented default (mc.XOR_DEFAULTS, also train's defaults) on seeds 0–49."""
    X, y = xor
    d = mc.XOR_DEFAULTS
    solved = 0
    for seed in range(50):
        net = mc.MLP(d["sizes"], activation=d["activation"], output_activation=d["output_activation"], seed=seed)
        mc.train(net, X, y)  # train's own defaults are the recipe's lr and epochs
        solved += mc.solved(net, X, y)
    assert solved >= 45, f"only {solved}/50 seeds solved XOR"


def test_solved_criterion(xor):
    X, y = xor
    perfect = mc.MLP.from_parameters([np.array([[20.0, 20.0], [20.0, 20.0]]), np.array([[20.0], [-20.0]])],
                                     [np.array([-10.0, -30.0]), np.array([-10.0])], activation="sigmoid")
    assert mc.solved(perfect, X, y)
    assert not mc.solved(mc.MLP([2, 2, 1], seed=0), X, y)
    assert mc.accuracy(perfect, X, y) == 1.0


# ------------------------------------------------------------------------------ divergence
def test_the_playgrounds_example_diverges_at_epoch_6(xor):
    """lr 10 with BCE: the loss rises from 0.67 above 3 × its start; the playground (and nb06) say
    "diverged at epoch 6". Before one definition, train said diverged=False."""
    X, y = xor
    net = mc.MLP([2, 4, 1], seed=1)
    history = mc.train(net, X, y, lr=10, loss="bce")
    assert history.diverged and history.diverged_at == 5 and history.diverged_epoch == 6
    assert history.epochs == 5 and "diverged at epoch 6" in repr(history)
    assert history.start_loss == pytest.approx(mc.MLP([2, 4, 1], seed=1).loss(X, y, "bce"), rel=1e-15)
    assert all(loss <= mc.criteria.divergence_limit(history.start_loss) for loss in history.loss)
    # The network keeps the parameters from before the diverging epoch: those of 5 clean epochs.
    five = mc.MLP([2, 4, 1], seed=1)
    assert not mc.train(five, X, y, lr=10, epochs=5, loss="bce").diverged
    for p, q in zip(net.parameters, five.parameters):
        np.testing.assert_array_equal(p, q)
    assert net.loss(X, y, "bce") == history.loss[-1]


@pytest.mark.parametrize("lr", [100, 1e3, 1e10, 1e100, 1e300])
def test_huge_learning_rates_diverge_with_bce(lr, xor):
    X, y = xor
    for seed in range(3):
        net = mc.MLP([2, 4, 1], seed=seed)
        start = [p.copy() for p in net.parameters]
        history = mc.train(net, X, y, lr=lr, epochs=50, loss="bce")
        assert history.diverged, (lr, seed)
        assert all(np.all(np.isfinite(p)) for p in net.parameters)
        if history.diverged_at == 0:  # the first step already diverged: the untrained network is kept
            for p, q in zip(net.parameters, start):
                np.testing.assert_array_equal(p, q)


def test_a_loss_just_below_the_limit_is_not_divergence(xor, monkeypatch):
    X, y = xor
    net = mc.MLP([2, 4, 1], seed=1)
    history = mc.train(net.copy(), X, y, lr=10, epochs=5, loss="bce")
    highest = max(history.loss)  # 1.52, at epoch 1: above 2 × start, below 3 ×
    assert 2 * history.start_loss < highest < 3 * history.start_loss
    monkeypatch.setattr(mc.criteria, "DIVERGENCE_FACTOR", highest / history.start_loss * 0.999)
    assert mc.train(net.copy(), X, y, lr=10, epochs=5, loss="bce").diverged_at == 1


def test_start_loss_sets_the_reference_of_a_continued_run(xor):
    X, y = xor
    net = mc.MLP([2, 4, 1], seed=1)
    first = mc.train(net, X, y, lr=10, epochs=2, loss="bce")  # loss 0.67 -> 0.69 -> 1.52
    assert not first.diverged
    # continued from 1.52 with its own start the next epochs look fine; against the run's start they diverge
    assert not mc.train(net.copy(), X, y, lr=10, epochs=3, loss="bce").diverged
    again = mc.train(net.copy(), X, y, lr=10, epochs=3, loss="bce", start_loss=0.3)
    assert again.diverged and again.start_loss == 0.3


@pytest.mark.parametrize(("value", "error"), [(-0.1, ValueError), (float("nan"), ValueError),
                                              (float("inf"), ValueError), (10**400, ValueError),
                                              ("0.5", TypeError), (True, TypeError)])
def test_start_loss_is_checked(value, error, xor):
    X, y = xor
    with pytest.raises(error, match="start_loss"):
        mc.train(mc.MLP([2, 4, 1], seed=0), X, y, epochs=1, start_loss=value)


def test_a_non_finite_weight_is_divergence_even_when_the_loss_is_finite(monkeypatch):
    """tanh saturates: an infinite first-layer weight can leave the loss finite. train still stops
    and keeps the parameters from before that epoch."""
    X = np.array([[1.0, 2.0], [2.0, 1.0], [1.5, 0.5], [0.5, 1.5]])  # no zeros: inf·x is ±inf, not NaN
    y = np.array([0.0, 1.0, 1.0, 0.0])
    step = mc.training._step
    calls = []

    def step_then_break(net, gradients, lr):
        step(net, gradients, lr)
        calls.append(1)
        if len(calls) == 4:
            net.weights[0] = net.weights[0].copy()
            net.weights[0][0, 0] = np.inf

    monkeypatch.setattr(mc.training, "_step", step_then_break)
    net = mc.MLP([2, 3, 1], seed=0)
    history = mc.train(net, X, y, lr=0.5, epochs=10)
    assert history.diverged and history.diverged_at == 3 and history.epochs == 3
    assert all(np.all(np.isfinite(p)) for p in net.parameters)
    with np.errstate(all="ignore"):
        broken = mc.MLP.from_parameters([net.weights[0].copy(), net.weights[1]], net.biases)
        broken.weights[0][0, 0] = np.inf
        assert np.isfinite(broken.loss(X, y))  # the loss alone would not have told


def test_all_finite_is_exact():
    assert mc.training._all_finite([np.ones((2, 2)), np.zeros(3)])
    assert mc.training._all_finite([np.full(3, 1e200)])  # its squares overflow; the exact test decides
    for bad in (np.inf, -np.inf, np.nan):
        assert not mc.training._all_finite([np.ones(2), np.array([1.0, bad])])


@pytest.mark.parametrize("dataset", ["moons", "spiral"])
@pytest.mark.parametrize("loss", ["mse", "bce"])
def test_noisy_mini_batch_training_is_not_divergence(dataset, loss):
    """Batches of 8 make the loss jump about from epoch to epoch; that is not divergence."""
    X, y = getattr(mc.datasets, dataset)(n=120, seed=0)
    for seed in range(4):
        net = mc.MLP([2, 8, 8, 1], seed=seed, init="xavier")
        history = mc.train(net, X, y, lr=1.0, epochs=40, loss=loss, batch_size=8, seed=seed)
        assert not history.diverged, (dataset, loss, seed, history)
        assert np.std(np.diff(history.loss)) > 0  # it did move


def test_overflowing_inputs_diverge_at_the_first_epoch_without_a_warning():
    X = np.array([[1e308, -1e308], [1e308, 1e308], [1.0, 2.0], [0.5, 0.5]])
    net = mc.MLP([2, 4, 1], "relu", init_scale=10, seed=0)
    start = [p.copy() for p in net.parameters]
    history = mc.train(net, X, [0, 1, 1, 0], epochs=5)
    assert history.diverged and history.diverged_at == 0 and np.isnan(history.start_loss)
    for p, q in zip(net.parameters, start):
        np.testing.assert_array_equal(p, q)


# ------------------------------------------------------------------------------ validation
@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"X_val": np.ones((2, 3)), "y_val": np.ones(2)}, ValueError, "X_val has 3 features"),
        ({"X_val": np.ones((2, 2)), "y_val": np.ones(3)}, ValueError, "y_val has 3 samples .* but X_val has 2"),
        ({"X_val": np.ones((2, 2)), "y_val": np.ones((2, 2))}, ValueError, "y_val has 2 columns"),
        ({"X_val": np.ones((2, 2)), "y_val": [0.0, np.nan]}, ValueError, "y_val contains 1 NaN"),
        ({"X_val": [[0.0, np.inf], [1, 1]], "y_val": [0, 1]}, ValueError, "X_val contains 1 NaN"),
        ({"X_val": np.ones((2, 2)), "y_val": ["a", "b"]}, TypeError, "y_val must be a numeric array"),
        ({"X_val": np.ones((2, 2))}, ValueError, "pass X_val and y_val together"),
        ({"X_val": np.ones((2, 2)), "y_val": [0.0, 2.0], "loss": "bce"}, ValueError, r"y_val must lie in \[0, 1\]"),
        ({"seed": -1}, ValueError, "seed must be an integer from 0 to 2\\*\\*63 - 1"),
        ({"seed": 2**63}, ValueError, "seed must be an integer from 0"),
        ({"seed": 1.5}, TypeError, "seed must be an integer"),
        ({"lr": 10**400}, ValueError, "lr must be a positive finite number, got an integer too large"),
        ({"lr": float("nan")}, ValueError, "lr must be a positive finite number"),
    ],
)
def test_bad_training_arguments_are_named(kwargs, error, match, xor):
    X, y = xor
    with pytest.raises(error, match=match):
        mc.train(mc.MLP([2, 3, 1], seed=0), X, y, epochs=1, **kwargs)


def test_seeds_accepted_like_mlp(xor):
    X, y = xor
    for seed in (None, 0, 2**63 - 1, np.int64(5)):
        assert mc.train(mc.MLP([2, 3, 1], seed=0), X, y, epochs=2, batch_size=2, seed=seed).epochs == 2


def test_solved_is_the_criteria_definition(xor):
    X, y = xor
    for seed in range(6):
        net = mc.MLP([2, 4, 1], seed=seed)
        mc.train(net, X, y, epochs=300)
        expected = mc.criteria.solved_outputs(net.forward(X), y, net.decision_threshold)
        assert mc.solved(net, X, y) == bool(expected)
