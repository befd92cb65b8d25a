"""Plots: they draw into the given Axes, return what they drew, and are labelled."""

import io

import IPython
import matplotlib.pyplot as plt
import numpy as np
import pytest
from IPython.core.formatters import DisplayFormatter
from PIL import Image

import mlp_course as mc


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def trained():
    X, y = mc.datasets.xor()
    net = mc.MLP([2, 4, 1], seed=0)
    history = mc.train(net, X, y)
    return net, X, y, history


def test_decision_boundary_draws_into_the_given_axes(trained):
    net, X, y, _ = trained
    fig, ax = plt.subplots()
    drawn = mc.plot_decision_boundary(net, X, y, ax=ax)
    assert drawn.ax is ax
    assert drawn.boundary is not None  # a solved XOR net has a boundary inside the plot
    assert len(drawn.points) == 1 and drawn.points[0].get_offsets().shape == (4, 2)
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()


def test_decision_boundary_new_figure_and_test_points(trained):
    net, X, y, _ = trained
    drawn = mc.plot_decision_boundary(net, X, y, X_test=X + 0.1, y_test=y)
    assert len(drawn.points) == 2 and drawn.ax.figure is not None


def test_decision_boundary_colours_follow_the_network(trained):
    """The shading is the network's output: sample it at the data points."""
    net, X, y, _ = trained
    drawn = mc.plot_decision_boundary(net, X, y, resolution=50)
    assert drawn.background.levels.min() <= net.forward(X).min()
    assert drawn.background.levels.max() >= net.forward(X).max()


def test_decision_boundary_needs_two_inputs():
    with pytest.raises(ValueError, match="plotting needs a network with 2 inputs, this one has 3"):
        mc.plot_decision_boundary(mc.MLP([3, 2, 1]), np.ones((4, 3)), np.ones(4))
    with pytest.raises(TypeError, match="net must be an mlp_course.MLP"):
        mc.plot_decision_boundary(None, np.ones((4, 2)), np.ones(4))


def test_plot_loss(trained):
    *_, history = trained
    fig, ax = plt.subplots()
    lines = mc.plot_loss(history, ax=ax)
    assert len(lines) == 1
    np.testing.assert_array_equal(lines[0].get_ydata(), history.loss)
    assert ax.get_yscale() == "log" and ax.get_xlabel() == "epoch" and ax.get_ylabel() == "mse loss"


def test_plot_loss_marks_validation_and_divergence():
    history = mc.History(loss=[1.0, 2.0], val_loss=[1.5, 2.5], diverged=True, diverged_at=2)
    drawn = mc.plot_loss(history)
    assert len(drawn) == 3
    assert drawn[2].get_label() == "diverged at epoch 3"  # diverged_at counts from 0, the plot from 1
    assert drawn[2].get_xdata()[0] == 3
    with pytest.raises(TypeError, match="history must be the History"):
        mc.plot_loss([1, 2, 3])


def test_hidden_unit_maps(trained):
    net, X, y, _ = trained
    images = mc.plot_hidden_units(net, X, y)
    assert len(images) == 4
    first = images[0].get_array()
    assert first.shape == (60, 60)
    assert first.min() >= -1 and first.max() <= 1  # tanh units
    with pytest.raises(ValueError, match="layer must be between 0 and 0, got 1"):
        mc.plot_hidden_units(net, layer=1)
    with pytest.raises(ValueError, match="no hidden layer"):
        mc.plot_hidden_units(mc.MLP([2, 1]))


# ------------------------------------------------------------------ bad arguments name themselves
NET = mc.MLP([2, 3, 1], seed=0)
XOR_X, XOR_Y = mc.datasets.xor()


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"y": [0, 1, 1]}, ValueError, r"y must hold one label per point: shape \(4,\) or \(4, 1\), got \(3,\)"),
        ({"y": [0, 1, 1, np.nan]}, ValueError, r"y contains 1 NaN"),
        ({"y": [0, 1, 2, 0]}, ValueError, r"y must hold class labels 0 or 1, got \[2.0\]"),
        ({"y": [0, 0.5, 1, 0]}, ValueError, r"y must hold class labels 0 or 1"),
        ({"y": "0110"}, TypeError, r"y must be a numeric array"),
        ({"X_test": XOR_X}, ValueError, r"X_test was given without y_test"),
        ({"y_test": XOR_Y}, ValueError, r"y_test was given without X_test"),
        ({"X_test": XOR_X, "y_test": XOR_Y[:2]}, ValueError, r"y_test must hold one label per point"),
        ({"X_test": np.ones((2, 3)), "y_test": [0, 1]}, ValueError, r"X_test has 3 features"),
        ({"resolution": 1}, ValueError, r"resolution must be an integer >= 2, got 1"),
        ({"resolution": 0}, ValueError, r"resolution must be an integer >= 2"),
        ({"resolution": 50.0}, TypeError, r"resolution must be an integer >= 2"),
        ({"resolution": 10**6}, ValueError, r"resolution must be an integer from 2 to 1000"),
        ({"padding": float("nan")}, ValueError, r"padding must be a non-negative finite number"),
        ({"padding": -0.1}, ValueError, r"padding must be a non-negative finite number"),
        ({"padding": "wide"}, TypeError, r"padding must be a non-negative finite number"),
        ({"ax": "axes"}, TypeError, r"ax must be a matplotlib Axes .* got str"),
        ({"ax": plt.figure}, TypeError, r"ax must be a matplotlib Axes"),
    ],
)
def test_decision_boundary_bad_arguments(kwargs, error, message):
    args = {"net": NET, "X": XOR_X, "y": XOR_Y, **kwargs}
    with pytest.raises(error, match=message):
        mc.plot_decision_boundary(**args)


