"""The Infringement Report Center: the Chalice app, its blueprints and its response seam."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any

from chalice import Chalice, Rate, Response

from chalicelib import logs, wiring
from chalicelib.api import (
    audit,
    auth,
    cases,
    console,
    effects,
    json_body,
    misuse,
    openapi,
    pages,
    reports,
    staff,
    transparency,
    transparency_statements,
)
from chalicelib.api.problems import PROBLEM_JSON, problem

# Chalice's own log lines (an exception it caught) go through ours too: JSON, no error message.
app = Chalice(app_name="infringement-report-center", configure_logs=False)
logs.install()
app.register_middleware(logs.bind_request, "all")  # first: outermost, so every line has the id
app.register_blueprint(auth.bp)
app.register_blueprint(reports.bp)
app.register_blueprint(cases.bp)
app.register_blueprint(misuse.bp)
app.register_blueprint(audit.bp)
app.register_blueprint(transparency_statements.bp)
app.register_blueprint(effects.bp)
app.register_blueprint(staff.bp)
app.register_blueprint(pages.bp)
app.register_blueprint(console.bp)
app.register_blueprint(transparency.bp)
app.register_blueprint(openapi.bp)

# The stage's config.json sets the rate; the local stack of `make run` fires it on the same rate.
TIMER_RATE_MINUTES = int(os.environ.get("TIMER_RATE_MINUTES", "5"))


@app.schedule(Rate(TIMER_RATE_MINUTES, unit=Rate.MINUTES), name="run_timers")
def run_timers(event: Any) -> dict[str, int]:
    """End blocks and restrictions at their end dates and close unanswered requests."""
    from chalicelib.config import settings

    run = wiring.timers().run(settings().public_base_url)
    return run.model_dump()


CHECKPOINT_RATE_MINUTES = int(os.environ.get("CHECKPOINT_RATE_MINUTES", "5"))


@app.schedule(Rate(CHECKPOINT_RATE_MINUTES, unit=Rate.MINUTES), name="seal_checkpoints")
def seal_checkpoints(event: Any) -> dict[str, Any]:
    """Seal every audit event since the last checkpoint into signed checkpoints (more than one
    only while catching up, a week each). A checkpoint file that cannot be adopted fails the run
    (SealingBlocked names it), so the template's alarm on the function's errors fires."""
    sealed = wiring.checkpoints().seal_up()
    return {
        "sealed": len(sealed),
        "seqs": [c["seq"] for c in sealed],
        "events": sum(c["tree_size"] for c in sealed),
    }


# The stream's ARN is known only once the table exists: infra/template.yaml points the deployed
# event source at the cases table's stream, and the local stack feeds this handler itself.
CASES_STREAM_ARN = os.environ.get(
    "CASES_STREAM_ARN",
    "arn:aws:dynamodb:us-east-1:123456789012:table/irc-prod-cases/stream/2026-01-01T00:00:00.000",
)


@app.on_dynamodb_record(
    stream_arn=CASES_STREAM_ARN,
    batch_size=100,
    starting_position="TRIM_HORIZON",
    name="relay_outbox",
)
def relay_outbox(event: Any) -> dict[str, int]:
    """Deliver the effects that just committed (outbox records new on the cases stream)."""
    from chalicelib.adapters.outbox_store import effect_refs

    images = [record.new_image for record in event if record.event_name == "INSERT"]
    return wiring.relay().deliver(effect_refs(images)).model_dump()


SWEEP_RATE_MINUTES = int(os.environ.get("SWEEP_RATE_MINUTES", "1"))


@app.schedule(Rate(SWEEP_RATE_MINUTES, unit=Rate.MINUTES), name="sweep_outbox")
def sweep_outbox(event: Any) -> dict[str, int]:
    """Deliver what the stream did not: effects undelivered a minute after commit, and retries."""
    return wiring.relay().sweep().model_dump()


SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
    "Cross-Origin-Opener-Policy": "same-origin",
}
DEFAULT_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"


@app.middleware("http")
def response_seam(event: Any, get_response: Callable[[Any], Response]) -> Response:
    """Refuse JSON bodies beyond our limits before any route reads them, add the security
    headers, and turn Chalice's own error bodies into problem details."""
    response = json_body.refusal(event) or get_response(event)
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
