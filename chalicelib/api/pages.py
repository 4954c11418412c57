"""The hosted pages: the report form, the status page and their assets."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from chalice import Blueprint, Response

from .. import wiring
from ..domain.errors import NotFound
from .problems import problem

if TYPE_CHECKING:
    from jinja2 import Environment

    from ..adapters.evidence_store import EvidenceStore
    from ..domain.case import ClaimantView

bp = Blueprint(__name__)
log = logging.getLogger("irc.pages")

WEB_DIR = Path(__file__).resolve().parent.parent / "web"
HTML = "text/html; charset=utf-8"
LANGS = ("ko", "en")
DEFAULT_LANG = "ko"
FORM_POST = ["application/x-www-form-urlencoded"]
MAX_STATUS_FORM_BYTES = 4096
ASSET_TYPES = {
    "form.js": "text/javascript; charset=utf-8",
    "site.css": "text/css; charset=utf-8",
}
# Some systems give no type for a file; the picker's extension tells it then.
EXTENSION_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "mp4": "video/mp4",
    "txt": "text/plain",
}


@dataclass(frozen=True)
class Asset:
    """A stylesheet or script of the pages, with a version taken from its content."""

    body: str
    version: str
    content_type: str


@bp.route("/", methods=["GET"])
def report_form() -> Response:
    """Show the report form."""
    lang = _lang()
    return _page("form.html", lang, switch_path="/", **_form_context(lang))


@bp.route("/status", methods=["GET"])
def status_form() -> Response:
    """Show the form that asks for a case id and its receipt token."""
    lang = _lang()
    case_id = _query().get("case_id", "").strip()[:64]
    return _status_form(lang, case_id=case_id)


@bp.route("/status", methods=["POST"], content_types=FORM_POST)
def status_result() -> Response:
    """Show a case's status to the holder of its receipt token, or the form again."""
    body = bp.current_request.raw_body or b""
    raw = body.encode() if isinstance(body, str) else body
    if len(raw) > MAX_STATUS_FORM_BYTES:
        lang = _lang()
        return _status_form(lang, status=413, message=_texts(lang)["status_too_long"])
    fields = {
        name: values[0]
        for name, values in parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=True).items()
    }
    lang = _lang(fields.get("lang"))
    texts = _texts(lang)
    case_id = fields.get("case_id", "").strip().upper()[:64]
    token = fields.get("receipt_token", "").strip()
    missing = {
        name: texts["status_missing"]
        for name, value in (("case_id", case_id), ("receipt_token", token))
        if not value
    }
    if missing:
        return _status_form(lang, status=422, case_id=case_id, field_errors=missing)
    try:
        view = wiring.intake().claimant_view(case_id, token)
    except NotFound:
        return _status_form(lang, status=404, case_id=case_id, message=texts["status_not_found"])
    except Exception as error:
        # A claimant reads a page, never a stack trace; the log keeps the type, not the input.
        log.error("status page failed: %s", type(error).__name__)
        return _status_form(lang, status=503, case_id=case_id, message=texts["status_unavailable"])
    return _page(
        "status_result.html",
        lang,
        switch_path="/status",
        cache_control="no-store",
        case=_case_context(view, lang),
    )


@bp.route("/assets/{name}", methods=["GET"])
def asset(name: str) -> Response:
    """Serve one of the pages' stylesheets or scripts."""
    if name not in ASSET_TYPES:
        return problem(404, "not-found", "Not found", "There is no such asset.")
    found = _asset(name)
    etag = f'"{found.version}"'
    versioned = _query().get("v") == found.version
    headers: dict[str, str | list[str]] = {
        "Content-Type": found.content_type,
        "ETag": etag,
        # A versioned address never changes content; an unversioned one must be revalidated.
        "Cache-Control": "public, max-age=31536000, immutable" if versioned else "no-cache",
    }
    if bp.current_request.headers.get("if-none-match") == etag:
        return Response(body="", status_code=304, headers=headers)
    return Response(body=found.body, status_code=200, headers=headers)


def content_security_policy() -> str:
    """Return the pages' CSP: only their own assets, and uploads to the evidence store."""
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"connect-src 'self' {_evidence_store().upload_origin}; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    )


