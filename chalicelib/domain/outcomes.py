"""What became of a case's measures over time, and what its readers may still do about them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from .base import Model
from .clock import parse_iso
from .transitions import WITHDRAWABLE
from .vocabulary import CaseStatus, MeasureKind

if TYPE_CHECKING:
    from .case import InformationRequest, MeasureInForce, RepostingRequest
    from .decisions import AppliedMeasure

MeasureState = Literal["in_force", "ended", "lifted", "reinstated", "deleted"]
# Why a measure stands as it does, when its state alone does not say it.
MeasureNote = Literal[
    "lifted",  # lifted on appeal
    "reinstated",  # the content came back after a re-posting request
    "deleted_no_request",  # the block ended with no re-posting request: deleted for good
    "deleted_upheld",  # the block ended after the request was turned down: deleted for good
    "back_at_cap",  # the block ended at its cap while the request still waited
    "restriction_ended",
    "delete_at_end",  # in force; the request was turned down, so the content goes at the end
]
WithdrawalRefusal = Literal["already_withdrawn", "changed_meanwhile", "decided"]


class MeasureStanding(Model):
    """Where one measure stands at a moment: its state, since (or until) when, and why."""

    measure_id: str
    state: MeasureState
    since: str | None = None  # the moment it took its state; for one in force, its end
    note: MeasureNote | None = None


def what_became(
    measure: MeasureInForce, request: RepostingRequest | None, now: datetime
) -> MeasureStanding:
    """Return where `measure` stands at `now`, given the case's re-posting request."""
    state: MeasureState
    since: str | None
    note: MeasureNote | None
    if measure.state == "lifted":
        appeal = measure.appeal
        state, since, note = "lifted", appeal.decided_at if appeal else None, "lifted"
        if appeal is None:
            note = None
    elif measure.state == "reinstated":
        state, since, note = "reinstated", request.decided_at if request else None, "reinstated"
    elif measure.type == MeasureKind.DELETE_CONTENT:
        state, since, note = "deleted", None, None
    elif has_ended(measure, now):
        state, since = "ended", measure.ends_at
        note = (
            _block_end(request)
            if measure.type == MeasureKind.BLOCK_CONTENT
            else "restriction_ended"
        )
    else:
        upheld = request is not None and request.outcome == "upheld"
        state, since = "in_force", measure.ends_at
        note = "delete_at_end" if measure.type == MeasureKind.BLOCK_CONTENT and upheld else None
    return MeasureStanding(measure_id=measure.measure_id, state=state, since=since, note=note)


def standings(
    measures: Iterable[MeasureInForce], request: RepostingRequest | None, now: datetime
) -> list[MeasureStanding]:
    """Return where each measure stands at `now`, in the order they were taken."""
    return [what_became(m, request, now) for m in measures]


def has_ended(measure: MeasureInForce, now: datetime) -> bool:
    """Return whether a measure is over: recorded so, or past its end date before the timer."""
    return measure.state == "ended" or (
        measure.state == "in_force" and not measure.in_force_at(now)
    )


def information_overdue(request: InformationRequest | None, now: datetime) -> bool:
    """Return whether the deadline of a request for information has passed at `now`."""
    return request is not None and parse_iso(request.due_at) <= now


def may_withdraw(status: CaseStatus) -> bool:
    """Return whether a claimant may withdraw a case in this status (nothing is decided)."""
    return status in WITHDRAWABLE


def withdrawal_refusal(status: CaseStatus) -> WithdrawalRefusal:
    """Return why a withdrawal was refused, judged from the status the case has now."""
    if status == CaseStatus.WITHDRAWN:
        return "already_withdrawn"
    if may_withdraw(status):
        return "changed_meanwhile"  # withdrawable again: it changed while the request ran
    return "decided"


def offers_redress(measures: Iterable[AppliedMeasure]) -> bool:
    """Return whether a decision can be contested: asking for more decides nothing yet."""
    return any(m.type != MeasureKind.REQUEST_INFORMATION for m in measures)


def _block_end(request: RepostingRequest | None) -> MeasureNote:
    if request is None:
        return "deleted_no_request"
    if request.outcome == "upheld":
        return "deleted_upheld"
    if request.outcome == "reinstated":
        return "reinstated"
    return "back_at_cap"
