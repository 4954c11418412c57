"""What the use cases need from the world: small protocols, the values and errors they speak.

Services reach AWS only through these; `wiring` passes the AWS adapters in, and tests pass the
in-memory fakes of `tests/fakes.py`. `tests/test_ports.py` runs one contract suite over both, so
a fake cannot drift from its adapter.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from datetime import date

    from .domain.audit import AuditEvent, ChainHead
    from .domain.case import Case, Claim, Upload
    from .domain.lifecycle import Change
    from .domain.limits import Count
    from .domain.misuse import Strike, Suspension, Unfounded
    from .domain.notes import Note
    from .domain.outbox import Effect
    from .domain.related import RelationHit
    from .domain.staff import Staff, StaffEntry


# Values the ports speak.


@dataclass(frozen=True)
class IdempotencyRecord:
    """What a first report under an Idempotency-Key produced."""

    key_hash: str
    fingerprint: str
    case_id: str
    received_at: str
    wrapped_receipt_token: str
    expires_at_epoch: int
    acknowledgement_mailed: bool = True


@dataclass(frozen=True)
class StoredAnswer:
    """The answer a state-changing request gave under an Idempotency-Key, kept for its retries."""

    key_hash: str
    fingerprint: str
    body: str
    expires_at_epoch: int


@dataclass(frozen=True)
class RecoveryLink:
    """A mailed recovery link as the service keeps it: its code's hash, when it was made, until
    when it may be used (epoch seconds), and when it was used (None while unused)."""

    case_id: str
    code_hash: str
    created_at: str
    expires_at_epoch: int
    used_at: str | None = None


@dataclass(frozen=True)
class ReportReads:
    """What a report's submission reads in one batch: its uploads, its idempotency record, and
    how many of each count were taken in their windows so far."""

    uploads: dict[str, Upload]
    record: IdempotencyRecord | None
    taken: dict[Count, int]
    suspension: Suspension | None = None


@dataclass(frozen=True)
class QueuePage:
    """One page of the queue, and the queue position it read through (None at the end)."""

    cases: list[Case]
    next_after: str | None


@dataclass(frozen=True)
class QueueTally:
    """How many cases of a queue a count found, and whether it read the whole queue (when it
    stopped at its page budget, there are at least `count`)."""

    count: int
    complete: bool


@dataclass(frozen=True)
class CaseFileReads:
    """What one Query of a case's partition holds: the case, its effects, its internal notes."""

    case: Case | None
    effects: list[dict[str, Any]]
    notes: list[Note]


@dataclass(frozen=True)
class PresignedUpload:
    """Where and how a browser posts one file straight to S3."""

    url: str
    fields: dict[str, str]


@dataclass(frozen=True)
class StagedFile:
    """What S3 holds for an upload: its real size (None if absent), its first bytes, the
    Content-Type it was stored with, and the ETag of the very object read."""

    size: int | None
    head: bytes
    content_type: str | None = None
    etag: str | None = None


# What a port raises for a use case to react to.


class StaleCase(Exception):
    """The case changed between reading it and writing the change."""


class IdempotencyKeyTaken(Exception):
    """Another request under the same Idempotency-Key committed first."""


class UploadsAlreadyClaimed(Exception):
    """One or more uploads were attached to another case first."""

    def __init__(self, upload_ids: list[str]) -> None:
        super().__init__(", ".join(upload_ids))
        self.upload_ids = upload_ids


class CountsFull(Exception):
    """One or more counts of the write had reached their limits, so nothing was written."""

    def __init__(self, counts: list[Count]) -> None:
        super().__init__(", ".join(count.limit.kind.value for count in counts))
        self.counts = counts


class NotesFull(Exception):
    """The case holds as many internal notes as it may, so the note was not written."""


class UnknownStaff(Exception):
    """The staff pool has no user of this username."""


class QueriesSpent(Exception):
    """A reading stopped because it made as many DynamoDB Queries as it was allowed."""


class StagedFileChanged(Exception):
    """The staged object was replaced after it was checked (its uploader posted it again)."""


class EvidenceMismatch(Exception):
    """The file in the evidence bucket is not the one the case recorded."""


class CheckpointTaken(Exception):
    """A checkpoint file of this number was written already (by another sealing run)."""


class HeadMoved(Exception):
    """The checkpoint head moved since it was read: another sealer indexed a checkpoint first."""


# Where evidence objects live: the case records these names, the evidence store keeps them.


def staging_key(upload_id: str) -> str:
    """Return where an upload waits until a case claims it."""
    return f"staging/{upload_id}"


