"""Routes of the unfounded-notices policy: reviewers suspend and lift, the claimant contests."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint, Response

from .. import wiring
from .auth import staff, staff_of
from .problems import problem_details, read_json
from .reports import ANY_CONTENT_TYPE, answered, public_base_url
from .routing import routes

if TYPE_CHECKING:
    from ..domain.lifecycle import Actor

bp = Blueprint(__name__)
route = routes(bp, problem_details)


def _reviewer() -> Actor:
    from ..domain.claims import reviewer_id
    from ..domain.lifecycle import Actor

    return Actor(actor_id=reviewer_id(staff_of(bp.current_request).subject), role="reviewer")


@route(
    "/v1/claimants/suspensions",
    methods=["POST"],
    authorizer=staff,
    content_types=ANY_CONTENT_TYPE,
)
def suspend_claimant() -> Response:
    """Suspend new reports from a case's claimant for a time, with a statement of reasons."""
    request = bp.current_request
    answer = wiring.review().suspend_claimant(
        read_json(request), _reviewer(), public_base_url(), request.headers.get("idempotency-key")
    )
    return answered(answer, 201)


@route(
    "/v1/claimants/suspensions/{case_id}/lift",
    methods=["POST"],
    authorizer=staff,
    content_types=ANY_CONTENT_TYPE,
)
def lift_suspension(case_id: str) -> Response:
    """Lift the suspension decided on a case before its end."""
    request = bp.current_request
    answer = wiring.review().lift_suspension(
        case_id, read_json(request), _reviewer(), request.headers.get("idempotency-key")
    )
    return answered(answer, 201)


@route(
    "/v1/claimants/suspensions/{case_id}/contest",
    methods=["POST"],
    content_types=ANY_CONTENT_TYPE,
)
def contest_suspension(case_id: str) -> Response:
    """Record the claimant's contest of the suspension decided on their case."""
    request = bp.current_request
    answer = wiring.intake().contest_suspension(
        case_id,
        request.headers.get("x-receipt-token"),
        read_json(request),
        request.headers.get("idempotency-key"),
    )
    return answered(answer, 201)
