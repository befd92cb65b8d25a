"""mc.show_backprop in a real browser (headless Chromium): drawn, steps forward and back, shows the kernel's numbers.

The stepping test runs on both surfaces a learner meets the diagram on: JupyterLab (the notebook run
with Run All Cells) and Voilà (the same notebook served as an app, no code or text output visible).
On both, the kernel writes its model's numbers into a hidden HTML output (``.mlp-bp-json``) for the
test to read back. The overlap test is about layout, the same SVG on both: JupyterLab only.
"""

from __future__ import annotations

import json

import browser_harness as bh
import pytest

from mlp_course.backprop_view.model import fmt

CELLS = [
    "import html, json\nimport mlp_course as mc\nfrom IPython.display import HTML\n"
    "view = mc.show_backprop(mc.MLP([2, 3, 1], seed=0), *mc.datasets.xor(), sample=1)\nview",
    # The kernel's numbers, for the test to read (hidden: Voilà shows outputs as part of the app).
    "HTML('<pre class=\"mlp-bp-json\" hidden>' + html.escape(json.dumps(view.model.to_json())) + '</pre>')",
    "big = mc.show_backprop(mc.MLP([2, 8, 8, 1], seed=0), *mc.datasets.xor())  # the whole batch\nbig",
]
VOILA_CELLS = 2  # Voilà serves the first diagram and its numbers: the stepping test reads nothing else

_NUMBERS = """root => Object.fromEntries([...root.querySelectorAll('[data-key]')]
    .map(t => [t.dataset.key, JSON.parse(t.dataset.value)]))"""

_TEXTS = """root => [...root.querySelectorAll('[data-key]')].map(t => [t.dataset.key, t.textContent,
                                                                     JSON.parse(t.dataset.value)])"""

_OVERLAPS = """root => {  // pairs of texts of the diagram whose drawn boxes overlap by more than half a pixel
    const boxes = [...root.querySelectorAll('svg text')].map(t => [t.textContent, t.getBBox()]), clashes = [];
    boxes.forEach(([a, p], i) => boxes.slice(i + 1).forEach(([b, q]) => {
        if (Math.min(p.x + p.width, q.x + q.width) - Math.max(p.x, q.x) > 0.5
            && Math.min(p.y + p.height, q.y + q.height) - Math.max(p.y, q.y) > 0.5) clashes.push(a + " / " + b);
    }));
    return clashes;
}"""


_CROSSED = """root => {  // edge labels whose box an edge other than their own passes through (or none does)
    const edges = [...root.querySelectorAll('svg line.mlp-bp-edge')]
        .map(l => ['x1', 'y1', 'x2', 'y2'].map(a => Number(l.getAttribute(a))));
    const through = (b, [x1, y1, x2, y2]) => Array.from({length: 401}, (_, i) => i / 400).some(t => {
        const x = x1 + t * (x2 - x1), y = y1 + t * (y2 - y1);
        return x > b.x && x < b.x + b.width && y > b.y && y < b.y + b.height;
    });
    return [...root.querySelectorAll('svg text[data-key]')].filter(t => /^(w|w_new|dw|flow):/.test(t.dataset.key))
        .map(t => [t.dataset.key, edges.filter(e => through(t.getBBox(), e)).length]).filter(([, n]) => n !== 1);
}"""