def evidence_key(case_id: str, upload_id: str) -> str:
    """Return where a case's evidence file is kept."""
    return f"cases/{case_id}/{upload_id}"


def checked_key(case_id: str, upload_id: str) -> str:
    """Return a new place where a checked upload waits, out of its uploader's reach, to be
    preserved: one per attempt, so a retry never replaces the bytes another attempt hashed."""
    return f"checked/{case_id}/{upload_id}/{secrets.token_hex(8)}"


# The ports.


class CaseStore(Protocol):
    """Cases, their uploads, counts, idempotency records and effects, written atomically."""

    def put_upload(self, upload: Upload, expires_at_epoch: int) -> None:
        """Record a granted upload; it expires if no case claims it."""

    def load_for_submission(
        self, upload_ids: list[str], key_hash: str | None
    ) -> tuple[dict[str, Upload], IdempotencyRecord | None]:
        """Read the uploads a request names and its idempotency record."""

    def load_for_report(
        self,
        upload_ids: list[str],
        key_hash: str | None,
        counts: list[Count],
        claimant_key: str | None = None,
    ) -> ReportReads:
        """Read a report's uploads, its idempotency record, its counts and (given its
        claimant's key) their suspension, in one read."""

    def take_count(self, count: Count) -> bool:
        """Take one of a count in its window unless its limit is reached."""

    def get_idempotency_record(self, key_hash: str) -> IdempotencyRecord | None:
        """Return the record stored under an Idempotency-Key hash, if any."""

    def create_case(
        self,
        case: Case,
        event: AuditEvent,
        claimed_uploads: list[str],
        idempotency: IdempotencyRecord | None,
        effects: list[Effect] | None = None,
        counts: list[Count] | None = None,
        *,
        due_at: str | None,
    ) -> None:
        """Write a new case with all that comes with it, or nothing (IdempotencyKeyTaken,
        CountsFull, UploadsAlreadyClaimed); `due_at` is when time next changes it."""

    def save_change(
        self,
        change: Change,
        claimed_uploads: list[str] | None = None,
        effects: list[Effect] | None = None,
        answer: StoredAnswer | None = None,
        *,
        due_at: str | None,
        erasing: bool = False,
    ) -> None:
        """Write a change at the version it was made from, or nothing (StaleCase,
        IdempotencyKeyTaken, UploadsAlreadyClaimed); `due_at` is when time next changes it.
        The claimed files' hashes are related to the case in the same write; an erasing change
        deletes the case's relation items and internal notes with it."""

    def case_and_answer(
        self, case_id: str, key_hash: str | None
    ) -> tuple[Case | None, StoredAnswer | None]:
        """Read a case and the answer stored under an Idempotency-Key hash."""

    def stored_answer(self, key_hash: str) -> StoredAnswer | None:
        """Return the answer stored under an Idempotency-Key hash, if any."""

    def get_case(self, case_id: str) -> Case | None:
        """Return the case with this id, if there is one."""

    def case_with_effects(self, case_id: str) -> tuple[Case | None, list[dict[str, Any]]]:
        """Return a case and where each of its effects is."""

    def put_recovery(self, link: RecoveryLink, effect: Effect) -> None:
        """Write a recovery link's code hash and the effect that mails the link, both or
        neither (a write resent after it committed stands)."""

    def recovery_link(self, case_id: str, code_hash: str) -> RecoveryLink | None:
        """Return the recovery link of this code hash, if it is still kept."""

    def redeem_recovery(self, case_id: str, code_hash: str, now_epoch: int, used_at: str) -> bool:
        """Mark a recovery link used unless it was used or expired already; tell whether this
        call used it."""

    def case_file_reads(self, case_id: str) -> CaseFileReads:
        """Return a case, where each of its effects is, and its internal notes, oldest first."""

    def related_hits(self, case: Case, limit: int) -> list[RelationHit]:
        """Return up to `limit` newest cases under each relation of `case` (its target address,
        each of its files' hashes), with each one's current status."""

    def account_strikes(self, account_key: str, since: str, limit: int) -> list[Strike]:
        """Return at most `limit` of an account's strikes decided since `since`, newest first."""

    def claimant_record(
        self, claimant_key: str, limit: int
    ) -> tuple[list[Unfounded], Suspension | None]:
        """Return a claimant's `limit` newest unfounded notices, newest first, and their
        newest suspension."""

    def add_note(self, note: Note, expected_version: int, answer: StoredAnswer | None) -> None:
        """Write an internal note while its case is at `expected_version`, or nothing
        (NotesFull, StaleCase, IdempotencyKeyTaken)."""

    def queue_page(
        self,
        queue: str,
        limit: int,
        after: str | None,
        surface: str | None = None,
        ground: str | None = None,
    ) -> QueuePage:
        """Return one page of the cases in a work queue, longest waiting first."""

    def count_queue(
        self,
        queue: str,
        waiting_before: str | None,
        surface: str | None = None,
        ground: str | None = None,
    ) -> QueueTally:
        """Count the cases of a work queue (only those waiting since before `waiting_before`,
        when given), reading at most a few pages."""

    def set_claim(self, case_id: str, claim: Claim | None, read: Claim | None) -> None:
        """Set or clear a case's claim, keeping its version, if its claim is still `read` (else
        StaleCase)."""

    def case_events(self, case_id: str) -> list[AuditEvent]:
        """Return every audit event of a case, in chain order."""

    def newest_events(self, case_id: str, limit: int) -> list[AuditEvent]:
        """Return at most `limit` of a case's newest audit events, newest first."""

    def due_cases(self, now: str, limit: int = 100) -> list[Case]:
        """Return the cases that time changes by `now`."""


