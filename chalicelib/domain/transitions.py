"""The one table of a case's life: which step each status allows, and the status it leads to."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from .errors import Conflict, FieldError
from .vocabulary import CaseStatus, MeasureKind


class Step(StrEnum):
    """Something that moves a case from one status to another (or, for erasure, keeps it)."""

    REJECT = "reject"
    REQUEST_INFORMATION = "request_information"
    TAKE_MEASURES = "take_measures"
    PROVIDE_INFORMATION = "provide_information"
    WITHDRAW = "withdraw"
    REQUEST_REPOSTING = "request_reposting"
    ANSWER_REPOSTING = "answer_reposting"
    REINSTATE = "reinstate"
    UPHOLD = "uphold"
    UPHOLD_AFTER_LAPSE = "uphold_after_lapse"
    INFORMATION_OVERDUE = "information_overdue"
    BLOCK_EXPIRED = "block_expired"
    ERASE = "erase"


_S = CaseStatus
_UNDECIDED = (_S.RECEIVED, _S.IN_REVIEW)
_FINISHED = (_S.REJECTED, _S.WITHDRAWN, _S.REINSTATED, _S.CLOSED, _S.CLOSED_NO_RESPONSE)

TRANSITIONS: dict[tuple[CaseStatus, Step], CaseStatus] = {
    **{(status, Step.REJECT): _S.REJECTED for status in _UNDECIDED},
    **{(status, Step.REQUEST_INFORMATION): _S.INFORMATION_REQUESTED for status in _UNDECIDED},
    **{(status, Step.TAKE_MEASURES): _S.ACTIONED for status in _UNDECIDED},
    (_S.INFORMATION_REQUESTED, Step.PROVIDE_INFORMATION): _S.IN_REVIEW,
    **{(status, Step.WITHDRAW): _S.WITHDRAWN for status in (*_UNDECIDED, _S.INFORMATION_REQUESTED)},
    (_S.ACTIONED, Step.REQUEST_REPOSTING): _S.REPOSTING_REQUESTED,
    # The claimant answers the poster's request while it waits; the case keeps waiting.
    (_S.REPOSTING_REQUESTED, Step.ANSWER_REPOSTING): _S.REPOSTING_REQUESTED,
    (_S.REPOSTING_REQUESTED, Step.REINSTATE): _S.REINSTATED,
    (_S.REPOSTING_REQUESTED, Step.UPHOLD): _S.UPHELD,
    # The block lapsed at its cap while the request waited: upholding removes the content.
    (_S.REPOSTING_REQUESTED, Step.UPHOLD_AFTER_LAPSE): _S.CLOSED,
    (_S.INFORMATION_REQUESTED, Step.INFORMATION_OVERDUE): _S.CLOSED_NO_RESPONSE,
    # Without a re-posting request (or with one upheld) the content is deleted at the block's end.
    (_S.ACTIONED, Step.BLOCK_EXPIRED): _S.CLOSED,
    (_S.UPHELD, Step.BLOCK_EXPIRED): _S.CLOSED,
    **{(status, Step.ERASE): status for status in _FINISHED},
}
"""From-status and step to the status after it. A step not listed for a status is refused.

Steps that never change the status (an appeal, its decision, a restriction's end, a block
reinstated at its cap while re-posting is requested) depend on the measure, not the status,
and are not in this table."""

_VERBS = {
    Step.REJECT: "decided",
    Step.REQUEST_INFORMATION: "decided",
    Step.TAKE_MEASURES: "decided",
    Step.PROVIDE_INFORMATION: "answered",
    Step.WITHDRAW: "withdrawn",
    Step.REQUEST_REPOSTING: "asked for re-posting",
    Step.ANSWER_REPOSTING: "answered on its re-posting request",
    Step.REINSTATE: "decided on re-posting",
    Step.UPHOLD: "decided on re-posting",
    Step.UPHOLD_AFTER_LAPSE: "decided on re-posting",
    Step.INFORMATION_OVERDUE: "closed for no response",
    Step.BLOCK_EXPIRED: "closed at the end of its block",
    Step.ERASE: "erased",
}


def allowed_from(step: Step) -> frozenset[CaseStatus]:
    """Return the statuses in which `step` may be taken."""
    return frozenset(status for status, taken in TRANSITIONS if taken == step)


def next_status(status: CaseStatus, step: Step) -> CaseStatus:
    """Return the status `step` leads to from `status`, or raise the conflict that forbids it."""
    after = TRANSITIONS.get((status, step))
    if after is None:
        names = ", ".join(sorted(s.value for s in allowed_from(step)))
        raise Conflict(
            f"A case in status {status.value} cannot be {_VERBS[step]}; "
            f"that is allowed only in: {names}.",
            [FieldError("status", f"is {status.value}; allowed: {names}", "transition")],
        )
    return after


def decision_step(kinds: Iterable[MeasureKind | str]) -> Step:
    """Return the step a reviewer's decision takes, from the kinds of its measures."""
    taken = set(kinds)
    if MeasureKind.REJECT in taken:
        return Step.REJECT
    if MeasureKind.REQUEST_INFORMATION in taken:
        return Step.REQUEST_INFORMATION
    return Step.TAKE_MEASURES


WITHDRAWABLE = allowed_from(Step.WITHDRAW)
ERASABLE = allowed_from(Step.ERASE)
