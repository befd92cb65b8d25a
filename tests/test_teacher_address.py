"""The course's public address (mlp_course/teacher/address.py) and the Colab branch of the install cell.

Colab itself cannot be reached from here: the Colab branch runs in a real IPython kernel that has a
stand-in ``google.colab`` imported, installing from a local clone of this repository (``git+file://``
in place of ``git+https://github.com/…``) without network, dependencies or build isolation."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from mlp_course.teacher import address, lite
from mlp_course.teacher import notebooks as nbs

ROOT = Path(__file__).resolve().parents[1]
PAGES_PLACEHOLDER = "<owner>.github.io/<repo>"
NOTEBOOKS = ("00_start_here.ipynb", "classroom_app.ipynb")
COPIED = (Path("README.md"), Path("TEACHING.md"), address.LITE, Path("mlp_course/teacher/address.py"),
          *(Path("notebooks", name) for name in NOTEBOOKS))


# ------------------------------------------------------------------------------------------------
# The install cell in Colab
@pytest.mark.skipif(shutil.which("git") is None, reason="needs git (pip installs the course from a git clone)")
def test_install_cell_installs_the_course_in_colab(tmp_path, monkeypatch):
    from mlp_course.teacher.solved import execute

    clone, target, fake = tmp_path / "clone", tmp_path / "target", tmp_path / "fake"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    (fake / "google" / "colab").mkdir(parents=True)
    (fake / "google" / "colab" / "__init__.py").write_text('"""A stand-in for Colab\'s own package."""\n')
    github = f"git+https://github.com/{lite.REPOSITORY}"
    cell = lite.INSTALL_CELL.replace(github, f"git+file://{clone}")
    assert cell != lite.INSTALL_CELL, "the install cell does not install from the course's GitHub repository"
    for name, value in {"HOME": tmp_path, "PYTHONPATH": fake, "PIP_TARGET": target, "PIP_NO_DEPS": "1",
                        "PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1",
                        # pip reads this store_false option inverted: "0" turns build isolation OFF, so the
                        # build uses this environment's setuptools instead of fetching one (offline)
                        "PIP_NO_BUILD_ISOLATION": "0"}.items():
        monkeypatch.setenv(name, str(value))
    notebook = nbs.new_notebook([nbs.code_cell("import google.colab"), nbs.code_cell(cell)])  # as Colab's kernel has
    execute(notebook, tmp_path, timeout=120)
    found = subprocess.run([sys.executable, "-c", "import mlp_course; print(mlp_course.__file__)"], cwd=tmp_path,
                           env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True)
    assert found.returncode == 0, found.stderr
    assert Path(found.stdout.strip()).is_relative_to(target), found.stdout  # imported from what the cell installed


def test_install_cell_is_built_from_the_one_address():
    assert lite.REPOSITORY == address.current()
    assert lite.INSTALL_CELL == lite.install_cell(lite.REPOSITORY)
    assert '%pip install --quiet "mlp-course @ git+https://github.com/alice/mlp"' in lite.install_cell("alice/mlp")


# ------------------------------------------------------------------------------------------------
# Setting the address: python -m mlp_course.teacher.address OWNER/NAME
@pytest.fixture
def scratch(tmp_path):
    """A copy of the files that carry the address: README.md, TEACHING.md, lite.py, address.py, two notebooks."""
    for path in COPIED:
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / path, tmp_path / path)
    return tmp_path


def _texts(root: Path) -> dict[Path, str]:
    return {path: (root / path).read_text() for path in COPIED}


def _links_to(text: str, repository: str, flags: int = 0) -> int:
    """How many links in ``text`` point at ``repository`` (…/OWNER/NAME or owner.github.io/NAME, lower-case owner)."""
    owner, name = repository.split("/")
    end = r"(?![\w-]|\.\w)"
    return (len(re.findall(rf"/{re.escape(repository)}{end}", text, flags))
            + len(re.findall(rf"//{re.escape(owner.lower())}\.github\.io/{re.escape(name)}{end}", text, flags)))


def _check(root: Path, repository: str) -> subprocess.CompletedProcess:
    """The workflow's check, run as it is there: the script, by a Python without site-packages (-S)."""
    script = root / "mlp_course" / "teacher" / "address.py"
    return subprocess.run([sys.executable, "-I", "-S", str(script), "--check", repository], capture_output=True,
                          text=True)


