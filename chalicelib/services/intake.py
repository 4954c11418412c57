"""Use cases of a claimant: ask to upload evidence, submit a report, follow the case."""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from ..adapters.evidence_store import EvidenceStore, staging_key
from ..adapters.mail import Mailer
from ..adapters.repository import (
    IdempotencyKeyTaken,
    IdempotencyRecord,
    Repository,
    StaleCase,
    UploadsAlreadyClaimed,
)
from ..config import settings
from ..domain import lifecycle
from ..domain.base import Model
from ..domain.case import (
    Case,
    ClaimantView,
    Receipt,
    Upload,
    claimant_view,
    open_case,
)
from ..domain.clock import iso
from ..domain.errors import Conflict, FieldError, IdempotencyKeyReused, InvalidRequest, NotFound
from ..domain.evidence import MAX_EVIDENCE_BYTES
from ..domain.reports import (
    ReportSubmission,
    parse_information,
    parse_report,
    parse_upload_request,
)
from ..domain.secrets import (
    IDEMPOTENCY_KEY_PATTERN,
    idempotency_key_hash,
    request_fingerprint,
    token_hash,
    token_matches,
    unwrap_token,
    wrap_token,
)
from ..domain.vocabulary import CaseStatus
from . import messages
from .evidence import (
    UPLOAD_LIFETIME,
    Named,
    attach_files,
    claimed_conflict,
    keep_files,
    named_files,
)

log = logging.getLogger("irc.intake")

UPLOAD_URL_LIFETIME = timedelta(minutes=15)
IDEMPOTENCY_LIFETIME = timedelta(days=1)
_CASE_ID = re.compile(r"^[0-9A-HJKMNP-TV-Z]{26}$")


class UploadGrant(Model):
    """Where a browser posts one evidence file, and until when."""

    upload_id: str
    url: str
    fields: dict[str, str]
    expires_at: str


def _now() -> datetime:
    return datetime.now(UTC)


def _new_id(moment: datetime) -> str:
    from ulid import ULID

    return str(ULID.from_datetime(moment))


def _new_token() -> str:
    return secrets.token_urlsafe(32)


