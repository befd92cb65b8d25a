"""JupyterLab as a learner gets it (default settings, windowing on), and what a notebook shows after Run All.

Used by ``test_learner_settings.py``. Unlike :func:`browser_harness.start_lab`, the server here keeps
JupyterLab's default notebook settings: windowing stays on (``contentVisibility`` in JupyterLab 4.6:
cells off screen are not laid out, some not even in the DOM), autosave stays on (the notebooks are a
scratch copy). The only settings are the course's own (``make lab``): no Jupyter news pop-up, no update
check, Voilà's server extension left out. ``expose_app_in_browser`` gives the page ``window.jupyterapp``,
through which the test reads the notebook's model (every cell's execution count, tags and outputs,
rendered or not) and opens the next notebook without reloading the page; it changes nothing on screen.

A :class:`Slot` is one browser page with JupyterLab open; it runs one notebook at a time (open, Edit >
Clear Outputs of All Cells, Run > Run All Cells), and the test keeps two slots busy (two kernels on two
cores). When a notebook is done, :meth:`Slot.inspect` scrolls every cell with output into view and
looks at what is on screen: every <img> and <canvas> decoded, widgets rendered, no error or stderr output.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import browser_harness as bh
import learner_lab_js as js

# The course's Lab configuration (the Makefile's LAB_OVERRIDES): only the news pop-up and update check off.
LEARNER_OVERRIDES = {"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False}}
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def start_learner_lab(home: Path, root: Path, mplconfig: Path, timeout: float = 60) -> bh.Server:
    """JupyterLab serving ``root`` with default settings apart from the course's (no news pop-up)."""
    return bh.start_lab(home, root, mplconfig, timeout, overrides=LEARNER_OVERRIDES, extra_args=(
        "--LabApp.expose_app_in_browser=True",
        '--ServerApp.jpserver_extensions={"voila.server_extension": False}'))  # as make lab


@dataclass
class Findings:
    """What one notebook showed after Run All, at learner settings."""

    name: str
    run_s: float = 0.0  # Run All, click to the idle kernel with every cell counted
    inspect_s: float = 0.0  # scrolling every output into view and looking at it
    code_cells: int = 0
    images: int = 0
    widgets: int = 0
    problems: list[str] = field(default_factory=list)
    animation: list[dict] = field(default_factory=list)  # images inside a widget output next to a Play
    screenshot: Path | None = None
    problem_cells: list[int] = field(default_factory=list)

    def add(self, index: int | None, message: str) -> None:
        self.problems.append(message if index is None else f"cell {index}: {message}")
        if index is not None and index not in self.problem_cells:
            self.problem_cells.append(index)


def _all_drawn(seen: dict) -> bool:
    """Every picture of the cell loaded, sized and not flat; every widget output with a sized part."""
    return seen["connected"] and all(
        img["complete"] and min(img["natural"]) > 0 and min(img["shown"]) > 0 and not img["hidden"]
        and not img["flat"] for img in seen["images"]) and all(_widget_rendered(w) for w in seen["widgets"])


def _widget_rendered(widget: dict) -> bool:
    """A widget view on screen: sized ipywidgets parts, or drawn content / text (anywidget), no fallback."""
    return widget["fallback"] is None and (widget["sized"] > 0 or widget["drawn"] > 0 or widget["text"] > 0) \
        and min(widget["size"]) > 0


