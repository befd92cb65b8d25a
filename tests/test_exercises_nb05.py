"""Exercises of notebook 05: a learning rate that solves XOR within the epoch budget, and an
explain-by-experiment prompt whose check reruns the experiment."""

import json
import re
from pathlib import Path

import numpy as np
import pytest
from exercise_asserts import assert_not_yet

import mlp_course as mc
from mlp_course.exercises import nb05
from mlp_course.teacher.solutions.nb05 import bce_wider, learning_rate, mse_wider  # the reference solutions' one home

ex = mc.exercises
NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "05_training_dynamics.ipynb"


# ================================================================================================
def test_reference_solutions_pass():
    for result in (ex.check_learning_rate(learning_rate), ex.check_wider_networks(mse_wider, bce_wider)):
        assert result.passed and str(result).startswith("✓ passed"), result


# ------------------------------------------------------------------------------------------------
# Exercise 5.1
def _solves_all(lr):
    """What the check promises, computed independently: every seed solved after LR_EPOCHS epochs."""
    X, y = mc.datasets.xor()
    nets = [mc.MLP([2, 4, 1], "tanh", seed=s) for s in nb05.LR_SEEDS]
    return all(mc.train(net, X, y, lr=lr, epochs=nb05.LR_EPOCHS) is not None and mc.solved(net, X, y) for net in nets)


@pytest.mark.parametrize("lr", [2.5, 3, 4, 5, 7.5, 10, 15, 20, 25, np.float64(6), np.int64(8), np.array(12.0)])
def test_a_range_of_rates_passes(lr):
    # N = 100 epochs was chosen so that a whole decade of rates passes, not one magic value
    assert ex.check_learning_rate(lr).passed
    assert _solves_all(float(lr))


@pytest.mark.parametrize("lr", [1e-3, 0.05, 0.5, 1, 2, 2.2])
def test_too_small_rates_are_told_they_are_still_learning(lr):
    result = ex.check_learning_rate(lr)
    assert_not_yet(result, "fell steadily", "too small")
    assert "too large" not in result.message
    assert not _solves_all(lr)


@pytest.mark.parametrize("lr", [40, 50, 100, 1e4, 1e300])
def test_too_large_rates_are_told_what_happened(lr):
    result = ex.check_learning_rate(lr)
    assert_not_yet(result, "overshoot", "saturated", "too large")
    assert re.search(r"rose in \d+ of the 100 epochs|got worse", result.message)
    assert "too small" not in result.message


def test_the_recipes_rate_is_too_slow_for_the_budget():
    # 2.0 solves XOR within 1000 epochs (XOR_DEFAULTS) but not every seed within 100
    assert mc.XOR_DEFAULTS["lr"] == 2.0
    assert_not_yet(ex.check_learning_rate(2.0), "3 of the 4 networks", "too small")


def test_a_diverging_run_is_reported(monkeypatch):
    # a sigmoid output bounds the loss, so divergence needs a stand-in run that reports it
    monkeypatch.setattr(nb05, "_run", lambda lr, seed: {"seed": seed, "solved": False, "diverged": True,
                                                        "diverged_at": 6, "start": 0.1, "final": 0.1, "rises": 0,
                                                        "saturated": 0.0})
    assert_not_yet(ex.check_learning_rate(3.0), "infinite or NaN in epoch 7", "far too large")


NOT_A_RATE = {
    "text": ("5", "without quotes"),
    "True": (True, "not True or False"),
    "list": ([5.0], "one number"),
    "array of two": (np.array([1.0, 2.0]), "one number"),
    "zero": (0, "positive"),
    "negative": (-3.0, "positive"),
    "nan": (float("nan"), "finite"),
    "inf": (np.inf, "finite"),
    "ellipsis": (..., "`...`"),
    "None": (None, "`...`"),
}


@pytest.mark.parametrize("name", NOT_A_RATE)
def test_answers_that_are_not_a_positive_number(name):
    answer, word = NOT_A_RATE[name]
    assert_not_yet(ex.check_learning_rate(answer), word)


def test_hints_never_give_a_passing_rate():
    for lr in (0.5, 2.0, 50.0):
        message = ex.check_learning_rate(lr).message
        numbers = [float(x) for x in re.findall(r"lr = ([\d.e+]+)", message)]
        assert numbers == [lr]  # the only rate it names is the learner's own


