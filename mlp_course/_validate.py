"""Input checks shared by the whole package.

The seed network "worked" only because its shapes happened to be 2 and 2: NumPy broadcast
everything else without a word. Every public function therefore checks its arrays here first and
raises a ``ValueError`` or ``TypeError`` that names the argument and the shape it expected.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable

import numpy as np


def as_matrix(value, name: str, *, n_features: int | None = None) -> np.ndarray:
    """Return ``value`` as a finite float64 array of shape (n_samples, n_features).

    Parameters
    ----------
    value : array_like
        The candidate array.
    name : str
        The argument's name, used in error messages (e.g. ``"X"``).
    n_features : int, optional
        If given, the number of columns required.
    """
    array = _as_float_array(value, name)
    if array.ndim != 2:
        raise ValueError(
            f"{name} must be 2-D with shape (n_samples, n_features), got {array.ndim}-D "
            f"array of shape {array.shape}; reshape a single sample with {name}.reshape(1, -1)"
        )
    if array.shape[0] == 0:
        raise ValueError(f"{name} is empty: it needs at least one sample (row), got shape {array.shape}")
    if n_features is not None and array.shape[1] != n_features:
        raise ValueError(
            f"{name} has {array.shape[1]} features but the network's input layer expects "
            f"{n_features} (expected shape (n_samples, {n_features}), got {array.shape})"
        )
    _check_finite(array, name)
    return array


def as_targets(value, name: str, *, n_samples: int, n_outputs: int) -> np.ndarray:
    """Return targets as a finite float64 array of shape (n_samples, n_outputs).

    A 1-D ``y`` of shape (n_samples,) is accepted when the network has a single output unit and is
    returned as a column (n_samples, 1).
    """
    array = _as_float_array(value, name)
    if array.ndim == 1:
        if n_outputs != 1:
            raise ValueError(
                f"{name} is 1-D with shape {array.shape} but the network has {n_outputs} output "
                f"units: pass {name} with shape ({n_samples}, {n_outputs})"
            )
        array = array.reshape(-1, 1)
    if array.ndim != 2:
        raise ValueError(
            f"{name} must have shape ({n_samples}, {n_outputs}) (or ({n_samples},) for one output "
            f"unit), got {array.ndim}-D array of shape {array.shape}"
        )
    if array.shape[0] != n_samples:
        raise ValueError(
            f"{name} has {array.shape[0]} samples (rows) but X has {n_samples}: they must match"
        )
    if array.shape[1] != n_outputs:
        raise ValueError(
            f"{name} has {array.shape[1]} columns but the network's output layer has {n_outputs} "
            f"units (expected shape ({n_samples}, {n_outputs}), got {array.shape})"
        )
    _check_finite(array, name)
    return array


def as_finite_array(value, name: str) -> np.ndarray:
    """Return ``value`` as a finite float64 array of any shape (a copy); see :func:`as_matrix`."""
    array = _as_float_array(value, name)
    _check_finite(array, name)
    return array


def _as_float_array(value, name: str) -> np.ndarray:
    """``value`` as a float64 copy, or a ``TypeError``/``ValueError`` naming ``name``.

    Accepted: arrays and nested lists of real numbers (ints, floats, bools, NumPy scalars, other
    ``numbers.Real`` such as ``Fraction``). Refused: strings, None, complex numbers, dates and time
    spans (``datetime64``/``timedelta64`` are not quantities a network can read), ragged lists,
    masked arrays with masked entries, and Python ints too large for a float (``10**400``).
    """
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be a numeric array, got {type(value).__name__}")
    if isinstance(value, np.ma.MaskedArray) and np.ma.getmaskarray(value).any():
        raise ValueError(f"{name} has masked entries; pass a plain array with every value filled in")
    try:
        array = np.asarray(value)
    except ValueError as exc:  # ragged nested lists
        raise ValueError(f"{name} must be a rectangular numeric array (every row the same length): {exc}") from None
    if array.dtype == object:
        return _object_to_float(array, name)
    if np.issubdtype(array.dtype, np.timedelta64) or np.issubdtype(array.dtype, np.datetime64):
        raise TypeError(f"{name} must be a numeric array, got dtype {array.dtype} (dates and time spans are "
                        "not numbers: convert them first, e.g. with .astype(float))")
    if not (np.issubdtype(array.dtype, np.number) or np.issubdtype(array.dtype, np.bool_)):
        raise TypeError(f"{name} must be a numeric array, got dtype {array.dtype}")
    if np.issubdtype(array.dtype, np.complexfloating):
        raise TypeError(f"{name} must be real-valued, got dtype {array.dtype}")
    with np.errstate(over="ignore"):  # a longdouble beyond float64's range becomes inf, reported by the caller
        return array.astype(np.float64, copy=True)


def _object_to_float(array: np.ndarray, name: str) -> np.ndarray:
    """An object array (a list holding ``10**400``, ``Fraction``s, None, …) converted entry by entry."""
    if array.ndim == 0:
        raise TypeError(f"{name} must be a numeric array, got {type(array.item()).__name__}")
    out = np.empty(array.shape, dtype=np.float64)
    for index, entry in np.ndenumerate(array):
        if isinstance(entry, (bool, np.bool_)):
            out[index] = float(entry)
            continue
        if not isinstance(entry, numbers.Real):
            kind = "real-valued" if isinstance(entry, numbers.Complex) else "a numeric array"
            raise TypeError(f"{name} must be {kind}, but {name}{list(index)} is {entry!r} "
                            f"({type(entry).__name__})")
        out[index] = as_real(entry, f"{name}{list(index)}", "a finite real number")
    return out


def _check_finite(array: np.ndarray, name: str) -> None:
    if not np.all(np.isfinite(array)):
        bad = int(np.size(array) - np.count_nonzero(np.isfinite(array)))
        raise ValueError(f"{name} contains {bad} NaN or infinite value(s); every entry must be finite")


def check_choice(value, name: str, choices) -> str:
    """Return ``value`` if it is one of ``choices``; otherwise raise listing the valid ones."""
    if not isinstance(value, str) or value not in choices:
        valid = ", ".join(repr(c) for c in choices)
        raise ValueError(f"unknown {name} {value!r}; expected one of {valid}")
    return value


def check_int(value, name: str, *, minimum: int) -> int:
    """Return ``value`` as an int, requiring a true integer (not bool, not float) >= ``minimum``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer >= {minimum}, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value}")
    return int(value)


