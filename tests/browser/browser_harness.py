"""Servers, a headless Chromium and page helpers for the browser tests.

The browser tests open the playground the way a learner does: a JupyterLab server (or Voilà)
started on 127.0.0.1 with its own scratch ``HOME``, Debian's ``/usr/bin/chromium`` driven by
Playwright's sync API. Nothing here downloads a browser.

Everything that starts a process returns an object whose ``stop()`` ends the whole process tree
(the server, its kernels and their children) by process id; the fixtures call it in finalizers.
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = Path(os.environ.get("MLP_COURSE_NOTEBOOKS", REPO / "notebooks"))  # another folder: for trying the harness
CHROMIUM = Path(os.environ.get("MLP_COURSE_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(os.environ.get("MLP_COURSE_ARTIFACTS", REPO / "test-artifacts" / "browser"))
PLAYGROUND_NOTEBOOK = "06_playground.ipynb"
APP_NOTEBOOK = "classroom_app.ipynb"
RECORD = os.environ.get("MLP_COURSE_BROWSER_RECORD")  # repeat.py: a JSON-lines file to append observations to

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# JupyterLab settings for a quiet, fully rendered notebook: no news pop-up, every cell in the DOM
# (no virtual scrolling), nothing written back to the copied notebook.
LAB_OVERRIDES = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false"},
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
    "@jupyterlab/docmanager-extension:plugin": {"autosave": False},
}

STDERR_OUTPUT = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
ERROR_TEXTS = (
    "Error displaying widget",
    "model not found",
    "Traceback (most recent call last)",
    "There was an error when executing cell",  # Voilà
)


def missing_requirement() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright (Python package) is not installed: pip install -e '.[test]'"
    if not os.access(CHROMIUM, os.X_OK):
        return f"{CHROMIUM} not found: install Debian's browser with `apt-get install chromium` (CI does)"
    return None


# --------------------------------------------------------------------------------------------
# Processes
# --------------------------------------------------------------------------------------------


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def child_env(home: Path, mplconfig: Path) -> dict[str, str]:
    """The environment of a server: a scratch HOME, no inherited Jupyter or matplotlib settings.

    ``make test`` sets ``MPLBACKEND=Agg`` for pytest; a learner's kernel does not have it, so the
    kernels behind the browser run with matplotlib's normal (inline) backend. matplotlib's font
    cache comes ready-made from :func:`matplotlib_cache` (building it in a fresh HOME takes seconds
    and, when slow, warns on stderr, which the tests would take for an error).
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "MPL", "PYTEST", "IPYTHON"))}
    env["MPLCONFIGDIR"] = str(mplconfig)
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), XDG_CACHE_HOME=str(home / ".cache"))
    env.update(XDG_DATA_HOME=str(home / ".local" / "share"), PYTHONUNBUFFERED="1")
    return env


def matplotlib_cache(folder: Path) -> Path:
    """A matplotlib config folder with its font cache built (once per folder)."""
    if not (folder / ".ready").exists():
        folder.mkdir(parents=True, exist_ok=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith("MPL")}
        env["MPLCONFIGDIR"] = str(folder)
        subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"], env=env, check=True,
                       stdin=subprocess.DEVNULL, capture_output=True, timeout=120)
        (folder / ".ready").touch()
    return folder


@dataclass
class Server:
    """A server process started in its own session; ``stop()`` ends it and every descendant."""

    name: str
    base_url: str
    token: str
    process: subprocess.Popen
    log_path: Path
    root: Path

    def url(self, path: str, **query: str) -> str:
        parts = [f"{k}={v}" if v else k for k, v in query.items()]
        if self.token:
            parts.append(f"token={self.token}")
        return f"{self.base_url}{path}" + ("?" + "&".join(parts) if parts else "")

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        stop_process_tree(self.process)


def stop_process_tree(process: subprocess.Popen, grace: float = 5.0) -> None:
    """End ``process``, its process group and every descendant (kernels run in their own sessions)."""
    import psutil

    if process.poll() is not None:
        return
    try:
        descendants = psutil.Process(process.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        descendants = []
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)  # the server shuts its kernels down on SIGTERM
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=grace)
    _gone, alive = psutil.wait_procs(descendants, timeout=grace)
    for proc in alive:
        with contextlib.suppress(psutil.NoSuchProcess):
            proc.kill()
    psutil.wait_procs(alive, timeout=grace)


