"""Staff sign-in: whom a bearer token signs in, with the groups the pool holds now."""

from __future__ import annotations

from ..adapters.identity import verifier
from ..adapters.staff_pool import directory
from ..domain.staff import InvalidToken, Staff


def sign_in(token: str) -> Staff:
    """Return whom `token` signs in, or raise InvalidToken (naming the subject once the token's
    signature holds), or IdentityUnavailable when the pool cannot be asked."""
    member = verifier().verify(token)
    try:
        return directory().confirm(token, member)
    except InvalidToken as refused:
        raise InvalidToken(refused.reason, member.subject) from None