def test_decision_boundary_points_too_far_apart_are_an_error_not_a_warning():
    X = np.array([[-1e308, 0.0], [1e308, 1.0]])
    with pytest.raises(ValueError, match="the points of X span too wide a range"):
        mc.plot_decision_boundary(NET, X, [0, 1])


def test_decision_boundary_of_points_on_one_line_has_width():
    drawn = mc.plot_decision_boundary(NET, np.zeros((3, 2)), [0, 1, 0], padding=0)
    assert drawn.ax.get_xlim()[1] - drawn.ax.get_xlim()[0] > 0.5


def test_decision_boundary_tanh_output_takes_minus_one_labels():
    net = mc.MLP([2, 3, 1], output_activation="tanh", seed=0)
    assert len(mc.plot_decision_boundary(net, XOR_X, 2 * XOR_Y - 1).points) == 1


def _notes(ax):
    return [t.get_text() for t in ax.texts]


def test_decision_boundary_of_an_overflowed_network_says_so_on_the_figure():
    """Weights of 1e200 make every ReLU output inf − inf = NaN: no map, a note instead, no warning."""
    net = mc.MLP([2, 4, 1], "relu", "linear", seed=0)
    for W in net.weights:
        W *= 1e200
    drawn = mc.plot_decision_boundary(net, XOR_X, XOR_Y)
    drawn.ax.figure.canvas.draw()  # rendering must not warn either
    assert drawn.background is None and drawn.boundary is None
    assert _notes(drawn.ax) == ["outputs overflowed everywhere on this grid:\nthe network has diverged"]
    assert len(drawn.points) == 1  # the data are still drawn


def test_decision_boundary_of_a_partly_overflowed_network_draws_the_rest():
    net = mc.MLP([2, 4, 1], "relu", "linear", seed=0)
    net.weights[0] *= 1e160
    net.weights[1] *= 1e150
    drawn = mc.plot_decision_boundary(net, XOR_X, XOR_Y, resolution=40)
    drawn.ax.figure.canvas.draw()
    assert drawn.background is not None
    (note,) = _notes(drawn.ax)
    assert note.startswith("outputs overflowed on ") and "of this grid (left blank)" in note
    healthy = mc.plot_decision_boundary(mc.MLP([2, 4, 1], "relu", seed=0), XOR_X, XOR_Y)
    assert _notes(healthy.ax) == []


def test_plot_loss_of_a_run_that_exploded_to_1e302_then_inf_and_nan():
    losses = [*np.logspace(8, 302, 30), np.inf, np.nan]
    history = mc.History(loss=losses, val_loss=[*np.logspace(8, 290, 31), np.inf], diverged=True, diverged_at=32)
    fig, ax = plt.subplots()
    drawn = mc.plot_loss(history, ax=ax)
    fig.canvas.draw()  # the log axis and its margins stay inside the float range: no overflow warning
    assert ax.get_yscale() == "log"
    train, val, marks, val_marks, divergence = drawn
    ydata = train.get_ydata()
    assert np.all(np.isfinite(ydata)) and ydata.max() == 1e200  # clipped
    np.testing.assert_array_equal(ydata[:19], losses[:19])  # the part below the clip (up to 3e190), as it was
    above = sum(1 for v in losses if not np.isfinite(v) or v > 1e200)
    assert len(marks.get_offsets()) == above and len(val_marks.get_offsets()) >= 1
    assert "inf, NaN or > 1e+200" in marks.get_label() and divergence.get_label() == "diverged at epoch 33"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels.count("inf, NaN or > 1e+200 (drawn at 1e+200)") == 1


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"ax": 3}, TypeError, r"ax must be a matplotlib Axes"),
        ({"log": "yes"}, TypeError, r"log must be True or False"),
        ({"label": 5}, TypeError, r"label must be a string or None"),
    ],
)
def test_plot_loss_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        mc.plot_loss(mc.History(loss=[1.0, 0.5]), **kwargs)


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"layer": -1}, ValueError, r"layer must be between 0 and 0, got -1"),
        ({"layer": 0.0}, TypeError, r"layer must be an integer from 0 to 0"),
        ({"layer": True}, TypeError, r"layer must be an integer"),
        ({"layer": "0"}, TypeError, r"layer must be an integer"),
        ({"resolution": 1}, ValueError, r"resolution must be an integer >= 2"),
        ({"resolution": 2.5}, TypeError, r"resolution must be an integer >= 2"),
        ({"resolution": 10**9}, ValueError, r"resolution must be an integer from 2 to 1000"),
        ({"y": XOR_Y}, ValueError, r"y was given without X"),
        ({"X": XOR_X, "y": [0, 1]}, ValueError, r"y must hold one label per point"),
        ({"xlim": (1, -1)}, ValueError, r"xlim must be a pair \(low, high\) of finite numbers with low < high"),
        ({"ylim": (0, float("inf"))}, ValueError, r"ylim must be a pair"),
        ({"xlim": 3}, TypeError, r"xlim must be a pair"),
        ({"axes": ["a", "b", "c"]}, TypeError, r"axes\[0\] must be a matplotlib Axes"),
    ],
)
def test_hidden_units_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        mc.plot_hidden_units(NET, **kwargs)


