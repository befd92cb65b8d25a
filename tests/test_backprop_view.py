"""mc.show_backprop: every number the diagram holds is the package's own (float64).

Tolerances: values taken from the same API call are compared exactly; values the diagram
combines itself (w·δ sums, the per-neuron code's update done in another operation order) within
rtol 1e-12 (a few ulps of float64); central differences (h = 1e-6) within rtol 1e-6.
"""

import base64
import io
import itertools
import json
import re

import numpy as np
import pytest
from PIL import Image

import mlp_course as mc
from mlp_course import activations
from mlp_course.backprop_view import ladder_model, mlp_model
from mlp_course.backprop_view.draw import summary_figure, summary_png
from mlp_course.backprop_view.model import fmt

so = mc.stackoverflow
NETS = [
    ([2, 3, 1], "tanh", "sigmoid", "mse"),
    ([2, 4, 4, 1], "relu", "sigmoid", "mse"),
    ([3, 5, 2], "sigmoid", "linear", "mse"),
    ([2, 8, 8, 1], "tanh", "sigmoid", "bce"),
]


def _data(sizes, seed=1):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(5, sizes[0]))
    y = (rng.random((5, sizes[-1])) > 0.5).astype(float)
    return X, y


def _close(a, b, rtol=1e-12):
    np.testing.assert_allclose(np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64), rtol=rtol,
                               atol=rtol * 1e-3)


@pytest.mark.parametrize("sample", [0, 3, None], ids=["sample0", "sample3", "batch"])
@pytest.mark.parametrize("sizes, act, out, loss", NETS, ids=[str(n[0]) for n in NETS])
def test_every_number_is_the_packages(sizes, act, out, loss, sample):
    net = mc.MLP(sizes, activation=act, output_activation=out, seed=2)
    X, y = _data(sizes)
    rows = slice(None) if sample is None else slice(sample, sample + 1)
    model = mlp_model(net, X, y, sample=sample, lr=0.3, loss=loss)
    truth = net.loss_and_gradients(X[rows], y[rows], loss)
    zs, a = net.forward_all(X[rows])
    L = len(sizes) - 1
    for m in range(L + 1):
        _close(model.activations[m], a[m].mean(axis=0))
    for l in range(L):
        np.testing.assert_array_equal(model.deltas[l], truth.d_loss__d_biases[l])  # δ: dL/db of the rows shown
        np.testing.assert_array_equal(model.d_loss__d_weights[l], truth.d_loss__d_weights[l])
        np.testing.assert_array_equal(model.weight_steps[l], -0.3 * truth.d_loss__d_weights[l])
        np.testing.assert_array_equal(model.bias_steps[l], -0.3 * truth.d_loss__d_biases[l])
    assert model.loss == truth.loss
    stepped = net.copy()
    mc.train(stepped, X[rows], y[rows], lr=0.3, epochs=1, loss=loss)  # the package's own gradient-descent step
    for l in range(L):
        _close(model.new_weights[l], stepped.weights[l], 1e-14)
        _close(model.new_biases[l], stepped.biases[l], 1e-14)
    if sample is not None:  # the flows along the edges add up to each hidden δ: δ_k = (Σ_j w_kj δ_j)·f'(z_k)
        f = activations.get(act)
        for l in range(1, L):
            _close(model.flows[l].sum(axis=1) * f.derivative(zs[l - 1][0]), model.deltas[l - 1])
    # the JSON the browser draws from holds the same floats, digit for digit
    shipped = json.loads(json.dumps(model.to_json()))
    for l in range(L):
        np.testing.assert_array_equal(shipped["weight_steps"][l], model.weight_steps[l])
        np.testing.assert_array_equal(shipped["deltas"][l], model.deltas[l])


def test_batch_delta_is_the_sum_of_per_sample_deltas_each_with_1_over_n():
    net = mc.MLP([2, 3, 1], seed=0)
    X, y = mc.datasets.xor()
    batch = mlp_model(net, X, y, sample=None, lr=1.0)
    singles = [mlp_model(net, X, y, sample=i, lr=1.0) for i in range(4)]
    for l in range(2):
        _close(batch.deltas[l], sum(np.asarray(s.deltas[l]) for s in singles) / 4)
    assert "Σ_i δ_i" in batch.notes["2,0"] and "1/4" in batch.steps[3].caption + batch.steps[4].caption


def test_the_update_is_a_descent_step_by_central_differences():
    net = mc.MLP([2, 3, 1], seed=4)
    X, y = mc.datasets.xor()
    model, h = mlp_model(net, X, y, sample=None, lr=1.0), 1e-6
    for l, k, j in [(0, 0, 1), (1, 2, 0)]:
        plus, minus = net.copy(), net.copy()
        plus.weights[l][k, j] += h
        minus.weights[l][k, j] -= h
        numeric = (plus.loss(X, y) - minus.loss(X, y)) / (2 * h)
        np.testing.assert_allclose(-model.weight_steps[l][k, j], numeric, rtol=1e-6)


