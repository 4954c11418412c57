"""Reviewer routes: the queue, a case's file, and decisions (the reviewers group only)."""

from __future__ import annotations

from chalice import Blueprint, Response

from .. import wiring
from .auth import staff, staff_of
from .problems import problem_details, read_json
from .reports import ANY_CONTENT_TYPE, NO_STORE, public_base_url

bp = Blueprint(__name__)


@bp.route("/v1/cases", methods=["GET"], authorizer=staff)
@problem_details
def case_queue() -> Response:
    """Return one page of the queue, oldest first."""
    params = dict(bp.current_request.query_params or {})
    page = wiring.review().queue(params)
    return Response(page.model_dump(mode="json"), status_code=200, headers=NO_STORE)


@bp.route("/v1/cases/{case_id}", methods=["GET"], authorizer=staff)
@problem_details
def case_file(case_id: str) -> Response:
    """Return everything about a case."""
    found = wiring.review().case_file(case_id)
    return Response(found.model_dump(mode="json"), status_code=200, headers=NO_STORE)


@bp.route(
    "/v1/cases/{case_id}/decisions",
    methods=["POST"],
    authorizer=staff,
    content_types=ANY_CONTENT_TYPE,
)
@problem_details
def decide(case_id: str) -> Response:
    """Record a reviewer's decision on a case."""
    from ..domain.lifecycle import Actor

    request = bp.current_request
    reviewer = staff_of(request)
    outcome = wiring.review().decide(
        case_id,
        read_json(request),
        Actor(actor_id=f"reviewer:{reviewer.subject}", role="reviewer"),
        public_base_url(),
    )
    return Response(outcome.model_dump(mode="json"), status_code=201, headers=NO_STORE)
