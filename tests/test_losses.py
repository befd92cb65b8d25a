"""Losses: the definitions pinned, gradients checked, BCE finite at saturated outputs."""

import warnings

import numpy as np
import pytest

from mlp_course import losses
from mlp_course.activations import sigmoid


def seed_cost(y1, y2):
    """The seed's cost function, verbatim: (‖y1 − y2‖²) / 2."""
    return (np.linalg.norm(y1 - y2) ** 2) / 2


def test_mse_per_sample_is_the_seeds_cost(rng):
    o, y = rng.random((1, 3)), rng.random((1, 3))
    assert losses.mse(o, y) == pytest.approx(seed_cost(o, y), rel=1e-14)


def test_mse_is_mean_over_samples_of_half_sum_over_outputs(rng):
    o, y = rng.random((5, 2)), rng.random((5, 2))
    expected = np.mean([seed_cost(o[i], y[i]) for i in range(5)])
    assert losses.mse(o, y) == pytest.approx(expected, rel=1e-14)


def test_bce_matches_the_textbook_formula_where_it_is_finite(rng):
    z, y = rng.normal(size=(6, 2)), rng.random((6, 2))
    o = sigmoid(z)
    textbook = np.mean(-np.sum(y * np.log(o) + (1 - y) * np.log(1 - o), axis=1))
    assert losses.bce_from_logits(z, y) == pytest.approx(textbook, rel=1e-12)


def test_bce_is_finite_when_the_output_saturates():
    z = np.array([[1e4], [-1e4], [40.0], [-40.0]])
    y = np.array([[0.0], [1.0], [1.0], [0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value = losses.bce_from_logits(z, y)
        grad = losses.bce_from_logits_gradient(z, y)
    # confident mistakes cost |z| each; confident right answers cost ~e^-40
    assert value == pytest.approx((1e4 + 1e4 + 2 * np.log1p(np.exp(-40.0))) / 4, rel=1e-12)
    assert np.all(np.isfinite(grad))


@pytest.mark.parametrize("which", ["mse", "bce"])
def test_gradients_against_central_differences(which, rng):
    # float64, h = 1e-6: truncation ≈ 1e-12, round-off ≈ 1e-16/1e-6 = 1e-10 ⇒ atol 1e-8.
    z, y = rng.normal(size=(4, 3)), rng.random((4, 3))
    if which == "mse":
        value = lambda zz: losses.mse(sigmoid(zz), y)  # noqa: E731
        analytic = losses.mse_gradient(sigmoid(z), y) * sigmoid(z) * (1 - sigmoid(z))
    else:
        value = lambda zz: losses.bce_from_logits(zz, y)  # noqa: E731
        analytic = losses.bce_from_logits_gradient(z, y)
    numeric = np.zeros_like(z)
    h = 1e-6
    for idx in np.ndindex(z.shape):
        zp, zm = z.copy(), z.copy()
        zp[idx] += h
        zm[idx] -= h
        numeric[idx] = (value(zp) - value(zm)) / (2 * h)
    np.testing.assert_allclose(analytic, numeric, rtol=0, atol=1e-8)


def test_check_loss():
    with pytest.raises(ValueError, match="unknown loss 'hinge'; expected one of 'mse', 'bce'"):
        losses.check_loss("hinge", "sigmoid")
    with pytest.raises(ValueError, match="needs output_activation='sigmoid'"):
        losses.check_loss("bce", "tanh")
    with pytest.raises(ValueError, match=r"y must lie in \[0, 1\]"):
        losses.check_bce_targets(np.array([[0.0], [2.0]]))
