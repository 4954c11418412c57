"""One contract per port, run against its in-memory fake and its AWS adapter (on moto), so that
a use case tested on the fakes meets the same behaviour when deployed."""

from __future__ import annotations

import base64
import hashlib
import json
import urllib.parse
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from chalicelib.config import settings
from chalicelib.domain.audit import AuditEvent, next_event
from chalicelib.domain.case import (
    Appeal,
    Case,
    Claim,
    EvidenceFile,
    InformationProvided,
    MeasureInForce,
    Upload,
    open_case,
)
from chalicelib.domain.clock import iso
from chalicelib.domain.lifecycle import Change
from chalicelib.domain.limits import Count, Limit, LimitKind, count_at
from chalicelib.domain.notes import Note
from chalicelib.domain.outbox import Effect, EffectKind, EffectState
from chalicelib.domain.reports import parse_report
from chalicelib.domain.staff import InvalidToken, Staff, StaffGroup
from chalicelib.domain.vocabulary import CaseStatus
from chalicelib.ports import (
    CaseStore,
    CheckpointFiles,
    CheckpointTaken,
    CountsFull,
    EnforcementQueue,
    Evidence,
    EvidenceMismatch,
    HeadMoved,
    IdempotencyKeyTaken,
    IdempotencyRecord,
    Mail,
    NotesFull,
    NoticeKeys,
    Outbox,
    QueueTally,
    SealedTrail,
    StagedFileChanged,
    StaleCase,
    StoredAnswer,
    UnknownStaff,
    UploadsAlreadyClaimed,
    evidence_key,
    staging_key,
)
from chalicelib.wiring import ADAPTERS
from tests import fakes
from tests.conftest import PNG, put_staged, report, sign_in

START = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
SIDES = ["fake", "moto"]


@dataclass
class Ports:
    """One side's ports: every fake over one world, or every adapter over one moto."""

    side: str
    cases: Any
    outbox: Outbox
    evidence: Evidence
    files: CheckpointFiles
    mail: Mail
    enforcement: EnforcementQueue
    notices: NoticeKeys

    def stage(self, key: str, body: bytes, content_type: str) -> None:
        """Post a file into staging, as a browser does with its presigned POST."""
        if isinstance(self.evidence, fakes.FakeEvidence):
            self.evidence.post(key, body, content_type)
        else:
            put_staged(key, body, content_type)

    def queued(self) -> list[dict[str, Any]]:
        """Return the enforcement messages queued so far."""
        if isinstance(self.enforcement, fakes.FakeEnforcementQueue):
            return self.enforcement.messages
        sqs = boto3.client("sqs")
        answer = sqs.receive_message(
            QueueUrl=settings().enforcement_queue_url, MaxNumberOfMessages=10
        )
        return [json.loads(m["Body"]) for m in answer.get("Messages", [])]


@pytest.fixture(params=SIDES)
def ports(request: pytest.FixtureRequest) -> Ports:
    if request.param == "fake":
        world = fakes.World()
        made = world.ports()
    else:
        request.getfixturevalue("aws")
        made = {name: make() for name, make in ADAPTERS.items()}
    return Ports(
        side=request.param,
        cases=made["repository"],
        outbox=made["outbox"],
        evidence=made["evidence"],
        files=made["store"],
        mail=made["mailer"],
        enforcement=made["enforcement"],
        notices=made["notices"],
    )


def at(minutes: float) -> datetime:
    return START + timedelta(minutes=minutes)


def new_case(number: int, received: datetime = START, **changes: Any) -> tuple[Case, AuditEvent]:
    """Return a newly received case (ids that sort by `number`) and its first event."""
    return open_case(
        parse_report(report(["01KAAAAAAAAAAAAAAAAAAAAAAA"], **changes)),
        case_id=f"01KCASE{number:019d}",
        event_id=f"01KEVENT{number:018d}",
        received_at=iso(received),
        receipt_token_hash="0" * 64,
        files=[],
        policy_version="test-policy",
    )


def upload(upload_id: str) -> Upload:
    return Upload(
        upload_id=upload_id,
        filename="evidence.png",
        content_type="image/png",
        size=len(PNG),
        staging_key=staging_key(upload_id),
        created_at=iso(START),
    )


def effect(case: Case, effect_id: str = "mail-1") -> Effect:
    return Effect(
        effect_id=effect_id,
        kind=EffectKind.MAIL,
        case_id=case.case_id,
        payload={"to": "minji@example.com", "subject": "Received", "body": "Thank you."},
    )


