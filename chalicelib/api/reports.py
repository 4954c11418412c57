"""Public JSON routes of a claimant: uploads, reports, and a case's status."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint, Response

from .. import wiring
from ..config import settings
from ..domain.dsa_statements import SOURCE_ARTICLE_16, SOURCE_TRUSTED_FLAGGER, SourceType
from ..domain.errors import FieldError, NotAllowed, NotSignedIn
from ..domain.staff import InvalidToken, StaffGroup
from .problems import problem_details, read_json
from .routing import routes

if TYPE_CHECKING:
    from ..domain.base import Model

bp = Blueprint(__name__)
route = routes(bp, problem_details)

ANY_CONTENT_TYPE = ["*/*"]  # the view answers a wrong type with problem details, not Chalice
NO_STORE: dict[str, str | list[str]] = {"Cache-Control": "no-store"}
# The same answer whether or not the case exists and the address is its report's.
RECOVERY_ACCEPTED = {"accepted": True}


@route("/v1/uploads", methods=["POST"], content_types=ANY_CONTENT_TYPE)
def create_upload() -> Response:
    """Grant a presigned upload of one evidence file."""
    request = bp.current_request
    grant = wiring.intake().request_upload(read_json(request), client_address())
    return Response(grant.model_dump(mode="json"), status_code=201, headers=NO_STORE)


@route("/v1/uploads/{upload_id}/check", methods=["POST"], content_types=ANY_CONTENT_TYPE)
def check_upload(upload_id: str) -> Response:
    """Check an uploaded file at once, as a report naming it would (no body)."""
    check = wiring.intake().check_upload(upload_id)
    return Response(check.model_dump(mode="json"), status_code=200, headers=NO_STORE)


@route("/v1/reports", methods=["POST"], content_types=ANY_CONTENT_TYPE)
def submit_report() -> Response:
    """Open a case for a report and return its receipt."""
    request = bp.current_request
    base = public_base_url()
    receipt, replayed = wiring.intake().submit_report(
        read_json(request),
        request.headers.get("idempotency-key"),
        base_url=base,
        client_address=client_address(),
        source_type=notifier(request.headers.get("authorization")),
    )
    headers: dict[str, str | list[str]] = {
        **NO_STORE,
        "Location": f"{base}/v1/reports/{receipt.case_id}",
    }
    if replayed:
        headers["Idempotent-Replayed"] = "true"
    return Response(receipt.model_dump(mode="json"), status_code=201, headers=headers)


@route("/v1/reports/{case_id}", methods=["GET"])
def read_report(case_id: str) -> Response:
    """Return the claimant's view of a case to the holder of its receipt token."""
    token = bp.current_request.headers.get("x-receipt-token")
    view = wiring.intake().claimant_view(case_id, token)
    return Response(view.model_dump(mode="json"), status_code=200, headers=NO_STORE)


@route("/v1/reports/{case_id}/information", methods=["POST"], content_types=ANY_CONTENT_TYPE)
def provide_information(case_id: str) -> Response:
    """Answer a request for information with a statement and new evidence."""
    request = bp.current_request
    answer = wiring.intake().provide_information(
        case_id,
        request.headers.get("x-receipt-token"),
        read_json(request),
        request.headers.get("idempotency-key"),
    )
    return answered(answer, 200)


@route("/v1/reports/{case_id}/reposting-answer", methods=["POST"], content_types=ANY_CONTENT_TYPE)
def answer_reposting(case_id: str) -> Response:
    """Answer, once, the poster's re-posting request, for the reviewer who decides it."""
    request = bp.current_request
    answer = wiring.intake().answer_reposting(
        case_id,
        request.headers.get("x-receipt-token"),
        read_json(request),
        request.headers.get("idempotency-key"),
    )
    return answered(answer, 201)


@route("/v1/reports/{case_id}/withdrawal", methods=["POST"], content_types=ANY_CONTENT_TYPE)
def withdraw(case_id: str) -> Response:
    """Withdraw an undecided case."""
    headers = bp.current_request.headers
    answer = wiring.intake().withdraw(
        case_id, headers.get("x-receipt-token"), headers.get("idempotency-key")
    )
    return answered(answer, 200)


@route("/v1/reports/{case_id}/recovery", methods=["POST"], content_types=ANY_CONTENT_TYPE)
def request_recovery(case_id: str) -> Response:
    """Mail a one-time link to the case if the address is its report's; answer alike if not."""
    wiring.intake().request_recovery(case_id, read_json(bp.current_request), public_base_url())
    return Response(RECOVERY_ACCEPTED, status_code=202, headers=NO_STORE)


@route("/v1/notices/{case_id}", methods=["GET"])
def read_notice(case_id: str) -> Response:
    """Return the Rights Infringement Notice to the holder of its notice token."""
    token = bp.current_request.headers.get("x-notice-token")
    notice = wiring.review().notice(case_id, token)
    return Response(notice.model_dump(mode="json"), status_code=200, headers=NO_STORE)


@route("/v1/notices/{case_id}/reposting-requests", methods=["POST"], content_types=ANY_CONTENT_TYPE)
def request_reposting(case_id: str) -> Response:
    """Ask, as the poster, for blocked content to be re-posted."""
    request = bp.current_request
    answer = wiring.review().request_reposting(
        case_id,
        request.headers.get("x-notice-token"),
        read_json(request),
        public_base_url(),
        request.headers.get("idempotency-key"),
    )
    return answered(answer, 201)


@route("/v1/notices/{case_id}/appeals", methods=["POST"], content_types=ANY_CONTENT_TYPE)
def file_appeal(case_id: str) -> Response:
    """Appeal, as the restricted user, against one restriction."""
    request = bp.current_request
    answer = wiring.review().file_appeal(
        case_id,
        request.headers.get("x-notice-token"),
        read_json(request),
        request.headers.get("idempotency-key"),
    )
    return answered(answer, 201)


def notifier(authorization: str | None) -> SourceType:
    """Return who gives notice: a trusted flagger, signed in with the staff pool's verifier,
    or anyone (no token). A token that proves no sign-in is a 401, one of another group a 403."""
    if authorization is None:
        return SOURCE_ARTICLE_16
    scheme, _, token = authorization.strip().partition(" ")
    refused = NotSignedIn(
        "The Authorization header holds no valid token: send none to report as anyone.",
        [FieldError("Authorization", "is not a valid bearer token", "token")],
    )
    if scheme.lower() != "bearer" or not token.strip():
        raise refused
    try:
        member = wiring.staff().sign_in(token.strip())
    except InvalidToken:
        raise refused from None
    if StaffGroup.TRUSTED_FLAGGERS not in member.groups:
        raise NotAllowed(
            "Only trusted flaggers report with a token: send none to report as anyone.",
            [FieldError("Authorization", "is not a trusted flagger's token", "group")],
        )
    return SOURCE_TRUSTED_FLAGGER


def answered(answer: tuple[Model, bool], status_code: int) -> Response:
    """Return a state-changing request's answer; a replay of its first answer says so."""
    value, replayed = answer
    headers: dict[str, str | list[str]] = dict(NO_STORE)
    if replayed:
        headers["Idempotent-Replayed"] = "true"
    return Response(value.model_dump(mode="json"), status_code=status_code, headers=headers)


def client_address() -> str | None:
    """Return the address the request came from as API Gateway saw it (no header can set it)."""
    identity = (bp.current_request.context or {}).get("identity") or {}
    address = identity.get("sourceIp")
    return str(address) if address else None


def public_base_url() -> str:
    """Return the address claimants reach the service at: configured, never a request's Host."""
    return settings().public_base_url
