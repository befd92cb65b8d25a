"""The JupyterLite site (make lite) and what the package needs to run under Pyodide.

Pyodide itself (and its numpy/matplotlib) comes from the Pyodide CDN when a browser opens the site,
which this machine cannot reach: a kernel cannot start here. What is tested: the install cell in
CPython, the build without network, the site's contents, the JupyterLab UI of the site in headless
Chromium, and a static check of the package against Pyodide's limits."""

import ast
import functools
import http.server
import importlib.metadata
import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import mlp_course as mc
from mlp_course.teacher import lite
from mlp_course.teacher import notebooks as nbs

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "mlp_course"
RUNTIME = [p for p in sorted(PACKAGE.rglob("*.py")) if p.relative_to(PACKAGE).parts[0] != "teacher"]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
NO_NETWORK = {"http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9",
              "HTTPS_PROXY": "http://127.0.0.1:9", "no_proxy": "", "NO_PROXY": "", "PIP_NO_INDEX": "1"}


# ------------------------------------------------------------------------------------------------
# The install cell
def test_install_cell_is_added_once_before_the_first_code_cell(tmp_path):
    path = tmp_path / "nb.ipynb"
    original = nbs.read(nbs.notebook_path("02"))  # the course notebooks carry the cell: take it out first
    original["cells"] = [c for c in original["cells"] if lite.INSTALL_TAG not in c["metadata"].get("tags", [])]
    nbs.write(original, path)
    assert lite.add_install_cell(path) and not lite.add_install_cell(path)
    cells = nbs.read(path)["cells"]
    first_code = next(i for i, c in enumerate(cells) if c["cell_type"] == "code")
    assert nbs.source(cells[first_code]) == lite.INSTALL_CELL
    assert "nbval-ignore-output" in cells[first_code]["metadata"]["tags"]
    assert len(cells) == len(original["cells"]) + 1
    assert cells[:first_code] == original["cells"][:first_code]  # the title and its navigation stay first


def test_install_cell_is_a_silent_no_op_in_cpython_and_passes_ruff(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    from mlp_course.teacher.solved import execute

    notebook = nbs.new_notebook([nbs.code_cell(lite.INSTALL_CELL), nbs.code_cell("print(sys.platform)")])
    executed = execute(json.loads(json.dumps(notebook)), tmp_path, timeout=120)
    first, second = executed["cells"]
    assert first["outputs"] == []  # top-level await compiles in ipykernel; neither branch runs here
    assert "".join(second["outputs"][0]["text"]).strip() == sys.platform
    nbs.write(notebook, tmp_path / "cell.ipynb")
    ruff = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--config",
                           str(ROOT / "pyproject.toml"), str(tmp_path / "cell.ipynb")], capture_output=True, text=True)
    assert ruff.returncode == 0, ruff.stdout


@pytest.mark.parametrize("path", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda p: p.name)
def test_every_notebook_has_the_install_cell(path):
    """Added (or brought up to date: only its source changes) by
    `python -m mlp_course.teacher.lite --add-install-cell notebooks/*.ipynb`; set to the course's address by
    `python -m mlp_course.teacher.address OWNER/NAME`."""
    command = f"python -m mlp_course.teacher.lite --add-install-cell {path.name}"
    assert lite.has_install_cell(nbs.read(path)), f"no up-to-date install cell; run {command} in notebooks/"


# ------------------------------------------------------------------------------------------------
# The site
@pytest.fixture(scope="module")
def site(tmp_path_factory):
    wheels = lite.fetch_wheels(ROOT / "build" / "lite" / "wheels")  # pip, once; kept in build/ (git-ignored)
    home = tmp_path_factory.mktemp("home")
    return lite.build(tmp_path_factory.mktemp("lite"), wheels, env={**NO_NETWORK, "HOME": str(home)})


