"""An exercise's `# YOUR CODE` cell must not redefine a function of the lesson around it: after Run All
(or after doing the exercise) the lesson's cells that call it would fail. Notebook 04's Exercise 4.4
once defined `backward(X, y, weights, biases)` over the lesson's `backward(X, y, weights, Zs, As)`,
and re-running the speed and mini-batch cells, as its Try it asks, raised TypeError."""

import pytest

from mlp_course.teacher import notebooks as nbs
from mlp_course.teacher.solutions import NUMBERS, answer_cells


def clashes(notebook: dict, answers: dict[str, str]) -> list[tuple[str, list[str]]]:
    """(check, names) for every exercise whose skeleton or reference answer defines a lesson function."""
    exercises = nbs.exercises(notebook)
    skeletons = {e.skeleton_index for e in exercises}
    lesson = set().union(*(nbs.defined_functions(nbs.source(cell)) for index, cell in enumerate(notebook["cells"])
                           if cell["cell_type"] == "code" and index not in skeletons))
    found = []
    for exercise in exercises:
        defined = nbs.defined_functions(exercise.skeleton) | nbs.defined_functions(answers.get(exercise.check, ""))
        if defined & lesson:
            found.append((exercise.check, sorted(defined & lesson)))
    return found


@pytest.mark.parametrize("number", NUMBERS)
def test_no_exercise_redefines_a_lesson_function(number):
    assert clashes(nbs.read(nbs.notebook_path(number)), answer_cells(number)) == []


def test_a_skeleton_shadowing_a_lesson_function_is_found():
    cells = [nbs.code_cell("def backward(X, y, weights, Zs, As):\n    return 1"),
             nbs.markdown_cell("### Exercise 4.4"),
             nbs.code_cell("# YOUR CODE\ndef backward(X, y, weights, biases):\n    ..."),
             nbs.code_cell("mc.exercises.check_backward(backward)")]
    assert clashes(nbs.new_notebook(cells), {}) == [("check_backward", ["backward"])]
