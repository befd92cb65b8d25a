"""What every exercise check shares: a result that displays itself, and a safe way to run learner code.

A check never raises because of the learner's answer: an unanswered cell (``...`` or a function whose
body is still ``...``), an exception, a numerical warning such as an overflow, an endless loop, a
flood of prints, an object whose methods raise, or a wrong value all become a :class:`CheckResult`
that says "not yet" and gives a hint.

**Time limit.** Learner code (the answer's function, and the methods of an answer object the check
has to use) runs under :data:`TIME_LIMIT` seconds where the platform allows it: on Unix, in the main
thread, with ``signal.setitimer``/``SIGALRM``. Elsewhere (Windows, Pyodide/JupyterLite, a check
called from another thread, or while another interval timer is running) there is no limit, and an
endless loop runs until the learner interrupts the kernel.

**Output.** What learner code prints is captured; the first :data:`MAX_OUTPUT_LINES` lines are
printed after it returns, the rest is cut short with a note saying how much was cut.
"""

from __future__ import annotations

import contextlib
import io
import signal
import sys
import threading
import warnings
from dataclasses import dataclass

import numpy as np

from ..diagnose.report import wrap
from ..diagnose.run import describe_error, warning_cause

UNANSWERED_HINT = "replace the `...` in the cell marked `# YOUR CODE` with your answer, run that cell, then this one"

TIME_LIMIT = 5.0
"""Seconds a piece of learner code may run before the check reports it did not return."""
MAX_OUTPUT_LINES = 20
"""Lines of the learner's printed output shown after a check; the rest is cut."""


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

    ``bool(result)`` is ``result.passed``; it prints (and displays in a notebook) as the verdict
    followed by the message, broken at words into lines of at most
    :data:`mlp_course.diagnose.report.TEXT_WIDTH` characters (JupyterLab would break a longer line
    mid-word), continuation lines indented.
    """

    exercise: str
    passed: bool
    message: str

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        verdict = "✓ passed" if self.passed else "✗ not yet"
        return wrap(f"{verdict} ({self.exercise}): {self.message}", indent="    ")

    __repr__ = __str__


def require(result: CheckResult) -> CheckResult:
    """``result`` itself when it passed; otherwise raise ``AssertionError`` carrying its "✗ not yet" line.

    For graders that fail a test only on an exception (nbgrader, Otter-Grader)::

        require(mc.exercises.check_backward(backward))

    Raises
    ------
    TypeError
        ``result`` is not a :class:`CheckResult` (e.g. the check function itself was passed).
    AssertionError
        The check did not pass; the message is ``str(result)``, hint included.
    """
    if not isinstance(result, CheckResult):
        raise TypeError(f"result must be a CheckResult (what a check_… function returns), got {type(result).__name__}")
    if not result.passed:
        raise AssertionError(str(result))
    return result


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

    def __init__(self, result: CheckResult, kind: str = "") -> None:
        super().__init__(result.message)
        self.result, self.kind = result, kind  # kind: "timeout" for code that did not return in time


# ------------------------------------------------------------------------------------------------
# Running learner code: a time limit, captured output, recorded warnings
class TimeLimitExceeded(BaseException):
    """Raised (by SIGALRM) inside learner code that runs too long; a BaseException so that the
    learner's ``except Exception`` cannot swallow it."""


class _Guard(threading.local):
    depth = 0  # nesting of guarded() calls in this thread: only the outermost arms the timer
    armed = False
    capturing = False  # run_check already captures the output of the whole check


_guard = _Guard()


def _on_alarm(signum, frame):
    if _guard.armed:
        raise TimeLimitExceeded


def can_limit_time() -> bool:
    """True where :func:`guarded` can stop learner code: Unix, main thread, no interval timer in use."""
    return (hasattr(signal, "setitimer") and sys.platform != "emscripten"
            and threading.current_thread() is threading.main_thread()
            and signal.getitimer(signal.ITIMER_REAL)[0] == 0.0)


