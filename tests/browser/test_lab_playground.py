"""JupyterLab: 06_playground.ipynb, cleared and run with Run All Cells, checked in headless Chromium.

Skipped (with the reason) when /usr/bin/chromium or Playwright is missing; see conftest.py.
The tests share one page and run in file order: each leaves the playground as the next expects.
"""

import playground_checks as check


def test_boundary_is_drawn_after_the_notebook_runs(lab_playground):
    check.check_first_draw(lab_playground)


def test_no_error_output_after_the_run(lab_playground):
    check.assert_no_problems(lab_playground, "after the run")


def test_learning_rate_slider_redraws_the_boundary(lab_playground):
    check.check_slider_redraws(lab_playground)


def test_dataset_dropdown_redraws_the_boundary(lab_playground):
    check.check_dataset_redraws(lab_playground)


def test_extreme_learning_rate_reports_divergence_in_words(lab_playground):
    check.check_divergence_reported(lab_playground)
