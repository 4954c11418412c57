"""In-memory fakes of the ports, with the semantics the use cases rely on (`test_ports.py`
holds each to its AWS adapter's behaviour), and use cases wired to them."""

from __future__ import annotations

import base64
import copy
import dataclasses
import hashlib
import hmac
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from chalicelib.adapters.keys import queue_keys
from chalicelib.adapters.keys import waiting_before as waiting_ranges
from chalicelib.domain.audit import AuditEvent
from chalicelib.domain.case import Case, Claim, Upload
from chalicelib.domain.clock import iso, parse_iso
from chalicelib.domain.evidence import SNIFF_BYTES
from chalicelib.domain.lifecycle import Change
from chalicelib.domain.limits import Count
from chalicelib.domain.misuse import (
    STRIKE_ACTIONS,
    SUSPENSION_ACTIONS,
    Strike,
    Suspension,
    Unfounded,
    strikes_of,
    unfounded_of,
)
from chalicelib.domain.notes import MAX_NOTES, Note
from chalicelib.domain.outbox import SWEEP_AFTER, Effect, EffectState
from chalicelib.domain.queues import comes_first, waiting_since, work_queue
from chalicelib.domain.related import (
    MAX_RELATIONS_READ,
    RelationHit,
    evidence_hashes,
    target_relation,
)
from chalicelib.domain.staff import InvalidToken, Staff, StaffEntry, StaffGroup
from chalicelib.ports import (
    CaseFileReads,
    CheckpointTaken,
    CountsFull,
    EvidenceMismatch,
    HeadMoved,
    IdempotencyKeyTaken,
    IdempotencyRecord,
    NotesFull,
    PresignedUpload,
    QueuePage,
    QueueTally,
    RecoveryLink,
    ReportReads,
    StagedFile,
    StagedFileChanged,
    StaleCase,
    StoredAnswer,
    UnknownStaff,
    UploadsAlreadyClaimed,
)
from tests.conftest import PNG, report

if TYPE_CHECKING:
    from chalicelib.services.intake import Intake

S = TypeVar("S")
LATER = datetime(2100, 1, 1, tzinfo=UTC)  # the relay's sweep, after everything a test commits

_SUMMARY = (
    "effect_id",
    "kind",
    "case_id",
    "state",
    "attempts",
    "created_at",
    "delivered_at",
    "failed_at",
    "last_error",
)


def summary(effect: dict[str, Any]) -> dict[str, Any]:
    """Return what a reviewer or an operator sees of an effect (never its payload)."""
    return {name: effect[name] for name in _SUMMARY if name in effect}


