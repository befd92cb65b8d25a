"""The playground in a real browser (headless Chromium), on every surface a learner meets it:
JupyterLab (06_playground.ipynb cleared and run with Run All Cells) and Voilà (the classroom app).

Every test runs once per surface (the ``surface`` fixture, see conftest.py) and in any order: the
first two read what the page showed right after it opened; the others start from Reset.
Skipped (with the reason) when /usr/bin/chromium or Playwright is missing.
"""

import browser_harness as bh
import playground_checks as check
import pytest


def test_boundary_is_drawn_after_the_page_opens(surface):
    check.check_first_draw(surface)


def test_no_error_output_after_the_page_opens(surface):
    check.assert_no_problems(surface, "after the page opened")


def test_learning_rate_slider_redraws_the_boundary(surface):
    check.check_slider_redraws(surface)


def test_dataset_dropdown_redraws_the_boundary(surface):
    check.check_dataset_redraws(surface)


def test_extreme_learning_rate_reports_divergence_in_words(surface):
    check.check_divergence_reported(surface)


def test_dragging_the_learning_rate_redraws_while_it_moves_and_ends_on_its_picture(surface):
    check.check_slider_drag_follows(surface)


def test_the_classroom_app_is_readable_projected_at_1920x1080(surface):
    if surface.name != "voila":
        pytest.skip("projection mode is the classroom app's (Voilà); notebook 06 uses the normal size")
    bh.ARTIFACTS.mkdir(parents=True, exist_ok=True)
    check.check_projection(surface, screenshot=str(bh.ARTIFACTS / "classroom-app-1920x1080.png"))


@pytest.mark.parametrize("size", check.CLASSROOM_SCREENS, ids=lambda size: "{}x{}".format(*size))
def test_the_classroom_app_shows_controls_and_boundary_without_scrolling(surface, size):
    """A teacher projecting at 1366 × 768, 1280 × 720 or 1024 × 768 watches the boundary while dragging the
    learning rate: both on one screen, at scroll position 0, text at the projection size (review B3)."""
    if surface.name != "voila":
        pytest.skip("projection mode is the classroom app's (Voilà); notebook 06 uses the normal size")
    width, height = size
    bh.ARTIFACTS.mkdir(parents=True, exist_ok=True)
    m = check.check_projection_fits(surface, width, height,
                                    screenshot=str(bh.ARTIFACTS / f"classroom-app-{width}x{height}.png"))
    bh.record(event="classroom_fit", width=width, height=height,
              **{what: box and [round(box[k]) for k in ("left", "top", "right", "bottom")]
                 for what, box in m["boxes"].items()})