def as_real(value, name: str, what: str) -> float:
    """``float(value)`` for a real number (not bool), else a ``TypeError`` naming ``name``.

    A Python int too large for a float (``10**400``) raises a ``ValueError`` instead of Python's
    ``OverflowError``; ``what`` describes the expected value in both messages.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be {what}, got {value!r}")
    try:
        return float(value)
    except OverflowError:
        digits = len(str(abs(value))) - 1
        raise ValueError(f"{name} must be {what}, got an integer too large for a float (about 10**{digits})") from None
    except (TypeError, ValueError) as exc:  # a Real subclass whose __float__ misbehaves
        raise TypeError(f"{name} must be {what}, got {type(value).__name__} ({exc})") from None


def check_seed(value, name: str = "seed") -> int | None:
    """Return a random seed as an int (or None): an integer from 0 to 2**63 − 1.

    NumPy's generators take any non-negative int, but an ensemble stores its seeds as int64, so
    every function that takes a seed accepts exactly this range and says so.
    """
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer from 0 to 2**63 - 1 (or None), got {value!r}")
    if not 0 <= value < 2**63:
        raise ValueError(f"{name} must be an integer from 0 to 2**63 - 1 (or None), got {value}")
    return int(value)


def check_positive_float(value, name: str) -> float:
    """Return ``value`` as a float, requiring a finite number > 0."""
    value = as_real(value, name, "a positive finite number")
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive finite number, got {value}")
    return value


def check_fraction(value, name: str) -> float:
    """Return ``value`` as a float in the open interval (0, 1)."""
    value = as_real(value, name, "a number strictly between 0 and 1")
    if not 0 < value < 1:
        raise ValueError(f"{name} must be strictly between 0 and 1, got {value}")
    return value


def check_sizes(sizes) -> list[int]:
    """Layer widths such as [2, 4, 1] as a list of ints: at least 2 layers, each a positive integer."""
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__"):
        raise TypeError(f"sizes must be a list of layer widths such as [2, 4, 1], got {sizes!r}")
    sizes = list(sizes)
    if len(sizes) < 2:
        raise ValueError(
            f"sizes must list at least 2 layers (input and output), e.g. [2, 4, 1], got {sizes}"
        )
    for i, width in enumerate(sizes):
        if isinstance(width, (bool, np.bool_)) or not isinstance(width, numbers.Integral):
            raise TypeError(f"sizes[{i}] must be a positive integer, got {width!r} in sizes={sizes}")
        if width < 1:
            raise ValueError(f"sizes[{i}] must be a positive integer, got {width} in sizes={sizes}")
    return [int(w) for w in sizes]


def as_array_list(value, name: str, what: str) -> list:
    """``value`` as a list (one entry per layer); a ``TypeError`` naming ``name`` if it is no sequence."""
    if isinstance(value, (str, bytes, dict)) or not isinstance(value, Iterable):
        raise TypeError(f"{name} must be a list of arrays, one per layer ({what}), got {value!r}")
    return list(value)


def as_vector(value, name: str, width: int) -> np.ndarray:
    """A vector (e.g. one layer's biases) as a finite float64 copy of shape (width,); errors name ``name``."""
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be a numeric array of shape ({width},), got {value!r}")
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as exc:  # ragged nested lists
        raise ValueError(f"{name} must be a numeric array of shape ({width},): {exc}") from None
    if array.dtype.kind not in "biuf":  # bool, int, unsigned, float; not complex, object, str, dates
        raise TypeError(f"{name} must be a real numeric array of shape ({width},), got dtype {array.dtype}")
    if array.shape != (width,):
        raise ValueError(f"{name} must have shape ({width},), got {array.shape}")
    array = array.astype(np.float64)  # a copy
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite values; every entry must be finite")
    return array