@dataclass
class FakeCaseStore:
    """Cases, uploads, counts, idempotency records, events, effects and the checkpoint index in
    dictionaries; every write checks all its conditions first and then writes all or nothing."""

    cases: dict[str, Case] = field(default_factory=dict)
    due: dict[str, str] = field(default_factory=dict)
    uploads: dict[str, Upload] = field(default_factory=dict)
    counts: dict[tuple[str, str, str], int] = field(default_factory=dict)
    keyed: dict[str, dict[str, Any]] = field(default_factory=dict)  # by Idempotency-Key hash
    events: dict[tuple[str, int], AuditEvent] = field(default_factory=dict)
    effects: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    head: dict[str, Any] | None = None
    sealed: dict[str, dict[str, Any]] = field(default_factory=dict)  # by `through`
    # Relation -> case id -> what the relation item holds; ("url" or "content_ref", digest) or
    # ("sha256", hash).
    related: dict[tuple[str, str], dict[str, dict[str, Any]]] = field(default_factory=dict)
    notes: dict[str, list[Note]] = field(default_factory=dict)
    notes_taken: dict[str, int] = field(default_factory=dict)
    recoveries: dict[tuple[str, str], RecoveryLink] = field(default_factory=dict)
    tallies: dict[str, dict[str, int]] = field(default_factory=dict)  # by Korea day
    # Account key -> (decided_at, decision_id) -> strike; claimant key -> unfounded notices, and
    # claimant key -> their newest suspension.
    strikes: dict[str, dict[tuple[str, str], Strike]] = field(default_factory=dict)
    unfounded: dict[str, dict[tuple[str, str], Unfounded]] = field(default_factory=dict)
    suspensions: dict[str, Suspension] = field(default_factory=dict)
    writes: int = 0  # committed writes, for tests that count them
    count_pages: int = 10  # as the adapter's: pages one count reads
    count_page_items: int | None = None  # index items a page of a count reads (None: all)

    # The case store.

    def put_upload(self, upload: Upload, expires_at_epoch: int) -> None:
        if upload.upload_id in self.uploads:
            raise ValueError(f"upload {upload.upload_id} exists")
        self.uploads[upload.upload_id] = upload.model_copy()
        self.writes += 1

    def load_for_submission(
        self, upload_ids: list[str], key_hash: str | None
    ) -> tuple[dict[str, Upload], IdempotencyRecord | None]:
        reads = self.load_for_report(upload_ids, key_hash, [])
        return reads.uploads, reads.record

    def load_for_report(
        self,
        upload_ids: list[str],
        key_hash: str | None,
        counts: list[Count],
        claimant_key: str | None = None,
    ) -> ReportReads:
        uploads = {u: self.uploads[u].model_copy() for u in upload_ids if u in self.uploads}
        record = self.get_idempotency_record(key_hash) if key_hash else None
        taken = {c: self.counts.get(_count(c), 0) for c in counts}
        suspension = self.suspensions.get(claimant_key) if claimant_key else None
        return ReportReads(uploads, record, taken, suspension)

    def take_count(self, count: Count) -> bool:
        if self.counts.get(_count(count), 0) >= count.limit.allowed:
            return False
        self.counts[_count(count)] = self.counts.get(_count(count), 0) + 1
        return True

    def get_idempotency_record(self, key_hash: str) -> IdempotencyRecord | None:
        found = self.keyed.get(key_hash)
        if found is None:
            return None
        return IdempotencyRecord(
            key_hash=str(found["key_hash"]),
            fingerprint=str(found["fingerprint"]),
            case_id=str(found.get("case_id", "")),
            received_at=str(found.get("received_at", "")),
            wrapped_receipt_token=str(found.get("wrapped_receipt_token", "")),
            expires_at_epoch=int(found["expires_at_epoch"]),
            acknowledgement_mailed=bool(found.get("acknowledgement_mailed", True)),
        )

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
        if case.case_id in self.cases:
            return  # its id is new to the attempt: this very write committed before
        if idempotency and idempotency.key_hash in self.keyed:
            raise IdempotencyKeyTaken
        full = [c for c in counts or [] if self.counts.get(_count(c), 0) >= c.limit.allowed]
        if full:
            raise CountsFull(full)
        lost = self._unclaimable(claimed_uploads)
        if lost:
            raise UploadsAlreadyClaimed(lost)
        self._write_case(case, due_at, [event], claimed_uploads, effects or [], case.received_at)
        self._relate(case, target_relation(case.target))
        for sha256 in evidence_hashes(case):
            self._relate(case, ("sha256", sha256))
        for count in counts or []:
            self.counts[_count(count)] = self.counts.get(_count(count), 0) + 1
        if idempotency:
            self.keyed[idempotency.key_hash] = dict(idempotency.__dict__)

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
        case = change.case
        claims = claimed_uploads or []
        if answer and answer.key_hash in self.keyed:
            raise IdempotencyKeyTaken
        stored = self.cases.get(case.case_id)
        claimed = stored.claim if stored else None
        taken_meanwhile = (
            claimed is not None
            and claimed.until > case.updated_at
            and (claimed.by, claimed.until) != (change.claim_by, change.claim_until)
        )
        if stored is None or stored.version != change.expected_version or taken_meanwhile:
            if change.events and self._holds(change.events[0]):
                return  # this very change committed; its answer was lost and it was resent
            raise StaleCase
        lost = self._unclaimable(claims)
        if lost:
            raise UploadsAlreadyClaimed(lost)
        self._write_case(case, due_at, change.events, claims, effects or [], case.updated_at)
        for sha256 in dict.fromkeys(f.sha256 for f in case.all_evidence if f.upload_id in claims):
            self._relate(case, ("sha256", sha256))
        self._count_misuse(change)
        if erasing:
            for holders in self.related.values():
                holders.pop(case.case_id, None)
            self.notes.pop(case.case_id, None)
            self.notes_taken.pop(case.case_id, None)
        if answer:
            self.keyed[answer.key_hash] = dict(answer.__dict__)

    def case_and_answer(
        self, case_id: str, key_hash: str | None
    ) -> tuple[Case | None, StoredAnswer | None]:
        return self.get_case(case_id), self.stored_answer(key_hash) if key_hash else None

    def stored_answer(self, key_hash: str) -> StoredAnswer | None:
        found = self.keyed.get(key_hash)
        if found is None:
            return None
        return StoredAnswer(
            key_hash=str(found["key_hash"]),
            fingerprint=str(found["fingerprint"]),
            body=str(found.get("body", "")),
            expires_at_epoch=int(found["expires_at_epoch"]),
        )

    def get_case(self, case_id: str) -> Case | None:
        found = self.cases.get(case_id)
        return found.model_copy(deep=True) if found else None

    def case_with_effects(self, case_id: str) -> tuple[Case | None, list[dict[str, Any]]]:
        mine = sorted(e for (c, e) in self.effects if c == case_id)
        return self.get_case(case_id), [summary(self.effects[(case_id, e)]) for e in mine]

    def put_recovery(self, link: RecoveryLink, effect: Effect) -> None:
        if (link.case_id, link.code_hash) in self.recoveries:
            return  # the code is new to the attempt: this very write committed before
        self.recoveries[(link.case_id, link.code_hash)] = link
        self.effects[(effect.case_id, effect.effect_id)] = {
            "effect_id": effect.effect_id,
            "kind": effect.kind.value,
            "case_id": effect.case_id,
            "payload": copy.deepcopy(effect.payload),
            "state": EffectState.PENDING.value,
            "attempts": 0,
            "created_at": link.created_at,
            "due_at": iso(parse_iso(link.created_at) + SWEEP_AFTER),
        }
        self.writes += 1

    def recovery_link(self, case_id: str, code_hash: str) -> RecoveryLink | None:
        return self.recoveries.get((case_id, code_hash))

    def redeem_recovery(self, case_id: str, code_hash: str, now_epoch: int, used_at: str) -> bool:
        found = self.recoveries.get((case_id, code_hash))
        if found is None or found.used_at is not None or found.expires_at_epoch <= now_epoch:
            return False
        self.recoveries[(case_id, code_hash)] = dataclasses.replace(found, used_at=used_at)
        self.writes += 1
        return True

    def case_file_reads(self, case_id: str) -> CaseFileReads:
        case, effects = self.case_with_effects(case_id)
        notes = [n.model_copy() for n in self.notes.get(case_id, [])]
        return CaseFileReads(case, effects, notes)

    def related_hits(self, case: Case, limit: int) -> list[RelationHit]:
        relations: list[tuple[str, str]] = [target_relation(case.target)]
        relations += [("sha256", h) for h in evidence_hashes(case)]
        found: list[dict[str, Any]] = []
        for relation in relations[:MAX_RELATIONS_READ]:
            holders = self.related.get(relation, {})
            newest = sorted(holders, reverse=True)[: limit + 1]
            found += [holders[c] for c in newest if c != case.case_id]
        chosen = sorted({str(i["case_id"]) for i in found}, reverse=True)[:limit]
        statuses = {c: self.cases[c].status.value for c in chosen if c in self.cases}
        return [
            RelationHit(
                case_id=i["case_id"],
                received_at=i["received_at"],
                surface=i["surface"],
                same=i["same"],
                sha256=i.get("sha256"),
                status=statuses[i["case_id"]],
            )
            for i in found
            if i["case_id"] in statuses
        ]

    def _count_misuse(self, change: Change) -> None:
        case = change.case
        actions = {event.action for event in change.events}
        if case.account_key and actions & STRIKE_ACTIONS:
            held = self.strikes.setdefault(case.account_key, {})
            for strike in strikes_of(case):
                held[(strike.decided_at, strike.decision_id)] = strike
        if case.claimant_key and "reject" in actions:
            notices = self.unfounded.setdefault(case.claimant_key, {})
            for notice in unfounded_of(case):
                notices[(notice.decided_at, notice.decision_id)] = notice
        suspension = case.claimant_suspension
        if case.claimant_key and suspension and actions & SUSPENSION_ACTIONS:
            self.suspensions[case.claimant_key] = suspension.model_copy()

    def account_strikes(self, account_key: str, since: str, limit: int) -> list[Strike]:
        held = self.strikes.get(account_key, {})
        newest = sorted((k for k in held if k[0] >= since), reverse=True)[:limit]
        return [held[k].model_copy() for k in newest]

    def claimant_record(
        self, claimant_key: str, limit: int
    ) -> tuple[list[Unfounded], Suspension | None]:
        notices = self.unfounded.get(claimant_key, {})
        newest = sorted(notices, reverse=True)[:limit]
        return [notices[k].model_copy() for k in newest], self.suspensions.get(claimant_key)

    def add_note(self, note: Note, expected_version: int, answer: StoredAnswer | None) -> None:
        if answer and answer.key_hash in self.keyed:
            raise IdempotencyKeyTaken
        stored = self.cases.get(note.case_id)
        if stored is None or stored.version != expected_version:
            raise StaleCase
        if self.notes_taken.get(note.case_id, 0) >= MAX_NOTES:
            raise NotesFull
        self.notes.setdefault(note.case_id, []).append(note.model_copy())
        self.notes_taken[note.case_id] = self.notes_taken.get(note.case_id, 0) + 1
        if answer:
            self.keyed[answer.key_hash] = dict(answer.__dict__)
        self.writes += 1

    def queue_page(
        self,
        queue: str,
        limit: int,
        after: str | None,
        surface: str | None = None,
        ground: str | None = None,
    ) -> QueuePage:
        # As a Query with a filter: `limit` items are read, then the filter keeps some.
        line = self._queue_line(queue)
        read = [(position, c) for position, c in line if after is None or position > after][:limit]
        kept = [c.model_copy(deep=True) for _, c in read if _kept(c, surface, ground)]
        more = len(read) == limit and read[-1][0] != line[-1][0]
        return QueuePage(kept, read[-1][0] if more else None)

    def count_queue(
        self,
        queue: str,
        waiting_before: str | None,
        surface: str | None = None,
        ground: str | None = None,
    ) -> QueueTally:
        line = [
            c
            for position, c in self._queue_line(queue)
            if waiting_before is None
            or any(lo <= position <= hi for lo, hi in waiting_ranges(waiting_before))
        ]
        page = self.count_page_items or len(line) + 1
        read = line[: page * self.count_pages]
        counted = sum(1 for c in read if _kept(c, surface, ground))
        # A page that ends exactly at the end still leaves a key to go on from, as DynamoDB's.
        return QueueTally(counted, complete=len(line) < page * self.count_pages)

    def set_claim(self, case_id: str, claim: Claim | None, read: Claim | None) -> None:
        stored = self.cases.get(case_id)
        if stored is None or stored.claim != read:
            raise StaleCase
        self.cases[case_id] = stored.model_copy(update={"claim": claim})
        self.writes += 1

    def _queue_line(self, queue: str) -> list[tuple[str, Case]]:
        return sorted(
            (queue_keys(queue, waiting_since(c), c.case_id, comes_first(c))["queue_sk"], c)
            for c in self.cases.values()
            if work_queue(c) == queue
        )

    def case_events(self, case_id: str) -> list[AuditEvent]:
        return [
            self.events[k].model_copy() for k in sorted(k for k in self.events if k[0] == case_id)
        ]

    def newest_events(self, case_id: str, limit: int) -> list[AuditEvent]:
        return self.case_events(case_id)[::-1][:limit]

    def due_cases(self, now: str, limit: int = 100) -> list[Case]:
        due = sorted((at, case_id) for case_id, at in self.due.items() if at <= now)
        return [self.cases[case_id].model_copy(deep=True) for _, case_id in due[: limit * 4]]

    # The sealed trail.

    def checkpoint_head(self) -> dict[str, Any] | None:
        return dict(self.head) if self.head else None

    def events_between(self, after: str, through: str) -> list[AuditEvent]:
        found = [e for e in self.events.values() if after < e.occurred_at <= through]
        return sorted(found, key=lambda e: (e.occurred_at, e.event_id))

    def record_checkpoint(self, previous_seq: int, head: dict[str, Any]) -> None:
        if (self.head and int(self.head["seq"]) != previous_seq) or head["through"] in self.sealed:
            raise HeadMoved
        self.head, self.sealed[head["through"]] = dict(head), dict(head)

    def event_item_at(self, case_id: str, seq: int) -> dict[str, Any] | None:
        found = self.events.get((case_id, seq))
        return found.model_dump(mode="json") if found else None

    # Helpers.

    def _holds(self, event: AuditEvent) -> bool:
        stored = self.events.get((event.case_id, event.seq))
        return stored is not None and stored.event_id == event.event_id

    def _relate(self, case: Case, relation: tuple[str, str]) -> None:
        held = {
            "case_id": case.case_id,
            "received_at": case.received_at,
            "surface": case.target.surface.value,
            "same": {"url": "target_url", "content_ref": "content_ref"}.get(
                relation[0], "evidence"
            ),
        }
        if relation[0] == "sha256":
            held["sha256"] = relation[1]
        self.related.setdefault(relation, {})[case.case_id] = held

    def _unclaimable(self, upload_ids: list[str]) -> list[str]:
        return [
            u for u in upload_ids if u not in self.uploads or self.uploads[u].case_id is not None
        ]

    def _write_case(
        self,
        case: Case,
        due_at: str | None,
        events: list[AuditEvent],
        claims: list[str],
        effects: list[Effect],
        created_at: str,
    ) -> None:
        taken = [e for e in events if (e.case_id, e.seq) in self.events]
        if taken:
            raise ValueError(f"event {taken[0].seq} of case {case.case_id} exists")
        self.cases[case.case_id] = case.model_copy(deep=True)
        if due_at is None:
            self.due.pop(case.case_id, None)
        else:
            self.due[case.case_id] = due_at
        for event in events:
            self.events[(event.case_id, event.seq)] = event.model_copy()
        for upload_id in claims:
            upload = self.uploads[upload_id]
            self.uploads[upload_id] = upload.model_copy(
                update={"case_id": case.case_id, "filename": ""}
            )
        for effect in effects:
            self.effects[(effect.case_id, effect.effect_id)] = {
                "effect_id": effect.effect_id,
                "kind": effect.kind.value,
                "case_id": effect.case_id,
                "payload": copy.deepcopy(effect.payload),
                "state": EffectState.PENDING.value,
                "attempts": 0,
                "created_at": created_at,
                "due_at": iso(parse_iso(created_at) + SWEEP_AFTER),
            }
        self.writes += 1


