"""The composition root: build each group of use cases once per process, on first use, with
the real adapters passed in for the ports it names."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, fields
from importlib import import_module
from typing import TYPE_CHECKING, Any, TypeVar, cast

if TYPE_CHECKING:
    from .services.audit import Audit
    from .services.checkpoints import Checkpoints
    from .services.intake import Intake
    from .services.outbox import Relay
    from .services.review import Review
    from .services.staff import StaffRoster, StaffSignIn
    from .services.statements import Statements
    from .services.timers import Timers
    from .services.transparency import Transparency

S = TypeVar("S")

_built: dict[str, Any] = {}


def _adapter(module: str, name: str) -> Callable[[], Any]:
    """Return a maker of adapter `name` of `module`, imported only when it is made."""
    return lambda: getattr(import_module(module, __package__), name)()


def _function(module: str, name: str) -> Any:
    """Return function `name` of `module` (a maker the use case calls on each use)."""
    return getattr(import_module(module, __package__), name)


def _cursor_key() -> bytes:
    from .adapters.derived_keys import derived_key

    return derived_key("cursor")


def _purpose_key() -> Callable[[str], bytes]:
    from .adapters.derived_keys import derived_key

    return derived_key


# What each port a service names (by its field's name) is wired to in the deployed service.
ADAPTERS: dict[str, Callable[[], Any]] = {
    "repository": _adapter(".adapters.repository", "Repository"),
    "evidence": _adapter(".adapters.evidence_store", "EvidenceStore"),
    "notices": _adapter(".adapters.notice_keys", "NoticeKeys"),
    "store": _adapter(".adapters.checkpoints", "CheckpointStore"),
    "exports": _adapter(".adapters.checkpoints", "ExportStore"),
    "outbox": _adapter(".adapters.outbox_store", "OutboxStore"),
    "tallies": _adapter(".adapters.tally_store", "TallyStore"),
    "enforcement": _adapter(".adapters.enforcement", "EnforcementQueue"),
    "mailer": _adapter(".adapters.mail", "Mailer"),
    "purpose_key": _purpose_key,
    "cursor_key": lambda: _cursor_key,
    "verifier": lambda: _function(".adapters.identity", "verifier"),
    "directory": lambda: _function(".adapters.staff_pool", "directory"),
}


def ports_of(service: type[Any]) -> list[str]:
    """Return the names of the ports a use-case class must be given (its fields with no default)."""
    return [
        f.name for f in fields(service) if f.default is MISSING and f.default_factory is MISSING
    ]


def build(service: type[S], **given: Any) -> S:
    """Return a new `service` with the real adapter for each of its ports not `given`."""
    wired = {name: ADAPTERS[name]() for name in ports_of(service) if name not in given}
    make: Callable[..., S] = service
    return make(**wired, **given)


def _one(name: str, module: str) -> Any:
    """Return the use-case object `name` of `module`, built on first use (not at import)."""
    if name not in _built:
        _built[name] = build(getattr(import_module(module, __package__), name))
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


def transparency() -> Transparency:
    """Return the public transparency report's use case."""
    return cast("Transparency", _one("Transparency", ".services.transparency"))


def audit() -> Audit:
    """Return the auditor's use cases."""
    return cast("Audit", _one("Audit", ".services.audit"))


def statements() -> Statements:
    """Return the auditors' export of statements of reasons."""
    return cast("Statements", _one("Statements", ".services.statements"))


def staff() -> StaffSignIn:
    """Return the staff sign-in that the authorizer asks."""
    return cast("StaffSignIn", _one("StaffSignIn", ".services.staff"))


def roster() -> StaffRoster:
    """Return the staff list and the admins' sign-out of a staff member."""
    return cast("StaffRoster", _one("StaffRoster", ".services.staff"))


def use(
    replacement: Intake
    | Review
    | Timers
    | Checkpoints
    | Audit
    | Relay
    | Transparency
    | StaffSignIn
    | StaffRoster
    | None,
) -> None:
    """Serve a group of use cases from `replacement` (None: build all anew on next use)."""
    if replacement is None:
        _built.clear()
    else:
        _built[type(replacement).__name__] = replacement


def reset() -> None:
    """Forget the built use cases (tests change the environment between apps)."""
    use(None)