def reviewed(case: Case, minutes: float) -> Change:
    """Return the change that moves a case into review, as of `minutes` after START."""
    moved = case.model_copy(
        update={
            "status": CaseStatus.IN_REVIEW,
            "version": case.version + 1,
            "updated_at": iso(at(minutes)),
        }
    )
    return Change(moved, [], case.version)


def record(key_hash: str, case_id: str) -> IdempotencyRecord:
    return IdempotencyRecord(key_hash, "fingerprint", case_id, iso(START), "wrapped", 2_000_000_000)


# The case store.


def test_a_new_case_is_written_with_its_event_claims_effects_and_due_moment(ports: Ports) -> None:
    store: CaseStore = ports.cases
    store.put_upload(upload("U1"), 2_000_000_000)
    case, event = new_case(1)
    store.create_case(case, event, ["U1"], None, [effect(case)], due_at=iso(at(60)))
    assert store.get_case(case.case_id) == case
    assert store.case_events(case.case_id) == [event]
    uploads, _ = store.load_for_submission(["U1", "U2"], None)
    assert list(uploads) == ["U1"]
    assert uploads["U1"].case_id == case.case_id and uploads["U1"].filename == ""
    found, effects = store.case_with_effects(case.case_id)
    assert found == case
    assert [(e["effect_id"], e["state"], e["attempts"]) for e in effects] == [
        ("mail-1", EffectState.PENDING.value, 0)
    ]
    assert [c.case_id for c in store.due_cases(iso(at(60)))] == [case.case_id]
    assert store.due_cases(iso(at(59))) == []


def test_a_case_written_again_by_a_resent_request_stands(ports: Ports) -> None:
    case, event = new_case(1)
    ports.cases.create_case(case, event, [], None, due_at=None)
    ports.cases.create_case(case, event, [], None, due_at=None)
    assert ports.cases.case_events(case.case_id) == [event]


def test_an_upload_claimed_first_by_another_case_refuses_the_whole_case(ports: Ports) -> None:
    ports.cases.put_upload(upload("U1"), 2_000_000_000)
    first, first_event = new_case(1)
    ports.cases.create_case(first, first_event, ["U1"], None, due_at=None)
    second, second_event = new_case(2)
    with pytest.raises(UploadsAlreadyClaimed) as lost:
        ports.cases.create_case(second, second_event, ["U1"], None, [effect(second)], due_at=None)
    assert lost.value.upload_ids == ["U1"]
    assert ports.cases.get_case(second.case_id) is None
    assert ports.cases.case_with_effects(second.case_id) == (None, [])


def test_a_report_under_a_key_already_used_writes_nothing(ports: Ports) -> None:
    first, first_event = new_case(1)
    ports.cases.create_case(first, first_event, [], record("K", first.case_id), due_at=None)
    second, second_event = new_case(2)
    with pytest.raises(IdempotencyKeyTaken):
        ports.cases.create_case(second, second_event, [], record("K", second.case_id), due_at=None)
    assert ports.cases.get_case(second.case_id) is None
    stored = ports.cases.get_idempotency_record("K")
    assert stored is not None and stored.case_id == first.case_id
    reads = ports.cases.load_for_report([], "K", [])
    assert reads.record == stored and reads.uploads == {}


def test_a_count_at_its_limit_refuses_the_case_and_takes_nothing(ports: Ports) -> None:
    count = count_at(Limit(LimitKind.REPORTS, 2), "client-hash", START)
    assert ports.cases.take_count(count)
    first, first_event = new_case(1)
    ports.cases.create_case(first, first_event, [], None, counts=[count], due_at=None)
    assert ports.cases.load_for_report([], None, [count]).taken == {count: 2}
    second, second_event = new_case(2)
    with pytest.raises(CountsFull) as full:
        ports.cases.create_case(second, second_event, [], None, counts=[count], due_at=None)
    assert full.value.counts == [count]
    assert ports.cases.get_case(second.case_id) is None
    assert not ports.cases.take_count(count)
    other: Count = count_at(Limit(LimitKind.REPORTS, 2), "client-hash", START + timedelta(hours=1))
    assert ports.cases.load_for_report([], None, [other]).taken == {other: 0}


def test_a_change_from_a_version_no_longer_current_is_refused(ports: Ports) -> None:
    case, event = new_case(1)
    ports.cases.create_case(case, event, [], None, due_at=None)
    change = reviewed(case, 5)
    ports.cases.save_change(change, due_at=None)
    later = reviewed(change.case, 6)
    with pytest.raises(StaleCase):
        ports.cases.save_change(Change(later.case, later.events, case.version), due_at=None)
    assert ports.cases.get_case(case.case_id) == change.case


