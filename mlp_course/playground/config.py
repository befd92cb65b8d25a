"""What determines a playground run: :class:`PlaygroundConfig`, its ranges, and its parsing.

A config is a frozen dataclass of twelve fields. It comes from a dict, a config string
(``"dataset=xor lr=2 …"``), another config or nothing (the defaults), and is always validated and
normalised the same way: floats rounded to 4 significant digits, so that a browser echoing
``1.0000000000000002`` for ``1.0`` gives an equal config (and no second redraw).
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields

import numpy as np

from .._validate import as_real, check_seed
from ..datasets import DATASETS
from ..training import XOR_DEFAULTS

DATASET_NAMES = tuple(DATASETS)
"""Every dataset of :data:`mlp_course.datasets.DATASETS`, in its order (the dataset menu)."""
ACTIVATION_NAMES = ("sigmoid", "tanh", "relu")
LOSS_NAMES = ("mse", "bce")
BATCH_SIZES = (1, 2, 4, 8, 16, 32, 64, 128)
"""Mini-batch sizes offered besides full batch (``batch_size=None``)."""
N_POINTS = 200
"""Points generated for every dataset that draws points (all but xor, the question's four points)."""
MAX_EPOCHS = 100_000
"""Largest epoch count a config may hold ("Train more" adds up); the slider shows up to 5000."""

RANGES = {
    "noise": (0.0, 0.5),
    "test_fraction": (0.0, 0.8),
    "hidden_layers": (0, 4),
    "units": (1, 8),
    "lr": (1e-4, 10.0),
    "epochs": (0, MAX_EPOCHS),
    "init_scale": (0.01, 10.0),
    "seed": (0, 99_999),
}
"""The closed range of every numeric field (the sliders' ranges)."""

_INT_FIELDS = ("hidden_layers", "units", "epochs", "seed", "batch_size")
_CHOICES = {"dataset": DATASET_NAMES, "activation": ACTIVATION_NAMES, "loss": LOSS_NAMES}


@dataclass(frozen=True)
class PlaygroundConfig:
    """Everything that determines a playground run: the same config gives the same network.

    ``noise`` and ``test_fraction`` do not apply to ``xor`` (the question's four points, all used for
    training). ``test_fraction`` 0 means no test set; ``batch_size`` None means full batch.
    """

    dataset: str = "xor"
    noise: float = 0.1
    test_fraction: float = 0.3
    hidden_layers: int = 1
    units: int = XOR_DEFAULTS["sizes"][1]
    activation: str = XOR_DEFAULTS["activation"]
    loss: str = XOR_DEFAULTS["loss"]
    lr: float = XOR_DEFAULTS["lr"]
    epochs: int = XOR_DEFAULTS["epochs"]
    batch_size: int | None = None
    init_scale: float = 1.0
    seed: int = 1  # seed 0 of the XOR recipe lands in a local minimum: a good experiment, a bad default

    @classmethod
    def parse(cls, config=None) -> PlaygroundConfig:
        """A validated, normalised config from a dict, a config string, a config, or None (defaults).

        Missing keys take their defaults. Raises ``ValueError`` naming the bad key and its range.
        """
        if config is None:
            return cls()
        if isinstance(config, PlaygroundConfig):
            return cls.parse(asdict(config))
        if isinstance(config, str):
            return cls.parse(_parse_string(config))
        if not isinstance(config, Mapping):
            raise ValueError(f"config must be a dict or a config string such as {cls().to_string()!r}, "
                             f"got {type(config).__name__}")
        known = {f.name for f in fields(cls)}
        unknown = sorted(map(str, set(config) - known))
        if unknown:
            raise ValueError(f"unknown config key(s) {unknown}; expected some of {sorted(known)}")
        values = {**asdict(cls()), **config}
        return cls(**{name: check_field(name, value) for name, value in values.items()})

    def to_string(self) -> str:
        """``"dataset=xor noise=0.1 … seed=1"``: pasteable into ``mc.playground(config=...)``."""
        return " ".join(f"{key}={_format_value(value)}" for key, value in asdict(self).items())

    @property
    def sizes(self) -> list[int]:
        """Layer widths of the network: 2 inputs, the hidden layers, 1 output."""
        return [2] + [self.units] * self.hidden_layers + [1]


def _format_value(value) -> str:
    if value is None:
        return "full"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _parse_string(text: str) -> dict:
    """``"key=value key=value"`` (spaces, commas or semicolons between pairs) into a dict."""
    result = {}
    for pair in (p for p in re.split(r"[\s,;]+", text.strip()) if p):
        key, sep, value = pair.partition("=")
        if not sep or not key or not value:
            raise ValueError(f"config string entries must look like key=value, got {pair!r} in {text!r}")
        if key in result:
            raise ValueError(f"config {key} is given twice in {text!r}")
        result[key] = _parse_scalar(key, value)
    return result


def _parse_scalar(key: str, value: str):
    if key in _CHOICES:
        return value
    if key == "batch_size" and value in ("full", "None", "none"):
        return None
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"config {key} must be a number, got {value!r}") from None
    return int(number) if key in _INT_FIELDS and number.is_integer() else number


def check_field(name: str, value):
    """Validate and normalise one config value; ``ValueError`` naming ``name`` and its range otherwise."""
    if name in _CHOICES:
        if not isinstance(value, str) or value not in _CHOICES[name]:
            raise ValueError(f"config {name} must be one of {list(_CHOICES[name])}, got {value!r}")
        return value
    if name == "batch_size":
        if value is None or (isinstance(value, str) and value == "full"):
            return None
        if not _is_int(value) or int(value) not in BATCH_SIZES:
            raise ValueError(f"config batch_size must be None (full batch) or one of {list(BATCH_SIZES)}, "
                             f"got {value!r}")
        return int(value)
    lo, hi = RANGES[name]
    if name in _INT_FIELDS:
        if not _is_int(value) or not lo <= value <= hi:
            raise ValueError(f"config {name} must be an integer from {lo} to {hi}, got {value!r}")
        return check_seed(int(value), "config seed") if name == "seed" else int(value)
    expected = f"a number from {lo:g} to {hi:g}"
    try:
        number = as_real(value, f"config {name}", expected)
    except (TypeError, ValueError):
        raise ValueError(f"config {name} must be {expected}, got {value!r:.40}") from None
    if not math.isfinite(number):
        raise ValueError(f"config {name} must be {expected}, got {value!r}")
    number = _round(number, name)
    if not lo <= number <= hi:
        raise ValueError(f"config {name} must be {expected}, got {value!r}")
    return number


def _is_int(value) -> bool:
    return not isinstance(value, (bool, np.bool_)) and isinstance(value, numbers.Integral)


def _round(value: float, name: str) -> float:
    """Round away float noise so an echoed 1.0000000000000002 compares equal to 1.0."""
    if name in ("noise", "test_fraction"):
        return round(value, 4) + 0.0
    return float(f"{value:.4g}")  # lr, init_scale: 4 significant digits
