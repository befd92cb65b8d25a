"""Benchmarks of the course package: run them with ``python -m benchmarks`` (or ``make bench``).

Every module ``benchmarks/bench_*.py`` exposes ``main(quick: bool = False) -> dict``: it measures,
prints its own table and returns its numbers. ``python -m benchmarks`` runs them all in name order;
``python -m benchmarks NAME`` runs one (``training`` or ``bench_training``); ``--quick`` makes a
fast pass on tiny sizes (a smoke run, not a measurement).

Benchmarks are not tests: nothing here asserts a time. The helpers below are what every benchmark
shares: the machine description, a repeat-and-median timer and a plain-text table.
"""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

RESULTS_DIR = Path(__file__).resolve().parent / "results"
"""Where benchmarks save their plots and JSON results."""


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo (or ``platform.processor()`` elsewhere)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def blas_info() -> list[dict]:
    """The BLAS libraries numpy (and anything else loaded) uses, from threadpoolctl if installed.

    Each entry has ``internal_api`` (openblas, mkl, …), ``version``, ``architecture`` (the kernel
    OpenBLAS chose) and ``num_threads``; an empty list when threadpoolctl is not installed.
    """
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return []
    keys = ("internal_api", "version", "architecture", "num_threads", "threading_layer")
    return [{k: info.get(k) for k in keys} for info in threadpool_info() if info.get("user_api") == "blas"]


def machine_info() -> dict:
    """What the numbers were measured on: cores, CPU, Python, numpy, BLAS, OpenBLAS overrides."""
    import numpy as np

    return {
        "nproc": os.cpu_count(),
        "cpu": cpu_model(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "blas": blas_info(),
        # Set on some processors to work around old OpenBLAS bugs; it slows a current numpy.
        "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE"),
        "OPENBLAS_L2_SIZE": os.environ.get("OPENBLAS_L2_SIZE"),
        # Other processes compete for the cores: timings taken under load are slower.
        "load_average_1min": load_average(),
    }


def load_average() -> float | None:
    """The 1-minute load average (None where the OS has none): above ``nproc``, timings suffer."""
    try:
        return round(os.getloadavg()[0], 2)
    except (AttributeError, OSError):
        return None


def describe_machine(info: dict) -> str:
    """One readable paragraph from :func:`machine_info`."""
    blas = "; ".join(
        f"{b['internal_api']} {b['version']} ({b['architecture']}, {b['num_threads']} threads)" for b in info["blas"]
    )
    lines = [
        f"machine: {info['nproc']} cores, {info['cpu']}",
        f"python {info['python']}, numpy {info['numpy']}, BLAS: {blas or 'unknown (threadpoolctl not installed)'}",
        f"OPENBLAS_CORETYPE={info['OPENBLAS_CORETYPE'] or '(not set)'}, "
        f"OPENBLAS_L2_SIZE={info['OPENBLAS_L2_SIZE'] or '(not set)'}, "
        f"load average at start {info['load_average_1min']}",
    ]
    return "\n".join(lines)


def time_once(fn: Callable[[], object]) -> float:
    """Wall time of one call of ``fn()``, in seconds."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def median_time(fn: Callable[[], object], repeats: int = 5, warmup: int = 1) -> float:
    """Median wall time of ``fn()`` over ``repeats`` calls, after ``warmup`` untimed calls (seconds)."""
    if repeats < 1:
        raise ValueError(f"repeats must be >= 1, got {repeats}")
    for _ in range(warmup):
        fn()
    return statistics.median(time_once(fn) for _ in range(repeats))


def format_seconds(seconds: float) -> str:
    """``1.23 s``, ``45.6 ms``, ``7.89 µs``; ``n/a`` for None or NaN."""
    if seconds is None or seconds != seconds:
        return "n/a"
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if abs(seconds) >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def format_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain-text table, columns padded to their widest cell, first column left-aligned."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row):
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths)))

    return "\n".join([line(cells[0]), "  ".join("-" * w for w in widths)] + [line(r) for r in cells[1:]])
