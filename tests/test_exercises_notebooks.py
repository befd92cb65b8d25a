"""Every notebook 02–07 ends with 2–4 self-checking exercises, committed unsolved, whose reference
solutions (in mlp_course/teacher/solutions/nbNN.py) pass when handed to the check exactly as the notebook's
check cell hands them over."""

import importlib
import json
import re
from pathlib import Path

import numpy as np
import pytest

import mlp_course as mc

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
CHECK_CALL = re.compile(r"^mc\.exercises\.(check_\w+)\((.*)\)$")


def exercise_cells(number: str):
    """(skeleton sources, check name, argument expression, stored output) for each check cell."""
    (path,) = NOTEBOOKS.glob(f"{number}_*.ipynb")
    cells = [c for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code"]
    found, skeletons = [], []
    for cell in cells:
        source = "".join(cell["source"]).strip()
        if source.startswith("# YOUR CODE"):
            skeletons.append(source)
        match = CHECK_CALL.match(source.splitlines()[-1]) if source else None
        if match:
            output = "".join("".join(o.get("data", {}).get("text/plain", "")) for o in cell["outputs"])
            found.append((skeletons, match.group(1), match.group(2), output))
            skeletons = []
    return found


NUMBERS = ["02", "03", "04", "05", "06", "07"]
GIVEN_CODE = {"check_train_step"}
"""Debugging exercises: their skeleton is the given code with its bugs, not `...` (the stored "not yet" proves it
unsolved)."""


@pytest.mark.parametrize("number", NUMBERS)
def test_each_notebook_ends_with_two_to_four_unsolved_exercises(number):
    cells = exercise_cells(number)
    assert 2 <= len(cells) <= 4, f"notebook {number} has {len(cells)} exercise checks"
    for skeletons, name, _, output in cells:
        assert skeletons, f"{name}: no cell marked `# YOUR CODE` before its check"
        if name not in GIVEN_CODE:
            assert all("..." in s for s in skeletons), f"{name}: the committed skeleton must be unsolved"
        assert output.startswith(f"✗ not yet ({name.removeprefix('check_')})"), (name, output)
        module = getattr(mc.exercises, name).__module__  # mlp_course.exercises.nbNN or a module of that package
        assert module.endswith(f".nb{number}") or f".nb{number}." in module, (name, module)


def test_every_check_is_used_by_exactly_one_notebook_cell():
    used = [name for number in NUMBERS for _, name, _, _ in exercise_cells(number)]
    checks = sorted(n for n in mc.exercises.__all__ if n.startswith("check_"))
    assert sorted(used) == checks


@pytest.mark.parametrize("number", NUMBERS)
def test_reference_solutions_pass_through_the_notebooks_own_check_calls(number):
    solutions = importlib.import_module(f"mlp_course.teacher.solutions.nb{number}")
    namespace = {"mc": mc, "np": np, **vars(solutions)}
    for _, name, arguments, _ in exercise_cells(number):
        result = eval(f"mc.exercises.{name}({arguments})", namespace)  # the check cell, with the solution in scope
        assert result.passed, (name, str(result))
