"""The exercises of a course notebook, read from its cells, and notebooks built from them.

A course notebook's exercise is a `# YOUR CODE` cell (the skeleton: ``...``, or for a debugging
exercise the given code with its bugs) followed by a check cell whose last line is
``mc.exercises.check_<name>(<arguments>)``; its statement is every cell, markdown and code, from the
cell holding its ``### Exercise`` heading down to the skeleton, and the cells between the skeleton and
the check (e.g. one that runs the given code) belong to it too. The lesson's code cells that the
exercises use (what their code reads, and the functions their text names) are found by
:func:`lesson_cells`. Notebooks are handled as plain JSON dictionaries (nbformat 4).
"""

from __future__ import annotations

import ast
import builtins
import io
import json
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path

from .solutions import SETUP, answer_cells

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
CHECK_CALL = re.compile(r"^mc\.exercises\.(check_\w+)\((.*)\)$")
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}
MENTIONED = re.compile(r"`([A-Za-z_]\w*)")
SPAN = re.compile(r"`([^`]+)`")
"""Markdown's inline code: `spiral.X_train`, `mc.train(net, X, y, lr=...)`."""
REFERENCE = re.compile(r"(?<![\w.])([A-Za-z_]\w*)(?=\.[A-Za-z_]|\[)")
"""A name used as a thing in a comment: the ``ui`` of ``# ui.config once …``, the ``overfit`` of ``overfit[1]``."""
ANCHOR_LINK = re.compile(r"\]\(#([^)\s]+)\)")
"""An in-notebook link's anchor: ``[equations of backprop](#The-equations-of-backprop)``."""


@dataclass(frozen=True)
class Exercise:
    """One exercise of a course notebook.

    Attributes
    ----------
    check : str
        The check's name, e.g. ``"check_backward"``.
    call : str
        The check cell's last line, e.g. ``"mc.exercises.check_backward(backward)"``.
    skeleton : str
        The `# YOUR CODE` cell as the learner gets it.
    statement : tuple[int, ...]
        The positions of the cells that state it, markdown and code, from its ``### Exercise`` heading
        down to the skeleton (the heading cell's text before ``### Exercise`` is not part of it).
    after : tuple[int, ...]
        The positions of the cells between the skeleton and the check (e.g. one running the given code).
    skeleton_index, check_index : int
        The positions of the skeleton and check cells in the notebook's cell list.
    """

    check: str
    call: str
    skeleton: str
    statement: tuple[int, ...]
    after: tuple[int, ...]
    skeleton_index: int
    check_index: int

    @property
    def name(self) -> str:
        """The exercise's name without ``check_``: ``"backward"``."""
        return self.check.removeprefix("check_")

    @property
    def arguments(self) -> list[str]:
        """The variable names the check call passes, in order (``["mse_wider", "bce_wider"]``)."""
        call = ast.parse(self.call, mode="eval").body
        return [n.id for a in call.args for n in ast.walk(a) if isinstance(n, ast.Name)]


def source(cell: dict) -> str:
    """A cell's source as one string."""
    text = cell["source"]
    return text if isinstance(text, str) else "".join(text)


def notebook_path(number: str) -> Path:
    """The course notebook ``notebooks/<number>_*.ipynb``."""
    found = sorted(NOTEBOOKS.glob(f"{number}_*.ipynb"))
    if len(found) != 1:
        raise ValueError(f"number must name exactly one notebook in {NOTEBOOKS}, got {number!r} ({len(found)} found)")
    return found[0]


def read(path: Path) -> dict:
    return json.loads(Path(path).read_text())