def test_site_holds_the_notebooks_the_wheels_and_a_valid_config(site):
    notebooks = {p.name for p in (ROOT / "notebooks").glob("*.ipynb")}
    assert notebooks and {p.name for p in (site / "files").glob("*.ipynb")} == notebooks
    assert "classroom_app.ipynb" in notebooks
    wheels = {p.name.split("-")[0].lower().replace("_", "-") for p in (site / "pypi").glob("*.whl")}
    assert {"mlp-course", *lite.carried()} <= wheels
    index = json.loads((site / "pypi" / "all.json").read_text())
    assert {"mlp-course", "anywidget", "ipywidgets"} <= {k.replace("_", "-") for k in index}
    config = json.loads((site / "jupyter-lite.json").read_text())["jupyter-config-data"]
    names = {e["name"] for e in config["federated_extensions"]}
    assert {"@jupyterlite/pyodide-kernel-extension", "@jupyter-widgets/jupyterlab-manager", "anywidget"} <= names
    kernel = config["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]
    assert kernel["disablePyPIFallback"] is True
    assert any("mlp_course" in url for url in kernel["pipliteUrls"]) or kernel.get("pipliteUrls")
    assert importlib.metadata.version("jupyterlite-core") == importlib.metadata.version("jupyterlite-pyodide-kernel")


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")
def test_site_opens_jupyterlab_and_lists_the_notebooks(site):
    from playwright.sync_api import sync_playwright

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    errors = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
            page = browser.new_page()
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(f"http://127.0.0.1:{server.server_port}/lab/index.html", wait_until="domcontentloaded")
            listing = page.locator(".jp-DirListing-itemText")
            listing.filter(has_text="06_playground.ipynb").wait_for(timeout=60_000)
            shown = set(listing.all_inner_texts())
            browser.close()
    finally:
        server.shutdown()
    assert {p.name for p in (ROOT / "notebooks").glob("*.ipynb")} <= shown
    assert not errors, errors


# ------------------------------------------------------------------------------------------------
# What the package needs under Pyodide, checked statically
def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_runtime_package_imports_only_what_pyodide_has():
    allowed = {"numpy", "matplotlib", "PIL", "ipywidgets", "IPython", "anywidget", "traitlets"}
    forbidden = {"subprocess", "multiprocessing", "concurrent", "socket", "ctypes"}
    for path in RUNTIME:
        top = {name.split(".")[0] for name in _imports(path)} - {"mlp_course", "__future__"}
        assert top - set(sys.stdlib_module_names) <= allowed, (path.name, top - set(sys.stdlib_module_names))
        assert not top & forbidden, (path.name, top & forbidden)


def test_runtime_package_starts_no_thread_and_blocks_no_event_loop():
    """Pyodide has no threads and runs asyncio on the browser's loop: tasks and asyncio.sleep only."""
    blocking = {"Thread", "run_until_complete", "run_forever", "new_event_loop", "set_event_loop", "Timer"}
    for path in RUNTIME:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute):
                assert node.attr not in blocking, f"{path.name}:{node.lineno} uses {node.attr}"
                if node.attr == "run" and isinstance(node.value, ast.Name):
                    assert node.value.id != "asyncio", f"{path.name}:{node.lineno}: asyncio.run blocks"
                if node.attr == "sleep" and isinstance(node.value, ast.Name) and "playground" in path.parts:
                    assert node.value.id == "asyncio", f"{path.name}:{node.lineno}: the playground may not block"
    driving = (PACKAGE / "playground" / "driving.py").read_text()
    assert "asyncio.ensure_future" in driving  # the playground's training runs as a task on the kernel's loop


def _compiled(dist: str) -> bool:
    files = importlib.metadata.distribution(dist).files or []
    return any(str(f).endswith((".so", ".pyd")) for f in files)


def test_no_compiled_dependency_beyond_numpy_matplotlib_pillow(site):
    """What the course needs under Pyodide is Pyodide's numpy, matplotlib and pillow (and theirs), plus
    distributions the site carries as pure-Python wheels (psygnal and wcwidth: compiled here, pure there)."""
    needed = lite.requirement_closure(["mlp-course"]) - {"mlp-course", "widgetsnbextension"}  # the kernel's own
    provided = lite.requirement_closure(lite.PYODIDE_PACKAGES)
    assert {"ipywidgets", "anywidget", "ipython", "psygnal"} <= needed - provided
    assert "psutil" not in needed  # IPython needs it everywhere but under Pyodide
    wheels = {p.name.split("-")[0].lower().replace("_", "-"): p for p in (site / "pypi").glob("*.whl")}
    for name in needed - provided:
        assert name in wheels, f"{name} is neither in Pyodide nor carried by the site"
        assert wheels[name].name.endswith("-none-any.whl"), wheels[name].name
    assert {d for d in needed - provided if _compiled(d)} <= {"psygnal", "wcwidth"}  # compiled here only


def test_exercise_time_limit_degrades_gracefully_under_pyodide(monkeypatch):
    from mlp_course.exercises import _check
    from mlp_course.teacher.solutions.nb04 import loss_batch

    monkeypatch.setattr(sys, "platform", "emscripten")
    assert not _check.can_limit_time()
    assert mc.exercises.check_loss_batch(loss_batch).passed  # checks still run, without the SIGALRM limit


def test_workflow_builds_and_publishes_the_site():
    workflow = (ROOT / ".github" / "workflows" / "lite.yml").read_text()
    assert "mlp_course.teacher.lite" in workflow or "make lite" in workflow
    assert "actions/deploy-pages" in workflow and "upload-pages-artifact" in workflow
    assert "build/lite/_site" in workflow  # where make lite writes the site
