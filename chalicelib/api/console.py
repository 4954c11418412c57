"""The staff console: one page whose script signs staff in against the staff pool and works
through the JSON API (the API, not the page, decides what a member may do)."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from chalice import Blueprint, Response

from .. import wiring
from .pages import HTML, page_errors
from .routing import routes

bp = Blueprint(__name__)
route = routes(bp, page_errors("form"))
log = logging.getLogger("irc.console")


@route("/console", methods=["GET"])
def console() -> Response:
    """Serve the staff console in the reader's language."""
    # Loaded on first use: `import app` stays light (the words and templates are not small).
    from ..config import settings, staff_sign_in_url
    from ..web.console import ConsoleConfig, console_page
    from ..web.reader import negotiate_lang

    request = bp.current_request
    query: dict[str, str] = dict(request.query_params or {})
    lang = negotiate_lang(query.get("lang"), request.headers.get("accept-language"))
    config = settings()
    setup = ConsoleConfig(
        base=urlsplit(config.public_base_url).path.rstrip("/"),
        sign_in_url=staff_sign_in_url(),
        client_id=config.user_pool_client_id,
    )
    return Response(
        body=console_page(lang, setup),
        status_code=200,
        headers={
            "Content-Type": HTML,
            "Content-Security-Policy": console_security_policy(staff_sign_in_url()),
            "Cache-Control": "no-store",
            "Vary": "Accept-Language",
        },
    )


def console_security_policy(sign_in_url: str) -> str:
    """Return the console's CSP: its own script and style; requests to this API, to the staff
    pool and to the evidence store; evidence files shown inline from the store only."""
    sign_in = _origin(sign_in_url)
    try:
        evidence = f" {wiring.review().download_origin()}"
    except Exception as error:
        log.warning("no evidence origin for the console's CSP: %s", type(error).__name__)
        evidence = ""
    shown = evidence.strip() or "'none'"
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; "
        f"img-src 'self' data: blob:{evidence}; "
        f"connect-src 'self' {sign_in}{evidence}; "
        f"media-src {shown}; frame-src {shown}; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    )


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
