"""Every bad input gets a ValueError or TypeError that names the argument and what was expected."""

import numpy as np
import pytest

import mlp_course as mc

NET = mc.MLP([2, 3, 1], seed=0)
X, Y = mc.datasets.xor()


@pytest.mark.parametrize(
    "X_bad, error, message",
    [
        (np.ones((4, 3)), ValueError, r"X has 3 features but the network's input layer expects 2"),
        (np.ones(2), ValueError, r"X must be 2-D with shape \(n_samples, n_features\), got 1-D"),
        (np.ones((4, 2, 1)), ValueError, r"X must be 2-D .* got 3-D"),
        (np.ones((0, 2)), ValueError, r"X is empty"),
        (np.array([[0.0, np.nan]] + [[0.0, 0.0]] * 3), ValueError, r"X contains 1 NaN or infinite"),
        (np.array([[0.0, np.inf]] * 4), ValueError, r"X contains 4 NaN or infinite"),
        (np.array([["a", "b"]] * 4), TypeError, r"X must be a numeric array, got dtype <U1"),
        ("xor", TypeError, r"X must be a numeric array, got str"),
        (None, TypeError, r"X must be a numeric array, got NoneType"),
        ([[1, 2], [3]], ValueError, r"X must be a rectangular numeric array"),
        (np.array([[1j, 0]] * 4), TypeError, r"X must be real-valued"),
    ],
)
def test_bad_X(X_bad, error, message):
    with pytest.raises(error, match=message):
        NET.forward(X_bad)
    with pytest.raises(error, match=message):
        NET.gradients(X_bad, Y)


@pytest.mark.parametrize(
    "y_bad, message",
    [
        (np.ones((3, 1)), r"y has 3 samples \(rows\) but X has 4"),
        (np.ones((4, 2)), r"y has 2 columns but the network's output layer has 1 units"),
        (np.ones((4, 1, 1)), r"y must have shape \(4, 1\)"),
        (np.array([0, 1, 1, np.nan]), r"y contains 1 NaN"),
    ],
)
def test_bad_y(y_bad, message):
    with pytest.raises(ValueError, match=message):
        NET.gradients(X, y_bad)
    with pytest.raises(ValueError, match=message):
        mc.train(NET.copy(), X, y_bad, epochs=1)


def test_1d_y_needs_a_single_output_unit():
    with pytest.raises(ValueError, match=r"y is 1-D with shape \(4,\) but the network has 2 output units"):
        mc.MLP([2, 3, 2], seed=0).gradients(X, np.zeros(4))


def test_bce_targets_must_lie_in_0_1():
    with pytest.raises(ValueError, match=r"y must lie in \[0, 1\] for loss 'bce', got values from -1 to 1"):
        NET.gradients(X, 2 * Y - 1, loss="bce")


def test_bce_needs_a_sigmoid_output():
    with pytest.raises(ValueError, match="needs output_activation='sigmoid'"):
        mc.MLP([2, 3, 1], output_activation="linear").gradients(X, Y, loss="bce")


@pytest.mark.parametrize(
    "sizes, error, message",
    [
        ([2], ValueError, r"sizes must list at least 2 layers"),
        ([], ValueError, r"sizes must list at least 2 layers"),
        ([2, 0, 1], ValueError, r"sizes\[1\] must be a positive integer, got 0"),
        ([2, -3, 1], ValueError, r"sizes\[1\] must be a positive integer, got -3"),
        ([2, 2.5, 1], TypeError, r"sizes\[1\] must be a positive integer, got 2.5"),
        ([2, True, 1], TypeError, r"sizes\[1\] must be a positive integer, got True"),
        ("2-4-1", TypeError, r"sizes must be a list of layer widths"),
        (3, TypeError, r"sizes must be a list of layer widths"),
    ],
)
def test_bad_sizes(sizes, error, message):
    with pytest.raises(error, match=message):
        mc.MLP(sizes)


