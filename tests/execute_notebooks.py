"""Execute course notebooks in place, top to bottom in a fresh kernel, the way they are committed.

    .venv/bin/python tests/execute_notebooks.py notebooks/05_training_dynamics.ipynb [more.ipynb ...]

After running, the live-widget parts of the outputs are dropped: the widget views (they point to
kernel objects that no longer exist) and the saved widget state. What stays is each output's static
fallback — the picture (image/png) or the one-line text a widget object carries — which GitHub,
nbviewer and an unrun JupyterLab show; "Run All" brings the live widgets back. nbval compares the
text outputs exactly as they are stored here. Prints each notebook's cell time and size (the course
keeps every notebook within 30 s of cell time and 600 KB).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def strip_widgets(notebook: nbformat.NotebookNode) -> int:
    """Drop widget views from outputs and the saved widget state; return how many views were dropped."""
    dropped = 0
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if WIDGET_VIEW in output.get("data", {}):
                del output["data"][WIDGET_VIEW]
                dropped += 1
    notebook.metadata.pop("widgets", None)
    return dropped


def cell_seconds(notebook: nbformat.NotebookNode) -> float:
    """Summed execution time of the code cells, from their execution metadata."""
    from datetime import datetime

    total = 0.0
    for cell in notebook.cells:
        timing = cell.get("metadata", {}).get("execution", {})
        if "iopub.execute_input" in timing and "shell.execute_reply" in timing:
            start, end = (datetime.fromisoformat(timing[k].replace("Z", "+00:00"))
                          for k in ("iopub.execute_input", "shell.execute_reply"))
            total += (end - start).total_seconds()
    return total


def execute(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    started = time.perf_counter()
    NotebookClient(notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}},
                   record_timing=True).execute()
    wall = time.perf_counter() - started
    dropped = strip_widgets(notebook)
    nbformat.write(notebook, path)
    print(f"{path.name}: {cell_seconds(notebook):.1f} s of cells ({wall:.1f} s wall), "
          f"{path.stat().st_size / 1024:.0f} KB, {dropped} widget view(s) left as their static fallback")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    for name in sys.argv[1:]:
        execute(Path(name))
