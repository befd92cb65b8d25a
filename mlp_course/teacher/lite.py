"""The course as a JupyterLite site (``make lite``): JupyterLab, the notebooks, the classroom app and the
course package running in the browser (Pyodide), served by any static web server.

The site holds every notebook, the course's own wheel and pure-Python wheels of everything it needs
beyond Pyodide's numpy, matplotlib and pillow (ipywidgets, anywidget, psygnal, IPython and theirs), all
installed through piplite from the site itself: no PyPI at run time (``disablePyPIFallback``). Pyodide and its
numpy, matplotlib and pillow come from the Pyodide CDN when a browser opens the site.

Commands::

    python -m mlp_course.teacher.lite OUT                    fetch the wheels (pip, once) and build OUT/_site
    python -m mlp_course.teacher.lite --add-install-cell NB.ipynb ...   add the install cell (idempotent)
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from . import notebooks as nbs

INSTALL_TAG = "course-install"
REPOSITORY = "<owner>/<repo>"
"""The course's GitHub repository, OWNER/NAME, which Colab installs it from: set it everywhere with
``python -m mlp_course.teacher.address OWNER/NAME`` (a placeholder until the course is published)."""


def install_cell(repository: str = REPOSITORY) -> str:
    """The first code cell of every notebook: installs the course in JupyterLite (from the site) and in Colab
    (from the GitHub ``repository``, OWNER/NAME); a no-op anywhere else (tagged so nbval ignores it)."""
    return f'''\
# Installs the course where it is missing: in JupyterLite from this site, in Colab from GitHub (a minute).
# In your own Jupyter it does nothing.
import sys

if sys.platform == "emscripten":
    import piplite

    await piplite.install("mlp-course")
elif "google.colab" in sys.modules:
    %pip install --quiet "mlp-course @ git+https://github.com/{repository}"'''


INSTALL_CELL = install_cell()
"""The install cell for :data:`REPOSITORY`."""

PYODIDE_PACKAGES = ("numpy", "matplotlib", "pillow")
"""The compiled dependencies, which Pyodide ships (with theirs); everything else the site carries."""
PYODIDE_MARKERS = {"extra": "", "sys_platform": "emscripten", "platform_system": "Emscripten",
                   "python_version": "3.12", "python_full_version": "3.12.0", "implementation_name": "cpython"}
"""Where requirement markers are evaluated: Pyodide's Python (so e.g. IPython's psutil is not needed)."""


def _key(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def requirement_closure(names) -> set[str]:
    """The distributions ``names`` need under Pyodide, themselves included (from this environment's metadata)."""
    from packaging.requirements import Requirement

    found, todo = set(), list(names)
    while todo:
        name = todo.pop()
        if _key(name) in found:
            continue
        found.add(_key(name))
        for text in importlib.metadata.requires(name) or []:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate(PYODIDE_MARKERS):
                todo.append(requirement.name)
    return found


def carried() -> set[str]:
    """The distributions the site carries as pure wheels: the course's runtime needs beyond Pyodide's packages
    (widgetsnbextension aside: the Pyodide kernel ships its own stand-in, 4.0.999)."""
    from packaging.requirements import Requirement

    needs = [Requirement(r).name for r in importlib.metadata.requires("mlp-course") if "extra ==" not in r]
    return requirement_closure(needs) - requirement_closure(PYODIDE_PACKAGES) - {"widgetsnbextension"}


DISABLED_EXTENSIONS = ["@jupyter/nbgrader", "@voila-dashboards/jupyterlab-preview", "ipylab",
                       "jupyterlab-jupytext", "@jupyter-notebook/lab-extension"]
"""Lab extensions of the build environment that have no place in the site (they need a server)."""
LITE_CONFIG = {"jupyter-config-data": {
    "disabledExtensions": DISABLED_EXTENSIONS,
    "litePluginSettings": {"@jupyterlite/pyodide-kernel-extension:kernel": {"disablePyPIFallback": True}},
}}


def has_install_cell(notebook: dict, cell: str = INSTALL_CELL) -> bool:
    """True when the notebook's first code cell is the install cell (``cell``: its source)."""
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    return bool(code) and INSTALL_TAG in code[0]["metadata"].get("tags", []) and nbs.source(code[0]) == cell


def add_install_cell(path: Path, cell: str = INSTALL_CELL) -> bool:
    """Put the install cell (``cell``: its source) first among the code cells of the notebook at ``path``,
    replacing an older version of it; False when it was already there (nothing written)."""
    notebook = nbs.read(path)
    if has_install_cell(notebook, cell):
        return False
    tagged = [INSTALL_TAG in c.get("metadata", {}).get("tags", []) for c in notebook["cells"]]
    code = [i for i, c in enumerate(notebook["cells"]) if c["cell_type"] == "code"]
    if tagged.count(True) == 1 and tagged[code[0]]:  # an older version in its place: only its source changes
        notebook["cells"][code[0]]["source"] = cell.splitlines(keepends=True)
        nbs.write(notebook, path)
        return True
    cells = [c for c, is_install in zip(notebook["cells"], tagged) if not is_install]
    first_code = next((i for i, c in enumerate(cells) if c["cell_type"] == "code"), len(cells))
    new = nbs.code_cell(cell, tags=["nbval-ignore-output", INSTALL_TAG])
    new["id"] = INSTALL_TAG
    cells.insert(first_code, new)
    notebook["cells"] = cells
    nbs.write(notebook, path)
    return True


def wheel_versions() -> dict[str, str]:
    """The distributions of :func:`carried`, pinned to the versions installed here (the tested ones)."""
    return {name: importlib.metadata.version(name) for name in sorted(carried())}


def fetch_wheels(folder: Path) -> list[Path]:
    """Pure-Python wheels of :data:`WHEELS` in ``folder``, downloaded with pip when missing (network)."""
    folder.mkdir(parents=True, exist_ok=True)
    wanted = [f"{name}=={version}" for name, version in wheel_versions().items()]
    missing = [w for w in wanted if not list(folder.glob(_wheel_glob(w)))]
    if missing:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                        "--platform", "any", "--implementation", "py", "--abi", "none", "--python-version", "3.12",
                        "-d", str(folder), *missing], check=True)
    return [next(folder.glob(_wheel_glob(w))) for w in wanted]


