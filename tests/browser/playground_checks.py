"""The checks a learner's eyes make, run on every surface (JupyterLab and Voilà).

Each takes a :class:`browser_harness.Surface` (a page showing the playground) and asserts with a
message that says what the user would have seen. A check that changes the playground first brings
it back to its starting configuration (:func:`back_to_start`), so that no check depends on another.

The pictures are canvases drawn by the browser (mlp_course.playground.view); they are decoded from
the page (``canvas.toDataURL``) and measured. The view writes what it drew on its element
(``.mlp-view``): ``data-frame``, ``data-config``, ``data-output-sum``, ``data-draw-count``, sizes.
"""

from __future__ import annotations

from functools import cache

import browser_harness as bh
import numpy as np

# The extreme setting that makes training diverge, as mlp_course.playground documents it
# (``ui.set(lr=10.0, loss="bce")``; notebook 06 shows it): from the starting configuration (XOR,
# tanh) it diverges within a few epochs. Set in this order; the last change retrains with all.
DIVERGING_SETTING = (("loss", "bce"), ("learning rate", "10"))
DIVERGED_WORDS = "diverged at epoch"


@cache
def starting_status() -> str:
    """The status line of the playground's starting configuration (both pages open the defaults),
    computed here with the playground's own run (no widgets)."""
    from mlp_course.playground.config import PlaygroundConfig
    from mlp_course.playground.run import PlaygroundRun

    run = PlaygroundRun(PlaygroundConfig())
    run.train_to(run.config.epochs)
    return run.page_status()


def back_to_start(surface: bh.Surface) -> None:
    """Press Reset and wait until the page shows the starting network, drawn (from any state)."""
    page = surface.page
    page.get_by_role("button", name="Reset", exact=True).click()
    try:
        bh.wait_status(surface.watched, starting_status())
    except AssertionError as exc:
        raise AssertionError(f"{surface.name}: Reset did not bring back the starting network: {exc}") from exc
    dataset = bh.control(page, "dataset").locator("select").input_value()
    assert dataset == "xor", f"{surface.name}: Reset left the dataset at {dataset!r}"
    pic, _, _ = bh.wait_drawn(page, watched=surface.watched)
    assert pic.drawn, f"{surface.name}: after Reset the boundary is blank: {pic}"


def assert_no_problems(surface: bh.Surface, when: str) -> None:
    found = bh.problems(surface.watched)
    assert not found, f"{surface.name}: {when}:\n" + "\n".join(found)


def check_first_draw(surface: bh.Surface) -> None:
    """The boundary is drawn (not blank, not missing) right after the notebook ran, and stays drawn."""
    first = surface.first
    assert first.error is None, f"{surface.name}: no boundary picture after the run: {first.error}"
    assert first.drawn, f"{surface.name}: the boundary came up blank after the run: {first.picture}"
    assert first.still_drawn, f"{surface.name}: the boundary went blank a second after it was drawn"
    for css_class in ("mlp-loss", "mlp-network"):
        pic, _ = bh.look(surface.page, css_class)
        assert pic.shows_plot(), f"{surface.name}: the .{css_class} view is blank or missing: {pic}"
    status = bh.status_text(surface.page)
    assert status.strip(), f"{surface.name}: the status line is empty"
    assert "nan" not in status.lower(), f"{surface.name}: the status shows NaN: {status!r}"
    if surface.name == "voila":  # the app's only playground: the frame of the page load, never a second one
        drawn = view_data(surface.page)
        assert drawn["frame"] == "1", (f"{surface.name}: the playground was retrained after the page opened "
                                       f"(frame {drawn['frame']}, {drawn['config']}): a slider echoed its value?")


def view_data(page) -> dict:
    """What the first playground view wrote on its element after its last draw (``data-*``)."""
    return page.evaluate("() => { const el = document.querySelector('.mlp-view'); return el ? {...el.dataset} : {}; }")


def expected_frame(config_string: str) -> tuple[str, float]:
    """The status and the sum of the output map that the kernel's playground shows for ``config_string``."""
    from mlp_course.playground.config import PlaygroundConfig
    from mlp_course.playground.frame import network_frame
    from mlp_course.playground.run import PlaygroundRun

    run = PlaygroundRun(PlaygroundConfig.parse(config_string))
    run.train_to(run.config.epochs)
    return run.page_status(), network_frame(run, 0)["output_sum"]


def _redrawn(surface: bh.Surface, old_src: str | None, what: str) -> tuple[bh.Picture, bytes]:
    try:
        pic, png, _ = bh.wait_drawn(surface.page, old_src=old_src, watched=surface.watched)
    except Exception as exc:
        found = "\n".join(bh.problems(surface.watched))
        raise AssertionError(f"{surface.name}: the boundary was not redrawn after {what}: {exc}\n{found}") from exc
    assert pic.drawn, f"{surface.name}: after {what} the boundary is blank: {pic}"
    return pic, png