@dataclass
class Intake:
    """A claimant's use cases, with their adapters, clock and id factory."""

    repository: Repository = field(default_factory=Repository)
    evidence: EvidenceStore = field(default_factory=EvidenceStore)
    mailer: Mailer = field(default_factory=Mailer)
    clock: Callable[[], datetime] = _now
    new_id: Callable[[datetime], str] = _new_id
    new_token: Callable[[], str] = _new_token

    def request_upload(self, raw: object) -> UploadGrant:
        """Grant a presigned upload of one evidence file into staging."""
        request = parse_upload_request(raw)
        now = self.clock()
        upload_id = self.new_id(now)
        key = staging_key(upload_id)
        presigned = self.evidence.presign_upload(
            key, request.content_type, MAX_EVIDENCE_BYTES, int(UPLOAD_URL_LIFETIME.total_seconds())
        )
        upload = Upload(
            upload_id=upload_id,
            filename=request.filename,
            content_type=request.content_type,
            size=request.size,
            staging_key=key,
            created_at=iso(now),
        )
        self.repository.put_upload(upload, int((now + UPLOAD_LIFETIME).timestamp()))
        return UploadGrant(
            upload_id=upload_id,
            url=presigned.url,
            fields=presigned.fields,
            expires_at=iso(now + UPLOAD_URL_LIFETIME),
        )

    def submit_report(
        self, raw: object, idempotency_key: str | None, status_url: str
    ) -> tuple[Receipt, bool]:
        """Open a case for a report; return its receipt and whether it is a replay."""
        if idempotency_key is not None and not IDEMPOTENCY_KEY_PATTERN.match(idempotency_key):
            raise InvalidRequest(
                "The Idempotency-Key header is malformed.",
                [
                    FieldError(
                        "Idempotency-Key",
                        "must be 16 to 255 letters, digits or . _ : - (a UUID is right)",
                        "header",
                    )
                ],
            )
        report = parse_report(raw)
        key_hash = idempotency_key_hash(idempotency_key) if idempotency_key else None
        fingerprint = request_fingerprint(raw)
        uploads, record = self.repository.load_for_submission(report.upload_ids, key_hash)
        if record and idempotency_key:
            return _replay(record, fingerprint, idempotency_key), True

        now = self.clock()
        case_id = self.new_id(now)
        files = keep_files(self.evidence, _named_uploads(report), uploads, case_id, now)
        token = self.new_token()
        received_at = iso(now)
        case, event = open_case(
            report,
            case_id=case_id,
            event_id=self.new_id(now),
            received_at=received_at,
            receipt_token_hash=token_hash(token),
            files=files,
            policy_version=settings().policy_version,
        )
        idempotency = None
        if key_hash and idempotency_key:
            idempotency = IdempotencyRecord(
                key_hash=key_hash,
                fingerprint=fingerprint,
                case_id=case_id,
                received_at=received_at,
                wrapped_receipt_token=wrap_token(token, idempotency_key),
                expires_at_epoch=int((now + IDEMPOTENCY_LIFETIME).timestamp()),
            )
        try:
            self.repository.create_case(case, event, report.upload_ids, idempotency)
        except IdempotencyKeyTaken:
            stored = self.repository.get_idempotency_record(key_hash or "")
            if stored is None or idempotency_key is None:
                raise
            return _replay(stored, fingerprint, idempotency_key), True
        except UploadsAlreadyClaimed as error:
            raise claimed_conflict(_named_uploads(report), error.upload_ids) from None
        log.info("case received", extra={"case_id": case_id, "evidence": len(files)})
        self._acknowledge(report, case_id, received_at, status_url)
        return (
            Receipt(
                case_id=case_id,
                receipt_token=token,
                status=CaseStatus.RECEIVED,
                received_at=received_at,
            ),
            False,
        )

    def claimant_view(self, case_id: str, receipt_token: str | None) -> ClaimantView:
        """Return the claimant's view of a case, or NotFound for a wrong id or token alike."""
        return claimant_view(self._claimants_case(case_id, receipt_token))

    def provide_information(
        self, case_id: str, receipt_token: str | None, raw: object
    ) -> ClaimantView:
        """Answer a request for information with a statement and new evidence."""
        case = self._claimants_case(case_id, receipt_token)
        answer = parse_information(raw)
        now = self.clock()
        lifecycle.ensure_answerable(case, now)  # before any file is copied into the locked store
        named = named_files("evidence", answer.evidence, "evidence")
        files = attach_files(self.repository, self.evidence, named, case.case_id, now)
        change = lifecycle.provide_information(case, answer.statement, files, self._context(now))
        try:
            self.repository.save_change(change, answer.evidence)
        except StaleCase:
            raise _changed_meanwhile() from None
        except UploadsAlreadyClaimed as error:
            raise claimed_conflict(named, error.upload_ids) from None
        log.info("information provided", extra={"case_id": case.case_id, "evidence": len(files)})
        return claimant_view(change.case)

    def withdraw(self, case_id: str, receipt_token: str | None) -> ClaimantView:
        """Withdraw an undecided case at its claimant's wish."""
        case = self._claimants_case(case_id, receipt_token)
        change = lifecycle.withdraw(case, self._context(self.clock()))
        try:
            self.repository.save_change(change)
        except StaleCase:
            raise _changed_meanwhile() from None
        log.info("case withdrawn", extra={"case_id": case.case_id})
        return claimant_view(change.case)

    def _claimants_case(self, case_id: str, receipt_token: str | None) -> Case:
        case = self.repository.get_case(case_id) if _CASE_ID.match(case_id) else None
        if not token_matches(receipt_token, case.receipt_token_hash if case else None) or not case:
            raise NotFound("No case with this id and receipt token.")
        return case

    def _context(self, now: datetime) -> lifecycle.Context:
        return lifecycle.Context(now, self.new_id, settings().policy_version)

    def _acknowledge(
        self, report: ReportSubmission, case_id: str, received_at: str, status_url: str
    ) -> None:
        subject, body = messages.acknowledgement(report.lang, case_id, received_at, status_url)
        try:
            self.mailer.send(report.claimant.email, subject, body)
        except Exception as error:  # the case stands; a lost mail must not undo it
            log.warning(
                "acknowledgement not sent",
                extra={"case_id": case_id, "error": type(error).__name__},
            )


def _named_uploads(report: ReportSubmission) -> Named:
    named = named_files("evidence", report.evidence, "evidence")
    if report.power_of_attorney:
        named.append(("power_of_attorney", report.power_of_attorney, "power_of_attorney"))
    return named


def _changed_meanwhile() -> Conflict:
    return Conflict(
        "The case changed while your request was handled; read it again and retry.",
        [FieldError("status", "changed meanwhile", "stale")],
    )


def _replay(record: IdempotencyRecord, fingerprint: str, key: str) -> Receipt:
    if record.fingerprint != fingerprint:
        raise IdempotencyKeyReused(
            "This Idempotency-Key was used for a different report; use a new key for a new report.",
            [FieldError("Idempotency-Key", "was used before with a different body", "reused")],
        )
    return Receipt(
        case_id=record.case_id,
        receipt_token=unwrap_token(record.wrapped_receipt_token, key),
        status=CaseStatus.RECEIVED,
        received_at=record.received_at,
    )