def test_a_change_resent_after_it_committed_stands(ports: Ports) -> None:
    case, event = new_case(1)
    ports.cases.create_case(case, event, [], None, due_at=None)
    moved = reviewed(case, 5).case
    second = next_event(
        case.chain,
        event_id="01KEVENT000000000000000002",
        case_id=case.case_id,
        action="review_started",
        actor_id="reviewer:r1",
        actor_role="reviewer",
        occurred_at=iso(at(5)),
        from_status=CaseStatus.RECEIVED.value,
        to_status=CaseStatus.IN_REVIEW.value,
        details={},
        policy_version="test-policy",
    )
    change = Change(moved, [second], case.version)
    ports.cases.save_change(change, due_at=None)
    ports.cases.save_change(change, due_at=None)
    assert ports.cases.case_events(case.case_id) == [event, second]


def test_a_cases_newest_events_come_newest_first_and_no_more_than_asked(ports: Ports) -> None:
    case, event = new_case(1)
    ports.cases.create_case(case, event, [], None, due_at=None)
    second = next_event(
        case.chain,
        event_id="01KEVENT000000000000000002",
        case_id=case.case_id,
        action="review_started",
        actor_id="reviewer:r1",
        actor_role="reviewer",
        occurred_at=iso(at(5)),
        from_status=CaseStatus.RECEIVED.value,
        to_status=CaseStatus.IN_REVIEW.value,
        details={},
        policy_version="test-policy",
    )
    ports.cases.save_change(Change(reviewed(case, 5).case, [second], case.version), due_at=None)
    assert ports.cases.newest_events(case.case_id, 1) == [second]
    assert ports.cases.newest_events(case.case_id, 20) == [second, event]
    assert ports.cases.newest_events(new_case(2)[0].case_id, 20) == []


def test_a_change_under_a_key_that_answered_first_writes_nothing(ports: Ports) -> None:
    case, event = new_case(1)
    ports.cases.create_case(case, event, [], None, due_at=None)
    answer = StoredAnswer("K", "fingerprint", '{"ok": true}', 2_000_000_000)
    change = reviewed(case, 5)
    ports.cases.save_change(change, answer=answer, due_at=None)
    assert ports.cases.case_and_answer(case.case_id, "K") == (change.case, answer)
    assert ports.cases.case_and_answer(case.case_id, None) == (change.case, None)
    with pytest.raises(IdempotencyKeyTaken):
        ports.cases.save_change(reviewed(change.case, 6), answer=answer, due_at=None)
    assert ports.cases.get_case(case.case_id) == change.case
    assert ports.cases.stored_answer("K") == answer


def test_a_change_moves_the_case_in_and_out_of_the_due_index(ports: Ports) -> None:
    case, event = new_case(1)
    ports.cases.create_case(case, event, [], None, due_at=None)
    assert ports.cases.due_cases(iso(at(10_000))) == []
    change = reviewed(case, 5)
    ports.cases.save_change(change, due_at=iso(at(30)))
    assert [c.case_id for c in ports.cases.due_cases(iso(at(30)))] == [case.case_id]
    ports.cases.save_change(reviewed(change.case, 6), due_at=None)
    assert ports.cases.due_cases(iso(at(10_000))) == []


def evidence_file(upload_id: str, content: bytes) -> EvidenceFile:
    return EvidenceFile(
        upload_id=upload_id,
        kind="evidence",
        filename="evidence.png",
        content_type="image/png",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        key=f"cases/x/{upload_id}",
    )


def filed(number: int, url: str, *files: EvidenceFile) -> tuple[Case, AuditEvent]:
    """Return a new case of `url` holding `files` (ids that sort by `number`)."""
    case, event = new_case(number, at(number), target={"surface": "talk_board", "url": url})
    return case.model_copy(update={"evidence": list(files)}), event


def test_cases_are_related_by_in_app_reference_exactly_as_given(ports: Ports) -> None:
    store: CaseStore = ports.cases
    made = [
        new_case(n, at(n), target={"surface": "talk_board", "content_ref": ref})
        for n, ref in ((1, "tb:1.A"), (2, "tb:1.A"), (3, "tb:1.a"))
    ]
    for case, event in made:
        store.create_case(case.model_copy(update={"evidence": []}), event, [], None, due_at=None)
    first, second = made[0][0], made[1][0]
    assert related_of(store, first) == [(second.case_id, "content_ref", None, "received")]


