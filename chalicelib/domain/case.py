"""A case: one report and everything decided on it, and what its claimant may see of it."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import ConfigDict, Field

from .audit import CLAIMANT_ACTOR, EMPTY_CHAIN, AuditEvent, ChainHead, next_event
from .base import Model
from .clock import iso, parse_iso
from .decisions import Decision, PublicDecision
from .dsa_statements import SOURCE_ARTICLE_16, SourceType
from .misuse import Suspension
from .outcomes import MeasureStanding, information_overdue, standings
from .queues import decision_due, decision_overdue
from .reports import Claimant, ReportedTarget, ReportSubmission, Target
from .timeline import TimelineEntry, claimant_timeline
from .vocabulary import CaseStatus, Ground, IpRight, Lang, MeasureKind, RequestedAction, Surface


class Upload(Model):
    """A file a claimant was allowed to upload, waiting in staging to be attached to a case."""

    upload_id: str
    filename: str = ""  # forgotten when a case claims the upload: from then the case holds it
    content_type: str
    size: int
    staging_key: str
    created_at: str
    case_id: str | None = None


EvidenceKind = Literal["evidence", "power_of_attorney", "poster_evidence"]


class EvidenceFile(Model):
    """A file attached to a case, kept unaltered in the evidence store."""

    upload_id: str
    kind: EvidenceKind
    filename: str
    content_type: str
    size: int
    sha256: str
    key: str


class InformationRequest(Model):
    """What a reviewer asked the claimant for, and by when."""

    message: str
    requested_at: str
    due_at: str


class InformationProvided(Model):
    """A claimant's answer to a request for information."""

    statement: str
    provided_at: str
    evidence: list[EvidenceFile]


class Appeal(Model):
    """A restricted user's appeal against one restriction, and how it was decided."""

    statement: str
    filed_at: str
    outcome: Literal["lifted", "upheld"] | None = None
    decided_at: str | None = None
    facts: str | None = None


class MeasureInForce(Model):
    """A measure taken on a case and where it stands: in force, ended, lifted or reinstated."""

    measure_id: str = Field(description="The id of the audit event that took the measure.")
    decision_id: str
    type: MeasureKind
    parameters: dict[str, Any]
    starts_at: str
    ends_at: str | None
    state: Literal["in_force", "ended", "lifted", "reinstated"] = "in_force"
    appeal: Appeal | None = None

    def in_force_at(self, now: datetime) -> bool:
        """Tell whether the measure still holds at `now`: in force, and not past its end."""
        return self.state == "in_force" and (self.ends_at is None or parse_iso(self.ends_at) > now)


class RepostingAnswer(Model):
    """The claimant's one answer to a re-posting request, for the reviewer who decides it."""

    statement: str
    answered_at: str


class RepostingRequest(Model):
    """The poster's request to bring blocked content back, the claimant's answer, the decision."""

    statement: str
    requested_at: str
    evidence: list[EvidenceFile]
    answer: RepostingAnswer | None = Field(
        default=None, description="The claimant's answer; the reviewer reads it, the poster never."
    )
    outcome: Literal["reinstated", "upheld"] | None = None
    referral: Literal["kcsc", "court", "none"] | None = None
    decided_at: str | None = None
    facts: str | None = None


class Claim(Model):
    """A reviewer's claim on a case: by whom (their subject, and a name to show), until when."""

    by: str
    by_name: str
    until: str


class Case(Model):
    """The whole record of one report."""

    model_config = ConfigDict(use_enum_values=False)

    case_id: str
    status: CaseStatus
    version: int
    received_at: str
    updated_at: str
    lang: Lang
    claimant: Claimant
    target: Target
    grounds: list[Ground]
    ip_right: IpRight | None
    requested_action: RequestedAction
    statement: str
    evidence: list[EvidenceFile]
    power_of_attorney: EvidenceFile | None = None
    receipt_token_hash: str
    notice_token_hashes: list[str] = Field(default_factory=list)
    chain: ChainHead
    decisions: list[Decision] = Field(default_factory=list)
    information_request: InformationRequest | None = None
    information_provided: list[InformationProvided] = Field(default_factory=list)
    withdrawn_at: str | None = None
    measures: list[MeasureInForce] = Field(default_factory=list)
    reposting_request: RepostingRequest | None = None
    claim: Claim | None = Field(
        default=None, description="Who works on the case, until when (kept by every other write)."
    )
    account_key: str | None = Field(
        default=None, description="The keyed hash of the target's account reference, if given."
    )
    claimant_key: str | None = Field(
        default=None, description="The keyed hash of the claimant's normalised email address."
    )
    claimant_suspension: Suspension | None = Field(
        default=None, description="The suspension of the claimant's reports decided on this case."
    )
    source_type: SourceType = Field(
        default=SOURCE_ARTICLE_16,
        description="Who gave notice: anyone (DSA art. 16) or a trusted flagger (art. 22).",
    )

    def measure(self, measure_id: str) -> MeasureInForce | None:
        """Return the measure with this id, if the case took it."""
        return next((m for m in self.measures if m.measure_id == measure_id), None)

    @property
    def all_evidence(self) -> list[EvidenceFile]:
        """Return every file of the case: evidence, power of attorney, later answers."""
        attorney = [self.power_of_attorney] if self.power_of_attorney else []
        later = [f for answer in self.information_provided for f in answer.evidence]
        poster = self.reposting_request.evidence if self.reposting_request else []
        return [*self.evidence, *attorney, *later, *poster]


class EvidenceSummary(Model):
    """What a claimant sees of a file they attached."""

    filename: str
    content_type: str
    size: int
    kind: EvidenceKind