def _kept(case: Case, surface: str | None, ground: str | None) -> bool:
    return (surface is None or case.target.surface.value == surface) and (
        ground is None or ground in [g.value for g in case.grounds]
    )


def _count(count: Count) -> tuple[str, str, str]:
    return (count.limit.kind.value, count.subject, iso(count.window.start))


@dataclass
class FakeOutbox:
    """The relay's view of the effects a `FakeCaseStore` holds."""

    store: FakeCaseStore

    def claim_effect(
        self, case_id: str, effect_id: str, now: str, lease_until: str
    ) -> dict[str, Any] | None:
        effect = self.store.effects.get((case_id, effect_id))
        if effect is None or effect["state"] != EffectState.PENDING.value:
            return None
        if "lease_until" in effect and effect["lease_until"] >= now:
            return None
        effect.update(lease_until=lease_until, attempts=effect["attempts"] + 1, due_at=lease_until)
        return copy.deepcopy(effect)

    def effect_delivered(self, case_id: str, effect_id: str, now: str) -> None:
        effect = self._pending(case_id, effect_id)
        if effect is not None:
            for name in ("payload", "lease_until", "due_at", "last_error"):
                effect.pop(name, None)
            effect.update(state=EffectState.DELIVERED.value, delivered_at=now)

    def effect_failed(
        self, case_id: str, effect_id: str, error: str, now: str, retry_at: str | None
    ) -> None:
        effect = self._pending(case_id, effect_id)
        if effect is not None:
            effect.pop("lease_until", None)
            state = EffectState.PENDING if retry_at else EffectState.PARKED
            effect.update(state=state.value, last_error=error, failed_at=now)
            effect.update(due_at=retry_at or now)

    def replay_effect(self, case_id: str, effect_id: str, now: str) -> bool:
        effect = self.store.effects.get((case_id, effect_id))
        if effect is None or effect["state"] != EffectState.PARKED.value:
            return False
        effect.update(state=EffectState.PENDING.value, attempts=0, due_at=now)
        return True

    def due_effects(self, now: str, limit: int = 100) -> list[tuple[str, str]]:
        due = sorted(
            (e["due_at"], e["case_id"], e["effect_id"])
            for e in self.store.effects.values()
            if e["state"] == EffectState.PENDING.value and e["due_at"] <= now
        )
        return [(case_id, effect_id) for _, case_id, effect_id in due[: limit * 4]]

    def parked_effects(self, limit: int = 100) -> list[dict[str, Any]]:
        parked = sorted(
            (e["due_at"], e["effect_id"], e)
            for e in self.store.effects.values()
            if e["state"] == EffectState.PARKED.value
        )
        return [summary(e) for _, _, e in parked[:limit]]

    def _pending(self, case_id: str, effect_id: str) -> dict[str, Any] | None:
        effect = self.store.effects.get((case_id, effect_id))
        return effect if effect and effect["state"] == EffectState.PENDING.value else None

    def tally_delivered(
        self, case_id: str, effect_id: str, days: dict[str, dict[str, int]], now: str
    ) -> None:
        if self._pending(case_id, effect_id) is None:
            return
        for day, named in days.items():
            counted = self.store.tallies.setdefault(day, {})
            for name, value in named.items():
                counted[name] = counted.get(name, 0) + value
        self.effect_delivered(case_id, effect_id, now)