def negotiate_lang(asked: str | None, accept_language: str | None) -> str:
    """Return the page language: the one asked for, else the browser's preference, else ko."""
    if asked in LANGS:
        return asked
    best, best_quality = DEFAULT_LANG, 0.0
    for part in (accept_language or "").split(","):
        tag, *params = (piece.strip() for piece in part.split(";"))
        primary = tag.lower().split("-")[0]
        if primary not in LANGS:
            continue
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > best_quality:
            best, best_quality = primary, quality
    return best


def reset() -> None:
    """Forget the evidence store, whose upload origin depends on the environment (tests)."""
    _evidence_store.cache_clear()


@cache
def _evidence_store() -> EvidenceStore:
    from ..adapters.evidence_store import EvidenceStore

    return EvidenceStore()


@cache
def _templates() -> Environment:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(WEB_DIR / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@cache
def _asset(name: str) -> Asset:
    body = (WEB_DIR / "assets" / name).read_text(encoding="utf-8")
    version = hashlib.sha256(body.encode()).hexdigest()[:16]
    return Asset(body=body, version=version, content_type=ASSET_TYPES[name])


def _texts(lang: str) -> dict[str, Any]:
    from ..web.texts import TEXTS

    return TEXTS[lang]


def _query() -> Mapping[str, str]:
    return bp.current_request.query_params or {}


def _lang(asked: str | None = None) -> str:
    request = bp.current_request
    return negotiate_lang(asked or _query().get("lang"), request.headers.get("accept-language"))


def _base_path() -> str:
    """Return the stage prefix that API Gateway puts before every path, if any."""
    request = bp.current_request
    host = request.headers.get("host", "")
    stage = (request.context or {}).get("stage")
    return f"/{stage}" if stage and host.endswith("amazonaws.com") else ""


def _page(
    template: str,
    lang: str,
    *,
    switch_path: str,
    status: int = 200,
    cache_control: str = "no-cache",
    **context: Any,
) -> Response:
    base = _base_path()
    html = (
        _templates()
        .get_template(template)
        .render(
            lang=lang,
            t=_texts(lang),
            base=base,
            switch_url=f"{base}{switch_path}",
            asset_url=lambda name: f"{base}/assets/{name}?v={_asset(name).version}",
            **context,
        )
    )
    headers: dict[str, str | list[str]] = {
        "Content-Type": HTML,
        "Content-Security-Policy": content_security_policy(),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": cache_control,
        "Vary": "Accept-Language",
    }
    return Response(body=html, status_code=status, headers=headers)


def _status_form(
    lang: str,
    *,
    status: int = 200,
    case_id: str = "",
    message: str | None = None,
    field_errors: Mapping[str, str] | None = None,
) -> Response:
    errors = field_errors or {}
    focus: str | None
    if message or "case_id" in errors:
        focus = "case-id"
    else:
        focus = "receipt-token" if "receipt_token" in errors else None
    return _page(
        "status.html",
        lang,
        switch_path="/status",
        status=status,
        cache_control="no-store",
        case_id=case_id,
        message=message,
        field_errors=errors,
        focus=focus,
    )


def _limits(lang: str) -> dict[str, Any]:
    from ..domain.evidence import ALLOWED_CONTENT_TYPES, MAX_EVIDENCE_BYTES, MAX_EVIDENCE_FILES
    from ..domain.reports import STATEMENT_MAX, STATEMENT_MIN

    names = _texts(lang)["type_names"]
    return {
        "min": STATEMENT_MIN,
        "max": STATEMENT_MAX,
        "max_mb": MAX_EVIDENCE_BYTES // (1024 * 1024),
        "max_files": MAX_EVIDENCE_FILES,
        "types": ", ".join(names[content_type] for content_type in ALLOWED_CONTENT_TYPES),
    }


def _form_context(lang: str) -> dict[str, Any]:
    from ..domain.evidence import ALLOWED_CONTENT_TYPES, MAX_EVIDENCE_BYTES, MAX_EVIDENCE_FILES
    from ..domain.vocabulary import Ground, IpRight, Relationship, RequestedAction, Surface

    texts = _texts(lang)
    base = _base_path()
    limits = _limits(lang)
    allowed = list(ALLOWED_CONTENT_TYPES)
    extensions = [f".{extension}" for extension in EXTENSION_TYPES]
    return {
        "relationships": [r.value for r in Relationship],
        "surfaces": [s.value for s in Surface],
        "grounds": [g.value for g in Ground],
        "ip_rights": [i.value for i in IpRight],
        # Blocking is the lighter measure; it comes first.
        "actions": [RequestedAction.BLOCK.value, RequestedAction.DELETE.value],
        "limits": limits,
        "accept": ",".join(allowed + extensions),
        "client_config": {
            "lang": lang,
            "uploadsUrl": f"{base}/v1/uploads",
            "reportsUrl": f"{base}/v1/reports",
            "statusUrl": f"{base}/status",
            "allowedTypes": allowed,
            "extensionTypes": EXTENSION_TYPES,
            "maxBytes": MAX_EVIDENCE_BYTES,
            "maxFiles": MAX_EVIDENCE_FILES,
            "limits": limits,
            "sizeUnits": texts["size_units"],
            "dateFormat": texts["date_format"],
            "monthNames": texts["month_names"],
            "utcOffsetHours": texts["utc_offset_hours"],
            "messages": texts["js"],
        },
    }


def _case_context(view: ClaimantView, lang: str) -> dict[str, Any]:
    texts = _texts(lang)
    return {
        "case_id": view.case_id,
        "status": view.status.value,
        "status_text": texts["statuses"][view.status.value],
        "received_at": _moment(view.received_at, lang),
        "updated_at": _moment(view.updated_at, lang),
        "surface": texts["surfaces"][view.surface.value]["label"],
        "grounds": [texts["grounds"][g.value]["label"] for g in view.grounds],
        "ip_right": texts["ip_rights"][view.ip_right.value] if view.ip_right else None,
        "requested_action": texts["actions"][view.requested_action.value]["label"],
        "files": [
            {
                "name": f.filename,
                "size": _size(f.size, lang),
                "kind": texts["file_kinds"][f.kind],
            }
            for f in view.evidence
        ],
        "decisions": [_decision(d, lang) for d in view.decisions],
    }


def _decision(decision: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """Return what a claimant reads of one decision: the measure, when, until when, and why."""
    texts = _texts(lang)
    measure = str(decision.get("measure") or decision.get("action") or "")
    decided_at = decision.get("decided_at") or decision.get("occurred_at")
    ends_at = decision.get("end_date") or decision.get("ends_at")
    reasons = next(
        (
            value
            for key in ("public_reasons", "public_reason", "reasons", "decision_facts")
            if isinstance(value := decision.get(key), str) and value
        ),
        None,
    )
    return {
        "measure": texts["measures"].get(measure, measure),
        "decided_at": _moment(decided_at, lang) if isinstance(decided_at, str) else None,
        "ends_at": _moment(ends_at, lang) if isinstance(ends_at, str) else None,
        "reasons": reasons,
    }


def _moment(iso_text: str, lang: str) -> dict[str, str]:
    """Return a timestamp for a <time> element: machine-readable, and in the reader's words."""
    from ..domain.clock import parse_iso

    texts = _texts(lang)
    try:
        moment = parse_iso(iso_text) + timedelta(hours=texts["utc_offset_hours"])
    except ValueError:
        return {"iso": iso_text, "text": iso_text}
    text = texts["date_format"].format(
        year=moment.year,
        month_name=texts["month_names"][moment.month - 1],
        day=moment.day,
        hh=f"{moment.hour:02d}",
        mm=f"{moment.minute:02d}",
    )
    return {"iso": iso_text, "text": text}


def _size(size: int, lang: str) -> str:
    units = _texts(lang)["size_units"]
    if size < 1024:
        return str(units[0].format(n=size))
    if size < 1024 * 1024:
        return str(units[1].format(n=f"{size / 1024:.0f}"))
    return str(units[2].format(n=f"{size / (1024 * 1024):.1f}"))
