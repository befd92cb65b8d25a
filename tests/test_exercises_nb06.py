"""Exercises of notebook 06: playground challenges. Each check accepts the reference configurations
(as a playground, a config dict or a config string), rebuilds exactly the run the playground showed,
and rejects typical wrong configurations with a hint that says what is off."""

import importlib
import json
from pathlib import Path

import pytest
from exercise_asserts import assert_not_yet, assert_passed

import mlp_course as mc
from mlp_course.exercises import nb06
from mlp_course.teacher.solutions.nb06 import (  # the reference solutions' one home
    diverging,
    small_circle,
    spiral,
    stable,
)

pg = importlib.import_module("mlp_course.playground")  # the module (mc.playground is the function)
ex = mc.exercises
NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "06_playground.ipynb"


# ================================================================================================
def test_reference_configurations_pass_as_dicts_and_config_strings():
    assert_passed(ex.check_small_circle(small_circle))
    assert_passed(ex.check_divergence_edge(diverging, stable))
    assert_passed(ex.check_spiral_challenge(pg.PlaygroundConfig.parse(spiral).to_string()))


def test_the_check_sees_exactly_what_the_playground_showed():
    """Passing `ui` itself works, and the check's retrained run equals the playground's, epoch for epoch."""
    ui = mc.playground(small_circle)
    assert_passed(ex.check_small_circle(ui))
    run = nb06._trained("small_circle", pg.PlaygroundConfig.parse(ui.config))
    assert run.history.loss == ui.history.loss and run.history.val_loss == ui.history.val_loss
    assert run.status() == ui.status
    ui.train_more(500)  # "Train more" keeps the config restorable: epochs becomes the new total
    again = nb06._trained("small_circle", pg.PlaygroundConfig.parse(ui.config))
    assert again.history.loss == ui.history.loss and again.status() == ui.status


def test_the_divergence_edge_accepts_a_playground_and_its_snapshots():
    ui = mc.playground(diverging)
    high = ui.config  # a snapshot: a new dict
    ui.set(lr=stable["lr"])
    assert "diverged" not in ui.status
    assert_passed(ex.check_divergence_edge(high, ui))
    assert_not_yet(ex.check_divergence_edge(ui, ui), "same configuration")


CHECKS = [ex.check_small_circle, ex.check_spiral_challenge, lambda answer: ex.check_divergence_edge(answer, stable),
          lambda answer: ex.check_divergence_edge(diverging, answer)]


@pytest.mark.parametrize("check", CHECKS)
@pytest.mark.parametrize("answer", [..., None])
def test_untouched_cells_say_not_yet_without_raising(check, answer):
    assert_not_yet(check(answer), "`...`")


@pytest.mark.parametrize("check", CHECKS)
@pytest.mark.parametrize("answer, words", [
    (42, ("the playground (`ui`)", "int")),
    ([("dataset", "circle")], ("the playground (`ui`)", "list")),
    ({"units": 12}, ("not a playground configuration", "units must be an integer from 1 to 8")),
    ({"colour": "red"}, ("unknown config key",)),
    ("dataset=circle units", ("key=value",)),
])
def test_answers_that_are_not_configurations_get_a_hint(check, answer, words):
    assert_not_yet(check(answer), *words)


# ------------------------------------------------------------------------------------------------
def changed(config, **changes):
    return {**config, **changes}


SMALL_CIRCLE_WRONG = {
    "another dataset": (changed(small_circle, dataset="moons"), ("moons", "circle")),
    "no hidden layer": (changed(small_circle, hidden_layers=0), ("straight line",)),
    "too many units": (changed(small_circle, units=4), ("4 hidden units", "at most 3")),
    "two layers of two": (changed(small_circle, hidden_layers=2, units=2), ("4 hidden units",)),
    "less noise": (changed(small_circle, noise=0.0), ("noise at least 0.1",)),
    "fewer test points": (changed(small_circle, test_fraction=0.1), ("test fraction at least 0.3",)),
    "untrained": (changed(small_circle, epochs=0), ("0 epochs",)),
    "too many epochs": (changed(small_circle, epochs=6000), ("6000 gradient steps", "5000 epochs")),
    "too many steps": (changed(small_circle, epochs=2000, batch_size=16), ("18000 gradient steps",)),
    "diverged": (changed(small_circle, lr=10.0), ("diverged at epoch",)),
    "saturated start (overfits)": (changed(small_circle, lr=10.0, init_scale=10.0),
                                   ("fits the training points but not the test points",)),
    "two lines (underfits)": (changed(small_circle, units=2), ("does not even fit", "straight lines")),
    "too few epochs": (changed(small_circle, epochs=20), ("does not even fit", "more epochs")),
}


def test_the_wrong_circle_configurations_really_are_what_their_names_say():
    """The rejected runs' outcomes are measured here with the playground itself, not copied from a run."""
    diverged = mc.playground(SMALL_CIRCLE_WRONG["diverged"][0])
    assert diverged.diverged
    two_units = mc.playground(SMALL_CIRCLE_WRONG["two lines (underfits)"][0])
    assert mc.accuracy(two_units.network, two_units.data.X_train, two_units.data.y_train) < 0.95
    overfit = mc.playground(SMALL_CIRCLE_WRONG["saturated start (overfits)"][0])
    data = overfit.data
    assert mc.accuracy(overfit.network, data.X_train, data.y_train) >= 0.95 > mc.accuracy(
        overfit.network, data.X_test, data.y_test)


