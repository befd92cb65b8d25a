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
from mlp_course.backprop_view.draw import NEGATIVE, summary_figure, summary_png
from mlp_course.backprop_view.model import fmt

so = mc.stackoverflow
SHOWN_WIDTH = 900
"""The width (CSS px) a notebook shows an output image at, at most: JupyterLab on a 1366 × 768 screen."""
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
    assert "Σᵢ δᵢ" in batch.notes["2,0"] and "1/4" in batch.steps[3].caption + batch.steps[4].caption


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
    assert 400 <= png.width <= SHOWN_WIDTH and png.height >= 600  # the three panels stacked
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
    assert len(summary_png(NO_OVERLAP[case]())) <= 70_000  # 4 such pictures keep a notebook well under 600 KB


def _update_title(model):
    return summary_figure(model).axes[2].get_title()


def test_the_update_panel_says_the_questions_sign_where_the_code_adds_its_step():
    first, last = _update_title(ladder_model(so.ladder(0), sample=3)), _update_title(ladder_model(so.FIXES, sample=3))
    assert "Δw = +lr·a·δ" in first and "bug 3" in first and "−lr" not in first
    assert last == "3. update: Δw = −lr·a·δ, Δb = −lr·δ"
    for rung in range(len(so.FIXES) + 1):
        fixes = so.ladder(rung)
        model = ladder_model(fixes, sample=1, lr=0.01)  # x = (0, 1)
        title, sign = _update_title(model), (-1.0 if "descend" in fixes else 1.0)
        assert ("+lr" in title) == ("descend" not in fixes) and ("Δb" in title) == model.has_biases
        h, x = model.activations[1], model.activations[0]
        delta_o = np.ravel(model.deltas[1][0])  # before fix 2 one entry per input: entry k pairs with h_k
        _close(model.weight_steps[1][:, 0], sign * 0.01 * h * (delta_o if delta_o.size > 1 else delta_o[0]))
        delta_h = np.array([np.ravel(model.deltas[0][k])[k if np.size(model.deltas[0][k]) > 1 else 0]
                            for k in range(2)])  # δ_k of hidden neuron k
        paired = sign * 0.01 * np.outer(x * delta_h, np.ones(2))  # edge k → j: x_k·δ_k, for every j
        assert ("bug 7" in title) == ("shapes" not in fixes)
        if "shapes" not in fixes:
            _close(model.weight_steps[0], paired)


def test_the_backward_panel_names_what_the_question_sends_back_before_fix_4():
    # before backprop_order the code sends lr·δ·h (its output step) through the already updated weights:
    # the labels must not call that w·δ
    for rung in range(len(so.FIXES) + 1):
        fixes = so.ladder(rung)
        model = ladder_model(fixes, sample=1, lr=0.01)
        figure = summary_figure(model)
        title = figure.axes[1].get_title()
        labels = [t.get_text() for t in figure.axes[1].texts]
        sent_back = np.ravel(model.flows[1])
        h, delta_o = model.activations[1], np.ravel(model.deltas[1][0])
        if "backprop_order" in fixes:
            assert title == "2. backward: δ, and w·δ along each edge"
            assert any(label.startswith("w·δ=") for label in labels)
            assert not any(label.startswith("sent=") for label in labels)
        else:
            assert "bug 4" in title and "already updated" in title
            assert any(label.startswith("sent=") for label in labels)
            assert not any(label.startswith("w·δ=") for label in labels)
            if delta_o.size == 1:  # from fix 2 on, δ_o is one number: the terms are lr·δ_o·h_k·w_new_k
                _close(sent_back, 0.01 * delta_o[0] * h * model.new_weights[1][:, 0])
        figure.clf()


def test_the_batch_update_panel_says_each_samples_a_delta_summed():
    net, (X, y), lr = mc.MLP([2, 3, 1], seed=0), mc.datasets.xor(), 2.0
    model = mlp_model(net, X, y, sample=None, lr=lr)
    assert _update_title(model) == "3. update: Δw = −lr·Σᵢ aᵢ·δᵢ, Δb = −lr·Σᵢ δᵢ"
    assert _update_title(mlp_model(net, X, y, sample=1, lr=lr)) == "3. update: Δw = −lr·a·δ, Δb = −lr·δ"
    _, a = net.forward_all(X)  # a[1]: (4, 3), each sample's hidden activations
    deltas = [net.loss_and_gradients(X[i:i + 1], y[i:i + 1]).d_loss__d_biases[1][0] / 4 for i in range(4)]
    by_hand = -lr * sum(a[1][i] * deltas[i] for i in range(4))  # (3,): −lr·Σᵢ aᵢ·δᵢ, edge by edge
    _close(model.weight_steps[1][:, 0], by_hand)
    shown_product = -lr * model.activations[1] * model.deltas[1][0]  # what "−lr·(mean a)·δ" would give
    assert not np.allclose(model.weight_steps[1][:, 0], shown_product, rtol=0.05)