def _pixels(png: bytes) -> np.ndarray:
    import io

    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def check_slider_redraws(surface: bh.Surface) -> None:
    """Moving the learning-rate slider with the keyboard changes its value and redraws the boundary."""
    back_to_start(surface)
    page = surface.page
    old_src, old_value = bh.image_src(page), bh.slider_readout(page, "learning rate")
    bh.nudge_slider(page, "learning rate", "ArrowLeft")
    page.wait_for_function(
        "([el, old]) => el.textContent.trim() !== old",
        arg=[bh.control(page, "learning rate").locator(".widget-readout").element_handle(), old_value],
        timeout=5_000,
    )
    new_value = bh.slider_readout(page, "learning rate")
    _redrawn(surface, old_src, f"moving the learning rate from {old_value} to {new_value}")
    assert_no_problems(surface, "after moving the learning-rate slider")


_COUNT_FRAMES = """() => {
    const el = document.querySelector('.mlp-view');
    window.__mlpFrames = [];
    window.__mlpObserver && window.__mlpObserver.disconnect();
    window.__mlpObserver = new MutationObserver(() => window.__mlpFrames.push(el.dataset.frame));
    window.__mlpObserver.observe(el, {attributes: true, attributeFilter: ['data-frame']});
}"""


def drag_slider(page, description: str, fraction: float, steps: int = 16, pause_ms: int = 80) -> None:
    """Drag a slider's handle with the mouse to ``fraction`` of its track, in ``steps`` moves."""
    box = bh.control(page, description)
    track = box.locator(".noUi-target").bounding_box()
    handle = box.locator(".noUi-handle").bounding_box()
    x, y = handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2
    target = track["x"] + fraction * track["width"]
    page.mouse.move(x, y)
    page.mouse.down()
    for k in range(1, steps + 1):
        page.mouse.move(x + (target - x) * k / steps, y)
        page.wait_for_timeout(pause_ms)
    page.mouse.up()


def check_slider_drag_follows(surface: bh.Surface) -> None:
    """Dragging the learning-rate slider redraws while it moves (several frames, no blank one) and ends on
    the picture of the value it was released at: the kernel's own status and output map for that config."""
    back_to_start(surface)
    page = surface.page
    before = view_data(page)
    page.evaluate(_COUNT_FRAMES)
    drag_slider(page, "learning rate", 0.45)  # from lr 2 (near the right end) down to about 0.02
    readout = bh.slider_readout(page, "learning rate")
    try:
        page.wait_for_function(
            "(r) => { const el = document.querySelector('.mlp-view'); const m = /lr=(\\S+)/.exec(el.dataset.config);"
            " return m && Math.abs(Number(m[1]) / Number(r) - 1) < 0.01; }", arg=readout, timeout=20_000)
    except Exception as exc:
        found = "\n".join(bh.problems(surface.watched))
        raise AssertionError(f"{surface.name}: after dragging the learning rate to {readout} the picture of that "
                             f"value never came: {view_data(page)}\n{found}") from exc
    page.wait_for_timeout(300)  # nothing else may follow
    frames = page.evaluate("() => window.__mlpFrames")
    after = view_data(page)
    assert len(set(frames)) >= 3, (f"{surface.name}: dragging the learning rate redrew only {len(set(frames))} "
                                   f"time(s) (frames {frames}): the pictures do not follow the slider")
    assert int(after["drawCount"]) - int(before["drawCount"]) == len(frames)
    pic, _ = bh.look(page)
    assert pic.drawn, f"{surface.name}: after the drag the boundary is blank: {pic}"
    status, output_sum = expected_frame(after["config"])
    assert bh.status_text(page).strip() == status, f"{surface.name}: status {bh.status_text(page)!r}, kernel {status!r}"
    assert abs(float(after["outputSum"]) - output_sum) <= 1e-6 * abs(output_sum), (
        f"{surface.name}: the boundary drawn is not the network of {after['config']}: output sum "
        f"{after['outputSum']} on the page, {output_sum} in the kernel")
    assert_no_problems(surface, "after dragging the learning-rate slider")


