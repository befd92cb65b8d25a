"""The playground in a real browser (headless Chromium), on every surface a learner meets it:
JupyterLab (06_playground.ipynb cleared and run with Run All Cells) and Voilà (the classroom app).

Every test runs once per surface (the ``surface`` fixture, see conftest.py) and in any order: the
first two read what the page showed right after it opened; the others start from Reset.
Skipped (with the reason) when /usr/bin/chromium or Playwright is missing.
"""

import playground_checks as check


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
