"""gradcheck: passes correct backprop, catches wrong backprop, reads well."""

import sys

import numpy as np
import pytest

import mlp_course as mc
from mlp_course.gradcheck import compare, numerical_gradients

mc_gradcheck = sys.modules["mlp_course.gradcheck"]  # mc.gradcheck is the function


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


# ------------------------------------------------------------------ the kink of ReLU
@pytest.mark.parametrize("seed", range(10))
def test_relu_on_xor_is_not_reported_wrong_at_its_kink(seed):
    """Zero biases put XOR's (0, 0) sample exactly on ReLU's kink: b0 cannot be compared there."""
    X, y = mc.datasets.xor()
    net = mc.MLP([2, 4, 1], "relu", seed=seed)
    report = mc.gradcheck(net, X, y)
    assert report.ok, report
    assert report["b0"].verdict == "at a kink: not comparable" and report["b0"].n_not_comparable == 4
    assert "at a kink: not comparable" in str(report)
    # without the kink rule the same comparison calls the correct b0 wrong: the rule is needed
    _, d_weights, d_biases = net.gradients(X, y)
    raw = mc.check_gradient(lambda: net.loss(X, y), {"b0": net.biases[0]}, {"b0": d_biases[0]}, h=1e-6)
    assert not raw.ok


def _random_case(rng, s):
    sizes = [2] + [int(v) for v in rng.integers(1, 6, size=rng.integers(1, 4))]
    activation = str(rng.choice(["relu", "relu", "tanh", "sigmoid", "linear"]))
    output = str(rng.choice(["relu", "sigmoid", "linear", "tanh"]))
    net = mc.MLP(sizes, activation, output, seed=s, init=str(rng.choice(["normal", "he"])))
    if s % 2:  # biases on a 0.1 grid put some z exactly at 0 for grid inputs, too
        for b in net.biases:
            b[:] = np.round(rng.normal(size=b.shape), 1)
    n = int(rng.integers(1, 9))
    X = mc.datasets.xor()[0] if s % 3 == 0 else np.round(rng.normal(size=(n, 2)) * [1, 3][s % 2], 1)
    y = rng.integers(0, 2, size=(len(X), sizes[-1])).astype(float)
    loss = "bce" if output == "sigmoid" and s % 2 else "mse"
    return net, X, y, loss


def test_correct_backprop_is_never_reported_wrong_over_many_relu_networks():
    """120 random networks (mostly ReLU, some ReLU outputs), inputs and biases on a grid: no WRONG.

    Without kink detection about 1 in 9 of these reports a correct gradient WRONG.
    """
    rng = np.random.default_rng(2024)
    kinks = 0
    for s in range(120):
        net, X, y, loss = _random_case(rng, s)
        report = mc.gradcheck(net, X, y, loss=loss, h=[1e-6, 1e-5][s % 2])
        assert report.ok, (s, net, report)
        assert report.max_rel_error < 1e-5  # 10× below the tolerance
        kinks += report.n_not_comparable
    assert kinks > 50  # the rule was exercised


def test_kink_rule_is_sound_entries_left_in_never_switch_a_relu():
    """For every entry the rule keeps, no ReLU unit changes side anywhere in [p − h, p + h]."""
    rng = np.random.default_rng(7)
    for s in range(25):
        net, X, y, _ = _random_case(rng, s)
        h = 0.05  # a large step, so that many entries are near a kink
        masks = mc_gradcheck.kink_entries(net, X, h)
        relu_layers = [l for l in range(len(net.weights))
                       if (net.output_activation if l == len(net.weights) - 1 else net.activation) == "relu"]
        for p, mask in zip(net.parameters, masks):
            for idx in np.ndindex(p.shape):
                if mask[idx]:
                    continue
                old = p[idx]
                sides = []
                for t in np.linspace(-h, h, 21):
                    p[idx] = old + t
                    zs, _ = net.forward_all(X)
                    sides.append([zs[l] > 0 for l in relu_layers])
                p[idx] = old
                for other in sides[1:]:
                    for a, b in zip(sides[0], other):
                        np.testing.assert_array_equal(a, b)


