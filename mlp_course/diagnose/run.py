"""Running a learner's backward function safely, and putting what went wrong into words.

:func:`learner_gradients` calls the function on copies of the network's parameters, records its
numerical warnings, and reads off its gradients (for a five-argument *step* that returns None: from
the change of the parameters). A function that raises, returns None where gradients are needed, or
returns the wrong structure is not re-raised: :class:`Unjudged` carries the verdict instead.
:func:`describe_error` and :func:`warning_cause` say what an exception or a NumPy warning means,
naming the learner's line (:func:`learner_line`); the exercise checks use them too.
"""

from __future__ import annotations

import inspect
import os
import traceback
import warnings

import numpy as np

_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_NOT_THE_LEARNERS = (  # frames skipped when looking for the learner's line
    os.path.join(os.path.dirname(np.__file__), ""),
    os.path.join(os.path.dirname(os.__file__), ""),
    os.path.join(_PACKAGE, "exercises", ""),
    os.path.join(_PACKAGE, "diagnose", ""),
)


def takes_learning_rate(fn) -> bool:
    """True when ``fn`` takes a fifth positional argument (the learning rate): the step form."""
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return False
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return len(positional) >= 5 or any(p.kind == p.VAR_POSITIONAL for p in params)


_WARNING_CAUSES = (
    ("overflow encountered in exp", "an exp() overflowed: large |z| must not overflow, so rewrite the formula so "
     "that no exp() can receive a large positive number"),
    ("overflow", "a number grew beyond the largest float (about 1e308): look for a product or power of very "
     "large values"),
    ("divide by zero encountered in log", "log(0) = −∞: a log received exactly 0 (an output of exactly 0 or 1, "
     "or a log of 1 − o when o = 1)"),
    ("divide by zero", "a division by zero: look for a divisor that can be exactly 0"),
    ("invalid value", "a NaN was computed (0/0, ∞ − ∞, 0 · ∞, or the log or square root of a negative number)"),
)


def warning_cause(message: str) -> str:
    """The cause behind a NumPy numerical warning's ``message`` (overflow, log(0), 0/0, …), in words."""
    text = message.lower()
    return next((cause for fragment, cause in _WARNING_CAUSES if fragment in text), "a numerical problem")


def learner_line(error: BaseException) -> str:
    """``"line 12 of cell.py: `o = a @ b`"``: the learner's frame in ``error``'s traceback, or "".

    The learner's frame is the last one outside NumPy, the standard library and the diagnoser and
    exercise checks themselves.
    """
    frames = [f for f in traceback.extract_tb(error.__traceback__)
              if not os.path.abspath(f.filename).startswith(_NOT_THE_LEARNERS)]
    if not frames:
        return ""
    frame = frames[-1]
    code = f": `{frame.line.strip()[:80]}`" if frame.line else ""
    return f"line {frame.lineno} of {os.path.basename(frame.filename) or frame.filename}{code}"


def describe_error(error: BaseException) -> str:
    """``"ValueError: message (line 12 of cell.py: `...`)"``: an exception and the learner's line that raised it."""
    try:
        text = f"{type(error).__name__}: {str(error)[:300]}"
    except Exception:  # an exception whose __str__ raises
        text = type(error).__name__
    where = learner_line(error)
    return f"{text} ({where})" if where else text


class Unjudged(Exception):
    """The learner's function could not be judged on one network.

    ``kind`` is a :data:`mlp_course.diagnose.report.PROBLEMS` key, ``message`` says what happened,
    ``line`` is the learner's line for an exception ("" otherwise).
    """

    def __init__(self, kind: str, message: str, line: str = "") -> None:
        super().__init__(message)
        self.kind, self.message, self.line = kind, message, line


def _as_list(value, name: str, count: int) -> list:
    """The learner's ``d_weights`` or ``d_biases`` as a list of ``count`` entries (None: all missing)."""
    if value is None:
        return [None] * count
    if isinstance(value, np.ndarray) and value.dtype != object:
        raise Unjudged("wrong_structure", f"{name} is one array of shape {value.shape}: return a list of "
                       f"{count} arrays, one per layer")
    try:
        items = list(value)
    except Exception:
        raise Unjudged("wrong_structure", f"{name} must be a list of {count} arrays (one per layer), got "
                       f"{type(value).__name__}") from None
    if len(items) != count:
        raise Unjudged("wrong_structure", f"{name} must hold {count} arrays (one per layer), got {len(items)}")
    return items


def _per_layer_pairs(result, weights, biases) -> bool:
    """Whether ``result`` is ``[(dW0, db0), (dW1, db1), …]``, one pair per layer, shaped like the parameters."""
    if not isinstance(result, (tuple, list)) or len(result) != len(weights):
        return False
    try:
        return all(len(pair) == 2 and np.shape(pair[0]) == W.shape and np.shape(pair[1]) == b.shape
                   for pair, W, b in zip(result, weights, biases))
    except Exception:  # an entry without a length or shape (or one that raises): not a pair
        return False


def learner_gradients(fn, X, y, weights, biases, lr):
    """Call the learner's function on copies; return ``(d_weights, d_biases, warned)``.

    X (n, sizes[0]), y (n, sizes[-1]), ``weights[l]`` (sizes[l], sizes[l+1]), ``biases[l]``
    (sizes[l+1],); ``lr`` is passed as a fifth argument unless None. ``d_weights``, ``d_biases`` are
    lists of one entry per layer (anything the learner returned, or None); ``warned`` holds the
    messages of the numerical warnings it emitted. Raises :class:`Unjudged`.
    """
    w_copy, b_copy = [w.copy() for w in weights], [b.copy() for b in biases]
    args = (X.copy(), y.copy(), w_copy, b_copy) + ((lr,) if lr is not None else ())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = fn(*args)
        except Exception as error:  # the learner's bug: a verdict naming their line, not a re-raise
            raise Unjudged("raised", f"your function raised {describe_error(error)}", learner_line(error)) from None
    warned = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]
    if result is None:
        if lr is None:
            raise Unjudged("returned_none", "your function returned None; return (d_weights, d_biases), or take a "
                           "fifth argument learning_rate and update weights and biases in place")
        with np.errstate(all="ignore"):  # the step followed: (before − after) / lr
            return ([np.asarray(w - wc) / lr for w, wc in zip(weights, w_copy)],
                    [np.asarray(b - bc) / lr for b, bc in zip(biases, b_copy)], warned)
    if _per_layer_pairs(result, weights, biases):
        raise Unjudged("wrong_structure", "your function returned one (dW, db) pair per layer; return two lists "
                       "instead, (d_weights, d_biases): [dW0, dW1, …] and [db0, db1, …]")
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        length = f" of length {len(result)}" if isinstance(result, (tuple, list)) else ""
        raise Unjudged("wrong_structure", "your function must return (d_weights, d_biases), got "
                       f"{type(result).__name__}{length}")
    return _as_list(result[0], "d_weights", len(weights)), _as_list(result[1], "d_biases", len(biases)), warned


def as_array(value) -> np.ndarray | None:
    """A learner's entry as a float64 array, or None when it is not one (None, a list, an object)."""
    if value is None or isinstance(value, (list, tuple)):
        return None
    try:
        return np.array(value, dtype=np.float64)
    except Exception:
        return None
