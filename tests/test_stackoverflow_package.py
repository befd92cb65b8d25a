"""The stackoverflow package's contract: every name its callers use, "solved" as mlp_course.criteria
says, one sample-sum helper, and arguments checked by name. Budget: about 2 s."""

import ast
import json
import re
from pathlib import Path

import numpy as np
import pytest

from mlp_course import stackoverflow as so
from mlp_course.criteria import SOLVED_MSE, solved_outputs

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "mlp_course" / "stackoverflow"


def _names_used_as_so_attributes() -> set[str]:
    """Every ``so.<name>`` / ``stackoverflow.<name>`` in the notebooks, tests and benchmarks."""
    pattern = re.compile(r"\b(?:so|stackoverflow)\.([A-Za-z_]\w*)")
    texts = ["".join(c["source"]) for nb in sorted((ROOT / "notebooks").glob("*.ipynb"))
             for c in json.loads(nb.read_text())["cells"] if c["cell_type"] == "code"]
    texts += [p.read_text() for p in sorted((ROOT / "tests").glob("*.py")) + sorted((ROOT / "benchmarks").glob("*.py"))]
    return {name for text in texts for name in pattern.findall(text) if not name.startswith("_")} - {"py"}


def test_every_name_callers_use_is_exported():
    used = _names_used_as_so_attributes()
    assert {"train_question", "train_answer", "train_fixed", "FIXES", "X"} <= used  # the scan finds them
    missing = sorted(name for name in used if not hasattr(so, name))
    assert not missing, f"mc.stackoverflow lacks {missing}"
    assert set(so.__all__) == {name for name in dir(so) if not name.startswith("_")} - {
        "seed", "trace", "question", "answer", "fixes", "gradients", "plots"}  # __all__ lists every public name