def test_kink_rule_uses_how_far_one_weight_moves_z():
    """W[0][i, j] moves z[:, j] by h·|x_i|, not by h: a unit 2h from its kink with |x_i| = 3 is at it."""
    net = mc.MLP.from_parameters([np.array([[1.0], [0.0]]), np.array([[1.0]])], [np.array([-1.0]), np.zeros(1)],
                                 activation="relu")
    h = 1e-3
    X = np.array([[1.0 + 2 * h, 3.0]])  # z = 2h: a step of h in b0 or W0[0, 0] (x = 1 + 2h) cannot reach 0
    masks = mc_gradcheck.kink_entries(net, X, h)
    assert masks[1].tolist() == [False]  # b0
    assert masks[0][:, 0].tolist() == [False, True]  # W0[1, 0] moves z by 3h > 2h: the kink is in reach
    X_far = np.array([[1.0 + 4 * h, 3.0]])  # z = 4h > 3h
    assert not mc_gradcheck.kink_entries(net, X_far, h)[0].any()


def test_a_wrong_relu_backprop_is_still_caught():
    """Drop the ReLU derivative of the hidden layer: the kink rule must not excuse it."""
    X, y = mc.datasets.moons(n=10, seed=1)
    net = mc.MLP([2, 5, 1], "relu", seed=3)
    zs, acts = net.forward_all(X)
    delta = (acts[-1] - y) * acts[-1] * (1 - acts[-1]) / len(X)  # mse (½ · mean), sigmoid output
    wrong_hidden = delta @ net.weights[1].T  # missing * relu'(z0)
    grads = {"W0": X.T @ wrong_hidden, "b0": wrong_hidden.sum(axis=0), "W1": acts[1].T @ delta, "b1": delta.sum(axis=0)}
    params = dict(zip(["W0", "b0", "W1", "b1"], net.parameters))
    report = mc.check_gradient(lambda: net.loss(X, y), params, grads, h=1e-6,
                               not_comparable=mc_gradcheck.kink_entries(net, X, 1e-6))
    assert [c.verdict for c in report.checks] == ["WRONG", "WRONG", "ok", "ok"], report


def test_every_activation_has_a_lipschitz_constant():
    assert set(mc.activations.ACTIVATIONS) <= set(mc_gradcheck.LIPSCHITZ)
    for name, L in mc_gradcheck.LIPSCHITZ.items():
        z = np.linspace(-6, 6, 2001)
        assert np.abs(mc.activations.get(name).derivative(z)).max() <= L


# ------------------------------------------------------------------ h and tol
@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"h": 0}, ValueError, r"h must be a step between 1e-10 and 0.1"),
        ({"h": -1e-6}, ValueError, r"h must be a step between"),
        ({"h": float("nan")}, ValueError, r"h must be a step between .* got nan"),
        ({"h": float("inf")}, ValueError, r"h must be a step between .* got inf"),
        ({"h": 1e300}, ValueError, r"h must be a step between"),
        ({"h": 10**400}, ValueError, r"h must be a step between .* integer too large"),
        ({"h": "1e-6"}, TypeError, r"h must be a step between"),
        ({"h": True}, TypeError, r"h must be a step between"),
        ({"tol": 0}, ValueError, r"tol must be a relative-error tolerance strictly between 0 and 1"),
        ({"tol": -1e-4}, ValueError, r"tol must be a relative-error tolerance"),
        ({"tol": float("nan")}, ValueError, r"tol must be a relative-error tolerance .* got nan"),
        ({"tol": 2.0}, ValueError, r"tol must be a relative-error tolerance"),
        ({"tol": None}, TypeError, r"tol must be a relative-error tolerance"),
        ({"tol": "small"}, TypeError, r"tol must be a relative-error tolerance"),
    ],
)
def test_bad_step_and_tolerance(kwargs, error, message):
    X, y = mc.datasets.xor()
    with pytest.raises(error, match=message):
        mc.gradcheck(mc.MLP([2, 2, 1], seed=0), X, y, **kwargs)
    x = np.ones(2)
    with pytest.raises(error, match=message):
        mc.check_gradient(lambda: float(x @ x), x, 2 * x, **kwargs)
    if "h" in kwargs:
        with pytest.raises(error, match=message):
            mc.numerical_gradient(lambda: float(x @ x), x, **kwargs)


