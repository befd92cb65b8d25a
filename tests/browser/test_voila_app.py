"""The classroom app: classroom_app.ipynb served by Voilà (as `make demo` does), checked in headless Chromium.

Skipped (with the reason) when /usr/bin/chromium or Playwright is missing; see conftest.py.
The tests share one page and run in file order: each leaves the playground as the next expects.
"""

import playground_checks as check


def test_boundary_is_drawn_after_the_notebook_runs(voila_app):
    check.check_first_draw(voila_app)


def test_no_error_output_after_the_run(voila_app):
    check.assert_no_problems(voila_app, "after the run")


def test_learning_rate_slider_redraws_the_boundary(voila_app):
    check.check_slider_redraws(voila_app)


def test_dataset_dropdown_redraws_the_boundary(voila_app):
    check.check_dataset_redraws(voila_app)


def test_extreme_learning_rate_reports_divergence_in_words(voila_app):
    check.check_divergence_reported(voila_app)
