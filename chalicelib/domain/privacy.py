"""Erasure of a closed case's personal data; the audit trail, which holds none, still verifies."""

from __future__ import annotations

from .case import Case
from .clock import iso
from .errors import Conflict, FieldError
from .lifecycle import Actor, Change, Context, chain_events
from .vocabulary import CaseStatus

CLOSED = frozenset(
    {
        CaseStatus.REJECTED,
        CaseStatus.WITHDRAWN,
        CaseStatus.REINSTATED,
        CaseStatus.CLOSED,
        CaseStatus.CLOSED_NO_RESPONSE,
    }
)
ERASED = "[erased]"
ERASED_EMAIL = "erased@erased.invalid"


def erase_personal_data(case: Case, actor: Actor, context: Context) -> Change:
    """Replace the claimant's name, email, phone and principal's name in a closed case.

    The case's files are erased when their retention ends (the caller marks them); the event
    says how many.
    """
    if case.status not in CLOSED:
        names = ", ".join(sorted(s.value for s in CLOSED))
        raise Conflict(
            f"Only a closed case can be erased; this one is {case.status.value}.",
            [FieldError("status", f"is {case.status.value}; allowed: {names}", "transition")],
        )
    if case.claimant.email == ERASED_EMAIL:
        raise Conflict(
            "This case's personal data was already erased.",
            [FieldError("status", "already erased", "erased")],
        )
    claimant = case.claimant.model_copy(
        update={
            "name": ERASED,
            "email": ERASED_EMAIL,
            "phone": None,
            "principal_name": ERASED if case.claimant.principal_name else None,
        }
    )
    erased = ["claimant.name", "claimant.email", "claimant.phone", "claimant.principal_name"]
    details = {"fields": erased, "files_erased_after_retention": len(case.all_evidence)}
    events = chain_events(case, case.status, actor, context, [("personal_data_erased", details)])
    changed = case.model_copy(
        update={
            "claimant": claimant,
            "version": case.version + 1,
            "updated_at": iso(context.now),
            "chain": events[-1].head,
        }
    )
    return Change(changed, events, case.version)