@pytest.mark.parametrize("case", ["xor [2, 3, 1] batch", "rung 0"])
def test_the_static_picture_has_a_key_clear_of_the_diagram(case):
    fig = summary_figure(NO_OVERLAP[case]())
    assert len(fig.legends) == 1
    key = fig.legends[0]
    words = " ".join(t.get_text() for t in key.get_texts())
    assert "colour" in words and "red > 0" in words and "blue < 0" in words
    assert "width" in words and "|value|" in words and "dashed" in words and "w·δ" in words
    box = key.get_window_extent()
    width, height = fig.get_size_inches() * fig.dpi
    assert 0 <= box.x0 and box.x1 <= width and 0 <= box.y0 and box.y1 <= height
    assert not [text for text, other in _texts(fig) if other.overlaps(box)]
    colours = {tuple(line.get_color()) if not isinstance(line.get_color(), str) else line.get_color()
               for handle in key.legend_handles for line in ([handle] if hasattr(handle, "get_color") else [])}
    assert colours, "the key draws sample edges"


def test_the_pngs_negative_colour_survives_its_palette():
    png = Image.open(io.BytesIO(summary_png(NO_OVERLAP["rung 0"]()))).convert("RGB")  # no negative edge: the key only
    pixels = np.asarray(png).reshape(-1, 3).astype(int)
    negative = [int(NEGATIVE[i:i + 2], 16) for i in (1, 3, 5)]
    assert (np.abs(pixels - negative).sum(axis=1) <= 12).sum() >= 20


def _ink_height(image, box, height):
    """Rows (px) holding a label's ink in ``image``: pixels darker than its white box, in its (matplotlib) ``box``."""
    crop = np.asarray(image.crop((int(box.x0), int(height - box.y1), int(np.ceil(box.x1)),
                                  int(np.ceil(height - box.y0)))).convert("RGB")).astype(int)
    low = crop.min(axis=2)
    rows = np.flatnonzero((low < 175).any(axis=1))  # the white box around a label is lighter than any ink
    return rows.max() - rows.min() + 1


@pytest.mark.parametrize("case", ["xor [2, 3, 1] sample 1", "xor [2, 3, 1] batch", "rung 0", "every fix"])
def test_numbers_are_at_least_10_px_tall_where_a_notebook_shows_the_picture(case):
    model = NO_OVERLAP[case]()
    png = Image.open(io.BytesIO(summary_png(model)))
    shown = min(1.0, SHOWN_WIDTH / png.width)  # a notebook scales a wider picture down to its column
    fig = summary_figure(model)
    fig.canvas.draw()
    assert tuple(fig.get_size_inches() * fig.dpi) == pytest.approx(png.size, abs=1)
    edge_labels = [t for ax in fig.axes for t in ax.texts if re.match(r"(Δw|w·δ|w)=", t.get_text())]
    assert len(edge_labels) >= 8
    heights = [_ink_height(png, t.get_window_extent(), png.height) * shown for t in edge_labels]
    assert min(heights) >= 10, (png.size, min(heights))


def _segment_crosses(box, start, end):
    ts = np.linspace(0, 1, 400)[:, None]
    points = np.asarray(start) + ts * (np.asarray(end) - np.asarray(start))
    return bool(np.any((points[:, 0] > box.x0) & (points[:, 0] < box.x1) & (points[:, 1] > box.y0)
                       & (points[:, 1] < box.y1)))


@pytest.mark.parametrize("case", ["xor [2, 3, 1] sample 1", "xor [2, 3, 1] batch", "rung 0", "every fix"])
def test_each_edge_label_sits_on_its_own_edge_and_no_other(case):
    fig = summary_figure(NO_OVERLAP[case]())
    fig.canvas.draw()
    for ax in fig.axes:
        edges = [ax.transData.transform(line.get_xydata()) for line in ax.lines]
        for text in (t for t in ax.texts if re.match(r"(Δw|w·δ|w)=", t.get_text())):
            box = text.get_window_extent()
            crossing = [i for i, (start, end) in enumerate(edges) if _segment_crosses(box, start, end)]
            assert len(crossing) == 1, (ax.get_title(), text.get_text(), crossing)
            centre = ax.transData.transform(text.get_position())
            start, end = edges[crossing[0]]
            along = np.dot(centre - start, end - start) / np.dot(end - start, end - start)
            assert np.linalg.norm(start + along * (end - start) - centre) < 0.5  # centred on that edge