def test_address_is_set_everywhere_and_replaced_by_a_new_one(scratch):
    start, first = _texts(scratch), address.current(scratch)  # the placeholder until the course is published
    links = {doc: text.count(address.PLACEHOLDER) + text.count(PAGES_PLACEHOLDER) for doc, text in start.items()}
    if first != address.PLACEHOLDER:
        links = {doc: _links_to(text, first, re.IGNORECASE) for doc, text in start.items()}
    assert links[Path("README.md")] >= 27 and links[Path("TEACHING.md")] >= 1  # 9 rows × 3 links, the patterns
    failed = _check(scratch, "alice/mlp")
    assert failed.returncode == 1 and "python -m mlp_course.teacher.address alice/mlp" in failed.stderr

    # A, with capitals and a dot; then A again; then B, the same owner in other case and a longer name
    a, b = "Alice-Lab/mlp.course", "alice-lab/mlp.course-2"
    for repository, old in ((a, first), (a, None), (b, a)):
        before = _texts(scratch)
        changed = address.set_address(repository, scratch)
        after = _texts(scratch)
        if before[address.LITE].count(f'"{repository}"'):
            assert changed == [] and after == before  # idempotent: nothing written
        else:
            assert set(changed) == {scratch / p for p in COPIED if p.name != "address.py"}
        for path, text in after.items():
            if path.name == "address.py":
                continue
            assert "<owner>" not in text and "<repo>" not in text, path
            if old not in (None, address.PLACEHOLDER):
                assert _links_to(text, old, re.IGNORECASE) == 0, path  # no trace of the old address, in any case
            if path != address.LITE:  # every link that pointed at the placeholder now points at this address
                assert _links_to(text, repository) == links[path], path
        assert f'REPOSITORY = "{repository}"' in after[address.LITE]
        for name in NOTEBOOKS:
            assert lite.has_install_cell(nbs.read(scratch / "notebooks" / name), lite.install_cell(repository))
        assert address.problems(repository, scratch) == []
        assert _check(scratch, repository).returncode == 0
    readme = _texts(scratch)[Path("README.md")]
    assert "https://alice-lab.github.io/mlp.course-2/lab/index.html?path=00_start_here.ipynb" in readme
    assert "https://colab.research.google.com/github/alice-lab/mlp.course-2/blob/main/notebooks/07_beyond_xor.ipynb" \
        in readme
    stale = _check(scratch, a)
    assert stale.returncode == 1 and "REPOSITORY is 'alice-lab/mlp.course-2'" in stale.stderr


def test_only_the_install_cell_source_changes_in_a_notebook(scratch):
    path = scratch / "notebooks" / NOTEBOOKS[0]
    before = nbs.read(path)
    address.set_address("alice/mlp", scratch)
    after = nbs.read(path)
    changed = [i for i, (old, new) in enumerate(zip(before["cells"], after["cells"])) if old != new]
    assert len(after["cells"]) == len(before["cells"]) and len(changed) == 1
    (i,) = changed
    assert {k: v for k, v in after["cells"][i].items() if k != "source"} == \
        {k: v for k, v in before["cells"][i].items() if k != "source"}


@pytest.mark.parametrize("bad", ["alice", "alice/", "/mlp", "-alice/mlp", "alice-/mlp", "al--ice/mlp", "al_ice/mlp",
                                 "a/b/c", "alice/mlp course", "alice/..", "alice/.", "alice/mlp.git", "a" * 40 + "/mlp",
                                 "alice/" + "m" * 101, address.PLACEHOLDER, " alice/mlp"])
def test_bad_addresses_are_refused_naming_the_argument(scratch, bad):
    before = _texts(scratch)
    with pytest.raises(ValueError, match=r"^repository must be a GitHub repository's OWNER/NAME .*got"):
        address.set_address(bad, scratch)
    assert _texts(scratch) == before
    with pytest.raises(SystemExit, match=r"^address must be a GitHub repository's OWNER/NAME"):
        address.main([bad])


def test_good_addresses_are_accepted_and_non_strings_refused():
    for good in ["a/b", "A1-b2/.github", "x/_", "a" * 39 + "/" + "m" * 100, "octo-cat/mlp_course.v2"]:
        assert address.check_repository(good) == good
    with pytest.raises(TypeError, match="repository must be a str"):
        address.check_repository(("alice", "mlp"))
    with pytest.raises(SystemExit, match="usage"):
        address.main(["--check"])


def test_workflow_checks_the_address_before_building():
    steps = yaml.safe_load((ROOT / ".github" / "workflows" / "lite.yml").read_text())["jobs"]["build"]["steps"]
    runs = [step.get("run", "") for step in steps]
    check = next(i for i, run in enumerate(runs) if "--check" in run)
    build = next(i for i, run in enumerate(runs) if "make lite" in run)
    assert check < build
    assert runs[check] == 'python mlp_course/teacher/address.py --check "$GITHUB_REPOSITORY"'


def test_check_names_each_file_that_points_elsewhere(scratch):
    address.set_address("alice/mlp", scratch)
    assert address.problems("alice/mlp", scratch) == []
    lite.add_install_cell(scratch / "notebooks" / NOTEBOOKS[1], lite.install_cell("bob/mlp"))  # one stale notebook
    readme = scratch / "README.md"
    readme.write_text(readme.read_text() + f"\n[new](https://github.com/{address.PLACEHOLDER}/issues)\n")
    found = address.problems("alice/mlp", scratch)
    assert found == [f"notebooks/{NOTEBOOKS[1]}: its install cell does not install from alice/mlp",
                     f"README.md: links to the placeholder {address.PLACEHOLDER}"]
    failed = _check(scratch, "alice/mlp")
    assert failed.returncode == 1 and all(problem in failed.stderr for problem in found)


def test_command_sets_the_address_and_says_what_changed(scratch, monkeypatch, capsys):
    monkeypatch.setattr(address, "ROOT", scratch)
    address.main(["alice/mlp"])
    said = capsys.readouterr().out
    assert said.startswith("The course's address is alice/mlp: mlp_course/teacher/lite.py, README.md, TEACHING.md")
    assert said.endswith(f"notebooks/{NOTEBOOKS[1]} changed\n")
    address.main(["alice/mlp"])
    assert capsys.readouterr().out == "The course's address is alice/mlp: nothing to change\n"
    address.main(["--check", "alice/mlp"])
    assert capsys.readouterr().out == "The course's address is alice/mlp everywhere.\n"
    with pytest.raises(SystemExit, match="Set it with: python -m mlp_course.teacher.address bob/mlp"):
        address.main(["--check", "bob/mlp"])
