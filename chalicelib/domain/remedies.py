"""What the poster may do against a measure (re-posting, appeal) and how a reviewer decides it."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Annotated, Literal

from pydantic import ConfigDict, Field

from .base import Model
from .case import Appeal, Case, EvidenceFile, MeasureInForce, RepostingAnswer, RepostingRequest
from .claims import ensure_not_claimed_by_other
from .clock import iso, parse_iso
from .decisions import Reasons
from .errors import Conflict, FieldError
from .lifecycle import Actor, Change, Context, apply, chain_events, require_version
from .reports import STATEMENT_MAX, STATEMENT_MIN, UploadId
from .transitions import Step, next_status
from .vocabulary import RESTRICTIONS, CaseStatus, MeasureKind

APPEAL_WINDOW = timedelta(days=180)
POSTER = Actor("poster", "poster")
CLAIMANT = Actor("claimant", "claimant")
# The claimant's answer to a re-posting request: as long as any statement of the case.
REPOSTING_ANSWER_MIN = STATEMENT_MIN
REPOSTING_ANSWER_MAX = STATEMENT_MAX


class RepostingRequestBody(Model):
    """The poster asks for blocked content to come back, saying why, with optional evidence."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    statement: Annotated[str, Field(min_length=STATEMENT_MIN, max_length=STATEMENT_MAX)]
    evidence: Annotated[list[UploadId], Field(default_factory=list, max_length=10)]


class RepostingAnswerBody(Model):
    """The claimant answers the poster's re-posting request, for the reviewer who decides it."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    statement: Annotated[
        str, Field(min_length=REPOSTING_ANSWER_MIN, max_length=REPOSTING_ANSWER_MAX)
    ]


class AppealBody(Model):
    """The restricted user appeals one restriction, saying why."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    measure_id: str
    statement: Annotated[str, Field(min_length=STATEMENT_MIN, max_length=STATEMENT_MAX)]


class RepostingDecision(Model):
    """A reviewer reinstates the content, or upholds the block and records where it may go next."""

    model_config = ConfigDict(extra="forbid")

    expected_version: Annotated[int, Field(ge=1)]
    outcome: Literal["reinstate", "uphold"]
    referral: Literal["kcsc", "court", "none"] = "none"
    reasons: Reasons


class AppealDecision(Model):
    """A reviewer lifts a restriction on appeal, or upholds it."""

    model_config = ConfigDict(extra="forbid")

    expected_version: Annotated[int, Field(ge=1)]
    measure_id: str
    outcome: Literal["lift", "uphold"]
    reasons: Reasons


def block_in_force(case: Case, now: datetime) -> MeasureInForce | None:
    """Return the block of the case's content that is in force now, if there is one."""
    return next(
        (m for m in case.measures if m.type == MeasureKind.BLOCK_CONTENT and m.in_force_at(now)),
        None,
    )


def request_reposting(
    case: Case, statement: str, files: list[EvidenceFile], context: Context
) -> Change:
    """Record the poster's request to re-post; allowed once, while a block is in force."""
    ensure_reposting_allowed(case, context.now)
    status = next_status(case.status, Step.REQUEST_REPOSTING)
    block = block_in_force(case, context.now)
    assert block is not None
    request = RepostingRequest(statement=statement, requested_at=iso(context.now), evidence=files)
    events = chain_events(
        case,
        status,
        POSTER,
        context,
        [
            (
                "reposting_requested",
                {
                    "measure_id": block.measure_id,
                    "statement_sha256": _digest(statement),
                    "evidence_sha256": [f.sha256 for f in files],
                },
            )
        ],
    )
    return apply(case, status, events, context, reposting_request=request)


