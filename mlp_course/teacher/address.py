"""The course's public address, OWNER/NAME on GitHub, set everywhere it appears with one command.

Commands::

    python -m mlp_course.teacher.address OWNER/NAME            set it (again, or to a new address: idempotent)
    python mlp_course/teacher/address.py --check OWNER/NAME    exit 1 unless it is OWNER/NAME everywhere (CI)

Its one source is ``REPOSITORY`` in ``mlp_course/teacher/lite.py``, from which every notebook's install
cell is built (in Colab that cell installs the course from this GitHub repository). Setting it rewrites
that line, every notebook's install cell, and the links of README.md and TEACHING.md: the repository
on GitHub, Binder and Colab (``…/OWNER/NAME``) and its GitHub Pages site (``owner.github.io/NAME``).
Until the course is published it is the placeholder :data:`PLACEHOLDER`, and the publishing workflow
(``.github/workflows/lite.yml``) refuses to build. The check needs only the standard library (CI runs it
before anything is installed); setting the address needs the course's environment.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = "<owner>/<repo>"
LITE = Path("mlp_course", "teacher", "lite.py")
DOCS = ("README.md", "TEACHING.md")
SOURCE = re.compile(r'^REPOSITORY = "([^"\n]*)"$', re.MULTILINE)
"""The line of lite.py that holds the address."""
RULES = ("OWNER: 1 to 39 letters, digits or single hyphens, not first or last; "
         "NAME: 1 to 100 letters, digits, '.', '-' or '_', not '.', '..' or ending in '.git'")
_OWNER = re.compile(r"[A-Za-z0-9](?:-?[A-Za-z0-9])*")
_NAME = re.compile(r"[A-Za-z0-9._-]{1,100}")
_END = r"(?![\w-]|\.\w)"  # the address ends here: not followed by more of a name (a full stop may follow)


def check_repository(repository: str, name: str = "repository") -> str:
    """``repository`` when it is a valid GitHub address OWNER/NAME; TypeError/ValueError naming ``name`` else."""
    if not isinstance(repository, str):
        raise TypeError(f"{name} must be a str OWNER/NAME, got {type(repository).__name__}")
    owner, slash, repo = repository.partition("/")
    valid = (slash and len(owner) <= 39 and _OWNER.fullmatch(owner) and _NAME.fullmatch(repo)
             and repo not in (".", "..") and not repo.lower().endswith(".git"))
    if not valid:
        raise ValueError(f"{name} must be a GitHub repository's OWNER/NAME ({RULES}), got {repository!r}")
    return repository


def current(root: Path = ROOT) -> str:
    """The address ``REPOSITORY`` holds in ``root``'s lite.py (the placeholder until it is set)."""
    found = SOURCE.search((Path(root) / LITE).read_text())
    if found is None:
        raise ValueError(f"{Path(root) / LITE} has no line REPOSITORY = \"OWNER/NAME\"")
    return found.group(1)


def _links(address: str) -> re.Pattern:
    """Where ``address`` appears in a link: ``…/OWNER/NAME`` (GitHub, Binder, Colab) and ``owner.github.io/NAME``."""
    owner, _, repo = address.partition("/")
    pages = rf"(?<![\w.-]){re.escape(owner)}\.github\.io/{re.escape(repo)}{_END}"
    return re.compile(rf"(?<=/){re.escape(address)}{_END}|{pages}", re.IGNORECASE)


def _relink(text: str, old: str, new: str) -> str:
    """``text`` with every link to ``old`` (or to the placeholder) pointing at ``new``."""
    owner, _, repo = new.partition("/")
    pages = f"{owner.lower()}.github.io/{repo}"  # GitHub Pages serves the site at the lower-case owner's host
    for address in {old, PLACEHOLDER}:
        text = _links(address).sub(lambda found: pages if ".github.io/" in found[0] else new, text)
    return text


def set_address(repository: str, root: Path = ROOT) -> list[Path]:
    """Make ``repository`` (OWNER/NAME) the course's address everywhere under ``root``: lite.py's
    ``REPOSITORY``, every notebook's install cell, the links of README.md and TEACHING.md. Returns the
    files it changed (none when it was already set)."""
    from . import lite  # the course's environment (notebooks are read and written with its helpers)

    check_repository(repository)
    root, changed = Path(root), []
    old = current(root)
    source = (root / LITE).read_text()
    texts = {root / LITE: SOURCE.sub(f'REPOSITORY = "{repository}"', source, count=1)}
    texts |= {root / doc: _relink((root / doc).read_text(), old, repository) for doc in DOCS}
    for path, text in texts.items():
        if text != path.read_text():
            path.write_text(text)
            changed.append(path)
    cell = lite.install_cell(repository)
    changed += [path for path in sorted((root / "notebooks").glob("*.ipynb")) if lite.add_install_cell(path, cell)]
    return changed


def problems(repository: str, root: Path = ROOT) -> list[str]:
    """What keeps ``root``'s course from pointing at ``repository`` (OWNER/NAME): empty when nothing does."""
    check_repository(repository)
    root, found = Path(root), []
    address = current(root)
    if address != repository:
        found.append(f"{LITE}: REPOSITORY is {address!r}")
    for path in sorted((root / "notebooks").glob("*.ipynb")):
        cells = [c for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code"]
        source = "".join(cells[0]["source"]) if cells else ""
        if f'git+https://github.com/{repository}"' not in source:
            found.append(f"notebooks/{path.name}: its install cell does not install from {repository}")
    for doc in DOCS:
        if _links(PLACEHOLDER).search((root / doc).read_text()):
            found.append(f"{doc}: links to the placeholder {PLACEHOLDER}")
    return found


USAGE = "usage: python -m mlp_course.teacher.address OWNER/NAME | --check OWNER/NAME"


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    check = args[:1] == ["--check"]
    args = args[1:] if check else args
    if len(args) != 1 or args[0] in ("-h", "--help"):
        raise SystemExit(USAGE)
    try:
        repository = check_repository(args[0], "address")
    except ValueError as error:
        raise SystemExit(f"{error}\n{USAGE}") from None
    if check:
        found = problems(repository, ROOT)
        if found:
            command = f"python -m mlp_course.teacher.address {repository}"
            raise SystemExit(f"The course's address is not {repository}:\n  " + "\n  ".join(found)
                             + f"\nSet it with: {command}  and commit the changed files.")
        print(f"The course's address is {repository} everywhere.")
    elif not __package__:
        raise SystemExit(f"Set it in the course's environment: python -m mlp_course.teacher.address {repository}")
    else:
        changed = set_address(repository, ROOT)
        print(f"The course's address is {repository}: " + (", ".join(str(p.relative_to(ROOT)) for p in changed)
                                                           + " changed" if changed else "nothing to change"))


if __name__ == "__main__":
    main()
