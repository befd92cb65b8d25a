"""The reference solutions' one home (mlp_course/teacher/solutions) and the teacher's solved notebooks
(make solutions): every exercise has its answer, pasted into the notebook in place of the skeleton."""

import pytest

from mlp_course.teacher import notebooks as nbs
from mlp_course.teacher import solved
from mlp_course.teacher.solutions import NUMBERS, answer_cells


@pytest.mark.parametrize("number", NUMBERS)
def test_every_exercise_has_one_answer_cell(number):
    checks = [e.check for e in nbs.exercises(nbs.read(nbs.notebook_path(number)))]
    assert 2 <= len(checks) <= 4
    assert sorted(answer_cells(number)) == sorted(checks)


@pytest.mark.parametrize("number", NUMBERS)
def test_solved_notebook_replaces_only_the_skeletons(number):
    original = nbs.read(nbs.notebook_path(number))
    notebook = nbs.solved(number)
    answers = answer_cells(number)
    skeletons = {e.skeleton_index: e.check for e in nbs.exercises(original)}
    assert len(notebook["cells"]) == len(original["cells"])
    for index, (before, after) in enumerate(zip(original["cells"], notebook["cells"])):
        if index in skeletons:
            assert nbs.source(before).startswith("# YOUR CODE")  # `...`, or a debugging exercise's given code (2.3)
            assert nbs.source(after).endswith(answers[skeletons[index]])
            assert after["outputs"] == []
        else:
            assert after == before


def test_answer_cells_rejects_an_unknown_notebook():
    with pytest.raises(ValueError, match="number"):
        answer_cells("01")


def test_make_solutions_fails_naming_a_check_that_did_not_pass(tmp_path, monkeypatch):
    def fake_execute(notebook, cwd):  # as if the answer of one check were wrong
        for exercise in nbs.exercises(notebook):
            status = "✗ not yet" if exercise.check == "check_output_delta" else "✓ passed"
            notebook["cells"][exercise.check_index]["outputs"] = [
                {"output_type": "execute_result", "data": {"text/plain": f"{status} ({exercise.name}): ..."}}]
        return notebook

    monkeypatch.setattr(solved, "execute", fake_execute)
    with pytest.raises(RuntimeError, match="check_output_delta"):
        solved.build(tmp_path, ("02",))
    assert solved.build(tmp_path, ("04",)).keys() == {"04"}
    assert (tmp_path / nbs.notebook_path("04").name).exists()


def test_answers_out_of_step_with_the_notebook_are_named(monkeypatch):
    from mlp_course.teacher import solutions

    real = solutions.answer_cells("04")
    monkeypatch.setattr(nbs, "answer_cells", lambda number: {k: v for k, v in real.items() if k != "check_loss_batch"})
    with pytest.raises(ValueError, match="nb04.py"):
        nbs.solved("04")