class Slot:
    """One page with JupyterLab open, running one notebook at a time."""

    def __init__(self, browser, lab: bh.Server, name: str, timeout: float = 60_000):
        self.lab, self.name = lab, name
        self.watched = bh.new_page(browser, name)
        self.page = self.watched.page
        self.findings: Findings | None = None
        self.started = 0.0
        self.kernel_errors_before = 0
        self.page_errors_before = 0
        # A workspace of its own: two pages of one workspace would fight over it.
        self.page.goto(lab.url(f"/lab/workspaces/{name}", reset=""), timeout=timeout)
        self.page.wait_for_function(js.APP_READY, timeout=timeout)

    @property
    def busy(self) -> bool:
        return self.findings is not None

    def start(self, notebook: str, timeout: float = 60_000) -> None:
        """Open ``notebook`` (closing the previous one), wait for its kernel, clear outputs, Run All."""
        self.findings = Findings(notebook)
        page = self.page
        page.evaluate(js.OPEN, notebook)
        page.wait_for_function(bh._KERNEL_IDLE, timeout=timeout)
        bh.menu(page, "Edit", "Clear Outputs of All Cells")
        page.wait_for_function(js.CLEARED, timeout=10_000)
        self.kernel_errors_before = len(self.watched.kernel_errors)
        self.page_errors_before = len(self.watched.page_errors)
        self.started = time.monotonic()
        bh.menu(page, "Run", "Run All Cells")

    def poll(self, timeout: float) -> str:
        """'running', 'done' (every non-empty code cell counted, kernel idle), 'error' (an error in a cell not
        tagged ``raises-exception``: JupyterLab stops Run All there) or 'timeout' (``timeout`` seconds passed)."""
        state = self.page.evaluate(js.MODEL)
        code = [c for c in state["cells"] if c["type"] == "code" and c["source"]]
        for cell in code:
            for out in cell["outputs"]:
                if out["type"] == "error" and "raises-exception" not in cell["tags"]:
                    return "error"
        if code and all(c["count"] is not None for c in code) and state["kernel"] == "idle":
            return "done"
        if time.monotonic() - self.started > timeout:
            return "timeout"
        return "running"

    def inspect(self, artifacts: Path) -> Findings:
        """Look at every output of the notebook that just ran; a screenshot; the notebook is then closed."""
        found = self.findings
        page = self.page
        found.run_s = time.monotonic() - self.started
        start = time.monotonic()
        state = page.evaluate(js.MODEL)
        code = [c for c in state["cells"] if c["type"] == "code"]
        found.code_cells = len(code)
        allowed_errors = set()
        for cell in code:
            if cell["source"] and cell["count"] is None:
                found.add(cell["index"], "no execution count after Run All (not run)")
            for out in cell["outputs"]:
                if out["type"] == "error":
                    if "raises-exception" in cell["tags"]:
                        allowed_errors.add(out["ename"])
                    else:
                        found.add(cell["index"], f"error output {out['ename']}: {out['evalue']}"[:400])
                if out["type"] == "stream" and out["name"] == "stderr":
                    found.add(cell["index"], f"stderr output: {out['text']!r}"[:400])
        for error in self.watched.kernel_errors[self.kernel_errors_before:]:
            if not any(f'"ename": "{name}"' in error or f'"ename":"{name}"' in error for name in allowed_errors):
                found.add(None, f"the kernel reported: {error[:400]}")
        for error in self.watched.page_errors[self.page_errors_before:]:
            found.add(None, f"page error: {error[:400]}")

        with_output = [c for c in code if c["outputs"]]
        for cell in with_output:
            self._look_at(cell, found)
        found.inspect_s = time.monotonic() - start
        found.screenshot = self._screenshot(artifacts, found, with_output)
        self.findings = None
        return found

    def _look_at(self, cell: dict, found: Findings, settle_s: float = 5.0) -> None:
        page, index = self.page, cell["index"]
        page.evaluate(js.SCROLL_TO, index)
        try:
            page.wait_for_function(js.IMAGES_LOADED, arg=index, timeout=10_000)
        except Exception:
            pass  # measured below: an image that never loaded is reported with its size
        widget_outputs = [j for j, o in enumerate(cell["outputs"]) if WIDGET_MIME in o["mimes"]]
        deadline = time.monotonic() + settle_s
        while True:  # a widget may draw a moment after it comes into view: poll until all is drawn, or give up
            seen = page.evaluate(js.LOOK, [index, widget_outputs])
            if _all_drawn(seen) or time.monotonic() > deadline:
                break
            page.wait_for_timeout(100)
        if not seen["connected"]:
            found.add(index, "not on the page after scrolling to it")
            return
        if not re.fullmatch(r"\[\d+\]:?", seen["prompt"] or "") and cell["source"]:
            found.add(index, f"prompt reads {seen['prompt']!r}, not an execution count")
        # Outputs JupyterLab shows as a picture: a PNG/JPEG with no richer type (a widget, HTML, SVG) beside it.
        richer = {WIDGET_MIME, "text/html", "image/svg+xml", "text/markdown", "application/javascript"}
        expected_images = sum(bool({"image/png", "image/jpeg"} & set(o["mimes"])) and not richer & set(o["mimes"])
                              for o in cell["outputs"])
        shown_plain = sum(not i["in_widget"] and i["tag"] == "img" for i in seen["images"])
        if shown_plain < expected_images:
            found.add(index, f"{expected_images} image outputs in the model, {shown_plain} <img> on the page")
        for k, img in enumerate(seen["images"]):
            found.images += 1
            what = f"<{img['tag']}> {k} ({img['classes'] or 'output'}, {img['natural'][0]}x{img['natural'][1]} px, " \
                   f"shown {img['shown'][0]}x{img['shown'][1]})"
            if not img["complete"] or min(img["natural"]) == 0:
                found.add(index, f"{what} did not load")
            elif img["hidden"] or min(img["shown"]) == 0:
                found.add(index, f"{what} has zero size on the page")
            elif img["flat"]:
                found.add(index, f"{what} is one flat colour (blank)")
            if img["near_play"]:
                found.animation.append(dict(img, cell=index))
        for text in seen["texts"]:
            found.add(index, f"page shows {text!r}")
        if seen["stderr"]:
            if not any(o["type"] == "error" for o in cell["outputs"]) or "raises-exception" not in cell["tags"]:
                found.add(index, f"{seen['stderr']} stderr/error output(s) rendered")
        for widget in seen["widgets"]:
            found.widgets += 1
            if not _widget_rendered(widget):
                found.add(index, f"widget output not rendered (no sized .widget-* part, drawing or text, or a "
                                 f"{widget['fallback']} fallback shown: {widget})")

    def _screenshot(self, artifacts: Path, found: Findings, with_output: list[dict]) -> Path | None:
        """The view of the first problem, else of the animation, else of the last image; saved as NAME.png."""
        target = None
        if found.problem_cells:
            target = found.problem_cells[0]
        elif found.animation:
            target = found.animation[0]["cell"]
        else:
            images = [c["index"] for c in with_output if any("image/png" in o["mimes"] for o in c["outputs"])]
            target = images[-1] if images else None
        path = artifacts / f"{Path(found.name).stem}.png"
        try:
            if target is not None:
                self.page.evaluate(js.SCROLL_TO, target)
                self.page.wait_for_function(js.IMAGES_LOADED, arg=target, timeout=5_000)
            self.page.screenshot(path=str(path))
        except Exception as exc:  # a screenshot is evidence, not the check
            found.problems.append(f"(no screenshot: {type(exc).__name__}: {exc})"[:300])
            return None
        return path

    def give_up(self, artifacts: Path, why: str) -> Findings:
        """Findings for a notebook that could not be run, with a screenshot of the page as it is."""
        found, self.findings = self.findings, None
        found.problems.append(why)
        found.screenshot = artifacts / f"{Path(found.name).stem}.png"
        try:
            self.page.screenshot(path=str(found.screenshot))
        except Exception:  # noqa: BLE001
            found.screenshot = None
        return found

    def close(self) -> None:
        bh.close_page(self.watched)


