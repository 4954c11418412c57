"""Decisions, measures and re-posting requests in the reader's words, for either side of a case."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..domain.vocabulary import MeasureKind

if TYPE_CHECKING:
    from ..domain.case import MeasureInForce, RepostingRequest
    from ..domain.decisions import AppliedMeasure, PublicDecision
    from ..domain.outcomes import MeasureStanding
    from .reader import Reader


def measure_label(kind: str, parameters: Mapping[str, Any], reader: Reader, *, poster: bool) -> str:
    """Return a measure's name: the poster is addressed as "you", the claimant reads "poster"."""
    texts = reader.texts
    specific = (
        f"restrict_user_{parameters.get('service')}" if kind == MeasureKind.RESTRICT_USER else kind
    )
    if poster:
        label = texts["notice_measures"].get(specific, {}).get("label")
    else:
        label = texts["measures"].get(specific)
    return str(label or texts["measures"].get(kind, kind))


def decision(decision: PublicDecision, reader: Reader, *, poster: bool = False) -> dict[str, Any]:
    """Return one decision in the reader's words: the measures, the ground, the facts, redress."""
    from ..domain.outcomes import offers_redress

    texts = reader.texts
    statement = decision.statement
    ground = statement.decision_ground
    redress = (
        [texts["redress"][code] for code in statement.redress if code in texts["redress"]]
        if offers_redress(decision.measures)
        else []
    )
    return {
        "decided_at": reader.moment(decision.decided_at),
        "measures": [measure(m, reader, poster=poster) for m in decision.measures],
        "ground": texts["decision_grounds"].get(ground, ground) if ground else None,
        "legal_ground": statement.illegal_content_legal_ground,
        "policy_ground": statement.incompatible_content_ground,
        "facts": statement.decision_facts,
        "automated": texts["automated"].get(
            statement.automated_decision, statement.automated_decision
        ),
        "redress": redress,
    }


def measure(applied: AppliedMeasure, reader: Reader, *, poster: bool) -> dict[str, Any]:
    """Return one measure in words: what, until when, and the reason or request it carries."""
    texts = reader.texts
    kind: str = applied.type
    if kind == MeasureKind.RESTRICT_USER:
        kind = f"restrict_user_{applied.parameters.get('service')}"
    if poster:
        said = texts["notice_measures"].get(kind, {})
        label, explanation = said.get("label"), said.get("explanation")
    else:
        label, explanation = texts["measures"].get(kind), None
    reason = applied.parameters.get("reason") if applied.type == MeasureKind.REJECT else None
    message = (
        applied.parameters.get("message")
        if applied.type == MeasureKind.REQUEST_INFORMATION
        else None
    )
    return {
        "type": applied.type,
        "label": label or texts["measures"].get(applied.type, applied.type),
        "explanation": explanation,
        "ends_at": reader.moment(applied.ends_at) if applied.ends_at else None,
        "until": texts["answer_by" if applied.type == MeasureKind.REQUEST_INFORMATION else "until"],
        "reason": texts["reject_reasons"].get(str(reason)) if reason else None,
        "message": str(message) if message else None,
    }


def measures_now(
    measures: list[MeasureInForce],
    standings: list[MeasureStanding],
    reader: Reader,
    *,
    poster: bool,
) -> list[dict[str, Any]]:
    """Return where each measure stands in words, as the view found them when it was read."""
    found = {s.measure_id: s for s in standings}
    return [
        measure_now(m, found[m.measure_id], reader, poster=poster)
        for m in measures
        if m.measure_id in found
    ]


def measure_now(
    measure: MeasureInForce, standing: MeasureStanding, reader: Reader, *, poster: bool
) -> dict[str, Any]:
    """Return where one measure stands in words, and for the poster their appeal against it."""
    texts = reader.texts
    state, moment, note = standing.state, standing.since, standing.note
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
        "label": measure_label(measure.type, measure.parameters, reader, poster=poster),
        "text": reader.say(texts["measure_states"][key], moment),
        "note": texts["measure_notes"][note] if note else None,
        "appeal": {
            "filed": reader.say(texts["appeal_states"]["filed"], appeal.filed_at),
            "statement": appeal.statement,
            "outcome": outcome,
            "outcome_text": reader.say(
                texts["appeal_states"][outcome or "pending"], appeal.decided_at
            ),
        }
        if appeal
        else None,
    }


def reposting(request: RepostingRequest, reader: Reader, *, poster: bool) -> dict[str, Any]:
    """Return the poster's request to re-post, and how it was decided, for either side."""
    texts = reader.texts
    outcomes = texts["reposting_outcomes" if poster else "claimant_reposting_outcomes"]
    outcome = request.outcome or "pending"
    referral = request.referral if request.outcome == "upheld" else None
    return {
        "requested_at": reader.moment(request.requested_at),
        "intro": reader.say(texts["claimant_reposting_intro"], request.requested_at),
        "statement": request.statement,
        # The poster's files are theirs to see; the claimant is not shown them.
        "files": [{"name": f.filename, "size": reader.size(f.size)} for f in request.evidence]
        if poster
        else [],
        "outcome": outcome,
        "outcome_text": reader.say(
            outcomes[outcome], request.decided_at if request.outcome else None
        ),
        "referral": texts["referrals"][referral] if referral else None,
    }