@dataclass
class FakeTallyReader:
    """The transparency counters a `FakeCaseStore` holds, read as the adapter reads them."""

    store: FakeCaseStore
    reads: int = 0  # day items read, as a Query would count them

    def tally_days(self, first: date, last: date) -> dict[str, dict[str, int]]:
        found = {
            day: dict(named)
            for day, named in self.store.tallies.items()
            if first.isoformat() <= day <= last.isoformat()
        }
        self.reads += len(found)
        return found


@dataclass
class FakeStaffDirectory:
    """The staff pool's users by username: their subject, groups, whether enabled, and the
    tokens each holds (a sign-out refuses them all)."""

    users: dict[str, StaffEntry] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)  # token -> username

    def add(self, username: str, groups: list[str], enabled: bool = True) -> StaffEntry:
        """Add a user of the pool in `groups`; return them."""
        entry = StaffEntry(
            subject=f"sub-{username}",
            username=username,
            groups=frozenset(StaffGroup(g) for g in groups),
            enabled=enabled,
        )
        self.users[username] = entry
        return entry

    def sign_in(self, username: str) -> str:
        """Return a new token of `username`."""
        token = f"token-{username}-{len(self.tokens)}"
        self.tokens[token] = username
        return token

    def confirm(self, token: str, member: Staff) -> Staff:
        username = self.tokens.get(token)
        user = self.users.get(member.username)
        if username != member.username or user is None or not user.enabled:
            raise InvalidToken("signed out, disabled or revoked")
        return Staff(member.subject, member.username, user.groups)

    def list_staff(self) -> list[StaffEntry]:
        return list(self.users.values())

    def sign_out(self, username: str) -> None:
        if username not in self.users:
            raise UnknownStaff(username)
        self.tokens = {t: u for t, u in self.tokens.items() if u != username}


