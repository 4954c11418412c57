"""Use cases of a claimant: ask to upload evidence, submit a report, follow the case."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from pydantic import Field

from ..config import settings
from ..domain import lifecycle, remedies, suspensions
from ..domain.base import Model
from ..domain.case import (
    Case,
    ClaimantView,
    Receipt,
    Upload,
    claimant_view,
    open_case,
)
from ..domain.clock import iso, parse_iso
from ..domain.dsa_statements import SOURCE_ARTICLE_16, SourceType
from ..domain.errors import ClaimantSuspended, Conflict, FieldError, InvalidRequest, NotFound
from ..domain.evidence import MAX_EVIDENCE_BYTES, short_type_name
from ..domain.ids import is_ulid
from ..domain.limits import (
    RECOVERIES_PER_ADDRESS_PER_DAY,
    RECOVERIES_PER_CASE_PER_DAY,
    Count,
    Limit,
    LimitKind,
    client_of,
    count_at,
    keyed_hash,
    recipient_of,
    refusal,
)
from ..domain.misuse import Suspension, SuspensionContest, to_korea_time
from ..domain.privacy import ERASED_EMAIL
from ..domain.reports import (
    ReportSubmission,
    parse_body,
    parse_information,
    parse_recovery,
    parse_report,
    parse_upload_request,
)
from ..domain.secrets import (
    TokenUnrecoverable,
    idempotency_key_hash,
    new_receipt_token,
    receipt_token_matches,
    request_fingerprint,
    token_hash,
    unwrap_token,
    wrap_token,
)
from ..domain.sessions import (
    RECOVERY_LINK_LIFETIME,
    open_session,
    proof_holds,
    recovery_code_hash,
    seal_proof,
    seal_session,
    with_case,
    without_case,
)
from ..domain.timers import next_due
from ..domain.vocabulary import CaseStatus
from ..ports import (
    CaseStore,
    CountsFull,
    Evidence,
    IdempotencyKeyTaken,
    IdempotencyRecord,
    RecoveryLink,
    UploadsAlreadyClaimed,
    staging_key,
)
from . import commit, links, messages
from .effects import mail_effect, opening_tally
from .evidence import (
    UPLOAD_LIFETIME,
    Named,
    StagedRefusal,
    attach_files,
    check_staged,
    claimed_conflict,
    keep_files,
    named_files,
)
from .links import status_address

log = logging.getLogger("irc.intake")

UPLOAD_URL_LIFETIME = timedelta(minutes=15)


class UploadGrant(Model):
    """Where a browser posts one evidence file, and until when."""

    upload_id: str
    url: str
    fields: dict[str, str]
    expires_at: str


class UploadCheck(Model):
    """An uploaded file that passed the checks a report applies to it."""

    upload_id: str
    status: Literal["ok"] = "ok"
    content_type: str
    size: int


class ContestReceipt(Model):
    """The claimant's contest of a suspension was recorded; a reviewer will decide."""

    case_id: str
    contested_at: str
    suspended_until: str = Field(description="The suspension lasts until then unless lifted.")


def _now() -> datetime:
    return datetime.now(UTC)


def _new_id(moment: datetime) -> str:
    from ulid import ULID

    return str(ULID.from_datetime(moment))