def related_of(store: CaseStore, case: Case) -> list[tuple[str, str, str | None, str]]:
    hits = store.related_hits(case, 20)
    return sorted((h.case_id, h.same, h.sha256, h.status) for h in hits)


def test_cases_are_related_by_address_and_by_file_hash_as_they_are_written(
    ports: Ports,
) -> None:
    store: CaseStore = ports.cases
    same_file = evidence_file("U1", b"one")
    first, first_event = filed(1, "https://example.com/a", same_file)
    second, second_event = filed(2, "HTTPS://EXAMPLE.com:443/a/#top", evidence_file("U2", b"two"))
    third, third_event = filed(3, "https://example.com/b", evidence_file("U3", b"one"))
    for case, event in ((first, first_event), (second, second_event), (third, third_event)):
        store.create_case(case, event, [], None, due_at=None)
    sha_one = same_file.sha256
    assert related_of(store, first) == [
        (second.case_id, "target_url", None, "received"),
        (third.case_id, "evidence", sha_one, "received"),
    ]
    assert related_of(store, third) == [(first.case_id, "evidence", sha_one, "received")]

    # A file claimed by a later change relates the case too, and the status read is current.
    store.put_upload(upload("U4"), 2_000_000_000)
    answer = InformationProvided(
        statement="Attached.", provided_at=iso(at(9)), evidence=[evidence_file("U4", b"two")]
    )
    moved = reviewed(third, 9)
    change = Change(
        moved.case.model_copy(update={"information_provided": [answer]}), [], third.version
    )
    store.save_change(change, ["U4"], due_at=None)
    assert (third.case_id, "evidence", evidence_file("U4", b"two").sha256, "in_review") in (
        related_of(store, second)
    )


def test_a_note_is_written_at_the_cases_version_up_to_the_cap(ports: Ports) -> None:
    store: CaseStore = ports.cases
    case, event = new_case(1)
    store.create_case(case, event, [], None, due_at=None)
    first = Note(
        note_id="01KNOTE0000000000000000001",
        case_id=case.case_id,
        author="sub-1",
        author_name="demo-reviewer",
        at=iso(at(1)),
        text="First.",
    )
    answer = StoredAnswer("N", "fingerprint", first.model_dump_json(), 2_000_000_000)
    store.add_note(first, case.version, answer)
    with pytest.raises(IdempotencyKeyTaken):
        store.add_note(first.model_copy(update={"note_id": "01KNOTE2"}), case.version, answer)
    with pytest.raises(StaleCase):
        store.add_note(first.model_copy(update={"note_id": "01KNOTE3"}), case.version + 1, None)
    second = first.model_copy(update={"note_id": "01KNOTE0000000000000000002", "text": "2nd"})
    store.add_note(second, case.version, None)
    reads = store.case_file_reads(case.case_id)
    assert (reads.case, reads.notes) == (case, [first, second])
    assert store.stored_answer("N") == answer


def test_an_erasing_change_deletes_the_cases_relations_and_notes(ports: Ports) -> None:
    store: CaseStore = ports.cases
    kept, kept_event = filed(1, "https://example.com/a", evidence_file("U1", b"one"))
    gone, gone_event = filed(2, "https://example.com/a", evidence_file("U2", b"one"))
    store.create_case(kept, kept_event, [], None, due_at=None)
    store.create_case(gone, gone_event, [], None, due_at=None)
    note = Note(
        note_id="01KNOTE0000000000000000001",
        case_id=gone.case_id,
        author="sub-1",
        author_name="demo-reviewer",
        at=iso(at(3)),
        text="Gone with the case.",
    )
    store.add_note(note, gone.version, None)
    assert [h.case_id for h in store.related_hits(kept, 20)] == [gone.case_id] * 2

    store.save_change(reviewed(gone, 5), due_at=None, erasing=True)

    assert store.related_hits(kept, 20) == []
    assert store.case_file_reads(gone.case_id).notes == []
    assert [h.case_id for h in store.related_hits(gone, 20)] == [kept.case_id] * 2


