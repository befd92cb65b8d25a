"""The checks a learner's eyes make, run on every surface (JupyterLab and Voilà).

Each takes a :class:`browser_harness.Surface` (a page showing the playground) and asserts with a
message that says what the user would have seen. A check that changes the playground first brings
it back to its starting configuration (:func:`back_to_start`), so that no check depends on another.
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
    return run.status()


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
    for css_class in ("mlp-loss", "mlp-hidden"):
        pic, _ = bh.look(surface.page, css_class)
        assert pic.shows_plot(), f"{surface.name}: the .{css_class} view is blank or missing: {pic}"
    status = bh.status_text(surface.page)
    assert status.strip(), f"{surface.name}: the status line is empty"
    assert "nan" not in status.lower(), f"{surface.name}: the status shows NaN: {status!r}"


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


def check_divergence_reported(surface: bh.Surface) -> None:
    """Reset, then the documented extreme setting: divergence said in words, no NaN, no traceback."""
    back_to_start(surface)
    page = surface.page
    for description, value in DIVERGING_SETTING:  # the kernel handles the changes in this order
        if description == "learning rate":
            bh.set_readout(page, description, value)
        else:
            bh.choose(page, description, value)
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