def ensure_reposting_allowed(case: Case, now: datetime) -> None:
    """Raise what forbids a re-posting request now, if anything does."""
    if case.reposting_request is not None:
        raise Conflict(
            "Re-posting was already requested for this content; a case allows one request.",
            [FieldError("statement", "was already sent once", "once")],
        )
    next_status(case.status, Step.REQUEST_REPOSTING)
    if block_in_force(case, now) is None:
        raise Conflict(
            "Re-posting can be requested only while the content is blocked.",
            [FieldError("statement", "no block of this content is in force", "no_block")],
        )


def answer_reposting(case: Case, statement: str, context: Context) -> Change:
    """Record the claimant's answer to the undecided re-posting request; allowed once."""
    ensure_reposting_answerable(case)
    status = next_status(case.status, Step.ANSWER_REPOSTING)
    assert case.reposting_request is not None
    answer = RepostingAnswer(statement=statement, answered_at=iso(context.now))
    events = chain_events(
        case,
        status,
        CLAIMANT,
        context,
        [("reposting_answered", {"statement_sha256": _digest(statement)})],
    )
    request = case.reposting_request.model_copy(update={"answer": answer})
    return apply(case, status, events, context, reposting_request=request)


def ensure_reposting_answerable(case: Case) -> None:
    """Raise what forbids the claimant to answer a re-posting request now, if anything does."""
    refusal = reposting_answer_refusal(case.status, case.reposting_request)
    if refusal is not None:
        raise refusal


def reposting_answer_refusal(
    status: CaseStatus, request: RepostingRequest | None
) -> Conflict | None:
    """Return what forbids answering the re-posting request now, or None when it may be."""
    if request is not None and request.answer is not None:
        return Conflict(
            "This re-posting request was already answered; a case allows one answer.",
            [FieldError("statement", "was already sent once", "once")],
        )
    try:
        next_status(status, Step.ANSWER_REPOSTING)
    except Conflict as refused:
        return refused
    if request is None or request.outcome is not None:
        return Conflict(
            "There is no undecided re-posting request to answer.",
            [FieldError("statement", "no undecided re-posting request", "no_request")],
        )
    return None


def decide_reposting(
    case: Case, decision: RepostingDecision, actor: Actor, context: Context
) -> Change:
    """Reinstate the content or uphold the block, as the reviewer decided; it releases the claim."""
    require_version(case, decision.expected_version)
    ensure_not_claimed_by_other(case, actor.actor_id, context.now)
    next_status(case.status, Step.UPHOLD)
    assert case.reposting_request is not None
    # The block still marked in force, even if its end passed before the timer ran.
    block = next(
        (m for m in case.measures if m.type == MeasureKind.BLOCK_CONTENT and m.state == "in_force"),
        None,
    )
    lapsed = block is None or block_in_force(case, context.now) is None
    details = {
        "facts_sha256": _digest(decision.reasons.facts),
        "referral": decision.referral if decision.outcome == "uphold" else "none",
    }
    measure_id = block.measure_id if block else None
    measures = case.measures
    if decision.outcome == "reinstate":
        status = next_status(case.status, Step.REINSTATE)
        actions = [("reinstate", {**details, "measure_id": measure_id})]
        measures = _set_state(case, block, "reinstated")
        outcome: Literal["reinstated", "upheld"] = "reinstated"
    elif not lapsed:
        status, outcome = next_status(case.status, Step.UPHOLD), "upheld"
        actions = [("uphold", {**details, "measure_id": measure_id})]
    else:
        # The block lapsed at its cap while the request waited; upholding now removes the content,
        # and the block is over, so no timer acts on it again.
        status, outcome = next_status(case.status, Step.UPHOLD_AFTER_LAPSE), "upheld"
        actions = [
            ("uphold", {**details, "measure_id": measure_id}),
            (
                MeasureKind.DELETE_CONTENT,
                {"reason": "upheld_after_block_lapsed", "measure_id": measure_id},
            ),
        ]
        measures = _set_state(case, block, "ended")
    request = case.reposting_request.model_copy(
        update={
            "outcome": outcome,
            "referral": decision.referral if outcome == "upheld" else None,
            "decided_at": iso(context.now),
            "facts": decision.reasons.facts,
        }
    )
    events = chain_events(case, status, actor, context, actions)
    return apply(
        case, status, events, context, reposting_request=request, measures=measures, claim=None
    )


