"""Graded versions of the exercises, for nbgrader and for Otter-Grader (``make assignments``).

One exercises-only notebook per course notebook (02–07): the course's install cell (so that JupyterLite
and Colab install the package, as in every course notebook), a setup cell, the lesson's cells that the
exercises use (``notebooks.lesson_cells``: what their code reads and what their text names, and the
sections their links lead to), then per exercise every cell of its statement (markdown and the given
code, in order), its `# YOUR CODE` cell, the cells between that and the check (e.g. one running the
given code) and a graded check. Both graders fail a test only on an exception, so a graded check is
``print(mc.exercises.require(mc.exercises.check_…(…)))``: an ``AssertionError`` whose message is the
check's "✗ not yet" line, hint included, or the "✓ passed" line, printed (a statement, so nbgrader
finds no output value to read as a score).

Where a skeleton says to record the playground's ``ui.config`` (06), a note before it says that grading
reruns the notebook without the learner's clicks, so the dictionary must be pasted or set with ``ui.set``.

The Otter notebook's setup cell falls back, where otter-grader is not installed (``make lab``,
JupyterLite, Colab), to a ``grader`` whose ``grader.check("<exercise>")`` runs the exercise's check
directly: the learner sees the same "✓ passed" / "✗ not yet" line; only the grading needs Otter.

Writes, under ``out`` (``build/assignments`` from the Makefile)::

    nbgrader/nbgrader_config.py             the course directory of an nbgrader course
    nbgrader/source/nbNN/NN_exercises.ipynb answers between ### BEGIN/END SOLUTION, locked graded cells
    otter/nbNN/student/NN_exercises.ipynb   the learners' notebook, grader.check("<exercise>") cells
    otter/nbNN/student/tests/<exercise>.py  one exception-based Otter test file per exercise
    otter/nbNN/autograder.zip               made by ``otter generate`` from those tests

Run ``python -m mlp_course.teacher.export OUT``.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from . import lite
from . import notebooks as nbs
from .solutions import NUMBERS, SETUP

POINTS = 1
"""Points per exercise."""

NBGRADER_CONFIG = '''\
# nbgrader configuration of the mlp-course exercises (made by `make assignments`).
c = get_config()  # noqa: F821
c.CourseDirectory.course_id = "mlp-course"
# The learner gets the exercise's own skeleton (signature, docstring, `...`; for a debugging exercise the
# given code with its bugs): the reference answer that follows it in the source notebook is removed on
# release, leaving an empty line.
c.ClearSolutions.code_stub = {"python": ""}
# Some checks rerun a training (a few seconds each).
c.Execute.timeout = 300
'''


def _nbgrader(grade_id: str, *, grade: bool = False, solution: bool = False, locked: bool = False) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3, "solution": solution,
            "task": False}
    if grade:
        meta["points"] = POINTS
    return meta


def graded_check(exercise: nbs.Exercise, show: bool = True) -> str:
    """The graded cell of an exercise: its check, required to pass; with ``show`` the "✓ passed" line is
    printed (a statement: the cell has no output value, which nbgrader would try to read as a score)."""
    required = f"mc.exercises.require({exercise.call})"
    return f"print({required})" if show else required


def install_cell(**metadata) -> dict:
    """The course notebooks' install cell (``lite.INSTALL_CELL``), tagged as theirs are; Otter's grading skips it."""
    return nbs.code_cell(lite.INSTALL_CELL, tags=["nbval-ignore-output", lite.INSTALL_TAG, "otter_ignore"], **metadata)


def otter_setup(number: str) -> str:
    """The Otter notebook's setup cell: the course's setup, then ``grader``: Otter's where otter-grader is
    installed, else one whose ``check("<exercise>")`` runs that exercise's check in the notebook."""
    found = nbs.exercises(nbs.read(nbs.notebook_path(number)))
    calls = ",\n".join(f"        {json.dumps(e.name)}: {json.dumps(e.call)}" for e in found)
    return f"""{SETUP}

try:
    import otter

    grader = otter.Notebook(tests_dir="tests")
except ImportError:  # no otter-grader here (JupyterLite, Colab, `make lab`): grader.check runs the check itself
    from types import SimpleNamespace

    CHECKS = {{
{calls},
    }}
    grader = SimpleNamespace(check=lambda exercise: eval(CHECKS[exercise]))"""


REPLAYED = ("**Grading reruns this notebook from the top**, where the playground starts from its defaults and your "
            "clicks are not replayed: `ui.config` alone would hand in the default network. Record the dictionary "
            "that `print(ui.config)` shows (paste it: `{'dataset': 'circle', ...}`), or set the controls in this "
            "cell with `ui.set(...)` before `ui.config`.")
"""The note before a `# YOUR CODE` cell whose skeleton says to record ``ui.config`` (notebook 06)."""

LESSON = ("## Code from the lesson\n\nThe cells of the lesson that the exercises below use (their data, their given "
          "code, the names they mention, the sections they link to), as the lesson runs them.")


