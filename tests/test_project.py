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
    extras = project["optional-dependencies"]
    wanted = {_name(r) for r in project["dependencies"] + extras["lab"] + extras["test"] + extras["demo"]}
    lines = (ROOT / "environment.yml").read_text().splitlines()
    deps = lines[lines.index("dependencies:") + 1:]
    conda = {_name(line[4:]) for line in deps if re.match(r"^  - [A-Za-z][^:]*$", line)}
    conda -= {"python", "pip"}
    assert conda == wanted
    assert any(line.strip() == "- -e ." for line in lines), "environment.yml must install the course package"


def test_a_learners_install_has_no_test_tools():
    """`make lab` installs the package and the lab extra only: no test toolchain for a learner."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    learner = {_name(r) for r in project["dependencies"] + project["optional-dependencies"]["lab"]}
    assert not learner & {"pytest", "nbval", "hypothesis", "playwright", "voila", "ruff"}
    assert {"jupyterlab", "ipykernel"} <= learner


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


def _modules() -> dict[str, Path]:
    """Every module by dotted name below ``mlp_course``, in subpackages too (not ``mlp_course/__init__``)."""
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py")) if p != PACKAGE / "__init__.py"}


PACKAGE = ROOT / "mlp_course"


def _module_name(path: Path) -> str:
    """``mlp_course/network.py`` -> "network", ``mlp_course/playground/render.py`` -> "playground.render",
    ``mlp_course/playground/__init__.py`` -> "playground", ``mlp_course/__init__.py`` -> ""."""
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))
           if p.relative_to(PACKAGE).parts[0] != "teacher"}  # the teacher kit: above the package (test_teacher_kit)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_is_committed_with_static_fallbacks_not_widget_views(path):
    """A stored widget view points to a kernel object that is gone once the notebook is saved: an unrun
    notebook must show each widget's static fallback (its picture or one-line text) instead.
    tests/execute_notebooks.py runs a notebook and keeps just those."""
    nb = json.loads(path.read_text())
    views = [i for i, c in enumerate(nb["cells"]) for out in c.get("outputs", [])
             if "application/vnd.jupyter.widget-view+json" in out.get("data", {})]
    assert not views, f"cells {views} store widget views: run the notebook with tests/execute_notebooks.py"
    assert "widgets" not in nb["metadata"], "the notebook stores widget state: run it with tests/execute_notebooks.py"


def _package_imports(path: Path) -> set[str]:
    """The modules of mlp_course that a module imports, named as by :func:`_module_name`.

    ``from . import x`` counts as importing module ``x`` when x is a module, else as importing the
    package itself. Every import of the package from inside it must be relative.
    """
    name = _module_name(path)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    package = [part for part in package if part]
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level >= 1:
            assert node.level - 1 <= len(package), f"{path.name}: relative import beyond mlp_course"
            base = package[:len(package) - (node.level - 1)] + (node.module.split(".") if node.module else [])
            target = ".".join(base)
            submodules = {f"{target}.{a.name}" if target else a.name for a in node.names}
            found = submodules & MODULES.keys()
            names |= found if found == submodules else found | {target}
        elif isinstance(node, ast.Import):
            assert not any(a.name.startswith("mlp_course") for a in node.names), f"{path.name} imports absolutely"
        elif isinstance(node, ast.ImportFrom):
            assert not (node.module or "").startswith("mlp_course"), f"{path.name}: import relatively"
    return names


def _top(names: set[str]) -> set[str]:
    """The top-level modules or subpackages of mlp_course that these names belong to."""
    return {name.split(".")[0] for name in names}


def test_package_has_no_import_cycles():
    """No cycle among the package's modules (the package's own __init__, which imports all, aside)."""
    imports = {name: _package_imports(path) - {""} for name, path in MODULES.items() if name}

    def visit(name, stack):
        assert name not in stack, f"import cycle: {' -> '.join([*stack, name])}"
        for dep in imports.get(name, ()):
            visit(dep, [*stack, name])

    for name in imports:
        visit(name, [])


def _layer_imports(top: str) -> set[str]:
    """The top-level modules that a top-level module, or every module of a subpackage, imports."""
    names = set()
    for name, path in MODULES.items():
        if name and _top({name}) == {top}:
            names |= _top(_package_imports(path))
    return names - {top}


def test_bottom_layer_imports_nothing_above_it():
    for low in ("activations", "datasets", "_validate"):
        assert _layer_imports(low) <= {"_validate"}
    assert _layer_imports("losses") <= {"activations"}
    assert "plotting" not in _layer_imports("training")


def test_frames_sit_in_the_plotting_layer():
    """frames (figures as pictures, the frame player) needs no network; plotting re-exports it."""
    assert _layer_imports("frames") <= {"_validate"}
    assert "frames" in _layer_imports("plotting")
    for low in ("_validate", "datasets", "activations", "losses", "criteria", "network", "training", "ensemble",
                "ensemble_result"):
        assert "frames" not in _layer_imports(low), low


def test_split_modules_keep_their_layer():
    """ensemble's result class sits just below it; the playground's run driving below its widget."""
    assert _package_imports(MODULES["ensemble_result"]) <= {"_validate", "network", "training"}
    assert "ensemble_result" in _package_imports(MODULES["ensemble"])
    assert _package_imports(MODULES["playground.driving"]) <= {"playground.config", "playground.live", "playground.run"}
    assert "playground.driving" in _package_imports(MODULES["playground.widget"])


DIAGNOSER_IMPORTS = {  # each module of the diagnoser, and all it may import from the package
    "diagnose": {"activations", "losses", "_validate", "gradcheck", "gradreport", "network", "diagnose.explain",
                 "diagnose.mistakes", "diagnose.report", "diagnose.run"},
    "diagnose.mistakes": {"activations", "losses", "network"},  # activations: the other hidden activation
    "diagnose.run": set(),
    "diagnose.explain": {"gradreport", "diagnose.mistakes", "diagnose.run"},
    "diagnose.report": {"diagnose.mistakes"},
}


def test_diagnoser_sits_just_above_the_network_and_exercises_on_top():
    assert _layer_imports("diagnose") - {""} <= {"activations", "losses", "_validate", "gradcheck", "gradreport",
                                                 "network"}
    assert {name for name in MODULES if _top({name}) == {"diagnose"}} == DIAGNOSER_IMPORTS.keys()
    for name, allowed in DIAGNOSER_IMPORTS.items():
        assert _package_imports(MODULES[name]) <= allowed, name
    for name, path in MODULES.items():
        if name and _top({name}) != {"exercises"}:
            assert "exercises" not in _top(_package_imports(path)), f"{name} imports the exercises (top layer)"


def test_import_graph_sees_subpackages():
    """The checks above read every module, subpackages included, and resolve ``..`` imports."""
    assert "exercises.nb05" in MODULES
    assert {"network", "training"} <= _package_imports(MODULES["exercises.nb05"])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_links_point_to_existing_notebooks(path):
    text = "".join("".join(c["source"]) for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "markdown")
    for target in re.findall(r"\]\(([\w.]+\.ipynb)\)", text):
        assert (ROOT / "notebooks" / target).exists(), f"{path.name} links to missing {target}"


def test_the_backprop_view_sits_on_the_public_api():
    """backprop_view: model/ladder/draw need no widget; the diagram reads the network and the ladder only."""
    assert _package_imports(MODULES["backprop_view.model"]) <= {"_validate", "network"}
    assert _top(_package_imports(MODULES["backprop_view.ladder"])) <= {"_validate", "stackoverflow", "backprop_view"}
    for name in ("backprop_view.model", "backprop_view.ladder", "backprop_view.draw"):
        assert "backprop_view.widget" not in _package_imports(MODULES[name])
    assert not {"plotting", "playground", "exercises"} & _top(_package_imports(MODULES["backprop_view"]))