def write(notebook: dict, path: Path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n")


def exercises(notebook: dict) -> list[Exercise]:
    """The exercises of a course notebook, in order; each has exactly one `# YOUR CODE` cell."""
    cells, found, skeleton = notebook["cells"], [], None
    for index, cell in enumerate(cells):
        text = source(cell).strip()
        if cell["cell_type"] != "code" or not text:
            continue
        if text.startswith("# YOUR CODE"):
            if skeleton is not None:
                raise ValueError(f"two `# YOUR CODE` cells before one check (cells {skeleton} and {index})")
            skeleton = index
        elif match := CHECK_CALL.match(text.splitlines()[-1]):
            if skeleton is None:
                raise ValueError(f"the check cell {index} ({match.group(1)}) has no `# YOUR CODE` cell before it")
            heading = max(i for i in range(skeleton) if "### Exercise" in source(cells[i])
                          and cells[i]["cell_type"] == "markdown")
            found.append(Exercise(match.group(1), text.splitlines()[-1], source(cells[skeleton]).strip(),
                                  tuple(range(heading, skeleton)), tuple(range(skeleton + 1, index)), skeleton, index))
            skeleton = None
    return found


def statement_text(cell: dict) -> str:
    """A statement cell's text, a heading cell's from its ``### Exercise`` on."""
    text = source(cell)
    return text[text.index("### Exercise"):] if cell["cell_type"] == "markdown" and "### Exercise" in text else text


def _tree(text: str) -> ast.Module:
    """A code cell's syntax tree, its IPython magic and shell lines read as ``pass`` (at their indentation)."""
    text = "\n".join(line[: len(line) - len(line.lstrip())] + "pass" if line.lstrip().startswith(("%", "!")) else line
                     for line in text.splitlines())
    return compile(text, "<cell>", "exec", flags=ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)


SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda, ast.ListComp, ast.SetComp,
          ast.DictComp, ast.GeneratorExp)


def _same_scope(nodes: list[ast.AST]) -> list[ast.AST]:
    """``nodes`` and their descendants, not entering nested scopes (functions, classes, comprehensions)."""
    found, todo = [], list(nodes)
    while todo:
        node = todo.pop()
        found.append(node)
        if not isinstance(node, SCOPES):
            todo.extend(ast.iter_child_nodes(node))
    return found


def _binds(nodes: list[ast.AST]) -> set[str]:
    names = set()
    for node in nodes:
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            names.add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.arguments):
            names.update(a.arg for a in [*node.posonlyargs, *node.args, *node.kwonlyargs, node.vararg, node.kwarg]
                         if a is not None)
    return names


def _scope_body(node: ast.AST) -> list[ast.AST]:
    """What runs in a nested scope's own namespace: its arguments and body, or a comprehension's parts."""
    if isinstance(node, ast.Lambda):
        return [node.args, node.body]
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return [*([node.args] if hasattr(node, "args") else []), *node.body]
    return [*node.generators, *(x for x in (getattr(node, f, None) for f in ("elt", "key", "value")) if x)]


def _reads(nodes: list[ast.AST], local: set[str]) -> set[str]:
    """The names read in the scope of ``nodes`` (binding ``local``) and its nested scopes, not bound there."""
    reads = set()
    for node in _same_scope(nodes):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            reads.add(node.id)
        elif isinstance(node, SCOPES):
            body = _scope_body(node)
            reads |= _reads(body, _binds(_same_scope(body)))
    return reads - local


def bound_names(text: str) -> set[str]:
    """The global names a code cell binds: assignments, loop targets, imports, functions and classes."""
    return _binds(_same_scope(_tree(text).body))


def defined_functions(text: str) -> set[str]:
    """The functions and classes a code cell defines at its top level."""
    return {n.name for n in _tree(text).body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)}


def free_names(text: str) -> set[str]:
    """The global names a code cell reads (in its function bodies too) and does not bind: from the kernel.

    A name the cell reads before binding it counts as bound (a simplification no course cell trips over)."""
    body = _tree(text).body
    return _reads(body, _binds(_same_scope(body))) - set(dir(builtins)) - {"display", "get_ipython"}


def _root(node: ast.AST) -> str | None:
    """The name an expression such as ``spiral.X_train``, ``overfit[1].history`` or ``ui`` starts from."""
    while isinstance(node, ast.Attribute | ast.Subscript):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _span_names(text: str) -> tuple[set[str], set[str]]:
    """The names an inline-code span mentions, and those it shows only as a signature's parameters.

    ``spiral.X_train`` and ``overfit[1]`` mention their root; a call mentions its function's root and, when
    that is the course package's or an object's function (``mc.train(net, X, y)``), its arguments; a call of a
    bare name (``loss_batch(X, y, weights, biases)``) is a signature and a NumPy call
    (``np.random.default_rng(seed)``) an example of use: their arguments are parameters."""
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        return set(), set()
    names, parameters = {_root(tree)} - {None}, set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            arguments = [*node.args, *(k.value for k in node.keywords)]
            names |= {_root(node.func)} - {None}
            if isinstance(node.func, ast.Name) or _root(node.func) == "np":  # a signature, or NumPy's usage
                parameters |= {a.id for a in arguments if isinstance(a, ast.Name)}
            else:
                names |= {_root(a) for a in arguments} - {None}
    return names, parameters


