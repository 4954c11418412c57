"""Cases, uploads, idempotency records and audit events in DynamoDB."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from ..config import settings
from ..domain.audit import AuditEvent
from ..domain.case import Case, Upload
from . import keys
from .aws import client

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


@dataclass(frozen=True)
class IdempotencyRecord:
    """What a first request under an Idempotency-Key produced."""

    key_hash: str
    fingerprint: str
    case_id: str
    received_at: str
    wrapped_receipt_token: str
    expires_at_epoch: int


class UploadsAlreadyClaimed(Exception):
    """One or more uploads were attached to another case first."""

    def __init__(self, upload_ids: list[str]) -> None:
        super().__init__(", ".join(upload_ids))
        self.upload_ids = upload_ids


class IdempotencyKeyTaken(Exception):
    """Another request under the same Idempotency-Key committed first."""


def _item(values: dict[str, Any]) -> dict[str, Any]:
    return {k: _serializer.serialize(v) for k, v in values.items()}


def _plain(item: dict[str, Any]) -> dict[str, Any]:
    return {k: _deserializer.deserialize(v) for k, v in item.items()}


class Repository:
    """The one place that reads and writes the service's DynamoDB tables."""

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
        wanted = [keys.upload_key(u) for u in upload_ids]
        if key_hash:
            wanted.append(keys.idempotency_key(key_hash))
        found: list[dict[str, Any]] = []
        request: dict[str, Any] = {
            self.cases_table: {"Keys": [_item(k) for k in wanted], "ConsistentRead": True}
        }
        while request:
            answer = client("dynamodb").batch_get_item(RequestItems=request)
            found += [_plain(i) for i in answer["Responses"].get(self.cases_table, [])]
            request = answer.get("UnprocessedKeys") or {}
        uploads = {
            i["upload_id"]: Upload.model_validate(i)
            for i in found
            if str(i["pk"]).startswith("UPLOAD#")
        }
        record = next(
            (_idempotency(i) for i in found if str(i["pk"]).startswith("IDEMPOTENCY#")), None
        )
        return uploads, record

    def get_idempotency_record(self, key_hash: str) -> IdempotencyRecord | None:
        """Return the record stored under an Idempotency-Key hash, if any."""
        answer = client("dynamodb").get_item(
            TableName=self.cases_table,
            Key=_item(keys.idempotency_key(key_hash)),
            ConsistentRead=True,
        )
        return _idempotency(_plain(answer["Item"])) if "Item" in answer else None

    def create_case(
        self,
        case: Case,
        event: AuditEvent,
        claimed_uploads: list[str],
        idempotency: IdempotencyRecord | None,
    ) -> None:
        """Write a new case, its first event, its upload claims and idempotency record at once."""
        writes: list[dict[str, Any]] = [
            {
                "Put": {
                    "TableName": self.cases_table,
                    "Item": _item(_case_item(case)),
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            },
            self._event_put(event),
        ]
        for upload_id in claimed_uploads:
            writes.append(
                {
                    "Update": {
                        "TableName": self.cases_table,
                        "Key": _item(keys.upload_key(upload_id)),
                        "UpdateExpression": "SET case_id = :case_id",
                        "ConditionExpression": "attribute_exists(pk) AND "
                        "attribute_not_exists(case_id)",
                        "ExpressionAttributeValues": _item({":case_id": case.case_id}),
                    }
                }
            )
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
            upload_slots = range(2, 2 + len(claimed_uploads))
            if idempotency and len(writes) - 1 in failed:
                raise IdempotencyKeyTaken from None
            lost = [claimed_uploads[i - 2] for i in failed if i in upload_slots]
            if lost:
                raise UploadsAlreadyClaimed(lost) from None
            raise

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
        events: list[AuditEvent] = []
        query: dict[str, Any] = {
            "TableName": self.audit_table,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": _item({":pk": keys.case_key(case_id)["pk"]}),
            "ConsistentRead": True,
        }
        while True:
            answer = client("dynamodb").query(**query)
            events += [AuditEvent.model_validate(_plain(i)) for i in answer["Items"]]
            if "LastEvaluatedKey" not in answer:
                return events
            query["ExclusiveStartKey"] = answer["LastEvaluatedKey"]

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


def _case_item(case: Case) -> dict[str, Any]:
    return {
        **keys.case_key(case.case_id),
        **keys.queue_keys(case.status.value, case.received_at, case.case_id),
        **case.model_dump(mode="json"),
    }


def _idempotency(item: dict[str, Any]) -> IdempotencyRecord:
    return IdempotencyRecord(
        key_hash=str(item["key_hash"]),
        fingerprint=str(item["fingerprint"]),
        case_id=str(item["case_id"]),
        received_at=str(item["received_at"]),
        wrapped_receipt_token=str(item["wrapped_receipt_token"]),
        expires_at_epoch=int(item["expires_at_epoch"]),
    )