# ------------------------------------------------------------------ a checker for any function
def test_numerical_gradient_of_known_functions():
    """Central differences at h = 1e-5: exact for quadratics up to round-off (1e-16·|f| / h ≈ 1e-10),
    and O(h²) ≈ 1e-10 for sin (its third derivative is at most 1)."""
    rng = np.random.default_rng(0)
    A = rng.normal(size=(4, 4))
    x = rng.normal(size=4)
    g = mc.numerical_gradient(lambda: 0.5 * x @ A @ x, x)
    np.testing.assert_allclose(g, 0.5 * (A + A.T) @ x, rtol=0, atol=1e-9)
    W = rng.normal(size=(3, 2))
    g = mc.numerical_gradient(lambda W: np.sum(np.sin(W)), W)  # the f(x) form
    np.testing.assert_allclose(g, np.cos(W), rtol=0, atol=1e-9)
    assert g.shape == W.shape and g.dtype == np.float64
    s = np.array(0.7)  # 0-d arrays work too
    assert mc.numerical_gradient(lambda: float(np.exp(s)), s) == pytest.approx(np.exp(0.7), abs=1e-9)


def test_numerical_gradient_restores_x_exactly_even_when_f_raises():
    x = np.array([0.1, 0.2, 0.3])
    before = x.copy()
    mc.numerical_gradient(lambda: np.sum(x**2), x)
    np.testing.assert_array_equal(x, before)
    calls = []

    def failing():
        calls.append(1)
        if len(calls) > 2:
            raise RuntimeError("learner's bug")
        return float(x.sum())

    with pytest.raises(RuntimeError, match="learner's bug"):
        mc.numerical_gradient(failing, x)
    np.testing.assert_array_equal(x, before)


@pytest.mark.parametrize(
    "f, x, error, message",
    [
        (lambda: 1.0, np.ones(2, dtype=np.float32), TypeError, r"x must be a float64 NumPy array"),
        (lambda: 1.0, [1.0, 2.0], TypeError, r"x must be a float64 NumPy array .* got list"),
        (lambda: 1.0, np.ones(2, dtype=int), TypeError, r"x must be a float64 NumPy array .* dtype int64"),
        (lambda: 1.0, np.array([1.0, np.nan]), ValueError, r"x contains NaN or infinite"),
        (lambda: 1.0, np.array([1e20, 0.0]), ValueError, r"x\[0\] = 1e\+20 is too large for the step"),
        ("loss", np.ones(2), TypeError, r"f must be a function"),
        (lambda a, b: 1.0, np.ones(2), TypeError, r"f must take no argument .* or one"),
        (lambda: np.ones(3), np.ones(2), ValueError, r"f must return a single number .* shape \(3,\)"),
        (lambda: "0.5", np.ones(2), TypeError, r"f must return a real number"),
        (lambda: None, np.ones(2), TypeError, r"f must return a real number"),
        (lambda: float("nan"), np.ones(2), ValueError, r"f returned nan"),
        (lambda: 10**400, np.ones(2), ValueError, r"integer too large"),
    ],
)
def test_numerical_gradient_validation(f, x, error, message):
    with pytest.raises(error, match=message):
        mc.numerical_gradient(f, x)


def test_f_that_becomes_infinite_near_the_point_is_named():
    x = np.array([1e-6])
    with pytest.raises(ValueError, match=r"f returned (inf|nan) at x\[0\]"):
        mc.numerical_gradient(lambda: float(np.log(x[0]) if x[0] > 0 else np.inf), x)


