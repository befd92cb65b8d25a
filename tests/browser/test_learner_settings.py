"""Every notebook as a learner runs it: JupyterLab's default settings (windowing on), Run All, then look.

For each notebook in notebooks/ (00-07; the classroom app has its own tests) on a scratch copy with a
scratch HOME: open it, Edit > Clear Outputs of All Cells, Run > Run All Cells, wait until every code
cell has an execution count and the kernel is idle, then scroll every cell with output into view and
check what is on screen:

- no error output and no stderr output (the only errors allowed are those of cells tagged
  ``raises-exception``, which notebook 02 uses to show a failing call on purpose);
- every image loaded, of non-zero size on the page, and not one flat colour (decoded on a canvas);
- every widget output rendered (a sized ``.widget-*`` element; no "Error displaying widget" / "model
  not found");
- notebook 05: its training animation (an ipywidgets Play next to an Image) shows a frame without any click.

One JupyterLab server and one browser for the module; two pages run two notebooks at a time (two kernels,
two cores), the longest notebooks first. A screenshot of every notebook (at its first problem, else its
animation, else its last figure) is kept in ``test-artifacts/browser/learner-settings/``.
Skipped (with the reason) when /usr/bin/chromium or Playwright is missing.
"""

from __future__ import annotations

import time
from pathlib import Path

import browser_harness as bh
import learner_lab as ll
import pytest
from run_order import stored_run_time

NOTEBOOKS = sorted(p.name for p in bh.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
ANIMATION_NOTEBOOK = "05_training_dynamics.ipynb"
PAGES = 2  # notebooks run at once: one kernel per core
RUN_ALL_TIMEOUT = 300  # seconds for one notebook's Run All


@pytest.fixture(scope="module")
def learner_runs(browser, tmp_path_factory, mplconfig) -> dict[str, ll.Findings]:
    """Run every notebook at learner settings; what each showed, by notebook name."""
    base = tmp_path_factory.mktemp("learner-settings")
    home = base / "home"
    home.mkdir()
    notebooks = bh.copy_notebooks(base / "notebooks")
    artifacts = bh.ARTIFACTS / "learner-settings"
    artifacts.mkdir(parents=True, exist_ok=True)
    for old in artifacts.glob("*.png"):
        old.unlink()
    queue = sorted(NOTEBOOKS, key=lambda name: -stored_run_time(notebooks / name))  # longest first
    started = time.monotonic()
    lab = ll.start_learner_lab(home, notebooks, mplconfig)
    server_s = time.monotonic() - started
    try:
        results, timings = ll.run_notebooks(browser, lab, queue, artifacts, pages=PAGES, timeout=RUN_ALL_TIMEOUT)
    finally:
        (artifacts / "server.log").write_text(lab.log_text())
        lab.stop()
    print(f"\nlearner settings: {len(results)} notebooks in {time.monotonic() - started:.0f} s "
          f"(server {server_s:.0f} s, first page {timings.get('first_page_s', 0):.0f} s): "
          + ", ".join(f"{Path(n).stem[:2]} run {f.run_s:.0f} s + look {f.inspect_s:.0f} s"
                      for n, f in sorted(results.items())))
    for frame in results.get(ANIMATION_NOTEBOOK, ll.Findings("")).animation:
        print(f"animation frame: {frame['natural'][0]}x{frame['natural'][1]} px, shown {frame['shown'][0]}x"
              f"{frame['shown'][1]}, ink {frame['ink']}")
    return results


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_notebook_after_run_all_at_learner_settings(learner_runs, notebook):
    found = learner_runs[notebook]
    assert found.code_cells > 0, f"{notebook}: no code cells seen"
    assert not found.problems, (f"{notebook} after Run All at JupyterLab's default settings "
                                f"(screenshot {found.screenshot}):\n" + "\n".join(found.problems))


@pytest.mark.skipif(ANIMATION_NOTEBOOK not in NOTEBOOKS, reason=f"no {ANIMATION_NOTEBOOK}")
def test_training_animation_shows_a_frame_without_a_click(learner_runs):
    """Notebook 05's animation (a Play widget beside an Image) shows a picture right after Run All."""
    found = learner_runs[ANIMATION_NOTEBOOK]
    assert found.animation, (f"{ANIMATION_NOTEBOOK}: no image next to a Play widget after Run All "
                             f"(screenshot {found.screenshot}); problems: {found.problems}")
    for frame in found.animation:
        assert frame["complete"] and min(frame["natural"]) > 0, f"the animation's frame did not load: {frame}"
        assert min(frame["shown"]) > 0 and not frame["hidden"], f"the animation's frame is 0 x 0 on the page: {frame}"
        assert not frame["flat"], f"the animation's frame is blank: {frame}"
