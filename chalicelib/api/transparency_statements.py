"""The auditors' route that exports statements of reasons for the DSA Transparency Database."""

from __future__ import annotations

from chalice import Blueprint, Response

from .. import wiring
from .auth import staff
from .problems import problem_details
from .reports import NO_STORE
from .routing import routes

bp = Blueprint(__name__)
route = routes(bp, problem_details)


@route("/v1/transparency/statements", methods=["GET"], authorizer=staff)
def statements() -> Response:
    """Return one page of statements of reasons of a time range's decisions, and the refused."""
    params: dict[str, str] = dict(bp.current_request.query_params or {})
    return Response(
        wiring.statements().page(params).model_dump(mode="json"), status_code=200, headers=NO_STORE
    )