class _CappedOutput(io.TextIOBase):
    """A text stream that keeps the first ``max_lines`` lines written to it and counts the rest."""

    def __init__(self, max_lines: int) -> None:
        self.max_lines, self.kept, self.lines, self.partial = max_lines, [], 0, ""

    def writable(self) -> bool:
        return True

    def write(self, text) -> int:
        text = str(text)
        if self.lines >= self.max_lines:  # cut: count the lines, keep nothing
            self.lines += text.count("\n")
            return len(text)
        parts = (self.partial + text).split("\n")
        self.partial = parts.pop()
        for line in parts:
            if len(self.kept) < self.max_lines:
                self.kept.append(line[:500])
            self.lines += 1
        if len(self.partial) > 10_000:  # a flood without newlines
            self.kept.append(self.partial[:500])
            self.partial = ""
            self.lines += 1
        return len(text)

    def report(self) -> str:
        """The kept lines, and a note on what was cut (empty when nothing was printed)."""
        if self.partial and len(self.kept) < self.max_lines:
            self.kept.append(self.partial[:500])
            self.lines += 1
        cut = self.lines - len(self.kept)
        note = [f"… {cut} more line(s) of your output cut (the check shows the first {self.max_lines})"] if cut else []
        return "\n".join(self.kept + note)


def _safe_str(value, limit: int = 200) -> str:
    try:
        return str(value)[:limit]
    except Exception:  # a learner's object whose __str__ raises
        return f"<{type(value).__name__}>"


def safe_repr(value, limit: int = 60) -> str:
    """``repr(value)`` cut to ``limit`` characters; a type name when the learner's ``__repr__`` fails."""
    try:
        return guarded("", lambda: repr(value), what="")[:limit]
    except LearnerError:
        return f"<{type(value).__name__}>"


def guarded(exercise: str, thunk, what: str = "your function"):
    """Run learner code ``thunk()`` safely and return its value.

    Under :data:`TIME_LIMIT` (see the module docstring), with printed output captured and capped,
    and with warnings recorded. Raises :class:`LearnerError` when ``thunk`` raises, runs out of
    time, or emits a numerical warning (``RuntimeWarning``, NumPy's ``FloatingPointError``); the
    hint names the cause (overflow, log(0), division by zero, NaN) and the learner's line.
    Other warnings (``UserWarning``, deprecations) are harmless and ignored.
    """
    if _guard.depth:  # nested inside another guarded call: its limit and capture already apply
        return _run_recording_warnings(exercise, thunk, what)
    limit = TIME_LIMIT if can_limit_time() else None
    previous = None
    _guard.depth += 1
    try:
        try:
            with _captured():
                if limit is not None:
                    previous = signal.signal(signal.SIGALRM, _on_alarm)
                    _guard.armed = True
                    signal.setitimer(signal.ITIMER_REAL, limit, 0.5)  # repeats until disarmed
                try:
                    return _run_recording_warnings(exercise, thunk, what)
                finally:
                    _disarm(previous)
        except TimeLimitExceeded:
            _disarm(previous)
            raise LearnerError(not_yet(exercise, f"{what} did not return within {limit:g} s: look for a loop that "
                                       "never ends (a `while` whose condition stays true)"), "timeout") from None
    finally:
        _guard.depth -= 1


@contextlib.contextmanager
def _captured():
    """Capture stdout and stderr, then print the first :data:`MAX_OUTPUT_LINES` lines and a note on the rest.

    Inside :func:`run_check` (which captures the whole check once) this does nothing.
    """
    if _guard.capturing:
        yield
        return
    output = _CappedOutput(MAX_OUTPUT_LINES)
    _guard.capturing = True
    try:
        with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
            yield
    finally:
        _guard.capturing = False
        shown = output.report()
        if shown:
            print(shown)


def _disarm(previous) -> None:
    if _guard.armed:
        _guard.armed = False
        signal.setitimer(signal.ITIMER_REAL, 0.0)
    if previous is not None:
        signal.signal(signal.SIGALRM, previous)


def _run_recording_warnings(exercise: str, thunk, what: str):
    numerical: list[str] = []

    def keep(message, category, *args, **kwargs):
        if issubclass(category, RuntimeWarning) and len(numerical) < 5:
            numerical.append(_safe_str(message))

    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.showwarning = keep
        try:
            value = thunk()
        except (LearnerError, TimeLimitExceeded):
            raise
        except FloatingPointError as error:  # np.seterr(all="raise") in the learner's session
            raise LearnerError(not_yet(exercise, f"{what} raised {describe_error(error)}: "
                                       f"{warning_cause(str(error))}")) from None
        except Exception as error:  # the learner's bug, reported, not raised
            raise LearnerError(not_yet(exercise, f"{what} raised {describe_error(error)}")) from None
    if numerical:
        raise LearnerError(not_yet(exercise, f"{what} warned: {numerical[0]}: {warning_cause(numerical[0])}"))
    return value


