"""Property tests over random architectures and batch shapes."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import mlp_course as mc

sizes_strategy = st.lists(st.integers(1, 6), min_size=2, max_size=5)
activation_strategy = st.sampled_from(["sigmoid", "tanh", "relu", "linear"])


@settings(max_examples=60, deadline=None)
@given(sizes=sizes_strategy, n=st.integers(1, 9), activation=activation_strategy, seed=st.integers(0, 2**32 - 1))
def test_shapes_and_determinism(sizes, n, activation, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, sizes[0]))
    y = rng.random((n, sizes[-1]))
    net = mc.MLP(sizes, activation=activation, seed=seed)
    out = net.forward(X)
    assert out.shape == (n, sizes[-1]) and np.all((out >= 0) & (out <= 1))
    for loss in ("mse", "bce"):
        value, dW, db = net.gradients(X, y, loss=loss)
        assert np.isfinite(value) and value >= 0
        assert [g.shape for g in dW] == [(a, b) for a, b in zip(sizes[:-1], sizes[1:])]
        assert [g.shape for g in db] == [(b,) for b in sizes[1:]]
    twin = mc.MLP(sizes, activation=activation, seed=seed)
    np.testing.assert_array_equal(twin.forward(X), out)


@settings(max_examples=30, deadline=None)
@given(sizes=sizes_strategy, n=st.integers(2, 12), batch=st.integers(1, 12), seed=st.integers(0, 1000))
def test_training_is_deterministic_and_keeps_shapes(sizes, n, batch, seed):
    rng = np.random.default_rng(seed)
    X, y = rng.normal(size=(n, sizes[0])), rng.integers(0, 2, size=(n, sizes[-1]))
    runs = []
    for _ in range(2):
        net = mc.MLP(sizes, seed=seed)
        history = mc.train(net, X, y, lr=0.5, epochs=3, batch_size=batch, seed=seed)
        runs.append((history.loss, [p.copy() for p in net.parameters]))
        assert [p.shape for p in net.parameters] == [p.shape for p in mc.MLP(sizes).parameters]
    assert runs[0][0] == runs[1][0]
    for p, q in zip(runs[0][1], runs[1][1]):
        np.testing.assert_array_equal(p, q)


@settings(max_examples=40, deadline=None)
@given(z=st.floats(-1e4, 1e4), y=st.floats(0, 1))
def test_sigmoid_and_bce_are_finite_everywhere(z, y):
    zz, yy = np.array([[z]]), np.array([[y]])
    s = mc.activations.sigmoid(zz)
    assert 0 <= s[0, 0] <= 1
    assert np.isfinite(mc.losses.bce_from_logits(zz, yy))
    assert np.all(np.isfinite(mc.losses.bce_from_logits_gradient(zz, yy)))
