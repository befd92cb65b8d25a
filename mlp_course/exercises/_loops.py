"""Spotting a loop over the samples: does a learner's "vectorized" function still visit rows one by one?

The inputs are handed to the learner's function as a NumPy array subclass (:func:`watcher`) that
notes every iteration over its rows (``for``, ``zip``, comprehensions, built-in ``sum``, ``tolist``)
and every single-row index (``X[i]``, ``X[i:i+1]``, ``np.apply_along_axis``, ``np.vectorize`` with
a row signature). Arrays computed from a watched input (``X @ W``, ``np.tanh(X)``, …) are watched
too. :func:`call_watched` runs the learner's function that way and returns what it noted.
"""

from __future__ import annotations

import numpy as np

from ._check import LearnerError, call, not_yet

LOOP_HINT = ("right values, but your function still visits the samples one at a time ({how}). Replace the "
             "loop by operations on whole arrays: one matrix product per layer, and .sum(axis=0) or "
             ".mean() where the loop adds up")


def selects_one_row(key) -> bool:
    """True for an index that picks one row: ``i``, ``(i, ...)``, ``i:i+1``, ``[i]``."""
    first = key[0] if isinstance(key, tuple) and key else key
    if isinstance(first, (int, np.integer)) and not isinstance(first, (bool, np.bool_)):
        return True
    if isinstance(first, list) and len(first) == 1 and isinstance(first[0], (int, np.integer)):
        return True
    return False


def watcher(n: int):
    """A fresh ndarray subclass whose (n, ...) arrays note every visit of a single sample.

    Returns ``(Watched, visits)``: wrap an input with ``array.view(Watched)``; arrays computed from it
    (``X @ W``, ``np.tanh(X)``, …) are ``Watched`` too. ``visits`` collects a description of each
    row-by-row access to an array whose first axis is the n samples.
    """
    visits: list[str] = []

    def is_sample_axis(array) -> bool:
        return n > 1 and array.ndim >= 1 and array.shape[0] == n

    class Watched(np.ndarray):
        def __iter__(self):
            if is_sample_axis(self):
                visits.append("a for loop, zip, a comprehension or the built-in sum() over the rows")
            return super().__iter__()

        def __getitem__(self, key):
            if is_sample_axis(self):
                if selects_one_row(key):
                    visits.append("one row at a time, as in X[i], np.apply_along_axis or np.vectorize")
                elif isinstance(key, slice) and len(range(*key.indices(n))) == 1:
                    visits.append("one row at a time, as in X[i:i+1]")
            return super().__getitem__(key)

        def tolist(self):
            if is_sample_axis(self):
                visits.append(".tolist() and then a loop over the Python list")
            return super().tolist()

    return Watched, visits


def loop_hint(visits: list[str]) -> str:
    """The hint for right values computed by visiting the samples (``visits`` non-empty)."""
    return LOOP_HINT.format(how=visits[0])


def with_shape_hint(failure: LearnerError, hint: str) -> LearnerError:
    """Add ``hint`` to a learner's "shapes not aligned" or "could not be broadcast" error."""
    message = failure.result.message
    if "raised ValueError" in message and ("matmul" in message or "align" in message or "broadcast" in message):
        return LearnerError(not_yet(failure.result.exercise, f"{message}. {hint}"))
    return failure


def call_watched(exercise: str, fn, arrays: list[np.ndarray], *rest, shape_hint: str):
    """Call ``fn(*watched arrays, *rest)`` (each array (n, ...)); returns ``(value, visits)``.

    A shape error of the learner's gets ``shape_hint`` added; any failure raises :class:`LearnerError`.
    """
    Watched, visits = watcher(len(arrays[0]))
    try:
        value = call(exercise, fn, *[a.copy().view(Watched) for a in arrays], *rest, what="your function")
    except LearnerError as failure:
        raise with_shape_hint(failure, shape_hint) from None
    return value, visits


def plain(value):
    """``value`` without the watching subclass (so that the check's own arithmetic is not noted)."""
    if isinstance(value, np.ndarray):
        return np.asarray(value).view(np.ndarray)
    return value
