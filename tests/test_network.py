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


# ------------------------------------------------------------------ the public gradient API
@pytest.mark.parametrize("loss", ["mse", "bce"])
def test_loss_and_gradients_is_a_named_result(loss):
    net = mc.MLP([3, 4, 2], seed=1)
    X, y = random_problem([3, 4, 2], seed=2, loss=loss)
    result = net.loss_and_gradients(X, y, loss)
    assert isinstance(result, mc.network.Gradients)
    assert result._fields == ("loss", "d_loss__d_weights", "d_loss__d_biases", "outputs")
    assert isinstance(result.loss, float) and result.loss == net.loss(X, y, loss)
    np.testing.assert_array_equal(result.outputs, net.forward(X))
    old = net.gradients(X, y, loss)  # the notebooks' three-field form: the same numbers
    assert old[0] == result.loss
    for a, b in zip(old[1] + old[2], result.d_loss__d_weights + result.d_loss__d_biases):
        np.testing.assert_array_equal(a, b)
    pair = net.loss_and_outputs(X, y, loss)
    assert isinstance(pair, mc.network.LossAndOutputs) and pair._fields == ("loss", "outputs")
    assert pair.loss == result.loss
    np.testing.assert_array_equal(pair.outputs, result.outputs)


@pytest.mark.parametrize("loss", ["mse", "bce"])
def test_validate_false_is_the_same_maths_on_checked_arrays(loss):
    net = mc.MLP([3, 5, 1], "relu", seed=3)
    X, y = random_problem([3, 5, 1], seed=4, loss=loss)
    X_checked, y_checked = net.check_data(X, y.ravel(), loss)
    fast = net.loss_and_gradients(X_checked, y_checked, loss, validate=False)
    checked = net.loss_and_gradients(X, y, loss)
    assert fast.loss == checked.loss
    for a, b in zip(fast.d_loss__d_weights + fast.d_loss__d_biases,
                    checked.d_loss__d_weights + checked.d_loss__d_biases):
        np.testing.assert_array_equal(a, b)
    assert net.loss(X_checked, y_checked, loss, validate=False) == checked.loss
    np.testing.assert_array_equal(net.forward(X_checked, validate=False), checked.outputs)


def test_backward_pass_leaves_the_forward_arrays_intact(monkeypatch):
    """The activations backprop uses stay activations: a[l+1] == f(z[l]) after the backward pass
    (the in-place code wrote each hidden derivative over its activation)."""
    net = mc.MLP([2, 5, 4, 1], "tanh", seed=0)
    X, y = random_problem([2, 5, 4, 1], seed=1, loss="mse")
    kept = []
    forward_all = mc.MLP.forward_all

    def keep(self, X, *, validate=True):
        zs, acts = forward_all(self, X, validate=validate)
        kept.append((zs, acts))
        return zs, acts

    monkeypatch.setattr(mc.MLP, "forward_all", keep)
    net.loss_and_gradients(X, y)
    ((zs, acts),) = kept
    assert len(zs) == 3 and len(acts) == 4
    for l in range(2):
        np.testing.assert_array_equal(acts[l + 1], np.tanh(zs[l]))
    np.testing.assert_array_equal(acts[3], mc.activations.sigmoid(zs[2]))


def test_no_out_tricks_in_the_forward_and_backward_pass():
    import inspect

    for method in (mc.MLP.forward_all, mc.MLP.loss_and_gradients, mc.MLP.loss_and_outputs):
        assert "out=" not in inspect.getsource(method)
    for name in mc.activations.ACTIVATIONS:
        assert list(inspect.signature(mc.activations.get(name).forward).parameters) == ["z"]


