"""Cases, uploads, idempotency records and the changes that write events, in DynamoDB (the trail's
reads are in trail_store.py)."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from ..config import settings
from ..domain.audit import AuditEvent
from ..domain.case import Case, Claim, Upload
from ..domain.clock import iso, parse_iso
from ..domain.lifecycle import Change
from ..domain.limits import Count
from ..domain.misuse import (
    STRIKE_ACTIONS,
    SUSPENSION_ACTIONS,
    Strike,
    Suspension,
    Unfounded,
    strikes_of,
    unfounded_of,
)
from ..domain.notes import MAX_NOTES, Note
from ..domain.outbox import Effect, EffectState
from ..domain.queues import comes_first, waiting_since, work_queue
from ..domain.related import (
    MAX_RELATIONS_READ,
    RelationHit,
    evidence_hashes,
    same_of,
    target_relation,
)
from ..ports import (
    CaseFileReads,
    CountsFull,
    HeadMoved,
    IdempotencyKeyTaken,
    IdempotencyRecord,
    NotesFull,
    QueriesSpent,
    QueuePage,
    QueueTally,
    RecoveryLink,
    ReportReads,
    StaleCase,
    StoredAnswer,
    UploadsAlreadyClaimed,
)
from . import keys
from .aws import client
from .dynamo import item as _item
from .dynamo import plain as _plain
from .outbox_store import effect_summary
from .trail_store import TrailReads, event_fields

# DynamoDB's most items in one TransactWriteItems, and in one BatchWriteItem.
MAX_TRANSACTION_ITEMS = 100
MAX_BATCH_WRITE_ITEMS = 25
# A case's partition holds its item, its effects and at most MAX_NOTES notes: pages to read them.
MAX_PARTITION_PAGES = 20

__all__ = [
    "CountsFull",
    "HeadMoved",
    "IdempotencyKeyTaken",
    "IdempotencyRecord",
    "QueriesSpent",
    "QueuePage",
    "QueueTally",
    "ReportReads",
    "Repository",
    "StaleCase",
    "StoredAnswer",
    "UploadsAlreadyClaimed",
]


class Repository(TrailReads):
    """The one place that reads and writes the service's DynamoDB tables."""

    count_pages = 10
    """How many Query pages (up to 1 MB each) one count reads before it answers `at least`."""
    count_page_items: int | None = None
    """How many index items one page of a count reads (None: as many as 1 MB holds)."""

    def __init__(self) -> None:
        self.cases_table = settings().cases_table
        self.audit_table = settings().audit_table

    def put_upload(self, upload: Upload, expires_at_epoch: int) -> None:
        """Record a granted upload; it expires if no case claims it."""
        client("dynamodb").put_item(
            TableName=self.cases_table,
            Item=_item(
                {
                    **keys.upload_key(upload.upload_id),
                    **upload.model_dump(exclude_none=True),
                    "expires_at_epoch": expires_at_epoch,
                }
            ),
            ConditionExpression="attribute_not_exists(pk)",
        )

    def load_for_submission(
        self, upload_ids: list[str], key_hash: str | None
    ) -> tuple[dict[str, Upload], IdempotencyRecord | None]:
        """Read the uploads a report names and its idempotency record, in one batch."""
        reads = self.load_for_report(upload_ids, key_hash, [])
        return reads.uploads, reads.record

    def load_for_report(
        self,
        upload_ids: list[str],
        key_hash: str | None,
        counts: list[Count],
        claimant_key: str | None = None,
    ) -> ReportReads:
        """Read the uploads a report names, its idempotency record, its counts and its
        claimant's suspension, in one batch."""
        wanted = [keys.upload_key(u) for u in upload_ids]
        if key_hash:
            wanted.append(keys.idempotency_key(key_hash))
        wanted += [_count_key(count) for count in counts]
        if claimant_key:
            wanted.append(keys.suspension_key(claimant_key))
        found = self._batch_get(wanted) if wanted else []
        suspension = next(
            (Suspension.model_validate(i) for i in found if keys.is_suspension_key(i)), None
        )
        uploads = {i["upload_id"]: Upload.model_validate(i) for i in found if keys.is_upload_key(i)}
        record = next((_idempotency(i) for i in found if keys.is_idempotency_key(i)), None)
        counted = {(str(i["pk"]), str(i["sk"])): int(i["taken"]) for i in found if "taken" in i}
        taken = {}
        for count in counts:
            key = _count_key(count)
            taken[count] = counted.get((key["pk"], key["sk"]), 0)
        return ReportReads(uploads, record, taken, suspension)

    def take_count(self, count: Count) -> bool:
        """Take one of a count in its window unless its limit is reached: one conditional update."""
        try:
            client("dynamodb").update_item(**self._count_update(count))
        except ClientError as error:
            if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def get_idempotency_record(self, key_hash: str) -> IdempotencyRecord | None:
        """Return the record stored under an Idempotency-Key hash, if any."""
        found = self._get(keys.idempotency_key(key_hash))
        return _idempotency(found) if found else None

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
        """Write a new case, its first event, upload claims, effects, counts and idempotency
        record; a count at its limit writes nothing (CountsFull). `due_at` is when time next
        changes the case (the due index reads it)."""
        writes: list[dict[str, Any]] = [
            {
                "Put": {
                    "TableName": self.cases_table,
                    "Item": _item(_case_item(case, due_at)),
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            },
            self._event_put(event),
        ]
        writes += [self._claim(upload_id, case.case_id) for upload_id in claimed_uploads]
        writes += [self._effect_put(effect, case.received_at) for effect in effects or []]
        writes += self._relation_puts(case, evidence_hashes(case), with_url=True)
        first_count = len(writes)
        writes += [{"Update": self._count_update(count)} for count in counts or []]
        if idempotency:
            writes.append(
                {
                    "Put": {
                        "TableName": self.cases_table,
                        "Item": _item(
                            {
                                **keys.idempotency_key(idempotency.key_hash),
                                **idempotency.__dict__,
                            }
                        ),
                        "ConditionExpression": "attribute_not_exists(pk)",
                    }
                }
            )
        try:
            client("dynamodb").transact_write_items(TransactItems=writes)
        except ClientError as error:
            if error.response["Error"]["Code"] != "TransactionCanceledException":
                raise
            reasons = error.response.get("CancellationReasons", [])
            failed = [i for i, r in enumerate(reasons) if r.get("Code") == "ConditionalCheckFailed"]
            if 0 in failed:
                # The case's id is new to this attempt: the case exists only if this very write
                # committed and its answer was lost (the SDK sent it again), so it stands.
                return
            upload_slots = range(2, 2 + len(claimed_uploads))
            if idempotency and len(writes) - 1 in failed:
                raise IdempotencyKeyTaken from None
            counted = counts or []
            full = [counted[i - first_count] for i in failed if 0 <= i - first_count < len(counted)]
            if full:
                raise CountsFull(full) from None
            lost = [claimed_uploads[i - 2] for i in failed if i in upload_slots]
            if lost:
                raise UploadsAlreadyClaimed(lost) from None
            raise

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
        """Write a changed case, its events, its effects and its answer at once, if no one
        changed the case meanwhile (StaleCase) and no retry under the same key committed first
        (IdempotencyKeyTaken). `due_at` is when time next changes the case.

        The hashes of the files it claims are related to the case in the same write. An erasing
        change deletes the case's relation items and notes in it too, and its notes' count on
        the condition that no note was added since they were read (StaleCase)."""
        case = change.case
        claims = claimed_uploads or []
        claimed = [f.sha256 for f in case.all_evidence if f.upload_id in set(claims)]
        writes: list[dict[str, Any]] = [
            {
                "Put": {
                    "TableName": self.cases_table,
                    "Item": _item(_case_item(case, due_at)),
                    **_claim_guard(change),
                }
            },
            *(self._event_put(event) for event in change.events),
            *(self._claim(upload_id, case.case_id) for upload_id in claims),
            *(self._effect_put(effect, case.updated_at) for effect in effects or []),
            *self._relation_puts(case, list(dict.fromkeys(claimed)), with_url=False),
            *self._misuse_puts(change),
        ]
        counted_at: int | None = None
        if erasing:
            room = MAX_TRANSACTION_ITEMS - len(writes) - 1 - (1 if answer else 0)
            deletes, count_check = self._erasure_writes(case, room)
            writes += deletes
            counted_at = len(writes)
            writes.append(count_check)
        if answer:
            writes.append(self._answer_put(answer))
        try:
            client("dynamodb").transact_write_items(TransactItems=writes)
        except ClientError as error:
            if error.response["Error"]["Code"] != "TransactionCanceledException":
                raise
            reasons = error.response.get("CancellationReasons", [])
            codes = [r.get("Code") for r in reasons]
            if answer and len(codes) == len(writes) and codes[-1] == "ConditionalCheckFailed":
                raise IdempotencyKeyTaken from None
            if counted_at is not None and codes[counted_at : counted_at + 1] == [
                "ConditionalCheckFailed"
            ]:
                raise StaleCase from None  # a note was added after the notes were read
            if codes and codes[0] == "ConditionalCheckFailed":
                if self._committed(change):
                    return  # this very change committed; its answer was lost and it was resent
                raise StaleCase from None
            first_claim = 1 + len(change.events)
            lost = [
                upload_id
                for index, upload_id in enumerate(claims, start=first_claim)
                if index < len(codes) and codes[index] == "ConditionalCheckFailed"
            ]
            if lost:
                raise UploadsAlreadyClaimed(lost) from None
            raise

    def _committed(self, change: Change) -> bool:
        """Tell whether the trail holds the change's own first event (its ids are its own)."""
        if not change.events:
            return False
        first = change.events[0]
        stored = self.event_item_at(first.case_id, first.seq)
        return stored is not None and stored.get("event_id") == first.event_id

    def case_and_answer(
        self, case_id: str, key_hash: str | None
    ) -> tuple[Case | None, StoredAnswer | None]:
        """Read a case and the answer stored under an Idempotency-Key hash: one read."""
        if key_hash is None:
            return self.get_case(case_id), None
        found = self._batch_get([keys.case_key(case_id), keys.idempotency_key(key_hash)])
        case = next((Case.model_validate(i) for i in found if keys.is_case_item(i)), None)
        stored = next((_answer(i) for i in found if keys.is_idempotency_key(i)), None)
        return case, stored

    def stored_answer(self, key_hash: str) -> StoredAnswer | None:
        """Return the answer stored under an Idempotency-Key hash, if any."""
        found = self._get(keys.idempotency_key(key_hash))
        return _answer(found) if found else None

    def _get(self, key: dict[str, str]) -> dict[str, Any] | None:
        answer = client("dynamodb").get_item(
            TableName=self.cases_table, Key=_item(key), ConsistentRead=True
        )
        return _plain(answer["Item"]) if "Item" in answer else None

    def _batch_get(self, wanted: list[dict[str, str]]) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        request: dict[str, Any] = {
            self.cases_table: {"Keys": [_item(k) for k in wanted], "ConsistentRead": True}
        }
        while request:
            answer = client("dynamodb").batch_get_item(RequestItems=request)
            found += [_plain(i) for i in answer["Responses"].get(self.cases_table, [])]
            request = answer.get("UnprocessedKeys") or {}
        return found

    def case_with_effects(self, case_id: str) -> tuple[Case | None, list[dict[str, Any]]]:
        """Return a case and where each of its effects is: one Query on the case's partition."""
        reads = self.case_file_reads(case_id)
        return reads.case, reads.effects

    def put_recovery(self, link: RecoveryLink, effect: Effect) -> None:
        """Write a recovery link's code hash and its mail's effect in one TransactWriteItems."""
        writes = [
            {
                "Put": {
                    "TableName": self.cases_table,
                    "Item": _item(
                        {
                            **keys.recovery_key(link.case_id, link.code_hash),
                            "case_id": link.case_id,
                            "code_hash": link.code_hash,
                            "created_at": link.created_at,
                            "expires_at_epoch": link.expires_at_epoch,
                        }
                    ),
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            },
            self._effect_put(effect, link.created_at),
        ]
        try:
            client("dynamodb").transact_write_items(TransactItems=writes)
        except ClientError as error:
            if error.response["Error"]["Code"] != "TransactionCanceledException":
                raise
            reasons = error.response.get("CancellationReasons", [])
            if reasons and reasons[0].get("Code") == "ConditionalCheckFailed":
                return  # the code is new to this attempt: this very write committed before
            raise

    def recovery_link(self, case_id: str, code_hash: str) -> RecoveryLink | None:
        """Return the recovery link of this code hash: one consistent GetItem."""
        found = self._get(keys.recovery_key(case_id, code_hash))
        if found is None:
            return None
        return RecoveryLink(
            case_id=str(found["case_id"]),
            code_hash=str(found["code_hash"]),
            created_at=str(found["created_at"]),
            expires_at_epoch=int(found["expires_at_epoch"]),
            used_at=str(found["used_at"]) if found.get("used_at") else None,
        )

    def redeem_recovery(self, case_id: str, code_hash: str, now_epoch: int, used_at: str) -> bool:
        """Mark a recovery link used: one UpdateItem, if it exists, is unused and unexpired."""
        try:
            client("dynamodb").update_item(
                TableName=self.cases_table,
                Key=_item(keys.recovery_key(case_id, code_hash)),
                UpdateExpression="SET used_at = :used_at",
                ConditionExpression=(
                    "attribute_exists(pk) AND attribute_not_exists(used_at) "
                    "AND expires_at_epoch > :now"
                ),
                ExpressionAttributeValues=_item({":used_at": used_at, ":now": now_epoch}),
            )
        except ClientError as error:
            if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def case_file_reads(self, case_id: str) -> CaseFileReads:
        """Return a case, where each of its effects is, and its notes, oldest first: one Query
        on the case's partition (a page per megabyte, at most MAX_PARTITION_PAGES)."""
        query: dict[str, Any] = {
            "TableName": self.cases_table,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": _item({":pk": keys.case_partition(case_id)}),
            "ConsistentRead": True,
        }
        case: Case | None = None
        effects: list[dict[str, Any]] = []
        notes: list[Note] = []
        for _ in range(MAX_PARTITION_PAGES):
            answer = client("dynamodb").query(**query)
            for item in map(_plain, answer["Items"]):
                if keys.is_case_item(item):
                    case = Case.model_validate(item)
                elif keys.is_outbox_key(str(item["sk"])):
                    effects.append(effect_summary(item))
                elif keys.is_note_key(str(item["sk"])):
                    notes.append(Note.model_validate(item))
            if "LastEvaluatedKey" not in answer:
                break
            query["ExclusiveStartKey"] = answer["LastEvaluatedKey"]
        return CaseFileReads(case, effects, notes)

    def related_hits(self, case: Case, limit: int) -> list[RelationHit]:
        """Return up to `limit` newest other cases under each relation of `case`: one Query per
        relation (at most MAX_RELATIONS_READ), then one BatchGetItem of the newest `limit`
        cases found for their current status."""
        partitions = [keys.related_target_partition(*target_relation(case.target))]
        partitions += [keys.related_sha256_partition(h) for h in evidence_hashes(case)]
        found: list[dict[str, Any]] = []
        for partition in partitions[:MAX_RELATIONS_READ]:
            answer = client("dynamodb").query(
                TableName=self.cases_table,
                KeyConditionExpression="pk = :pk",
                ExpressionAttributeValues=_item({":pk": partition}),
                ScanIndexForward=False,  # case ids are ULIDs: newest first
                Limit=limit + 1,  # the case itself is among them
            )
            found += [_plain(i) for i in answer["Items"] if _plain(i)["case_id"] != case.case_id]
        newest = sorted({str(i["case_id"]) for i in found}, reverse=True)[:limit]
        statuses = self._statuses(newest)
        return [
            RelationHit(
                case_id=str(i["case_id"]),
                received_at=str(i["received_at"]),
                surface=str(i["surface"]),
                same=same_of(str(i["same"])),
                sha256=str(i["sha256"]) if i.get("sha256") else None,
                status=statuses[str(i["case_id"])],
            )
            for i in found
            if str(i["case_id"]) in statuses
        ]

    def _statuses(self, case_ids: list[str]) -> dict[str, str]:
        """Return the current status of each named case that exists: one BatchGetItem."""
        if not case_ids:
            return {}
        request: dict[str, Any] = {
            self.cases_table: {
                "Keys": [_item(keys.case_key(c)) for c in case_ids],
                "ProjectionExpression": "case_id, #status",
                "ExpressionAttributeNames": {"#status": "status"},
            }
        }
        statuses: dict[str, str] = {}
        for _ in range(5):  # what DynamoDB leaves unprocessed is asked again, a few times
            answer = client("dynamodb").batch_get_item(RequestItems=request)
            for item in map(_plain, answer["Responses"].get(self.cases_table, [])):
                statuses[str(item["case_id"])] = str(item["status"])
            request = answer.get("UnprocessedKeys") or {}
            if not request:
                break
        return statuses

    def add_note(self, note: Note, expected_version: int, answer: StoredAnswer | None) -> None:
        """Write a note, its count and its answer at once while the case is at
        `expected_version` (StaleCase) and holds fewer than MAX_NOTES notes (NotesFull)."""
        writes: list[dict[str, Any]] = [
            {
                "ConditionCheck": {
                    "TableName": self.cases_table,
                    "Key": _item(keys.case_key(note.case_id)),
                    "ConditionExpression": "version = :expected",
                    "ExpressionAttributeValues": _item({":expected": expected_version}),
                }
            },
            {
                "Update": {
                    "TableName": self.cases_table,
                    "Key": _item(keys.notes_count_key(note.case_id)),
                    "UpdateExpression": "ADD #taken :one",
                    "ConditionExpression": "attribute_not_exists(#taken) OR #taken < :allowed",
                    "ExpressionAttributeNames": {"#taken": "taken"},
                    "ExpressionAttributeValues": _item({":one": 1, ":allowed": MAX_NOTES}),
                }
            },
            {
                "Put": {
                    "TableName": self.cases_table,
                    "Item": _item(
                        {**keys.note_key(note.case_id, note.note_id), **note.model_dump()}
                    ),
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            },
        ]
        if answer:
            writes.append(self._answer_put(answer))
        try:
            client("dynamodb").transact_write_items(TransactItems=writes)
        except ClientError as error:
            if error.response["Error"]["Code"] != "TransactionCanceledException":
                raise
            codes = [r.get("Code") for r in error.response.get("CancellationReasons", [])]
            failed = [i for i, code in enumerate(codes) if code == "ConditionalCheckFailed"]
            if answer and 3 in failed:
                raise IdempotencyKeyTaken from None
            if 0 in failed:
                raise StaleCase from None
            if 1 in failed:
                raise NotesFull from None
            raise

    def queue_page(
        self,
        queue: str,
        limit: int,
        after: str | None,
        surface: str | None = None,
        ground: str | None = None,
    ) -> QueuePage:
        """Return one page of the cases in a work queue, longest waiting first, by one Query on
        the index. `after` is a queue position (`<waiting_since>#<case_id>`) a page before read
        through."""
        query = _queue_query(self.cases_table, queue, None, surface, ground)
        query.update(ScanIndexForward=True, Limit=limit)
        if after:
            since, case_id = after.rsplit("#", 1)
            query["ExclusiveStartKey"] = _item(
                {**keys.case_key(case_id), **keys.queue_keys(queue, since, case_id)}
            )
        answer = client("dynamodb").query(**query)
        last = answer.get("LastEvaluatedKey")
        return QueuePage(
            cases=[Case.model_validate(_plain(i)) for i in answer["Items"]],
            next_after=str(_plain(last)["queue_sk"]) if last else None,
        )

    def count_queue(
        self,
        queue: str,
        waiting_before: str | None,
        surface: str | None = None,
        ground: str | None = None,
    ) -> QueueTally:
        """Count the cases of a work queue (those waiting since before `waiting_before`, when
        given) by Queries with Select=COUNT on the index, at most `count_pages` of them."""
        ranges = keys.waiting_before(waiting_before) if waiting_before is not None else [None]
        count = 0
        pages = 0
        for bounds in ranges:
            query = _queue_query(self.cases_table, queue, bounds, surface, ground)
            query["Select"] = "COUNT"
            if self.count_page_items:
                query["Limit"] = self.count_page_items
            while True:
                if pages == self.count_pages:
                    return QueueTally(count, complete=False)
                pages += 1
                answer = client("dynamodb").query(**query)
                count += int(answer["Count"])
                if "LastEvaluatedKey" not in answer:
                    break
                query["ExclusiveStartKey"] = answer["LastEvaluatedKey"]
        return QueueTally(count, complete=True)

    def set_claim(self, case_id: str, claim: Claim | None, read: Claim | None) -> None:
        """Set or clear a case's claim by one conditional UpdateItem that leaves its version, if
        its claim is still `read` (StaleCase when it moved or there is no such case)."""
        names = {"#claim": "claim", "#by": "by"}
        values: dict[str, Any] = {":claim": claim.model_dump(mode="json") if claim else None}
        if read is None:
            condition = "attribute_exists(pk) AND attribute_not_exists(#claim.#by)"
        else:
            condition = "#claim.#by = :read_by AND #claim.#until = :read_until"
            names["#until"] = "until"
            values.update({":read_by": read.by, ":read_until": read.until})
        try:
            client("dynamodb").update_item(
                TableName=self.cases_table,
                Key=_item(keys.case_key(case_id)),
                UpdateExpression="SET #claim = :claim",
                ConditionExpression=condition,
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=_item(values),
            )
        except ClientError as error:
            if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                raise StaleCase from None
            raise

    def due_cases(self, now: str, limit: int = 100) -> list[Case]:
        """Return cases that time changes by `now`: one Query per shard of the due index."""
        due: list[Case] = []
        for shard in range(keys.DUE_SHARDS):
            answer = client("dynamodb").query(
                TableName=self.cases_table,
                IndexName="due",
                KeyConditionExpression="due_pk = :shard AND due_sk <= :now",
                ExpressionAttributeValues=_item(
                    {":shard": keys.due_partition(shard), ":now": f"{now}#~"}
                ),
                Limit=limit,
            )
            due += [Case.model_validate(_plain(i)) for i in answer["Items"]]
        return due

    def get_case(self, case_id: str) -> Case | None:
        """Return the case with this id, if there is one."""
        answer = client("dynamodb").get_item(
            TableName=self.cases_table, Key=_item(keys.case_key(case_id)), ConsistentRead=True
        )
        if "Item" not in answer:
            return None
        return Case.model_validate(_plain(answer["Item"]))

    def case_events(self, case_id: str) -> list[AuditEvent]:
        """Return every audit event of a case, in chain order."""
        return [AuditEvent.model_validate(i) for i in self.case_event_items(case_id)]

    def newest_events(self, case_id: str, limit: int) -> list[AuditEvent]:
        """Return at most `limit` of a case's newest audit events, newest first: one query."""
        answer = client("dynamodb").query(
            TableName=self.audit_table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues=_item({":pk": keys.case_partition(case_id)}),
            ScanIndexForward=False,
            Limit=limit,
            ConsistentRead=True,
        )
        return [AuditEvent.model_validate(event_fields(i)) for i in answer["Items"]]

    def case_event_items(self, case_id: str) -> list[dict[str, Any]]:
        """Return a case's event items as stored, less their keys, in chain order."""
        items: list[dict[str, Any]] = []
        query: dict[str, Any] = {
            "TableName": self.audit_table,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": _item({":pk": keys.case_partition(case_id)}),
            "ConsistentRead": True,
        }
        while True:
            answer = client("dynamodb").query(**query)
            items += [event_fields(i) for i in answer["Items"]]
            if "LastEvaluatedKey" not in answer:
                return items
            query["ExclusiveStartKey"] = answer["LastEvaluatedKey"]

    def _relation_puts(
        self, case: Case, hashes: list[str], *, with_url: bool
    ) -> list[dict[str, Any]]:
        """Return the puts that relate `case` to its target address and to files' hashes."""
        common = {
            "case_id": case.case_id,
            "received_at": case.received_at,
            "surface": case.target.surface.value,
        }
        items = [
            {**keys.related_sha256_key(h, case.case_id), **common, "same": "evidence", "sha256": h}
            for h in hashes
        ]
        if with_url:
            form, digest = target_relation(case.target)
            target_key = keys.related_target_key(form, digest, case.case_id)
            same = "target_url" if form == "url" else "content_ref"
            items.insert(0, {**target_key, **common, "same": same})
        return [{"Put": {"TableName": self.cases_table, "Item": _item(i)}} for i in items]

    def _misuse_puts(self, change: Change) -> list[dict[str, Any]]:
        """Return the puts of what a change counts against the account that posted the content
        (its strikes, standing or reversed) and against its claimant (a notice rejected as
        unfounded, a suspension): in the change's own transaction."""
        case = change.case
        actions = {event.action for event in change.events}
        items: list[dict[str, Any]] = []
        if case.account_key and actions & STRIKE_ACTIONS:
            items += [
                {
                    **keys.strike_key(case.account_key, s.decided_at, s.decision_id),
                    **s.model_dump(mode="json"),
                }
                for s in strikes_of(case)
            ]
        if case.claimant_key and "reject" in actions:
            items += [
                {
                    **keys.unfounded_key(case.claimant_key, u.decided_at, u.decision_id),
                    **u.model_dump(mode="json"),
                }
                for u in unfounded_of(case)
            ]
        suspension = case.claimant_suspension
        if case.claimant_key and suspension and actions & SUSPENSION_ACTIONS:
            items.append(
                {
                    **keys.suspension_key(case.claimant_key),
                    **suspension.model_dump(mode="json"),
                    "expires_at_epoch": int(parse_iso(suspension.ends_at).timestamp()) + 86400,
                }
            )
        return [{"Put": {"TableName": self.cases_table, "Item": _item(i)}} for i in items]

    def account_strikes(self, account_key: str, since: str, limit: int) -> list[Strike]:
        """Return an account's strikes decided since `since`, newest first: one Query."""
        first, last = keys.strikes_since(since)
        answer = client("dynamodb").query(
            TableName=self.cases_table,
            KeyConditionExpression="pk = :pk AND sk BETWEEN :first AND :last",
            ExpressionAttributeValues=_item(
                {":pk": keys.account_partition(account_key), ":first": first, ":last": last}
            ),
            ScanIndexForward=False,
            Limit=limit,
            ConsistentRead=True,
        )
        return [Strike.model_validate(_plain(i)) for i in answer["Items"]]

    def claimant_record(
        self, claimant_key: str, limit: int
    ) -> tuple[list[Unfounded], Suspension | None]:
        """Return a claimant's newest unfounded notices and their suspension: one Query of
        their partition, newest first (the suspension sorts after every notice: read first)."""
        answer = client("dynamodb").query(
            TableName=self.cases_table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues=_item({":pk": keys.claimant_partition(claimant_key)}),
            ScanIndexForward=False,
            Limit=limit + 1,
            ConsistentRead=True,
        )
        unfounded: list[Unfounded] = []
        suspension: Suspension | None = None
        for item in map(_plain, answer["Items"]):
            if keys.is_suspension_key(item):
                suspension = Suspension.model_validate(item)
            elif keys.is_unfounded_key(str(item["sk"])):
                unfounded.append(Unfounded.model_validate(item))
        return unfounded[:limit], suspension

    def _erasure_writes(self, case: Case, room: int) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        """Return the deletes of a case's relation items and notes that fit in `room`, and the
        write of its notes' count that holds the erasure to the notes read. Those that do not
        fit are deleted first, in batches (a case holds at most MAX_NOTES notes)."""
        case_id = case.case_id
        forget = [keys.related_target_key(*target_relation(case.target), case_id)]
        forget += [keys.related_sha256_key(h, case_id) for h in evidence_hashes(case)]
        notes, taken = self._note_keys(case_id)
        forget += notes
        now, first = forget[: max(room, 0)], forget[max(room, 0) :]
        self._batch_delete(first)
        deletes = [{"Delete": {"TableName": self.cases_table, "Key": _item(k)}} for k in now]
        counted: dict[str, Any] = {"TableName": self.cases_table}
        counted["Key"] = _item(keys.notes_count_key(case_id))
        if taken is None:
            counted["ConditionExpression"] = "attribute_not_exists(pk)"
            return deletes, {"ConditionCheck": counted}
        counted["ConditionExpression"] = "#taken = :taken"
        counted["ExpressionAttributeNames"] = {"#taken": "taken"}
        counted["ExpressionAttributeValues"] = _item({":taken": taken})
        return deletes, {"Delete": counted}

    def _note_keys(self, case_id: str) -> tuple[list[dict[str, str]], int | None]:
        """Return the keys of a case's notes and how many its count says it took (None: none)."""
        query: dict[str, Any] = {
            "TableName": self.cases_table,
            # "NOTES", the count, sorts right after every "NOTE#<id>".
            "KeyConditionExpression": "pk = :pk AND sk BETWEEN :first AND :count",
            "ExpressionAttributeValues": _item(
                {
                    ":pk": keys.case_partition(case_id),
                    ":first": keys.NOTE_PREFIX,
                    ":count": keys.notes_count_key(case_id)["sk"],
                }
            ),
            "ProjectionExpression": "pk, sk, taken",
            "ConsistentRead": True,
        }
        notes: list[dict[str, str]] = []
        taken: int | None = None
        for _ in range(MAX_PARTITION_PAGES):
            answer = client("dynamodb").query(**query)
            for item in map(_plain, answer["Items"]):
                if keys.is_note_key(str(item["sk"])):
                    notes.append({"pk": str(item["pk"]), "sk": str(item["sk"])})
                elif "taken" in item:
                    taken = int(item["taken"])
            if "LastEvaluatedKey" not in answer:
                break
            query["ExclusiveStartKey"] = answer["LastEvaluatedKey"]
        return notes, taken

    def _batch_delete(self, doomed: list[dict[str, str]]) -> None:
        for start in range(0, len(doomed), MAX_BATCH_WRITE_ITEMS):
            chunk = doomed[start : start + MAX_BATCH_WRITE_ITEMS]
            request: dict[str, Any] = {
                self.cases_table: [{"DeleteRequest": {"Key": _item(k)}} for k in chunk]
            }
            for _ in range(5):
                answer = client("dynamodb").batch_write_item(RequestItems=request)
                request = answer.get("UnprocessedItems") or {}
                if not request:
                    break
            if request:
                raise RuntimeError("DynamoDB left notes undeleted; the erasure was not written")

    def _claim(self, upload_id: str, case_id: str) -> dict[str, Any]:
        return {
            "Update": {
                "TableName": self.cases_table,
                "Key": _item(keys.upload_key(upload_id)),
                # The file's name moves to the case, so erasing the case erases it everywhere.
                "UpdateExpression": "SET case_id = :case_id REMOVE filename",
                "ConditionExpression": "attribute_exists(pk) AND attribute_not_exists(case_id)",
                "ExpressionAttributeValues": _item({":case_id": case_id}),
            }
        }

    def _effect_put(self, effect: Effect, created_at: str) -> dict[str, Any]:
        from ..domain.clock import iso
        from ..domain.outbox import SWEEP_AFTER

        sweep_at = iso(parse_iso(created_at) + SWEEP_AFTER)
        return {
            "Put": {
                "TableName": self.cases_table,
                "Item": _item(
                    {
                        **keys.outbox_key(effect.case_id, effect.effect_id),
                        **keys.outbox_index_keys(effect.effect_id, sweep_at),
                        "effect_id": effect.effect_id,
                        "kind": effect.kind.value,
                        "case_id": effect.case_id,
                        "payload": effect.payload,
                        "state": EffectState.PENDING.value,
                        "attempts": 0,
                        "created_at": created_at,
                    }
                ),
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }

    def _count_update(self, count: Count) -> dict[str, Any]:
        # ADD makes the first of a window 1; the condition holds each window to its limit.
        return {
            "TableName": self.cases_table,
            "Key": _item(_count_key(count)),
            "UpdateExpression": "ADD #taken :one SET expires_at_epoch = :expires",
            "ConditionExpression": (
                "(attribute_not_exists(#taken) AND :one <= :allowed) OR #taken < :allowed"
            ),
            "ExpressionAttributeNames": {"#taken": "taken"},
            "ExpressionAttributeValues": _item(
                {":one": 1, ":allowed": count.limit.allowed, ":expires": count.expires_at_epoch}
            ),
        }

    def _answer_put(self, answer: StoredAnswer) -> dict[str, Any]:
        return {
            "Put": {
                "TableName": self.cases_table,
                "Item": _item({**keys.idempotency_key(answer.key_hash), **answer.__dict__}),
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }

    def _event_put(self, event: AuditEvent) -> dict[str, Any]:
        return {
            "Put": {
                "TableName": self.audit_table,
                "Item": _item(
                    {
                        **keys.event_key(event.case_id, event.seq),
                        **keys.event_index_keys(event.event_id, event.actor_id, event.occurred_at),
                        **event.model_dump(mode="json"),
                    }
                ),
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }


def _count_key(count: Count) -> dict[str, str]:
    return keys.limit_key(count.limit.kind.value, count.subject, iso(count.window.start))


def _case_item(case: Case, due_at: str | None) -> dict[str, Any]:
    return {
        **keys.case_key(case.case_id),
        **keys.queue_keys(work_queue(case), waiting_since(case), case.case_id, comes_first(case)),
        **keys.due_keys(due_at, case.case_id),
        **case.model_dump(mode="json"),
    }


def _claim_guard(change: Change) -> dict[str, Any]:
    """Return the condition that the case is at the change's version and no reviewer but the
    claim the change was planned on, exactly as read, is live (none taken or renewed meanwhile)."""
    names = {"#claim": "claim", "#by": "by", "#until": "until"}
    values: dict[str, Any] = {":expected": change.expected_version, ":at": change.case.updated_at}
    unclaimed = "attribute_not_exists(#claim.#by) OR #claim.#until <= :at"
    if change.claim_by is not None:
        unclaimed += " OR (#claim.#by = :claim_by AND #claim.#until = :claim_until)"
        values[":claim_by"] = change.claim_by
        values[":claim_until"] = change.claim_until
    return {
        "ConditionExpression": f"version = :expected AND ({unclaimed})",
        "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": _item(values),
    }


def _queue_query(
    table: str,
    queue: str,
    bounds: tuple[str, str] | None,
    surface: str | None,
    ground: str | None,
) -> dict[str, Any]:
    """Return a Query of one work queue on the index (within sort key `bounds`, when given),
    filtered by surface and ground."""
    condition = "queue_pk = :queue"
    values: dict[str, Any] = {":queue": keys.queue_partition(queue)}
    if bounds is not None:
        condition += " AND queue_sk BETWEEN :lo AND :hi"
        values[":lo"], values[":hi"] = bounds
    query: dict[str, Any] = {
        "TableName": table,
        "IndexName": "queue",
        "KeyConditionExpression": condition,
    }
    filters = []
    if surface:
        filters.append("#target.surface = :surface")
        query["ExpressionAttributeNames"] = {"#target": "target"}
        values[":surface"] = surface
    if ground:
        filters.append("contains(grounds, :ground)")
        values[":ground"] = ground
    if filters:
        query["FilterExpression"] = " AND ".join(filters)
    query["ExpressionAttributeValues"] = _item(values)
    return query


def _idempotency(item: dict[str, Any]) -> IdempotencyRecord:
    # A key first used on another route holds another record: its fingerprint will not match.
    return IdempotencyRecord(
        key_hash=str(item["key_hash"]),
        fingerprint=str(item["fingerprint"]),
        case_id=str(item.get("case_id", "")),
        received_at=str(item.get("received_at", "")),
        wrapped_receipt_token=str(item.get("wrapped_receipt_token", "")),
        expires_at_epoch=int(item["expires_at_epoch"]),
        acknowledgement_mailed=bool(item.get("acknowledgement_mailed", True)),
    )


def _answer(item: dict[str, Any]) -> StoredAnswer:
    return StoredAnswer(
        key_hash=str(item["key_hash"]),
        fingerprint=str(item["fingerprint"]),
        body=str(item.get("body", "")),
        expires_at_epoch=int(item["expires_at_epoch"]),
    )
