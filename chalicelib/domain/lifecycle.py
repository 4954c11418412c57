"""The changes reviewers and claimants make to a case, and the audit events they leave."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .audit import AuditEvent, ChainHead, next_event
from .case import Case, EvidenceFile, InformationProvided, InformationRequest, MeasureInForce
from .claims import ensure_not_claimed_by_other
from .clock import iso
from .decisions import (
    AppliedMeasure,
    Decision,
    DecisionRequest,
    applied_measures,
    combination_errors,
    statement_of_reasons,
)
from .dsa_statements import DETAILS_KEY, public_statement
from .errors import CaseChanged, Conflict, FieldError, InvalidRequest
from .outcomes import information_overdue
from .transitions import Step, decision_step, next_status
from .vocabulary import ENFORCEMENT_MEASURES, CaseStatus


@dataclass(frozen=True)
class Actor:
    """Who changes a case: a reviewer, the claimant, or the system."""

    actor_id: str
    role: str


@dataclass(frozen=True)
class Change:
    """A case after a change, and the audit events that record the change, in chain order;
    `claim_by` and `claim_until` are the claim the change was planned on: any other live claim
    found at commit (another reviewer's taken meanwhile, or a renewal since) makes it stale."""

    case: Case
    events: list[AuditEvent]
    expected_version: int
    claim_by: str | None = None
    claim_until: str | None = None


@dataclass(frozen=True)
class Context:
    """What every change needs from outside: the moment, ids, and the policy in force."""

    now: datetime
    new_id: Callable[[datetime], str]
    policy_version: str


def require_version(case: Case, expected_version: int) -> None:
    """Raise a conflict when the reviewer decided on another version than the case's."""
    if expected_version != case.version:
        raise CaseChanged(expected_version, case.version)


def decide(case: Case, request: DecisionRequest, actor: Actor, context: Context) -> Change:
    """Apply a reviewer's decision to a case, or raise what forbids it; it releases the claim."""
    require_version(case, request.expected_version)
    ensure_not_claimed_by_other(case, actor.actor_id, context.now)
    status = next_status(case.status, decision_step(m.type for m in request.measures))
    problems = combination_errors(request.measures, request.reasons, case.target.surface)
    if problems:
        raise InvalidRequest("The measures cannot be taken together on this case.", problems)

    measures = applied_measures(request.measures, context.now, iso)
    decision = Decision(
        decision_id=context.new_id(context.now),
        decided_at=iso(context.now),
        actor_id=actor.actor_id,
        actor_role=actor.role,
        measures=measures,
        statement=statement_of_reasons(measures, request.reasons, case.grounds, case.source_type),
        note=request.reasons.note,
    )
    actions: list[tuple[str, dict[str, Any]]] = [
        (m.type, _measure_details(decision, m)) for m in measures
    ]
    public = _public_statement(case, decision, request.reasons.public_facts)
    if public is not None:
        first = next(i for i, m in enumerate(measures) if m.type in ENFORCEMENT_MEASURES)
        actions[first][1][DETAILS_KEY] = public
    events = chain_events(case, status, actor, context, actions)
    information = None
    if status == CaseStatus.INFORMATION_REQUESTED:
        [asked] = measures
        information = InformationRequest(
            message=str(asked.parameters["message"]),
            requested_at=decision.decided_at,
            due_at=str(asked.ends_at),
        )
    taken = [
        MeasureInForce(
            measure_id=event.event_id,
            decision_id=decision.decision_id,
            type=measure.type,
            parameters=measure.parameters,
            starts_at=measure.starts_at,
            ends_at=measure.ends_at,
        )
        for measure, event in zip(measures, events, strict=True)
        if measure.type in ENFORCEMENT_MEASURES
    ]
    return apply(
        case,
        status,
        events,
        context,
        decisions=[*case.decisions, decision],
        information_request=information,
        measures=[*case.measures, *taken],
        claim=None,
    )


def provide_information(
    case: Case, statement: str, files: list[EvidenceFile], context: Context
) -> Change:
    """Record the claimant's answer to a request for information; the case goes back to review."""
    ensure_answerable(case, context.now)
    status = next_status(case.status, Step.PROVIDE_INFORMATION)
    answer = InformationProvided(statement=statement, provided_at=iso(context.now), evidence=files)
    events = chain_events(
        case,
        status,
        Actor("claimant", "claimant"),
        context,
        [("information_provided", {"evidence_sha256": [f.sha256 for f in files]})],
    )
    return apply(
        case,
        status,
        events,
        context,
        information_provided=[*case.information_provided, answer],
    )


def ensure_answerable(case: Case, now: datetime) -> None:
    """Raise what forbids answering a request for information now, if anything does."""
    next_status(case.status, Step.PROVIDE_INFORMATION)
    request = case.information_request
    if request is not None and information_overdue(request, now):
        raise Conflict(
            "The deadline for this information has passed.",
            [FieldError("statement", f"was due by {request.due_at}", "deadline")],
        )


def withdraw(case: Case, context: Context) -> Change:
    """Withdraw a case its claimant no longer pursues, while nothing is decided."""
    status = next_status(case.status, Step.WITHDRAW)
    events = chain_events(case, status, Actor("claimant", "claimant"), context, [("withdrawn", {})])
    return apply(case, status, events, context, withdrawn_at=iso(context.now))


def is_enforcing(change: Change) -> bool:
    """Tell whether a change takes a measure the platform must apply."""
    return any(event.action in ENFORCEMENT_MEASURES for event in change.events)


def apply(
    case: Case,
    status: CaseStatus,
    events: list[AuditEvent],
    context: Context,
    **updates: object,
) -> Change:
    """Return the change that moves `case` to `status` with `events`: one version on, chained."""
    changed = case.model_copy(
        update={
            "status": status,
            "version": case.version + 1,
            "updated_at": iso(context.now),
            "chain": events[-1].head,
            **updates,
        }
    )
    return Change(
        changed,
        events,
        case.version,
        case.claim.by if case.claim else None,
        case.claim.until if case.claim else None,
    )


def chain_events(
    case: Case,
    status: CaseStatus,
    actor: Actor,
    context: Context,
    actions: list[tuple[str, dict[str, Any]]],
) -> list[AuditEvent]:
    """Chain one event per action; the first records the change of status."""
    events: list[AuditEvent] = []
    head: ChainHead = case.chain
    before: str = case.status.value
    for action, details in actions:
        event = next_event(
            head,
            event_id=context.new_id(context.now),
            case_id=case.case_id,
            action=action,
            actor_id=actor.actor_id,
            actor_role=actor.role,
            occurred_at=iso(context.now),
            from_status=before,
            to_status=status.value,
            details=details,
            policy_version=context.policy_version,
        )
        events.append(event)
        head, before = event.head, status.value
    return events


def _measure_details(decision: Decision, measure: AppliedMeasure) -> dict[str, Any]:
    """Return what the trail keeps of a measure: no personal data, the facts only by hash."""
    statement = decision.statement
    return {
        "decision_id": decision.decision_id,
        "parameters": {k: v for k, v in measure.parameters.items() if k != "message"},
        "starts_at": measure.starts_at,
        "ends_at": measure.ends_at,
        "decision_ground": statement.decision_ground,
        "legal_ground": statement.illegal_content_legal_ground,
        "policy_ground": statement.incompatible_content_ground,
        "facts_sha256": hashlib.sha256(statement.decision_facts.encode()).hexdigest(),
        "automated_decision": statement.automated_decision,
    }


def _public_statement(
    case: Case, decision: Decision, public_facts: str | None
) -> dict[str, Any] | None:
    """Return the decision's statement for the Transparency Database, if it restricts anything."""
    statement = decision.statement
    return public_statement(
        decision_id=decision.decision_id,
        decided_at=decision.decided_at,
        measures=[(m.type.value, m.ends_at) for m in decision.measures],
        decision_ground=statement.decision_ground,
        legal_ground=statement.illegal_content_legal_ground,
        policy_ground=statement.incompatible_content_ground,
        public_facts=public_facts,
        categories=statement.category,
        surface=case.target.surface,
        reported_at=case.received_at,
        source_type=case.source_type,
    )
