"""The teacher's solved notebooks (``make solutions``): notebooks 02–07 with the reference answers in
their `# YOUR CODE` cells, executed top to bottom, every check "✓ passed".

Run ``python -m mlp_course.teacher.solved OUT [NN ...]``; it prints each notebook's execution time and
fails (naming the check) when a check of the executed copy does not say "✓ passed".
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from . import notebooks as nbs
from .solutions import NUMBERS


def check_outputs(notebook: dict) -> dict[str, str]:
    """Each check's output text in an executed notebook, by check name."""
    found = {}
    for exercise in nbs.exercises(notebook):
        cell = notebook["cells"][exercise.check_index]
        found[exercise.check] = "".join(nbs.source({"source": o.get("data", {}).get("text/plain", o.get("text", ""))})
                                        for o in cell.get("outputs", []))
    return found


def execute(notebook: dict, cwd: Path, timeout: int = 900) -> dict:
    """``notebook`` executed in a fresh Python 3 kernel started in ``cwd`` (nbclient; errors raise)."""
    import json

    import nbformat
    from nbclient import NotebookClient

    node = nbformat.reads(json.dumps(notebook), as_version=4)  # sources as strings, as nbclient wants them
    NotebookClient(node, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}).execute()
    return json.loads(nbformat.writes(node))


def build(out: Path, numbers: tuple[str, ...] = NUMBERS) -> dict[str, float]:
    """Write ``out/<notebook>.ipynb`` for each number; return the execution seconds per notebook."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    seconds = {}
    for number in numbers:
        start = time.perf_counter()
        notebook = execute(nbs.solved(number), nbs.NOTEBOOKS)
        seconds[number] = time.perf_counter() - start
        failed = {c: text for c, text in check_outputs(notebook).items() if not text.startswith("✓ passed")}
        if failed:
            raise RuntimeError(f"notebook {number}: checks not passed with the reference answers: {failed}")
        nbs.write(notebook, out / nbs.notebook_path(number).name)
    return seconds


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if not args:
        raise SystemExit("usage: python -m mlp_course.teacher.solved OUT_DIR [NN ...]")
    for number, seconds in build(Path(args[0]), tuple(args[1:]) or NUMBERS).items():
        print(f"{nbs.notebook_path(number).name}: executed in {seconds:.1f} s, every check ✓ passed")


if __name__ == "__main__":
    main()