def _start(name: str, cmd: list[str], home: Path, root: Path, port: int, token: str, ready_path: str,
           timeout: float, mplconfig: Path) -> Server:
    log_path = home / f"{name}.log"
    log = open(log_path, "wb")  # noqa: SIM115 - closed with the process below
    process = subprocess.Popen(cmd, cwd=root, env=child_env(home, mplconfig), stdout=log, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL, start_new_session=True)
    log.close()
    server = Server(name, f"http://127.0.0.1:{port}", token, process, log_path, root)
    try:
        _wait_http(server, ready_path, timeout)
    except BaseException:
        server.stop()
        raise
    return server


def _wait_http(server: Server, path: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    url = server.url(path)
    while True:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited with {server.process.returncode}:\n{server.log_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"{server.name} not ready after {timeout} s:\n{server.log_text()[-3000:]}")
        time.sleep(0.1)  # plain Python (no browser yet): polling an HTTP endpoint


def copy_notebooks(dest: Path, source: Path = NOTEBOOKS) -> Path:
    """A fresh copy of the notebooks folder (the tests run and clear cells; the repo stays untouched)."""
    shutil.copytree(source, dest, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    return dest


def start_lab(home: Path, root: Path, mplconfig: Path, timeout: float = 60, *, overrides: dict | None = None,
              extra_args: tuple[str, ...] = ()) -> Server:
    """JupyterLab on 127.0.0.1 with a random token, serving ``root``, configured by ``overrides``
    (default ``LAB_OVERRIDES``) and any ``extra_args``."""
    settings = home / "lab-settings"
    settings.mkdir(parents=True, exist_ok=True)
    (settings / "overrides.json").write_text(json.dumps(LAB_OVERRIDES if overrides is None else overrides, indent=2))
    token = secrets.token_hex(16)

    def command(port: int) -> list[str]:
        # The workspace (open tabs) lives in the scratch HOME, so nothing is restored from another run.
        return [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
                f"--IdentityProvider.token={token}", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
                "--ServerApp.port_retries=0", f"--ServerApp.root_dir={root}",
                f"--LabApp.app_settings_dir={settings}", f"--LabApp.workspaces_dir={home / 'workspaces'}",
                "--ServerApp.terminals_enabled=False", *extra_args]

    return _start_on_free_port("jupyterlab", command, home, root, token, "/api/status", timeout, mplconfig)


def start_voila(home: Path, notebook: Path, mplconfig: Path, timeout: float = 60) -> Server:
    """Voilà serving one notebook as an app, like ``make demo`` but on a free port."""

    def command(port: int) -> list[str]:
        return [sys.executable, "-m", "voila", "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1",
                notebook.name]

    # Voilà only starts a kernel when a page is requested; its static files answer as soon as it is up.
    return _start_on_free_port("voila", command, home, notebook.parent, "", "/voila/static/voila.js", timeout,
                               mplconfig)


def _start_on_free_port(name, command, home, root, token, ready_path, timeout, mplconfig, attempts=3) -> Server:
    """Start on a free port; another program may take the port first (tests run side by side): retry."""
    for attempt in range(attempts):
        port = free_port()
        try:
            return _start(name, command(port), home, root, port, token, ready_path, timeout, mplconfig)
        except RuntimeError as error:
            if "already in use" not in str(error) or attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


# --------------------------------------------------------------------------------------------
# Images: is the plot drawn?
# --------------------------------------------------------------------------------------------


@dataclass
class Picture:
    """What a view's image shows, measured from its PNG (see :func:`picture`)."""

    width: int  # pixels of the image (0 when it is not visible on the page)
    height: int
    colors: int  # distinct colours (RGB) in the image
    ink: float  # fraction of pixels that differ clearly from the most common colour (the background)

    def shows_plot(self, min_ink: float = 0.02) -> bool:
        """Anything plotted: not a blank (one-colour) or vanishing picture. Loss curves are mostly white."""
        return self.width >= 50 and self.height >= 50 and self.colors >= 32 and self.ink >= min_ink

    @property
    def drawn(self) -> bool:
        """The decision boundary is there: its shading covers the axes (ink ≥ BOUNDARY_INK).

        An empty frame with its title and tick labels has ink of about 0.04-0.06; the shaded
        boundary view has 0.5-0.7.
        """
        return self.shows_plot(BOUNDARY_INK)


BOUNDARY_INK = 0.25


def picture(png: bytes) -> Picture:
    """Measure a PNG (e.g. ``locator.screenshot()``)."""
    import numpy as np
    from PIL import Image

    rgb = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int16)
    height, width, _ = rgb.shape
    flat = rgb.reshape(-1, 3)
    values, counts = np.unique(flat, axis=0, return_counts=True)
    background = values[np.argmax(counts)]
    ink = float(np.mean(np.abs(flat - background).sum(axis=1) > 24))
    return Picture(width, height, len(values), ink)


# --------------------------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------------------------


@dataclass
class Watched:
    """A page plus everything it reported: uncaught exceptions and console errors."""

    page: object
    name: str
    page_errors: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)

    kernel_errors: list[str] = field(default_factory=list)
    control_comms: set[str] = field(default_factory=set)

    def attach(self) -> Watched:
        self.page.on("pageerror", lambda exc: self.page_errors.append(str(exc)))
        self.page.on("console", lambda msg: self.console.append(f"{msg.type}: {msg.text}"))
        self.page.on("websocket", self._watch_kernel)
        return self

    def _watch_kernel(self, websocket) -> None:
        websocket.on("framesent", self._client_message)
        websocket.on("framereceived", self._kernel_message)

    def _client_message(self, payload: str | bytes) -> None:
        """Note the comms the widget manager opens to probe for widget state (see ``_BENIGN``)."""
        text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload
        if "jupyter.widget.control" in text:
            self.control_comms.update(_COMM_ID.findall(text))

    def _kernel_message(self, payload: str | bytes) -> None:
        """Catch what the kernel reports on its websocket, whichever view (or none) shows it.

        A traceback in a widget callback goes to JupyterLab's log console and Voilà drops it; the
        kernel's ``error`` and ``stream``/``stderr`` messages give it away in both.
        """
        text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload
        if not _KERNEL_TROUBLE.search(text):
            return
        detail = _KERNEL_DETAIL.search(text)
        detail = detail.group(0)[:600] if detail else text[:600]
        benign = _BENIGN.search(detail)
        if benign and (benign.group("comm") is None or benign.group("comm") in self.control_comms):
            return
        self.kernel_errors.append(detail)