def test_an_erasure_deletes_more_notes_than_one_transaction_holds(ports: Ports) -> None:
    store: CaseStore = ports.cases
    case, event = new_case(1)
    store.create_case(case, event, [], None, due_at=None)
    for n in range(200):  # the most a case holds
        note = Note(
            note_id=f"01KNOTE{n:019d}",
            case_id=case.case_id,
            author="sub-1",
            author_name="demo-reviewer",
            at=iso(at(1)),
            text=f"Note {n}.",
        )
        store.add_note(note, case.version, None)
    with pytest.raises(NotesFull):
        store.add_note(note.model_copy(update={"note_id": "01KNOTEONETOOMANY"}), case.version, None)
    assert len(store.case_file_reads(case.case_id).notes) == 200

    store.save_change(reviewed(case, 5), due_at=None, erasing=True)

    reads = store.case_file_reads(case.case_id)
    assert reads.notes == [] and reads.case is not None and reads.case.version == 2


def test_the_queue_pages_through_a_status_oldest_first(ports: Ports) -> None:
    opened = []
    for number, minutes in ((1, 20), (2, 0), (3, 10)):
        case, event = new_case(number, at(minutes))
        ports.cases.create_case(case, event, [], None, due_at=None)
        opened.append(case.case_id)
    first = ports.cases.queue_page(CaseStatus.RECEIVED.value, 2, None)
    assert [c.case_id for c in first.cases] == [opened[1], opened[2]]
    assert first.next_after is not None
    second = ports.cases.queue_page(CaseStatus.RECEIVED.value, 2, first.next_after)
    assert [c.case_id for c in second.cases] == [opened[0]] and second.next_after is None
    assert ports.cases.queue_page(CaseStatus.IN_REVIEW.value, 2, None).cases == []
    other = ports.cases.queue_page(CaseStatus.RECEIVED.value, 5, None, surface="profile")
    assert other.cases == []
    by_ground = ports.cases.queue_page(CaseStatus.RECEIVED.value, 5, None, ground="portrait")
    assert len(by_ground.cases) == 3


def appealed(case: Case, minutes: float) -> Change:
    """Return the change that restricts the case's user and records an appeal `minutes` after
    START (the case waits in the appeals queue from then)."""
    measure = MeasureInForce(
        measure_id="01KMEASURE0000000000000001",
        decision_id="01KDECISION000000000000001",
        type="restrict_user",
        parameters={"service": "kakaotalk", "days": 30},
        starts_at=iso(START),
        ends_at=iso(at(60 * 24 * 30)),
        appeal=Appeal(statement="It was not me.", filed_at=iso(at(minutes))),
    )
    moved = case.model_copy(
        update={
            "status": CaseStatus.ACTIONED,
            "version": case.version + 1,
            "updated_at": iso(at(minutes)),
            "measures": [measure],
        }
    )
    return Change(moved, [], case.version)


def test_a_case_is_queued_in_its_work_queue_from_when_it_entered_it(ports: Ports) -> None:
    opened = []
    for number, minutes in ((1, 0), (2, 10)):
        case, event = new_case(number, at(minutes))
        ports.cases.create_case(case, event, [], None, due_at=None)
        opened.append(case)
    ports.cases.save_change(appealed(opened[1], 20), due_at=None)
    ports.cases.save_change(appealed(opened[0], 30), due_at=None)
    assert [c.case_id for c in ports.cases.queue_page("appeals", 5, None).cases] == [
        opened[1].case_id,
        opened[0].case_id,
    ]
    assert ports.cases.queue_page("received", 5, None).cases == []
    assert ports.cases.queue_page("actioned", 5, None).cases == []


def test_a_count_reads_a_work_queue_before_a_moment_within_its_page_budget(ports: Ports) -> None:
    for number, minutes in ((1, 0), (2, 10), (3, 20)):
        case, event = new_case(number, at(minutes))
        ports.cases.create_case(case, event, [], None, due_at=None)
    assert ports.cases.count_queue("received", None) == QueueTally(3, complete=True)
    assert ports.cases.count_queue("received", iso(at(10))) == QueueTally(1, complete=True)
    assert ports.cases.count_queue("received", None, ground="portrait").count == 3
    assert ports.cases.count_queue("received", None, surface="kakao_story").count == 0
    assert ports.cases.count_queue("in_review", None) == QueueTally(0, complete=True)
    ports.cases.count_pages, ports.cases.count_page_items = 2, 1
    assert ports.cases.count_queue("received", None) == QueueTally(2, complete=False)
    ports.cases.count_page_items = 2
    assert ports.cases.count_queue("received", None) == QueueTally(3, complete=True)