def test_size_one_results_count_as_numbers():
    x = np.array([2.0])
    assert mc.numerical_gradient(lambda: x**2, x)[0] == pytest.approx(4.0, abs=1e-8)  # (1,) array, common in
    # per-sample learner code


def test_check_gradient_table_for_a_dict_of_arrays():
    rng = np.random.default_rng(1)
    W, b, X = rng.normal(size=(3, 2)), rng.normal(size=2), rng.normal(size=(5, 3))

    def loss():
        return float(np.sum(np.tanh(X @ W + b) ** 2))

    t = np.tanh(X @ W + b)
    d_z = 2 * t * (1 - t**2)
    report = mc.check_gradient(loss, {"W": W, "b": b}, {"W": X.T @ d_z, "b": d_z.sum(axis=0)})
    assert report.ok and report.max_rel_error < 1e-6 and [c.name for c in report.checks] == ["W", "b"]
    wrong = mc.check_gradient(loss, {"W": W, "b": b}, {"W": X.T @ (2 * t) , "b": d_z.sum(axis=0)})  # missing tanh'
    assert not wrong.ok and wrong["W"].verdict == "WRONG" and wrong["b"].verdict == "ok"
    text = str(wrong)
    assert "W         3×2" in text and "WRONG" in text and "some gradients are wrong" in text
    html = wrong._repr_html_()
    assert html.count("<tr>") == 3 and "<td>WRONG</td>" in html and "<td>3×2</td>" in html


def test_check_gradient_lists_names_and_single_arrays():
    x, y = np.array([1.0, 2.0]), np.array([[0.5]])
    report = mc.check_gradient(lambda: float(np.sum(x**3) * y[0, 0] ** 2), [x, y], [3 * x**2 * 0.25,
                               [[2 * 0.5 * np.sum(x**3)]]], names=["x", "y"])
    assert report.ok and [c.name for c in report.checks] == ["x", "y"]
    assert [c.name for c in mc.check_gradient(lambda v: float(v @ v), x, 2 * x).checks] == ["x"]
    assert [c.name for c in mc.check_gradient(lambda: float(x @ x), [x, y], [2 * x, 0 * y]).checks] == ["p0", "p1"]


@pytest.mark.parametrize(
    "params, grads, kwargs, error, message",
    [
        ({"W": np.ones(2, np.float32)}, {"W": "G"}, {}, TypeError, r"params\['W'\] must be a float64 NumPy array"),
        ({"W": "P"}, {"W": np.zeros((2, 3))}, {}, ValueError, r"grads\['W'\] has shape \(2, 3\) but its parameter "
                                                               r"has shape \(3, 2\)"),
        ({"W": "P"}, {"V": "G"}, {}, ValueError, r"grads must have the same keys as params: missing \['W'\], "
                                                  r"unexpected \['V'\]"),
        ({"W": "P"}, ["G"], {}, TypeError, r"grads must be a dict with the same keys as params"),
        (["P", "b"], ["G"], {}, ValueError, r"grads holds 1 arrays but params holds 2"),
        (["P", "b"], ["G", np.zeros(3)], {}, ValueError, r"grads\[1\] has shape \(3,\) but its parameter has shape"),
        (["P", "b"], ["G", None], {}, TypeError, r"grads\[1\] must be a numeric array of shape \(2,\)"),
        (["P", "b"], ["G", np.array(["a", "b"])], {}, TypeError, r"grads\[1\] must be a real numeric array"),
        (["P", "b"], ["G", "G"], {"names": ["W"]}, ValueError, r"names must hold 2 different strings"),
        (["P", "b"], ["G", "G"], {"names": ["W", "W"]}, ValueError, r"names must hold 2 different strings"),
        (["P", "b"], ["G", "G"], {"names": "Wb"}, TypeError, r"names must be a list of strings"),
        ({"W": "P"}, {"W": "G"}, {"names": ["W"]}, TypeError, r"names must not be given when params is a mapping"),
        ([], [], {}, ValueError, r"params is empty"),
        (3.0, 1.0, {}, TypeError, r"params must be an array, a list of arrays or a dict"),
        ("P", np.zeros(6), {}, ValueError, r"grads has shape \(6,\) but its parameter has shape \(3, 2\)"),
    ],
)
def test_check_gradient_validation(params, grads, kwargs, error, message):
    P, b = np.ones((3, 2)), np.ones(2)
    swap = {"P": P, "G": 2 * P, "b": b}

    def fill(v):
        if isinstance(v, dict):
            return {k: swap.get(w, w) if isinstance(w, str) else w for k, w in v.items()}
        if isinstance(v, list):
            return [swap.get(w, w) if isinstance(w, str) else w for w in v]
        return swap.get(v, v) if isinstance(v, str) else v

    with pytest.raises(error, match=message):
        mc.check_gradient(lambda: float(np.sum(P**2) + b.sum()), fill(params), fill(grads), **kwargs)


