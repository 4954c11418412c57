"""RFC 9457 problem details: the one way this API says that something went wrong."""

from __future__ import annotations

import functools
import json
import logging
import sys
from collections.abc import Callable
from typing import Any, TypeVar

from chalice import Response
from chalice.app import Request

from ..domain.errors import (
    CaseClaimed,
    ClaimantSuspended,
    Conflict,
    DomainError,
    FieldError,
    IdempotencyKeyReused,
    InvalidCursor,
    InvalidRequest,
    NotAllowed,
    NotFound,
    NotSignedIn,
)
from ..domain.limits import LimitReached
from .routing import mark

log = logging.getLogger("irc.api")

PROBLEM_JSON = "application/problem+json"
MAX_JSON_BODY = 64 * 1024

_STATUS: dict[type[DomainError], tuple[int, str]] = {
    InvalidCursor: (400, "invalid-cursor"),  # before its base class: the first match answers
    InvalidRequest: (422, "validation-error"),
    NotSignedIn: (401, "not-signed-in"),
    NotAllowed: (403, "not-allowed"),
    NotFound: (404, "not-found"),
    CaseClaimed: (409, "case-claimed"),  # before its base class
    Conflict: (409, "conflict"),
    IdempotencyKeyReused: (422, "idempotency-key-reused"),
    LimitReached: (429, "too-many-requests"),
    ClaimantSuspended: (403, "claimant-suspended"),
}

V = TypeVar("V", bound=Callable[..., Any])

RETRY_AFTER_SECONDS = 2
# Said of every failure after the request was read: a change may have committed, and only its
# answer been lost, so the client is told how to find out safely rather than that nothing happened.
OUTCOME_UNKNOWN = (
    "whether your request was recorded is not known. Retry it with the same Idempotency-Key: "
    "a request that was recorded is answered as it was the first time, and one that was not "
    "is carried out."
)
# Codes by which AWS says it is busy or briefly out of order: the same call may succeed soon.
_BUSY_CODES = frozenset(
    {
        "ThrottlingException",
        "Throttling",
        "ThrottledException",
        "ProvisionedThroughputExceededException",
        "RequestLimitExceeded",
        "TooManyRequestsException",
        "SlowDown",
        "RequestThrottled",
        "RequestThrottledException",
        "TransactionInProgressException",
        "TransactionConflictException",
        "InternalServerError",
        "InternalFailure",
        "InternalError",
        "ServiceUnavailable",
        "ServiceUnavailableException",
        "KMSInternalException",
    }
)
# Why DynamoDB cancels a transaction when the table, not the request, is at fault.
_BUSY_CANCELLATIONS = frozenset(
    {
        "TransactionConflict",
        "ThrottlingError",
        "ProvisionedThroughputExceeded",
        "RequestLimitExceeded",
    }
)
# KMS says LimitExceededException for its request-rate quota; elsewhere the code means a quota
# that waiting does not lift, so it counts as busy only from these (KMS) operations.
_KMS_OPERATIONS = frozenset(
    {
        "Sign",
        "Verify",
        "GetPublicKey",
        "Encrypt",
        "Decrypt",
        "ReEncrypt",
        "GenerateDataKey",
        "GenerateDataKeyWithoutPlaintext",
        "GenerateMac",
        "VerifyMac",
        "DescribeKey",
    }
)


class HttpProblem(Exception):
    """A request refused before it reaches a use case: malformed, too large, wrong type."""

    def __init__(self, status: int, slug: str, title: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.slug, self.title, self.detail = status, slug, title, detail


def problem(
    status: int,
    slug: str,
    title: str,
    detail: str,
    errors: list[FieldError] | None = None,
    extensions: dict[str, Any] | None = None,
) -> Response:
    """Return a problem details response, with the error's own members (RFC 9457 extensions)."""
    body: dict[str, Any] = {
        "type": f"/problems/{slug}",
        "title": title,
        "status": status,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = [{"field": e.field, "message": e.message, "code": e.code} for e in errors]
    # An error's own members come after and never replace the standard ones.
    body.update({k: v for k, v in (extensions or {}).items() if k not in body})
    return Response(
        body=json.dumps(body, ensure_ascii=False),
        status_code=status,
        headers={"Content-Type": PROBLEM_JSON, "Cache-Control": "no-store"},
    )


def problem_details(view: V) -> V:
    """Answer every error the view raises with problem details, never a stack trace."""

    @functools.wraps(view)
    def answer(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except HttpProblem as error:
            return problem(error.status, error.slug, error.title, error.detail)
        except DomainError as error:
            status, slug = next(
                (s for kind, s in _STATUS.items() if isinstance(error, kind)), (400, "bad-request")
            )
            answer = problem(
                status, slug, error.title, error.detail, error.errors or None, error.extensions
            )
            if isinstance(error, LimitReached):
                answer.headers["Retry-After"] = str(error.retry_after)
            return answer
        except Exception as error:
            # The message may quote request data: the log line names the type and gives the
            # frames in a field of their own (chalicelib/logs.py), never the text.
            log.error("unhandled %s", type(error).__name__, exc_info=error)
            if aws_unavailable(error):
                return unavailable_problem()
            return problem(
                500,
                "internal-error",
                "Outcome unknown",
                f"Something went wrong on our side, and {OUTCOME_UNKNOWN}",
            )

    return mark(answer, "problem")  # type: ignore[return-value]


def unavailable_problem() -> Response:
    """Return the 503 that asks the client to retry in a moment, with the same Idempotency-Key."""
    answer = problem(
        503,
        "service-unavailable",
        "Service unavailable",
        f"A service we depend on is busy or out of reach just now, and {OUTCOME_UNKNOWN} "
        f"Wait {RETRY_AFTER_SECONDS} seconds first.",
    )
    answer.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return answer


def aws_unavailable(error: BaseException) -> bool:
    """Return whether `error` is AWS being busy or out of reach, which a retry soon may get past."""
    from ..domain.staff import IdentityUnavailable

    if isinstance(error, IdentityUnavailable):
        return True  # the staff pool did not answer
    if "botocore" not in sys.modules:
        return False  # only botocore raises these, and it is loaded before it can raise one
    from botocore.exceptions import ClientError, HTTPClientError
    from botocore.exceptions import ConnectionError as EndpointUnreachable

    # Refused connections, timeouts (connect or read) and connections closed mid-answer.
    if isinstance(error, EndpointUnreachable | HTTPClientError):
        return True
    if not isinstance(error, ClientError):
        return False
    code = error.response.get("Error", {}).get("Code", "")
    if code in _BUSY_CODES:
        return True
    if code == "LimitExceededException":
        return error.operation_name in _KMS_OPERATIONS
    if code == "TransactionCanceledException":
        reasons = {r.get("Code") for r in error.response.get("CancellationReasons", [])}
        reasons -= {None, "None"}
        return bool(reasons) and reasons <= _BUSY_CANCELLATIONS
    status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
    return status in (500, 502, 503, 504)


def read_json(request: Request, max_bytes: int = MAX_JSON_BODY) -> Any:
    """Return the JSON body of `request`, or raise the HTTP problem that says what is wrong."""
    from .json_body import declares_json, parse_json

    if not declares_json(request):
        media_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
        raise HttpProblem(
            415,
            "unsupported-media-type",
            "Unsupported media type",
            f"Send the body as application/json, not {media_type or 'no content type'}.",
        )
    return parse_json(request.raw_body, max_bytes)