def _comments(text: str) -> list[str]:
    """A code cell's comments (every ``#`` to its line's end when the cell does not tokenize)."""
    try:
        return [t.string for t in tokenize.generate_tokens(io.StringIO(text).readline) if t.type == tokenize.COMMENT]
    except (tokenize.TokenError, SyntaxError):
        return [line.split("#", 1)[1] for line in text.splitlines() if "#" in line]


def mentioned_names(notebook: dict, exercise: Exercise) -> set[str]:
    """The global names an exercise's text and comments mention and its own cells do not bind: `spiral`
    (``spiral.X_train``), `overfit` (``overfit[1]``), `ui` (``# ui.config …``), `X` and `y`
    (``mc.train(net, X, y, …)``), `forward`. Parameters (of signatures, NumPy examples and the functions the
    exercise defines), builtins and the setup cell's names never count."""
    cells = notebook["cells"]
    own = [i for i in (*exercise.statement, exercise.skeleton_index, *exercise.after)
           if cells[i]["cell_type"] == "code"]
    names, parameters = set(), set()
    for index in exercise.statement:
        if cells[index]["cell_type"] == "markdown":
            for span in SPAN.findall(statement_text(cells[index])):
                found, signature = _span_names(span)
                names, parameters = names | found, parameters | signature
    for index in own:
        for comment in _comments(source(cells[index])):
            names |= set(REFERENCE.findall(comment))
            for span in SPAN.findall(comment):
                names |= _span_names(span)[0]
    bound = set().union(*(bound_names(source(cells[i])) for i in own))
    for index in own:  # the parameters of the functions it defines: `o` and `y` of output_delta(o, y)
        parameters |= {a.arg for node in ast.walk(_tree(source(cells[index]))) if isinstance(node, ast.arguments)
                       for a in [*node.posonlyargs, *node.args, *node.kwonlyargs, node.vararg, node.kwarg] if a}
    return names - parameters - bound - bound_names(SETUP) - set(dir(builtins))


def _anchor(heading: str) -> str:
    """Jupyter's anchor of a markdown heading line: its text, spaces as hyphens."""
    return heading.lstrip("#").strip().replace(" ", "-")


def linked_sections(notebook: dict, found: list[Exercise]) -> list[int]:
    """The positions of the lesson's markdown cells whose headings the statements of ``found`` link to
    (``[the equations of backprop](#The-equations-of-backprop)``), in order."""
    cells = notebook["cells"]
    inside = {i for e in found for i in range(e.statement[0], e.check_index + 1)}
    anchors = {a for e in found for i in e.statement if cells[i]["cell_type"] == "markdown"
               for a in ANCHOR_LINK.findall(statement_text(cells[i]))}
    return [i for i, cell in enumerate(cells) if cell["cell_type"] == "markdown" and i not in inside
            and anchors & {_anchor(line) for line in source(cell).splitlines() if line.startswith("#")}]


