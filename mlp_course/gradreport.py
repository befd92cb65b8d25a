"""Comparing a backward pass's gradients with numerical ones: the relative error and the report.

Each entry's **relative error** is the one definition used by every check in the package::

    |analytic − numeric| / max(|analytic|, |numeric|, floor)        floor = 1e-6

counting as 0 when the difference is within the numeric estimate's own round-off (``noise``).
:func:`compare` turns arrays of them into a :class:`GradCheckReport`: one row per parameter array
with its worst relative and absolute error and a verdict ("ok", "WRONG", or "at a kink: not
comparable"). The numbers come from :mod:`mlp_course.gradcheck`. Where a row shows a relative
error of 0 beside a nonzero absolute one, the printed report adds a footnote saying why (round-off).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ._validate import as_real

FLOOR = 1e-6
"""The floor of the relative error's denominator (see the module docstring)."""
ROUNDOFF = 1e-14
"""Relative accuracy assumed of a loss evaluation (float64's 1.1e-16, times 100 for the operations)."""
DEFAULT_TOL = 1e-4
"""An array passes when its worst relative error is below this."""
def relative_error(analytic, numeric, floor: float = FLOOR, noise=0.0) -> np.ndarray:
    """``|analytic − numeric| / max(|analytic|, |numeric|, floor)``, entry by entry.

    Parameters
    ----------
    analytic, numeric : array_like, same shape
    floor : float
        Lower bound of the denominator, so that entries whose gradient is ~0 compare their absolute
        difference with ``floor`` instead of with ~0.
    noise : float or array_like, optional
        How precisely ``numeric`` is known (its round-off): a difference ``|analytic − numeric|``
        no larger than ``noise`` is agreement, error 0.

    Returns
    -------
    ndarray, the same shape: 0 for agreement, at most 2 (inf where either is non-finite).
    """
    a, n = np.asarray(analytic, dtype=np.float64), np.asarray(numeric, dtype=np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        difference = np.abs(a - n)
        error = np.where(difference <= noise, 0.0, difference / np.maximum(np.maximum(np.abs(a), np.abs(n)), floor))
    return np.where(np.isfinite(a) & np.isfinite(n), error, np.inf)


def check_tol(tol, name: str = "tol") -> float:
    """``tol`` as a float in (0, 1), else a ``ValueError``/``TypeError`` naming ``name``."""
    what = "a relative-error tolerance strictly between 0 and 1, e.g. 1e-4"
    value = as_real(tol, name, what)
    if not (math.isfinite(value) and 0 < value < 1):
        raise ValueError(f"{name} must be {what}, got {tol!r}")
    return value


@dataclass(frozen=True)
class ParameterCheck:
    """The check of one parameter array (e.g. ``W0``).

    ``max_rel_error`` and ``max_abs_error`` are over the comparable entries; ``n_not_comparable``
    counts the entries left out because a kink lies within ``h`` of them (see :func:`gradcheck`).
    """

    name: str
    shape: tuple[int, ...]
    max_rel_error: float
    max_abs_error: float
    ok: bool
    n_not_comparable: int = 0

    @property
    def verdict(self) -> str:
        """"ok", "WRONG", or "at a kink: not comparable", with the count of left-out entries."""
        size = math.prod(self.shape)
        if size and self.n_not_comparable == size:
            return "at a kink: not comparable"
        text = "ok" if self.ok else "WRONG"
        if self.n_not_comparable:
            text += f" ({self.n_not_comparable} of {size} at a kink: not comparable)"
        return text


@dataclass(frozen=True)
class GradCheckReport:
    """Per parameter array: the worst relative and absolute error, and whether it passed.

    ``report.ok`` is True when every array passed; ``report.max_rel_error`` is the worst of all;
    ``report["W1"]`` is one row. Prints as a text table, displays as an HTML table in a notebook.
    """

    checks: tuple[ParameterCheck, ...]
    tol: float

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def max_rel_error(self) -> float:
        return max((c.max_rel_error for c in self.checks), default=0.0)

    @property
    def n_not_comparable(self) -> int:
        """Entries left out of the comparison because they sit at a kink."""
        return sum(c.n_not_comparable for c in self.checks)

    def __getitem__(self, name: str) -> ParameterCheck:
        for c in self.checks:
            if c.name == name:
                return c
        raise KeyError(f"no parameter named {name!r}; have {[c.name for c in self.checks]}")

    def _summary(self) -> str:
        verdict = "all gradients match" if self.ok else "some gradients are wrong"
        return f"{verdict} (tolerance {self.tol:g} on the relative error)"

    def _footnote(self) -> str:
        """A line explaining a relative error of 0 next to a nonzero absolute one (within round-off), else ""."""
        if any(c.max_rel_error == 0 and c.max_abs_error > 0 for c in self.checks):
            return "rel. error 0: every difference lies within the numerical estimate's own round-off"
        return ""

    def _rows(self) -> list[tuple[str, str, str, str, str]]:
        return [(c.name, "×".join(map(str, c.shape)) or "scalar", f"{c.max_rel_error:.1e}", f"{c.max_abs_error:.1e}",
                 c.verdict) for c in self.checks]

    def __str__(self) -> str:
        width = max([10] + [len(c.name) + 2 for c in self.checks])
        lines = [f"{'parameter':<{width}}{'shape':<10}{'max rel. error':>16}{'max abs. error':>16}  result"]
        for name, shape, rel, abs_, verdict in self._rows():
            lines.append(f"{name:<{width}}{shape:<10}{rel:>16}{abs_:>16}  {verdict}")
        lines += [line for line in (self._summary(), self._footnote()) if line]
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        import html

        head = "".join(f"<th>{t}</th>" for t in ("parameter", "shape", "max rel. error", "max abs. error", "result"))
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>" for row in self._rows()
        )
        footnote = self._footnote()
        footnote = f"<p>{html.escape(footnote)}</p>" if footnote else ""
        return f"<table><tr>{head}</tr>{body}</table><p>{html.escape(self._summary())}</p>{footnote}"


def compare(names, analytic, numeric, tol: float = DEFAULT_TOL, floor: float = FLOOR,
            not_comparable=None, noise=None) -> GradCheckReport:
    """Compare analytic and numeric gradients array by array (see the module docstring).

    ``not_comparable`` (optional): one boolean array per parameter, True where the entry is left
    out of the comparison (a kink lies within h). ``noise`` (optional): per parameter, the numeric
    gradient's round-off (see :func:`relative_error`).
    """
    tol = check_tol(tol)
    checks = []
    masks = not_comparable if not_comparable is not None else [None] * len(names)
    noises = noise if noise is not None else [0.0] * len(names)
    for name, a, n, skip, eps in zip(names, analytic, numeric, masks, noises):
        a, n = np.asarray(a, dtype=np.float64), np.asarray(n, dtype=np.float64)
        if a.shape != n.shape:
            raise ValueError(f"gradient of {name} has shape {a.shape}, expected {n.shape}")
        keep = np.ones(a.shape, bool) if skip is None else ~np.asarray(skip, bool)
        rel = relative_error(a, n, floor, eps)[keep]
        with np.errstate(invalid="ignore", over="ignore"):
            abs_err = np.abs(a - n)[keep]
        abs_err = np.where(np.isnan(abs_err), np.inf, abs_err)
        worst = float(rel.max()) if rel.size else 0.0
        checks.append(ParameterCheck(name, a.shape, worst, float(abs_err.max()) if abs_err.size else 0.0,
                                     worst < tol, int(a.size - keep.sum())))
    return GradCheckReport(tuple(checks), tol)