@pytest.mark.parametrize("name", sorted(SMALL_CIRCLE_WRONG))
def test_small_circle_rejects(name):
    answer, words = SMALL_CIRCLE_WRONG[name]
    assert_not_yet(ex.check_small_circle(answer), *words)


SPIRAL_WRONG = {
    "another dataset": (changed(spiral, dataset="circle"), ("circle", "spiral")),
    "experiment 4's 500 epochs": (changed(spiral, epochs=500), ("test accuracy 90.0%", "does not even fit")),
    "sigmoid units": (changed(spiral, activation="sigmoid"), ("does not even fit",)),
    "less noise": (changed(spiral, noise=0.05), ("noise at least 0.1",)),
    "batch 1 over budget": (changed(spiral, batch_size=1, epochs=100), ("14000 gradient steps",)),
    "diverged": (changed(spiral, lr=10.0), ("diverged at epoch",)),
}


@pytest.mark.parametrize("name", sorted(SPIRAL_WRONG))
def test_spiral_challenge_rejects(name):
    answer, words = SPIRAL_WRONG[name]
    assert_not_yet(ex.check_spiral_challenge(answer), *words)


DIVERGENCE_WRONG = {
    "same twice": (stable, stable, ("same configuration",)),
    "another dataset": (changed(diverging, dataset="moons"), changed(stable, dataset="moons"), ("moons", "XOR")),
    "differ in units": (changed(diverging, units=3), stable, ("differ in units",)),
    "swapped": (stable, diverging, ("smaller learning rate", "Swap")),
    "too few epochs": (changed(diverging, epochs=50), changed(stable, epochs=50), ("at least 1000 epochs",)),
    "mse never diverges": (changed(diverging, loss="mse", lr=10.0), changed(stable, loss="mse", lr=7.943),
                           ("trained without diverging", "mse", "which loss")),
    "bce, both stable": (changed(diverging, lr=3.981), changed(stable, lr=3.162), ("trained without diverging",
                                                                                    "Raise its learning rate")),
    "both diverge": (changed(diverging, lr=7.943), diverging, ("`stable` diverged at epoch",)),
    "too far apart": (diverging, changed(stable, lr=1.0), ("6.31× apart", "8 slider steps")),
    "two steps apart": (diverging, changed(stable, lr=3.981), ("2 slider steps",)),
    "over budget": (changed(diverging, epochs=6000), changed(stable, epochs=6000), ("5000 epochs",)),
}


@pytest.mark.parametrize("name", sorted(DIVERGENCE_WRONG))
def test_divergence_edge_rejects(name):
    high, low, words = DIVERGENCE_WRONG[name]
    result = ex.check_divergence_edge(high, low)
    assert_not_yet(result, *words)
    assert "5.012" not in result.message  # never the answer


def test_noise_and_test_fraction_do_not_count_as_differences_on_xor():
    assert_passed(ex.check_divergence_edge(changed(diverging, noise=0.3, test_fraction=0.0), stable))


def test_a_finer_edge_than_the_slider_passes_too():
    """Rates typed into the readout (not slider steps) pass when they bracket the edge closer than one step."""
    lrs = [5.012 * 1.02**k for k in range(13)]  # 5.01 … 6.36
    outcomes = [pg.PlaygroundRun(pg.PlaygroundConfig.parse(changed(stable, lr=lr))) for lr in lrs]
    for run in outcomes:
        run.train_to(run.config.epochs)
    edge = next(k for k, run in enumerate(outcomes) if run.diverged)
    assert edge > 0 and not outcomes[edge - 1].diverged
    assert_passed(ex.check_divergence_edge(changed(stable, lr=lrs[edge]), changed(stable, lr=lrs[edge - 1])))


# ------------------------------------------------------------------------------------------------
EXERCISES = {  # name -> (the variable its `# YOUR CODE` cell defines, how the check cell calls the check)
    "small_circle": ("small_circle = ...", "mc.exercises.check_small_circle(small_circle)"),
    "divergence_edge": ("diverging = ...", "mc.exercises.check_divergence_edge(diverging, stable)"),
    "spiral_challenge": ("spiral = ...", "mc.exercises.check_spiral_challenge(spiral)"),
}


def test_the_notebook_holds_the_unsolved_exercises_and_their_not_yet_outputs():
    cells = json.loads(NOTEBOOK.read_text())["cells"]
    sources = ["".join(c["source"]) for c in cells]
    for name, (skeleton_mark, check_call) in EXERCISES.items():
        skeleton = [s for s in sources if s.startswith("# YOUR CODE") and skeleton_mark in s]
        assert len(skeleton) == 1, name
        check = [c for c in cells if c["cell_type"] == "code" and "".join(c["source"]).strip().endswith(check_call)]
        assert len(check) == 1, name
        text = "".join("".join(out.get("data", {}).get("text/plain", "")) for out in check[0]["outputs"])
        assert text.startswith(f"✗ not yet ({name})"), (name, text)
    assert "stable = ...  #" in "".join(sources)
    assert "".join(cells[-1]["source"]).startswith("[← 05"), "the exercises go before the bottom navigation line"
    widget_views = [out for c in cells for out in c.get("outputs", [])
                    if "application/vnd.jupyter.widget-view+json" in out.get("data", {})]
    assert not widget_views, "the stored notebook keeps no dangling widget model ids"