def test_a_claim_is_set_only_over_the_claim_read_and_keeps_the_version(ports: Ports) -> None:
    case, event = new_case(1)
    ports.cases.create_case(case, event, [], None, due_at=None)
    alice = Claim(by="alice", by_name="Alice Kim", until=iso(at(30)))
    ports.cases.set_claim(case.case_id, alice, None)
    with pytest.raises(StaleCase):
        ports.cases.set_claim(case.case_id, alice, None)
    renewed = alice.model_copy(update={"until": iso(at(40))})
    ports.cases.set_claim(case.case_id, renewed, alice)
    stored = ports.cases.get_case(case.case_id)
    assert stored.claim == renewed and stored.version == case.version
    assert stored.updated_at == case.updated_at
    assert [c.claim for c in ports.cases.queue_page("received", 5, None).cases] == [renewed]
    with pytest.raises(StaleCase):
        ports.cases.set_claim(case.case_id, None, alice)
    ports.cases.set_claim(case.case_id, None, renewed)
    assert ports.cases.get_case(case.case_id).claim is None
    with pytest.raises(StaleCase):
        ports.cases.set_claim("01KCASE0000000000000000099", alice, None)


def test_a_change_is_refused_over_a_live_claim_another_reviewer_took_meanwhile(
    ports: Ports,
) -> None:
    case, event = new_case(1)
    ports.cases.create_case(case, event, [], None, due_at=None)
    bob = Claim(by="bob", by_name="Bob Lee", until=iso(at(30)))
    ports.cases.set_claim(case.case_id, bob, None)
    planned_unclaimed = reviewed(case, 5)  # planned on the case as read before bob's claim
    with pytest.raises(StaleCase):
        ports.cases.save_change(planned_unclaimed, due_at=None)
    # A change planned on an older claim of bob's is refused once bob has renewed it.
    older = bob.model_copy(update={"until": iso(at(20))})
    stale = replace(reviewed(case.model_copy(update={"claim": older}), 5), claim_by="bob")
    with pytest.raises(StaleCase):
        ports.cases.save_change(replace(stale, claim_until=older.until), due_at=None)
    kept = replace(
        reviewed(case.model_copy(update={"claim": bob}), 5), claim_by="bob", claim_until=bob.until
    )
    ports.cases.save_change(kept, due_at=None)
    assert ports.cases.get_case(case.case_id).claim == bob
    # Once the claim has expired, a change planned without it commits.
    later = reviewed(ports.cases.get_case(case.case_id).model_copy(update={"claim": None}), 31)
    ports.cases.save_change(replace(later, claim_by=None), due_at=None)


# The sealed trail.


def test_events_are_read_after_one_moment_and_through_another(ports: Ports) -> None:
    trail: SealedTrail = ports.cases
    for number, minutes in ((1, 0), (2, 10), (3, 20)):
        case, event = new_case(number, at(minutes))
        ports.cases.create_case(case, event, [], None, due_at=None)
    between = trail.events_between(iso(at(0)), iso(at(10)))
    assert [e.occurred_at for e in between] == [iso(at(10))]
    assert len(trail.events_between(iso(at(-1)), iso(at(20)))) == 3


def test_the_checkpoint_head_moves_only_from_where_it_was_read(ports: Ports) -> None:
    trail: SealedTrail = ports.cases
    assert trail.checkpoint_head() is None
    first = {"seq": 1, "hash": "a" * 64, "after": iso(at(0)), "through": iso(at(10))}
    trail.record_checkpoint(0, first)
    head = trail.checkpoint_head()
    assert head is not None and {name: head[name] for name in first} == first
    second = {"seq": 2, "hash": "b" * 64, "after": iso(at(10)), "through": iso(at(20))}
    with pytest.raises(HeadMoved):
        trail.record_checkpoint(0, second)
    trail.record_checkpoint(1, second)
    head = trail.checkpoint_head()
    assert head is not None and head["seq"] == 2 and head["hash"] == "b" * 64


# The outbox.