def file_appeal(case: Case, measure_id: str, statement: str, context: Context) -> Change:
    """Record an appeal against a restriction: once per measure, within the appeal window."""
    measure = case.measure(measure_id)
    refusal = appeal_refusal(measure, context.now)
    if refusal is not None:
        raise refusal
    assert measure is not None
    appealed = measure.model_copy(
        update={"appeal": Appeal(statement=statement, filed_at=iso(context.now))}
    )
    events = chain_events(
        case,
        case.status,
        POSTER,
        context,
        [("appeal_filed", {"measure_id": measure_id, "statement_sha256": _digest(statement)})],
    )
    return apply(case, case.status, events, context, measures=_replace(case, appealed))


def appeal_refusal(measure: MeasureInForce | None, now: datetime) -> Conflict | None:
    """Return what forbids appealing `measure` now, or None when it may be appealed."""
    if measure is None or measure.type not in RESTRICTIONS:
        return Conflict(
            "Only a restriction of a user or an Open Chat room can be appealed.",
            [FieldError("measure_id", "names no restriction of this case", "measure")],
        )
    if measure.appeal is not None:
        return Conflict(
            "This restriction was already appealed; a measure allows one appeal.",
            [FieldError("measure_id", "was already appealed", "once")],
        )
    if not measure.in_force_at(now):
        return Conflict(
            "This restriction is no longer in force.",
            [FieldError("measure_id", f"is {measure.state}", "not_in_force")],
        )
    if parse_iso(measure.starts_at) + APPEAL_WINDOW < now:
        days = APPEAL_WINDOW.days
        return Conflict(
            f"An appeal must be filed within {days} days of the restriction.",
            [FieldError("measure_id", f"was taken more than {days} days ago", "too_late")],
        )
    return None


def decide_appeal(case: Case, decision: AppealDecision, actor: Actor, context: Context) -> Change:
    """Lift the appealed restriction or uphold it, as the reviewer decided; releases the claim."""
    require_version(case, decision.expected_version)
    ensure_not_claimed_by_other(case, actor.actor_id, context.now)
    measure = case.measure(decision.measure_id)
    if measure is None or measure.appeal is None or measure.appeal.outcome is not None:
        raise Conflict(
            "There is no undecided appeal against this measure.",
            [FieldError("measure_id", "has no undecided appeal", "no_appeal")],
        )
    appeal = measure.appeal.model_copy(
        update={
            "outcome": "lifted" if decision.outcome == "lift" else "upheld",
            "decided_at": iso(context.now),
            "facts": decision.reasons.facts,
        }
    )
    lifting = decision.outcome == "lift" and measure.state == "in_force"
    decided = measure.model_copy(
        update={"appeal": appeal, "state": "lifted" if lifting else measure.state}
    )
    # Lifting a restriction that already ended records the outcome; there is nothing to lift.
    if decision.outcome == "uphold":
        action = "appeal_upheld"
    else:
        action = "lift_restriction" if lifting else "appeal_granted"
    events = chain_events(
        case,
        case.status,
        actor,
        context,
        [
            (
                action,
                {
                    "measure_id": measure.measure_id,
                    "reason": "appeal",
                    "facts_sha256": _digest(decision.reasons.facts),
                },
            )
        ],
    )
    return apply(case, case.status, events, context, measures=_replace(case, decided), claim=None)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _set_state(
    case: Case, measure: MeasureInForce | None, state: Literal["ended", "lifted", "reinstated"]
) -> list[MeasureInForce]:
    if measure is None:
        return case.measures
    return _replace(case, measure.model_copy(update={"state": state}))


def _replace(case: Case, changed: MeasureInForce) -> list[MeasureInForce]:
    return [changed if m.measure_id == changed.measure_id else m for m in case.measures]
