"""The hosted pages' routes: the report form, the status page, the poster's notice, the assets."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http.cookies import CookieError, SimpleCookie
from typing import TYPE_CHECKING, Any, Literal, TypeVar
from urllib.parse import parse_qs, quote, urlencode, urlsplit

from chalice import Blueprint, Response

from .. import wiring
from ..domain.errors import Conflict, DomainError, InvalidRequest, NotFound
from ..domain.limits import LimitReached
from ..domain.sessions import SESSION_LIFETIME
from ..services import links
from ..web import forms, render
from ..web import notice as notice_pages
from ..web import status as status_pages
from ..web.forms import Flash
from ..web.notice import FormFailure
from ..web.reader import Reader, negotiate_lang
from .problems import RETRY_AFTER_SECONDS, HttpProblem, aws_unavailable, problem
from .routing import mark, routes

if TYPE_CHECKING:
    from ..domain.case import ClaimantView
    from ..domain.notice import PosterNotice

bp = Blueprint(__name__)
log = logging.getLogger("irc.pages")

HTML = "text/html; charset=utf-8"
FORM_POST = ["application/x-www-form-urlencoded"]
MAX_STATUS_FORM_BYTES = 4096
# A statement of 5000 Korean characters is about 45 KB once form-encoded.
MAX_NOTICE_FORM_BYTES = 64 * 1024
# The notice's token is in its address: no referrer may carry it on, no index may keep it.
NOTICE_HEADERS: dict[str, str | list[str]] = {
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex",
}
# A status page holds a proof of its case, a recovery page a link's code: neither leaves by a
# referrer, nor is indexed.
PRIVATE_HEADERS: dict[str, str | list[str]] = {
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex",
}
SESSION_COOKIE = "irc_status"
Family = Literal["form", "status", "notice"]
V = TypeVar("V", bound=Callable[..., Response])


@dataclass(frozen=True)
class StatusPost:
    """A form posted from a status page: its language, case id, receipt token and all fields."""

    lang: str
    case_id: str
    receipt_token: str
    fields: Mapping[str, str]


@dataclass(frozen=True)
class NoticePost:
    """A form posted from a notice page: its language, notice token and all fields."""

    lang: str
    case_id: str
    notice_token: str
    fields: Mapping[str, str]


def page_errors(family: Family, *, changes: bool = False) -> Callable[[V], V]:
    """Answer every error a page route raises with a page of its `family`, never a stack trace.

    `changes`: the route changes a case, so after a failure its outcome is unknown (it may
    have committed all the same), and the page says so.
    """

    def seam(view: V) -> V:
        @functools.wraps(view)
        def answer(*args: Any, **kwargs: Any) -> Response:
            try:
                return view(*args, **kwargs)
            except Exception as error:
                return _error_page(error, family, changes)

        return mark(answer, "page")  # type: ignore[return-value]

    return seam


route = routes(bp, page_errors("form"))


@route("/", methods=["GET"], seam=page_errors("form"))
def report_form() -> Response:
    """Show the report form."""
    from ..config import settings

    reader = _reader(_lang())
    configured = settings()
    query = _query()
    kept = {k: query[k][:most] for k, most in forms.PREFILL_MAX.items() if query.get(k)}
    offered = forms.report_form(
        reader,
        query,
        status_address=links.status_address(configured.public_base_url, "{case_id}"),
        evidence_retention_days=configured.evidence_retention_days,
    )
    return _page("form.html", reader, switch_path="/", switch_query=kept, **offered)


@route("/status", methods=["GET"], seam=page_errors("status"))
def status_form() -> Response:
    """Show the form that asks for a case id and its receipt token."""
    case_id = _query().get("case_id", "").strip()[:64]
    return _status_form(_reader(_lang()), case_id=case_id)


@route("/status", methods=["POST"], content_types=FORM_POST, seam=page_errors("status"))
def status_result() -> Response:
    """Prove a case with its receipt token (or a status page's proof), remember it in this
    browser's status session, and send the browser to the case's status address (303), so a
    reload or Back never posts the token again."""
    asked = _status_post()
    if isinstance(asked, Response):
        return asked
    intake = wiring.intake()
    view = intake.claimant_view(asked.case_id, asked.receipt_token)
    # Sent by status.js once an answer is accepted: the status page then says it was received.
    answered = {"answered": "1"} if asked.fields.get("answered") == "1" else {}
    return _to_status_address(
        asked.lang, view.case_id, intake.remember_case(_session(), view.case_id), answered
    )


@route("/status/{case_id}", methods=["GET"], seam=page_errors("status"))
def status_address(case_id: str) -> Response:
    """Show a case to the browser its status session proves, else the status form for it."""
    from ..domain.vocabulary import CaseStatus

    case_id = case_id.strip().upper()[:64]
    reader = _reader(_lang())
    view = wiring.intake().session_view(case_id, _session())
    if view is None:
        return _status_form(reader, case_id=case_id)
    # Only true while the case is back in review, as an accepted answer leaves it.
    answered = _query().get("answered") == "1" and view.status == CaseStatus.IN_REVIEW
    flash = Flash("ok", reader.texts["answer_sent"]) if answered else None
    return _status_page(reader.lang, view, flash=flash)


@route(
    "/status/{case_id}/forget",
    methods=["POST"],
    content_types=FORM_POST,
    seam=page_errors("status"),
)
def forget_case(case_id: str) -> Response:
    """Forget a case in this browser's status session (naturally idempotent), and say so."""
    case_id = case_id.strip().upper()[:64]
    fields = _posted_fields(MAX_STATUS_FORM_BYTES)
    reader = _reader(_lang(fields.get("lang")))
    kept = wiring.intake().forget_case(_session(), case_id)
    answer = _status_form(
        reader,
        case_id=case_id,
        flash=Flash("ok", reader.texts["session_forgotten"].format(case_id=case_id)),
    )
    answer.headers["Set-Cookie"] = _session_cookie(kept)
    return answer


@route(
    "/status/withdrawal",
    methods=["POST"],
    content_types=FORM_POST,
    seam=page_errors("status", changes=True),
)
def withdrawal() -> Response:
    """Withdraw an undecided case for the holder of its receipt token, and show it again."""
    asked = _status_post()
    if isinstance(asked, Response):
        return asked
    texts = _reader(asked.lang).texts
    intake = wiring.intake()
    if asked.fields.get("confirm") != "yes":
        view = intake.claimant_view(asked.case_id, asked.receipt_token)
        return _status_page(
            asked.lang, view, status=422, withdraw_error=texts["withdraw_confirm_missing"]
        )
    try:
        view, _ = intake.withdraw(asked.case_id, asked.receipt_token, _form_key(asked))
    except Conflict:
        view = intake.claimant_view(asked.case_id, asked.receipt_token)
        refusal = status_pages.withdraw_refusal(view, _reader(asked.lang))
        return _status_page(asked.lang, view, status=409, flash=Flash("error", refusal))
    return _status_page(asked.lang, view, flash=Flash("ok", texts["withdrawn_done"]))


@route(
    "/status/recovery",
    methods=["POST"],
    content_types=FORM_POST,
    seam=page_errors("status"),
)
def recovery_request() -> Response:
    """Mail a one-time link to the case if the address is the one its report gave; answer
    alike whether it is or not, and whether the case exists."""
    from .reports import public_base_url

    fields = _posted_fields(MAX_STATUS_FORM_BYTES)
    reader = _reader(_lang(fields.get("lang")))
    texts = reader.texts
    case_id = fields.get("case_id", "").strip().upper()[:64]
    email = fields.get("email", "").strip()[:320]
    errors = {
        name: texts["status_missing"]
        for name, value in (("case_id", case_id), ("email", email))
        if not value
    }
    try:
        if not errors:
            wiring.intake().request_recovery(case_id, {"email": email}, public_base_url())
    except InvalidRequest:
        errors["email"] = texts["recovery_email_invalid"]
    except LimitReached as limited:
        retry_at = reader.moment(limited.retry_at)["text"] if limited.retry_at else ""
        answer = _status_message(
            reader,
            case_id,
            429,
            texts["recovery_limited_title"],
            texts["recovery_limited"].format(retry_at=retry_at),
        )
        answer.headers["Retry-After"] = str(limited.retry_after)
        return answer
    if errors:
        return _status_form(
            reader, status=422, case_id=case_id, recovery_email=email, recovery_errors=errors
        )
    return _status_message(
        reader,
        case_id,
        200,
        texts["recovery_sent_title"],
        texts["recovery_sent"].format(case_id=case_id),
    )


@route("/status/{case_id}/recovery", methods=["GET"], seam=page_errors("status"))
def recovery_link(case_id: str) -> Response:
    """Show a recovery link's button (a mail scanner that fetches the link uses nothing)."""
    case_id = case_id.strip().upper()[:64]
    code = _query().get("code", "")
    reader = _reader(_lang())
    if not wiring.intake().recovery_usable(case_id, code):
        return _recovery_refused(reader, case_id)
    return _page(
        "recovery.html",
        reader,
        switch_path=f"/status/{quote(case_id, safe='')}/recovery",
        switch_query={"code": code},
        cache_control="no-store",
        extra_headers=PRIVATE_HEADERS,
        case_id=case_id,
        code=code,
    )


@route(
    "/status/{case_id}/recovery",
    methods=["POST"],
    content_types=FORM_POST,
    seam=page_errors("status"),
)
def recovery_redeem(case_id: str) -> Response:
    """Use a recovery link once: remember the case in this browser and show it (303)."""
    case_id = case_id.strip().upper()[:64]
    fields = _posted_fields(MAX_STATUS_FORM_BYTES)
    lang = _lang(fields.get("lang"))
    intake = wiring.intake()
    if not intake.redeem_recovery(case_id, fields.get("code", "")):
        return _recovery_refused(_reader(lang), case_id)
    return _to_status_address(lang, case_id, intake.remember_case(_session(), case_id), {})


@route(
    "/status/reposting-answer",
    methods=["POST"],
    content_types=FORM_POST,
    seam=page_errors("status", changes=True),
)
def reposting_answer() -> Response:
    """Answer the poster's re-posting request without JavaScript, and show the case again."""
    asked = _status_post(MAX_NOTICE_FORM_BYTES)
    if isinstance(asked, Response):
        return asked
    reader = _reader(asked.lang)
    intake = wiring.intake()
    statement = asked.fields.get("statement", "")
    try:
        view, _ = intake.answer_reposting(
            asked.case_id, asked.receipt_token, {"statement": statement}, _form_key(asked)
        )
    except InvalidRequest:
        view = intake.claimant_view(asked.case_id, asked.receipt_token)
        failure = status_pages.ReplyFailure(statement, status_pages.reply_invalid(reader))
        return _status_page(asked.lang, view, status=422, reply_failure=failure)
    except Conflict:
        view = intake.claimant_view(asked.case_id, asked.receipt_token)
        refusal = status_pages.reply_refusal(view, reader)
        return _status_page(asked.lang, view, status=409, flash=Flash("error", refusal))
    return _status_page(asked.lang, view, flash=Flash("ok", reader.texts["reposting_answer_sent"]))


@route("/notices/{case_id}", methods=["GET"], seam=page_errors("notice"))
def notice(case_id: str) -> Response:
    """Show the Rights Infringement Notice to the poster who holds its notice token."""
    token = _query().get("token")
    found = wiring.review().notice(case_id, token)
    return _notice_page(found, _lang(), token or "")


@route("/notices/{case_id}", methods=["POST"], content_types=FORM_POST, seam=page_errors("notice"))
def notice_again(case_id: str) -> Response:
    """Show the notice again to the holder of its token, saying what was just sent (notice.js)."""
    asked = _notice_post(case_id)
    found = wiring.review().notice(case_id, asked.notice_token)
    sent = asked.fields.get("sent", "")
    flash = notice_pages.sent_flash(found, sent, _reader(asked.lang)) if sent else None
    return _notice_page(found, asked.lang, asked.notice_token, flash=flash)


@route(
    "/notices/{case_id}/reposting-request",
    methods=["POST"],
    content_types=FORM_POST,
    seam=page_errors("notice", changes=True),
)
def notice_reposting_request(case_id: str) -> Response:
    """Request re-posting without JavaScript (and so without files), and show the notice."""
    from .reports import public_base_url

    asked = _notice_post(case_id)
    statement = asked.fields.get("statement", "")
    body = {"statement": statement, "evidence": []}
    try:
        found, _ = wiring.review().request_reposting(
            case_id, asked.notice_token, body, public_base_url(), _form_key(asked)
        )
    except (InvalidRequest, Conflict) as error:
        return _refused(asked, error, FormFailure("reposting", statement))
    flash = notice_pages.sent_flash(found, "reposting", _reader(asked.lang))
    return _notice_page(found, asked.lang, asked.notice_token, flash=flash)


@route(
    "/notices/{case_id}/appeal",
    methods=["POST"],
    content_types=FORM_POST,
    seam=page_errors("notice", changes=True),
)
def notice_appeal(case_id: str) -> Response:
    """Appeal a restriction without JavaScript, and show the notice."""
    asked = _notice_post(case_id)
    statement = asked.fields.get("statement", "")
    measure_id = asked.fields.get("measure_id", "")
    body = {"measure_id": measure_id, "statement": statement}
    try:
        found, _ = wiring.review().file_appeal(case_id, asked.notice_token, body, _form_key(asked))
    except (InvalidRequest, Conflict) as error:
        return _refused(asked, error, FormFailure(measure_id, statement))
    flash = notice_pages.sent_flash(found, "appeal", _reader(asked.lang))
    return _notice_page(found, asked.lang, asked.notice_token, flash=flash)


@route("/assets/{name}", methods=["GET"], seam=page_errors("form"))
def asset(name: str) -> Response:
    """Serve one of the pages' stylesheets or scripts."""
    if name not in render.ASSET_TYPES:
        return problem(404, "not-found", "Not found", "There is no such asset.")
    found = render.asset(name)
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
    """Return the pages' CSP: only their own assets, and uploads to the evidence store (left
    out when the store cannot be named: the page that says so must still be shown)."""
    try:
        uploads = f" {wiring.intake().upload_origin()}"
    except Exception as error:
        log.warning("no upload origin for the pages' CSP: %s", type(error).__name__)
        uploads = ""
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"connect-src 'self'{uploads}; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    )


def reset() -> None:
    """Forget the loaded templates and assets (tests)."""
    render.templates.cache_clear()
    render.asset.cache_clear()


def _error_page(error: Exception, family: Family, changes: bool) -> Response:
    """Return the page that says a request failed: what a reader can do, never the error."""
    status_code, busy, retry_after = _failure(error)
    # A form too long is not read again; any other says in which language to answer.
    fields = {} if status_code == 413 else _form_fields(MAX_NOTICE_FORM_BYTES) or {}
    reader = _reader(_lang(fields.get("lang")))
    texts = reader.texts
    if family == "status":
        key = {404: "status_not_found", 413: "status_too_long"}.get(status_code)
        key = key or (
            "withdraw_unknown" if changes else "status_busy" if busy else "status_unavailable"
        )
        case_id = fields.get("case_id", "").strip().upper()[:64]
        answer = _status_form(reader, status=status_code, case_id=case_id, message=texts[key])
    elif family == "notice" and status_code == 404:
        answer = _notice_broken(reader)
    elif family == "notice":
        title, key = {
            404: ("notice_invalid_title", "notice_invalid"),
            413: ("notice_refused_title", "notice_too_long"),
        }.get(status_code) or (
            ("notice_unknown_title", "notice_send_unknown")
            if changes
            else ("notice_invalid_title", "notice_busy" if busy else "notice_unavailable")
        )
        case_id = str((bp.current_request.uri_params or {}).get("case_id", ""))
        token = _query().get("token")
        answer = _notice_message(
            reader, status_code, texts[key], case_id, {"token": token} if token else None, title
        )
    else:
        answer = _page(
            "message.html",
            reader,
            switch_path="/",
            status=status_code,
            cache_control="no-store",
            title=texts["form_title"],
            message=texts["page_unavailable"],
        )
    if retry_after is not None:
        answer.headers["Retry-After"] = str(retry_after)
    return answer


def _failure(error: Exception) -> tuple[int, bool, int | None]:
    """Return a failure's status, whether AWS was busy, and when to retry (if one should)."""
    if isinstance(error, HttpProblem):
        return error.status, False, None
    if isinstance(error, LimitReached):
        return 429, True, error.retry_after
    if isinstance(error, DomainError):
        statuses = {NotFound: 404, InvalidRequest: 422, Conflict: 409}
        return (
            next((s for kind, s in statuses.items() if isinstance(error, kind)), 400),
            False,
            None,
        )
    # The message may quote request data or a token; log the type and the frames, never the text.
    log.error("page failed: %s", type(error).__name__, exc_info=error)
    if aws_unavailable(error):
        return 503, True, RETRY_AFTER_SECONDS
    return 500, False, None


def _form_key(asked: StatusPost | NoticePost) -> str | None:
    """Return the Idempotency-Key the page put in its form, so a form sent twice acts once."""
    return asked.fields.get("idempotency_key") or None


def _query() -> Mapping[str, str]:
    return bp.current_request.query_params or {}


def _lang(asked: str | None = None) -> str:
    request = bp.current_request
    return negotiate_lang(asked or _query().get("lang"), request.headers.get("accept-language"))


def _reader(lang: str) -> Reader:
    """Return the reader of `lang`, with the path the public address puts before every page's."""
    from ..config import settings

    return Reader.of(lang, urlsplit(settings().public_base_url).path)


def _posted_fields(limit: int) -> dict[str, str]:
    """Return the fields of a posted form; refuse one longer than `limit` bytes."""
    fields = _form_fields(limit)
    if fields is None:
        raise HttpProblem(413, "too-large", "Form too large", "The form is too long.")
    return fields


def _form_fields(limit: int) -> dict[str, str] | None:
    """Return the fields of a posted form (none for no form), or None for one too long."""
    body = bp.current_request.raw_body or b""
    raw = body.encode() if isinstance(body, str) else body
    if len(raw) > limit:
        return None
    return {
        name: values[0]
        for name, values in parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=True).items()
    }


