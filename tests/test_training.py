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