@pytest.mark.parametrize("rung", range(len(so.FIXES) + 1))
def test_each_rung_shows_the_ladders_own_step(rung):
    fixes = so.ladder(rung)
    for sample in range(4):
        model = ladder_model(fixes, sample=sample, lr=0.01)
        x, target = so.X[sample].astype(float), float(so.y[sample])
        g_w, g_b = so.per_neuron_gradients(model.weights, model.biases, x, target, fixes, 0.01)
        code = so.per_neuron_step(model.weights, model.biases, x, target, fixes, 0.01)
        for l in range(2):
            np.testing.assert_array_equal(model.d_loss__d_weights[l], g_w[l])
            np.testing.assert_array_equal(model.weight_steps[l], -0.01 * g_w[l])
            _close(model.new_weights[l], code.weights[l])  # what the code's own update left
            if g_b is not None:
                _close(model.new_biases[l], code.biases[l])
        assert model.has_biases == ("bias" in fixes)
        _close(model.activations[2], code.o)
        assert model.loss == pytest.approx(so.cost(code.o, target), rel=1e-15)


def test_rung_9_is_backprop():
    model = ladder_model(so.FIXES, sample=2, lr=0.01)
    net = mc.MLP.from_parameters(model.weights, model.biases, activation="sigmoid", output_activation="sigmoid")
    truth = net.loss_and_gradients(so.X[2:3], so.y[2:3], "mse")
    for l in range(2):
        _close(model.deltas[l], truth.d_loss__d_biases[l])
        _close(model.d_loss__d_weights[l], truth.d_loss__d_weights[l])
        _close(model.flows[1][:, 0], model.weights[1][:, 0] * model.deltas[1][0])


def test_rung_0_shows_the_three_bugs():
    model = ladder_model(so.ladder(0), sample=3, lr=0.01)
    assert all(np.all(s > 0) for s in model.weight_steps), "every Δw positive (bug 3 on U[0,1) weights)"
    cost = so.cost(model.activations[2], float(so.y[3]))
    assert f"c = {cost:.3g}" in model.notes["2,0"] and "COST'S VALUE" in model.steps[3].caption
    # the hidden error is built from the output weights already updated by this very step
    _close(model.flows[1][:, 0], model.weight_steps[1][:, 0] * model.new_weights[1][:, 0])
    assert not np.allclose(model.flows[1][:, 0], model.weight_steps[1][:, 0] * model.weights[1][:, 0])
    assert isinstance(model.deltas[1][0], list) and len(model.deltas[1][0]) == 2  # σ'(x): one δ per input
    for sample in range(4):
        assert all(np.all(s >= 0) for s in ladder_model((), sample=sample).weight_steps)


def test_per_neuron_step_leaves_the_ladder_bit_identical():
    for rung in (0, 4, 9):
        fixes = so.ladder(rung)
        start = so.train_fixed(fixes, max_iterations=1)
        g_w, _ = so.per_neuron_gradients(start.initial_weights, start.initial_biases, so.X[3], 0.0, fixes)
        step = so.per_neuron_step(start.initial_weights, start.initial_biases, so.X[3], 0.0, fixes)
        again, _ = so.per_neuron_gradients(start.initial_weights, start.initial_biases, so.X[3], 0.0, fixes)
        for a, b in zip(g_w, again):
            np.testing.assert_array_equal(a, b)  # the given parameters are not modified
        assert step.weights[0].shape == (2, 2) and step.weights[1].shape == (2, 1)


def test_the_view_displays_a_widget_a_png_and_a_fixed_text():
    X, y = mc.datasets.xor()
    view = mc.show_backprop(mc.MLP([2, 3, 1], seed=0), X, y, sample=1, step=2)
    data, _ = view._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in data
    png = Image.open(io.BytesIO(base64.b64decode(data["image/png"])))
    assert png.width >= 1200 and png.height >= 300
    again = mc.show_backprop(mc.MLP([2, 3, 1], seed=0), X, y, sample=1)
    assert data["text/plain"] == again._repr_mimebundle_()[0]["text/plain"]
    assert "0x" not in data["text/plain"]
    assert view.widget.step == 2
    view.step = 5
    assert view.widget.step == 5
    assert view.widget.data["weights"] == view.model.to_json()["weights"]


def test_static_picture_labels_are_readable():
    for model in (ladder_model(()), mlp_model(mc.MLP([2, 8, 8, 1], seed=0), *mc.datasets.xor(), sample=None)):
        fig = summary_figure(model)
        sizes = [t.get_fontsize() * fig.dpi / 72 for t in fig.findobj(lambda a: hasattr(a, "get_text")
                                                                       and hasattr(a, "get_fontsize"))
                 if t.get_text()]
        assert sizes and min(sizes) >= 11, min(sizes)


