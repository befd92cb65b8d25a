"""The diagnoser's verdicts and their text: one array's, a whole function's, and the report holding them.

Text wraps at spaces (:func:`wrap`, at most :data:`TEXT_WIDTH` characters a line): JupyterLab breaks
a long plain-text output line at any character, mid-word, so the report is broken first, at words,
with continuation lines indented under the text they continue.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from .mistakes import ABOUT_THE_ARRAYS, LABELS, MISTAKES

TEXT_WIDTH = 88
"""Longest line of a report or a check's verdict, in characters (a word longer than this stays whole)."""

PROBLEMS: dict[str, str] = {
    "raised": "your function raised an exception",
    "returned_none": "your function returned None",
    "wrong_structure": "your function returned something other than (d_weights, d_biases)",
}
"""Every verdict a whole function can get when it cannot be judged array by array, by kind."""


def wrap(text: str, indent: str = "", width: int = TEXT_WIDTH) -> str:
    """``text`` with every line longer than ``width`` broken at spaces, never inside a word.

    Continuation lines start with ``indent``; lines already short enough, and the line breaks
    already in ``text``, are kept as they are.
    """
    return "\n".join(
        textwrap.fill(line, width, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False)
        if len(line) > width else line
        for line in text.split("\n")
    )


@dataclass(frozen=True)
class ArrayDiagnosis:
    """The verdict on one gradient array, e.g. ``W1``, over every random network.

    Attributes
    ----------
    name : str
        ``"W0"``, ``"b0"``, ``"W1"``, … (gradient of that parameter).
    ok : bool
        True when it matched the numerical gradient on every network.
    max_rel_error : float
        Worst relative error against the numerical gradient (inf when missing or misshapen).
    mistakes : tuple of str
        :data:`MISTAKES` keys that together reproduce a wrong array (usually one); empty when right.
    detail : str
        Where and how, in words (empty for a right array).
    """

    name: str
    ok: bool
    max_rel_error: float
    mistakes: tuple[str, ...] = ()
    detail: str = ""

    @property
    def mistake(self) -> str | None:
        """The main mistake's key (the first of :attr:`mistakes`), None for a right array."""
        return self.mistakes[0] if self.mistakes else None

    @property
    def explanation(self) -> str:
        """The mistakes' headlines plus the detail, or "right"."""
        if self.ok:
            return "right"
        if len(self.mistakes) == 1:
            text = MISTAKES[self.mistakes[0]]
        else:
            text = " and ".join(MISTAKES[k].split(":")[0] for k in self.mistakes)
        return f"{text} — {self.detail}" if self.detail else text


@dataclass(frozen=True)
class CallProblem:
    """Why the learner's function could not be judged array by array.

    Attributes
    ----------
    kind : str
        A :data:`PROBLEMS` key: ``"raised"``, ``"returned_none"`` or ``"wrong_structure"``.
    message : str
        What happened, in words (for an exception: its type, message and the learner's line).
    network : str
        The random network it happened on, e.g. ``"[3, 4, 2] with 5 samples"``.
    line : str
        For ``"raised"``: where in the learner's code (``"line 7 of cell.py: `...`"``), else "".
    """

    kind: str
    message: str
    network: str
    line: str = ""


@dataclass(frozen=True)
class BackpropDiagnosis:
    """Per parameter array: right, or wrong and which known mistake it matches.

    ``diagnosis.ok`` is True when every array is right; ``diagnosis.mistakes`` lists the distinct
    mistakes found, in words (``diagnosis.mistake_keys``: their :data:`MISTAKES` keys);
    ``diagnosis["W0"]`` is one array's :class:`ArrayDiagnosis`. Displays as a table whose lines wrap
    at words (see the module docstring). When the function could not be judged at all (it raised,
    or returned the wrong structure), ``diagnosis.problem`` says why and ``arrays`` is empty.
    """

    arrays: tuple[ArrayDiagnosis, ...]
    networks: tuple[str, ...]
    tol: float
    problem: CallProblem | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None and all(a.ok for a in self.arrays)

    @property
    def mistake_keys(self) -> list[str]:
        """The distinct :data:`MISTAKES` keys, in the order of the arrays (output layer first); a problem's
        :data:`PROBLEMS` kind alone."""
        if self.problem is not None:
            return [self.problem.kind]
        found = []
        for a in reversed(self.arrays):
            found += [k for k in a.mistakes if k not in found]
        return found

    @property
    def mistakes(self) -> list[str]:
        """The distinct mistakes in a few words each (:data:`LABELS`), in the order of :attr:`mistake_keys`.

        A verdict about the arrays themselves names them: "bias gradients missing (None)", "dW1 all zeros".
        A problem gives its :data:`PROBLEMS` text.
        """
        if self.problem is not None:
            return [PROBLEMS[self.problem.kind]]
        words = []
        for key in self.mistake_keys:
            if key not in ABOUT_THE_ARRAYS:
                words.append(LABELS[key])
                continue
            names = [a.name for a in self.arrays if key in a.mistakes]
            kinds = {name[0] for name in names}
            if len(names) == 1:
                which = f"d{names[0]}"
            elif kinds == {"b"}:
                which = "bias gradients"
            elif kinds == {"W"}:
                which = "weight gradients"
            else:
                which = "gradients"
            words.append(f"{which} {LABELS[key]}")
        return words

    def __getitem__(self, name: str) -> ArrayDiagnosis:
        for a in self.arrays:
            if a.name == name:
                return a
        raise KeyError(f"no parameter named {name!r}; have {[a.name for a in self.arrays]}")

    def __str__(self) -> str:
        right = sum(a.ok for a in self.arrays)
        if len(set(self.networks)) == 1:
            networks = f"{len(self.networks)} random network{'s' * (len(self.networks) > 1)}, each {self.networks[0]}"
        else:
            networks = f"{len(self.networks)} random networks: {', '.join(self.networks)}"
        lines = [wrap(f"backprop diagnosis on {networks}", indent="  ")]
        if self.problem is not None:
            lines.append(wrap(f"  not judged: {self.problem.message} (on the network {self.problem.network})",
                              indent="    "))
            return "\n".join(lines)
        for a in self.arrays:
            error = "" if a.max_rel_error == float("inf") or a.ok else f" (rel. error {a.max_rel_error:.1g})"
            head = f"  d{a.name:<4}{'right' if a.ok else 'WRONG'}  "
            lines.append(wrap(head + ("" if a.ok else a.explanation + error), indent=" " * len(head)).rstrip())
        lines.append(
            "every gradient matches central differences" if self.ok
            else f"{right} of {len(self.arrays)} gradient arrays right"
        )
        return "\n".join(lines)

    __repr__ = __str__
