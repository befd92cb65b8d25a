"""The reference solutions of every exercise, one module per notebook (``nb02`` … ``nb07``).

Each module is plain Python that the tests import; :func:`answer_cells` reads the same file's text
(without importing or running it) and cuts out, for each check, the statements that make up the
exercise's `# YOUR CODE` cell — so the answers are written once, here, and the graded exports and
the teacher's solved notebooks paste exactly this code.
"""

from __future__ import annotations

import ast
from pathlib import Path

NUMBERS = ("02", "03", "04", "05", "06", "07")
HERE = Path(__file__).resolve().parent
SETUP = "import numpy as np\n\nimport mlp_course as mc\n\nso = mc.stackoverflow"
"""The names every answer may use besides its own: each course notebook defines them at its top."""


def _defined_names(node: ast.stmt) -> set[str]:
    if isinstance(node, ast.FunctionDef | ast.ClassDef):
        return {node.name}
    if isinstance(node, ast.Assign | ast.AnnAssign):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    return set()


def answer_cells(number: str) -> dict[str, str]:
    """The `# YOUR CODE` cell that answers each check of notebook ``number``, as source text.

    Parameters
    ----------
    number : str
        The notebook's two digits, one of :data:`NUMBERS`.

    Returns
    -------
    dict[str, str]
        Check name (``"check_backward"``) → the answer's statements, in the module's order.
    """
    if number not in NUMBERS:
        raise ValueError(f"number must be one of {NUMBERS}, got {number!r}")
    text = (HERE / f"nb{number}.py").read_text()
    lines = text.splitlines()
    tree = ast.parse(text)
    answers = next(ast.literal_eval(node.value) for node in tree.body
                   if isinstance(node, ast.Assign) and _defined_names(node) == {"ANSWERS"})
    cells = {}
    for check, names in answers.items():
        parts = [node for node in tree.body if _defined_names(node) and _defined_names(node) <= set(names)]
        found = set().union(*map(_defined_names, parts)) if parts else set()
        if found != set(names):
            raise ValueError(f"nb{number}.py: ANSWERS[{check!r}] names {sorted(set(names) - found)}, not defined")
        source, end = "", None
        for node in parts:
            start = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
            if end is not None:
                source += "\n" * (1 + min(start - end - 1, 2))  # the file's blank lines between them, at most 2
            source += "\n".join(lines[start - 1:node.end_lineno])
            end = node.end_lineno
        cells[check] = source
    return cells
