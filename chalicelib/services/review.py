"""Use cases of a reviewer (the queue, a case, a decision) and of a poster (the notice)."""

from __future__ import annotations

import base64
import binascii
import json
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import ConfigDict, Field, ValidationError

from ..adapters.enforcement import EnforcementQueue
from ..adapters.evidence_store import EvidenceStore
from ..adapters.mail import Mailer
from ..adapters.repository import Repository, StaleCase, UploadsAlreadyClaimed
from ..config import settings
from ..domain import lifecycle, remedies
from ..domain.audit import AuditEvent
from ..domain.base import Model
from ..domain.case import Case, EvidenceFile
from ..domain.clock import iso, parse_iso
from ..domain.decisions import Decision, parse_decision
from ..domain.errors import Conflict, FieldError, InvalidRequest, NotFound
from ..domain.notice import PosterNotice, poster_notice
from ..domain.reports import field_errors, parse_body
from ..domain.secrets import token_hash, token_matches
from ..domain.vocabulary import CaseStatus, Ground, Surface
from . import messages
from .enforcement import publish
from .evidence import Named, attach_files, claimed_conflict, named_files

log = logging.getLogger("irc.review")

DOWNLOAD_LINK_SECONDS = 300
_CASE_ID_LENGTH = 26


class QueueQuery(Model):
    """Which cases a reviewer wants to see, and how many at a time."""

    model_config = ConfigDict(extra="forbid")

    status: CaseStatus = CaseStatus.RECEIVED
    surface: Surface | None = None
    ground: Ground | None = None
    cursor: str | None = None
    limit: int = Field(default=25, ge=1, le=100)


class QueueItem(Model):
    """One case in the queue, with how long it has waited."""

    case_id: str
    status: CaseStatus
    received_at: str
    age_seconds: int
    surface: Surface
    grounds: list[Ground]
    requested_action: str
    evidence_count: int
    version: int


class QueuePageView(Model):
    """One page of the queue and the cursor of the next (null at the end)."""

    cases: list[QueueItem]
    next_cursor: str | None


class EvidenceLink(Model):
    """An evidence file with its hash and a link that lives a few minutes."""

    upload_id: str
    kind: str
    filename: str
    content_type: str
    size: int
    sha256: str
    download_url: str
    link_expires_at: str


class CaseFile(Model):
    """Everything about a case, for the reviewer who decides it."""

    case: dict[str, Any]
    evidence: list[EvidenceLink]
    decisions: list[Decision]
    history: list[AuditEvent]
    version: int


class DecisionOutcome(Model):
    """What a decision did: the case's new status and version, the decision, the messages."""

    case_id: str
    status: CaseStatus
    version: int
    decision: Decision
    enforcement_messages: int
    enforcement_queued: bool


def _now() -> datetime:
    return datetime.now(UTC)


def _new_id(moment: datetime) -> str:
    from ulid import ULID

    return str(ULID.from_datetime(moment))


