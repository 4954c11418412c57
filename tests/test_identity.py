"""Only an unexpired access token of our staff pool and app client, signed by the pool, passes."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import subprocess
import sys
import time
from collections.abc import Callable

import boto3
import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from chalicelib.adapters.identity import (
    LEEWAY_SECONDS,
    IdentityUnavailable,
    InvalidToken,
    StaffGroup,
    TokenVerifier,
    verifier,
)
from chalicelib.config import settings
from tests.conftest import (
    JwksServer,
    access_claims,
    foreign_pool_token,
    mint_token,
    moto_jwk,
    sign_in,
    stranger_jwk,
    unsigned_token,
)
from tests.localstack import free_port
from tools.provision import LocalStack


def now() -> int:
    """Return the time as a token states it, when the token is made (not when tests load)."""
    return int(time.time())


def verifier_for(
    stack: LocalStack, jwks: JwksServer, refresh_cooldown: float = 30.0
) -> TokenVerifier:
    """Return a verifier of the stack's pool with its own key cache, reading `jwks`."""
    return TokenVerifier(
        jwks_url=jwks.url,
        issuer=settings().token_issuer,
        client_id=stack.environment["USER_POOL_CLIENT_ID"],
        refresh_cooldown=refresh_cooldown,
    )


def other_client_token(stack: LocalStack) -> str:
    """Return an access token of the demo reviewer, issued to another app client of our pool."""
    cognito = boto3.client("cognito-idp")
    pool_id = stack.environment["USER_POOL_ID"]
    client_id = cognito.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="other-app",
        ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH"],
    )["UserPoolClient"]["ClientId"]
    user = stack.demo_users["reviewer"]
    result = cognito.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": user["username"], "PASSWORD": user["password"]},
    )
    return str(result["AuthenticationResult"]["AccessToken"])


def hs256_with_the_public_key(stack: LocalStack) -> str:
    """Return a token MACed with the pool's public key as an HMAC secret (algorithm confusion)."""
    public_key = jwt.PyJWK(moto_jwk("public")).key
    secret = public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = {"alg": "HS256", "typ": "JWT", "kid": "dummy"}
    unsigned = unsigned_token(header, access_claims(stack)).rsplit(".", 1)[0]
    signature = hmac.new(secret, unsigned.encode(), hashlib.sha256).digest()
    return unsigned_token(header, access_claims(stack), signature)


NOT_A_JWT = "not a JWT"
ALGORITHM = "algorithm not allowed"
OTHER_POOL = "issued by another pool"
OTHER_CLIENT = "issued to another app client"
MISSING = "a required claim is missing"

# What each token is, and the check that must stop it.
REFUSED: dict[str, tuple[Callable[[LocalStack], str], str]] = {
    "signed by another key": (
        lambda s: mint_token(access_claims(s), stranger_jwk()),
        "bad signature",
    ),
    "alg none": (
        lambda s: unsigned_token({"alg": "none", "typ": "JWT"}, access_claims(s)),
        ALGORITHM,
    ),
    "alg none with a kid": (
        lambda s: unsigned_token({"alg": "none", "kid": "dummy"}, access_claims(s)),
        ALGORITHM,
    ),
    "HS256 with the public key as secret": (hs256_with_the_public_key, ALGORITHM),
    "expired an hour ago": (
        lambda s: mint_token(access_claims(s, iat=now() - 7200, exp=now() - 3600)),
        "expired",
    ),
    "expired beyond the leeway": (
        lambda s: mint_token(access_claims(s, iat=now() - 600, exp=now() - LEEWAY_SECONDS - 5)),
        "expired",
    ),
    "issued in the future": (
        lambda s: mint_token(access_claims(s, iat=now() + 600)),
        "issued in the future",
    ),
    "without exp": (lambda s: mint_token(access_claims(s, exp=None)), MISSING),
    "without iat": (lambda s: mint_token(access_claims(s, iat=None)), MISSING),
    "without a subject": (lambda s: mint_token(access_claims(s, sub=None)), MISSING),
    "without a username": (
        lambda s: mint_token(access_claims(s, username=None)),
        "no subject or username",
    ),
    "of another pool (same signing key)": (lambda s: foreign_pool_token(), OTHER_POOL),
    "naming another pool as issuer": (
        lambda s: mint_token(
            access_claims(s, iss="https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Another")
        ),
        OTHER_POOL,
    ),
    "an id token": (lambda s: sign_in(s, "reviewer", "IdToken"), "not an access token"),
    "for another app client": (other_client_token, OTHER_CLIENT),
    "naming another app client": (
        lambda s: mint_token(access_claims(s, client_id="another")),
        OTHER_CLIENT,
    ),
    "without a client id": (lambda s: mint_token(access_claims(s, client_id=None)), OTHER_CLIENT),
    "signed under an unknown key id": (
        lambda s: mint_token(access_claims(s), header={"kid": "gone"}),
        "unknown signing key",
    ),
    "empty": (lambda s: "", "empty or oversized"),
    "oversized": (
        lambda s: mint_token(access_claims(s, padding="x" * 9000)),
        "empty or oversized",
    ),
    "not a JWT": (lambda s: "not-a-jwt", NOT_A_JWT),
    "three dots of nothing": (lambda s: "a.b.c", NOT_A_JWT),
    "a claimant's receipt token": (lambda s: secrets.token_urlsafe(32), NOT_A_JWT),
    "a whole bearer header": (lambda s: "Bearer " + sign_in(s, "reviewer"), NOT_A_JWT),
}


