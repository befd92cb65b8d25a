"""Fixtures for the browser tests: one Chromium per session, servers per module, screenshots on failure.

Every test here needs Debian's Chromium (``/usr/bin/chromium``) and Playwright for Python; without
them the tests are skipped with the reason, so ``make test`` stays green on a machine without a
browser. CI installs Chromium with apt (``.ci/run``), so there they always run.
"""

from __future__ import annotations

import time

import browser_harness as bh
import pytest

# What a failure saves: the page on screen (set by the surface fixtures) and the servers behind it.
ACTIVE: dict = {"page": None, "servers": []}


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(autouse=True)
def _keep_failure_artifacts(request):
    """After a failed browser test, keep a screenshot, the page HTML, console and server logs."""
    yield
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed and (ACTIVE["page"] is not None or ACTIVE["servers"]):
        folder = bh.save_failure(ACTIVE["page"], ACTIVE["servers"], request.node.name)
        print(f"\nbrowser test artifacts kept in {folder}")


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium driven by Playwright (never a downloaded browser)."""
    reason = bh.missing_requirement()
    if reason:
        pytest.skip(f"browser tests skipped: {reason}")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(bh.CHROMIUM), args=bh.CHROMIUM_ARGS, headless=True)
    except BaseException:
        playwright.stop()
        raise
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture(scope="session")
def mplconfig(tmp_path_factory):
    """One matplotlib config folder with a built font cache, shared by the session's kernels."""
    return bh.matplotlib_cache(tmp_path_factory.mktemp("matplotlib"))


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    """A scratch HOME and a fresh copy of the notebooks folder for one module's server."""
    base = tmp_path_factory.mktemp("browser")
    home = base / "home"
    home.mkdir()
    return home, bh.copy_notebooks(base / "notebooks")


def _surface(request, browser, name, start_server, open_app):
    """Start a server, open the app in a new page, yield a Surface; always close and stop them."""
    watched = server = None
    try:
        started = time.monotonic()
        server = start_server()
        ACTIVE["servers"] = [server]
        watched = bh.new_page(browser, name)
        ACTIVE["page"] = watched
        server_s = time.monotonic() - started
        try:
            first = open_app(watched, server)
            bh.record(event="setup", surface=name, server_s=round(server_s, 2),
                      total_s=round(time.monotonic() - started, 2))
        except BaseException:
            folder = bh.save_failure(watched, [server], f"{request.module.__name__}-setup")
            print(f"\nbrowser test artifacts kept in {folder}")
            raise
        yield bh.Surface(name, watched, server, first)
    finally:
        ACTIVE.update(page=None, servers=[])
        if watched is not None:
            bh.close_page(watched)
        if server is not None:
            server.stop()


@pytest.fixture(scope="module")
def lab_playground(request, browser, scratch, mplconfig):
    """06_playground.ipynb in JupyterLab, outputs cleared, then Run All Cells (as a learner does)."""
    home, notebooks = scratch

    def open_app(watched, lab):
        bh.open_notebook(watched.page, lab, bh.PLAYGROUND_NOTEBOOK)
        run_all_s = bh.clear_and_run_all(watched.page)
        return bh.first_draw(watched, "lab", ready_s=run_all_s)

    yield from _surface(request, browser, "lab", lambda: bh.start_lab(home, notebooks, mplconfig), open_app)


@pytest.fixture(scope="module")
def voila_app(request, browser, scratch, mplconfig):
    """classroom_app.ipynb served by Voilà (what `make demo` serves), opened in the browser."""
    home, notebooks = scratch

    def open_app(watched, voila):
        ready_s = bh.open_voila(watched.page, voila)
        return bh.first_draw(watched, "voila", ready_s=ready_s)

    def start():
        return bh.start_voila(home, notebooks / bh.APP_NOTEBOOK, mplconfig)

    yield from _surface(request, browser, "voila", start, open_app)
