"""Staff routes: the names of the staff (any staff group) and an admin's sign-out of one."""

from __future__ import annotations

from chalice import Blueprint, Response

from .. import wiring
from .auth import staff
from .problems import problem_details
from .reports import NO_STORE
from .routing import routes

bp = Blueprint(__name__)
route = routes(bp, problem_details)


@route("/v1/staff", methods=["GET"], authorizer=staff)
def staff_list() -> Response:
    """Return every staff member's username and groups, for display (any staff group)."""
    listed = wiring.roster().staff_list()
    return Response(listed.model_dump(mode="json"), status_code=200, headers=NO_STORE)


@route("/v1/admin/staff/{username}/sign-out", methods=["POST"], authorizer=staff)
def sign_out(username: str) -> Response:
    """Sign a staff member out of every sign-in (admins); naturally idempotent."""
    done = wiring.roster().sign_out(username)
    return Response(done.model_dump(mode="json"), status_code=200, headers=NO_STORE)