@pytest.mark.parametrize("call, name", [
    (lambda: mc.show_backprop(mc.MLP([2, 9, 1]), *mc.datasets.xor()), "net"),
    (lambda: mc.show_backprop(mc.MLP([2, 2, 2, 2, 2, 1]), *mc.datasets.xor()), "net"),
    (lambda: mc.show_backprop(mc.MLP([2, 3, 1]), *mc.datasets.xor(), sample=4), "sample"),
    (lambda: mc.show_backprop(mc.MLP([2, 3, 1])), "X"),
    (lambda: mc.show_backprop(so.ladder(2), so.X, so.y), "X"),
    (lambda: mc.show_backprop(so.ladder(2), sample=7), "sample"),
    (lambda: mc.show_backprop(so.ladder(2), step=99), "step"),
    (lambda: mc.show_backprop(mc.MLP([2, 3, 1]), *mc.datasets.xor(), lr=-1), "lr"),
])
def test_bad_arguments_are_named(call, name):
    with pytest.raises(ValueError, match=name):
        call()


@pytest.mark.parametrize("bad", ["descend", 3])
def test_neither_a_net_nor_fixes_is_a_type_error(bad):
    with pytest.raises(TypeError, match="fix"):
        mc.show_backprop(bad)


def _texts(fig):
    """Every text drawn on a figure (titles, node and edge labels; axes are off) with its box in pixels."""
    fig.canvas.draw()
    texts = [*fig.texts, *(t for ax in fig.axes for t in (*ax.texts, ax.title))]
    return [(t.get_text(), t.get_window_extent()) for t in texts if t.get_text() and t.get_visible()]


def test_minus_zero_reads_zero():
    assert fmt(-0.0) == "0" and fmt(0.0) == "0" and fmt(np.float64(-0.0)) == "0"
    assert fmt([-0.0, -1e-5, 0.25]) == "[0, -1e-05, 0.25]" and fmt(-0.0004) == "-0.0004"
    X, y = mc.datasets.xor()
    model = mlp_model(mc.MLP([2, 3, 1], seed=0), X, y, sample=1)  # x = (0, 1): the first input's Δw are −lr·0·δ
    assert any(np.signbit(s) and s == 0 for s in model.weight_steps[0].ravel())  # really −0.0 in the model
    shown = [text for text, _ in _texts(summary_figure(model))]
    assert "Δw=0" in shown
    assert not [t for t in shown if re.search(r"=-0(?![.\d])", t)], "−0 shown as '-0'"


NO_OVERLAP = {
    "xor [2, 3, 1] sample 1": lambda: mlp_model(mc.MLP([2, 3, 1], seed=0), *mc.datasets.xor(), sample=1),
    "xor [2, 3, 1] batch": lambda: mlp_model(mc.MLP([2, 3, 1], seed=0), *mc.datasets.xor(), sample=None),
    "rung 0": lambda: ladder_model(so.ladder(0), sample=3),
    "every fix": lambda: ladder_model(so.FIXES, sample=3),
    "[2, 8, 8, 1] batch": lambda: mlp_model(mc.MLP([2, 8, 8, 1], seed=0), *mc.datasets.xor(), sample=None),
}


@pytest.mark.parametrize("case", NO_OVERLAP)
def test_no_two_labels_of_the_static_picture_overlap(case):
    fig = summary_figure(NO_OVERLAP[case]())
    texts = _texts(fig)
    assert len(texts) > 20
    clashes = [(a, b) for (a, box_a), (b, box_b) in itertools.combinations(texts, 2) if box_a.overlaps(box_b)]
    assert clashes == []
    width, height = fig.get_size_inches() * fig.dpi  # cut to the drawing: no empty band under it
    lowest = min(box.y0 for _, box in texts)
    assert 0 <= lowest < 0.1 * height, (lowest, height)
    assert all(0 <= box.x0 and box.x1 <= width and box.y1 <= height for _, box in texts)


def test_the_batch_shows_each_samples_inputs_not_their_mean():
    X, y = mc.datasets.xor()
    model = mlp_model(mc.MLP([2, 3, 1], seed=0), X, y, sample=None)
    np.testing.assert_array_equal(model.inputs, X)
    assert json.loads(json.dumps(model.to_json()))["inputs"] == X.tolist()
    shown = [text for text, _ in _texts(summary_figure(model))]
    for j in range(2):
        assert f"x={fmt(X[:, j])}" in shown
    assert not any(t.startswith("x=0.5") for t in shown)
    assert mlp_model(mc.MLP([2, 3, 1], seed=0), X, y, sample=2).inputs is None


@pytest.mark.parametrize("case", ["xor [2, 3, 1] sample 1", "xor [2, 3, 1] batch", "rung 0", "every fix"])
def test_the_notebooks_pictures_are_small(case):
    png = Image.open(io.BytesIO(summary_png(NO_OVERLAP[case]())))
    assert png.mode == "P" and len(png.getcolors(256)) <= 256
    assert len(summary_png(NO_OVERLAP[case]())) <= 60_000  # 4 such pictures keep a notebook well under 600 KB
