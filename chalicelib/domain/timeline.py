"""The life of a case as its claimant may read it: what happened, when, in order."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Literal, get_args

from pydantic import Field

from .base import Model
from .outcomes import MeasureNote, standings
from .vocabulary import CaseStatus, MeasureKind

if TYPE_CHECKING:
    from .case import Case, MeasureInForce
    from .decisions import AppliedMeasure

TimelineKind = Literal[
    "received",
    "information_requested",
    "information_provided",
    "decided",
    "reposting_requested",
    "reposting_decided",
    "measure_ended",
    "measure_lifted",
    "withdrawn",
    "closed",
]
# Entries at the same moment read in the order a case lives them.
_ORDER: tuple[TimelineKind, ...] = get_args(TimelineKind)
_CLOSING = frozenset({CaseStatus.CLOSED, CaseStatus.CLOSED_NO_RESPONSE})


class TimelineMeasure(Model):
    """A measure a decision took, and when it ends (None: it does not end by itself)."""

    type: MeasureKind
    ends_at: str | None
    service: str | None = Field(default=None, description="For restrict_user: which service.")

    @classmethod
    def of(cls, measure: AppliedMeasure | MeasureInForce) -> TimelineMeasure:
        """Return what the timeline tells of a measure taken."""
        service = measure.parameters.get("service")
        return cls(
            type=measure.type, ends_at=measure.ends_at, service=str(service) if service else None
        )


class TimelineEntry(Model):
    """One thing that happened to a case: when, what, and the few facts that go with it."""

    at: str
    kind: TimelineKind
    decision_id: str | None = None
    measures: list[TimelineMeasure] = Field(
        default_factory=list,
        description="decided: the measures taken; measure_ended, measure_lifted: the one measure.",
    )
    due_at: str | None = Field(default=None, description="information_requested: the deadline.")
    measure_id: str | None = None
    note: MeasureNote | None = Field(default=None, description="measure_ended: what it meant.")
    outcome: Literal["reinstated", "upheld"] | None = Field(
        default=None, description="reposting_decided: how the request was decided."
    )
    status: CaseStatus | None = Field(default=None, description="closed: the closing status.")


def claimant_timeline(case: Case, now: datetime) -> list[TimelineEntry]:
    """Return what happened to `case` up to `now`, oldest first, from the case record alone
    (no staff, no internal notes, nothing of the poster but the re-posting request)."""
    entries = [TimelineEntry(at=case.received_at, kind="received")]
    for decision in case.decisions:
        taken = [TimelineMeasure.of(m) for m in decision.measures]
        if [m.type for m in taken] == [MeasureKind.REQUEST_INFORMATION]:
            entries.append(
                TimelineEntry(
                    at=decision.decided_at,
                    kind="information_requested",
                    decision_id=decision.decision_id,
                    due_at=taken[0].ends_at,
                )
            )
        else:
            entries.append(
                TimelineEntry(
                    at=decision.decided_at,
                    kind="decided",
                    decision_id=decision.decision_id,
                    measures=taken,
                )
            )
    entries += [
        TimelineEntry(at=answer.provided_at, kind="information_provided")
        for answer in case.information_provided
    ]
    request = case.reposting_request
    if request is not None:
        entries.append(TimelineEntry(at=request.requested_at, kind="reposting_requested"))
        if request.outcome is not None and request.decided_at is not None:
            entries.append(
                TimelineEntry(
                    at=request.decided_at, kind="reposting_decided", outcome=request.outcome
                )
            )
    taken_measures = {m.measure_id: m for m in case.measures}
    for standing in standings(case.measures, request, now):
        if standing.since is None or standing.state not in ("ended", "lifted"):
            continue
        entries.append(
            TimelineEntry(
                at=standing.since,
                kind="measure_ended" if standing.state == "ended" else "measure_lifted",
                measure_id=standing.measure_id,
                measures=[TimelineMeasure.of(taken_measures[standing.measure_id])],
                note=standing.note if standing.state == "ended" else None,
            )
        )
    if case.withdrawn_at is not None:
        entries.append(TimelineEntry(at=case.withdrawn_at, kind="withdrawn"))
    if case.status in _CLOSING:
        entries.append(TimelineEntry(at=case.updated_at, kind="closed", status=case.status))
    return sorted(entries, key=lambda e: (e.at, _ORDER.index(e.kind)))