# ------------------------------------------------------------------------------------------------
# Exercise 5.2
@pytest.mark.parametrize("answers", [("more", "more"), ("fewer", "fewer"), ("more", "fewer")])
def test_wrong_verdicts_name_the_experiment_not_the_answer(answers):
    result = ex.check_wider_networks(*answers)
    assert_not_yet(result, "mc.train_ensemble([2, width, 1]", "init_scale=2", ".success_rate", "section 3")
    wrong = [name for name, given, right in (("mse_wider", answers[0], mse_wider), ("bce_wider", answers[1], bce_wider))
             if given != right]
    assert all(name in result.message for name in wrong)
    assert "more" not in result.message.replace("mse_wider", "") and "fewer" not in result.message


@pytest.mark.parametrize("answers", [(..., "more"), ("fewer", None), (..., ...)])
def test_untouched_cells_say_not_yet(answers):
    assert_not_yet(ex.check_wider_networks(*answers), "`...`")


@pytest.mark.parametrize("answers, word", [(("less", "more"), "mse_wider"), (("fewer", True), "bce_wider"),
                                           (("fewer", "wider"), '"more" or "fewer"')])
def test_answers_outside_the_choices(answers, word):
    assert_not_yet(ex.check_wider_networks(*answers), word)


def test_choices_ignore_case_and_spaces():
    assert ex.check_wider_networks(" Fewer", "MORE ").passed


def test_the_check_reruns_the_experiment(monkeypatch):
    # at init_scale 0.5 both losses gain from width (section 3's first column): the verdicts follow the runs
    monkeypatch.setattr(nb05, "WIDER_SCALE", 0.5)
    monkeypatch.setattr(nb05, "WIDER_SEEDS", 100)
    truths = {loss: nb05._wider_truth(loss) for loss in ("mse", "bce")}
    for loss, (verdict, rate4, rate8) in truths.items():
        X, y = mc.datasets.xor()
        again = [mc.train_ensemble([2, w, 1], X, y, seeds=range(100), epochs=400, init_scale=0.5,
                                   loss=loss).success_rate for w in (4, 8)]
        assert (rate4, rate8) == tuple(again)
        assert verdict == ("more" if rate8 > rate4 else "fewer")
    assert ex.check_wider_networks(truths["mse"][0], truths["bce"][0]).passed


def test_the_reference_answers_agree_with_the_notebooks_stored_table():
    cells = json.loads(NOTEBOOK.read_text())["cells"]
    text = next("".join(o.get("text", "")) for c in cells if c["cell_type"] == "code"
                for o in c.get("outputs", [])
                if re.search(r"share of \d+ seeds that solve XOR", "".join(o.get("text", ""))))
    tables, loss = {}, None
    for line in text.splitlines():  # "mse: share of …", a header, then "  4   98.9%   95.9%   75.9%" per width
        if re.match(r"^(mse|bce):", line):
            loss = line[:3]
            tables[loss] = {}
        elif match := re.match(r"^\s+(\d+)\s+(.*%)\s*$", line):
            tables[loss][int(match.group(1))] = [float(v) for v in match.group(2).split("%") if v.strip()]
    column = 2  # scale 2
    for loss, answer in (("mse", mse_wider), ("bce", bce_wider)):
        rate4, rate8 = tables[loss][4][column], tables[loss][8][column]
        assert answer == ("more" if rate8 > rate4 else "fewer"), (loss, rate4, rate8)


# ------------------------------------------------------------------------------------------------
def test_the_notebook_holds_the_unsolved_exercises_and_their_not_yet_outputs():
    cells = json.loads(NOTEBOOK.read_text())["cells"]
    sources = ["".join(c["source"]) for c in cells]
    assert sources[-1].startswith("[← 04") and "## Try it" in "".join(sources)
    for variables, call in ((["learning_rate"], "check_learning_rate(learning_rate)"),
                            (["mse_wider", "bce_wider"], "check_wider_networks(mse_wider, bce_wider)")):
        skeleton = [s for s in sources if s.startswith("# YOUR CODE") and f"{variables[0]} = ..." in s]
        assert len(skeleton) == 1, variables
        assert all(f"{v} = ..." in skeleton[0] for v in variables)  # unsolved
        check = [c for c in cells
                 if c["cell_type"] == "code" and "".join(c["source"]).strip() == f"mc.exercises.{call}"]
        assert len(check) == 1, call
        text = "".join("".join(out.get("data", {}).get("text/plain", "")) for out in check[0]["outputs"])
        name = call.removeprefix("check_").split("(")[0]
        assert text.startswith(f"✗ not yet ({name})"), (name, text)