@dataclass
class Intake:
    """A claimant's use cases, with their ports, clock and id factory."""

    repository: CaseStore
    evidence: Evidence
    purpose_key: Callable[[str], bytes]
    clock: Callable[[], datetime] = _now
    new_id: Callable[[datetime], str] = _new_id
    new_token: Callable[[], str] = new_receipt_token

    def request_upload(self, raw: object, client_address: str | None = None) -> UploadGrant:
        """Grant a presigned upload of one evidence file into staging, within the client's limit."""
        request = parse_upload_request(raw)
        now = self.clock()
        by_client = self._client_count(LimitKind.UPLOADS, client_address, now)
        if not self.repository.take_count(by_client):
            log.info("limit reached", extra={"limit": LimitKind.UPLOADS.value})
            raise refusal(by_client, now)
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

    def check_upload(self, upload_id: str) -> UploadCheck:
        """Check an uploaded file at once, exactly as a report that names it would.

        One read of the upload's record and one ranged read of the file's first bytes.
        """
        if not is_ulid(upload_id):
            raise NotFound("No upload with this id: it is unknown, or it has expired.")
        uploads, _ = self.repository.load_for_submission([upload_id], None)
        upload = uploads.get(upload_id)
        now = self.clock()
        if upload is None or parse_iso(upload.created_at) + UPLOAD_LIFETIME < now:
            raise NotFound("No upload with this id: it is unknown, or it has expired.")
        checked = check_staged(self.evidence, "file", upload, now)
        if not isinstance(checked, FieldError) and checked.size is not None:
            return UploadCheck(
                upload_id=upload_id, content_type=upload.content_type, size=checked.size
            )
        assert isinstance(checked, FieldError)
        if checked.code == "conflict":
            raise Conflict(
                "This upload is already attached to a case; it cannot be checked again.",
                [FieldError("file", checked.message, "conflict")],
            )
        refusal = checked.refusal if isinstance(checked, StagedRefusal) else None
        if refusal is None or refusal.code == "not_uploaded":
            raise Conflict(
                "The file of this upload has not arrived yet: post it to the upload's url "
                "first, then check it.",
                [FieldError("file", "has not been uploaded yet", "not_uploaded")],
            )
        named = f'The file "{upload.filename}"' if upload.filename else "The file"
        if refusal.code in ("not_allowed", "other_type"):
            reason = f"its content is not a {short_type_name(upload.content_type)}"
        else:
            reason = f"it {refusal.message}"
        raise InvalidRequest(
            f"{named} cannot be accepted: {reason}.",
            [FieldError("file", checked.message, refusal.code)],
        )

    def submit_report(
        self,
        raw: object,
        idempotency_key: str | None,
        base_url: str,
        client_address: str | None = None,
        source_type: SourceType = SOURCE_ARTICLE_16,
    ) -> tuple[Receipt, bool]:
        """Open a case for a report; return its receipt and whether it is a replay (a trusted
        flagger's report says so in `source_type`).

        The report counts against its client's limit, and its acknowledgement against its
        recipient's; both counts commit with the case. A replay counts against neither.
        """
        if idempotency_key is not None:
            commit.check_key(idempotency_key)
        report = parse_report(raw)
        key_hash = idempotency_key_hash(idempotency_key) if idempotency_key else None
        fingerprint = request_fingerprint(raw)
        now = self.clock()
        by_client = self._client_count(LimitKind.REPORTS, client_address, now)
        to_recipient = self._recipient_count(report.claimant.email, now)
        claimant_key = self.claimant_key(report.claimant.email)
        reads = self.repository.load_for_report(
            report.upload_ids, key_hash, [by_client, to_recipient], claimant_key
        )
        if reads.record and idempotency_key:
            return _replay(reads.record, fingerprint, idempotency_key, self._wrap_secret()), True
        if reads.suspension is not None and reads.suspension.in_force_at(now):
            log.info("claimant suspended")
            raise suspended(reads.suspension)
        if not by_client.limit.allows(reads.taken[by_client]):
            log.info("limit reached", extra={"limit": LimitKind.REPORTS.value})
            raise refusal(by_client, now)
        mailed = to_recipient.limit.allows(reads.taken[to_recipient])

        case_id = self.new_id(now)
        files, copies = keep_files(
            self.evidence, _named_uploads(report), reads.uploads, case_id, now
        )
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
            account_key=(
                keyed_hash(self.purpose_key("account-ref"), report.target.account_ref)
                if report.target.account_ref
                else None
            ),
            claimant_key=claimant_key,
            source_type=source_type,
        )
        mail = messages.acknowledgement(
            report.lang, case_id, received_at, status_address(base_url, case_id)
        )
        acknowledgement = mail_effect(self.new_id(now), case, mail)
        counted = opening_tally(case, event)
        copies = [*copies, counted] if counted else copies
        while True:
            idempotency = None
            if key_hash and idempotency_key:
                idempotency = IdempotencyRecord(
                    key_hash=key_hash,
                    fingerprint=fingerprint,
                    case_id=case_id,
                    received_at=received_at,
                    wrapped_receipt_token=wrap_token(token, idempotency_key, self._wrap_secret()),
                    expires_at_epoch=int((now + commit.IDEMPOTENCY_LIFETIME).timestamp()),
                    acknowledgement_mailed=mailed,
                )
            try:
                self.repository.create_case(
                    case,
                    event,
                    report.upload_ids,
                    idempotency,
                    [*copies, acknowledgement] if mailed else copies,
                    [by_client, to_recipient] if mailed else [by_client],
                    due_at=next_due(case),
                )
            except IdempotencyKeyTaken:
                stored = self.repository.get_idempotency_record(key_hash or "")
                if stored is None or idempotency_key is None:
                    raise
                return _replay(stored, fingerprint, idempotency_key, self._wrap_secret()), True
            except UploadsAlreadyClaimed as error:
                raise claimed_conflict(_named_uploads(report), error.upload_ids) from None
            except CountsFull as full:
                if by_client in full.counts or not mailed:
                    log.info("limit reached", extra={"limit": LimitKind.REPORTS.value})
                    raise refusal(by_client, now) from None
                mailed = False  # racing reports took the recipient's last acknowledgement
                continue
            break
        log.info(
            "case received",
            extra={"case_id": case_id, "evidence": len(files), "acknowledged": mailed},
        )
        return (
            Receipt(
                case_id=case_id,
                receipt_token=token,
                status=CaseStatus.RECEIVED,
                received_at=received_at,
                acknowledgement_mailed=mailed,
            ),
            False,
        )

    def claimant_view(self, case_id: str, receipt_token: str | None) -> ClaimantView:
        """Return the claimant's view of a case, or NotFound for a wrong id or token alike."""
        return claimant_view(self._claimants_case(case_id, receipt_token), self.clock())

    def provide_information(
        self,
        case_id: str,
        receipt_token: str | None,
        raw: object,
        idempotency_key: str | None = None,
    ) -> tuple[ClaimantView, bool]:
        """Answer a request for information with a statement and new evidence."""

        def plan(case: Case) -> commit.Plan[ClaimantView]:
            answer = parse_information(raw)
            now = self.clock()
            lifecycle.ensure_answerable(case, now)  # before any file is checked
            named = named_files("evidence", answer.evidence, "evidence")
            files, copies = attach_files(self.repository, self.evidence, named, case.case_id, now)
            change = lifecycle.provide_information(
                case, answer.statement, files, self._context(now)
            )
            view = claimant_view(change.case, now)
            return commit.Plan(change, view, copies, answer.evidence, named)

        asked = commit.ask(idempotency_key, f"information:{case_id}", raw)
        view, replayed = self._commit(asked, case_id, receipt_token, plan)
        log.info("information provided", extra={"case_id": case_id})
        return view, replayed

    def answer_reposting(
        self,
        case_id: str,
        receipt_token: str | None,
        raw: object,
        idempotency_key: str | None = None,
    ) -> tuple[ClaimantView, bool]:
        """Answer, once, the poster's undecided re-posting request, for the reviewer to read."""

        def plan(case: Case) -> commit.Plan[ClaimantView]:
            body = parse_body(remedies.RepostingAnswerBody, raw)
            now = self.clock()
            change = remedies.answer_reposting(case, body.statement, self._context(now))
            return commit.Plan(change, claimant_view(change.case, now))

        asked = commit.ask(idempotency_key, f"reposting-answer:{case_id}", raw)
        view, replayed = self._commit(asked, case_id, receipt_token, plan)
        log.info("re-posting request answered", extra={"case_id": case_id})
        return view, replayed

    def withdraw(
        self, case_id: str, receipt_token: str | None, idempotency_key: str | None = None
    ) -> tuple[ClaimantView, bool]:
        """Withdraw an undecided case at its claimant's wish."""

        def plan(case: Case) -> commit.Plan[ClaimantView]:
            now = self.clock()
            change = lifecycle.withdraw(case, self._context(now))
            return commit.Plan(change, claimant_view(change.case, now))

        asked = commit.ask(idempotency_key, f"withdrawal:{case_id}", None)
        view, replayed = self._commit(asked, case_id, receipt_token, plan)
        log.info("case withdrawn", extra={"case_id": case_id})
        return view, replayed

    def contest_suspension(
        self,
        case_id: str,
        receipt_token: str | None,
        raw: object,
        idempotency_key: str | None = None,
    ) -> tuple[ContestReceipt, bool]:
        """Record the claimant's contest of the suspension decided on their case, once; a
        reviewer reads it on the case and may lift the suspension."""

        def plan(case: Case) -> commit.Plan[ContestReceipt]:
            body = parse_body(SuspensionContest, raw)
            now = self.clock()
            newest = None
            if case.claimant_key:
                _, newest = self.repository.claimant_record(case.claimant_key, 1)
            change = suspensions.contest(case, body, newest, self._context(now))
            contested = change.case.claimant_suspension
            assert contested is not None and contested.contested_at is not None
            answer = ContestReceipt(
                case_id=case.case_id,
                contested_at=contested.contested_at,
                suspended_until=contested.ends_at,
            )
            return commit.Plan(change, answer)

        asked = commit.ask(idempotency_key, f"suspension-contest:{case_id}", raw)
        answer, replayed = commit.commit_once(
            self.repository,
            asked,
            case_id,
            lambda found: _claimants(found, receipt_token, self._proved),
            plan,
            ContestReceipt,
            self.clock,
        )
        log.info("suspension contested", extra={"case_id": case_id})
        return answer, replayed

    def session_cases(self, session: str | None) -> dict[str, int]:
        """Return the cases (id -> expiry epoch) a browser's status session still proves."""
        return open_session(self._session_key(), session, self.clock())

    def remember_case(self, session: str | None, case_id: str) -> str:
        """Return the status session that proves `case_id` too (renewed), and what it held."""
        now = self.clock()
        cases = with_case(open_session(self._session_key(), session, now), case_id, now)
        return seal_session(self._session_key(), cases)

    def forget_case(self, session: str | None, case_id: str) -> str | None:
        """Return the status session without `case_id`, or None when it proves nothing more."""
        cases = without_case(self.session_cases(session), case_id)
        return seal_session(self._session_key(), cases) if cases else None

    def session_view(self, case_id: str, session: str | None) -> ClaimantView | None:
        """Return the claimant's view of a case the browser's session proves, else None."""
        if case_id not in self.session_cases(session) or not commit.is_case_id(case_id):
            return None
        found = self.repository.get_case(case_id)
        return claimant_view(found, self.clock()) if found else None

    def case_proof(self, case_id: str) -> str:
        """Return a short-lived proof for one case that stands in for its receipt token (the
        status page's forms and status.js send it where they would send the token)."""
        return seal_proof(self._session_key(), case_id, self.clock())

    def request_recovery(self, case_id: str, raw: object, base_url: str) -> None:
        """Mail a one-time link to the case if `raw` names the address the report gave.

        The caller learns nothing either way: every request counts against the case's and the
        address's limits first (LimitReached past them), then the same reads are made whether or
        not the case exists; only a match writes the link's code hash with its mail.
        """
        asked = parse_recovery(raw)
        now = self.clock()
        case_id = case_id.strip().upper()[:64]
        counts = [
            self._recovery_count(LimitKind.RECOVERIES_OF_CASE, "recovery-case", case_id, now),
            self._recovery_count(
                LimitKind.RECOVERIES_TO_ADDRESS, "mail-recipient", recipient_of(asked.email), now
            ),
        ]
        refused = [count for count in counts if not self.repository.take_count(count)]
        if refused:
            log.info("limit reached", extra={"limit": refused[0].limit.kind.value})
            raise refusal(refused[0], now)
        found = self.repository.get_case(case_id) if commit.is_case_id(case_id) else None
        on_file = found.claimant.email.strip().lower() if found else ERASED_EMAIL
        if found is None or on_file == ERASED_EMAIL or on_file != asked.email.lower():
            log.info("recovery asked", extra={"case_id": case_id})
            return
        code = self.new_token()
        expires = now + RECOVERY_LINK_LIFETIME
        link = RecoveryLink(
            case_id=case_id,
            code_hash=recovery_code_hash(code),
            created_at=iso(now),
            expires_at_epoch=int(expires.timestamp()),
        )
        address = links.recovery_address(base_url, case_id, code)
        mail = messages.recovery(found.lang, case_id, address, iso(expires))
        self.repository.put_recovery(link, mail_effect(self.new_id(now), found, mail))
        log.info("recovery asked", extra={"case_id": case_id})

    def recovery_usable(self, case_id: str, code: str | None) -> bool:
        """Tell whether a recovery link may still be used (reading it uses nothing)."""
        if not code or len(code) > 128 or not commit.is_case_id(case_id):
            return False
        link = self.repository.recovery_link(case_id, recovery_code_hash(code))
        now = self.clock()
        return link is not None and link.used_at is None and link.expires_at_epoch > now.timestamp()

    def redeem_recovery(self, case_id: str, code: str | None) -> bool:
        """Use a recovery link once; tell whether it proved the case (then the page remembers
        the case in the browser's session)."""
        if not code or len(code) > 128 or not commit.is_case_id(case_id):
            return False
        now = self.clock()
        used = self.repository.redeem_recovery(
            case_id, recovery_code_hash(code), int(now.timestamp()), iso(now)
        )
        log.info(
            "recovery link used" if used else "recovery link refused", extra={"case_id": case_id}
        )
        return used

    def _session_key(self) -> bytes:
        return self.purpose_key("status-session")

    def _recovery_count(self, kind: LimitKind, purpose: str, subject: str, now: datetime) -> Count:
        allowed = {
            LimitKind.RECOVERIES_OF_CASE: RECOVERIES_PER_CASE_PER_DAY,
            LimitKind.RECOVERIES_TO_ADDRESS: RECOVERIES_PER_ADDRESS_PER_DAY,
        }[kind]
        return count_at(Limit(kind, allowed), keyed_hash(self.purpose_key(purpose), subject), now)

    def _wrap_secret(self) -> bytes:
        """The service's own part of the key a receipt token kept for a retry is wrapped in."""
        return self.purpose_key("receipt-wrap")

    def upload_origin(self) -> str:
        """Return the origin browsers post evidence uploads to (the pages' CSP allows it)."""
        return self.evidence.upload_origin

    def _commit(
        self,
        asked: commit.Ask | None,
        case_id: str,
        receipt_token: str | None,
        plan: Callable[[Case], commit.Plan[ClaimantView]],
    ) -> tuple[ClaimantView, bool]:
        return commit.commit_once(
            self.repository,
            asked,
            case_id,
            lambda found: _claimants(found, receipt_token, self._proved),
            plan,
            ClaimantView,
            self.clock,
        )

    def _claimants_case(self, case_id: str, receipt_token: str | None) -> Case:
        found = self.repository.get_case(case_id) if commit.is_case_id(case_id) else None
        return _claimants(found, receipt_token, self._proved)

    def _proved(self, case_id: str, credential: str | None) -> bool:
        return proof_holds(self._session_key(), case_id, credential, self.clock())

    def _context(self, now: datetime) -> lifecycle.Context:
        return lifecycle.Context(now, self.new_id, settings().policy_version)

    def _client_count(self, kind: LimitKind, client_address: str | None, now: datetime) -> Count:
        allowed = {
            LimitKind.REPORTS: settings().reports_per_client_per_hour,
            LimitKind.UPLOADS: settings().uploads_per_client_per_hour,
        }[kind]
        subject = keyed_hash(self.purpose_key("client-address"), client_of(client_address))
        return count_at(Limit(kind, allowed), subject, now)

    def claimant_key(self, address: str) -> str:
        """Return the keyed hash a claimant's unfounded notices and suspension are kept by."""
        return keyed_hash(self.purpose_key("claimant-notices"), recipient_of(address))

    def _recipient_count(self, address: str, now: datetime) -> Count:
        allowed = settings().acknowledgements_per_recipient_per_day
        subject = keyed_hash(self.purpose_key("mail-recipient"), recipient_of(address))
        return count_at(Limit(LimitKind.ACKNOWLEDGEMENTS, allowed), subject, now)


