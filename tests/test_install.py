"""A normal install works: the wheel, installed by pip into a fresh virtualenv outside the source tree
with its dependencies resolved from the declared ones, ships and imports every module and trains XOR.

What `pip install .` / `pip install git+...` / Binder do, and what an editable install (make lab) hides:
a subpackage left out of the wheel, or an import whose distribution is not declared, only shows here.
Building the wheel takes ~10 s, installing it ~20-40 s (pip fetches the dependencies; more on a busy
machine); the checks of the wheel's contents and of ``Requires-Dist`` take about a second.
"""

from __future__ import annotations

import ast
import fnmatch
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from email.parser import Parser
from pathlib import Path, PurePosixPath

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "mlp_course"

pytestmark = pytest.mark.install

# What a build of a clean checkout would not see: caches, environments, earlier build output.
_NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv", "venv", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis",
    ".ruff_cache", "test-artifacts", ".ipynb_checkpoints",
)


def _run(args: list[str], cwd: Path, timeout: float = 600) -> str:
    """Run a command with a clean environment; fail the test with its output if it fails."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env.update(PYTHONNOUSERSITE="1", MPLBACKEND="Agg", PYTHONDONTWRITEBYTECODE="1")
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    command = " ".join(str(a) if len(str(a)) < 120 else "<script>" for a in args)
    assert done.returncode == 0, f"{command} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel pip builds from a copy of the source tree (so no stale build/ output can leak in)."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=_NOT_SOURCE, symlinks=True)
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(work / "dist"),
          str(source)], cwd=work)
    (built,) = (work / "dist").glob("*.whl")
    return built


def _excluded(package: str) -> bool:
    """Whether pyproject.toml's ``[tool.setuptools.packages.find] exclude`` leaves a package out."""
    find = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]
    return any(fnmatch.fnmatchcase(package, pattern) for pattern in find.get("exclude", []))


def _source_files() -> set[str]:
    """Paths (relative to the project root) of the files under mlp_course/ that the wheel must ship."""
    files = set()
    for path in (ROOT / PACKAGE).rglob("*"):
        relative = path.relative_to(ROOT)
        if path.is_file() and "__pycache__" not in relative.parts and path.suffix != ".pyc":
            if not _excluded(".".join(relative.parts[:-1])):
                files.add(relative.as_posix())
    return files


def _source_modules() -> set[str]:
    """Dotted names of every module and package under mlp_course/ that the wheel must ship."""
    names = set()
    for file in _source_files():
        path = PurePosixPath(file)
        if path.suffix == ".py":
            parts = path.with_suffix("").parts
            names.add(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def _wheel_sources(wheel_path: Path) -> dict[str, str]:
    """``{dotted module name: source}`` of every .py file in the wheel."""
    with zipfile.ZipFile(wheel_path) as archive:
        sources = {}
        for entry in archive.namelist():
            path = PurePosixPath(entry)
            if path.suffix == ".py" and path.parts[0] == PACKAGE:
                parts = path.with_suffix("").parts
                sources[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = archive.read(entry).decode()
    return sources


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requires_dist(wheel_path: Path) -> set[str]:
    """Distribution names the wheel requires unconditionally (extras and markers left out)."""
    with zipfile.ZipFile(wheel_path) as archive:
        (metadata,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        message = Parser().parsestr(archive.read(metadata).decode())
    return {_normalize(re.split(r"[\s<>=!~;\[(]", r, maxsplit=1)[0])
            for r in message.get_all("Requires-Dist", []) if ";" not in r}


def _third_party_imports(source: str) -> set[str]:
    """Top-level names of the absolute imports in a module, standard library left out."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - {PACKAGE, "__future__"}


def test_wheel_ships_every_module_of_the_package(wheel):
    shipped = set(_wheel_sources(wheel))
    assert _source_modules() - shipped == set(), "modules missing from the wheel ([tool.setuptools] packages)"
    assert {name.split(".")[0] for name in shipped} == {PACKAGE}, "the wheel ships something besides mlp_course"
    with zipfile.ZipFile(wheel) as archive:
        files = set(archive.namelist())
    assert _source_files() - files == set(), "files of mlp_course/ missing from the wheel (data files: package-data)"


def test_every_third_party_import_is_a_declared_dependency(wheel):
    """Every absolute import in the wheel's modules comes from a distribution in its Requires-Dist."""
    declared = _requires_dist(wheel)
    providers = importlib.metadata.packages_distributions()
    for module, source in sorted(_wheel_sources(wheel).items()):
        for name in sorted(_third_party_imports(source)):
            dists = {_normalize(d) for d in providers.get(name, [])}
            assert dists, f"{module} imports {name}, which no installed distribution provides"
            assert dists & declared, f"{module} imports {name} (from {sorted(dists)}): declare it in pyproject.toml"


def test_wheel_installs_into_a_fresh_virtualenv_and_trains_xor(wheel, tmp_path):
    """pip resolves the wheel's dependencies into an empty venv; there, outside the source tree,
    every module imports and one ``mc.train`` solves XOR."""
    assert not tmp_path.resolve().is_relative_to(ROOT), "the venv must live outside the source tree"
    env_dir = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], cwd=tmp_path)
    python = env_dir / "bin" / "python"
    # This pip, pointed at the new interpreter (--python), installs into the fresh venv only;
    # --no-compile skips writing .pyc files for every dependency (half the install's time).
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-compile", str(wheel)],
         cwd=tmp_path)
    modules = sorted(_wheel_sources(wheel))
    script = f"""
import importlib, pathlib, sys
import mlp_course as mc
where = pathlib.Path(mc.__file__).resolve()
assert where.is_relative_to(pathlib.Path(sys.prefix).resolve()), f"imported from {{where}}, not the venv"
for name in {modules!r}:
    importlib.import_module(name)
import mlp_course.exercises
X, y = mc.datasets.xor()
net = mc.MLP([2, 4, 1], activation="tanh", output_activation="sigmoid", seed=1)
history = mc.train(net, X, y)
assert not history.diverged and history.loss[-1] < history.loss[0], history
assert mc.solved(net, X, y), history.loss[-1]
print("trained", len(history.loss), "epochs, loss", history.loss[0], "->", history.loss[-1])
"""
    out = _run([str(python), "-c", script], cwd=tmp_path)
    assert out.startswith("trained 1000 epochs"), out