# When JupyterLab or Voilà connects to a kernel, the widget manager opens a "jupyter.widget.control"
# comm to fetch existing widget state; before ipywidgets is imported the kernel answers on stderr
# that it knows no such target / comm. Known and harmless (it is not the playground's output).
_BENIGN = re.compile(r"No such comm target registered: jupyter\.widget\.control|No such comm: (?P<comm>[0-9a-f-]+)")
_COMM_ID = re.compile(r'"comm_id":\s*"([0-9a-f-]+)"')
_KERNEL_TROUBLE = re.compile(r'"msg_type":\s*"error"|"name":\s*"stderr"')
_KERNEL_DETAIL = re.compile(r'"(?:ename|text)":\s*"(?:[^"\\]|\\.)*"(?:,\s*"evalue":\s*"(?:[^"\\]|\\.)*")?')


def new_page(browser, name: str) -> Watched:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(20_000)
    return Watched(page, name).attach()


def close_page(watched: Watched) -> None:
    with contextlib.suppress(Exception):
        watched.page.context.close()


def save_failure(watched: Watched | None, servers: list[Server], label: str) -> Path:
    """Keep a screenshot, the page's HTML, its console and the servers' logs under ``ARTIFACTS``."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    folder = ARTIFACTS / f"{stamp}-{re.sub(r'[^A-Za-z0-9_.-]+', '_', label)}"
    folder.mkdir(parents=True, exist_ok=True)
    if watched is not None:
        with contextlib.suppress(Exception):
            watched.page.screenshot(path=str(folder / "page.png"), full_page=True, timeout=10_000)
        with contextlib.suppress(Exception):
            (folder / "page.html").write_text(watched.page.content())
        (folder / "console.txt").write_text("\n".join(watched.console + ["", "page errors:"] + watched.page_errors))
    for server in servers:
        with contextlib.suppress(Exception):
            (folder / f"{server.name}.log").write_text(server.log_text())
    return folder


def record(**observation) -> None:
    """Append one observation to the repeat script's record (no-op in a normal test run)."""
    if RECORD:
        with open(RECORD, "a") as fh:
            fh.write(json.dumps(observation) + "\n")


