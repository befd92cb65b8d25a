"""Datasets: shapes, labels, determinism, the split."""

import numpy as np
import pytest

import mlp_course as mc

GENERATED = ["circle", "gauss", "spiral", "moons"]


def test_xor():
    X, y = mc.datasets.xor()
    assert X.dtype == y.dtype == np.float64
    np.testing.assert_array_equal(X, [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(y, [[0], [1], [1], [0]])


@pytest.mark.parametrize("name", GENERATED)
def test_generated_shapes_labels_and_determinism(name):
    make = mc.datasets.DATASETS[name]
    X, y = make(n=101, noise=0.2, seed=3)
    assert X.shape == (101, 2) and y.shape == (101, 1)
    assert set(np.unique(y)) == {0.0, 1.0}
    assert abs(int(y.sum()) - 50) <= 1  # balanced classes
    X2, y2 = make(n=101, noise=0.2, seed=3)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    assert not np.array_equal(X, make(n=101, noise=0.2, seed=4)[0])
    assert np.abs(make(n=200, noise=0.0, seed=0)[0]).max() < 1.6  # one plotting range fits all


def test_circle_geometry_without_noise():
    X, y = mc.datasets.circle(n=200, noise=0.0, seed=0)
    r = np.linalg.norm(X, axis=1)
    assert r[y[:, 0] == 1].max() < 0.5 <= 0.7 <= r[y[:, 0] == 0].min()


def test_noise_moves_points():
    a, _ = mc.datasets.moons(n=50, noise=0.0, seed=1)
    b, _ = mc.datasets.moons(n=50, noise=0.3, seed=1)
    assert 0.1 < np.std(a - b) < 0.5


def test_train_test_split():
    X, y = mc.datasets.gauss(n=40, seed=0)
    X_tr, X_te, y_tr, y_te = mc.datasets.train_test_split(X, y, test_fraction=0.25, seed=0)
    assert X_tr.shape == (30, 2) and X_te.shape == (10, 2) and y_tr.shape == (30, 1) and y_te.shape == (10, 1)
    together = np.vstack([X_tr, X_te])
    assert sorted(map(tuple, together)) == sorted(map(tuple, X))  # a partition, nothing lost
    again = mc.datasets.train_test_split(X, y, test_fraction=0.25, seed=0)
    np.testing.assert_array_equal(again[1], X_te)
    # rows stay paired with their labels
    lookup = {tuple(x): label for x, label in zip(X, y[:, 0])}
    assert all(lookup[tuple(x)] == label for x, label in zip(X_te, y_te[:, 0]))


def test_split_keeps_one_sample_on_each_side():
    X, y = mc.datasets.xor()
    X_tr, X_te, _, _ = mc.datasets.train_test_split(X, y, test_fraction=0.01)
    assert len(X_te) == 1 and len(X_tr) == 3