def refusal(token: str) -> str:
    """Return why the app's verifier refuses `token`, or "accepted"."""
    try:
        verifier().verify(token)
    except InvalidToken as refused:
        return refused.reason
    return "accepted"


@pytest.mark.parametrize(
    ("role", "group"),
    [
        ("reviewer", StaffGroup.REVIEWERS),
        ("auditor", StaffGroup.AUDITORS),
        ("admin", StaffGroup.ADMINS),
    ],
)
def test_a_demo_users_access_token_verifies_with_its_group(
    aws: LocalStack, role: str, group: StaffGroup
) -> None:
    staff = verifier().verify(sign_in(aws, role))

    assert staff.username == f"demo-{role}"
    assert staff.groups == {group}
    user = boto3.client("cognito-idp").admin_get_user(
        UserPoolId=aws.environment["USER_POOL_ID"], Username=f"demo-{role}"
    )
    assert staff.subject == next(a["Value"] for a in user["UserAttributes"] if a["Name"] == "sub")


def test_only_the_known_groups_are_kept(aws: LocalStack) -> None:
    claims = access_claims(aws, **{"cognito:groups": ["reviewers", "superusers", "admins", 7]})

    assert verifier().verify(mint_token(claims)).groups == {StaffGroup.REVIEWERS, StaffGroup.ADMINS}
    assert (
        verifier().verify(mint_token(access_claims(aws, **{"cognito:groups": None}))).groups
        == set()
    )


def test_a_token_within_the_leeway_of_its_expiry_still_verifies(aws: LocalStack) -> None:
    token = mint_token(access_claims(aws, iat=now() - 3600, exp=now() - 2))

    assert verifier().verify(token).username == "demo-reviewer"


def test_each_token_that_proves_no_staff_sign_in_is_refused_by_the_right_check(
    aws: LocalStack,
) -> None:
    # Each token is verified as soon as it is made: its times are read then, so however slow the
    # run, a token "issued in the future" is still ahead and one "expired" is still behind.
    reasons = {name: refusal(token_of(aws)) for name, (token_of, _) in REFUSED.items()}

    assert reasons == {name: reason for name, (_, reason) in REFUSED.items()}


def test_signing_keys_are_fetched_once_for_many_tokens(
    aws: LocalStack, jwks_server: JwksServer
) -> None:
    checker = verifier_for(aws, jwks_server)

    for role in ("reviewer", "auditor", "admin", "reviewer"):
        checker.verify(sign_in(aws, role))

    assert jwks_server.fetches == 1


def test_an_unknown_key_id_refetches_the_keys_once_and_finds_a_rotated_key(
    aws: LocalStack, jwks_server: JwksServer
) -> None:
    checker = verifier_for(aws, jwks_server, refresh_cooldown=0)
    checker.verify(sign_in(aws, "reviewer"))
    rotated = {**stranger_jwk(), "kid": "rotated"}
    public = {name: rotated[name] for name in ("kty", "n", "e", "kid")}
    jwks_server.keys.append({**public, "alg": "RS256", "use": "sig"})
    token = mint_token(access_claims(aws), rotated, header={"kid": "rotated"})

    assert checker.verify(token).username == "demo-reviewer"
    assert jwks_server.fetches == 2
    checker.verify(token)
    checker.verify(sign_in(aws, "reviewer"))
    assert jwks_server.fetches == 2


def test_a_key_id_still_unknown_after_the_refetch_is_refused(
    aws: LocalStack, jwks_server: JwksServer
) -> None:
    checker = verifier_for(aws, jwks_server, refresh_cooldown=0)
    checker.verify(sign_in(aws, "reviewer"))

    with pytest.raises(InvalidToken, match="unknown signing key"):
        checker.verify(mint_token(access_claims(aws), header={"kid": "made-up"}))
    assert jwks_server.fetches == 2


def test_made_up_key_ids_cannot_make_every_request_fetch_the_keys(
    aws: LocalStack, jwks_server: JwksServer
) -> None:
    checker = verifier_for(aws, jwks_server)
    checker.verify(sign_in(aws, "reviewer"))

    for n in range(5):
        with pytest.raises(InvalidToken):
            checker.verify(mint_token(access_claims(aws), header={"kid": f"made-up-{n}"}))

    assert jwks_server.fetches == 1


def test_unreachable_signing_keys_are_an_outage_not_a_refusal(aws: LocalStack) -> None:
    checker = TokenVerifier(
        jwks_url=f"http://127.0.0.1:{free_port()}/.well-known/jwks.json",
        issuer=settings().token_issuer,
        client_id=aws.environment["USER_POOL_CLIENT_ID"],
    )

    with pytest.raises(IdentityUnavailable):
        checker.verify(sign_in(aws, "reviewer"))


def test_the_keys_and_issuer_default_to_the_pools_cognito_addresses(
    monkeypatch: pytest.MonkeyPatch, aws: LocalStack
) -> None:
    monkeypatch.delenv("JWKS_URL")
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-northeast-2")
    monkeypatch.setenv("USER_POOL_ID", "ap-northeast-2_Example")
    settings.cache_clear()

    configured = settings()

    issuer = "https://cognito-idp.ap-northeast-2.amazonaws.com/ap-northeast-2_Example"
    assert configured.token_issuer == issuer
    assert configured.jwks_url == f"{issuer}/.well-known/jwks.json"
    settings.cache_clear()


def test_importing_the_app_builds_no_verifier_and_loads_no_token_library() -> None:
    probe = (
        "import json, sys, app; print(json.dumps(sorted(m for m in sys.modules"
        " if m.split('.')[0] in ('jwt', 'cryptography'))))"
    )

    loaded = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    assert json.loads(loaded) == []
