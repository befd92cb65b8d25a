"""P-PG-B: slider change → new boundary on screen, in a real browser (headless Chromium, Voilà).

The classroom app (notebooks/classroom_app.ipynb, projection mode) and the same playground at its
normal size are served by Voilà; Debian's Chromium (``/usr/bin/chromium``, driven by Playwright)
moves the learning-rate slider one step with the keyboard, alternately up and down (lr 2.51 and
1.995: the XOR defaults, 1000 epochs each time), and waits until the view has drawn the new frame.

latency     from the key press (``performance.now()`` in a capturing keydown listener) to the end of
            the draw of the frame answering it (the view writes ``data-drawn-at``);
kernel      from the kernel receiving the change to the frame ready to send (``kernel_ms`` in the
            frame): waiting for the loop's turn, training (``train_ms``), building the frame;
draw        the browser drawing the three canvases (``data-draw-ms``);
transport   the rest: the slider's message to the kernel, the frame's message back (binary
            buffers), the widget managers on both sides.

Needs Playwright, Voilà and /usr/bin/chromium (``make test`` installs the first two); without them it
says so and returns nothing. Nothing asserts a time; the machine's load is printed with the numbers.
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from . import describe_machine, format_table, load_average, machine_info

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "browser"))

VARIANTS = {"projection": "mc.playground(projection=True)", "normal": "mc.playground()"}

_ARM = """() => {
    window.__mlpKey = null;
    if (!window.__mlpArmed) {
        document.addEventListener('keydown', () => { window.__mlpKey = performance.now(); }, true);
        window.__mlpArmed = true;
    }
    return document.querySelector('.mlp-view').dataset.frame;
}"""

_DRAWN = """(old) => {
    const d = document.querySelector('.mlp-view').dataset;
    return d.frame !== old && window.__mlpKey !== null ? {...d, key: window.__mlpKey} : null;
}"""


def app_copy(folder: Path, call: str) -> Path:
    """The classroom app with its playground cell set to ``call``."""
    notebook = json.loads((REPO / "notebooks" / "classroom_app.ipynb").read_text())
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            cell["source"] = ["import mlp_course as mc\n", "\n", call]
            cell["outputs"] = []
    path = folder / "classroom_app.ipynb"
    path.write_text(json.dumps(notebook))
    return path


def measure(browser, bh, folder: Path, call: str, samples: int) -> list[dict]:
    """One Voilà server and page; ``samples`` slider steps, each timed from key press to drawn frame."""
    home = folder / "home"
    home.mkdir(parents=True)
    server = bh.start_voila(home, app_copy(folder, call), bh.matplotlib_cache(folder / "matplotlib"))
    rows = []
    try:
        page = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
        page.goto(server.url("/"), timeout=90_000)
        page.wait_for_selector(".mlp-view[data-frame]", timeout=90_000)
        handle = bh.control(page, "learning rate").locator(".noUi-handle")
        for k in range(samples + 2):  # the first two warm up (JIT, first canvases)
            old = page.evaluate(_ARM)
            handle.focus()
            page.keyboard.press("ArrowRight" if k % 2 == 0 else "ArrowLeft")
            drawn = page.wait_for_function(_DRAWN, arg=old, timeout=30_000, polling=5).json_value()
            page.wait_for_timeout(150)  # let the kernel go idle before the next step
            if k < 2:
                continue
            total = float(drawn["drawnAt"]) - float(drawn["key"])
            kernel, draw = float(drawn["kernelMs"]), float(drawn["drawMs"])
            rows.append({"total_ms": total, "kernel_ms": kernel, "train_ms": float(drawn["trainMs"]),
                         "frame_ms": float(drawn["frameMs"]), "draw_ms": draw,
                         "transport_ms": total - kernel - draw, "config": drawn["config"]})
        page.context.close()
    finally:
        server.stop()
    return rows


def summary(rows: list[dict]) -> dict:
    def q(key: str, p: float) -> float:
        values = sorted(r[key] for r in rows)
        return values[min(len(values) - 1, round(p * (len(values) - 1)))]

    keys = ("total_ms", "kernel_ms", "train_ms", "frame_ms", "draw_ms", "transport_ms")
    return {key: {"median": round(statistics.median(r[key] for r in rows), 1), "p90": round(q(key, 0.9), 1)}
            for key in keys} | {"samples": len(rows)}


def main(quick: bool = False) -> dict:
    """Measure, print a table, return the numbers (``quick``: 3 samples per variant)."""
    import browser_harness as bh

    missing = bh.missing_requirement()
    if missing is None and shutil.which("voila", path=str(Path(sys.executable).parent)) is None:
        missing = "voila is not installed: pip install -e '.[test]'"
    if missing:
        print(f"skipped: {missing}")
        return {"skipped": missing}
    from playwright.sync_api import sync_playwright

    samples = 3 if quick else 30
    results = {"machine": machine_info(), "load_average_start": load_average(), "variants": {}}
    with tempfile.TemporaryDirectory(prefix="bench-playground-browser-") as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(bh.CHROMIUM), args=bh.CHROMIUM_ARGS, headless=True)
        try:
            for name, call in VARIANTS.items():
                start = time.perf_counter()
                rows = measure(browser, bh, Path(tmp) / name, call, samples)
                results["variants"][name] = summary(rows) | {"seconds": round(time.perf_counter() - start, 1)}
        finally:
            browser.close()
    results["load_average_end"] = load_average()
    print(describe_machine(results["machine"]))
    print(f"\nSlider step → new boundary drawn (Voilà, Chromium, XOR defaults), ms, {samples} steps each;"
          f" load average {results['load_average_start']} → {results['load_average_end']}:")
    header = ["size", "latency median", "p90", "kernel", "(training)", "(frame)", "draw", "transport"]
    print(format_table(header, [
        [name, v["total_ms"]["median"], v["total_ms"]["p90"], v["kernel_ms"]["median"], v["train_ms"]["median"],
         v["frame_ms"]["median"], v["draw_ms"]["median"], v["transport_ms"]["median"]]
        for name, v in results["variants"].items()
    ]))
    return results


if __name__ == "__main__":
    main()