def test_an_effect_is_taken_by_one_delivery_at_a_time_and_settled_once(ports: Ports) -> None:
    case, event = new_case(1)
    ports.cases.create_case(case, event, [], None, [effect(case)], due_at=None)
    assert ports.outbox.due_effects(iso(at(0.5))) == []  # the stream has a minute first
    assert ports.outbox.due_effects(iso(at(2))) == [(case.case_id, "mail-1")]
    taken = ports.outbox.claim_effect(case.case_id, "mail-1", iso(at(2)), iso(at(4)))
    assert taken is not None
    assert (taken["kind"], taken["attempts"]) == ("mail", 1)
    assert taken["payload"]["to"] == "minji@example.com"
    assert ports.outbox.claim_effect(case.case_id, "mail-1", iso(at(3)), iso(at(5))) is None
    assert ports.outbox.due_effects(iso(at(3))) == []  # leased
    ports.outbox.effect_delivered(case.case_id, "mail-1", iso(at(3)))
    assert ports.outbox.claim_effect(case.case_id, "mail-1", iso(at(9)), iso(at(11))) is None
    assert ports.outbox.due_effects(iso(at(60))) == []
    _, [summary] = ports.cases.case_with_effects(case.case_id)
    assert summary["state"] == EffectState.DELIVERED.value and "payload" not in summary


def test_a_failed_effect_is_retried_then_parked_then_replayed(ports: Ports) -> None:
    case, event = new_case(1)
    ports.cases.create_case(case, event, [], None, [effect(case)], due_at=None)
    assert ports.outbox.claim_effect(case.case_id, "mail-1", iso(at(2)), iso(at(4)))
    ports.outbox.effect_failed(case.case_id, "mail-1", "Throttled", iso(at(2)), iso(at(7)))
    assert ports.outbox.due_effects(iso(at(6))) == []
    assert ports.outbox.due_effects(iso(at(7))) == [(case.case_id, "mail-1")]
    again = ports.outbox.claim_effect(case.case_id, "mail-1", iso(at(7)), iso(at(9)))
    assert again is not None and again["attempts"] == 2
    ports.outbox.effect_failed(case.case_id, "mail-1", "Throttled", iso(at(7)), None)
    assert ports.outbox.due_effects(iso(at(10_000))) == []
    [parked] = ports.outbox.parked_effects()
    assert (parked["effect_id"], parked["state"], parked["last_error"]) == (
        "mail-1",
        EffectState.PARKED.value,
        "Throttled",
    )
    assert "payload" not in parked
    assert ports.outbox.replay_effect(case.case_id, "mail-1", iso(at(20)))
    assert not ports.outbox.replay_effect(case.case_id, "mail-1", iso(at(20)))
    assert ports.outbox.parked_effects() == []
    assert ports.outbox.due_effects(iso(at(20))) == [(case.case_id, "mail-1")]


# Evidence.


def test_a_staged_file_is_inspected_checked_and_preserved_once(ports: Ports) -> None:
    key = staging_key("U1")
    assert ports.evidence.inspect(key).size is None
    ports.stage(key, PNG, "image/png")
    staged = ports.evidence.inspect(key)
    assert (staged.size, staged.head, staged.content_type) == (len(PNG), PNG, "image/png")
    assert staged.etag
    checked = "checked/C1/U1/attempt"
    sha256 = ports.evidence.check_upload(key, checked, staged.etag)
    assert sha256 == hashlib.sha256(PNG).hexdigest()
    target = evidence_key("C1", "U1")
    ports.evidence.preserve(checked, target, sha256)
    ports.evidence.preserve(checked, target, sha256)  # a retry copies nothing again
    with pytest.raises(EvidenceMismatch):
        ports.evidence.preserve(checked, target, "0" * 64)
    assert ports.evidence.mark_for_erasure(evidence_key("C1", "")) == 1
    assert ports.evidence.mark_for_erasure(evidence_key("C2", "")) == 0


def test_a_file_posted_again_after_its_inspection_is_not_checked(ports: Ports) -> None:
    if ports.side == "moto":
        pytest.skip("moto ignores CopySourceIfMatch; test_intake.py injects S3's refusal")
    key = staging_key("U1")
    ports.stage(key, PNG, "image/png")
    inspected = ports.evidence.inspect(key)
    ports.stage(key, PNG + b"more", "image/png")
    with pytest.raises(StagedFileChanged):
        ports.evidence.check_upload(key, "checked/C1/U1/attempt", str(inspected.etag))


def test_a_presigned_upload_names_its_key_and_type(ports: Ports) -> None:
    grant = ports.evidence.presign_upload(staging_key("U1"), "image/png", 1000, 60)
    assert grant.url.startswith(("http://", "https://"))
    origin = ports.evidence.upload_origin  # what the pages' CSP lets the browser post to
    assert grant.url.startswith(origin) and urllib.parse.urlsplit(origin).path == ""
    assert grant.fields["key"] == staging_key("U1")
    assert grant.fields["Content-Type"] == "image/png"
    link = ports.evidence.download_url(evidence_key("C1", "U1"), "증거.png", 60)
    assert link.startswith(("http://", "https://"))
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)["X-Amz-Expires"] == ["60"]


