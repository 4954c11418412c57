"""Build each group of use cases once per process, with the real adapters."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .services.audit import Audit
    from .services.checkpoints import Checkpoints
    from .services.intake import Intake
    from .services.review import Review
    from .services.timers import Timers

_intake: Intake | None = None
_review: Review | None = None
_timers: Timers | None = None
_checkpoints: Checkpoints | None = None
_audit: Audit | None = None


def audit() -> Audit:
    """Return the auditor's use cases."""
    global _audit
    if _audit is None:
        from .services.audit import Audit

        _audit = Audit()
    return _audit


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


def timers() -> Timers:
    """Return the scheduled use case."""
    global _timers
    if _timers is None:
        from .services.timers import Timers

        _timers = Timers()
    return _timers


def checkpoints() -> Checkpoints:
    """Return the use case that seals the audit trail."""
    global _checkpoints
    if _checkpoints is None:
        from .services.checkpoints import Checkpoints

        _checkpoints = Checkpoints()
    return _checkpoints


def use(replacement: Intake | Review | Timers | Checkpoints | None) -> None:
    """Serve a group of use cases from `replacement` (None: build all anew on next use)."""
    global _intake, _review, _timers, _checkpoints, _audit
    if replacement is None:
        _intake = _review = _timers = _checkpoints = _audit = None
        return
    from .services.checkpoints import Checkpoints
    from .services.intake import Intake
    from .services.review import Review

    if isinstance(replacement, Intake):
        _intake = replacement
    elif isinstance(replacement, Review):
        _review = replacement
    elif isinstance(replacement, Checkpoints):
        _checkpoints = replacement
    else:
        _timers = replacement


def reset() -> None:
    """Forget the built use cases (tests change the environment between apps)."""
    use(None)
