"""What every exercise check shares: a result that displays itself, and a safe way to run learner code.

A check never raises because of the learner's code: an unanswered cell (``...`` or a function whose
body is still ``...``), an exception, a warning such as an overflow, or a wrong value all become a
:class:`CheckResult` that says "not yet" and gives a hint. It only raises ``TypeError`` for misuse
that no answer could fix (none so far).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

UNANSWERED_HINT = "replace the `...` in the cell marked `# YOUR CODE` with your answer, run that cell, then this one"


@dataclass(frozen=True)
class CheckResult:
    """The verdict of one exercise check.

    Attributes
    ----------
    exercise : str
        The exercise's name, e.g. ``"sigmoid_derivative"``.
    passed : bool
    message : str
        On a pass, what was verified; otherwise a specific hint (never the answer).

    ``bool(result)`` is ``result.passed``; in a notebook the result displays as one line.
    """

    exercise: str
    passed: bool
    message: str

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        verdict = "✓ passed" if self.passed else "✗ not yet"
        return f"{verdict} ({self.exercise}): {self.message}"

    __repr__ = __str__


def passed(exercise: str, message: str) -> CheckResult:
    """A pass, saying what was verified."""
    return CheckResult(exercise, True, message)


def not_yet(exercise: str, hint: str) -> CheckResult:
    """A "not yet", with a hint that points at the mistake without giving the answer."""
    return CheckResult(exercise, False, hint)


def unanswered(value) -> bool:
    """True for the placeholders of an untouched exercise cell: ``...`` and ``None``."""
    return value is None or value is Ellipsis


class LearnerError(Exception):
    """Raised inside a check when the learner's code failed; carries the "not yet" result."""

    def __init__(self, result: CheckResult) -> None:
        super().__init__(result.message)
        self.result = result


def call(exercise: str, fn, *args, what: str = "your function", **kwargs):
    """Call learner code ``fn(*args, **kwargs)`` and return its value.

    Raises :class:`LearnerError` (turned into "not yet" by :func:`run_check`) when ``fn`` is still
    ``...``, is not callable, raises, warns (e.g. an overflow in ``np.exp``), or returns ``None``
    or ``...``.
    """
    if unanswered(fn):
        raise LearnerError(not_yet(exercise, UNANSWERED_HINT))
    if not callable(fn):
        raise LearnerError(not_yet(exercise, f"pass {what} itself (a function), not {type(fn).__name__} {fn!r:.60}"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            value = fn(*args, **kwargs)
        except RuntimeWarning as warning:
            raise LearnerError(
                not_yet(exercise, f"{what} warned: {warning}. Large |z| must not overflow: rewrite the "
                        "formula so that no exp() can receive a large positive number")
            ) from None
        except Exception as error:  # the learner's bug, reported, not raised
            raise LearnerError(
                not_yet(exercise, f"{what} raised {type(error).__name__}: {error}")
            ) from None
    if unanswered(value):
        raise LearnerError(
            not_yet(exercise, f"{what} returned {value!r}: {UNANSWERED_HINT}" if value is Ellipsis
                    else f"{what} returned None: replace the `...` in the cell marked `# YOUR CODE` with your code, "
                    "ending in a `return` statement; run that cell, then this one")
        )
    return value


def as_float_array(exercise: str, value, name: str, shape: tuple[int, ...] | None = None) -> np.ndarray:
    """``value`` as a float64 array of ``shape``; a wrong type or shape raises :class:`LearnerError`."""
    if isinstance(value, (list, tuple)):
        raise LearnerError(not_yet(
            exercise, f"{name} is a Python {type(value).__name__}; return a NumPy array (a list silently "
            "turns into an array at the first `+=`, as in the seed's code: bug 6)"))
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise LearnerError(
            not_yet(exercise, f"{name} must be a NumPy array of numbers, got {type(value).__name__}")
        ) from None
    if shape is not None and array.shape != tuple(shape):
        raise LearnerError(not_yet(exercise, f"{name} has shape {array.shape}, expected {tuple(shape)}"))
    if not np.all(np.isfinite(array)):
        raise LearnerError(not_yet(exercise, f"{name} contains NaN or infinite values"))
    return array


def run_check(exercise: str, body) -> CheckResult:
    """Run ``body()`` (which returns a :class:`CheckResult`), turning :class:`LearnerError` into "not yet"."""
    try:
        return body()
    except LearnerError as failure:
        return failure.result
