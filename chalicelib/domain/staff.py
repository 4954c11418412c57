"""Staff members: the groups of the staff pool, who a signed-in member is, and why a token fails."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class StaffGroup(StrEnum):
    """A group of the staff user pool (infra/template.yaml creates exactly these)."""

    REVIEWERS = "reviewers"
    AUDITORS = "auditors"
    ADMINS = "admins"
    TRUSTED_FLAGGERS = "trusted_flaggers"  # not staff: organisations that file reports first


@dataclass(frozen=True)
class Staff:
    """A signed-in staff member: the pool's subject id, the username and the known groups."""

    subject: str
    username: str
    groups: frozenset[StaffGroup]


@dataclass(frozen=True)
class StaffEntry:
    """A user of the staff pool as a list of staff names them: for display, never for access."""

    subject: str
    username: str
    groups: frozenset[StaffGroup]
    enabled: bool


class InvalidToken(Exception):
    """A token that does not prove a staff sign-in to this pool and app client."""

    def __init__(self, reason: str, subject: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.subject = subject  # the token's subject, once its signature has been checked


class IdentityUnavailable(Exception):
    """The pool's signing keys could not be fetched, so no token can be checked."""


def staff_groups(names: object) -> frozenset[StaffGroup]:
    """Return the known staff groups among `names`, ignoring any other."""
    if not isinstance(names, list | tuple | set | frozenset):
        return frozenset()
    known = {group.value for group in StaffGroup}
    return frozenset(StaffGroup(name) for name in names if isinstance(name, str) and name in known)
