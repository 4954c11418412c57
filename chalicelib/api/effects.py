"""Admin routes of the outbox: the effects the relay gave up on, and putting one back in line."""

from __future__ import annotations

from chalice import Blueprint, Response

from .. import wiring
from .auth import staff
from .problems import problem_details
from .reports import NO_STORE
from .routing import routes

bp = Blueprint(__name__)
route = routes(bp, problem_details)


@route("/v1/admin/effects", methods=["GET"], authorizer=staff)
def parked_effects() -> Response:
    """Return the parked effects, oldest first (admins)."""
    parked = wiring.relay().parked()
    return Response(parked.model_dump(mode="json"), status_code=200, headers=NO_STORE)


@route("/v1/admin/effects/{case_id}/{effect_id}/replay", methods=["POST"], authorizer=staff)
def replay_effect(case_id: str, effect_id: str) -> Response:
    """Put a parked effect back in line for fresh tries (admins)."""
    replayed = wiring.relay().replay(case_id, effect_id)
    return Response(replayed.model_dump(mode="json"), status_code=200, headers=NO_STORE)
