"""Plots: they draw into the given Axes, return what they drew, and are labelled."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

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
