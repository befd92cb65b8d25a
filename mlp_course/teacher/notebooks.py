"""The exercises of a course notebook, read from its cells, and notebooks built from them.

A course notebook's exercise is a `# YOUR CODE` cell (the skeleton, with ``...``) followed by a check
cell whose last line is ``mc.exercises.check_<name>(<arguments>)``; its statement is the markdown
from the cell holding its ``### Exercise`` heading down to the skeleton. Notebooks are handled as
plain JSON dictionaries (nbformat 4).
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from pathlib import Path

from .solutions import answer_cells

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
CHECK_CALL = re.compile(r"^mc\.exercises\.(check_\w+)\((.*)\)$")
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}


@dataclass(frozen=True)
class Exercise:
    """One exercise of a course notebook.

    Attributes
    ----------
    check : str
        The check's name, e.g. ``"check_backward"``.
    call : str
        The check cell's last line, e.g. ``"mc.exercises.check_backward(backward)"``.
    skeleton : str
        The `# YOUR CODE` cell as the learner gets it.
    statement : list[str]
        The markdown cells that state it, from its ``### Exercise`` heading on.
    skeleton_index, check_index : int
        The positions of the skeleton and check cells in the notebook's cell list.
    """

    check: str
    call: str
    skeleton: str
    statement: list[str]
    skeleton_index: int
    check_index: int

    @property
    def name(self) -> str:
        """The exercise's name without ``check_``: ``"backward"``."""
        return self.check.removeprefix("check_")

    @property
    def arguments(self) -> list[str]:
        """The variable names the check call passes, in order (``["mse_wider", "bce_wider"]``)."""
        call = ast.parse(self.call, mode="eval").body
        return [n.id for a in call.args for n in ast.walk(a) if isinstance(n, ast.Name)]


def source(cell: dict) -> str:
    """A cell's source as one string."""
    text = cell["source"]
    return text if isinstance(text, str) else "".join(text)


def notebook_path(number: str) -> Path:
    """The course notebook ``notebooks/<number>_*.ipynb``."""
    found = sorted(NOTEBOOKS.glob(f"{number}_*.ipynb"))
    if len(found) != 1:
        raise ValueError(f"number must name exactly one notebook in {NOTEBOOKS}, got {number!r} ({len(found)} found)")
    return found[0]


def read(path: Path) -> dict:
    return json.loads(Path(path).read_text())


def write(notebook: dict, path: Path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n")


def exercises(notebook: dict) -> list[Exercise]:
    """The exercises of a course notebook, in order; each has exactly one `# YOUR CODE` cell."""
    cells, found, skeleton = notebook["cells"], [], None
    for index, cell in enumerate(cells):
        text = source(cell).strip()
        if cell["cell_type"] != "code" or not text:
            continue
        if text.startswith("# YOUR CODE"):
            if skeleton is not None:
                raise ValueError(f"two `# YOUR CODE` cells before one check (cells {skeleton} and {index})")
            skeleton = index
        elif match := CHECK_CALL.match(text.splitlines()[-1]):
            if skeleton is None:
                raise ValueError(f"the check cell {index} ({match.group(1)}) has no `# YOUR CODE` cell before it")
            heading = max(i for i in range(skeleton) if "### Exercise" in source(cells[i])
                          and cells[i]["cell_type"] == "markdown")
            statement = [source(c) for c in cells[heading:skeleton] if c["cell_type"] == "markdown"]
            statement[0] = statement[0][statement[0].index("### Exercise"):]
            found.append(Exercise(match.group(1), text.splitlines()[-1], source(cells[skeleton]).strip(),
                                  statement, skeleton, index))
            skeleton = None
    return found


def answers_for(number: str, found: list[Exercise]) -> dict[str, str]:
    """The reference answer cells of notebook ``number``, checked against its exercises ``found``."""
    answers = answer_cells(number)
    checks = [e.check for e in found]
    if sorted(answers) != sorted(checks):
        raise ValueError(f"notebook {number}'s checks {checks} and the answers in mlp_course/teacher/solutions/"
                         f"nb{number}.py ({sorted(answers)}) differ: keep them in step")
    return answers


def _cell(kind: str, text: str, **metadata) -> dict:
    cell = {"cell_type": kind, "metadata": metadata, "source": text}
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def code_cell(text: str, **metadata) -> dict:
    return _cell("code", text, **metadata)


def markdown_cell(text: str, **metadata) -> dict:
    return _cell("markdown", text, **metadata)


def new_notebook(cells: list[dict]) -> dict:
    """An nbformat 4.5 notebook of these cells (each given an id), for the Python 3 kernel."""
    for index, cell in enumerate(cells):
        cell.setdefault("id", f"cell-{index}")
    return {"cells": cells, "metadata": {"kernelspec": dict(KERNELSPEC), "language_info": {"name": "python"}},
            "nbformat": 4, "nbformat_minor": 5}


def title(number: str) -> str:
    """The title line of an exercises-only notebook, naming its lesson."""
    lesson = notebook_path(number).name
    return (f"# Exercises of notebook {number}\n\nThe exercises of the lesson `{lesson}`, on their own for grading: "
            "write each answer in the cell marked `# YOUR CODE` and run the check below it.")


def solved(number: str) -> dict:
    """The course notebook ``number`` with every `# YOUR CODE` cell replaced by its reference answer
    (outputs cleared where answers went in; the other cells untouched)."""
    notebook = read(notebook_path(number))
    answers = answers_for(number, exercises(notebook))
    for exercise in exercises(notebook):
        cell = notebook["cells"][exercise.skeleton_index]
        cell.update(source=f"# YOUR CODE (the reference answer)\n{answers[exercise.check]}", outputs=[],
                    execution_count=None)
    return notebook


def answer(notebook: dict, number: str, replace: dict[str, str] | None = None) -> dict:
    """``notebook`` (a copy) with its `# YOUR CODE` cells, in order the exercises of course notebook
    ``number``, holding the reference answers — or, for the checks named in ``replace``, that source."""
    notebook = json.loads(json.dumps(notebook))
    found = exercises(read(notebook_path(number)))
    checks = [e.check for e in found]
    cells = [c for c in notebook["cells"] if c["cell_type"] == "code" and source(c).startswith("# YOUR CODE")]
    if len(cells) != len(checks):
        raise ValueError(f"notebook has {len(cells)} `# YOUR CODE` cells, notebook {number} {len(checks)} exercises")
    answers = {**answers_for(number, found), **(replace or {})}
    for cell, check in zip(cells, checks):
        cell["source"] = f"# YOUR CODE\n{answers[check]}"
    return notebook
