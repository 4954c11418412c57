"""Erasure of a closed case's personal data; the audit trail, which holds none, still verifies."""

from __future__ import annotations

from typing import Any

from .case import Case, EvidenceFile
from .decisions import AppliedMeasure
from .errors import Conflict, FieldError
from .lifecycle import Actor, Change, Context, apply, chain_events
from .transitions import ERASABLE, Step, next_status

ERASED = "[erased]"
ERASED_EMAIL = "erased@erased.invalid"


def erase_personal_data(case: Case, actor: Actor, context: Context) -> Change:
    """Erase every free text of a closed case, whoever wrote it: the claimant's name, email,
    phone and principal's name, the statement, the target's description, every file's name, the
    claimant's answers (to a request for information and to a re-posting request), the poster's
    re-posting and appeal statements, and the reviewers' words (the request for information,
    each decision's facts and note, the remedies' facts). The target's address stays: it names
    the content acted on, not a person's words.

    What the trail needs stays as it was: it holds only hashes (of the files, and of the
    re-posting, answer and appeal statements), so it still verifies. The case's files are erased
    when their retention ends (the caller marks them); the event says how many.
    """
    if case.status not in ERASABLE:
        names = ", ".join(sorted(s.value for s in ERASABLE))
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
    erased += ["statement", "target.description", "file names"]
    erased += ["information_provided.statement", "reposting_request.statement"]
    erased += ["reposting_request.answer.statement"]
    erased += ["measures.appeal.statement", "information_request.message"]
    erased += ["decisions.statement.decision_facts", "decisions.note"]
    erased += ["reposting_request.facts", "measures.appeal.facts"]
    details = {"fields": erased, "files_erased_after_retention": len(case.all_evidence)}
    status = next_status(case.status, Step.ERASE)
    events = chain_events(case, status, actor, context, [("personal_data_erased", details)])
    return apply(case, status, events, context, **_texts_erased(case), claimant=claimant)


def _texts_erased(case: Case) -> dict[str, Any]:
    """Return the case's free texts and file names, erased (the fields a model_copy replaces)."""
    target = case.target.model_copy(
        update={"description": ERASED if case.target.description else None}
    )
    answers = [
        answer.model_copy(update={"statement": ERASED, "evidence": _files(answer.evidence)})
        for answer in case.information_provided
    ]
    reposting = case.reposting_request
    if reposting is not None:
        reposting = reposting.model_copy(
            update={
                "statement": ERASED,
                "evidence": _files(reposting.evidence),
                "facts": ERASED if reposting.facts else None,
                "answer": reposting.answer.model_copy(update={"statement": ERASED})
                if reposting.answer
                else None,
            }
        )
    measures = [
        measure.model_copy(
            update={
                "appeal": measure.appeal.model_copy(
                    update={"statement": ERASED, "facts": ERASED if measure.appeal.facts else None}
                )
            }
        )
        if measure.appeal
        else measure
        for measure in case.measures
    ]
    decisions = [
        decision.model_copy(
            update={
                "statement": decision.statement.model_copy(update={"decision_facts": ERASED}),
                "note": ERASED if decision.note else None,
                "measures": [_words_erased(m) for m in decision.measures],
            }
        )
        for decision in case.decisions
    ]
    asked = case.information_request
    attorney = case.power_of_attorney
    suspension = case.claimant_suspension
    if suspension is not None:
        # The suspension's end and its key (a keyed hash) stay: it may still be in force.
        suspension = suspension.model_copy(
            update={
                "reasons": suspension.reasons.model_copy(update={"facts": ERASED}),
                "contest": ERASED if suspension.contest else None,
                "lift_facts": ERASED if suspension.lift_facts else None,
            }
        )
    return {
        "claimant_suspension": suspension,
        "decisions": decisions,
        "information_request": asked.model_copy(update={"message": ERASED}) if asked else None,
        "statement": ERASED,
        "target": target,
        "evidence": _files(case.evidence),
        "power_of_attorney": _files([attorney])[0] if attorney else None,
        "information_provided": answers,
        "reposting_request": reposting,
        "measures": measures,
    }


def _words_erased(measure: AppliedMeasure) -> AppliedMeasure:
    # A request for information carries the reviewer's message among its parameters.
    if "message" not in measure.parameters:
        return measure
    return measure.model_copy(update={"parameters": {**measure.parameters, "message": ERASED}})


def _files(files: list[EvidenceFile]) -> list[EvidenceFile]:
    # The name goes; the kind, type, size and SHA-256 stay (the trail holds the same hashes).
    return [f.model_copy(update={"filename": ERASED}) for f in files]