# ------------------------------------------------------------------------------ validation
@pytest.mark.parametrize(
    ("biases", "error", "match"),
    [
        (None, TypeError, "biases must be a list of arrays"),
        (3.0, TypeError, "biases must be a list of arrays"),
        ("ab", TypeError, "biases must be a list of arrays"),
        ([np.zeros(3)], ValueError, "biases must hold 2 arrays"),
        ([None, np.zeros(1)], TypeError, r"biases\[0\] must be a numeric array of shape \(3,\)"),
        (["abc", np.zeros(1)], TypeError, r"biases\[0\] must be a numeric array"),
        ([np.array(["a", "b", "c"]), np.zeros(1)], TypeError, r"biases\[0\] must be a real numeric array"),
        ([np.zeros(3, dtype=complex), np.zeros(1)], TypeError, r"biases\[0\] must be a real numeric array"),
        ([np.zeros(3), np.zeros((1, 1))], ValueError, r"biases\[1\] must have shape \(1,\), got \(1, 1\)"),
        ([np.zeros(3), [[1.0], [2.0, 3.0]]], ValueError, r"biases\[1\] must be a numeric array of shape \(1,\)"),
        ([np.array([0.0, np.nan, 0.0]), np.zeros(1)], ValueError, r"biases\[0\] contains NaN"),
    ],
)
def test_from_parameters_checks_the_biases(biases, error, match):
    weights = [np.ones((2, 3)), np.ones((3, 1))]
    with pytest.raises(error, match=match):
        mc.MLP.from_parameters(weights, biases)


def test_from_parameters_checks_the_weights_list():
    with pytest.raises(TypeError, match="weights must be a list of arrays"):
        mc.MLP.from_parameters(None, [np.zeros(1)])
    net = mc.MLP.from_parameters((np.ones((2, 3)), np.ones((3, 1))), (range(3), [0]))  # any sequences
    assert net.sizes == [2, 3, 1] and net.biases[0].dtype == np.float64


@pytest.mark.parametrize(
    ("seed", "error"),
    [(-1, ValueError), (2**63, ValueError), (1.5, TypeError), ("1", TypeError), (True, TypeError)],
)
def test_seed_is_checked(seed, error):
    with pytest.raises(error, match="seed must be an integer from 0 to 2\\*\\*63 - 1"):
        mc.MLP([2, 3, 1], seed=seed)


def test_largest_seed_and_numpy_integers_are_accepted():
    assert mc.MLP([2, 3, 1], seed=2**63 - 1).seed == 2**63 - 1
    net = mc.MLP([2, 3, 1], seed=np.int64(7))
    assert type(net.seed) is int
    np.testing.assert_array_equal(net.weights[0], mc.MLP([2, 3, 1], seed=7).weights[0])


def test_init_scale_too_large_for_a_float_is_a_value_error():
    with pytest.raises(ValueError, match="init_scale"):
        mc.MLP([2, 3, 1], init_scale=10**400)


# -------------------------------------------------------------------------------- overflow
HUGE_X = np.array([[1e308, -1e308], [1e308, 1e308], [1.0, 2.0], [0.0, 0.0]])


@pytest.mark.parametrize("activation", HIDDEN_ACTIVATIONS)
@pytest.mark.parametrize("loss", ["mse", "bce"])
def test_products_that_overflow_give_inf_or_nan_without_a_warning(activation, loss, xor):
    """Documented in MLP's Notes: finite inputs whose products overflow give IEEE inf/NaN, no
    RuntimeWarning or OverflowError (pytest turns warnings into errors)."""
    _, y = xor
    net = mc.MLP([2, 4, 1], activation, init_scale=10, seed=0)
    outputs = net.forward(HUGE_X)
    assert outputs.shape == (4, 1)
    np.testing.assert_allclose(outputs[2:], net.forward(HUGE_X[2:]))  # finite rows are unaffected
    result = net.loss_and_gradients(HUGE_X, y, loss)
    assert result.loss == net.loss(HUGE_X, y, loss) or np.isnan(result.loss)
    zs, acts = net.forward_all(HUGE_X)
    assert not np.all(np.isfinite(zs[0]))  # the overflow is there, visible


def test_predict_names_x_when_an_output_is_nan():
    net = mc.MLP([2, 4, 1], "relu", init_scale=10, seed=0)
    assert np.isnan(net.forward(HUGE_X)).any()
    with pytest.raises(ValueError, match=r"outputs for 1 row\(s\) of X \(first: row 1\) are NaN.*rescale X"):
        net.predict(HUGE_X)
    tanh_net = mc.MLP([2, 4, 1], "tanh", init_scale=10, seed=0)  # saturates instead: labels exist
    assert tanh_net.predict(HUGE_X).shape == (4, 1)
