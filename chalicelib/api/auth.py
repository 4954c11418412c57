"""Staff sign-in: the token authorizer of the staff routes, and who the caller is."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from chalice import AuthResponse, AuthRoute, Blueprint
from chalice.app import AuthRequest, Request

from .. import wiring
from ..domain.staff import IdentityUnavailable, InvalidToken, Staff, staff_groups
from .access import routes_open_to

bp = Blueprint(__name__)
log = logging.getLogger("irc.auth")

# API Gateway answers 401 only when a TOKEN authorizer fails with exactly this message.
UNAUTHORIZED = "Unauthorized"
# API Gateway caches a token's policy this long, so a policy lists every route the token may call.
POLICY_TTL_SECONDS = 30
# A sign-out, a disabled user or a removed group in the pool takes effect within 60 s: the gateway
# reuses a policy for POLICY_TTL_SECONDS, built on an answer of the pool at most
# ANSWER_MAX_AGE_SECONDS (adapters/staff_pool.py) old.
_PATH_PARAMETER = re.compile(r"\{[^}/]+\}")


@bp.authorizer(name="staff_authorizer", ttl_seconds=POLICY_TTL_SECONDS)
def staff(auth_request: AuthRequest) -> AuthResponse | dict[str, Any]:
    """Let a signed-in staff member through to the routes their groups may call."""
    scheme, _, token = (auth_request.token or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        log.info("staff token refused: no bearer token")
        raise _unauthorized()
    try:
        member = _signed_in(token.strip())
    except IdentityUnavailable as outage:
        # Fail closed: the gateway answers 500 (AUTHORIZER_FAILURE or _CONFIGURATION_ERROR, both
        # "could not be checked") and caches no policy.
        log.error("staff token not checked: %s", outage)
        raise
    context = {"username": member.username, "groups": ",".join(sorted(member.groups))}
    routes: list[str | AuthRoute] = [
        AuthRoute(_PATH_PARAMETER.sub("*", path), [method])
        for method, path in routes_open_to(member.groups)
    ]
    if not routes:
        return _deny_everything(auth_request, member.subject, context)
    return AuthResponse(routes=routes, principal_id=member.subject, context=context)


def _signed_in(token: str) -> Staff:
    """Return whom `token` signs in, with the groups the pool holds now, or raise 401."""
    try:
        return wiring.staff().sign_in(token)
    except InvalidToken as refused:
        if refused.subject is None:
            log.info("staff token refused: %s", refused.reason)
        else:
            log.info("staff token of subject %s refused: %s", refused.subject, refused.reason)
        raise _unauthorized() from None


def staff_of(request: Request) -> Staff:
    """Return the staff member whom the authorizer let through on this request."""
    context: Mapping[str, Any] = (request.context or {}).get("authorizer") or {}
    subject = context.get("principalId")
    if not isinstance(subject, str) or not subject:
        raise RuntimeError("this route has no staff authorizer")
    return Staff(
        subject=subject,
        username=str(context.get("username", "")),
        groups=staff_groups(str(context.get("groups", "")).split(",")),
    )


def _deny_everything(
    auth_request: AuthRequest, subject: str, context: dict[str, str]
) -> dict[str, Any]:
    # An Allow statement with no resource is not a valid policy; a signed-in member of no known
    # group gets an explicit Deny of every method and path of this API instead.
    *head, api = auth_request.method_arn.split(":", 5)
    api_id, stage = api.split("/")[:2]
    return {
        "principalId": subject,
        "context": context,
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Action": "execute-api:Invoke",
                    "Effect": "Deny",
                    "Resource": [":".join([*head, f"{api_id}/{stage}/*"])],
                }
            ],
        },
    }


def _unauthorized() -> Exception:
    return _unauthorized_type()(UNAUTHORIZED)


@cache
def _unauthorized_type() -> type[Exception]:
    """Return the exception that both API Gateway and Chalice's local gateway answer with 401."""
    try:
        from chalice.local import NotAuthorizedError
    except ImportError:  # chalice.local is a development module; Lambda has only chalice.app
        return Exception

    class LocalUnauthorized(NotAuthorizedError):
        def __init__(self, message: str) -> None:
            super().__init__(
                {"x-amzn-ErrorType": "UnauthorizedException"}, b'{"message":"Unauthorized"}'
            )
            self.args = (message,)

    return LocalUnauthorized
