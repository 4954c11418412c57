"""Reviewer routes: the work queues and their counts, claims, a case's file, decisions, their
preview and their rules, and internal notes (the reviewers group only)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint, Response
from chalice.app import Request

from .. import wiring
from .auth import staff, staff_of
from .problems import problem_details, read_json
from .reports import ANY_CONTENT_TYPE, NO_STORE, answered, public_base_url
from .routing import routes

if TYPE_CHECKING:
    from ..domain.lifecycle import Actor

bp = Blueprint(__name__)
route = routes(bp, problem_details)


@route("/v1/cases", methods=["GET"], authorizer=staff)
def case_queue() -> Response:
    """Return one page of the queue, oldest first."""
    params = dict(bp.current_request.query_params or {})
    page = wiring.review().queue(params)
    return Response(page.model_dump(mode="json"), status_code=200, headers=NO_STORE)


@route("/v1/cases/counts", methods=["GET"], authorizer=staff)
def case_counts() -> Response:
    """Count the cases of each work queue, and those overdue."""
    params = dict(bp.current_request.query_params or {})
    counts = wiring.review().counts(params)
    return Response(counts.model_dump(mode="json"), status_code=200, headers=NO_STORE)


@route(
    "/v1/cases/{case_id}/claim", methods=["POST"], authorizer=staff, content_types=ANY_CONTENT_TYPE
)
def claim_case(case_id: str) -> Response:
    """Claim a case for the caller, or renew their claim."""
    member = staff_of(bp.current_request)
    held = wiring.review().claim(case_id, member.subject, member.username)
    return Response(held.model_dump(mode="json"), status_code=200, headers=NO_STORE)


@route("/v1/cases/{case_id}/claim", methods=["DELETE"], authorizer=staff)
def release_case(case_id: str) -> Response:
    """Release the caller's claim on a case."""
    held = wiring.review().release(case_id, staff_of(bp.current_request).subject)
    return Response(held.model_dump(mode="json"), status_code=200, headers=NO_STORE)


@route("/v1/cases/{case_id}", methods=["GET"], authorizer=staff)
def case_file(case_id: str) -> Response:
    """Return everything about a case."""
    found = wiring.review().case_file(case_id)
    return Response(found.model_dump(mode="json"), status_code=200, headers=NO_STORE)


@route(
    "/v1/cases/{case_id}/decisions",
    methods=["POST"],
    authorizer=staff,
    content_types=ANY_CONTENT_TYPE,
)
def decide(case_id: str) -> Response:
    """Record a reviewer's decision on a case."""
    request = bp.current_request
    answer = wiring.review().decide(
        case_id,
        read_json(request),
        _reviewer(request),
        public_base_url(),
        request.headers.get("idempotency-key"),
    )
    return answered(answer, 201)


@route(
    "/v1/cases/{case_id}/decision-preview",
    methods=["POST"],
    authorizer=staff,
    content_types=ANY_CONTENT_TYPE,
)
def preview_decision(case_id: str) -> Response:
    """Return what each side would read of a decision if it were sent; record nothing."""
    request = bp.current_request
    preview = wiring.review().preview_decision(
        case_id, read_json(request), _reviewer(request), public_base_url()
    )
    return Response(preview.model_dump(mode="json"), status_code=200, headers=NO_STORE)


@route("/v1/decision-rules", methods=["GET"], authorizer=staff)
def decision_rules() -> Response:
    """Return what a decision may say: measures, limits, grounds and reason templates."""
    from ..services.review import decision_rules as rules

    return Response(rules().model_dump(mode="json"), status_code=200, headers=NO_STORE)


@route(
    "/v1/cases/{case_id}/reposting-decision",
    methods=["POST"],
    authorizer=staff,
    content_types=ANY_CONTENT_TYPE,
)
def decide_reposting(case_id: str) -> Response:
    """Reinstate the content or uphold the block, on the poster's re-posting request."""
    request = bp.current_request
    answer = wiring.review().decide_reposting(
        case_id,
        read_json(request),
        _reviewer(request),
        public_base_url(),
        request.headers.get("idempotency-key"),
    )
    return answered(answer, 201)


@route(
    "/v1/cases/{case_id}/appeal-decisions",
    methods=["POST"],
    authorizer=staff,
    content_types=ANY_CONTENT_TYPE,
)
def decide_appeal(case_id: str) -> Response:
    """Lift or uphold a restriction that its user appealed."""
    request = bp.current_request
    answer = wiring.review().decide_appeal(
        case_id,
        read_json(request),
        _reviewer(request),
        public_base_url(),
        request.headers.get("idempotency-key"),
    )
    return answered(answer, 201)


@route(
    "/v1/cases/{case_id}/notes",
    methods=["POST"],
    authorizer=staff,
    content_types=ANY_CONTENT_TYPE,
)
def add_note(case_id: str) -> Response:
    """Write down an internal note on a case for other staff (never shown outside the staff)."""
    request = bp.current_request
    member = staff_of(request)
    answer = wiring.review().add_note(
        case_id,
        read_json(request),
        (member.subject, member.username),
        request.headers.get("idempotency-key"),
    )
    return answered(answer, 201)


def _reviewer(request: Request) -> Actor:
    from ..domain.claims import reviewer_id
    from ..domain.lifecycle import Actor

    return Actor(actor_id=reviewer_id(staff_of(request).subject), role="reviewer")
