"""Auditor routes, read-only: query the trail and verify a case (the auditors group only)."""

from __future__ import annotations

from chalice import Blueprint, Response

from .. import wiring
from .auth import staff
from .problems import problem_details
from .reports import NO_STORE

bp = Blueprint(__name__)


@bp.route("/v1/audit/events", methods=["GET"], authorizer=staff)
@problem_details
def audit_events() -> Response:
    """Return one page of audit events, by case, by actor, or by time."""
    params = dict(bp.current_request.query_params or {})
    page = wiring.audit().events(params)
    return Response(page.model_dump(mode="json"), status_code=200, headers=NO_STORE)


@bp.route("/v1/audit/verify", methods=["GET"], authorizer=staff)
@problem_details
def verify() -> Response:
    """Verify one case's trail: its chain and each sealed event's inclusion in a checkpoint."""
    from ..domain.errors import FieldError, InvalidRequest

    params: dict[str, str] = dict(bp.current_request.query_params or {})
    case_id = params.get("case_id")
    if not case_id:
        raise InvalidRequest("Name the case to verify.", [FieldError("case_id", "is required")])
    summary = wiring.audit().verify_case(case_id)
    return Response(summary.model_dump(mode="json"), status_code=200, headers=NO_STORE)
