"""Shared fixtures for the unit tests."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import run_order  # noqa: E402

import mlp_course as mc  # noqa: E402


@pytest.fixture
def xor():
    """The four XOR points: X (4, 2), y (4, 1)."""
    return mc.datasets.xor()


@pytest.fixture
def rng():
    return np.random.default_rng(12345)


def pytest_collection_modifyitems(config, items):
    """Run the longest files first (see run_order.py) and the browser tests last.

    Browser tests last: Playwright's sync API keeps an asyncio event loop running while its browser
    fixtures live; tests that start their own loop (the playground's, nbval's kernel clients) must
    run before. ``make test`` runs them in a session of their own.
    """
    files = {item.nodeid.split("::")[0] for item in items}
    seconds = {name: run_order.estimated_seconds(name) for name in files}

    def key(item):
        name = item.nodeid.split("::")[0]
        return (name.startswith("tests/browser/"), -seconds[name])

    items.sort(key=key)  # stable: a file's own tests keep their order and stay together
