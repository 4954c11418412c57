"""Build each group of use cases once per process, with the real adapters."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .services.intake import Intake
    from .services.review import Review

_intake: Intake | None = None
_review: Review | None = None


def intake() -> Intake:
    """Return the claimant's use cases (their modules load on first use, not at import)."""
    global _intake
    if _intake is None:
        from .services.intake import Intake

        _intake = Intake()
    return _intake


def review() -> Review:
    """Return the reviewer's and the poster's use cases."""
    global _review
    if _review is None:
        from .services.review import Review

        _review = Review()
    return _review


def use(replacement: Intake | Review | None) -> None:
    """Serve a group of use cases from `replacement` (None: build both anew on next use)."""
    global _intake, _review
    if replacement is None:
        _intake = _review = None
        return
    from .services.intake import Intake

    if isinstance(replacement, Intake):
        _intake = replacement
    else:
        _review = replacement


def reset() -> None:
    """Forget the built use cases (tests change the environment between apps)."""
    use(None)
