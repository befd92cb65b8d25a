"""gradcheck: passes correct backprop, catches wrong backprop, reads well."""

import numpy as np
import pytest

import mlp_course as mc
from mlp_course.gradcheck import compare, numerical_gradients


@pytest.mark.parametrize("loss", ["mse", "bce"])
def test_correct_backprop_passes(loss):
    X, y = mc.datasets.moons(n=12, seed=0)
    report = mc.gradcheck(mc.MLP([2, 4, 3, 1], activation="tanh", seed=0), X, y, loss=loss)
    assert report.ok
    assert report.max_rel_error < 1e-5  # the module's bound for correct code: round-off 1e-11 / floor 1e-6
    assert [c.name for c in report.checks] == ["W0", "b0", "W1", "b1", "W2", "b2"]
    assert report["W1"].shape == (4, 3)


def test_parameters_are_restored_exactly():
    X, y = mc.datasets.xor()
    net = mc.MLP([2, 3, 1], seed=1)
    before = [p.copy() for p in net.parameters]
    mc.gradcheck(net, X, y)
    for p, q in zip(before, net.parameters):
        np.testing.assert_array_equal(p, q)


def test_a_wrong_gradient_is_caught():
    """Break backprop the way the seed did (drop the σ' factor of the output) and see it fail."""
    X, y = mc.datasets.xor()
    net = mc.MLP([2, 3, 1], activation="sigmoid", seed=1)
    zs, acts = net.forward_all(X)
    delta = (acts[-1] - y) / len(X)  # missing * σ'(z_out)
    wrong = [acts[1].T @ delta, delta.sum(axis=0)]
    numeric = numerical_gradients(lambda: net.loss(X, y), net.parameters)
    report = compare(["W1", "b1"], wrong, numeric[2:])
    assert not report.ok and report.max_rel_error > 0.5
    assert "WRONG" in str(report) and "some gradients are wrong" in str(report)


def test_numerical_gradient_of_a_quadratic_is_exact_to_roundoff():
    A = np.array([[3.0, 1.0], [1.0, 2.0]])
    w = np.array([0.5, -1.5])
    (g,) = numerical_gradients(lambda: 0.5 * w @ A @ w, [w])
    np.testing.assert_allclose(g, A @ w, rtol=0, atol=1e-9)


def test_report_text():
    X, y = mc.datasets.xor()
    text = str(mc.gradcheck(mc.MLP([2, 2, 1], seed=0), X, y))
    assert text.splitlines()[0].split() == ["parameter", "shape", "max", "rel.", "error", "max", "abs.", "error",
                                            "result"]
    assert "all gradients match (tolerance 0.0001 on the relative error)" in text
    assert "2×2" in text


def test_shape_mismatch_and_bad_net():
    with pytest.raises(ValueError, match=r"gradient of W0 has shape \(2,\), expected \(3,\)"):
        compare(["W0"], [np.zeros(2)], [np.zeros(3)])
    with pytest.raises(TypeError, match="net must be an mlp_course.MLP"):
        mc.gradcheck("net", *mc.datasets.xor())
