"""The MLP: shapes, initialisation, and backprop against central finite differences."""

import numpy as np
import pytest

import mlp_course as mc
from mlp_course.gradcheck import numerical_gradients

HIDDEN_ACTIVATIONS = ["sigmoid", "tanh", "relu", "linear"]


def random_problem(sizes, seed, loss):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(7, sizes[0]))
    y = rng.random((7, sizes[-1])) if loss == "bce" else rng.normal(size=(7, sizes[-1]))
    return X, y


@pytest.mark.parametrize("activation", HIDDEN_ACTIVATIONS)
@pytest.mark.parametrize("loss", ["mse", "bce"])
@pytest.mark.parametrize("hidden", [[4], [4, 3], [3, 4, 2]], ids=["1hidden", "2hidden", "3hidden"])
def test_gradients_match_central_differences(activation, loss, hidden):
    """Every activation × loss × depth, float64.

    Tolerance: central differences with h = 1e-6 carry truncation error O(h²) ≈ 1e-12 and
    round-off ≈ 1e-16·|L|/h ≈ 1e-10, so the numeric gradient is good to ~1e-9 absolute. We require
    |analytic − numeric| ≤ 1e-7 + 1e-6·|numeric|; a real mistake (a missing σ' factor, a wrong
    sign, a transpose) is off by 1e-2 or more. Random data keeps relu away from its kink.
    """
    sizes = [3, *hidden, 2]
    net = mc.MLP(sizes, activation=activation, output_activation="sigmoid", seed=1)
    X, y = random_problem(sizes, seed=2, loss=loss)
    _, d_weights, d_biases = net.gradients(X, y, loss=loss)
    analytic = [g for pair in zip(d_weights, d_biases) for g in pair]
    numeric = numerical_gradients(lambda: net.loss(X, y, loss), net.parameters, h=1e-6)
    for a, n in zip(analytic, numeric):
        np.testing.assert_allclose(a, n, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("output_activation", ["tanh", "relu", "linear"])
def test_mse_gradients_with_other_output_activations(output_activation):
    net = mc.MLP([2, 5, 3], activation="tanh", output_activation=output_activation, seed=3)
    X, y = random_problem([2, 5, 3], seed=4, loss="mse")
    _, d_weights, d_biases = net.gradients(X, y)
    numeric = numerical_gradients(lambda: net.loss(X, y), net.parameters)
    for a, n in zip([g for pair in zip(d_weights, d_biases) for g in pair], numeric):
        np.testing.assert_allclose(a, n, rtol=1e-6, atol=1e-7)


def test_shapes(xor):
    X, y = xor
    net = mc.MLP([2, 4, 3, 1], seed=0)
    assert [W.shape for W in net.weights] == [(2, 4), (4, 3), (3, 1)]
    assert [b.shape for b in net.biases] == [(4,), (3,), (1,)]
    assert net.forward(X).shape == (4, 1)
    assert net.predict(X).shape == (4, 1)
    assert set(np.unique(net.predict(X))) <= {0, 1}
    loss, dW, db = net.gradients(X, y)
    assert isinstance(loss, float)
    assert [g.shape for g in dW] == [W.shape for W in net.weights]
    assert [g.shape for g in db] == [b.shape for b in net.biases]
    assert net.n_parameters == 2 * 4 + 4 + 4 * 3 + 3 + 3 + 1


def test_forward_is_the_documented_formula(xor):
    X, _ = xor
    net = mc.MLP([2, 3, 1], activation="tanh", output_activation="sigmoid", seed=5)
    hidden = np.tanh(X @ net.weights[0] + net.biases[0])
    expected = 1 / (1 + np.exp(-(hidden @ net.weights[1] + net.biases[1])))
    np.testing.assert_allclose(net.forward(X), expected, rtol=1e-14)


def test_initialisation():
    a, b = mc.MLP([2, 4, 1], seed=7), mc.MLP([2, 4, 1], seed=7)
    for p, q in zip(a.parameters, b.parameters):
        np.testing.assert_array_equal(p, q)
    assert not np.array_equal(mc.MLP([2, 4, 1], seed=8).weights[0], a.weights[0])
    assert all(np.all(bias == 0) for bias in a.biases)
    # standard normal × init_scale: the same draws, scaled
    np.testing.assert_allclose(mc.MLP([2, 4, 1], seed=7, init_scale=0.1).weights[0], 0.1 * a.weights[0])
    big = mc.MLP([200, 300, 1], seed=0, init="normal")
    assert big.weights[0].std() == pytest.approx(1.0, rel=0.02)
    xavier = mc.MLP([200, 300, 1], seed=0, init="xavier")
    assert xavier.weights[0].std() == pytest.approx(np.sqrt(2 / 500), rel=0.02)
    he = mc.MLP([200, 300, 1], seed=0, init="he")
    assert he.weights[0].std() == pytest.approx(np.sqrt(2 / 200), rel=0.02)


def test_from_parameters_round_trip(xor):
    X, _ = xor
    net = mc.MLP([2, 3, 1], activation="sigmoid", seed=2)
    clone = mc.MLP.from_parameters(net.weights, net.biases, activation="sigmoid")
    np.testing.assert_array_equal(clone.forward(X), net.forward(X))
    clone.weights[0][0, 0] += 1  # a copy, not a view
    assert clone.weights[0][0, 0] != net.weights[0][0, 0]


def test_copy_is_independent():
    net = mc.MLP([2, 2, 1], seed=0)
    twin = net.copy()
    twin.weights[0] += 1
    assert not np.array_equal(twin.weights[0], net.weights[0])


def test_predict_threshold_for_tanh_output():
    net = mc.MLP.from_parameters([np.array([[1.0]])], [np.array([0.0])], output_activation="tanh")
    np.testing.assert_array_equal(net.predict(np.array([[-0.5], [0.5]])), [[0], [1]])


def test_y_may_be_1d_for_a_single_output(xor):
    X, y = xor
    net = mc.MLP([2, 3, 1], seed=0)
    assert net.gradients(X, y.ravel())[0] == net.gradients(X, y)[0]


def test_repr_names_the_architecture():
    assert repr(mc.MLP([2, 4, 1], seed=0)).startswith("MLP(sizes=[2, 4, 1], activation='tanh'")
