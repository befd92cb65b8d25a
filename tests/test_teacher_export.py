"""The graded exports keep every cell the learner needs (issue 14): an exported exercise has its statement's
code cells in order, the lesson cells its code reads, and every function its text names — checked without
running a kernel, for every notebook and both tools (tests/test_teacher_grading.py runs notebooks 02 and 04)."""

import ast
import os

import pytest

from mlp_course.teacher import export, lite
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


def exercise_headings(notebook: dict) -> dict[str, int]:
    """The position of each exercise's heading cell in an export, by its heading line."""
    return {nbs.source(c).splitlines()[0]: i for i, c in enumerate(notebook["cells"])
            if c["cell_type"] == "markdown" and nbs.source(c).startswith("### Exercise")}


@pytest.mark.parametrize("tool", TOOLS)
@pytest.mark.parametrize("number", NUMBERS)
def test_every_name_an_exercise_mentions_is_bound_before_it(number, tool):
    """Review item 3: `spiral.X_train`, `overfit[1]` (07), `# ui.config` (06), `mc.train(net, X, y, …)` (05)
    name the lesson's variables; the export binds each one (as the lesson does) before the exercise."""
    course = nbs.read(nbs.notebook_path(number))
    lesson = set().union(*(nbs.bound_names(t) for t in code(course)))
    notebook = TOOLS[tool](number)
    headings = exercise_headings(notebook)
    mentioned_here = set()
    for exercise in nbs.exercises(course):
        heading = nbs.statement_text(course["cells"][exercise.statement[0]]).splitlines()[0]
        before = notebook["cells"][:headings[heading]]
        bound = set().union(*(nbs.bound_names(nbs.source(c)) for c in before if c["cell_type"] == "code"))
        mentioned = nbs.mentioned_names(course, exercise) & lesson
        assert mentioned <= bound, (exercise.name, sorted(mentioned - bound))
        mentioned_here |= mentioned
    expected = {"05": {"X", "y"}, "06": {"ui"}, "07": {"spiral", "overfit"}, "04": {"forward", "backward"}}
    assert expected.get(number, set()) <= mentioned_here


def test_mentioned_names_read_spans_comments_and_calls():
    cells = [nbs.code_cell("data = 1\nrun = 2\nX = y = 3\nrng = 4"),
             nbs.markdown_cell("### Exercise 1\n\nTrain on `data.X_train` with `mc.train(net, X, y)`, see `run[1]`;"
                               " write `f(X, rng)` with `np.random.default_rng(seed)`."),
             nbs.code_cell("# YOUR CODE\nnet = ...  # ui.config once it shows\ndef f(X, rng): ..."),
             nbs.code_cell("mc.exercises.check_f(f)")]
    (exercise,) = nbs.exercises(nbs.new_notebook(cells))
    # X and rng: parameters of f; net: bound by the exercise; seed: a NumPy example's argument
    assert nbs.mentioned_names(nbs.new_notebook(cells), exercise) == {"data", "run", "ui", "y"}


@pytest.mark.parametrize("tool", TOOLS)
@pytest.mark.parametrize("number", NUMBERS)
def test_in_page_links_lead_to_a_heading_of_the_export(number, tool):
    """04's `[equations of backprop](#The-equations-of-backprop)`: the section comes along."""
    notebook = TOOLS[tool](number)
    markdown = [nbs.source(c) for c in notebook["cells"] if c["cell_type"] == "markdown"]
    anchors = {line.lstrip("#").strip().replace(" ", "-") for text in markdown for line in text.splitlines()
               if line.startswith("#")}
    links = {a for text in markdown for a in nbs.ANCHOR_LINK.findall(text)}
    assert links <= anchors, sorted(links - anchors)
    if number == "04":
        assert "The-equations-of-backprop" in links


@pytest.mark.parametrize("tool", TOOLS)
@pytest.mark.parametrize("number", NUMBERS)
def test_exports_start_with_the_course_install_cell(number, tool):
    """Review item 2: `import mlp_course` works in JupyterLite and Colab only after the install cell."""
    notebook = TOOLS[tool](number)
    assert lite.has_install_cell(notebook)
    first = next(c for c in notebook["cells"] if c["cell_type"] == "code")
    assert nbs.source(first) == lite.INSTALL_CELL


def test_graded_checks_print_their_line_and_have_no_value():
    """Review item 7: nbgrader reads a graded cell's output value as a score ("cannot be converted to a float")."""
    for number in NUMBERS:
        for cell in export.nbgrader_source(number)["cells"]:
            if cell["metadata"].get("nbgrader", {}).get("grade"):
                (statement,) = ast.parse(nbs.source(cell)).body
                assert isinstance(statement, ast.Expr) and statement.value.func.id == "print", nbs.source(cell)


@pytest.fixture
def no_otter(tmp_path, monkeypatch):
    """A kernel environment where `import otter` fails, as after `make lab` or in JupyterLite."""
    (tmp_path / "otter.py").write_text('raise ImportError("otter-grader is not installed here")\n')
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")]))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    return tmp_path


NATURAL_07 = {  # answers as a learner writes them from the exercise text: spiral.X_train, overfit[1]
    "check_spiral_network": "net = mc.MLP([2, 8, 8, 1], activation='tanh', init='xavier', seed=0)\n"
                            "mc.train(net, spiral.X_train, spiral.y_train, lr=1.0, epochs=2000, loss='bce')",
    "check_early_stopping_epoch": "best_epoch = int(np.argmin(overfit[1].history.val_loss)) + 1",
}


def test_otter_notebook_runs_its_checks_without_otter(no_otter):
    """Review items 2 and 3: the Otter notebook of 07, answered naturally, runs top to bottom where otter-grader
    is missing, and every `grader.check` prints the exercise's "✓ passed" line."""
    nbclient = pytest.importorskip("nbclient")
    nbformat = pytest.importorskip("nbformat")
    notebook = nbs.answer(export.otter_student("07")[0], "07", NATURAL_07)
    ran = nbclient.NotebookClient(nbformat.from_dict(notebook), timeout=120, kernel_name="python3",
                                  resources={"metadata": {"path": str(no_otter)}}).execute()
    outputs = [o for c in ran.cells if c["cell_type"] == "code" for o in c["outputs"]]
    assert not [o for o in outputs if o["output_type"] == "error"], [o.get("evalue") for o in outputs]
    shown = "".join(o.get("text", "") + o.get("data", {}).get("text/plain", "") for o in outputs)
    for exercise in nbs.exercises(nbs.read(nbs.notebook_path("07"))):
        assert f"✓ passed ({exercise.name})" in shown, (exercise.name, shown[-2000:])


@pytest.mark.parametrize("tool", TOOLS)
def test_playground_answers_warn_that_grading_replays_no_clicks(tool):
    """06: `small_circle = ui.config`, rerun by the grader, records the playground's default (XOR) network."""
    cells = TOOLS[tool]("06")["cells"]
    skeletons = [i for i, c in enumerate(cells)
                 if nbs.source(c).startswith("# YOUR CODE") and "ui.config" in nbs.source(c)]
    assert len(skeletons) == 3
    for index in skeletons:
        assert nbs.source(cells[index - 1]) == export.REPLAYED