def test_round_off_of_a_large_loss_is_not_a_wrong_gradient():
    """A loss of 1e3 carries round-off of ~1e-16·1e3 / h = 1e-8 in each numeric entry: a gradient
    of 1e-7 is then known only to ~10 %, and must not be called WRONG; a real mistake still is."""
    x = np.linspace(-1, 1, 5)
    g = np.full(5, 1e-7)
    report = mc.check_gradient(lambda: 1e3 + float(g @ x), x, g)
    assert report.ok, report
    wrong = mc.check_gradient(lambda: 1e3 + float(1e-3 * x.sum()), x, np.full(5, 2e-3))
    assert not wrong.ok and wrong.max_rel_error == pytest.approx(0.5, rel=1e-3)


def test_relative_error_definition():
    a, n = np.array([1.0, 0.0, 1e-9, np.nan]), np.array([0.5, 0.0, 0.0, 1.0])
    np.testing.assert_array_equal(mc_gradcheck.relative_error(a, n), [0.5, 0.0, 1e-9 / 1e-6, np.inf])
    np.testing.assert_array_equal(mc_gradcheck.relative_error([1.0], [0.9], noise=0.2), [0.0])


def test_nan_or_ragged_gradients():
    """A NaN gradient is a result (WRONG, error inf), a ragged one a bad argument; a masked x is refused."""
    x = np.ones(2)
    report = mc.check_gradient(lambda: float(x @ x), {"x": x}, {"x": [2.0, np.nan]})
    assert not report.ok and report["x"].max_rel_error == np.inf and report["x"].verdict == "WRONG"
    with pytest.raises(ValueError, match=r"grads\['x'\] must be a rectangular numeric array"):
        mc.check_gradient(lambda: float(x @ x), {"x": x}, {"x": [[1, 2], [3]]})
    with pytest.raises(TypeError, match=r"x must be a plain float64 NumPy array, got a MaskedArray"):
        mc.numerical_gradient(lambda: 1.0, np.ma.array([1.0, 2.0], mask=[1, 0]))


# ------------------------------------------------------------------ a relative error of 0 is explained
def test_a_relative_error_of_zero_within_round_off_gets_a_footnote():
    X, y = mc.datasets.xor()
    report = mc.gradcheck(mc.MLP([2, 4, 1], seed=0), X, y, loss="mse")
    zero_rows = [c for c in report.checks if c.max_rel_error == 0 and c.max_abs_error > 0]
    assert zero_rows, "every difference of correct backprop lies within round-off here"
    lines = str(report).splitlines()
    assert lines[-1] == "rel. error 0: every difference lies within the numerical estimate's own round-off"
    assert lines[-2].startswith("all gradients match") and len(lines) == 2 + len(report.checks) + 1
    assert "numerical estimate&#x27;s own round-off</p>" in report._repr_html_()
    # no footnote where no 0 stands beside a nonzero difference: an exact match, or real errors
    exact = compare(["W"], [np.ones(3)], [np.ones(3)])
    wrong = compare(["W"], [np.ones(3)], [np.full(3, 2.0)])
    for plain in (exact, wrong):
        assert "round-off" not in str(plain) and "round-off" not in plain._repr_html_()
        assert len(str(plain).splitlines()) == 3
