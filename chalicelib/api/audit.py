"""Auditor routes, read-only (query, export, prove, verify), and the admins' erasure route."""

from __future__ import annotations

from chalice import Blueprint, Response

from .. import wiring
from .auth import staff, staff_of
from .problems import problem_details
from .reports import NO_STORE, answered
from .routing import routes

bp = Blueprint(__name__)
route = routes(bp, problem_details)


@route("/v1/audit/events", methods=["GET"], authorizer=staff)
def audit_events() -> Response:
    """Return one page of audit events, by case, by actor, or by time."""
    params = dict(bp.current_request.query_params or {})
    page = wiring.audit().events(params)
    return Response(page.model_dump(mode="json"), status_code=200, headers=NO_STORE)


@route("/v1/audit/checkpoints", methods=["GET"], authorizer=staff)
def checkpoints() -> Response:
    """Return the sealed checkpoints, in order, and the public key that verifies them."""
    params: dict[str, str] = dict(bp.current_request.query_params or {})
    listed = wiring.audit().checkpoints(params)
    return Response(listed.model_dump(mode="json"), status_code=200, headers=NO_STORE)


@route("/v1/audit/events/{event_id}/proof", methods=["GET"], authorizer=staff)
def proof(event_id: str) -> Response:
    """Return an event's inclusion proof against the checkpoint that holds it."""
    found = wiring.audit().proof(event_id)
    return Response(found.model_dump(mode="json"), status_code=200, headers=NO_STORE)


@route("/v1/audit/export", methods=["GET"], authorizer=staff)
def export() -> Response:
    """Return a time range's events as JSON Lines or CSV, or a link when the export is large.

    When the range did not fit one request, the answer points at the rest: `next` (and a
    `Link: <...>; rel="next"` header) is the same export taken up where this one stopped.
    """
    from urllib.parse import urlencode

    params: dict[str, str] = dict(bp.current_request.query_params or {})
    done = wiring.audit().export(params)
    following = None
    headers = dict(NO_STORE)
    if done.next_cursor:
        following = "/v1/audit/export?" + urlencode({**params, "cursor": done.next_cursor})
        headers["Link"] = f'<{following}>; rel="next"'
    if done.body is None:
        answer = {
            "events": done.events,
            "url": done.url,
            "filename": done.filename,
            "next_cursor": done.next_cursor,
            "next": following,
        }
        return Response(answer, status_code=200, headers=headers)
    return Response(
        done.body.decode(),
        status_code=200,
        headers={
            **headers,
            "Content-Type": done.content_type,
            "Content-Disposition": f'attachment; filename="{done.filename}"',
        },
    )


@route("/v1/audit/verify", methods=["GET"], authorizer=staff)
def verify() -> Response:
    """Verify one case's trail, or a time range's events and checkpoints; name the first fault."""
    params: dict[str, str] = dict(bp.current_request.query_params or {})
    summary = wiring.audit().verify(params)
    return Response(summary.model_dump(mode="json"), status_code=200, headers=NO_STORE)


@route("/v1/admin/cases/{case_id}/erasure", methods=["POST"], authorizer=staff)
def erase(case_id: str) -> Response:
    """Erase a closed case's personal data (admins)."""
    from ..domain.lifecycle import Actor

    request = bp.current_request
    admin = staff_of(request)
    answer = wiring.review().erase(
        case_id, Actor(f"admin:{admin.subject}", "admin"), request.headers.get("idempotency-key")
    )
    return answered(answer, 201)
