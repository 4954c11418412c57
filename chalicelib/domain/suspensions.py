"""The changes that suspend a claimant's reports, record their contest and lift the suspension:
each on the trail of the case it was decided on."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from .case import Case
from .clock import iso
from .errors import Conflict, FieldError
from .lifecycle import Actor, Change, Context, apply, chain_events
from .misuse import (
    ClaimantStanding,
    Suspension,
    SuspensionContest,
    SuspensionLift,
    SuspensionRequest,
)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def suspend(
    case: Case,
    request: SuspensionRequest,
    standing: ClaimantStanding,
    actor: Actor,
    context: Context,
) -> Change:
    """Suspend new reports from the case's claimant for `request.days`, or refuse (409) while
    the policy's threshold is not met or a suspension is in force."""
    if case.claimant_key is None:
        raise Conflict(
            "This case keeps no key of its claimant's address (it was received before "
            "unfounded notices were counted, or its personal data was erased).",
            [FieldError("case_id", "has no claimant key", "no_claimant")],
        )
    current = standing.suspension
    if current is not None and current.in_force_at(context.now):
        raise Conflict(
            f"Reports from this claimant are already suspended until {current.ends_at}.",
            [FieldError("case_id", "its claimant is suspended already", "suspended")],
        )
    if not standing.may_suspend:
        raise Conflict(
            f"The claimant has {standing.unfounded} notices rejected as unfounded in the last "
            f"{standing.window_days} days: a suspension needs one more after the warning.",
            [FieldError("case_id", "its claimant is below the policy's threshold", "threshold")],
        )
    decided_at = iso(context.now)
    suspension = Suspension(
        suspension_id=context.new_id(context.now),
        case_id=case.case_id,
        decided_at=decided_at,
        ends_at=iso(context.now + timedelta(days=request.days)),
        days=request.days,
        reasons=request.reasons,
    )
    events = chain_events(
        case,
        case.status,
        actor,
        context,
        [
            (
                "claimant_suspended",
                {
                    "suspension_id": suspension.suspension_id,
                    "ends_at": suspension.ends_at,
                    "days": request.days,
                    "unfounded": standing.unfounded,
                    "ground_sha256": _digest(request.reasons.ground),
                    "facts_sha256": _digest(request.reasons.facts),
                },
            )
        ],
    )
    return apply(case, case.status, events, context, claimant_suspension=suspension)


def _current(case: Case, standing_suspension: Suspension | None) -> Suspension:
    """Return the case's suspension if it is the claimant's newest, or refuse (409)."""
    mine = case.claimant_suspension
    if mine is None or standing_suspension is None:
        raise Conflict(
            "No suspension was decided on this case.",
            [FieldError("case_id", "has no suspension", "no_suspension")],
        )
    if standing_suspension.suspension_id != mine.suspension_id:
        raise Conflict(
            "A newer suspension of this claimant was decided on another case.",
            [FieldError("case_id", f"see case {standing_suspension.case_id}", "superseded")],
        )
    return mine


def contest(
    case: Case,
    body: SuspensionContest,
    newest: Suspension | None,
    context: Context,
) -> Change:
    """Record the claimant's contest of the suspension decided on their case, once."""
    mine = _current(case, newest)
    if not mine.in_force_at(context.now):
        raise Conflict(
            "This suspension is no longer in force.",
            [FieldError("statement", "the suspension ended or was lifted", "not_in_force")],
        )
    if mine.contest is not None:
        raise Conflict(
            "This suspension was contested already; a reviewer will decide.",
            [FieldError("statement", "was already sent once", "once")],
        )
    contested = mine.model_copy(
        update={"contest": body.statement, "contested_at": iso(context.now)}
    )
    events = chain_events(
        case,
        case.status,
        Actor("claimant", "claimant"),
        context,
        [
            (
                "suspension_contested",
                {
                    "suspension_id": mine.suspension_id,
                    "statement_sha256": _digest(body.statement),
                },
            )
        ],
    )
    return apply(case, case.status, events, context, claimant_suspension=contested)


def lift(
    case: Case, body: SuspensionLift, newest: Suspension | None, actor: Actor, context: Context
) -> Change:
    """Lift the suspension decided on the case before its end, for stated facts."""
    mine = _current(case, newest)
    if not mine.in_force_at(context.now):
        raise Conflict(
            "This suspension is no longer in force.",
            [FieldError("facts", "the suspension ended or was lifted", "not_in_force")],
        )
    lifted = mine.model_copy(update={"lifted_at": iso(context.now), "lift_facts": body.facts})
    events = chain_events(
        case,
        case.status,
        actor,
        context,
        [
            (
                "claimant_suspension_lifted",
                {"suspension_id": mine.suspension_id, "facts_sha256": _digest(body.facts)},
            )
        ],
    )
    return apply(case, case.status, events, context, claimant_suspension=lifted)
