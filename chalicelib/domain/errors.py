"""What can go wrong in the domain, in words a claimant can act on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FieldError:
    """One bad field: where it is (a dotted path) and what is wrong with it."""

    field: str
    message: str
    code: str = "invalid"


class DomainError(Exception):
    """A request the domain refuses; the API maps each kind to one HTTP status."""

    title = "The request cannot be carried out"

    def __init__(self, detail: str, errors: list[FieldError] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []
        self.extensions: dict[str, Any] = {}


class InvalidRequest(DomainError):
    """The request names fields that are missing, malformed or against a rule."""

    title = "The request has invalid fields"


class InvalidCursor(InvalidRequest):
    """The request brings a cursor that was not given out for this very query."""

    title = "The cursor does not belong to this query"


class NotSignedIn(DomainError):
    """The request brings a token that proves no sign-in."""

    title = "Not signed in"


class NotAllowed(DomainError):
    """The caller is signed in, but in no group that may do this."""

    title = "Not allowed"


class NotFound(DomainError):
    """The thing asked for does not exist, or the caller may not know that it does."""

    title = "Not found"


class Conflict(DomainError):
    """The request contradicts what is already recorded."""

    title = "Conflict with the current state"


class CaseChanged(Conflict):
    """The case changed since the caller read it: the one way a stale case is refused (409).

    Told to a reviewer, it also says where the case is now and what changed since
    (`explained`): the problem's members `current_version`, `case_status` and `changes`
    (`status` is the problem's HTTP status, RFC 9457).
    """

    def __init__(self, expected_version: int | None = None, version: int | None = None) -> None:
        said = (
            f"is {expected_version} but the case is at version {version}"
            if expected_version is not None and version is not None
            else "is no longer the case's version"
        )
        super().__init__(
            "The case changed since it was read; read it again and retry on its new version.",
            [FieldError("expected_version", said, "stale")],
        )
        self.expected_version = expected_version

    def explained(self, version: int, status: str, changes: list[dict[str, Any]]) -> CaseChanged:
        """Return this refusal with the case's version and status now, and the changes since."""
        told = CaseChanged(self.expected_version, version)
        told.extensions = {"current_version": version, "case_status": status, "changes": changes}
        return told


class CaseClaimed(Conflict):
    """Another reviewer holds a live claim on the case: only they may claim or decide it now."""

    title = "The case is claimed by another reviewer"

    def __init__(self, by: str, by_name: str, until: str) -> None:
        super().__init__(
            f"{by_name or by} works on this case until {until}; "
            "only they may claim or decide it until then, or once they release it.",
        )
        self.extensions = {"claimed_by": by, "claimed_by_name": by_name, "claimed_until": until}


class IdempotencyKeyReused(DomainError):
    """An Idempotency-Key was sent again with a different request body."""

    title = "Idempotency-Key already used for a different request"


class ClaimantSuspended(DomainError):
    """Reports from this claimant's address are suspended for a time (403)."""

    title = "Reports from this address are suspended"

    def __init__(self, detail: str, *, ends_at: str, ends_at_korea: str, case_id: str) -> None:
        super().__init__(detail)
        self.extensions = {
            "code": "claimant_suspended",
            "suspended_until": ends_at,
            "suspended_until_korea": ends_at_korea,
            "contest": f"/v1/claimants/suspensions/{case_id}/contest",
        }