def _wheel_glob(requirement: str) -> str:
    name, version = requirement.split("==")
    return f"{name.replace('-', '_')}-{version}-py*-none-any.whl"


def course_wheel(folder: Path) -> Path:
    """The course's wheel, built from this source tree."""
    from importlib.metadata import PackageNotFoundError, version

    shutil.rmtree(folder, ignore_errors=True)
    # Offline when the build backend pyproject.toml asks for (setuptools >= 77) is installed here (the test
    # extra brings it); otherwise pip fetches it into an isolated build environment.
    try:
        backend_here = int(version("setuptools").split(".")[0]) >= 77
    except (PackageNotFoundError, ValueError):
        backend_here = False
    isolation = ["--no-build-isolation"] if backend_here else []
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", *isolation,
                    "-w", str(folder), str(nbs.ROOT)], check=True)
    (wheel,) = folder.glob("mlp_course-*.whl")
    return wheel


def build(out: Path, wheels: list[Path] | None = None, env: dict | None = None) -> Path:
    """Build the site into ``out/_site`` from the notebooks, the course wheel and ``wheels`` (default:
    :func:`fetch_wheels` into ``out/wheels``); ``env`` is the build's environment. Returns the site."""
    out = Path(out).resolve()
    wheels = fetch_wheels(out / "wheels") if wheels is None else wheels
    wheels = [course_wheel(out / "course-wheel"), *wheels]
    contents = out / "contents"
    shutil.rmtree(contents, ignore_errors=True)
    contents.mkdir(parents=True)
    for notebook in sorted(nbs.NOTEBOOKS.glob("*.ipynb")):
        shutil.copy(notebook, contents)
    (out / "jupyter-lite.json").write_text(json.dumps(LITE_CONFIG, indent=2))
    site = out / "_site"
    shutil.rmtree(site, ignore_errors=True)
    jupyter = Path(sys.executable).parent / "jupyter"
    command = [str(jupyter), "lite", "build", "--lite-dir", str(out), "--contents", str(contents),
               "--output-dir", str(site)]
    for wheel in wheels:
        command += ["--piplite-wheels", str(wheel)]
    subprocess.run(command, cwd=out, check=True, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL)
    return site


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--add-install-cell"] and args[1:]:
        for path in map(Path, args[1:]):
            print(f"{path}: {'install cell added' if add_install_cell(path) else 'already has the install cell'}")
    elif len(args) == 1 and not args[0].startswith("-"):
        site = build(Path(args[0]))
        size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 1e6
        print(f"JupyterLite site: {site} ({size:.0f} MB); try it: python -m http.server -d {site} 8000")
    else:
        raise SystemExit("usage: python -m mlp_course.teacher.lite OUT_DIR | --add-install-cell NB.ipynb ...")


if __name__ == "__main__":
    main()
