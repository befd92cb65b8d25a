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


SURFACES = ("lab", "voila")
"""Where a learner meets the playground: JupyterLab (notebook 06) and Voilà (the classroom app)."""


@pytest.fixture(scope="module", params=SURFACES)
def surface(request, browser, tmp_path_factory, mplconfig):
    """The playground on a page, as a learner opens it; a scratch HOME and notebooks copy for each.

    ``lab``: 06_playground.ipynb in JupyterLab, outputs cleared, then Run All Cells.
    ``voila``: classroom_app.ipynb served by Voilà (what `make demo` serves).
    Module-scoped and parametrised: pytest runs every test on one surface, stops its server, then
    starts the other (never both at once). Tests must not rely on each other's order: each one
    starts from :func:`playground_checks.back_to_start` or from what the setup recorded.
    """
    base = tmp_path_factory.mktemp(f"browser-{request.param}")
    home = base / "home"
    home.mkdir()
    notebooks = bh.copy_notebooks(base / "notebooks")
    if request.param == "lab":
        def start():
            return bh.start_lab(home, notebooks, mplconfig)

        def open_app(watched, lab):
            bh.open_notebook(watched.page, lab, bh.PLAYGROUND_NOTEBOOK)
            run_all_s = bh.clear_and_run_all(watched.page)
            return bh.first_draw(watched, "lab", ready_s=run_all_s)
    else:
        def start():
            return bh.start_voila(home, notebooks / bh.APP_NOTEBOOK, mplconfig)

        def open_app(watched, voila):
            ready_s = bh.open_voila(watched.page, voila)
            return bh.first_draw(watched, "voila", ready_s=ready_s)

    yield from _surface(request, browser, request.param, start, open_app)