def test_every_from_stackoverflow_import_in_the_package_resolves():
    for path in sorted((ROOT / "mlp_course").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level and (node.module or "").split(".")[0] == "stackoverflow":
                for alias in node.names:
                    assert hasattr(so, alias.name), f"{path.name}: from ..stackoverflow import {alias.name}"


def test_modules_are_small_and_say_their_idea():
    for path in sorted(PACKAGE.glob("*.py")):
        assert len(path.read_text().splitlines()) <= 400, path.name
        assert ast.get_docstring(ast.parse(path.read_text())), f"{path.name} has no module docstring"


def test_solved_at_is_the_criterions_first_solved_pass():
    """Record every epoch, then ask mlp_course.criteria which pass first solved XOR: the trace's solved_at."""
    for seed in (0, 3):
        trace = so.train_fixed(so.FIXES, seed=seed, learning_rate=1.0, max_iterations=600, record_every=1)
        verdicts = [bool(solved_outputs(o[:, None], so.y[:, None].astype(float), 0.5)) for o in trace.outputs]
        assert any(verdicts) and trace.solved_at == verdicts.index(True)
        # the trace's loss is the criterion's MSE, (1/4) Σ ½(o − y)², of each pass
        mse = 0.5 * ((trace.outputs - so.y) ** 2).mean(axis=1)
        np.testing.assert_allclose(trace.loss, mse, rtol=1e-12)
        assert trace.loss[trace.solved_at] < SOLVED_MSE


def test_the_answers_solved_at_follows_the_criterion_on_its_fast_engine_too():
    trace = so.train_answer(seed=3, learning_rate=0.5, max_iterations=5000, record_every=1, fast=True)
    verdicts = [bool(solved_outputs(o[:, None], so.y[:, None].astype(float), 0.5)) for o in trace.outputs]
    assert trace.solved_at is not None and trace.solved_at == verdicts.index(True)


@pytest.mark.parametrize("fixes", [(), so.ladder(4), so.FIXES])
def test_the_diagnosers_mean_is_the_epoch_sum_over_four(fixes):
    """question_backward averages and epoch_gradients sums with the same helper: exactly a factor 4."""
    rng = np.random.default_rng(7)
    weights = [rng.normal(size=(2, 2)), rng.normal(size=(2, 1))]
    biases = [rng.normal(size=2), rng.normal(size=1)] if "bias" in fixes else [np.zeros(2), np.zeros(1)]
    mean_w, mean_b = so.question_backward(fixes)(so.X, so.y, weights, biases, 1e-2)
    sum_w, sum_b = so.epoch_gradients(weights, biases, fixes)
    for mean, total in zip(mean_w + (mean_b or []), sum_w + (sum_b or [])):
        np.testing.assert_array_equal(mean, total / 4)  # dividing by 4 is exact in floating point
    assert (mean_b is None) == (sum_b is None) == ("bias" not in fixes)


def test_ladder_takes_a_rung():
    with pytest.raises(ValueError, match="upto"):
        so.ladder(-1)
    with pytest.raises(ValueError, match="upto.*between 0 and 9"):
        so.ladder(len(so.FIXES) + 1)
    with pytest.raises(TypeError, match="upto"):
        so.ladder(2.0)


@pytest.mark.parametrize("function", [so.per_neuron_gradients, so.answer_gradients, so.mlp_gradients])
def test_gradient_functions_name_the_bad_argument(function):
    weights, biases = [np.ones((2, 2)), np.ones((2, 1))], [np.zeros(2), np.zeros(1)]
    function(weights, biases, so.X[1], so.y[1])  # the valid call runs
    with pytest.raises(ValueError, match=r"x must be one sample, shape \(2,\)"):
        function(weights, biases, so.X, so.y[1])
    expected = r"weights must be \[W_h \(n_i, n_h\), W_o \(n_h, n_o\)\] \(the answer's hw, ow\)"
    with pytest.raises(ValueError, match=expected):
        function([np.ones((2, 3)), np.ones((2, 1))], biases, so.X[1], so.y[1])
    with pytest.raises(TypeError, match="weights must be a pair"):
        function(weights[:1], biases, so.X[1], so.y[1])
    with pytest.raises(TypeError, match="biases must be a pair"):
        function(weights, None, so.X[1], so.y[1])
    with pytest.raises(TypeError, match="target must be a number"):
        function(weights, biases, so.X[1], "1")


def test_printouts_and_plots_name_the_bad_argument():
    with pytest.raises(TypeError, match="trace must be a Trace"):
        so.post_printout("iteration 0")
    with pytest.raises(TypeError, match="trace must be a Trace"):
        so.plot_trace(None)
    with pytest.raises(TypeError, match="traces must be a dict of label -> Trace"):
        so.plot_losses([so.train_question(max_iterations=1)])
    with pytest.raises(TypeError, match="text must be a str"):
        so.round_floats(0.5)
    with pytest.raises(ValueError, match="digits"):
        so.round_floats("0.5", -1)


def test_no_call_of_an_mlp_underscore_method():
    for path in sorted(PACKAGE.glob("*.py")):
        assert not re.search(r"\.\s*_(gradients|loss_and_outputs|forward_all)\(", path.read_text()), path.name


@pytest.mark.parametrize("check", [so.check_gradients, so.epoch_gradients, so.numerical_epoch_gradients])
def test_gradient_checks_of_the_xor_data_name_the_parameter_that_is_wrong(check):
    """The learner passes weights and biases only; an error must never blame the sample x they never passed."""
    biases = [np.zeros(2), np.zeros(1)]
    with pytest.raises(ValueError, match=r"weights\[0\] must have one row per input .*\(2, n_h\), got shape \(3, 2\)"):
        check([np.zeros((3, 2)), np.zeros((2, 1))], biases)
    with pytest.raises(ValueError, match=r"biases\[0\] must have shape \(2,\), got \(3,\)"):
        check([np.zeros((2, 2)), np.zeros((2, 1))], [np.zeros(3), np.zeros(1)])
    with pytest.raises(ValueError, match=r"biases\[1\] must have shape \(1,\), got \(2,\)"):
        check([np.zeros((2, 2)), np.zeros((2, 1))], [np.zeros(2), np.zeros(2)])
    with pytest.raises(ValueError, match=r"weights must be \[W_h \("):
        check([np.zeros((2, 2)), np.zeros((3, 1))], biases)
