"""The browser tests' "is the plot drawn?" judgement, checked on known pictures (no browser needed)."""

import io

import matplotlib
import numpy as np
import pytest
from browser_harness import picture
from PIL import Image

matplotlib.use("Agg")


def _png(rgb: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(rgb.astype(np.uint8)).save(buffer, format="PNG")
    return buffer.getvalue()


def _figure_png(draw) -> bytes:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(3, 3), dpi=80)
    draw(fig, ax)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()


@pytest.mark.parametrize("color", [(255, 255, 255), (0, 0, 0), (240, 240, 240)])
def test_a_blank_picture_is_not_drawn(color):
    pic = picture(_png(np.full((300, 300, 3), color)))
    assert (pic.width, pic.height, pic.colors) == (300, 300, 1)
    assert not pic.shows_plot() and not pic.drawn


def test_an_empty_figure_is_not_drawn():
    """A figure that never got its content: a white canvas; with its frame and labels, still no boundary."""
    assert not picture(_figure_png(lambda fig, ax: ax.set_axis_off())).shows_plot()
    frame = picture(_figure_png(lambda fig, ax: ax.set(title="xor: decision boundary", xlabel="x1", ylabel="x2")))
    assert frame.shows_plot() and not frame.drawn, frame


def test_a_loss_curve_shows_a_plot():
    pic = picture(_figure_png(lambda fig, ax: ax.semilogy([0.3, 0.1, 0.02, 0.01])))
    assert pic.shows_plot(), pic


def test_a_decision_boundary_is_drawn():
    import mlp_course as mc

    X, y = mc.datasets.xor()
    net = mc.MLP([2, 4, 1], activation="tanh", seed=1)
    pic = picture(_figure_png(lambda fig, ax: mc.plot_decision_boundary(net, X, y, ax=ax)))
    assert pic.drawn, pic


def test_a_speck_is_not_a_plot():
    rng = np.random.default_rng(0)
    pic = picture(_png(rng.integers(0, 256, size=(20, 20, 3))))
    assert pic.colors > 32 and not pic.shows_plot()  # colourful but too small to be the boundary view