@dataclass
class Review:
    """The reviewer's and the poster's use cases, with their adapters, clock and ids."""

    repository: Repository = field(default_factory=Repository)
    evidence: EvidenceStore = field(default_factory=EvidenceStore)
    mailer: Mailer = field(default_factory=Mailer)
    enforcement: EnforcementQueue = field(default_factory=EnforcementQueue)
    clock: Callable[[], datetime] = _now
    new_id: Callable[[datetime], str] = _new_id
    new_token: Callable[[], str] = lambda: secrets.token_urlsafe(32)

    def queue(self, params: dict[str, str]) -> QueuePageView:
        """Return one page of the queue, oldest first."""
        try:
            query = QueueQuery.model_validate(params)
        except ValidationError as error:
            errors = field_errors(error)
            raise InvalidRequest("The queue query has invalid parameters.", errors) from None
        start_key = _decode_cursor(query.cursor, query.status) if query.cursor else None
        page = self.repository.queue_page(
            query.status.value,
            query.limit,
            start_key,
            surface=query.surface.value if query.surface else None,
            ground=query.ground.value if query.ground else None,
        )
        now = self.clock()
        return QueuePageView(
            cases=[_queue_item(case, now) for case in page.cases],
            next_cursor=_encode_cursor(page.next_key, query.status) if page.next_key else None,
        )

    def case_file(self, case_id: str) -> CaseFile:
        """Return everything about a case, with download links that live five minutes."""
        case = self._case(case_id)
        now = self.clock()
        return CaseFile(
            case=case.model_dump(
                mode="json", exclude={"receipt_token_hash", "notice_token_hashes", "decisions"}
            ),
            evidence=[self._link(f, now) for f in case.all_evidence],
            decisions=case.decisions,
            history=self.repository.case_events(case.case_id),
            version=case.version,
        )

    def decide(
        self, case_id: str, raw: object, actor: lifecycle.Actor, base_url: str
    ) -> DecisionOutcome:
        """Record a decision and its audit events at once; then notify both sides."""
        case = self._case(case_id)
        request = parse_decision(raw)
        now = self.clock()
        change = lifecycle.decide(
            case, request, actor, lifecycle.Context(now, self.new_id, settings().policy_version)
        )
        notice_token = None
        if lifecycle.is_enforcing(change):
            # Each enforcing decision gets a notice link of its own; every one keeps working.
            notice_token = self.new_token()
            hashes = [*change.case.notice_token_hashes, token_hash(notice_token)]
            change = replace(
                change, case=change.case.model_copy(update={"notice_token_hashes": hashes})
            )
        try:
            self.repository.save_change(change)
        except StaleCase:
            raise Conflict(
                "Another decision on this case was recorded first; read it again.",
                [FieldError("expected_version", "is no longer the case's version", "stale")],
            ) from None
        decision = change.case.decisions[-1]
        log.info(
            "decision recorded",
            extra={"case_id": case.case_id, "decision_id": decision.decision_id},
        )
        sent = self._enforce(change, notice_token, base_url)
        self._tell_claimant(change.case, decision, base_url)
        return DecisionOutcome(
            case_id=case.case_id,
            status=change.case.status,
            version=change.case.version,
            decision=decision,
            enforcement_messages=sent[0],
            enforcement_queued=sent[1],
        )

    def notice(self, case_id: str, notice_token: str | None) -> PosterNotice:
        """Return the poster's notice, or NotFound for a wrong id or token alike."""
        return poster_notice(self._posters_case(case_id, notice_token), self.clock())

    def request_reposting(
        self, case_id: str, notice_token: str | None, raw: object, base_url: str
    ) -> PosterNotice:
        """Record the poster's request to bring blocked content back; tell the claimant."""
        case = self._posters_case(case_id, notice_token)
        body = parse_body(remedies.RepostingRequestBody, raw)
        now = self.clock()
        remedies.ensure_reposting_allowed(case, now)  # before any file is kept
        named = named_files("evidence", body.evidence, "poster_evidence")
        files = attach_files(self.repository, self.evidence, named, case.case_id, now)
        change = remedies.request_reposting(case, body.statement, files, self._context(now))
        self._save(change, body.evidence, named)
        subject, text = messages.reposting_requested(
            case.lang, case.case_id, body.statement, self._status_url(case, base_url)
        )
        self._mail(case, subject, text)
        return poster_notice(change.case, now)

    def file_appeal(self, case_id: str, notice_token: str | None, raw: object) -> PosterNotice:
        """Record the restricted user's appeal against one restriction."""
        case = self._posters_case(case_id, notice_token)
        body = parse_body(remedies.AppealBody, raw)
        now = self.clock()
        change = remedies.file_appeal(case, body.measure_id, body.statement, self._context(now))
        self._save(change)
        return poster_notice(change.case, now)

    def decide_reposting(
        self, case_id: str, raw: object, actor: lifecycle.Actor, base_url: str
    ) -> RemedyOutcome:
        """Reinstate the content or uphold the block; tell both sides."""
        case = self._case(case_id)
        decision = parse_body(remedies.RepostingDecision, raw)
        change = remedies.decide_reposting(case, decision, actor, self._context(self.clock()))
        self._save(change)
        sent = self._enforce(change, None, base_url)
        subject, text = messages.reposting_decided(
            case.lang,
            case.case_id,
            decision.outcome,
            decision.reasons.facts,
            self._status_url(case, base_url),
        )
        self._mail(case, subject, text)
        return _remedy_outcome(change, sent)

    def decide_appeal(
        self, case_id: str, raw: object, actor: lifecycle.Actor, base_url: str
    ) -> RemedyOutcome:
        """Lift an appealed restriction or uphold it; the poster is told through the platform."""
        case = self._case(case_id)
        decision = parse_body(remedies.AppealDecision, raw)
        change = remedies.decide_appeal(case, decision, actor, self._context(self.clock()))
        self._save(change)
        return _remedy_outcome(change, self._enforce(change, None, base_url))

    def erase(self, case_id: str, actor: lifecycle.Actor) -> RemedyOutcome:
        """Erase a closed case's personal data; its audit trail still verifies."""
        from ..domain.privacy import erase_personal_data

        case = self._case(case_id)
        change = erase_personal_data(case, actor, self._context(self.clock()))
        # Files first: if tagging fails, nothing is recorded and the admin retries; tagging
        # twice is harmless. The bucket deletes tagged files once their retention ends.
        self.evidence.mark_for_erasure([f.key for f in case.all_evidence])
        self._save(change)
        log.info("personal data erased", extra={"case_id": case.case_id})
        return _remedy_outcome(change, (0, True))

    def _posters_case(self, case_id: str, notice_token: str | None) -> Case:
        case = self.repository.get_case(case_id) if len(case_id) == _CASE_ID_LENGTH else None
        hashes: list[str | None] = [*case.notice_token_hashes] if case else []
        # Compare against every hash (or one dummy) so a wrong token takes the same time.
        if not any([token_matches(notice_token, h) for h in hashes or [None]]) or not case:
            raise NotFound("No notice with this case id and notice token.")
        return case

    def _context(self, now: datetime) -> lifecycle.Context:
        return lifecycle.Context(now, self.new_id, settings().policy_version)

    def _save(
        self,
        change: lifecycle.Change,
        claimed: list[str] | None = None,
        named: Named | None = None,
    ) -> None:
        try:
            self.repository.save_change(change, claimed)
        except StaleCase:
            raise Conflict(
                "The case changed meanwhile; read it again and retry.",
                [FieldError("expected_version", "is no longer the case's version", "stale")],
            ) from None
        except UploadsAlreadyClaimed as error:
            raise claimed_conflict(named or [], error.upload_ids) from None

    @staticmethod
    def _status_url(case: Case, base_url: str) -> str:
        return f"{base_url}/status?case_id={case.case_id}"

    def _mail(self, case: Case, subject: str, text: str) -> None:
        try:
            self.mailer.send(case.claimant.email, subject, text)
        except Exception as error:  # the change stands; a lost mail must not undo it
            log.warning(
                "claimant mail not sent",
                extra={"case_id": case.case_id, "error": type(error).__name__},
            )

    def _case(self, case_id: str) -> Case:
        case = self.repository.get_case(case_id) if len(case_id) == _CASE_ID_LENGTH else None
        if case is None:
            raise NotFound(f"No case {case_id}.")
        return case

    def _link(self, file: EvidenceFile, now: datetime) -> EvidenceLink:
        return EvidenceLink(
            upload_id=file.upload_id,
            kind=file.kind,
            filename=file.filename,
            content_type=file.content_type,
            size=file.size,
            sha256=file.sha256,
            download_url=self.evidence.download_url(file.key, file.filename, DOWNLOAD_LINK_SECONDS),
            link_expires_at=iso(now + timedelta(seconds=DOWNLOAD_LINK_SECONDS)),
        )

    def _enforce(
        self, change: lifecycle.Change, notice_token: str | None, base_url: str
    ) -> tuple[int, bool]:
        """Queue one enforcement message per measure, with the poster's notice link."""
        link = f"{base_url}/notices/{change.case.case_id}"
        return publish(
            self.enforcement, change, f"{link}?token={notice_token}" if notice_token else link
        )

    def _tell_claimant(self, case: Case, decision: Decision, base_url: str) -> None:
        information = case.information_request
        subject, body = messages.decision(
            case.lang,
            case.case_id,
            [(m.type, m.ends_at) for m in decision.measures],
            decision.statement.decision_facts,
            (information.message, information.due_at)
            if information and case.status == CaseStatus.INFORMATION_REQUESTED
            else None,
            f"{base_url}/status?case_id={case.case_id}",
        )
        try:
            self.mailer.send(case.claimant.email, subject, body)
        except Exception as error:  # the decision stands; a lost mail must not undo it
            log.warning(
                "decision mail not sent",
                extra={"case_id": case.case_id, "error": type(error).__name__},
            )