def problems(watched: Watched, scope: str = "body") -> list[str]:
    """Everything that looks like an error on the page: stderr/tracebacks, widget errors, page errors."""
    page = watched.page
    found = [f"pageerror: {e}" for e in watched.page_errors]
    found += [f"kernel error/stderr: {e}" for e in watched.kernel_errors]
    for text in page.locator(STDERR_OUTPUT).all_inner_texts():
        found.append(f"stderr output: {text[:500]}")
    body = page.locator(scope).first.inner_text()
    found += [f"page shows {t!r}" for t in ERROR_TEXTS if t in body]
    return found


# --- the playground's widgets (DOM contract: ipywidgets 8, descriptions and CSS classes) -----------


def control(page, description: str):
    """The widget box whose description label reads exactly ``description``."""
    label = page.locator(".widget-label").filter(has_text=re.compile(rf"^\s*{re.escape(description)}\s*$"))
    return page.locator(".jupyter-widgets.widget-inline-hbox").filter(has=label).first


def view(page, css_class: str):
    """A playground view (``mlp-boundary``, ``mlp-loss``, ``mlp-hidden``, ``mlp-status``)."""
    return page.locator(f".{css_class}").first


def status_text(page) -> str:
    return view(page, "mlp-status").inner_text()


# A view is an <img> (its src changes with every picture) or a <canvas> drawn in the browser (the
# playground's: it writes the id of the frame it drew in data-frame). "src" below is either.
_SRC = "(el) => el.tagName === 'CANVAS' ? (el.dataset.frame || null) : el.getAttribute('src')"


def image_src(page, css_class: str = "mlp-boundary") -> str | None:
    return page.evaluate(f"(cls) => {{ const el = document.querySelector('.' + cls); return el && ({_SRC})(el); }}",
                         css_class)


_IMAGE_LOADED = f"""([cls, old]) => {{
    const el = document.querySelector('.' + cls);
    if (!el) return false;
    const src = ({_SRC})(el);
    return !!src && src !== old && (el.tagName === 'CANVAS' ? el.width > 0 : el.complete && el.naturalWidth > 0);
}}"""


_SHOWN_PNG = f"""async (cls) => {{
    const el = document.querySelector('.' + cls);
    if (!el) return null;
    const box = el.getBoundingClientRect(), style = getComputedStyle(el), src = ({_SRC})(el);
    let png;
    if (el.tagName === 'CANVAS') {{
        if (!el.width || !src) return null;
        png = el.toDataURL('image/png').split(',')[1];
    }} else {{
        if (!el.complete || !el.naturalWidth) return null;
        const bytes = new Uint8Array(await (await fetch(el.src)).arrayBuffer());
        let binary = '';
        for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
        png = btoa(binary);
    }}
    return {{src, png, width: box.width, height: box.height,
            visible: style.display !== 'none' && style.visibility !== 'hidden' && Number(style.opacity) > 0}};
}}"""


def look(page, css_class: str = "mlp-boundary") -> tuple[Picture, bytes]:
    """The picture the view shows (an ``<img>``'s PNG fetched from the page, a ``<canvas>``'s pixels)
    and its size on screen.

    An image that is hidden or squeezed to nothing measures as 0 x 0, i.e. not drawn.
    """
    shown = page.evaluate(_SHOWN_PNG, css_class)
    if shown is None:
        return Picture(0, 0, 0, 0.0), b""
    png = base64.b64decode(shown["png"])
    pic = picture(png)
    if not shown["visible"] or min(shown["width"], shown["height"]) < 50:
        pic = Picture(0, 0, pic.colors, pic.ink)
    return pic, png


