"""The graded exports keep every cell the learner needs (issue 14): an exported exercise has its statement's
code cells in order, the lesson cells its code reads, and every function its text names — checked without
running a kernel, for every notebook and both tools (tests/test_teacher_grading.py runs notebooks 02 and 04)."""

import pytest

from mlp_course.teacher import export
from mlp_course.teacher import notebooks as nbs
from mlp_course.teacher.solutions import NUMBERS

TOOLS = {"nbgrader": export.nbgrader_source, "otter": lambda number: export.otter_student(number)[0]}


def code(notebook: dict) -> list[str]:
    return [nbs.source(c) for c in notebook["cells"] if c["cell_type"] == "code"]


@pytest.mark.parametrize("tool", TOOLS)
@pytest.mark.parametrize("number", NUMBERS)
def test_every_name_the_exported_code_reads_is_bound_by_an_earlier_cell(number, tool):
    bound = set()
    for index, text in enumerate(code(TOOLS[tool](number))):
        assert not nbs.free_names(text) - bound, (index, text[:200])
        bound |= nbs.bound_names(text)


@pytest.mark.parametrize("tool", TOOLS)
@pytest.mark.parametrize("number", NUMBERS)
def test_exported_exercises_keep_their_given_code_in_order(number, tool):
    course = nbs.read(nbs.notebook_path(number))
    exported = code(TOOLS[tool](number))
    position = 0
    for exercise in nbs.exercises(course):
        given = [i for i in (*exercise.statement, exercise.skeleton_index, *exercise.after)
                 if course["cells"][i]["cell_type"] == "code"]
        for index in given:
            text = nbs.source(course["cells"][index])
            found = [i for i, cell in enumerate(exported) if i >= position and cell.startswith(text)]
            assert found, (exercise.check, text[:200])
            position = found[0] + 1


@pytest.mark.parametrize("tool", TOOLS)
@pytest.mark.parametrize("number", NUMBERS)
def test_every_function_a_statement_names_is_defined(number, tool):
    """`train_comparator`, `numerical_gradient` (02), `forward`, `backward` (04): the names of functions the
    lesson defines that an exercise's text mentions exist in the export before the exercise's check."""
    course = nbs.read(nbs.notebook_path(number))
    functions = set().union(*(nbs.defined_functions(t) for t in code(course)))
    notebook = TOOLS[tool](number)
    defined, mentioned = set(), set()
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            mentioned |= set(nbs.MENTIONED.findall(nbs.source(cell))) & functions
        else:
            defined |= nbs.defined_functions(nbs.source(cell))
            if "check" in nbs.source(cell) and ("require(" in nbs.source(cell) or "grader.check(" in nbs.source(cell)):
                assert mentioned <= defined, sorted(mentioned - defined)
    if number == "02":
        assert {"train_comparator", "numerical_gradient", "relative_error", "train_step"} <= mentioned


def test_lesson_cells_follow_what_the_code_reads():
    cells = [nbs.code_cell("import numpy as np\nX = np.ones(3)\nunused = 1"), nbs.code_cell("def f(z):\n    return z"),
             nbs.code_cell("Y = [f(x) for x in X]"), nbs.code_cell("def helper():\n    return 1"),
             nbs.markdown_cell("### Exercise 1\n\nUse `Y`, or `helper` if you like."), nbs.code_cell("total = sum(Y)"),
             nbs.code_cell("# YOUR CODE\ndef g(): ..."), nbs.code_cell("mc.exercises.check_g(g)")]
    notebook = nbs.new_notebook(cells)
    (exercise,) = nbs.exercises(notebook)
    assert exercise.statement == (4, 5) and exercise.after == ()
    assert nbs.lesson_cells(notebook, [exercise]) == [0, 1, 2, 3]