def check_projection(surface: bh.Surface, screenshot: str | None = None) -> dict:
    """The classroom app at 1920 × 1080: fills the screen, text ≥ 20 px, boundary ≥ 600 px, hidden maps
    ≥ 120 px, the controls on screen, a line saying what to try, pictures redrawn sharp at 175 % zoom."""
    page = surface.page
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.wait_for_timeout(300)
    m = page.evaluate(_MEASURE)
    found = []
    if m["root"]["width"] < 0.85 * 1920:
        found.append(f"the playground is {m['root']['width']:.0f} px wide: it does not fill the screen")
    if m["lowest_control"] > 1080:
        found.append(f"controls end at {m['lowest_control']:.0f} px, below the 1080 px screen")
    small = {what: size for what, size in m["fonts"].items() if size < 20}
    if small:
        found.append(f"text under 20 px: {small}")
    view = m["view"]
    if float(view["font"]) < 20:
        found.append(f"the pictures' text is {view['font']} px")
    if min(float(view["plotWidth"]), float(view["plotHeight"])) < 600 or m["boundary"]["width"] < 600:
        found.append(f"the boundary is {m['boundary']} (axes {view['plotWidth']} × {view['plotHeight']}), not ≥ 600 px")
    if float(view["tile"]) < 120:
        found.append(f"the hidden maps are {view['tile']} px, not ≥ 120 px")
    if "learning rate" not in m["hint"]:
        found.append(f"no line on screen says what to try: {m['hint']!r}")
    if screenshot:
        page.screenshot(path=screenshot)
    # browser zoom 175 %: the canvases are drawn again at the new devicePixelRatio (sharp, not scaled up).
    # Emulated with DevTools' device scale factor; a real zoom also resizes the CSS viewport and fires
    # "resize", which the emulation does not: the check fires it.
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("Emulation.setDeviceMetricsOverride", {"width": 1920, "height": 1080, "deviceScaleFactor": 1.75,
                                                         "mobile": False})
        page.evaluate("() => window.dispatchEvent(new Event('resize'))")
        page.wait_for_function("() => document.querySelector('.mlp-view').dataset.dpr === '1.75'", timeout=10_000)
        zoomed = page.evaluate(_BACKING)
        if any(abs(c["backing"] - 1.75 * c["css"]) > 2 for c in zoomed):
            found.append(f"at 175 % the canvases are not drawn at the screen's pixels: {zoomed}")
    finally:
        cdp.send("Emulation.clearDeviceMetricsOverride")
        cdp.detach()
    assert not found, f"{surface.name} at 1920 × 1080:\n" + "\n".join(found)
    return m


CLASSROOM_SCREENS = ((1366, 768), (1280, 720), (1024, 768))
"""Common projector and laptop resolutions (CSS pixels) the classroom app must fit without scrolling."""


def check_projection_fits(surface: bh.Surface, width: int, height: int, screenshot: str | None = None) -> dict:
    """The classroom app at ``width`` × ``height``, scrolled to the top: the boundary and the learning-rate
    slider (the picture and the control a teacher drags) entirely on screen, every text at least the
    projection size (:data:`mlp_course.playground.view.SIZES`), the boundary at least 0.6 × the screen's
    height; from 1280 px wide the network and the loss plot on screen too. Returns the measurements."""
    from mlp_course.playground.view import SIZES

    page = surface.page
    before = page.viewport_size
    page.set_viewport_size({"width": width, "height": height})
    try:
        page.wait_for_timeout(500)  # the view fits itself to the new window size (a resize event, then a draw)
        page.evaluate(_SCROLL_TO_TOP)
        page.wait_for_timeout(200)
        m = page.evaluate(_ON_SCREEN)
        if screenshot:
            page.screenshot(path=screenshot)
    finally:
        page.set_viewport_size(before)
    font = SIZES["projection"]["font"]
    found = []
    if m["scrolled"]:
        found.append(f"the page is still scrolled after scrolling to the top: {m['scrolled']}")
    wanted = ["boundary", "learning rate"] + (["network", "loss"] if width >= 1280 else [])
    for what in wanted:
        box = m["boxes"][what]
        if box is None:
            found.append(f"no {what} on the page")
        elif box["left"] < 0 or box["top"] < 0 or box["right"] > width or box["bottom"] > height:
            found.append(f"the {what} is at {box}, not inside the {width} × {height} screen")
    small = {what: size for what, size in m["fonts"].items() if size < font}
    if small:
        found.append(f"text under the projection size {font} px: {small}")
    if float(m["view"].get("font", 0)) < font:
        found.append(f"the pictures' text is {m['view'].get('font')} px, not {font}")
    boundary = m["boxes"]["boundary"]
    if boundary and min(boundary["width"], boundary["height"]) < 0.6 * height:
        found.append(f"the boundary is only {boundary['width']:.0f} × {boundary['height']:.0f} px")
    assert not found, f"{surface.name} at {width} × {height}:\n" + "\n".join(found) + f"\n{m}"
    return m


_FONTS = """
    const fonts = {};  // the smallest font size (CSS px) of each kind of visible text in the playground
    const note = (what, els) => { for (const e of els) if (e.offsetParent !== null && e.textContent.trim())
        fonts[what] = Math.min(fonts[what] ?? 1e9, parseFloat(getComputedStyle(e).fontSize)); };
    note('control labels', root.querySelectorAll('.widget-label'));
    note('readouts', root.querySelectorAll('.widget-readout'));
    note('menus', root.querySelectorAll('select'));
    note('buttons', root.querySelectorAll('button'));
    note('status', root.querySelectorAll('.mlp-status span'));
    note('hint', root.querySelectorAll('.mlp-hint .widget-html-content'));
"""

