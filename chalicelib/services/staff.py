"""Staff sign-in: whom a bearer token signs in, with the groups the pool holds now."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..domain.staff import InvalidToken, Staff
from ..ports import StaffDirectory, TokenVerifier


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
