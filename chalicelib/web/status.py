"""The claimant's status pages: the form that asks for a case and its token, and the case."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import forms, measures
from .reader import dated

if TYPE_CHECKING:
    from ..domain.case import ClaimantView, RepostingRequest
    from ..domain.reports import ReportedTarget
    from ..domain.timeline import TimelineEntry
    from .forms import Flash
    from .reader import Reader

# Why a withdrawal was refused, and the words that say it.
_REFUSALS = {
    "already_withdrawn": "withdraw_already",
    "changed_meanwhile": "withdraw_stale",
    "decided": "withdraw_decided",
}


@dataclass(frozen=True)
class ReplyFailure:
    """A claimant's answer to a re-posting request the server refused: what was typed, and why."""

    statement: str
    error: str


def status_form(
    reader: Reader,
    *,
    case_id: str = "",
    message: str | None = None,
    field_errors: Mapping[str, str] | None = None,
    flash: Flash | None = None,
    recovery_email: str = "",
    recovery_errors: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Return the form that asks for a case id and its receipt token, and what went wrong: a
    summary on top, where focus starts, with a link to each refused field."""
    errors = field_errors or {}
    labels = {"case_id": "case_id_label", "receipt_token": "receipt_token_label"}
    entries = [
        (name.replace("_", "-"), forms.summary_entry(reader, reader.texts[label], errors[name]))
        for name, label in labels.items()
        if name in errors
    ]
    summary = forms.error_summary(reader, entries, message) if entries or message else None
    asked = recovery_errors or {}
    focus: str | None = None
    if asked and not summary:
        focus = "recovery-case-id" if "case_id" in asked else "recovery-email"
    return {
        "case_id": case_id,
        "message": message,
        "field_errors": errors,
        "summary": summary,
        "focus": focus,
        "flash": flash,
        "recovery": {"email": recovery_email, "errors": asked},
    }


def status_result(
    view: ClaimantView,
    reader: Reader,
    *,
    receipt_token: str,
    flash: Flash | None = None,
    withdraw_error: str | None = None,
    reply_failure: ReplyFailure | None = None,
) -> dict[str, Any]:
    """Return what the claimant reads of their case, and what they may still do."""
    from ..domain.outcomes import may_withdraw
    from ..domain.remedies import reposting_answer_refusal

    information = _information(view, reader)
    answering = information is not None and not information["overdue"]
    request = view.reposting_request
    return {
        "case": _case(view, reader),
        "measures_now": measures.measures_now(view.measures, view.standings, reader, poster=False),
        "reposting": measures.reposting(request, reader, poster=False) if request else None,
        "reposting_answer": _reposting_answer(request, reader),
        "reply": _reply(view.case_id, reader, reply_failure)
        if reposting_answer_refusal(view.status, request) is None
        else None,
        "flash": flash,
        "information": information,
        "expect": _expect(view, reader),
        "timeline": [_timeline_entry(entry, reader) for entry in view.timeline],
        "answer": _answer(view.case_id, reader) if answering else None,
        # The page is never stored; its forms carry the token so it never enters an address.
        "receipt_token": receipt_token,
        "withdrawable": may_withdraw(view.status),
        "withdraw_error": withdraw_error,
    }


def withdraw_refusal(view: ClaimantView, reader: Reader) -> str:
    """Return why a withdrawal was refused, judged from the case as it is now."""
    from ..domain.outcomes import withdrawal_refusal

    return str(reader.texts[_REFUSALS[withdrawal_refusal(view.status)]])


def _case(view: ClaimantView, reader: Reader) -> dict[str, Any]:
    texts = reader.texts
    return {
        "case_id": view.case_id,
        "status": view.status.value,
        "status_text": texts["statuses"][view.status.value],
        "received_at": reader.moment(view.received_at),
        "updated_at": reader.moment(view.updated_at),
        "surface": texts["surfaces"][view.surface.value]["label"],
        "grounds": [texts["grounds"][g.value]["label"] for g in view.grounds],
        "ip_right": texts["ip_rights"][view.ip_right.value] if view.ip_right else None,
        "requested_action": texts["actions"][view.requested_action.value]["label"],
        "target": target_display(view.target),
        "statement": view.statement,
        "files": [
            {"name": f.filename, "size": reader.size(f.size), "kind": texts["file_kinds"][f.kind]}
            for f in view.evidence
        ],
        "decisions": [measures.decision(d, reader) for d in view.decisions],
    }


def _information(view: ClaimantView, reader: Reader) -> dict[str, Any] | None:
    """Return the open request for information, and whether its deadline has passed."""
    request = view.information_request
    if request is None:
        return None
    return {
        "message": request.message,
        "requested_at": reader.moment(request.requested_at),
        "due_at": reader.moment(request.due_at),
        "overdue": view.information_overdue,
    }


def _answer(case_id: str, reader: Reader) -> dict[str, Any]:
    """Return what the answer form shows and what status.js needs to send the answer."""
    config = forms.upload_config(reader)
    return {
        "limits": config["limits"],
        "accept": forms.accept(),
        "client_config": {
            **config,
            "informationUrl": f"{reader.base}/v1/reports/{case_id}/information",
            "messages": forms.script_words(reader, "answer_js"),
        },
    }


def target_display(target: ReportedTarget) -> dict[str, Any]:
    """Return how the page names what was reported (the one place that knows a target's forms)."""
    if target.url is not None:
        return {"kind": "url", "url": target.url, "description": target.description}
    return {
        "kind": "content_ref",
        "content_ref": target.content_ref,
        "description": target.description,
    }


def _expect(view: ClaimantView, reader: Reader) -> dict[str, Any] | None:
    """Return when the claimant may expect a decision, and whether it is late; None if none is
    awaited from a reviewer."""
    if view.decide_by is None:
        return None
    day = reader.day_ending(view.decide_by)
    key = "status_view_overdue" if view.decision_overdue else "status_view_decide_by"
    return {
        "overdue": view.decision_overdue,
        "decide_by": view.decide_by,
        "text": dated(str(reader.texts[key]), day),
    }


def _timeline_entry(entry: TimelineEntry, reader: Reader) -> dict[str, Any]:
    """Return one entry of the case's timeline in the reader's words."""
    texts = reader.texts
    said = texts["timeline_entries"][entry.kind]
    if entry.kind == "reposting_decided":
        said = said[entry.outcome]
    elif entry.kind == "closed":
        said = said[entry.status.value if entry.status else "closed"]
    taken = [
        {
            "label": measures.measure_label(m.type, {"service": m.service}, reader, poster=False),
            "until": reader.say(texts["until"], m.ends_at) if m.ends_at else None,
        }
        for m in entry.measures
    ]
    if entry.kind in ("measure_ended", "measure_lifted"):
        said = said.replace("{measure}", taken[0]["label"])
        taken = []
    return {
        "kind": entry.kind,
        "at": reader.moment(entry.at),
        "text": reader.say(str(said), entry.due_at),
        "measures": taken,
        "note": texts["measure_notes"].get(entry.note) if entry.note else None,
    }


def reply_invalid(reader: Reader) -> str:
    """Return what an answer to a re-posting request must be, in the reader's words."""
    return str(reader.texts["reposting_answer_invalid"].format(**_reply_limits()))


def reply_refusal(view: ClaimantView, reader: Reader) -> str:
    """Return why an answer to a re-posting request was refused, judged from the case now."""
    request = view.reposting_request
    answered = request is not None and request.answer is not None
    return str(reader.texts["reposting_answer_already" if answered else "reposting_answer_closed"])


def _reposting_answer(request: RepostingRequest | None, reader: Reader) -> dict[str, Any] | None:
    """Return the claimant's answer to the re-posting request, once sent."""
    if request is None or request.answer is None:
        return None
    return {
        "statement": request.answer.statement,
        "answered_at": reader.moment(request.answer.answered_at),
    }


def _reply(case_id: str, reader: Reader, failure: ReplyFailure | None) -> dict[str, Any]:
    """Return the form that answers the re-posting request (it works without JavaScript)."""
    return {
        "action": f"{reader.base}/status/reposting-answer",
        "limits": _reply_limits(),
        "statement": failure.statement if failure else "",
        "error": failure.error if failure else None,
    }


def _reply_limits() -> dict[str, int]:
    from ..domain.remedies import REPOSTING_ANSWER_MAX, REPOSTING_ANSWER_MIN

    return {"min": REPOSTING_ANSWER_MIN, "max": REPOSTING_ANSWER_MAX}