_SCROLL_TO_TOP = """() => { window.scrollTo(0, 0);
    for (const e of document.querySelectorAll('*')) if (e.scrollTop) e.scrollTop = 0; }"""

_ON_SCREEN = """() => {
    const root = document.querySelector('.mlp-playground');
    const rect = e => { if (!e) return null; const r = e.getBoundingClientRect();
        return {left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height}; };
    const slider = [...root.querySelectorAll('.widget-slider')].find(e => e.textContent.includes('learning rate'));
""" + _FONTS + """
    const scrolled = [...document.querySelectorAll('*')].filter(e => e.scrollTop).map(e => e.className.toString());
    if (window.scrollY) scrolled.push('window');
    return {boxes: {boundary: rect(root.querySelector('canvas.mlp-boundary')), 'learning rate': rect(slider),
                    network: rect(root.querySelector('canvas.mlp-network')),
                    loss: rect(root.querySelector('canvas.mlp-loss'))},
            fonts, scrolled, view: {...root.querySelector('.mlp-view').dataset}};
}"""


_MEASURE = """() => {
    const root = document.querySelector('.mlp-playground'), box = e => e.getBoundingClientRect();
""" + _FONTS + """
    const controls = [...root.querySelectorAll('.widget-slider, button, select')].map(e => box(e).bottom);
    const b = box(root.querySelector('canvas.mlp-boundary'));
    return {root: {width: box(root).width, height: box(root).height}, fonts, lowest_control: Math.max(...controls),
            boundary: {width: b.width, height: b.height}, view: {...root.querySelector('.mlp-view').dataset},
            hint: root.querySelector('.mlp-hint').innerText};
}"""

_BACKING = """() => [...document.querySelectorAll('.mlp-view canvas')].map(c => ({cls: c.className,
    css: c.getBoundingClientRect().width, backing: c.width}))"""


def check_dataset_redraws(surface: bh.Surface) -> None:
    """Switching the dataset redraws the boundary with different data (the picture changes)."""
    back_to_start(surface)
    page = surface.page
    current = bh.control(page, "dataset").locator("select").input_value()
    target = "circle" if current != "circle" else "moons"
    _, before_png = bh.look(page)
    old_src = bh.image_src(page)
    bh.choose(page, "dataset", target)
    _, after_png = _redrawn(surface, old_src, f"switching the dataset from {current} to {target}")
    before, after = _pixels(before_png), _pixels(after_png)
    assert before.shape != after.shape or np.any(before != after), (
        f"{surface.name}: switching the dataset to {target} left the picture unchanged")
    assert_no_problems(surface, f"after switching the dataset to {target}")


_CONFIG_KEYS = {"loss": "loss", "learning rate": "lr"}

_SHOWS_SETTING = """([key, value]) => {
    const config = document.querySelector('.mlp-view').dataset.config || '';
    return config.split(' ').includes(key + '=' + value); }"""


def _apply_and_wait_for_its_picture(page, description: str, value: str) -> None:
    """Set a control as a user does and wait until the picture drawn is of that setting. A value typed into
    a readout while the kernel still retrains for the previous change can be overwritten by that change's
    echo (seen once in CI): then type it again, as a user would."""
    for attempt in range(2):
        if description == "learning rate":
            bh.set_readout(page, description, value)
        else:
            bh.choose(page, description, value)
        try:
            page.wait_for_function(_SHOWS_SETTING, arg=[_CONFIG_KEYS[description], value], timeout=10_000)
            return
        except Exception:
            if attempt:
                raise AssertionError(f"{description} = {value} was never drawn: {view_data(page)}") from None


def check_divergence_reported(surface: bh.Surface) -> None:
    """Reset, then the documented extreme setting: divergence said in words, no NaN, no traceback."""
    back_to_start(surface)
    page = surface.page
    for description, value in DIVERGING_SETTING:  # the kernel handles the changes in this order
        _apply_and_wait_for_its_picture(page, description, value)
    try:
        status = bh.wait_status(surface.watched, DIVERGED_WORDS)
    except AssertionError as exc:
        raise AssertionError(f"{surface.name}: after {DIVERGING_SETTING}: {exc}") from exc
    assert "nan" not in status.lower(), f"{surface.name}: the status shows NaN: {status!r}"
    readout = bh.slider_readout(page, "learning rate")
    assert float(readout) == 10, f"{surface.name}: the learning-rate readout shows {readout!r}, not 10"
    pic, _ = bh.look(page)
    assert pic.drawn, f"{surface.name}: after diverging the boundary view is blank: {pic}"
    assert_no_problems(surface, "after the diverging setting")