# Checkpoint files.


def test_a_checkpoint_file_is_written_once_and_read_back(ports: Ports) -> None:
    assert ports.files.read(1) is None
    ports.files.write(1, {"seq": 1, "root": "ab"})
    with pytest.raises(CheckpointTaken):
        ports.files.write(1, {"seq": 1, "root": "cd"})
    assert ports.files.read(1) == {"seq": 1, "root": "ab"}


def test_a_signature_verifies_with_the_published_key(ports: Ports) -> None:
    digest = hashlib.sha256(b"checkpoint body").digest()
    signature = base64.b64decode(ports.files.sign(digest))
    key = load_pem_public_key(ports.files.public_key_pem().encode())
    assert isinstance(key, ec.EllipticCurvePublicKey)
    key.verify(signature, digest, ec.ECDSA(hashes.SHA256()))


# Mail, the enforcement queue, notice keys.


def test_a_mail_is_sent_and_named(ports: Ports) -> None:
    first = ports.mail.send("minji@example.com", "접수되었습니다", "본문")
    second = ports.mail.send("minji@example.com", "접수되었습니다", "본문")
    assert first and second and first != second


def test_an_enforcement_message_reaches_the_queue_once(ports: Ports) -> None:
    message = {"message_id": "E1", "case_id": "C1", "measure": "block_content"}
    ports.enforcement.send(message)
    ports.enforcement.send(message)  # a relay that died before settling it sends it again
    ports.enforcement.send({**message, "message_id": "E2"})
    assert [m["message_id"] for m in ports.queued()] == ["E1", "E2"]


def test_a_notice_token_is_the_same_for_a_decision_and_differs_between_them(
    ports: Ports,
) -> None:
    token = ports.notices.token("C1", "D1")
    assert token == ports.notices.token("C1", "D1")
    assert token != ports.notices.token("C1", "D2")
    assert token != ports.notices.token("C2", "D1")


# The staff directory.


@dataclass
class StaffSide:
    """One side's staff directory, and how a test signs one of its users in there."""

    directory: Any
    sign_in: Any  # username -> (token, Staff)


@pytest.fixture(params=SIDES)
def staff_side(request: pytest.FixtureRequest) -> StaffSide:
    if request.param == "fake":
        pool = fakes.FakeStaffDirectory()
        for username, group in (
            ("demo-reviewer", "reviewers"),
            ("demo-auditor", "auditors"),
            ("demo-admin", "admins"),
            ("demo-trusted_flagger", "trusted_flaggers"),
        ):
            pool.add(username, [group])

        def fake_sign_in(username: str) -> tuple[str, Staff]:
            return pool.sign_in(username), Staff(f"sub-{username}", username, frozenset())

        return StaffSide(pool, fake_sign_in)
    stack = request.getfixturevalue("aws")
    made = ADAPTERS["directory"]()()

    def moto_sign_in(username: str) -> tuple[str, Staff]:
        from chalicelib.adapters.identity import verifier

        token = sign_in(stack, username.removeprefix("demo-"))
        return token, verifier().verify(token)

    return StaffSide(made, moto_sign_in)


def test_the_staff_list_names_every_user_with_their_staff_groups(staff_side: StaffSide) -> None:
    listed = {entry.username: entry for entry in staff_side.directory.list_staff()}
    assert {name: set(entry.groups) for name, entry in listed.items()} == {
        "demo-reviewer": {StaffGroup.REVIEWERS},
        "demo-auditor": {StaffGroup.AUDITORS},
        "demo-admin": {StaffGroup.ADMINS},
        "demo-trusted_flagger": {StaffGroup.TRUSTED_FLAGGERS},
    }
    assert all(entry.enabled and entry.subject for entry in listed.values())


def test_a_signed_out_user_is_refused_and_an_unknown_one_is_named_so(
    staff_side: StaffSide,
) -> None:
    token, member = staff_side.sign_in("demo-reviewer")
    admin_token, admin = staff_side.sign_in("demo-admin")
    staff_side.directory.sign_out("demo-reviewer")
    with pytest.raises(InvalidToken):
        staff_side.directory.confirm(token, member)
    assert staff_side.directory.confirm(admin_token, admin).groups == {StaffGroup.ADMINS}
    staff_side.directory.sign_out("demo-reviewer")  # again: the same outcome
    with pytest.raises(UnknownStaff):
        staff_side.directory.sign_out("nobody-here")