def test_numpy_integer_sizes_are_fine():
    assert mc.MLP(np.array([2, 3, 1])).sizes == [2, 3, 1]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"activation": "softmax"}, r"unknown activation 'softmax'; expected one of 'sigmoid', 'tanh', 'relu'"),
        ({"output_activation": "step"}, r"unknown output_activation 'step'"),
        ({"init": "glorot"}, r"unknown init 'glorot'; expected one of 'normal', 'xavier', 'he'"),
        ({"init_scale": 0}, r"init_scale must be a positive finite number, got 0"),
        ({"init_scale": float("nan")}, r"init_scale must be a positive finite number"),
    ],
)
def test_bad_network_options(kwargs, message):
    with pytest.raises(ValueError, match=message):
        mc.MLP([2, 3, 1], **kwargs)


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"lr": 0}, ValueError, r"lr must be a positive finite number, got 0"),
        ({"lr": -1.0}, ValueError, r"lr must be a positive finite number, got -1"),
        ({"lr": float("inf")}, ValueError, r"lr must be a positive finite number, got inf"),
        ({"lr": "fast"}, TypeError, r"lr must be a positive finite number, got 'fast'"),
        ({"epochs": -1}, ValueError, r"epochs must be an integer >= 0, got -1"),
        ({"epochs": 2.5}, TypeError, r"epochs must be an integer >= 0, got 2.5"),
        ({"epochs": "10"}, TypeError, r"epochs must be an integer >= 0"),
        ({"batch_size": 0}, ValueError, r"batch_size must be an integer >= 1, got 0"),
        ({"batch_size": 1.5}, TypeError, r"batch_size must be an integer >= 1"),
        ({"loss": "hinge"}, ValueError, r"unknown loss 'hinge'; expected one of 'mse', 'bce'"),
        ({"X_val": X}, ValueError, r"pass X_val and y_val together"),
        ({"X_val": np.ones((2, 3)), "y_val": np.ones((2, 1))}, ValueError, r"X_val has 3 features"),
        ({"X_val": np.ones((2, 2)), "y_val": np.ones((3, 1))}, ValueError,
         r"y_val has 3 samples \(rows\) but X_val has 2"),
    ],
)
def test_bad_training_options(kwargs, error, message):
    with pytest.raises(error, match=message):
        mc.train(NET.copy(), X, Y, **{"epochs": 1, **kwargs})


def test_train_needs_an_mlp():
    with pytest.raises(TypeError, match="net must be an mlp_course.MLP, got list"):
        mc.train([np.eye(2)], X, Y)


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"n": 1}, ValueError, r"n must be an integer >= 2, got 1"),
        ({"n": 10.0}, TypeError, r"n must be an integer >= 2"),
        ({"noise": -0.1}, ValueError, r"noise must be a non-negative finite number"),
        ({"noise": "high"}, TypeError, r"noise must be a non-negative finite number, got .high."),
    ],
)
def test_bad_dataset_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        mc.datasets.circle(**kwargs)


def test_bad_split():
    with pytest.raises(ValueError, match=r"test_fraction must be strictly between 0 and 1, got 1"):
        mc.datasets.train_test_split(X, Y, test_fraction=1)
    with pytest.raises(ValueError, match=r"y must have shape \(4,\) or \(4, k\), got \(3,\)"):
        mc.datasets.train_test_split(X, np.zeros(3))


@pytest.mark.parametrize(
    "X_bad, error, message",
    [
        (np.array([[1, 2]] * 4, dtype="timedelta64[s]"), TypeError,
         r"X must be a numeric array, got dtype timedelta64"),
        (np.array([["2020-01-01", "2020-01-02"]] * 4, dtype="datetime64[D]"), TypeError,
         r"X must be a numeric array, got dtype datetime64"),
        ([[10**400, 0]] + [[0, 0]] * 3, ValueError,
         r"X\[0, 0\] must be a finite real number, got an integer too large"),
        ([[None, 0]] + [[0, 0]] * 3, TypeError, r"X must be a numeric array, but X\[0, 0\] is None"),
        (np.array([[1j, 0]] * 4, dtype=object), TypeError, r"X must be real-valued, but X\[0, 0\] is 1j"),
        ({"a": 1}, TypeError, r"X must be a numeric array, got dict"),
        (np.ma.array(np.ones((4, 2)), mask=[[0, 1]] + [[0, 0]] * 3), ValueError, r"X has masked entries"),
        ([[1, [2]], [3, 4]], ValueError, r"X must be a rectangular numeric array"),
        (np.float64(3.0), ValueError, r"X must be 2-D .* got 0-D"),
    ],
)
def test_bad_X_dtypes_and_containers(X_bad, error, message):
    with pytest.raises(error, match=message):
        NET.forward(X_bad)


