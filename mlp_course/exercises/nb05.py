"""Exercise checks of notebook 05."""

from __future__ import annotations

__all__: list[str] = []
