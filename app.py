"""The Infringement Report Center: the Chalice app, its blueprints and its response seam."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from chalice import Chalice, Response

from chalicelib.api import auth, cases, openapi, pages, reports
from chalicelib.api.problems import PROBLEM_JSON, problem

app = Chalice(app_name="infringement-report-center")
logging.getLogger("irc").setLevel(logging.INFO)  # case ids and counts only: never personal data
app.register_blueprint(auth.bp)
app.register_blueprint(reports.bp)
app.register_blueprint(cases.bp)
app.register_blueprint(pages.bp)
app.register_blueprint(openapi.bp)

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
    "Cross-Origin-Opener-Policy": "same-origin",
}
DEFAULT_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"


@app.middleware("http")
def response_seam(event: Any, get_response: Callable[[Any], Response]) -> Response:
    """Add the security headers, and turn Chalice's own error bodies into problem details."""
    response = get_response(event)
    if response.status_code >= 400 and _is_chalice_error(response):
        body = response.body if isinstance(response.body, dict) else {}
        response = problem(
            response.status_code,
            str(body.get("Code", "error")),
            str(body.get("Code", "Error")),
            str(body.get("Message", "The request cannot be carried out.")),
        )
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    response.headers.setdefault("Content-Security-Policy", DEFAULT_CSP)
    return response


def _is_chalice_error(response: Response) -> bool:
    if response.headers.get("Content-Type") == PROBLEM_JSON:
        return False
    body = response.body
    if isinstance(body, str):
        try:
            body = json.loads(body)
        except ValueError:
            return False
        response.body = body
    return isinstance(body, dict) and "Code" in body and "Message" in body
