"""Build each use case once per process, with the real adapters."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .services.intake import Intake

_intake: Intake | None = None


def intake() -> Intake:
    """Return the claimant's use cases (their modules load on first use, not at import)."""
    global _intake
    if _intake is None:
        from .services.intake import Intake

        _intake = Intake()
    return _intake


def use(replacement: Intake | None) -> None:
    """Serve the claimant's use cases from `replacement` (None: build them anew on next use)."""
    global _intake
    _intake = replacement


def reset() -> None:
    """Forget the built use cases (tests change the environment between apps)."""
    use(None)
