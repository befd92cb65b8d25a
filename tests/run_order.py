"""The order the test files run in under pytest-xdist: the longest first, so the workers finish together.

``make test`` spreads whole files over the workers (``--dist loadfile``) in the order pytest collected
them (``--no-loadscope-reorder``); each worker takes the next file when it is done with one. A long
file picked up last would leave one core idle at the end, so :func:`estimated_seconds` ranks them:
a notebook by the time its cells took when it was last executed, a test module by the table below
(the few that take more than ~5 s). It only orders the run; a stale number costs time, never a result.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SLOW_MODULES = {  # seconds on the 2-core development machine (pytest --durations), rounded up
    "tests/test_teacher_grading.py": 40,  # real nbgrader and Otter grade three submissions each
    "tests/test_teacher_lite.py": 15,  # builds the JupyterLite site, opens it in Chromium
    "tests/test_install.py": 12,  # builds the wheel, installs it into a fresh virtualenv
    "tests/test_teacher_address.py": 8,  # installs the course from a git clone, as Colab would
    "tests/browser/test_learner_settings.py": 70,  # runs every notebook in JupyterLab
    "tests/browser/test_playground_pages.py": 45,  # the playground in JupyterLab and in Voila
    "tests/browser/test_lab_backprop.py": 30,  # the backprop diagram in JupyterLab and in Voila
}


def stored_run_time(path: Path) -> float:
    """Seconds the notebook's cells took when it was last executed (from the cells' timing metadata)."""
    total = 0.0
    for cell in json.loads(path.read_text())["cells"]:
        timing = cell.get("metadata", {}).get("execution", {})
        try:
            start = datetime.fromisoformat(timing["iopub.execute_input"].replace("Z", "+00:00"))
            end = datetime.fromisoformat(timing["shell.execute_reply"].replace("Z", "+00:00"))
        except (KeyError, ValueError):
            continue
        total += (end - start).total_seconds()
    return total


def estimated_seconds(relative_path: str) -> float:
    """How long the file ``relative_path`` (from the project root, with /) is expected to take; 0 if short."""
    if relative_path.endswith(".ipynb"):
        return stored_run_time(ROOT / relative_path)
    return SLOW_MODULES.get(relative_path, 0.0)