def exercise_cells(number: str, nbgrader: bool) -> list[dict]:
    """The cells of course notebook ``number``'s exercises, after the setup cell: the lesson cells they
    use, then per exercise its statement, `# YOUR CODE` cell, following cells and graded check.

    With ``nbgrader`` the given code is locked, the `# YOUR CODE` cell holds the reference answer between
    ``### BEGIN/END SOLUTION`` and the check is a locked autograded test; otherwise (Otter) the cells
    carry no metadata and the check is ``grader.check("<exercise>")``."""
    course = nbs.read(nbs.notebook_path(number))
    found = nbs.exercises(course)
    answers = nbs.answers_for(number, found)

    def given(index: int, grade_id: str) -> dict:
        cell = course["cells"][index]
        if cell["cell_type"] == "markdown":
            return nbs.markdown_cell(nbs.statement_text(cell))
        return nbs.code_cell(nbs.source(cell), **({"nbgrader": _nbgrader(grade_id, locked=True)} if nbgrader else {}))

    lesson = sorted(nbs.lesson_cells(course, found) + nbs.linked_sections(course, found))
    cells = [nbs.markdown_cell(LESSON)] if lesson else []
    cells += [given(i, f"lesson_{i}") for i in lesson]
    for exercise in found:
        cells += [given(i, f"given_{exercise.name}_{i}") for i in exercise.statement]
        if "ui.config" in exercise.skeleton:
            cells.append(nbs.markdown_cell(REPLAYED, **({"nbgrader": _nbgrader(f"note_{exercise.name}", locked=True)}
                                                       if nbgrader else {})))
        if nbgrader:
            answer = f"{exercise.skeleton}\n### BEGIN SOLUTION\n{answers[exercise.check]}\n### END SOLUTION"
            cells.append(nbs.code_cell(answer, nbgrader=_nbgrader(f"answer_{exercise.name}", solution=True)))
        else:
            cells.append(nbs.code_cell(exercise.skeleton))
        cells += [given(i, f"given_{exercise.name}_{i}") for i in exercise.after]
        if nbgrader:
            cells.append(nbs.code_cell(graded_check(exercise),
                                       nbgrader=_nbgrader(f"check_{exercise.name}", grade=True, locked=True)))
        else:
            cells.append(nbs.code_cell(f'grader.check("{exercise.name}")'))
    return cells


def nbgrader_source(number: str) -> dict:
    """The nbgrader source notebook of course notebook ``number``'s exercises."""
    cells = [nbs.markdown_cell(nbs.title(number), nbgrader=_nbgrader("title", locked=True)),
             install_cell(nbgrader=_nbgrader("install", locked=True)),
             nbs.code_cell(SETUP, nbgrader=_nbgrader("setup", locked=True))]
    return nbs.new_notebook(cells + exercise_cells(number, nbgrader=True))


def otter_test_file(number: str, exercise: nbs.Exercise) -> str:
    """An exception-based Otter test file: the check, required to pass, on the notebook's variables."""
    names = [n for n in dict.fromkeys(exercise.arguments) if n not in ("mc", "np")]
    return f'''"""Otter test of exercise {exercise.name} (notebook {number}): {exercise.call}"""

from otter.test_files import test_case

import mlp_course as mc

OK_FORMAT = False
name = "{exercise.name}"
points = {POINTS}


@test_case(points={POINTS}, hidden=False)
def test_{exercise.name}({", ".join(names)}):
    {graded_check(exercise, show=False)}
'''


def otter_student(number: str) -> tuple[dict, dict[str, str]]:
    """The Otter learners' notebook of course notebook ``number`` and its test files by name."""
    cells = [nbs.markdown_cell(nbs.title(number) + " `grader.check(...)` runs the graded test of an exercise."),
             install_cell(), nbs.code_cell(otter_setup(number))]
    tests = {e.name: otter_test_file(number, e) for e in nbs.exercises(nbs.read(nbs.notebook_path(number)))}
    return nbs.new_notebook(cells + exercise_cells(number, nbgrader=False)), tests


def student_file(number: str) -> str:
    return f"{number}_exercises.ipynb"


def export(out: Path, numbers: tuple[str, ...] = NUMBERS) -> Path:
    """Write the nbgrader course directory and the Otter assignments under ``out``; return ``out``."""
    out = Path(out)
    for tool in ("nbgrader", "otter"):
        shutil.rmtree(out / tool, ignore_errors=True)
    (out / "nbgrader").mkdir(parents=True)
    (out / "nbgrader" / "nbgrader_config.py").write_text(NBGRADER_CONFIG)
    for number in numbers:
        nbs.write(nbgrader_source(number), out / "nbgrader" / "source" / f"nb{number}" / student_file(number))
        folder = out / "otter" / f"nb{number}"
        notebook, tests = otter_student(number)
        nbs.write(notebook, folder / "student" / student_file(number))
        for name, text in tests.items():
            (folder / "student" / "tests").mkdir(parents=True, exist_ok=True)
            (folder / "student" / "tests" / f"{name}.py").write_text(text)
        otter_autograder(folder / "student" / "tests", folder / "autograder.zip")
    return out


def otter_autograder(tests: Path, zip_path: Path) -> Path:
    """``otter generate``: the autograder zip of a folder of test files (no requirements added: the
    grading environment needs the course package installed, see TEACHING.md)."""
    from otter.generate import main as generate

    generate(tests_dir=str(tests), output_path=str(zip_path), no_config=True, no_requirements=True,
             no_environment=True)
    return zip_path


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        raise SystemExit("usage: python -m mlp_course.teacher.export OUT_DIR")
    out = export(Path(args[0]))
    print(f"nbgrader course directory: {out / 'nbgrader'}  (nbgrader generate_assignment nbNN there)")
    print(f"Otter assignments: {out / 'otter'}/nbNN/{{student,autograder.zip}}")


if __name__ == "__main__":
    main()
