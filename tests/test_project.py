"""The project around the package: dependency lists agree, notebooks are committed executed,
the package is layered without cycles."""

import ast
import json
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ ;\[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_lists_the_same_packages_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(r) for r in project["dependencies"] + project["optional-dependencies"]["test"]}
    lines = (ROOT / "environment.yml").read_text().splitlines()
    deps = lines[lines.index("dependencies:") + 1:]
    conda = {_name(line[4:]) for line in deps if re.match(r"^  - [A-Za-z][^:]*$", line)}
    conda -= {"python", "pip"}
    assert conda == wanted
    assert any(line.strip() == "- -e ." for line in lines), "environment.yml must install the course package"


def test_no_heavy_frameworks_at_runtime():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = {_name(r) for r in project["dependencies"]}
    assert not runtime & {"scikit-learn", "torch", "tensorflow", "jax"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_is_committed_executed_with_navigation(path):
    nb = json.loads(path.read_text())
    code = [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]
    counts = [c["execution_count"] for c in code]
    assert counts == list(range(1, len(code) + 1)), "run it top to bottom in a fresh kernel before committing"
    markdown = [c for c in nb["cells"] if c["cell_type"] == "markdown"]
    if path.name != "classroom_app.ipynb":  # the Voilà app shows only the playground
        for cell in (markdown[0], markdown[-1]):
            links_a_notebook = re.search(r"\]\(\d\d_\w+\.ipynb\)", "".join(cell["source"]))
            assert links_a_notebook, "navigation line missing at top or bottom"
    for cell in code:
        for out in cell.get("outputs", []):
            if out["output_type"] == "error":
                assert "raises-exception" in cell["metadata"].get("tags", []), f"stored error in {path.name}"


def _package_imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            names.add(node.module or "")
            if not node.module:
                names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            assert not any(a.name.startswith("mlp_course") for a in node.names), f"{path.name} imports absolutely"
    return names


def test_package_has_no_import_cycles():
    modules = {p.stem: _package_imports(p) for p in (ROOT / "mlp_course").glob("*.py") if p.stem != "__init__"}

    def visit(name, stack):
        assert name not in stack, f"import cycle: {' -> '.join([*stack, name])}"
        for dep in modules.get(name, ()):
            visit(dep, [*stack, name])

    for name in modules:
        visit(name, [])


def test_bottom_layer_imports_nothing_above_it():
    for low in ("activations", "datasets", "_validate"):
        assert _package_imports(ROOT / "mlp_course" / f"{low}.py") <= {"_validate"}
    assert _package_imports(ROOT / "mlp_course" / "losses.py") <= {"activations"}
    assert "plotting" not in _package_imports(ROOT / "mlp_course" / "training.py")


def test_diagnoser_sits_just_above_the_network_and_exercises_on_top():
    assert _package_imports(ROOT / "mlp_course" / "diagnose.py") - {""} <= {
        "activations", "losses", "_validate", "gradcheck", "network"}
    for path in (ROOT / "mlp_course").glob("*.py"):
        if path.stem != "__init__":
            assert "exercises" not in _package_imports(path), f"{path.name} imports the exercises (top layer)"
    for path in (ROOT / "mlp_course" / "exercises").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                assert not any(a.name.startswith("mlp_course") for a in node.names), path.name
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                assert not (node.module or "").startswith("mlp_course"), f"{path.name}: import relatively"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_links_point_to_existing_notebooks(path):
    text = "".join("".join(c["source"]) for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "markdown")
    for target in re.findall(r"\]\(([\w.]+\.ipynb)\)", text):
        assert (ROOT / "notebooks" / target).exists(), f"{path.name} links to missing {target}"
