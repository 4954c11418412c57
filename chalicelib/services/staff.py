"""Staff sign-in (whom a bearer token signs in, with the groups the pool holds now), the list of
staff names, and an admin's sign-out of a staff member."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from pydantic import Field

from ..domain.base import Model
from ..domain.clock import iso
from ..domain.errors import NotFound
from ..domain.staff import InvalidToken, Staff, StaffGroup
from ..ports import StaffDirectory, TokenVerifier, UnknownStaff

log = logging.getLogger("irc.staff")


@dataclass
class StaffSignIn:
    """Sign a staff member in: the token's signature first, then the pool's word on it.

    The ports are looked up on each sign-in (each adapter keeps its own short-lived answers), so
    a sign-out at the pool is seen as soon as those answers lapse."""

    verifier: Callable[[], TokenVerifier]
    directory: Callable[[], StaffDirectory]

    def sign_in(self, token: str) -> Staff:
        """Return whom `token` signs in, or raise InvalidToken (naming the subject once the
        token's signature holds), or IdentityUnavailable when the pool cannot be asked."""
        member = self.verifier().verify(token)
        try:
            return self.directory().confirm(token, member)
        except InvalidToken as refused:
            raise InvalidToken(refused.reason, member.subject) from None


ROSTER_MAX_AGE_SECONDS = 60.0
"""How long a list of staff read from the pool is shown again before the pool is asked anew."""
# What a Cognito username may be: 1 to 128 of these (anything else names no one, unasked).
_USERNAME = re.compile(r"[\w.@+=,-]{1,128}")


class StaffListing(Model):
    """A staff member as the console shows them: for display only, the trail keeps ids."""

    subject: str = Field(description="The staff pool's subject id, as the trail records it.")
    username: str
    groups: list[StaffGroup]
    enabled: bool


class StaffList(Model):
    """Every user of the staff pool, by username."""

    staff: list[StaffListing]


class SignedOut(Model):
    """A staff member signed out of every sign-in."""

    username: str
    signed_out_at: str


@dataclass
class StaffRoster:
    """The staff pool's users for display, and an admin's sign-out of one of them."""

    directory: Callable[[], StaffDirectory]
    clock: Callable[[], float] = time.monotonic
    now: Callable[[], datetime] = lambda: datetime.now(UTC)
    max_age: float = ROSTER_MAX_AGE_SECONDS
    _kept: tuple[float, StaffList] | None = field(default=None, init=False, repr=False)

    def staff_list(self) -> StaffList:
        """Return the pool's users with their staff groups, read at most `max_age` ago."""
        at = self.clock()
        if self._kept and 0 <= at - self._kept[0] < self.max_age:
            return self._kept[1]
        listed = StaffList(
            staff=[
                StaffListing(
                    subject=entry.subject,
                    username=entry.username,
                    groups=sorted(entry.groups),
                    enabled=entry.enabled,
                )
                for entry in sorted(self.directory().list_staff(), key=lambda e: e.username)
                # A trusted flagger is an organisation that reports, not a member of staff.
                if entry.groups != {StaffGroup.TRUSTED_FLAGGERS}
            ]
        )
        self._kept = (at, listed)
        return listed

    def sign_out(self, username: str) -> SignedOut:
        """Sign `username` out of every sign-in: their tokens are refused within a minute.
        Signing out one signed out already does it again, with the same outcome."""
        if not _USERNAME.fullmatch(username):
            raise NotFound("No staff member with this username.")
        try:
            self.directory().sign_out(username)
        except UnknownStaff:
            raise NotFound("No staff member with this username.") from None
        log.info("staff member signed out")
        return SignedOut(username=username, signed_out_at=iso(self.now()))
