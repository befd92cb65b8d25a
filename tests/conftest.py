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


def pytest_collection_modifyitems(config, items):
    """Run the browser tests last, after the unit tests and the notebooks.

    Playwright's sync API keeps an asyncio event loop running while its browser fixtures live;
    tests that start their own loop (the playground's, nbval's kernel clients) must run before.
    """
    browser = [item for item in items if "tests/browser/" in item.nodeid.replace("\\", "/")]
    others = [item for item in items if item not in browser]
    items[:] = others + browser
