"""The claimant's status pages: the form that asks for a case and its token, and the case."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from . import forms, measures

if TYPE_CHECKING:
    from ..domain.case import ClaimantView
    from .forms import Flash
    from .reader import Reader

# Why a withdrawal was refused, and the words that say it.
_REFUSALS = {
    "already_withdrawn": "withdraw_already",
    "changed_meanwhile": "withdraw_stale",
    "decided": "withdraw_decided",
}


def status_form(
    *,
    case_id: str = "",
    message: str | None = None,
    field_errors: Mapping[str, str] | None = None,
    flash: Flash | None = None,
    recovery_email: str = "",
    recovery_errors: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Return the form that asks for a case id and its receipt token, the form that asks for a
    link to the case by mail, and what went wrong."""
    errors = field_errors or {}
    asked = recovery_errors or {}
    focus: str | None
    if message or "case_id" in errors:
        focus = "case-id"
    elif "receipt_token" in errors:
        focus = "receipt-token"
    elif asked:
        focus = "recovery-case-id" if "case_id" in asked else "recovery-email"
    else:
        focus = None
    return {
        "case_id": case_id,
        "message": message,
        "field_errors": errors,
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
) -> dict[str, Any]:
    """Return what the claimant reads of their case, and what they may still do."""
    from ..domain.outcomes import may_withdraw

    information = _information(view, reader)
    answering = information is not None and not information["overdue"]
    request = view.reposting_request
    return {
        "case": _case(view, reader),
        "measures_now": measures.measures_now(view.measures, view.standings, reader, poster=False),
        "reposting": measures.reposting(request, reader, poster=False) if request else None,
        "flash": flash,
        "information": information,
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
