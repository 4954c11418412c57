"""Build each group of use cases once per process, with the real adapters, on first use."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from .services.audit import Audit
    from .services.checkpoints import Checkpoints
    from .services.intake import Intake
    from .services.outbox import Relay
    from .services.review import Review
    from .services.timers import Timers

_built: dict[str, Any] = {}


def _one(name: str, module: str) -> Any:
    """Return the use-case object `name` of `module`, built on first use (not at import)."""
    if name not in _built:
        _built[name] = getattr(import_module(module, __package__), name)()
    return _built[name]


def intake() -> Intake:
    """Return the claimant's use cases."""
    return cast("Intake", _one("Intake", ".services.intake"))


def review() -> Review:
    """Return the reviewer's and the poster's use cases."""
    return cast("Review", _one("Review", ".services.review"))


def timers() -> Timers:
    """Return the scheduled use case that applies what time demands."""
    return cast("Timers", _one("Timers", ".services.timers"))


def checkpoints() -> Checkpoints:
    """Return the use case that seals the audit trail."""
    return cast("Checkpoints", _one("Checkpoints", ".services.checkpoints"))


def relay() -> Relay:
    """Return the outbox relay that delivers what committed changes promise."""
    return cast("Relay", _one("Relay", ".services.outbox"))


def audit() -> Audit:
    """Return the auditor's use cases."""
    return cast("Audit", _one("Audit", ".services.audit"))


def use(replacement: Intake | Review | Timers | Checkpoints | Audit | Relay | None) -> None:
    """Serve a group of use cases from `replacement` (None: build all anew on next use)."""
    if replacement is None:
        _built.clear()
    else:
        _built[type(replacement).__name__] = replacement


def reset() -> None:
    """Forget the built use cases (tests change the environment between apps)."""
    use(None)
