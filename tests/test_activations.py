"""Activations: values, derivatives against central differences, and overflow-free sigmoid."""

import warnings

import numpy as np
import pytest

from mlp_course import activations

Z = np.linspace(-6, 6, 121) + 0.013  # avoid relu's kink at exactly 0


@pytest.mark.parametrize("name", list(activations.ACTIVATIONS))
def test_derivative_matches_central_difference(name):
    # Central difference error is O(h²·f''') ≈ 1e-10 at h = 1e-5, round-off ≈ 1e-16/1e-5 = 1e-11,
    # so 1e-8 absolute is a safe bound for functions whose third derivative is O(1).
    act = activations.get(name)
    h = 1e-5
    numeric = (act.forward(Z + h) - act.forward(Z - h)) / (2 * h)
    np.testing.assert_allclose(act.derivative(Z), numeric, rtol=0, atol=1e-8)


def test_sigmoid_values():
    np.testing.assert_allclose(activations.sigmoid(np.array([0.0, 2.0, -2.0])),
                               [0.5, 1 / (1 + np.exp(-2.0)), 1 / (1 + np.exp(2.0))], rtol=1e-15)


def test_sigmoid_is_symmetric_and_bounded():
    z = np.array([-1e4, -800.0, -50.0, -1.0, 0.0, 1.0, 50.0, 800.0, 1e4])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an overflow RuntimeWarning would fail the test
        s = activations.sigmoid(z)
        d = activations.sigmoid_derivative(z)
    assert np.all((s >= 0) & (s <= 1))
    np.testing.assert_allclose(s + activations.sigmoid(-z), 1.0, rtol=0, atol=1e-15)
    assert s[0] == 0.0 and s[-1] == 1.0
    assert np.all(np.isfinite(d)) and d[4] == 0.25
    # tiny but not flushed to zero where float64 can represent it
    assert 0 < activations.sigmoid(np.array([-700.0]))[0] < 1e-300


def test_relu_derivative_at_zero_is_zero():
    np.testing.assert_array_equal(activations.relu_derivative(np.array([-1.0, 0.0, 1e-300, 2.0])), [0, 0, 1, 1])


def test_tanh_and_linear():
    z = np.array([-2.0, 0.0, 3.0])
    np.testing.assert_allclose(activations.tanh(z), np.tanh(z))
    np.testing.assert_array_equal(activations.linear(z), z)
    np.testing.assert_array_equal(activations.linear_derivative(z), np.ones(3))


def test_unknown_activation_lists_valid_names():
    with pytest.raises(ValueError, match="unknown activation 'softmax'.*'sigmoid', 'tanh', 'relu', 'linear'"):
        activations.get("softmax")


@pytest.mark.parametrize("name", list(activations.ACTIVATIONS))
def test_derivative_at_output_is_the_same_numbers(name):
    """Backprop uses f'(z) written in terms of a = f(z); it must agree with f'(z) exactly."""
    act = activations.get(name)
    z = np.concatenate([Z, [-800.0, -30.0, 0.0, 30.0, 800.0]])
    np.testing.assert_array_equal(act.derivative_at_output(act.forward(z)), act.derivative(z))