@dataclass
class _Object:
    body: bytes
    content_type: str | None
    etag: str


@dataclass
class FakeEvidence:
    """The staging bucket and the locked evidence bucket as two dictionaries of objects."""

    staged: dict[str, _Object] = field(default_factory=dict)
    kept: dict[str, _Object] = field(default_factory=dict)
    erasure: set[str] = field(default_factory=set)

    @property
    def upload_origin(self) -> str:
        """Return where the fake's presigned uploads go."""
        return "https://uploads.test"

    @property
    def download_origin(self) -> str:
        """Return where the fake's evidence links point."""
        return "https://evidence.test"

    def post(self, key: str, body: bytes, content_type: str) -> None:
        """Put an object into staging, as a browser's presigned POST does."""
        self.staged[key] = _Object(body, content_type, f'"{hashlib.md5(body).hexdigest()}"')  # noqa: S324

    def presign_upload(
        self, key: str, content_type: str, max_bytes: int, expires_in: int
    ) -> PresignedUpload:
        return PresignedUpload("https://uploads.test/", {"key": key, "Content-Type": content_type})

    def inspect(self, key: str) -> StagedFile:
        found = self.staged.get(key)
        if found is None:
            return StagedFile(size=None, head=b"")
        if not found.body:
            return StagedFile(size=0, head=b"")
        return StagedFile(len(found.body), found.body[:SNIFF_BYTES], found.content_type, found.etag)

    def check_upload(self, staging: str, checked: str, etag: str) -> str:
        found = self.staged.get(staging)
        if found is None or found.etag != etag:
            raise StagedFileChanged(staging)
        self.staged[checked] = copy.copy(found)
        return hashlib.sha256(found.body).hexdigest()

    def download_url(
        self, key: str, filename: str, expires_in: int, inline_as: str | None = None
    ) -> str:
        shown = f"&response-content-type={inline_as}" if inline_as else ""
        return f"https://evidence.test/{key}?X-Amz-Expires={expires_in}{shown}"

    def preserve(self, checked: str, target: str, sha256: str) -> None:
        source = self.kept.get(target) or self.staged[checked]
        if hashlib.sha256(source.body).hexdigest() != sha256:
            raise EvidenceMismatch(target)
        self.kept.setdefault(target, copy.copy(source))

    def mark_for_erasure(self, prefix: str) -> int:
        marked = [key for key in self.kept if key.startswith(prefix)]
        self.erasure.update(marked)
        return len(marked)