def run_notebooks(browser, lab: bh.Server, queue: list[str], artifacts: Path, pages: int = 2,
                  timeout: float = 300) -> tuple[dict[str, Findings], dict[str, float]]:
    """Run every notebook of ``queue`` (in that order) on up to ``pages`` pages at once; findings by name.

    A page is opened only when a notebook waits for one, so the first notebook runs while the second
    page loads. A notebook that cannot be opened or run is reported in its findings, not raised.
    Also returns timings: seconds until the first page was ready, and the whole run.
    """
    queue, results, slots = list(queue), {}, []
    started, timings = time.monotonic(), {}
    try:
        while queue or any(slot.busy for slot in slots):
            free = [slot for slot in slots if not slot.busy]
            if queue and not free and len(slots) < pages:
                slots.append(Slot(browser, lab, f"learner-{len(slots)}"))
                timings.setdefault("first_page_s", time.monotonic() - started)
                free = slots[-1:]
            if queue and free:
                name = queue.pop(0)
                try:
                    free[0].start(name)
                except Exception as exc:  # noqa: BLE001 - reported as the notebook's finding
                    results[name] = free[0].give_up(artifacts, f"could not open and Run All: {exc}"[:600])
                continue
            for slot in slots:
                if not slot.busy:
                    continue
                state = slot.poll(timeout)
                if state == "running":
                    continue
                name = slot.findings.name
                results[name] = slot.inspect(artifacts)
                if state == "timeout":
                    results[name].problems.insert(0, f"Run All did not finish in {timeout} s")
                elif state == "error":
                    results[name].problems.insert(0, "Run All stopped at an error")
            slots[0].page.wait_for_timeout(200)  # poll the running notebooks
    finally:
        for slot in slots:
            slot.close()
    timings["all_s"] = time.monotonic() - started
    return results, timings
