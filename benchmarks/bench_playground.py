"""P-PG: how long the playground keeps the kernel busy, kernel side (no browser, no network).

redraw      What a slider step costs the kernel with the XOR defaults: ``ui.set()`` trains a new
            [2, 4, 1] network for 1000 epochs and builds the frame the browser draws (output and
            hidden maps on a grid, weights, losses as small arrays). Also split into training alone
            and the frame alone ("drawing"), and the same training as one plain ``mc.train`` call
            (the playground should match it). The browser's side: ``bench_playground_browser``.
echo        What a redundant value echo costs (the browser sending 2.0000000000000004 back for 2.0):
            it must be a comparison, not a redraw.
slow        Heavier settings, drawn once each: how long a full redraw takes, and the longest time the
            kernel is busy between two chances to handle a click (one training chunk), which is what
            keeps "Stop" and the sliders responsive while a long run trains in the background.

Nothing asserts a time. Every timing is a median over repeats (the worst gap is a maximum).
"""

from __future__ import annotations

import importlib
import statistics
import time
from dataclasses import asdict
from functools import partial

import mlp_course as mc

from . import describe_machine, format_seconds, format_table, machine_info, median_time, time_once

pg = importlib.import_module("mlp_course.playground")  # the package (mlp_course.playground is the function)

SLOW_SETTINGS = {
    "spiral, 2 × 8 tanh": {"dataset": "spiral", "hidden_layers": 2, "units": 8},
    "spiral, 4 × 8 relu": {"dataset": "spiral", "hidden_layers": 4, "units": 8, "activation": "relu", "lr": 0.1},
    "spiral, 4 × 8, batch 1": {"dataset": "spiral", "hidden_layers": 4, "units": 8, "batch_size": 1, "lr": 0.1},
}


def cpu_seconds(fn) -> float:
    """CPU time of this process during one call of ``fn()``: less sensitive than wall time to other
    processes competing for the cores (it still grows somewhat under load: shared caches)."""
    start = time.process_time()
    fn()
    return time.process_time() - start


def redraw_times(repeats: int) -> dict:
    """Seconds of a full redraw of the XOR defaults (median, min, max), of its training and its drawing.

    Wall times, and the median CPU time of the full redraw.
    """
    ui = pg.Playground()  # builds the figures: the first redraw is the constructor's
    config = pg.PlaygroundConfig()
    samples = [time_once(ui.set) for _ in range(repeats)]
    cpu = statistics.median(cpu_seconds(ui.set) for _ in range(repeats))
    data = pg.make_data(config)

    def plain_train():
        mc.train(pg.make_network(config), data.X_train, data.y_train, lr=config.lr, epochs=config.epochs,
                 loss=config.loss)

    train, plain = [], []
    for _ in range(repeats):  # interleaved, so that both see the same load
        train.append(time_once(lambda: pg.PlaygroundRun(config).train_to(config.epochs)))
        plain.append(time_once(plain_train))
    draw = median_time(ui._draw, repeats=repeats)
    return {"redraw_s": statistics.median(samples), "redraw_min_s": min(samples), "redraw_max_s": max(samples),
            "redraw_cpu_s": cpu, "train_s": statistics.median(train), "mc_train_s": statistics.median(plain),
            "draw_s": draw}


def echo_time(repeats: int) -> dict:
    """Median seconds of handling a redundant echo, and how many redraws it caused (must be 0)."""
    ui = pg.Playground()
    calls = []
    original = ui._draw
    ui._draw = lambda: (calls.append(1), original())
    lr = ui.controls["lr"]

    def echo():
        lr.value = 2.0000000000000004
        lr.value = 2.0

    seconds = median_time(echo, repeats=repeats) / 2
    return {"echo_s": seconds, "redraws": len(calls)}


def slow_settings(epochs: int, chunks: int) -> list[dict]:
    """For each heavy setting: one full redraw (``epochs`` epochs) and the longest chunk of ``chunks``."""
    rows = []
    ui = pg.Playground({"epochs": 0})
    for name, changes in SLOW_SETTINGS.items():
        config = pg.PlaygroundConfig.parse({**changes, "epochs": epochs})
        run = pg.PlaygroundRun(config)
        gaps, last = [], time.perf_counter()
        for _ in zip(range(chunks), run.steps(config.epochs if config.batch_size is None else 10**9)):
            now = time.perf_counter()
            gaps.append(now - last)
            last = now
        full = time_once(partial(ui.set, **asdict(config))) if config.batch_size is None else None
        rows.append({"setting": name, "epochs": epochs, "redraw_s": full, "chunk_epochs": run.chunk_epochs,
                     "longest_chunk_s": max(gaps), "median_chunk_s": statistics.median(gaps)})
    return rows


def main(quick: bool = False) -> dict:
    """Measure, print a table, return the numbers (``quick``: a smoke run with few repeats)."""
    info = machine_info()
    repeats = 3 if quick else 15
    redraw = redraw_times(repeats)
    echo = echo_time(repeats)
    slow = slow_settings(epochs=100 if quick else 1000, chunks=3 if quick else 20)
    print(describe_machine(info))
    print(f"\nPlayground redraw, XOR defaults (train 1000 epochs + the browser's frame), median of {repeats}:")
    print(format_table(["what", "median", "min", "max"], [
        ["full redraw (ui.set)", format_seconds(redraw["redraw_s"]), format_seconds(redraw["redraw_min_s"]),
         format_seconds(redraw["redraw_max_s"])],
        ["  the same, CPU time", format_seconds(redraw["redraw_cpu_s"]), "", ""],
        ["  training alone", format_seconds(redraw["train_s"]), "", ""],
        ["  the same as one mc.train call", format_seconds(redraw["mc_train_s"]), "", ""],
        ["  the frame alone (browser draws it)", format_seconds(redraw["draw_s"]), "", ""],
        [f"value echo (redraws: {echo['redraws']})", format_seconds(echo["echo_s"]), "", ""],
    ]))
    print("\nHeavier settings: one redraw, and the kernel's longest busy stretch between two clicks:")
    print(format_table(["setting", "epochs", "redraw", "epochs/chunk", "longest chunk", "median chunk"], [
        [r["setting"], r["epochs"], format_seconds(r["redraw_s"]) if r["redraw_s"] else "(background)",
         r["chunk_epochs"], format_seconds(r["longest_chunk_s"]), format_seconds(r["median_chunk_s"])]
        for r in slow
    ]))
    return {"machine": info, "redraw": redraw, "echo": echo, "slow": slow}


if __name__ == "__main__":
    main()
