"""What time does to a case: blocks end, restrictions lapse, unanswered requests close."""

from __future__ import annotations

from typing import Any

from .case import Case, MeasureInForce
from .lifecycle import Actor, Change, Context, apply, chain_events
from .outcomes import information_overdue
from .transitions import Step, next_status
from .vocabulary import RESTRICTIONS, CaseStatus, MeasureKind

TIMER = Actor("system:timer", "system")


def next_due(case: Case) -> str | None:
    """Return when time next changes the case, or None if it never will by itself."""
    moments = [
        m.ends_at
        for m in case.measures
        if m.state == "in_force"
        and m.ends_at
        and m.type in {MeasureKind.BLOCK_CONTENT, *RESTRICTIONS}
    ]
    if case.status == CaseStatus.INFORMATION_REQUESTED and case.information_request:
        moments.append(case.information_request.due_at)
    return min(moments) if moments else None


def due_change(case: Case, context: Context) -> Change | None:
    """Return what is due on the case at `context.now`, as one change; None if nothing is."""
    now = context.now
    status = case.status
    actions: list[tuple[str, dict[str, Any]]] = []
    measures = list(case.measures)

    def ended(measure: MeasureInForce) -> bool:
        return measure.state == "in_force" and not measure.in_force_at(now)

    asked = case.information_request
    if status == CaseStatus.INFORMATION_REQUESTED and information_overdue(asked, now):
        assert asked is not None
        status = next_status(status, Step.INFORMATION_OVERDUE)
        actions.append(("closed_no_response", {"due_at": asked.due_at}))
    for index, measure in enumerate(measures):
        if not ended(measure):
            continue
        details = {"measure_id": measure.measure_id, "ended_at": measure.ends_at}
        if measure.type == MeasureKind.BLOCK_CONTENT:
            if status == CaseStatus.REPOSTING_REQUESTED:
                # A temporary measure may not outlive its cap: the content comes back while the
                # request waits for a reviewer, and the case stays open.
                actions.append(("reinstate", {**details, "reason": "temporary_measure_cap"}))
            else:
                actions.append((MeasureKind.DELETE_CONTENT, {**details, "reason": "block_expired"}))
                status = next_status(status, Step.BLOCK_EXPIRED)
        elif measure.type in RESTRICTIONS:
            actions.append(("lift_restriction", {**details, "reason": "ended"}))
        measures[index] = measure.model_copy(update={"state": "ended"})
    if not actions:
        return None
    events = chain_events(case, status, TIMER, context, actions)
    return apply(case, status, events, context, measures=measures)
