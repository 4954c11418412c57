"""No route can answer an error without the error seam: every view is registered inside it."""

from __future__ import annotations

from typing import Any

import pytest
from chalice import Blueprint

from chalicelib.api.problems import problem_details
from chalicelib.api.routing import routes, seam_of


def test_every_route_of_the_app_is_registered_inside_an_error_seam() -> None:
    from app import app

    unseamed = [
        f"{method} {path}"
        for path, methods in app.routes.items()
        for method, entry in methods.items()
        if seam_of(entry.view_function) not in {"problem", "page"}
    ]
    assert len(app.routes) > 20
    assert unseamed == []


def test_json_routes_answer_in_problem_details_and_pages_in_pages() -> None:
    from app import app

    kinds = {
        path: {seam_of(entry.view_function) for entry in methods.values()}
        for path, methods in app.routes.items()
    }
    assert kinds["/v1/reports"] == {"problem"}
    assert kinds["/v1/cases/{case_id}/decisions"] == {"problem"}
    assert kinds["/status"] == {"page"}
    assert kinds["/notices/{case_id}"] == {"page"}


def test_a_seam_that_does_not_mark_its_views_is_refused_at_registration() -> None:
    route = routes(Blueprint("loose"), lambda view: view)

    with pytest.raises(TypeError, match="error seam"):
        route("/loose", methods=["GET"])(lambda: None)


def test_a_registered_view_answers_an_unexpected_error_in_problem_details() -> None:
    bp = Blueprint("failing")
    route = routes(bp, problem_details)

    @route("/boom", methods=["GET"])
    def boom() -> None:
        raise RuntimeError("the claimant's address is 1 Main St")

    answer: Any = boom()
    assert answer.status_code == 500
    assert answer.headers["Content-Type"] == "application/problem+json"
    assert "Main St" not in answer.body
