"""The hosted pages: the report form, the status page, the poster's notice, and their assets."""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, quote, urlencode, urlsplit

from chalice import Blueprint, Response

from .. import wiring
from ..domain.errors import Conflict, InvalidRequest, NotFound
from .problems import RETRY_AFTER_SECONDS, aws_unavailable, problem

if TYPE_CHECKING:
    from jinja2 import Environment
    from markupsafe import Markup

    from ..adapters.evidence_store import EvidenceStore
    from ..domain.case import ClaimantView, MeasureInForce, RepostingRequest
    from ..domain.decisions import AppliedMeasure, PublicDecision
    from ..domain.errors import DomainError, FieldError
    from ..domain.notice import PosterNotice

bp = Blueprint(__name__)
log = logging.getLogger("irc.pages")

WEB_DIR = Path(__file__).resolve().parent.parent / "web"
HTML = "text/html; charset=utf-8"
LANGS = ("ko", "en")
DEFAULT_LANG = "ko"
FORM_POST = ["application/x-www-form-urlencoded"]
MAX_STATUS_FORM_BYTES = 4096
# A statement of 5000 Korean characters is about 45 KB once form-encoded.
MAX_NOTICE_FORM_BYTES = 64 * 1024
JAVASCRIPT = "text/javascript; charset=utf-8"
ASSET_TYPES = {
    "forms.js": JAVASCRIPT,
    "form.js": JAVASCRIPT,
    "status.js": JAVASCRIPT,
    "notice.js": JAVASCRIPT,
    "site.css": "text/css; charset=utf-8",
}
# The notice's token is in its address: no referrer may carry it on, no index may keep it.
NOTICE_HEADERS: dict[str, str | list[str]] = {
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex",
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


@dataclass(frozen=True)
class StatusPost:
    """A form posted from a status page: its language, case id, receipt token and all fields."""

    lang: str
    case_id: str
    receipt_token: str
    fields: Mapping[str, str]


@dataclass(frozen=True)
class Flash:
    """A message at the top of a page: what was just done ("ok") or not ("error")."""

    kind: str
    text: str


@dataclass(frozen=True)
class NoticePost:
    """A form posted from a notice page: its language, notice token and all fields."""

    lang: str
    case_id: str
    notice_token: str
    fields: Mapping[str, str]


@dataclass(frozen=True)
class FormFailure:
    """A poster's form the server refused: which form, what was typed, and what is wrong."""

    form: str  # "reposting", or the id of the appealed measure
    statement: str
    fields: Mapping[str, str] = field(default_factory=dict)
    others: list[str] = field(default_factory=list)


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
    asked = _status_post()
    if isinstance(asked, Response):
        return asked

    def show() -> Response:
        from ..domain.vocabulary import CaseStatus

        view = wiring.intake().claimant_view(asked.case_id, asked.receipt_token)
        # Sent by status.js once an answer is accepted; only true while the case is back in review.
        answered = asked.fields.get("answered") == "1" and view.status == CaseStatus.IN_REVIEW
        flash = Flash("ok", _texts(asked.lang)["answer_sent"]) if answered else None
        return _status_page(asked, view, flash=flash)

    return _guarded(asked, show)


@bp.route("/status/withdrawal", methods=["POST"], content_types=FORM_POST)
def withdrawal() -> Response:
    """Withdraw an undecided case for the holder of its receipt token, and show it again."""
    asked = _status_post()
    if isinstance(asked, Response):
        return asked
    texts = _texts(asked.lang)

    def withdraw() -> Response:
        intake = wiring.intake()
        if asked.fields.get("confirm") != "yes":
            view = intake.claimant_view(asked.case_id, asked.receipt_token)
            return _status_page(
                asked, view, status=422, withdraw_error=texts["withdraw_confirm_missing"]
            )
        try:
            view, _ = intake.withdraw(asked.case_id, asked.receipt_token, _form_key(asked))
        except Conflict:
            view = intake.claimant_view(asked.case_id, asked.receipt_token)
            return _status_page(
                asked, view, status=409, flash=Flash("error", _withdraw_refusal(view, texts))
            )
        return _status_page(asked, view, flash=Flash("ok", texts["withdrawn_done"]))

    return _guarded(asked, withdraw, unknown="withdraw_unknown")


@bp.route("/notices/{case_id}", methods=["GET"])
def notice(case_id: str) -> Response:
    """Show the Rights Infringement Notice to the poster who holds its notice token."""
    lang = _lang()
    texts = _texts(lang)
    token = _query().get("token")
    switch_query = {"token": token} if token else None
    try:
        found = wiring.review().notice(case_id, token)
    except NotFound:
        return _notice_message(lang, 404, texts["notice_invalid"], case_id, switch_query)
    except Exception as error:

        def message(status: int, busy: bool) -> Response:
            said = texts["notice_busy" if busy else "notice_unavailable"]
            return _notice_message(lang, status, said, case_id, switch_query)

        return _failure_page(error, "notice page", message)
    return _notice_page(found, lang, token or "")


@bp.route("/notices/{case_id}", methods=["POST"], content_types=FORM_POST)
def notice_again(case_id: str) -> Response:
    """Show the notice again to the holder of its token, saying what was just sent (notice.js)."""
    asked = _notice_post(case_id)
    if isinstance(asked, Response):
        return asked

    def show() -> Response:
        found = wiring.review().notice(case_id, asked.notice_token)
        sent = asked.fields.get("sent", "")
        flash = _sent_flash(found, sent, asked.lang) if sent else None
        return _notice_page(found, asked.lang, asked.notice_token, flash=flash)

    return _notice_guarded(asked, show)


@bp.route("/notices/{case_id}/reposting-request", methods=["POST"], content_types=FORM_POST)
def notice_reposting_request(case_id: str) -> Response:
    """Request re-posting without JavaScript (and so without files), and show the notice."""
    asked = _notice_post(case_id)
    if isinstance(asked, Response):
        return asked
    statement = asked.fields.get("statement", "")

    def send() -> Response:
        from .reports import public_base_url

        review = wiring.review()
        body = {"statement": statement, "evidence": []}
        try:
            found, _ = review.request_reposting(
                case_id, asked.notice_token, body, public_base_url(), _form_key(asked)
            )
        except (InvalidRequest, Conflict) as error:
            return _refused(asked, error, FormFailure("reposting", statement))
        return _notice_page(
            found, asked.lang, asked.notice_token, flash=_sent_flash(found, "reposting", asked.lang)
        )

    return _notice_guarded(asked, send, sends=True)


@bp.route("/notices/{case_id}/appeal", methods=["POST"], content_types=FORM_POST)
def notice_appeal(case_id: str) -> Response:
    """Appeal a restriction without JavaScript, and show the notice."""
    asked = _notice_post(case_id)
    if isinstance(asked, Response):
        return asked
    statement = asked.fields.get("statement", "")
    measure_id = asked.fields.get("measure_id", "")

    def send() -> Response:
        review = wiring.review()
        body = {"measure_id": measure_id, "statement": statement}
        try:
            found, _ = review.file_appeal(case_id, asked.notice_token, body, _form_key(asked))
        except (InvalidRequest, Conflict) as error:
            return _refused(asked, error, FormFailure(measure_id, statement))
        return _notice_page(
            found, asked.lang, asked.notice_token, flash=_sent_flash(found, "appeal", asked.lang)
        )

    return _notice_guarded(asked, send, sends=True)


def _form_key(asked: StatusPost | NoticePost) -> str | None:
    """Return the Idempotency-Key the page put in its form, so a form sent twice acts once."""
    return asked.fields.get("idempotency_key") or None


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

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(WEB_DIR / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.globals["dated"] = _dated
    return environment


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
    """Return the path the public address puts before every page's path (e.g. a stage's /api)."""
    from ..config import settings

    return urlsplit(settings().public_base_url).path


def _page(
    template: str,
    lang: str,
    *,
    switch_path: str,
    switch_query: Mapping[str, str] | None = None,
    status: int = 200,
    cache_control: str = "no-cache",
    extra_headers: Mapping[str, str | list[str]] | None = None,
    **context: Any,
) -> Response:
    base = _base_path()
    kept = f"{urlencode(switch_query)}&" if switch_query else ""
    html = (
        _templates()
        .get_template(template)
        .render(
            lang=lang,
            t=_texts(lang),
            base=base,
            switch_prefix=f"{base}{switch_path}?{kept}",
            asset_url=lambda name: f"{base}/assets/{name}?v={_asset(name).version}",
            new_idempotency_key=lambda: secrets.token_urlsafe(24),
            **context,
        )
    )
    headers: dict[str, str | list[str]] = {
        "Content-Type": HTML,
        "Content-Security-Policy": content_security_policy(),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": cache_control,
        "Vary": "Accept-Language",
        **(extra_headers or {}),
    }
    return Response(body=html, status_code=status, headers=headers)


def _dated(text: str, moment: Mapping[str, str]) -> Markup:
    """Return `text` with its {date} as a <time> element, and everything else escaped."""
    from markupsafe import Markup, escape

    time = Markup('<time datetime="{}">{}</time>').format(moment["iso"], moment["text"])
    return escape(text).replace("{date}", time)


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


def _status_post() -> StatusPost | Response:
    """Return what a status form posted, or the form again saying what is missing."""
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
    return StatusPost(lang=lang, case_id=case_id, receipt_token=token, fields=fields)


def _guarded(
    asked: StatusPost, show: Callable[[], Response], *, unknown: str | None = None
) -> Response:
    """Return what `show` shows; for a wrong id or token, or a failure, the form and a message."""
    # `unknown` is the text for a change that failed: it may have been made all the same.
    texts = _texts(asked.lang)
    try:
        return show()
    except NotFound:
        return _status_form(
            asked.lang, status=404, case_id=asked.case_id, message=texts["status_not_found"]
        )
    except Exception as error:

        def form(status: int, busy: bool) -> Response:
            said = texts[unknown or ("status_busy" if busy else "status_unavailable")]
            return _status_form(asked.lang, status=status, case_id=asked.case_id, message=said)

        return _failure_page(error, "status page", form)


def _failure_page(error: Exception, page: str, show: Callable[[int, bool], Response]) -> Response:
    """Show a failure's page: 503 and Retry-After while AWS is busy, else 500; never the error."""
    busy = aws_unavailable(error)
    # A reader sees a page, never a stack trace; the log keeps the type, not the input or token.
    log.error("%s failed: %s", page, type(error).__name__)
    answer = show(503 if busy else 500, busy)
    if busy:
        answer.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return answer


def _status_page(
    asked: StatusPost,
    view: ClaimantView,
    *,
    status: int = 200,
    flash: Flash | None = None,
    withdraw_error: str | None = None,
) -> Response:
    from ..domain.lifecycle import WITHDRAWABLE

    lang = asked.lang
    information = _information_context(view, lang)
    answering = information is not None and not information["overdue"]
    now = wiring.intake().clock()
    request = view.reposting_request
    return _page(
        "status_result.html",
        lang,
        switch_path="/status",
        status=status,
        cache_control="no-store",
        case=_case_context(view, lang),
        measures_now=[_measure_now(m, request, now, lang, poster=False) for m in view.measures],
        reposting=_reposting_context(request, lang, poster=False) if request else None,
        flash=flash,
        information=information,
        answer=_answer_context(view.case_id, lang) if answering else None,
        # The page is never stored; its forms carry the token so it never enters an address.
        receipt_token=asked.receipt_token,
        withdrawable=view.status in WITHDRAWABLE,
        withdraw_error=withdraw_error,
    )


def _withdraw_refusal(view: ClaimantView, texts: Mapping[str, Any]) -> str:
    """Return why a withdrawal was refused, judged from the case as it is now."""
    from ..domain.lifecycle import WITHDRAWABLE
    from ..domain.vocabulary import CaseStatus

    if view.status == CaseStatus.WITHDRAWN:
        return str(texts["withdraw_already"])
    if view.status in WITHDRAWABLE:
        return str(texts["withdraw_stale"])
    return str(texts["withdraw_decided"])


def _notice_message(
    lang: str,
    status: int,
    message: str,
    case_id: str,
    switch_query: Mapping[str, str] | None,
    title_key: str = "notice_invalid_title",
) -> Response:
    return _page(
        "message.html",
        lang,
        switch_path=f"/notices/{quote(case_id, safe='')}",
        switch_query=switch_query,
        status=status,
        cache_control="no-store",
        extra_headers=NOTICE_HEADERS,
        title=_texts(lang)[title_key],
        message=message,
    )


def _notice_post(case_id: str) -> NoticePost | Response:
    """Return what a notice form posted, or a page that says why it cannot be taken."""
    body = bp.current_request.raw_body or b""
    raw = body.encode() if isinstance(body, str) else body
    if len(raw) > MAX_NOTICE_FORM_BYTES:
        lang = _lang()
        message = _texts(lang)["notice_too_long"]
        return _notice_message(lang, 413, message, case_id, None, title_key="notice_refused_title")
    fields = {
        name: values[0]
        for name, values in parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=True).items()
    }
    return NoticePost(
        lang=_lang(fields.get("lang")),
        case_id=case_id,
        notice_token=fields.get("notice_token", "").strip(),
        fields=fields,
    )


def _notice_guarded(
    asked: NoticePost, show: Callable[[], Response], *, sends: bool = False
) -> Response:
    """Return what `show` shows; for a wrong id or token, or a failure, a page that says so."""
    # A request that failed while being sent may have been received all the same.
    texts = _texts(asked.lang)
    try:
        return show()
    except NotFound:
        return _notice_message(asked.lang, 404, texts["notice_invalid"], asked.case_id, None)
    except Exception as error:

        def message(status: int, busy: bool) -> Response:
            said = texts[
                "notice_send_unknown" if sends else "notice_busy" if busy else "notice_unavailable"
            ]
            title = "notice_unknown_title" if sends else "notice_invalid_title"
            return _notice_message(asked.lang, status, said, asked.case_id, None, title)

        return _failure_page(error, "notice form", message)


def _refused(asked: NoticePost, error: DomainError, failure: FormFailure) -> Response:
    """Show the notice again with why a form was refused, next to its field where it has one."""
    found = wiring.review().notice(asked.case_id, asked.notice_token)
    words = _poster_messages(asked.lang)["errors"]
    limits = _limits(asked.lang)
    fields: dict[str, str] = {}
    others: list[str] = []
    for item in error.errors:
        message = _localize(item, words, limits)
        if _base_field(item.field) == "statement":
            if message not in fields.get("statement", ""):
                fields["statement"] = f"{fields.get('statement', '')} {message}".strip()
        elif message not in others:
            others.append(message)
    status = 422 if isinstance(error, InvalidRequest) else 409
    refused = FormFailure(failure.form, failure.statement, fields, others)
    return _notice_page(found, asked.lang, asked.notice_token, status=status, failure=refused)


def _sent_flash(notice: PosterNotice, sent: str, lang: str) -> Flash | None:
    """Return the note that a request was sent, if the notice shows that it was."""
    done = {
        "reposting": notice.reposting_request is not None,
        "appeal": any(m.appeal is not None for m in notice.measures),
    }
    return Flash("ok", _texts(lang)["notice_sent"][sent]) if done.get(sent) else None


def _notice_page(
    notice: PosterNotice,
    lang: str,
    token: str,
    *,
    status: int = 200,
    flash: Flash | None = None,
    failure: FormFailure | None = None,
) -> Response:
    context = _notice_context(notice, lang, failure)
    shown = {"reposting"} if context["reposting"] else set()
    shown |= {appeal["measure_id"] for appeal in context["appeals"]}
    if failure and failure.form not in shown:
        # The form is gone (sent already, or no longer allowed): say why at the top instead.
        said = [*failure.fields.values(), *failure.others] or [_texts(lang)["notice_form_failed"]]
        flash = Flash("error", " ".join(said))
    return _page(
        "notice.html",
        lang,
        switch_path=f"/notices/{notice.case_id}",
        switch_query={"token": token} if token else None,
        status=status,
        cache_control="no-store",
        extra_headers=NOTICE_HEADERS,
        notice=context,
        flash=flash,
        # The page is never stored; its forms carry the token for notice.js to send in a header.
        notice_token=token,
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


def _accept() -> str:
    """Return what the file pickers offer: the allowed types and their extensions."""
    from ..domain.evidence import ALLOWED_CONTENT_TYPES

    return ",".join([*ALLOWED_CONTENT_TYPES, *(f".{extension}" for extension in EXTENSION_TYPES)])


def _upload_config(lang: str) -> dict[str, Any]:
    """Return what forms.js needs to check and upload evidence files, in the reader's words."""
    from ..domain.evidence import ALLOWED_CONTENT_TYPES, MAX_EVIDENCE_BYTES, MAX_EVIDENCE_FILES

    texts = _texts(lang)
    return {
        "lang": lang,
        "uploadsUrl": f"{_base_path()}/v1/uploads",
        "allowedTypes": list(ALLOWED_CONTENT_TYPES),
        "extensionTypes": EXTENSION_TYPES,
        "maxBytes": MAX_EVIDENCE_BYTES,
        "maxFiles": MAX_EVIDENCE_FILES,
        "limits": _limits(lang),
        "sizeUnits": texts["size_units"],
        "dateFormat": texts["date_format"],
        "monthNames": texts["month_names"],
        "utcOffsetHours": texts["utc_offset_hours"],
        "messages": texts["js"],
    }


def _form_context(lang: str) -> dict[str, Any]:
    from ..domain.vocabulary import Ground, IpRight, Relationship, RequestedAction, Surface

    base = _base_path()
    return {
        "relationships": [r.value for r in Relationship],
        "surfaces": [s.value for s in Surface],
        "grounds": [g.value for g in Ground],
        "ip_rights": [i.value for i in IpRight],
        # Blocking is the lighter measure; it comes first.
        "actions": [RequestedAction.BLOCK.value, RequestedAction.DELETE.value],
        "limits": _limits(lang),
        "accept": _accept(),
        "client_config": {
            **_upload_config(lang),
            "reportsUrl": f"{base}/v1/reports",
            "statusUrl": f"{base}/status",
        },
    }


def _answer_context(case_id: str, lang: str) -> dict[str, Any]:
    """Return what the answer form shows and what status.js needs to send the answer."""
    texts = _texts(lang)
    words = texts["answer_js"]
    config = _upload_config(lang)
    return {
        "limits": config["limits"],
        "accept": _accept(),
        "client_config": {
            **config,
            "informationUrl": f"{_base_path()}/v1/reports/{case_id}/information",
            "messages": {
                **texts["js"],
                **words,
                "errors": {**texts["js"]["errors"], **words["errors"]},
            },
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


def _information_context(view: ClaimantView, lang: str) -> dict[str, Any] | None:
    """Return the open request for information, and whether its deadline has passed."""
    from ..domain.clock import parse_iso

    request = view.information_request
    if request is None:
        return None
    return {
        "message": request.message,
        "requested_at": _moment(request.requested_at, lang),
        "due_at": _moment(request.due_at, lang),
        "overdue": parse_iso(request.due_at) < wiring.intake().clock(),
    }


def _notice_context(
    notice: PosterNotice, lang: str, failure: FormFailure | None = None
) -> dict[str, Any]:
    """Return what the poster reads and may do: the measures, their state, the forms."""
    texts = _texts(lang)
    status = notice.status.value
    now = wiring.review().clock()
    request = notice.reposting_request
    base = _base_path()
    block = next(
        (
            m
            for m in notice.measures
            if m.type == "block_content"
            and m.ends_at
            and _what_became(m, request, now)[0] == "in_force"
        ),
        None,
    )
    reposting = None
    if notice.reposting_request_possible and block is not None and block.ends_at:
        reposting = {
            "ends_at": _moment(block.ends_at, lang),
            "action": f"{base}/notices/{notice.case_id}/reposting-request",
            "failure": failure if failure and failure.form == "reposting" else None,
        }
    appealable = set(notice.appealable_measures)
    appeals = [
        {
            "measure_id": m.measure_id,
            "title": texts["notice_appeal_form_title"].format(
                measure=_measure_label(m.type, m.parameters, lang, poster=True)
            ),
            "until": _say(texts["notice_appeal_until"], m.ends_at, lang) if m.ends_at else None,
            "action": f"{base}/notices/{notice.case_id}/appeal",
            "failure": failure if failure and failure.form == m.measure_id else None,
        }
        for m in notice.measures
        # A restriction past its end date waits only for the timer; it can no longer be appealed.
        if m.measure_id in appealable and _what_became(m, request, now)[0] == "in_force"
    ]
    return {
        "case_id": notice.case_id,
        "surface": texts["surfaces"][notice.surface.value]["label"],
        "content_url": notice.content_url,
        "grounds": [texts["grounds"][g.value]["label"] for g in notice.grounds],
        "status_code": status,
        "status": texts["notice_statuses"].get(status)
        or {"label": texts["statuses"][status]["label"], "explanation": ""},
        "decisions": [_decision(d, lang, poster=True) for d in notice.decisions],
        "measures_now": [_measure_now(m, request, now, lang, poster=True) for m in notice.measures],
        "request": _reposting_context(request, lang, poster=True) if request else None,
        "reposting": reposting,
        "appeals": appeals,
        "refresh_action": f"{base}/notices/{notice.case_id}",
        "limits": _limits(lang),
        "accept": _accept(),
        "client_config": _notice_client_config(notice.case_id, lang)
        if reposting or appeals
        else None,
    }


def _notice_client_config(case_id: str, lang: str) -> dict[str, Any]:
    """Return what notice.js needs to upload files and send the poster's requests."""
    base = _base_path()
    return {
        **_upload_config(lang),
        "repostingUrl": f"{base}/v1/notices/{case_id}/reposting-requests",
        "appealsUrl": f"{base}/v1/notices/{case_id}/appeals",
        "messages": _poster_messages(lang),
    }


def _poster_messages(lang: str) -> dict[str, Any]:
    """Return the words of the poster's forms: those of form.js, with the notice's own over them."""
    texts = _texts(lang)
    words = texts["notice_js"]
    return {**texts["js"], **words, "errors": {**texts["js"]["errors"], **words["errors"]}}


def _base_field(path: str) -> str:
    return re.sub(r"\[\d+\]$", "", path)


def _localize(error: FieldError, words: Mapping[str, str], values: Mapping[str, Any]) -> str:
    """Return a refused field's message in the reader's words, as forms.js would show it."""
    text = words.get(f"{_base_field(error.field)}|{error.code}") or words.get(error.code)
    if not text:
        text = error.message[:1].upper() + error.message[1:]
    return re.sub(r"\{(\w+)\}", lambda m: str(values.get(m[1], m[0])), text)


def _what_became(
    measure: MeasureInForce, request: RepostingRequest | None, now: datetime
) -> tuple[str, str | None, str | None]:
    """Return what became of a measure: its state, the moment it took it, and a note's code."""
    from ..domain.clock import parse_iso

    if measure.state == "lifted":
        appeal = measure.appeal
        return "lifted", appeal.decided_at if appeal else None, "lifted" if appeal else None
    if measure.state == "reinstated":
        return "reinstated", request.decided_at if request else None, "reinstated"
    if measure.type == "delete_content":
        return "deleted", None, None
    # Past its end date a measure is over, even before the timer has recorded it.
    over = measure.state == "ended" or (
        measure.ends_at is not None and parse_iso(measure.ends_at) <= now
    )
    if over and measure.type == "block_content":
        if request is None:
            note = "deleted_no_request"
        elif request.outcome == "upheld":
            note = "deleted_upheld"
        elif request.outcome == "reinstated":
            note = "reinstated"
        else:
            note = "back_at_cap"
        return "ended", measure.ends_at, note
    if over:
        return "ended", measure.ends_at, "restriction_ended"
    upheld = request is not None and request.outcome == "upheld"
    ahead = "delete_at_end" if measure.type == "block_content" and upheld else None
    return "in_force", measure.ends_at, ahead


def _measure_now(
    measure: MeasureInForce,
    request: RepostingRequest | None,
    now: datetime,
    lang: str,
    *,
    poster: bool,
) -> dict[str, Any]:
    """Return where one measure stands in words, and for the poster their appeal against it."""
    texts = _texts(lang)
    state, moment, note = _what_became(measure, request, now)
    key = state if moment or state == "deleted" else f"{state}_undated"
    # The claimant is told that a restriction was lifted, not what its user wrote to appeal it.
    appeal = measure.appeal if poster else None
    if appeal and note == "lifted":
        note = None  # the appeal's outcome says it
    outcome = (appeal.outcome or "pending") if appeal else None
    return {
        "measure_id": measure.measure_id,
        "type": measure.type,
        "state": state,
        "label": _measure_label(measure.type, measure.parameters, lang, poster=poster),
        "text": _say(texts["measure_states"][key], moment, lang),
        "note": texts["measure_notes"][note] if note else None,
        "appeal": {
            "filed": _say(texts["appeal_states"]["filed"], appeal.filed_at, lang),
            "statement": appeal.statement,
            "outcome": outcome,
            "outcome_text": _say(
                texts["appeal_states"][outcome or "pending"], appeal.decided_at, lang
            ),
        }
        if appeal
        else None,
    }


def _reposting_context(request: RepostingRequest, lang: str, *, poster: bool) -> dict[str, Any]:
    """Return the poster's request to re-post, and how it was decided, for either side."""
    texts = _texts(lang)
    outcomes = texts["reposting_outcomes" if poster else "claimant_reposting_outcomes"]
    outcome = request.outcome or "pending"
    referral = request.referral if request.outcome == "upheld" else None
    return {
        "requested_at": _moment(request.requested_at, lang),
        "intro": _say(texts["claimant_reposting_intro"], request.requested_at, lang),
        "statement": request.statement,
        # The poster's files are theirs to see; the claimant is not shown them.
        "files": [{"name": f.filename, "size": _size(f.size, lang)} for f in request.evidence]
        if poster
        else [],
        "outcome": outcome,
        "outcome_text": _say(
            outcomes[outcome], request.decided_at if request.outcome else None, lang
        ),
        "referral": texts["referrals"][referral] if referral else None,
    }


def _say(text: str, iso_text: str | None, lang: str) -> Markup:
    """Return `text` escaped, with its {date} as a <time> element when there is a moment."""
    from markupsafe import escape

    return _dated(text, _moment(iso_text, lang)) if iso_text else escape(text)


def _measure_label(kind: str, parameters: Mapping[str, Any], lang: str, *, poster: bool) -> str:
    """Return a measure's name: the poster is addressed as "you", the claimant reads "poster"."""
    texts = _texts(lang)
    specific = f"restrict_user_{parameters.get('service')}" if kind == "restrict_user" else kind
    if poster:
        label = texts["notice_measures"].get(specific, {}).get("label")
    else:
        label = texts["measures"].get(specific)
    return str(label or texts["measures"].get(kind, kind))


def _decision(decision: PublicDecision, lang: str, *, poster: bool = False) -> dict[str, Any]:
    """Return one decision in the reader's words: the measures, the ground, the facts, redress."""
    texts = _texts(lang)
    statement = decision.statement
    ground = statement.decision_ground
    redress = [texts["redress"][code] for code in statement.redress if code in texts["redress"]]
    # Asking for more decides nothing yet: there is nothing to seek redress from.
    if all(m.type == "request_information" for m in decision.measures):
        redress = []
    return {
        "decided_at": _moment(decision.decided_at, lang),
        "measures": [_measure(m, lang, poster=poster) for m in decision.measures],
        "ground": texts["decision_grounds"].get(ground, ground) if ground else None,
        "legal_ground": statement.illegal_content_legal_ground,
        "policy_ground": statement.incompatible_content_ground,
        "facts": statement.decision_facts,
        "automated": texts["automated"].get(
            statement.automated_decision, statement.automated_decision
        ),
        "redress": redress,
    }


def _measure(measure: AppliedMeasure, lang: str, *, poster: bool) -> dict[str, Any]:
    """Return one measure in words: what, until when, and the reason or request it carries."""
    texts = _texts(lang)
    kind: str = measure.type
    if kind == "restrict_user":
        kind = f"restrict_user_{measure.parameters.get('service')}"
    if poster:
        words = texts["notice_measures"].get(kind, {})
        label, explanation = words.get("label"), words.get("explanation")
    else:
        label, explanation = texts["measures"].get(kind), None
    reason = measure.parameters.get("reason") if measure.type == "reject" else None
    message = measure.parameters.get("message") if measure.type == "request_information" else None
    return {
        "type": measure.type,
        "label": label or texts["measures"].get(measure.type, measure.type),
        "explanation": explanation,
        "ends_at": _moment(measure.ends_at, lang) if measure.ends_at else None,
        "until": texts["answer_by" if measure.type == "request_information" else "until"],
        "reason": texts["reject_reasons"].get(str(reason)) if reason else None,
        "message": str(message) if message else None,
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
