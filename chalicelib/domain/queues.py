"""The work queues a case waits in for a reviewer, and since when it has waited there."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from .clock import parse_iso
from .dsa_statements import SOURCE_TRUSTED_FLAGGER
from .vocabulary import CaseStatus
from .working_days import decide_by, is_overdue

if TYPE_CHECKING:
    from .case import Case

AWAITING_A_DECISION = frozenset(
    {CaseStatus.RECEIVED, CaseStatus.IN_REVIEW, CaseStatus.REPOSTING_REQUESTED}
)
"""The statuses in which the claimant waits for a reviewer to decide (not for themselves)."""


class WorkQueue(StrEnum):
    """A queue of cases that wait for a reviewer."""

    RECEIVED = "received"
    IN_REVIEW = "in_review"
    INFORMATION_REQUESTED = "information_requested"
    REPOSTING_REQUESTED = "reposting_requested"
    APPEALS = "appeals"


def pending_appeal_filed_at(case: Case) -> str | None:
    """Return when the oldest undecided appeal of the case was filed, if one is undecided."""
    filed = [m.appeal.filed_at for m in case.measures if m.appeal and m.appeal.outcome is None]
    return min(filed) if filed else None


def work_queue(case: Case) -> str:
    """Return the queue the case is listed in: `appeals` while an appeal is undecided (whatever
    the status), else the queue named as its status (a status no reviewer works on included)."""
    if pending_appeal_filed_at(case) is not None:
        return WorkQueue.APPEALS.value
    return case.status.value


FIRST = "!"
"""The mark that starts the queue position of a case that comes first: it sorts before any
moment, so those cases come before the others, each longest waiting first."""


def comes_first(case: Case) -> bool:
    """Tell whether the case comes before the others of its queue: a trusted flagger's notice
    is handled first (DSA art. 22)."""
    return case.source_type == SOURCE_TRUSTED_FLAGGER


def waiting_since(case: Case) -> str:
    """Return when the case entered the queue it is listed in."""
    appeal = pending_appeal_filed_at(case)
    if appeal is not None:
        return appeal
    if case.status == CaseStatus.IN_REVIEW and case.information_provided:
        return case.information_provided[-1].provided_at
    if case.status == CaseStatus.INFORMATION_REQUESTED and case.information_request:
        return case.information_request.requested_at
    if case.status == CaseStatus.REPOSTING_REQUESTED and case.reposting_request:
        return case.reposting_request.requested_at
    if case.status == CaseStatus.RECEIVED:
        return case.received_at
    # A status no reviewer works on: the moment it last changed.
    return case.updated_at


def is_work_queue(queue: str) -> bool:
    """Tell whether `queue` names a queue of cases that wait for a reviewer."""
    return queue in {q.value for q in WorkQueue}


def decision_due(case: Case) -> datetime | None:
    """Return when a reviewer should have decided the case, while its claimant waits for it."""
    if case.status not in AWAITING_A_DECISION:
        return None
    return decide_by(parse_iso(waiting_since(case)))


def decision_overdue(case: Case, now: datetime) -> bool:
    """Tell whether the decision its claimant waits for is past its deadline at `now`."""
    return case.status in AWAITING_A_DECISION and is_overdue(parse_iso(waiting_since(case)), now)