def suspended(suspension: Suspension) -> ClaimantSuspended:
    """Return the refusal of a report from a suspended address: until when, how to contest."""
    ends = to_korea_time(suspension.ends_at)
    return ClaimantSuspended(
        "Reports from this email address are suspended until "
        f"{ends} (Korea time), after several reports were rejected as manifestly unfounded. "
        "The statement of reasons was mailed to this address; to contest it, post your "
        f"statement to /v1/claimants/suspensions/{suspension.case_id}/contest with the "
        "receipt token of that case.",
        ends_at=suspension.ends_at,
        ends_at_korea=ends,
        case_id=suspension.case_id,
    )


def _claimants(
    found: Case | None, credential: str | None, proved: Callable[[str, str | None], bool]
) -> Case:
    """Return the case if the caller holds it: its own receipt token, or a status page's proof
    of this very case (`proved`); NotFound alike for any mismatch."""
    holds = receipt_token_matches(credential, found.receipt_token_hash if found else None)
    if not found or not (holds or proved(found.case_id, credential)):
        raise NotFound("No case with this id and receipt token.")
    return found


def _named_uploads(report: ReportSubmission) -> Named:
    named = named_files("evidence", report.evidence, "evidence")
    if report.power_of_attorney:
        named.append(("power_of_attorney", report.power_of_attorney, "power_of_attorney"))
    return named


def _replay(record: IdempotencyRecord, fingerprint: str, key: str, secret: bytes) -> Receipt:
    if record.fingerprint != fingerprint:
        raise commit.reused_key()
    try:
        receipt_token = unwrap_token(record.wrapped_receipt_token, key, secret)
    except TokenUnrecoverable:
        raise Conflict(
            f"This report was recorded as case {record.case_id}, but its receipt token can no "
            "longer be shown again. Keep the one you were given, or send a new report with a "
            "new Idempotency-Key."
        ) from None
    return Receipt(
        case_id=record.case_id,
        receipt_token=receipt_token,
        status=CaseStatus.RECEIVED,
        received_at=record.received_at,
        acknowledgement_mailed=record.acknowledgement_mailed,
    )