@dataclass
class FakeCheckpointFiles:
    """A P-256 key made in the process, and write-once checkpoint files."""

    files: dict[int, bytes] = field(default_factory=dict)
    key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )

    def sign(self, message: bytes) -> str:
        return base64.b64encode(self.key.sign(message, ec.ECDSA(hashes.SHA256()))).decode()

    def public_key_pem(self) -> str:
        return (
            self.key.public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode()
        )

    def write(self, seq: int, checkpoint: dict[str, Any]) -> None:
        if seq in self.files:
            raise CheckpointTaken(seq)
        self.files[seq] = json.dumps(checkpoint, ensure_ascii=False, sort_keys=True).encode()

    def read(self, seq: int) -> dict[str, Any] | None:
        found = self.files.get(seq)
        if found is None:
            return None
        checkpoint: dict[str, Any] = json.loads(found)
        return checkpoint


@dataclass(frozen=True)
class SentMail:
    """One mail as it was sent."""

    to: str
    subject: str
    body: str


@dataclass
class FakeMail:
    """Mail kept in a list."""

    sent: list[SentMail] = field(default_factory=list)

    def send(self, to: str, subject: str, body: str) -> str:
        self.sent.append(SentMail(to, subject, body))
        return f"message-{len(self.sent)}"

    def to(self, address: str) -> list[SentMail]:
        """Return the mail sent to `address`, oldest first."""
        return [mail for mail in self.sent if mail.to == address]


