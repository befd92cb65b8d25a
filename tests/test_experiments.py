"""mc.experiments: splits are reproducible and disjoint, a run is exactly mc.train with the test part
as validation data, and plot_runs draws what it says."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

import mlp_course as mc
from mlp_course.experiments import SPLIT_DATASETS, ExperimentResult, Split, make_split, plot_runs, run


@pytest.mark.parametrize("name", ["circle", "gauss", "spiral", "moons"])
def test_make_split_partitions_the_dataset_reproducibly(name):
    data = make_split(name, n=50, noise=0.2, test_fraction=0.3, seed=4)
    assert data.X_train.shape == (35, 2) and data.y_train.shape == (35, 1)
    assert data.X_test.shape == (15, 2) and data.y_test.shape == (15, 1)
    X, y = mc.datasets.DATASETS[name](n=50, noise=0.2, seed=4)
    together = np.vstack([data.X_train, data.X_test])
    order = np.lexsort(together.T)
    np.testing.assert_array_equal(together[order], X[np.lexsort(X.T)])  # every point once, none invented
    np.testing.assert_array_equal(np.vstack([data.y_train, data.y_test])[order], y[np.lexsort(X.T)])
    again = make_split(name, n=50, noise=0.2, test_fraction=0.3, seed=4)
    np.testing.assert_array_equal(again.X_test, data.X_test)
    other = make_split(name, n=50, noise=0.2, test_fraction=0.3, seed=5)
    assert not np.array_equal(other.X_test, data.X_test)
    assert repr(data) == f"Split('{name}': 35 training points, 15 test points)"


@pytest.mark.parametrize("bad", ["xor", "spirals", 3])
def test_make_split_rejects_unknown_datasets(bad):
    with pytest.raises(ValueError, match="dataset"):
        make_split(bad)


def test_run_is_mc_train_with_the_test_part_as_validation_data():
    data = make_split("moons", n=60, noise=0.1, seed=1)
    result = run(data, [2, 5, 1], activation="relu", init="he", seed=3, lr=0.5, epochs=40, loss="bce", batch_size=8)
    net = mc.MLP([2, 5, 1], "relu", "sigmoid", init="he", seed=3)
    history = mc.train(net, data.X_train, data.y_train, lr=0.5, epochs=40, loss="bce", batch_size=8, seed=3,
                       X_val=data.X_test, y_val=data.y_test)
    assert result.history.loss == history.loss and result.history.val_loss == history.val_loss
    for a, b in zip(result.net.parameters, net.parameters):
        np.testing.assert_array_equal(a, b)
    assert result.test_accuracy == history.val_accuracy[-1] == mc.accuracy(net, data.X_test, data.y_test)
    assert result.train_accuracy == history.accuracy[-1]
    assert result.seconds > 0
    assert result.label == "[2, 5, 1] relu"
    assert repr(result).startswith("ExperimentResult('[2, 5, 1] relu': 40 epochs, train accuracy")


def test_run_never_trains_on_the_test_part():
    data = make_split("circle", n=40, noise=0.1, seed=0)
    swapped = Split("circle", data.X_train, data.y_train, data.X_test, 1 - data.y_test)  # test labels flipped
    a, b = run(data, [2, 4, 1], epochs=30), run(swapped, [2, 4, 1], epochs=30)
    assert a.history.loss == b.history.loss  # training is blind to the test labels
    assert a.history.val_loss != b.history.val_loss


def test_run_rejects_what_is_not_a_split():
    with pytest.raises(TypeError, match="Split"):
        run(mc.datasets.xor(), [2, 4, 1])


def test_run_with_zero_epochs_has_nan_accuracies():
    r = run(make_split("gauss", n=20), [2, 3, 1], epochs=0)
    assert r.history.epochs == 0 and np.isnan(r.test_accuracy) and np.isnan(r.train_accuracy)


@pytest.fixture(scope="module")
def two_runs():
    data = make_split("gauss", n=30, noise=0.1, seed=0)
    return data, [run(data, [2, 3, 1], epochs=5, label="a"), run(data, [2, 3, 3, 1], epochs=7, label="b")]


def test_plot_runs_draws_a_boundary_per_run_and_two_curves_per_run(two_runs):
    data, runs = two_runs
    fig, axes = plot_runs(runs, data, resolution=20)
    try:
        assert len(axes) == 3 and all(ax.figure is fig for ax in axes)
        assert axes[0].get_title() == f"a\ntest accuracy {runs[0].test_accuracy:.2f}"
        assert axes[1].title.get_color() == lines_colour(axes[-1], 2)  # a run's title has its curves' colour
        lines = axes[-1].get_lines()
        assert [line.get_label() for line in lines] == ["a: training", "a: test", "b: training", "b: test"]
        assert [len(line.get_xdata()) for line in lines] == [5, 5, 7, 7]
        np.testing.assert_array_equal(lines[3].get_ydata(), runs[1].history.val_loss)
        assert [line.get_linestyle() for line in lines] == ["-", "--", "-", "--"]
        assert lines[0].get_color() == lines[1].get_color() != lines[2].get_color()
        assert axes[-1].get_yscale() == "log" and "dashed: test" in axes[-1].get_title()
    finally:
        plt.close(fig)


def lines_colour(ax, index):
    return ax.get_lines()[index].get_color()


def test_plot_runs_puts_the_loss_panel_under_the_boundaries_as_wide_as_their_row(two_runs):
    data, runs = two_runs
    fig, axes = plot_runs(runs, data, resolution=20)
    fig.canvas.draw()
    first, last, loss = (ax.get_position() for ax in (axes[0], axes[1], axes[2]))
    assert loss.y1 < min(first.y0, last.y0)  # below both
    assert loss.x0 < first.x0 + 0.1 and loss.x1 > last.x1 - 0.1  # spanning the row
    assert fig.get_size_inches()[0] <= 8.5  # about 800 px at 100 dpi, not 1,400
    plt.close(fig)


def test_plot_runs_arranges_ncols_boundaries_a_row():
    data = make_split("gauss", n=20, seed=0)
    runs = [run(data, [2, 2, 1], epochs=2, label=str(i)) for i in range(4)]
    fig, axes = plot_runs(runs, data, ncols=2, resolution=10)
    boxes = [ax.get_position() for ax in axes]
    assert abs(boxes[0].y0 - boxes[1].y0) < 1e-9 and boxes[2].y1 < boxes[0].y0  # two rows of two
    assert boxes[4].y1 < boxes[2].y0
    plt.close(fig)


@pytest.mark.parametrize("legend", ["beside", "below"])
def test_plot_runs_legend_beside_or_below_stays_off_the_curves(two_runs, legend):
    data, runs = two_runs
    fig, axes = plot_runs(runs, data, resolution=20, legend=legend)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    box, panel = axes[-1].get_legend().get_window_extent(renderer), axes[-1].get_window_extent(renderer)
    assert not box.overlaps(panel)
    assert (box.x0 >= panel.x1) if legend == "beside" else (box.y1 <= panel.y0)
    x_label = axes[-1].xaxis.label.get_window_extent(renderer)
    assert not box.overlaps(x_label)
    plt.close(fig)


def test_plot_runs_draws_into_given_axes(two_runs):
    data, runs = two_runs
    fig, named = plt.subplot_mosaic("ABE;CDF")
    drawn = plot_runs(runs, data, [named[k] for k in "ABE"], resolution=10, legend="lower left", log=False)
    assert drawn.fig is fig and drawn.axes == [named[k] for k in "ABE"]
    assert named["A"].get_title().startswith("a\n") and len(named["E"].get_lines()) == 4
    fig.canvas.draw()
    legend, panel = named["E"].get_legend().get_window_extent(), named["E"].get_window_extent()
    assert 0 <= legend.x0 - panel.x0 < 20 and 0 <= legend.y0 - panel.y0 < 20  # in the lower left corner
    assert named["E"].get_yscale() == "linear"
    assert not named["C"].has_data() and not named["F"].get_lines()  # nothing drawn elsewhere
    assert plot_runs(runs, data, [named[k] for k in "CDF"], resolution=10, legend=None).axes[-1].get_legend() is None
    plt.close(fig)


def test_plot_runs_without_a_test_part_draws_training_curves_only():
    data = make_split("moons", n=20, test_fraction=0, seed=0)
    fig, axes = plot_runs([run(data, [2, 2, 1], epochs=3, label="a")], data, resolution=10)
    assert [line.get_label() for line in axes[-1].get_lines()] == ["a: training"]
    assert "test" not in axes[-1].get_title()
    plt.close(fig)


@pytest.mark.parametrize("runs", [None, 3, "runs", [], [None], [mc.MLP([2, 2, 1])]])
def test_plot_runs_rejects_what_is_not_runs_naming_runs(runs):
    with pytest.raises(TypeError, match="runs must be a non-empty sequence of ExperimentResult"):
        plot_runs(runs, make_split("gauss", n=20))


def test_plot_runs_checks_its_other_arguments_by_name(two_runs):
    data, runs = two_runs
    fig, axes = plt.subplots(1, 3)
    for kwargs, error, name in [({"axes": axes[:2]}, ValueError, "axes"), ({"axes": axes[0]}, TypeError, "axes"),
                                ({"axes": [1, 2, 3]}, TypeError, "axes"), ({"legend": "left"}, ValueError, "legend"),
                                ({"ncols": 0}, ValueError, "ncols"), ({"ncols": 1.5}, TypeError, "ncols"),
                                ({"size": 0}, ValueError, "size"), ({"size": "3"}, TypeError, "size")]:
        with pytest.raises(error, match=name):
            plot_runs(runs, data, resolution=10, **kwargs)
    with pytest.raises(TypeError, match="split"):
        plot_runs(runs, (data.X_train, data.y_train))
    assert isinstance(runs[0], ExperimentResult)
    plt.close("all")


def test_every_dataset_that_draws_points_can_be_split():
    assert SPLIT_DATASETS == tuple(name for name in mc.datasets.DATASETS if name != "xor")


def test_a_test_fraction_of_zero_holds_nothing_out():
    data = make_split("moons", n=30, test_fraction=0, seed=2)
    X, y = mc.datasets.moons(n=30, seed=2)
    assert np.array_equal(data.X_train, X) and np.array_equal(data.y_train, y)
    assert data.X_test is None and data.y_test is None and data.n_test == 0
    assert repr(data) == "Split('moons': 30 training points, 0 test points)"
    result = run(data, [2, 3, 1], epochs=2)
    assert result.history.val_loss == [] and np.isnan(result.test_accuracy)


@pytest.mark.parametrize("seed, error", [(-1, ValueError), (2**63, ValueError), (1.5, TypeError), ("0", TypeError)])
def test_seeds_are_checked_and_named(seed, error):
    with pytest.raises(error, match="seed"):
        make_split("gauss", n=10, seed=seed)
    with pytest.raises(error, match="seed"):
        run(make_split("gauss", n=10), [2, 2, 1], epochs=1, seed=seed)


@pytest.mark.parametrize("fraction, error", [(1.0, ValueError), (-0.1, ValueError), (True, TypeError),
                                             ("0.3", TypeError), (10**400, ValueError)])
def test_bad_test_fractions_are_named(fraction, error):
    with pytest.raises(error, match="test_fraction"):
        make_split("gauss", n=10, test_fraction=fraction)