class SealedTrail(Protocol):
    """The audit trail as the sealer reads it, and the index of sealed checkpoints."""

    def checkpoint_head(self) -> dict[str, Any] | None:
        """Return the pointer to the newest checkpoint, if any was sealed."""

    def events_between(self, after: str, through: str) -> list[AuditEvent]:
        """Return every event after one moment and up to another."""

    def record_checkpoint(self, previous_seq: int, head: dict[str, Any]) -> None:
        """Point the head at a new checkpoint unless it moved from `previous_seq` (HeadMoved)."""


class AuditTrail(SealedTrail, Protocol):
    """The audit trail and checkpoint index as auditors read them."""

    def audit_events(
        self,
        *,
        case_id: str | None,
        actor: str | None,
        action: str | None,
        after: str | None,
        through: str | None,
        limit: int,
        start: dict[str, Any] | None,
        max_queries: int,
    ) -> tuple[list[AuditEvent], dict[str, Any] | None]:
        """Return one page of events by case, by actor, or by day, and where it read through."""

    def iter_event_items(self, after: str, through: str) -> Iterator[dict[str, Any]]:
        """Yield the event items of (after, through] in time order, as stored."""

    def iter_event_positions(
        self,
        after: str,
        through: str,
        resume: str | None = None,
        max_queries: int | None = None,
    ) -> Iterator[tuple[str, dict[str, Any] | None]]:
        """Yield (position, item) for the events of (after, through] past `resume`."""

    def event_by_id(self, event_id: str, occurred_at: str) -> AuditEvent | None:
        """Return the event with this id, written at this moment."""

    def event_item_at(self, case_id: str, seq: int) -> dict[str, Any] | None:
        """Return a case's event item number `seq` as stored, if there is one."""

    def case_event_items(self, case_id: str) -> list[dict[str, Any]]:
        """Return a case's event items as stored, in chain order."""

    def get_case(self, case_id: str) -> Case | None:
        """Return the case with this id, if there is one."""

    def chain_heads(self, case_ids: list[str]) -> dict[str, ChainHead]:
        """Return each named case's chain head; a missing case is left out."""

    def checkpoint_holding(self, occurred_at: str) -> dict[str, Any] | None:
        """Return the checkpoint whose window holds this moment, if one was sealed."""

    def checkpoint_index(
        self, limit: int, after: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """Return sealed checkpoints in order from the one after `after`, and where it read."""

    def checkpoints_overlapping(self, after: str, through: str) -> list[dict[str, Any]]:
        """Return the index items of the checkpoints whose windows meet (after, through]."""


class CheckpointFiles(Protocol):
    """The audit signing key and the write-once checkpoint files."""

    def sign(self, message: bytes) -> str:
        """Sign a checkpoint body's digest; return the signature, base64."""

    def public_key_pem(self) -> str:
        """Return the public half of the audit key, PEM encoded."""

    def write(self, seq: int, checkpoint: dict[str, Any]) -> None:
        """Write checkpoint `seq` once; a second writer is refused (CheckpointTaken)."""

    def read(self, seq: int) -> dict[str, Any] | None:
        """Return checkpoint `seq`, if it exists (ValueError if its file is not JSON)."""


class ExportUpload(Protocol):
    """One export on its way out, part by part."""

    parts: list[dict[str, Any]]  # the parts uploaded so far

    def part(self, body: bytes) -> None:
        """Upload the next part."""

    def complete(self) -> str:
        """Finish the upload; return a short-lived link to the export."""

    def abort(self) -> None:
        """Give the upload up, leaving no parts behind."""


class Exports(Protocol):
    """Where large audit exports are kept for a day."""

    def start(self, filename: str, content_type: str) -> ExportUpload:
        """Begin an export's upload."""


class Evidence(Protocol):
    """Uploads in staging, their checks, and the locked store of evidence."""

    @property
    def upload_origin(self) -> str:
        """Return the origin that browsers post uploads to (for the pages' CSP)."""

    @property
    def download_origin(self) -> str:
        """Return the origin that evidence links point at (for the console's CSP)."""

    def presign_upload(
        self, key: str, content_type: str, max_bytes: int, expires_in: int
    ) -> PresignedUpload:
        """Return a presigned POST that accepts only this key, this type and up to `max_bytes`."""

    def inspect(self, key: str) -> StagedFile:
        """Return the real size and first bytes of a staged upload."""

    def check_upload(self, staging: str, checked: str, etag: str) -> str:
        """Copy the very staged object inspected (`etag`) to `checked`; return its SHA-256
        (StagedFileChanged if it was replaced meanwhile)."""

    def download_url(
        self, key: str, filename: str, expires_in: int, inline_as: str | None = None
    ) -> str:
        """Return a short-lived link that downloads one evidence file under its own name, or,
        with `inline_as` (a content type), shows it in the browser as that type."""

    def preserve(self, checked: str, target: str, sha256: str) -> None:
        """Copy a checked upload into the locked store once (EvidenceMismatch on another hash)."""

    def mark_for_erasure(self, prefix: str) -> int:
        """Mark every file under `prefix` for erasure; return how many."""


class Mail(Protocol):
    """Outgoing mail."""

    def send(self, to: str, subject: str, body: str) -> str:
        """Send one plain-text mail; return its message id."""


class EnforcementQueue(Protocol):
    """The messaging platform's queue of measures to carry out."""

    def send(self, message: dict[str, Any]) -> None:
        """Queue one enforcement message; one sent again under its `message_id` is dropped."""


class NoticeKeys(Protocol):
    """The keys of the links in posters' notices."""

    def token(self, case_id: str, decision_id: str) -> str:
        """Return the token of a decision's notice link."""


class Outbox(Protocol):
    """The effects committed changes promise, as the relay takes and settles them."""

    def claim_effect(
        self, case_id: str, effect_id: str, now: str, lease_until: str
    ) -> dict[str, Any] | None:
        """Take an undelivered effect for one delivery; None if delivered, parked or taken."""

    def effect_delivered(self, case_id: str, effect_id: str, now: str) -> None:
        """Mark an effect delivered and forget its payload."""

    def effect_failed(
        self, case_id: str, effect_id: str, error: str, now: str, retry_at: str | None
    ) -> None:
        """Put a failed effect back for a try at `retry_at`, or park it (None)."""

    def replay_effect(self, case_id: str, effect_id: str, now: str) -> bool:
        """Put a parked effect back in line; False if it is not parked."""

    def tally_delivered(
        self, case_id: str, effect_id: str, days: dict[str, dict[str, int]], now: str
    ) -> None:
        """Add a tally effect's increments to its days' counters and mark it delivered, at once;
        an effect delivered already adds nothing."""

    def due_effects(self, now: str, limit: int = 100) -> list[tuple[str, str]]:
        """Return (case id, effect id) of the effects due for a try by `now`."""

    def parked_effects(self, limit: int = 100) -> list[dict[str, Any]]:
        """Return the parked effects, oldest first."""


class TokenVerifier(Protocol):
    """Checks a staff token's signature and claims against the pool's published keys."""

    def verify(self, token: str) -> Staff:
        """Return the staff member `token` signs in, or raise InvalidToken saying why not."""


class StaffDirectory(Protocol):
    """Asks the staff pool whether a sign-in still stands and which groups it holds; lists the
    pool's users and signs one out."""

    def confirm(self, token: str, member: Staff) -> Staff:
        """Return `member` with the groups the pool holds now, or raise InvalidToken."""

    def list_staff(self) -> list[StaffEntry]:
        """Return every user of the pool with the staff groups each holds, by username."""

    def sign_out(self, username: str) -> None:
        """Sign a user out of every sign-in (their tokens are refused), or raise UnknownStaff."""


class TallyReader(Protocol):
    """Reads the transparency counters of Korea days."""

    def tally_days(self, first: date, last: date) -> dict[str, dict[str, int]]:
        """Return the counters of each day from `first` to `last` that has any, by day."""