def call(exercise: str, fn, *args, what: str = "your function", **kwargs):
    """Call learner code ``fn(*args, **kwargs)`` under :func:`guarded` and return its value.

    Raises :class:`LearnerError` (turned into "not yet" by :func:`run_check`) when ``fn`` is still
    ``...``, is not callable, raises, warns numerically, does not return in time, or returns
    ``None`` or ``...``.
    """
    if unanswered(fn):
        raise LearnerError(not_yet(exercise, UNANSWERED_HINT))
    if not callable(fn):
        raise LearnerError(not_yet(exercise, f"pass {what} itself (a function), not {type(fn).__name__} "
                                   f"{safe_repr(fn)}"))
    value = guarded(exercise, lambda: fn(*args, **kwargs), what)
    if unanswered(value):
        raise LearnerError(
            not_yet(exercise, f"{what} returned {value!r}: {UNANSWERED_HINT}" if value is Ellipsis
                    else f"{what} returned None: replace the `...` in the cell marked `# YOUR CODE` with your code, "
                    "ending in a `return` statement; run that cell, then this one")
        )
    return value


# ------------------------------------------------------------------------------------------------
# Learner values as arrays, and the tolerance their precision allows
LOW_PRECISION_RTOL = {np.dtype(np.float32): 1e-4}
"""Relative tolerance for a result computed in float32: a correct float32 answer is not failed for its
rounding (float16 and lower are refused with a hint instead)."""


def result_dtype(value) -> np.dtype | None:
    """The floating dtype of a learner's array or NumPy scalar (or of the first in a list/tuple), else None."""
    def lookup():
        first = value[0] if isinstance(value, (list, tuple)) and len(value) else value
        dtype = getattr(first, "dtype", None)
        return dtype if isinstance(dtype, np.dtype) and np.issubdtype(dtype, np.floating) else None

    try:
        return guarded("", lookup, "")
    except LearnerError:  # a learner's object whose dtype attribute raises or hangs
        return None


def rtol_for(value, rtol: float) -> float:
    """The check's ``rtol`` for float64 results; the looser float32 tolerance for float32 results."""
    return max(rtol, LOW_PRECISION_RTOL.get(result_dtype(value), rtol))


def as_float_array(exercise: str, value, name: str, shape: tuple[int, ...] | None = None) -> np.ndarray:
    """``value`` as a float64 array of ``shape``; a wrong type, shape or precision raises :class:`LearnerError`."""
    if isinstance(value, (list, tuple)):
        raise LearnerError(not_yet(
            exercise, f"{name} is a Python {type(value).__name__}; return a NumPy array (a list silently "
            "turns into an array at the first `+=`, as in the question's code: bug 6)"))
    dtype = result_dtype(value)
    if dtype is not None and dtype.itemsize < 4:
        raise LearnerError(not_yet(exercise, f"{name} is {dtype}, which keeps only about 3 significant digits: the "
                                   "dtype matters here, so compute in float64 (NumPy's default) or float32"))
    try:
        array = guarded(exercise, lambda: np.array(value, dtype=np.float64), f"converting {name} to an array")
    except LearnerError as failure:
        if failure.kind == "timeout":
            raise
        raise LearnerError(not_yet(exercise, f"{name} must be a NumPy array of numbers, got "
                                   f"{type(value).__name__}")) from None
    if shape is not None and array.shape != tuple(shape):
        raise LearnerError(not_yet(exercise, f"{name} has shape {array.shape}, expected {tuple(shape)}"))
    if not np.all(np.isfinite(array)):
        raise LearnerError(not_yet(exercise, f"{name} contains NaN or infinite values"))
    return array


def learner_value(exercise: str, thunk, what: str = "your answer"):
    """Evaluate ``thunk()``, which uses the learner's answer object (``float(answer)``, ``int(answer)``,
    ``answer.strip()``…), under :func:`guarded`: methods of the learner's class that raise or hang
    become a "not yet" naming the problem."""
    return guarded(exercise, thunk, what)


def run_check(exercise: str, body) -> CheckResult:
    """Run ``body()`` (which returns a :class:`CheckResult`), turning :class:`LearnerError` into "not yet".

    Any other exception can only come from an answer object the check could not use (a learner's
    class whose methods raise): it becomes a "not yet" too, so that a check never raises.
    """
    try:
        with _captured():  # one cap for everything the learner's code prints during this check
            return body()
    except LearnerError as failure:
        return failure.result
    except TimeLimitExceeded:  # cannot happen outside guarded(); kept so that a check never raises
        return not_yet(exercise, "your answer did not finish in time")
    except Exception as error:
        return not_yet(exercise, f"your answer could not be used: {describe_error(error)}")