@dataclass
class FakeEnforcementQueue:
    """Enforcement messages kept in a list; one sent again under its id is dropped, as SQS drops
    a message whose deduplication id it saw within five minutes."""

    messages: list[dict[str, Any]] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)

    def send(self, message: dict[str, Any]) -> None:
        if message["message_id"] not in self.seen:
            self.seen.add(str(message["message_id"]))
            self.messages.append(copy.deepcopy(message))

    def receive(self) -> list[dict[str, Any]]:
        """Return the messages queued since the last receive, and take them off the queue."""
        taken, self.messages[:] = list(self.messages), []
        return taken


@dataclass
class FakeNoticeKeys:
    """Notice tokens from an HMAC with a key of the process."""

    key: bytes = b"fake notice key"

    def token(self, case_id: str, decision_id: str) -> str:
        mac = hmac.new(self.key, f"{case_id}\x00{decision_id}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def purpose_key(purpose: str) -> bytes:
    """Return a key of the process for one purpose (the deployed service derives it in KMS)."""
    return hashlib.sha256(f"fake purpose key\x00{purpose}".encode()).digest()


def cursor_key() -> bytes:
    """Return the key that seals cursors."""
    return purpose_key("cursor")


ENVIRONMENT = {
    "CASES_TABLE": "cases",
    "AUDIT_TABLE": "audit",
    "UPLOADS_BUCKET": "uploads",
    "EVIDENCE_BUCKET": "evidence",
    "MAIL_SENDER": "noreply@irc.test",
    "ENFORCEMENT_QUEUE_URL": "https://sqs.test/enforcement.fifo",
    "CHECKPOINT_BUCKET": "checkpoints",
    "AUDIT_KEY_ID": "audit-key",
    "NOTICE_KEY_ID": "notice-key",
    "POLICY_VERSION": "test-policy",
    "PUBLIC_BASE_URL": "http://irc.test",
    "EVIDENCE_RETENTION_DAYS": "365",
    "USER_POOL_ID": "us-east-1_fake",
    "USER_POOL_CLIENT_ID": "fake-client",
    "JWKS_URL": "http://jwks.test/keys",
    "TOKEN_ISSUER": "http://issuer.test",
    "REPORTS_PER_CLIENT_PER_HOUR": "10000",
    "UPLOADS_PER_CLIENT_PER_HOUR": "10000",
    "ACKNOWLEDGEMENTS_PER_RECIPIENT_PER_DAY": "10000",
}


class Clock:
    """A clock the test moves ("31 days later"), and the fakes the use cases run on."""

    def __init__(self, start: datetime) -> None:
        self.now = start
        self.world = World()

    def __call__(self) -> datetime:
        return self.now

    def later(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def fake_environment(monkeypatch: Any) -> None:
    """Set the settings a deployment's template sets, naming no real resource (no AWS here)."""
    from chalicelib.config import settings

    for name, value in ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    settings.cache_clear()


@dataclass
class World:
    """One set of fakes, shared by every use case wired to it."""

    cases: FakeCaseStore = field(default_factory=FakeCaseStore)
    evidence: FakeEvidence = field(default_factory=FakeEvidence)
    files: FakeCheckpointFiles = field(default_factory=FakeCheckpointFiles)
    mail: FakeMail = field(default_factory=FakeMail)
    enforcement: FakeEnforcementQueue = field(default_factory=FakeEnforcementQueue)
    notices: FakeNoticeKeys = field(default_factory=FakeNoticeKeys)

    def ports(self) -> dict[str, Any]:
        """Return each port by the name the use cases give it."""
        return {
            "repository": self.cases,
            "evidence": self.evidence,
            "notices": self.notices,
            "store": self.files,
            "outbox": FakeOutbox(self.cases),
            "tallies": FakeTallyReader(self.cases),
            "enforcement": self.enforcement,
            "mailer": self.mail,
            "purpose_key": purpose_key,
            "cursor_key": cursor_key,
        }

    def deliver(self) -> int:
        """Deliver every effect committed so far, as the relay's sweep does a while after."""
        from chalicelib.services.outbox import Relay

        return self.build(Relay, clock=lambda: LATER).sweep().delivered

    def staged_upload(self, intake: Intake, content: bytes = PNG) -> str:
        """Grant an upload and post its file as the browser would; return the upload id."""
        grant = intake.request_upload(
            {"filename": "evidence.png", "content_type": "image/png", "size": len(content)}
        )
        self.evidence.post(grant.fields["key"], content, "image/png")
        return grant.upload_id

    def open_case(self, intake: Intake | None = None, **changes: Any) -> tuple[str, str]:
        """Submit a report, deliver what it promised, and return its case id and receipt token."""
        from chalicelib.services.intake import Intake

        claimant = intake or self.build(Intake)
        receipt, _ = claimant.submit_report(
            report([self.staged_upload(claimant)], **changes), None, "http://irc.test"
        )
        self.deliver()
        return receipt.case_id, receipt.receipt_token

    def enforcement_messages(self) -> list[dict[str, Any]]:
        """Deliver what committed changes promised, then take every message off the queue."""
        self.deliver()
        return self.enforcement.receive()

    def mail_to(self, address: str) -> list[SentMail]:
        """Deliver what committed changes promised; return the mail sent to `address`."""
        self.deliver()
        return self.mail.to(address)

    def build(self, service: type[S], **given: Any) -> S:
        """Return a new `service` wired to these fakes, except what is `given`."""
        from chalicelib.wiring import ports_of

        ports = self.ports()
        make: Any = service
        built: S = make(**{n: ports[n] for n in ports_of(service) if n not in given}, **given)
        return built