def wait_drawn(page, css_class: str = "mlp-boundary", old_src: str | None = None, timeout: float = 15_000,
               watched: Watched | None = None) -> tuple[Picture, bytes, float]:
    """Wait for a loaded, non-blank picture in the view (a new one if ``old_src`` is given).

    Returns the picture, its PNG and the seconds it took; the last picture seen if none was drawn in
    time. Raises TimeoutError when no picture loaded at all, AssertionError as soon as the kernel
    behind ``watched`` reports an error (no point waiting for a redraw that crashed).
    """
    start = time.monotonic()
    deadline = start + timeout / 1000
    errors_before = len(watched.kernel_errors) if watched else 0
    pic, png = None, b""
    while True:
        if watched is not None and len(watched.kernel_errors) > errors_before:
            raise AssertionError(f"the kernel reported an error: {watched.kernel_errors[errors_before]}")
        if page.evaluate(_IMAGE_LOADED, [css_class, old_src]):
            try:
                pic, png = look(page, css_class)
            except Exception:  # the picture was replaced (its blob URL revoked) while being fetched
                pic, png = Picture(0, 0, 0, 0.0), b""
            if pic.drawn:
                return pic, png, time.monotonic() - start
        if time.monotonic() > deadline:
            if pic is None:
                raise TimeoutError(f"no {'new ' if old_src else ''}picture loaded in .{css_class} after {timeout} ms")
            return pic, png, time.monotonic() - start
        page.wait_for_timeout(100)


def wait_status(watched: Watched, words: str, timeout: float = 20_000) -> str:
    """Wait until the status line contains ``words`` (failing at once if the kernel reports an error)."""
    page, deadline = watched.page, time.monotonic() + timeout / 1000
    errors_before = len(watched.kernel_errors)
    while True:
        text = status_text(page)
        if words in text:
            return text
        if len(watched.kernel_errors) > errors_before:
            raise AssertionError(f"the kernel reported an error: {watched.kernel_errors[errors_before]}")
        if time.monotonic() > deadline:
            raise AssertionError(f"no {words!r} in the status after {timeout} ms; it reads {text!r}")
        page.wait_for_timeout(100)


def set_readout(page, description: str, text: str) -> None:
    """Type a value into a slider's editable readout and press Enter (as a user can)."""
    readout = control(page, description).locator(".widget-readout")
    readout.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def nudge_slider(page, description: str, key: str = "ArrowRight", times: int = 1) -> None:
    """Move a slider with the keyboard: focus its handle, press ``key``."""
    handle = control(page, description).locator(".noUi-handle")
    handle.focus()
    for _ in range(times):
        page.keyboard.press(key)
    handle.blur()


def slider_readout(page, description: str) -> str:
    return control(page, description).locator(".widget-readout").inner_text().strip()


def choose(page, description: str, option: str) -> None:
    """Pick an option in a Dropdown."""
    control(page, description).locator("select").select_option(option)


# --- JupyterLab -----------------------------------------------------------------------------------

_ALL_RUN = """() => {
    const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputArea-prompt')];
    const indicator = document.querySelector('.jp-Notebook-ExecutionIndicator');
    if (document.querySelector('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'))
        return 'error';
    if (document.querySelector('.jp-Dialog')) return 'dialog';
    return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent))
        && !!indicator && indicator.dataset.status === 'idle';
}"""


def open_notebook(page, lab: Server, name: str, timeout: float = 45_000) -> None:
    """Open ``name`` in JupyterLab (fresh workspace) and wait for an idle kernel."""
    page.goto(lab.url(f"/lab/tree/{name}", reset=""), timeout=timeout)
    page.wait_for_selector("#jupyterlab-splash", state="detached", timeout=timeout)
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=timeout)
    # The indicator reads "idle" before any kernel exists ("No Kernel"): wait for the kernel itself.
    page.wait_for_function(_KERNEL_IDLE, timeout=timeout)