class ClaimantView(Model):
    """What the claimant may read of their case with the receipt token."""

    case_id: str
    status: CaseStatus
    received_at: str
    updated_at: str
    surface: Surface
    grounds: list[Ground]
    ip_right: IpRight | None
    requested_action: RequestedAction
    evidence: list[EvidenceSummary]
    decisions: list[PublicDecision]
    information_request: InformationRequest | None
    measures: list[MeasureInForce]
    reposting_request: RepostingRequest | None
    standings: list[MeasureStanding] = Field(
        default_factory=list, description="Where each measure stands at the time of reading."
    )
    information_overdue: bool = Field(
        default=False, description="Whether the open request for information is past its due."
    )
    target: ReportedTarget = Field(
        description="What was reported: where it is, as the claimant said."
    )
    statement: str = Field(description="The claimant's own statement of the infringement.")
    timeline: list[TimelineEntry] = Field(
        default_factory=list, description="What happened to the case, oldest first."
    )
    decide_by: str | None = Field(
        default=None,
        description="While the claimant waits for a reviewer: when a decision is due (24:00 in "
        "Seoul of the third Korean working day after the case began waiting); else null.",
    )
    decision_overdue: bool = Field(
        default=False, description="Whether that decision is past its due at the time of reading."
    )


class Receipt(Model):
    """What a claimant gets once for a report: the case id and the secret to follow it."""

    case_id: str
    receipt_token: str = Field(description="Shown once; keep it to read the case's status.")
    status: CaseStatus
    received_at: str
    acknowledgement_mailed: bool = Field(
        description="Whether an acknowledgement of this report is mailed to the claimant. "
        "False when the claimant's address was already sent the most acknowledgements a day "
        "allows: the report is received all the same, and this answer is its only receipt."
    )


def open_case(
    submission: ReportSubmission,
    *,
    case_id: str,
    event_id: str,
    received_at: str,
    receipt_token_hash: str,
    files: list[EvidenceFile],
    policy_version: str,
    account_key: str | None = None,
    claimant_key: str | None = None,
    source_type: SourceType = SOURCE_ARTICLE_16,
) -> tuple[Case, AuditEvent]:
    """Return a newly received case and the first event of its audit chain."""
    evidence = [f for f in files if f.kind == "evidence"]
    attorney = next((f for f in files if f.kind == "power_of_attorney"), None)
    event = next_event(
        EMPTY_CHAIN,
        event_id=event_id,
        case_id=case_id,
        action="received",
        actor_id=CLAIMANT_ACTOR,
        actor_role=CLAIMANT_ACTOR,
        occurred_at=received_at,
        from_status=None,
        to_status=CaseStatus.RECEIVED.value,
        details={
            "surface": submission.target.surface.value,
            "grounds": [g.value for g in submission.grounds],
            "ip_right": submission.ip_right.value if submission.ip_right else None,
            "requested_action": submission.requested_action.value,
            "relationship": submission.claimant.relationship.value,
            "evidence_sha256": [f.sha256 for f in files],
            "source_type": source_type,
        },
        policy_version=policy_version,
    )
    case = Case(
        case_id=case_id,
        status=CaseStatus.RECEIVED,
        version=1,
        received_at=received_at,
        updated_at=received_at,
        lang=submission.lang,
        claimant=submission.claimant,
        target=submission.target,
        grounds=submission.grounds,
        ip_right=submission.ip_right,
        requested_action=submission.requested_action,
        statement=submission.statement,
        evidence=evidence,
        power_of_attorney=attorney,
        receipt_token_hash=receipt_token_hash,
        chain=event.head,
        account_key=account_key,
        claimant_key=claimant_key,
        source_type=source_type,
    )
    return case, event


def claimant_view(case: Case, now: datetime) -> ClaimantView:
    """Return what the claimant may read of `case` at `now`."""
    asked = case.information_request if case.status == CaseStatus.INFORMATION_REQUESTED else None
    return ClaimantView(
        case_id=case.case_id,
        status=case.status,
        received_at=case.received_at,
        updated_at=case.updated_at,
        surface=case.target.surface,
        grounds=case.grounds,
        ip_right=case.ip_right,
        requested_action=case.requested_action,
        evidence=[
            EvidenceSummary(
                filename=f.filename, content_type=f.content_type, size=f.size, kind=f.kind
            )
            for f in case.all_evidence
            if f.kind != "poster_evidence"
        ],
        decisions=[public_decision(d) for d in case.decisions],
        # The claimant is told the poster's re-posting statement, not the poster's files nor
        # what a restricted user wrote in an appeal (only that it was filed and how it ended).
        measures=[
            m.model_copy(update={"appeal": m.appeal.model_copy(update={"statement": ""})})
            if m.appeal
            else m
            for m in case.measures
        ],
        reposting_request=(
            case.reposting_request.model_copy(update={"evidence": []})
            if case.reposting_request
            else None
        ),
        information_request=asked,
        standings=standings(case.measures, case.reposting_request, now),
        information_overdue=information_overdue(asked, now),
        target=case.target.for_claimant(),
        statement=case.statement,
        timeline=claimant_timeline(case, now),
        decide_by=iso(due) if (due := decision_due(case)) else None,
        decision_overdue=decision_overdue(case, now),
    )


def public_decision(decision: Decision) -> PublicDecision:
    """Return what both sides are told of a decision (never the internal note)."""
    return PublicDecision(
        decision_id=decision.decision_id,
        decided_at=decision.decided_at,
        measures=decision.measures,
        statement=decision.statement,
    )