def lesson_cells(notebook: dict, found: list[Exercise]) -> list[int]:
    """The positions of the lesson's code cells that exercises ``found`` of ``notebook`` need, in order.

    A cell is needed when it is the last one before a needing cell to bind a name that cell reads (a
    statement's code, a skeleton, a check, or a needed lesson cell: the closure), when it defines a
    function or class that an exercise's text names in backquotes (`numerical_gradient`), or when it is
    the last one before an exercise to bind a name the exercise mentions (:func:`mentioned_names`:
    ``spiral.X_train``, ``# ui.config``). Cells of the exercises themselves and names of the setup cell
    (``np``, ``mc``, ``so``) never count.
    """
    cells = notebook["cells"]
    code = {i: source(c) for i, c in enumerate(cells) if c["cell_type"] == "code"}
    inside = {i for e in found for i in range(e.statement[0], e.check_index + 1)}
    given = bound_names(SETUP)

    def binder(name: str, before: int) -> int | None:
        return max((i for i in code if i < before and name in bound_names(code[i])), default=None)

    needed, todo = set(), []
    for exercise in found:
        mentioned = set(MENTIONED.findall(" ".join(statement_text(cells[i]) for i in exercise.statement)))
        todo += [i for i in code if i < exercise.statement[0] and i not in inside
                 and mentioned & defined_functions(code[i])]
        todo += [binder(name, i) for i in (*exercise.statement, exercise.skeleton_index, *exercise.after,
                                           exercise.check_index) if i in code for name in free_names(code[i]) - given]
        todo += [binder(name, exercise.statement[0]) for name in mentioned_names(notebook, exercise)]
    while todo:
        index = todo.pop()
        if index is None or index in inside or index in needed:
            continue
        needed.add(index)
        todo += [binder(name, index) for name in free_names(code[index]) - given]
    return sorted(needed)


def answers_for(number: str, found: list[Exercise]) -> dict[str, str]:
    """The reference answer cells of notebook ``number``, checked against its exercises ``found``."""
    answers = answer_cells(number)
    checks = [e.check for e in found]
    if sorted(answers) != sorted(checks):
        raise ValueError(f"notebook {number}'s checks {checks} and the answers in mlp_course/teacher/solutions/"
                         f"nb{number}.py ({sorted(answers)}) differ: keep them in step")
    return answers


def _cell(kind: str, text: str, **metadata) -> dict:
    cell = {"cell_type": kind, "metadata": metadata, "source": text}
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def code_cell(text: str, **metadata) -> dict:
    return _cell("code", text, **metadata)


def markdown_cell(text: str, **metadata) -> dict:
    return _cell("markdown", text, **metadata)


def new_notebook(cells: list[dict]) -> dict:
    """An nbformat 4.5 notebook of these cells (each given an id), for the Python 3 kernel."""
    for index, cell in enumerate(cells):
        cell.setdefault("id", f"cell-{index}")
    return {"cells": cells, "metadata": {"kernelspec": dict(KERNELSPEC), "language_info": {"name": "python"}},
            "nbformat": 4, "nbformat_minor": 5}


def title(number: str) -> str:
    """The title line of an exercises-only notebook, naming its lesson."""
    lesson = notebook_path(number).name
    return (f"# Exercises of notebook {number}\n\nThe exercises of the lesson `{lesson}`, on their own for grading: "
            "write each answer in the cell marked `# YOUR CODE` and run the check below it.")


def solved(number: str) -> dict:
    """The course notebook ``number`` with every `# YOUR CODE` cell replaced by its reference answer
    (outputs cleared where answers went in; the other cells untouched)."""
    notebook = read(notebook_path(number))
    answers = answers_for(number, exercises(notebook))
    for exercise in exercises(notebook):
        cell = notebook["cells"][exercise.skeleton_index]
        cell.update(source=f"# YOUR CODE (the reference answer)\n{answers[exercise.check]}", outputs=[],
                    execution_count=None)
    return notebook


def answer(notebook: dict, number: str, replace: dict[str, str] | None = None) -> dict:
    """``notebook`` (a copy) with its `# YOUR CODE` cells, in order the exercises of course notebook
    ``number``, holding the reference answers — or, for the checks named in ``replace``, that source."""
    notebook = json.loads(json.dumps(notebook))
    found = exercises(read(notebook_path(number)))
    checks = [e.check for e in found]
    cells = [c for c in notebook["cells"] if c["cell_type"] == "code" and source(c).startswith("# YOUR CODE")]
    if len(cells) != len(checks):
        raise ValueError(f"notebook has {len(cells)} `# YOUR CODE` cells, notebook {number} {len(checks)} exercises")
    answers = {**answers_for(number, found), **(replace or {})}
    for cell, check in zip(cells, checks):
        cell["source"] = f"# YOUR CODE\n{answers[check]}"
    return notebook