_KERNEL_IDLE = """() => {
    const name = document.querySelector('.jp-NotebookPanel .jp-Toolbar-kernelName');
    const indicator = document.querySelector('.jp-Notebook-ExecutionIndicator');
    return !!name && !!name.textContent.trim() && name.textContent.trim() !== 'No Kernel'
        && !!indicator && indicator.dataset.status === 'idle';
}"""


def menu(page, top: str, item: str) -> None:
    """Click ``top`` in the menu bar, then ``item`` in its menu."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(rf"^{re.escape(top)}$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(rf"^{re.escape(item)}$")).click()


def clear_and_run_all(page, timeout: float = 180_000) -> float:
    """Edit > Clear Outputs of All Cells, then Run > Run All Cells; wait for the last cell; seconds taken."""
    menu(page, "Edit", "Clear Outputs of All Cells")
    page.wait_for_function(
        "() => !document.querySelector('.jp-Notebook .jp-OutputArea-output') && [...document.querySelectorAll("
        "'.jp-Notebook .jp-CodeCell .jp-InputArea-prompt')].every(p => !/\\d/.test(p.textContent))",
        timeout=10_000)
    start = time.monotonic()
    menu(page, "Run", "Run All Cells")
    # The kernel may still report idle from before the click: first see it start.
    page.wait_for_function(
        "() => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputArea-prompt')]"
        ".some(p => /\\[[\\d*]+\\]/.test(p.textContent))", timeout=timeout)
    outcome = page.wait_for_function(_ALL_RUN, timeout=timeout).json_value()
    if outcome == "error":
        raise AssertionError("a cell wrote to stderr or raised during Run All:\n"
                             + "\n".join(page.locator(STDERR_OUTPUT).all_inner_texts())[:3000])
    if outcome == "dialog":
        raise AssertionError("JupyterLab asked a question during Run All: "
                             + page.locator(".jp-Dialog").first.inner_text()[:500])
    return time.monotonic() - start


# --- Voilà -----------------------------------------------------------------------------------------


def open_voila(page, voila: Server, timeout: float = 60_000) -> float:
    """Load the app and wait until the playground is on the page (Voilà renders cell by cell); seconds."""
    start = time.monotonic()
    page.goto(voila.url("/"), timeout=timeout)
    page.wait_for_selector(".mlp-boundary", state="attached", timeout=timeout)
    return time.monotonic() - start


# --- both surfaces ---------------------------------------------------------------------------------


@dataclass
class FirstDraw:
    """The boundary view right after the notebook ran (Run All in Lab, page load in Voilà)."""

    ready_s: float  # Run All (Lab) or page load (Voilà), seconds
    loaded_at_once: bool  # an <img> with a loaded picture already there when the run finished
    drawn: bool  # a non-blank picture within the timeout
    still_drawn: bool  # and still one a second later (no racing redraw blanked it)
    wait_s: float | None  # from the end of the run to the drawn picture
    picture: Picture | None
    error: str | None = None


@dataclass
class Surface:
    """One way of showing the playground: a page on a server, and how its first draw went."""

    name: str
    watched: Watched
    server: Server
    first: FirstDraw

    @property
    def page(self):
        return self.watched.page


def first_draw(watched: Watched, surface: str, ready_s: float, timeout: float = 15_000) -> FirstDraw:
    """Look at the boundary view as soon as the notebook has run; record what was seen."""
    page = watched.page
    loaded_at_once = bool(page.evaluate(_IMAGE_LOADED, ["mlp-boundary", None]))
    pic = wait_s = error = None
    drawn = still_drawn = False
    try:
        pic, _png, wait_s = wait_drawn(page, timeout=timeout)
        drawn = pic.drawn
        page.wait_for_timeout(1000)
        still_drawn = drawn and look(page)[0].drawn
    except Exception as exc:  # a missing picture is a finding to record, not a crash of the fixture
        error = f"{type(exc).__name__}: {exc}"[:500]
    result = FirstDraw(ready_s, loaded_at_once, drawn, still_drawn, wait_s, pic, error)
    record(event="first_draw", surface=surface, ready_s=ready_s, loaded_at_once=loaded_at_once, drawn=drawn,
           still_drawn=still_drawn, wait_s=wait_s, colors=pic and pic.colors, ink=pic and pic.ink, error=error)
    return result