def test_object_and_bool_arrays_of_real_numbers_are_numbers():
    from fractions import Fraction

    as_object = np.array([[Fraction(1, 2), 1], [0, True], [2**64, 0], [1.5, np.float32(2)]], dtype=object)
    expected = np.array([[0.5, 1], [0, 1], [2.0**64, 0], [1.5, 2]])
    np.testing.assert_array_equal(NET.forward(as_object), NET.forward(expected))
    np.testing.assert_array_equal(NET.forward(X.astype(bool)), NET.forward(X))


def test_huge_ints_in_targets_are_a_value_error():
    with pytest.raises(ValueError, match=r"y\[3\] must be a finite real number, got an integer too large"):
        NET.gradients(X, [0, 1, 1, 10**400])
    with pytest.raises(TypeError, match=r"y must be a numeric array, got dtype timedelta64"):
        NET.gradients(X, np.array([0, 1, 1, 0], dtype="timedelta64[s]"))


@pytest.mark.parametrize("seed", [-1, 2**63, 1.5, "0", True, np.float64(2.0)])
@pytest.mark.parametrize("name", ["circle", "gauss", "spiral", "moons"])
def test_bad_dataset_seed(name, seed):
    with pytest.raises(TypeError if not isinstance(seed, int) or isinstance(seed, bool) else ValueError,
                       match=r"seed must be an integer from 0 to 2\*\*63 - 1"):
        mc.datasets.DATASETS[name](n=10, seed=seed)


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"n": 10**9}, ValueError, r"n must be an integer from 2 to 1,000,000, got 1000000000"),
        ({"noise": 1e308}, ValueError, r"noise must be a non-negative finite number \(at most 1e\+06\)"),
        ({"noise": float("nan")}, ValueError, r"noise must be a non-negative finite number"),
        ({"noise": 10**400}, ValueError, r"noise must be a non-negative finite number, got an integer too large"),
    ],
)
def test_dataset_sizes_that_would_overflow_or_exhaust_memory(kwargs, error, message):
    with pytest.raises(error, match=message):
        mc.datasets.gauss(**kwargs)


@pytest.mark.parametrize(
    "y_bad, error, message",
    [
        ([0, 1, 1, np.nan], ValueError, r"y contains 1 NaN or infinite"),
        ([0, 1, np.inf, 0], ValueError, r"y contains 1 NaN or infinite"),
        (["a", "b", "a", "b"], TypeError, r"y must be a numeric array, got dtype <U1"),
        ([0, 1j, 1, 0], TypeError, r"y must be real-valued"),
        ("0110", TypeError, r"y must be a numeric array, got str"),
        (None, TypeError, r"y must be a numeric array, got NoneType"),
        (1.0, ValueError, r"y must have shape \(4,\) or \(4, k\), got \(\)"),
    ],
)
def test_bad_split_labels(y_bad, error, message):
    with pytest.raises(error, match=message):
        mc.datasets.train_test_split(X, y_bad)


@pytest.mark.parametrize("seed, error", [(-1, ValueError), (2**63, ValueError), (0.5, TypeError), ("1", TypeError)])
def test_bad_split_seed(seed, error):
    with pytest.raises(error, match=r"seed must be an integer from 0 to 2\*\*63 - 1"):
        mc.datasets.train_test_split(X, Y, seed=seed)
