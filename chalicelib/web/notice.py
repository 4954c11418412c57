"""The poster's Rights Infringement Notice: the measures, where they stand, the poster's forms."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import forms, measures
from .forms import Flash

if TYPE_CHECKING:
    from ..domain.errors import DomainError
    from ..domain.notice import PosterNotice
    from .reader import Reader


@dataclass(frozen=True)
class FormFailure:
    """A poster's form the server refused: which form, what was typed, and what is wrong."""

    form: str  # "reposting", or the id of the appealed measure
    statement: str
    fields: Mapping[str, str] = field(default_factory=dict)
    others: list[str] = field(default_factory=list)


def notice_page(
    notice: PosterNotice,
    reader: Reader,
    *,
    notice_token: str,
    flash: Flash | None = None,
    failure: FormFailure | None = None,
) -> dict[str, Any]:
    """Return what the notice page shows: the notice, a message on top, the token its forms send."""
    context = notice_context(notice, reader, failure)
    shown = {"reposting"} if context["reposting"] else set()
    shown |= {appeal["measure_id"] for appeal in context["appeals"]}
    if failure and failure.form not in shown:
        # The form is gone (sent already, or no longer allowed): say why at the top instead.
        said = [*failure.fields.values(), *failure.others] or [reader.texts["notice_form_failed"]]
        flash = Flash("error", " ".join(said))
    # The page is never stored; its forms carry the token for notice.js to send in a header.
    return {"notice": context, "flash": flash, "notice_token": notice_token}


def notice_context(
    notice: PosterNotice, reader: Reader, failure: FormFailure | None = None
) -> dict[str, Any]:
    """Return what the poster reads and may do: the measures, their state, the forms."""
    texts = reader.texts
    status = notice.status.value
    request = notice.reposting_request
    address = f"{reader.base}/notices/{notice.case_id}"
    reposting = None
    if notice.reposting_request_possible and notice.reposting_until:
        reposting = {
            "ends_at": reader.moment(notice.reposting_until),
            "action": f"{address}/reposting-request",
            "failure": failure if failure and failure.form == "reposting" else None,
            "summary": _summary(
                failure, "reposting", "reposting-statement", "notice_reposting_reason_label", reader
            ),
        }
    appealable = set(notice.appealable_measures)
    appeals = [
        {
            "summary": _summary(
                failure,
                m.measure_id,
                f"appeal-{index}-statement",
                "notice_appeal_reason_label",
                reader,
            ),
            "measure_id": m.measure_id,
            "title": texts["notice_appeal_form_title"].format(
                measure=measures.measure_label(m.type, m.parameters, reader, poster=True)
            ),
            "until": reader.say(texts["notice_appeal_until"], m.ends_at) if m.ends_at else None,
            "action": f"{address}/appeal",
            "failure": failure if failure and failure.form == m.measure_id else None,
        }
        for index, m in enumerate(
            (m for m in notice.measures if m.measure_id in appealable), start=1
        )
    ]
    return {
        "case_id": notice.case_id,
        "surface": texts["surfaces"][notice.surface.value]["label"],
        "content_url": notice.content_url,
        "content_ref": notice.content_ref,
        "grounds": [texts["grounds"][g.value]["label"] for g in notice.grounds],
        "status_code": status,
        "status": texts["notice_statuses"].get(status)
        or {"label": texts["statuses"][status]["label"], "explanation": ""},
        "decisions": [measures.decision(d, reader, poster=True) for d in notice.decisions],
        "measures_now": measures.measures_now(
            notice.measures, notice.standings, reader, poster=True
        ),
        "request": measures.reposting(request, reader, poster=True) if request else None,
        "reposting": reposting,
        "appeals": appeals,
        "refresh_action": address,
        "limits": forms.limits(reader),
        "accept": forms.accept(),
        "client_config": _client_config(notice.case_id, reader) if reposting or appeals else None,
    }


def _summary(
    failure: FormFailure | None, form: str, statement_id: str, label: str, reader: Reader
) -> dict[str, Any] | None:
    """Return the error summary of one poster's form the server refused, if it is this one."""
    if failure is None or failure.form != form:
        return None
    entries: list[tuple[str | None, str]] = [
        (statement_id, forms.summary_entry(reader, reader.texts[label], message))
        for message in failure.fields.values()
    ]
    entries += [(None, message) for message in failure.others]
    return forms.error_summary(reader, entries, reader.texts["notice_form_failed"])


def refused(error: DomainError, failure: FormFailure, reader: Reader) -> FormFailure:
    """Return a refused form with why, next to its field where it has one."""
    words = forms.script_words(reader, "notice_js")
    limits = forms.limits(reader)
    fields: dict[str, str] = {}
    others: list[str] = []
    for item in error.errors:
        message = forms.localize(item, words, limits, reader.lang)
        if forms.base_field(item.field) == "statement":
            if message not in fields.get("statement", ""):
                fields["statement"] = f"{fields.get('statement', '')} {message}".strip()
        elif message not in others:
            others.append(message)
    return FormFailure(failure.form, failure.statement, fields, others)


def sent_flash(notice: PosterNotice, sent: str, reader: Reader) -> Flash | None:
    """Return the note that a request was sent, if the notice shows that it was."""
    done = {
        "reposting": notice.reposting_request is not None,
        "appeal": any(m.appeal is not None for m in notice.measures),
    }
    return Flash("ok", reader.texts["notice_sent"][sent]) if done.get(sent) else None


def _client_config(case_id: str, reader: Reader) -> dict[str, Any]:
    """Return what notice.js needs to upload files and send the poster's requests."""
    return {
        **forms.upload_config(reader),
        "repostingUrl": f"{reader.base}/v1/notices/{case_id}/reposting-requests",
        "appealsUrl": f"{reader.base}/v1/notices/{case_id}/appeals",
        "messages": forms.script_words(reader, "notice_js"),
    }