def _page(
    template: str,
    reader: Reader,
    *,
    switch_path: str,
    switch_query: Mapping[str, str] | None = None,
    status: int = 200,
    cache_control: str = "no-cache",
    extra_headers: Mapping[str, str | list[str]] | None = None,
    **context: Any,
) -> Response:
    html = render.render(
        template, reader, switch_path=switch_path, switch_query=switch_query, **context
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


def _status_form(
    reader: Reader,
    *,
    status: int = 200,
    case_id: str = "",
    message: str | None = None,
    field_errors: Mapping[str, str] | None = None,
    flash: Flash | None = None,
    recovery_email: str = "",
    recovery_errors: Mapping[str, str] | None = None,
) -> Response:
    return _page(
        "status.html",
        reader,
        switch_path=_status_path(case_id),
        status=status,
        cache_control="no-store",
        extra_headers=PRIVATE_HEADERS,
        **status_pages.status_form(
            reader,
            case_id=case_id,
            message=message,
            field_errors=field_errors,
            flash=flash,
            recovery_email=recovery_email,
            recovery_errors=recovery_errors,
        ),
    )


def _status_path(case_id: str) -> str:
    """Return the path the language switch of a status page keeps: its case's, if it has one."""
    from ..domain.ids import is_case_id

    return f"/status/{case_id}" if is_case_id(case_id) else "/status"


def _status_message(reader: Reader, case_id: str, status: int, title: str, text: str) -> Response:
    return _page(
        "message.html",
        reader,
        switch_path=_status_path(case_id),
        status=status,
        cache_control="no-store",
        extra_headers=PRIVATE_HEADERS,
        title=title,
        message=text,
    )


def _recovery_refused(reader: Reader, case_id: str) -> Response:
    """Return the page of a used or expired recovery link, which offers a new one."""
    return _status_form(
        reader,
        status=410,
        case_id=case_id,
        flash=Flash("error", reader.texts["recovery_link_invalid"]),
    )


def _session() -> str | None:
    """Return the status session this browser sent, if any."""
    jar = SimpleCookie()
    try:
        jar.load(bp.current_request.headers.get("cookie", ""))
    except CookieError:
        return None
    found = jar.get(SESSION_COOKIE)
    return found.value if found else None


def _session_cookie(value: str | None) -> str:
    """Return the Set-Cookie of a status session (or the one that clears it): read back only
    by the status pages, never by a script or another site's post."""
    from ..config import settings

    base = urlsplit(settings().public_base_url)
    seconds = int(SESSION_LIFETIME.total_seconds()) if value else 0
    flags = f"Path={base.path}/status; Max-Age={seconds}; HttpOnly; SameSite=Lax"
    if base.scheme == "https":
        flags += "; Secure"
    return f"{SESSION_COOKIE}={value or ''}; {flags}"


def _to_status_address(lang: str, case_id: str, session: str, query: Mapping[str, str]) -> Response:
    """Send the browser to the case's status address, its session remembering the case."""
    from ..config import settings
    from ..services.links import status_address

    where = status_address(urlsplit(settings().public_base_url).path, case_id)
    headers: dict[str, str | list[str]] = {
        "Location": f"{where}?{urlencode({'lang': lang, **query})}",
        "Cache-Control": "no-store",
        "Set-Cookie": _session_cookie(session),
        **PRIVATE_HEADERS,
    }
    return Response(body="", status_code=303, headers=headers)


def _status_post(limit: int = MAX_STATUS_FORM_BYTES) -> StatusPost | Response:
    """Return what a status form posted, or the form again saying what is missing."""
    fields = _posted_fields(limit)
    lang = _lang(fields.get("lang"))
    reader = _reader(lang)
    case_id = fields.get("case_id", "").strip().upper()[:64]
    token = fields.get("receipt_token", "").strip()
    missing = {
        name: reader.texts["status_missing"]
        for name, value in (("case_id", case_id), ("receipt_token", token))
        if not value
    }
    if missing:
        return _status_form(reader, status=422, case_id=case_id, field_errors=missing)
    return StatusPost(lang=lang, case_id=case_id, receipt_token=token, fields=fields)


def _status_page(
    lang: str,
    view: ClaimantView,
    *,
    status: int = 200,
    flash: Flash | None = None,
    withdraw_error: str | None = None,
    reply_failure: status_pages.ReplyFailure | None = None,
) -> Response:
    """Return a case's status page; its forms carry a short-lived proof of the case, never the
    receipt token."""
    reader = _reader(lang)
    proof = wiring.intake().case_proof(view.case_id)
    context = status_pages.status_result(
        view,
        reader,
        receipt_token=proof,
        flash=flash,
        withdraw_error=withdraw_error,
        reply_failure=reply_failure,
    )
    return _page(
        "status_result.html",
        reader,
        switch_path=f"/status/{view.case_id}",
        status=status,
        cache_control="no-store",
        extra_headers=PRIVATE_HEADERS,
        **context,
    )


def _notice_message(
    reader: Reader,
    status: int,
    message: str,
    case_id: str,
    switch_query: Mapping[str, str] | None,
    title_key: str,
) -> Response:
    return _page(
        "message.html",
        reader,
        switch_path=f"/notices/{quote(case_id, safe='')}",
        switch_query=switch_query,
        status=status,
        cache_control="no-store",
        extra_headers=NOTICE_HEADERS,
        title=reader.texts[title_key],
        message=message,
    )


def _notice_broken(reader: Reader) -> Response:
    """Return the page for a notice link that opens no notice: the same for every mismatch."""
    from ..config import settings

    case_id = str((bp.current_request.uri_params or {}).get("case_id", ""))
    token = _query().get("token")
    return _page(
        "notice_help.html",
        reader,
        switch_path=f"/notices/{quote(case_id, safe='')}",
        switch_query={"token": token} if token else None,
        status=404,
        cache_control="no-store",
        extra_headers=NOTICE_HEADERS,
        contact_url=settings().customer_service_url,
    )


def _notice_post(case_id: str) -> NoticePost:
    """Return what a notice form posted (a form too long is refused by the error seam)."""
    fields = _posted_fields(MAX_NOTICE_FORM_BYTES)
    return NoticePost(
        lang=_lang(fields.get("lang")),
        case_id=case_id,
        notice_token=fields.get("notice_token", "").strip(),
        fields=fields,
    )


def _refused(asked: NoticePost, error: DomainError, failure: FormFailure) -> Response:
    """Show the notice again with why a form was refused, next to its field where it has one."""
    found = wiring.review().notice(asked.case_id, asked.notice_token)
    refused = notice_pages.refused(error, failure, _reader(asked.lang))
    status_code = 422 if isinstance(error, InvalidRequest) else 409
    return _notice_page(found, asked.lang, asked.notice_token, status=status_code, failure=refused)


def _notice_page(
    found: PosterNotice,
    lang: str,
    token: str,
    *,
    status: int = 200,
    flash: Flash | None = None,
    failure: FormFailure | None = None,
) -> Response:
    reader = _reader(lang)
    return _page(
        "notice.html",
        reader,
        switch_path=f"/notices/{found.case_id}",
        switch_query={"token": token} if token else None,
        status=status,
        cache_control="no-store",
        extra_headers=NOTICE_HEADERS,
        **notice_pages.notice_page(found, reader, notice_token=token, flash=flash, failure=failure),
    )
