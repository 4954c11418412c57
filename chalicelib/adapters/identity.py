"""Staff identities: verify a Cognito access token and say who sent it and in which groups."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

# Who a staff member is lives in the domain; the names stay importable from here.
from ..domain.staff import IdentityUnavailable as IdentityUnavailable
from ..domain.staff import InvalidToken as InvalidToken
from ..domain.staff import Staff as Staff
from ..domain.staff import StaffGroup as StaffGroup
from ..domain.staff import staff_groups as staff_groups

if TYPE_CHECKING:
    from jwt import PyJWK, PyJWKClient

ALGORITHM = "RS256"
LEEWAY_SECONDS = 10
MAX_TOKEN_CHARS = 8192
KEYS_LIFESPAN_SECONDS = 3600.0
REFRESH_COOLDOWN_SECONDS = 30.0
FETCH_TIMEOUT_SECONDS = 5.0
REQUIRED_CLAIMS = ["exp", "iat", "iss", "sub", "token_use"]


class TokenVerifier:
    """Check Cognito access tokens against the pool's published keys, fetched once and cached."""

    def __init__(
        self,
        *,
        jwks_url: str,
        issuer: str,
        client_id: str,
        leeway: float = LEEWAY_SECONDS,
        refresh_cooldown: float = REFRESH_COOLDOWN_SECONDS,
    ) -> None:
        from jwt import PyJWKClient

        self.issuer = issuer
        self.client_id = client_id
        self.leeway = leeway
        # An unknown kid forces a refetch (keys rotate), at most once per cooldown, so tokens
        # with made-up kids cannot turn every request into a fetch.
        self._keys: PyJWKClient = PyJWKClient(
            jwks_url,
            cache_jwk_set=True,
            lifespan=KEYS_LIFESPAN_SECONDS,
            cooldown_duration=refresh_cooldown,
            timeout=FETCH_TIMEOUT_SECONDS,
        )

    def verify(self, token: str) -> Staff:
        """Return the staff member `token` signs in, or raise InvalidToken saying why not."""
        import jwt

        if not token or len(token) > MAX_TOKEN_CHARS:
            raise InvalidToken("empty or oversized")
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError:
            raise InvalidToken("not a JWT") from None
        if header.get("alg") != ALGORITHM:
            raise InvalidToken("algorithm not allowed")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise InvalidToken("no key id")
        key = self._signing_key(kid)
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=[ALGORITHM],
                issuer=self.issuer,
                leeway=self.leeway,
                # Cognito access tokens carry no aud; client_id is checked below instead.
                options={"require": REQUIRED_CLAIMS, "verify_aud": False},
            )
        except jwt.InvalidTokenError as error:
            raise InvalidToken(_refusal(error)) from None
        return self._staff(claims)

    def _signing_key(self, kid: str) -> PyJWK:
        from jwt import PyJWKClientConnectionError, PyJWKClientError, PyJWKSetError

        try:
            return self._keys.get_signing_key(kid)
        except PyJWKClientConnectionError as error:
            raise IdentityUnavailable("the pool's signing keys cannot be fetched") from error
        except PyJWKSetError as error:
            raise IdentityUnavailable("the pool published no usable signing keys") from error
        except PyJWKClientError:
            raise InvalidToken("unknown signing key") from None

    def _staff(self, claims: dict[str, Any]) -> Staff:
        # Only access tokens authorize calls; an ID token describes the user to the client app.
        if claims["token_use"] != "access":  # noqa: S105 (a claim value, not a secret)
            raise InvalidToken("not an access token")
        if claims.get("client_id") != self.client_id:
            raise InvalidToken("issued to another app client")
        subject, username = claims["sub"], claims.get("username")
        if not isinstance(subject, str) or not subject or not isinstance(username, str):
            raise InvalidToken("no subject or username")
        return Staff(
            subject=subject,
            username=username,
            groups=staff_groups(claims.get("cognito:groups")),
        )


def _refusal(error: Exception) -> str:
    """Say why PyJWT refused a token, in words that quote nothing from the token."""
    import jwt

    reasons: list[tuple[type[Exception], str]] = [
        (jwt.ExpiredSignatureError, "expired"),
        (jwt.ImmatureSignatureError, "issued in the future"),
        (jwt.InvalidIssuerError, "issued by another pool"),
        (jwt.InvalidSignatureError, "bad signature"),
        (jwt.MissingRequiredClaimError, "a required claim is missing"),
    ]
    return next((reason for kind, reason in reasons if isinstance(error, kind)), "malformed")


def verifier() -> TokenVerifier:
    """Return the verifier of this deployment's staff pool (built on first use)."""
    from ..config import settings

    configured = settings()
    return _verifier(configured.jwks_url, configured.token_issuer, configured.user_pool_client_id)


@lru_cache(maxsize=4)
def _verifier(jwks_url: str, issuer: str, client_id: str) -> TokenVerifier:
    return TokenVerifier(jwks_url=jwks_url, issuer=issuer, client_id=client_id)


def reset_verifiers() -> None:
    """Forget the verifiers built so far, and the keys they fetched (tests change the pool)."""
    _verifier.cache_clear()
