"""Shared fixtures for the unit tests."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import mlp_course as mc  # noqa: E402


@pytest.fixture
def xor():
    """The four XOR points: X (4, 2), y (4, 1)."""
    return mc.datasets.xor()


@pytest.fixture
def rng():
    return np.random.default_rng(12345)