def test_hidden_units_of_an_overflowed_network_are_titled_so():
    net = mc.MLP([2, 2, 1], "relu", seed=0)
    net.weights[0][:] = 1e308  # z = 1e308·(x1 + x2) overflows to ±inf over most of the plane
    images = mc.plot_hidden_units(net)
    images[0].axes.figure.canvas.draw()
    assert all(img.axes.get_title().endswith("overflowed") for img in images)


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=float)


def test_palette_png_looks_like_the_full_colour_png_and_is_smaller(trained):
    net, X, y, _ = trained
    drawn = mc.plot_decision_boundary(net, X, y, resolution=60)
    fig = drawn.ax.figure
    full = io.BytesIO()
    fig.savefig(full, format="png", bbox_inches="tight", facecolor="white")
    small = mc.plotting.palette_png(fig)
    image = Image.open(io.BytesIO(small))
    assert image.mode == "P" and len(image.getcolors(maxcolors=257)) <= 256
    reference = _pixels(full.getvalue())
    assert _pixels(small).shape == reference.shape  # same size, same tight box
    assert np.abs(_pixels(small) - reference).mean() < 2.0  # mean error below 2 of 255 levels per channel
    assert len(small) < len(full.getvalue())
    assert len(Image.open(io.BytesIO(mc.plotting.palette_png(fig, colours=4))).getcolors()) <= 4


def test_palette_png_keeps_the_colour_of_small_points_on_a_shaded_map(trained):
    # Hidden units' maps: smooth red/blue shading with the four XOR points on top, coloured by class.
    # Pillow's default median-cut palette spent its colours on the shading and drew the orange points
    # red (a per-pixel error of 68 of 255 levels here); no pixel may be that far off.
    net, X, y, _ = trained
    fig, axes = plt.subplots(1, 4, figsize=(10, 2.6))
    mc.plot_hidden_units(net, X, y, axes=axes)
    full = io.BytesIO()
    fig.savefig(full, format="png", bbox_inches="tight", facecolor="white")
    small = mc.plotting.palette_png(fig)
    plt.close(fig)
    error = np.abs(_pixels(small) - _pixels(full.getvalue())).max(axis=-1)  # worst channel, per pixel
    assert error.max() <= 30
    assert (_pixels(small)[0, 0] == 255).all()  # the white background stays exactly white


class _Shell:
    def __init__(self):
        self.display_formatter = DisplayFormatter()


def test_compact_figures_makes_the_notebook_show_palette_pngs(monkeypatch):
    shell = _Shell()
    monkeypatch.setattr(IPython, "get_ipython", lambda: shell)
    fig, ax = plt.subplots(figsize=(2, 2))
    ax.plot([0, 1], [1, 0])
    assert shell.display_formatter.format(fig)[0].get("image/png") is None  # nothing registered yet
    assert mc.plotting.compact_figures() is None  # nothing to show as a cell's last line
    shown = shell.display_formatter.format(fig)[0]["image/png"]
    assert shown == mc.plotting.palette_png(fig)


def test_compact_figures_outside_ipython_changes_nothing_and_says_so(monkeypatch, capsys):
    monkeypatch.setattr(IPython, "get_ipython", lambda: None)
    before = dict(plt.rcParams)
    mc.plotting.compact_figures()
    assert "not running in IPython" in capsys.readouterr().out
    assert dict(plt.rcParams) == before


@pytest.mark.parametrize("colours, error", [(1, ValueError), (257, ValueError), (2.5, TypeError), ("256", TypeError)])
def test_compact_figures_checks_colours(colours, error):
    with pytest.raises(error, match="colours"):
        mc.plotting.compact_figures(colours)
    with pytest.raises(error, match="colours"):
        mc.plotting.palette_png(plt.figure(), colours)


def test_palette_png_needs_a_figure():
    with pytest.raises(TypeError, match="fig must be a matplotlib Figure"):
        mc.plotting.palette_png(plt.axes())