class RemedyOutcome(Model):
    """What a decision on a re-posting request or an appeal did."""

    case_id: str
    status: CaseStatus
    version: int
    actions: list[str]
    enforcement_messages: int
    enforcement_queued: bool


def _remedy_outcome(change: lifecycle.Change, sent: tuple[int, bool]) -> RemedyOutcome:
    return RemedyOutcome(
        case_id=change.case.case_id,
        status=change.case.status,
        version=change.case.version,
        actions=[event.action for event in change.events],
        enforcement_messages=sent[0],
        enforcement_queued=sent[1],
    )


def _queue_item(case: Case, now: datetime) -> QueueItem:
    return QueueItem(
        case_id=case.case_id,
        status=case.status,
        received_at=case.received_at,
        age_seconds=int((now - parse_iso(case.received_at)).total_seconds()),
        surface=case.target.surface,
        grounds=case.grounds,
        requested_action=case.requested_action.value,
        evidence_count=len(case.all_evidence),
        version=case.version,
    )


def _encode_cursor(key: dict[str, Any], status: CaseStatus) -> str:
    raw = json.dumps({"status": status.value, "key": key}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str, status: CaseStatus) -> dict[str, Any]:
    try:
        decoded = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        key = decoded["key"]
        if decoded["status"] != status.value or not isinstance(key, dict):
            raise ValueError
        if set(key) != {"pk", "sk", "queue_pk", "queue_sk"}:
            raise ValueError
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError):
        raise InvalidRequest(
            "The cursor is not one this queue gave out.",
            [FieldError("cursor", "is not a cursor of this queue and status", "cursor")],
        ) from None
    return dict(key)
