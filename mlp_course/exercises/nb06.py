"""Exercise checks of notebook 06."""

from __future__ import annotations

__all__: list[str] = []