def _notebook(folder, sources: list[str]):
    cells = [{"cell_type": "code", "execution_count": None, "id": f"c{i}", "metadata": {}, "outputs": [],
              "source": source} for i, source in enumerate(sources)]
    nb = {"cells": cells, "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                      "language": "python"}}, "nbformat": 4, "nbformat_minor": 5}
    (folder / "backprop.ipynb").write_text(json.dumps(nb))
    return folder / "backprop.ipynb"


def _expected(model: dict, key: str):
    kind, *index = key.split(":")
    index = [int(i) for i in index]
    source = {"a": "activations", "w": "weights", "w_new": "new_weights", "dw": "weight_steps", "flow": "flows",
              "b": "biases", "db": "bias_steps", "b_new": "new_biases", "delta": "deltas"}[kind]
    if kind == "x":  # a whole batch's input node: its column of x
        return [row[index[1]] for row in model["inputs"]]
    if kind in ("delta", "b", "db", "b_new"):  # node m of layer m >= 1 holds layer m - 1's entry
        index[0] -= 1
    value = model[source]
    for i in index:
        value = value[i]
    return value


@pytest.fixture(scope="module")
def backprop_page(request, browser, tmp_path_factory, mplconfig):
    """The diagrams on a page: ``lab`` (Run All Cells in JupyterLab) or ``voila`` (the notebook as an app)."""
    surface = request.param
    base = tmp_path_factory.mktemp(f"backprop-{surface}")
    (base / "home").mkdir()
    (base / "nb").mkdir()
    notebook = _notebook(base / "nb", CELLS if surface == "lab" else CELLS[:VOILA_CELLS])
    if surface == "lab":
        server = bh.start_lab(base / "home", base / "nb", mplconfig)
    else:
        server = bh.start_voila(base / "home", notebook, mplconfig)
    watched = None
    try:
        watched = bh.new_page(browser, f"backprop-{surface}")
        if surface == "lab":
            bh.open_notebook(watched.page, server, notebook.name)
            bh.clear_and_run_all(watched.page)
            watched.page.wait_for_selector(".mlp-backprop >> nth=1", timeout=20_000)
        else:
            watched.page.goto(server.url("/"), timeout=60_000)  # Voilà runs the notebook as the page loads
        watched.page.wait_for_selector(".mlp-backprop [data-key]", timeout=30_000)
        watched.page.wait_for_selector(".mlp-bp-json", state="attached", timeout=20_000)
        yield watched, base
    except BaseException:
        if watched is not None:
            print(f"\nartifacts kept in {bh.save_failure(watched, [server], f'backprop-{surface}-setup')}")
        raise
    finally:
        if watched is not None:
            bh.close_page(watched)
        server.stop()


@pytest.mark.parametrize("backprop_page", ["lab", "voila"], indirect=True)
def test_the_diagram_steps_and_shows_the_kernels_numbers(backprop_page):
    watched, base = backprop_page
    page = watched.page
    root = page.locator(".mlp-backprop").first
    pic = bh.picture(root.screenshot(path=str(base / "diagram-step1.png")))
    assert pic.width > 400 and pic.height > 200 and pic.colors > 8 and pic.ink > 0.01, pic
    model = json.loads(page.locator(".mlp-bp-json").first.text_content())  # the kernel's numbers
    assert not page.locator(".mlp-bp-json").first.is_visible()
    counter = root.locator(".mlp-bp-counter")
    assert counter.get_attribute("data-step") == "0"
    first = root.evaluate(_NUMBERS)

    root.locator(".mlp-bp-next").click()  # a button
    root.click(position={"x": 20, "y": 80})
    page.keyboard.press("ArrowRight")  # and a key
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert counter.get_attribute("data-step") == "4"
    later = root.evaluate(_NUMBERS)
    assert later != first and any(k.startswith("delta") for k in later)
    page.keyboard.press("ArrowLeft")
    assert counter.get_attribute("data-step") == "3"
    while root.locator(".mlp-bp-next").is_enabled():
        root.locator(".mlp-bp-next").click()
    root.screenshot(path=str(base / "diagram-last.png"))
    root.locator(".mlp-bp-prev").click()  # the last update step: Δw on the first layer's edges
    seen = {**first, **later, **root.evaluate(_NUMBERS)}
    root.locator(".mlp-bp-next").click()
    seen.update(root.evaluate(_NUMBERS))
    assert {k.split(":")[0] for k in seen} >= {"a", "delta", "w", "dw", "w_new", "b", "db", "b_new"}
    for key, value in seen.items():
        assert value == _expected(model, key), key  # the page's float is the kernel's, digit for digit
    page.screenshot(path=str(base / "page.png"), full_page=True)
    assert bh.problems(watched) == []


@pytest.mark.parametrize("backprop_page", ["lab"], indirect=True)
@pytest.mark.parametrize("which", [0, 1], ids=["[2, 3, 1] sample 1", "[2, 8, 8, 1] batch"])
def test_no_two_numbers_overlap_at_any_step_and_edges_tell_their_value(backprop_page, which):
    watched, base = backprop_page
    page = watched.page
    root = page.locator(".mlp-backprop").nth(which)
    root.locator(".mlp-bp-prev").wait_for()
    while root.locator(".mlp-bp-prev").is_enabled():
        root.locator(".mlp-bp-prev").click()
    sizes, step = set(), 0
    while True:
        assert root.evaluate(_OVERLAPS) == [], f"step {step}"
        if which == 0:  # [2, 3, 1]: the crossing first-layer edges' labels each sit on their own edge only
            assert root.evaluate(_CROSSED) == [], f"step {step}"
        for key, text, value in root.evaluate(_TEXTS):  # what the page reads is the package's format of its float
            assert text.endswith("=" + fmt(value)), (key, text, value)
        sizes.add(root.locator("svg").evaluate("s => s.getAttribute('viewBox')"))
        if not root.locator(".mlp-bp-next").is_enabled():
            break
        root.locator(".mlp-bp-next").click()
        step += 1
    root.screenshot(path=str(base / f"diagram-{which}-last.png"))
    assert step >= 7 and len(sizes) == 1  # one frame for every step: the picture does not jump while stepping
    edges, hovers = root.locator("line.mlp-bp-edge").count(), root.locator("line.mlp-bp-hover title").count()
    assert edges == hovers > 0  # every edge, labelled or not, tells its value on hover
    if which == 1:
        assert root.locator("[data-key^='x:0:']").count() == 2  # the inputs show each sample's x, not their mean
    key = root.locator(".mlp-bp-key").text_content()  # the key: what colour, width and dashes mean
    assert "red > 0" in key and "blue < 0" in key and "|value|" in key and "dashed" in key
    assert bh.problems(watched) == []
