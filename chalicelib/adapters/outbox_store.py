"""The outbox's records in DynamoDB: claim one for a delivery, settle it, find what is due."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from ..config import settings
from ..domain.outbox import EffectState
from . import keys
from .aws import client
from .dynamo import item as _item
from .dynamo import plain as _plain

_DELIVERED = (
    "SET #state = :delivered, delivered_at = :now "
    "REMOVE payload, lease_until, outbox_pk, outbox_sk, last_error"
)


class OutboxStore:
    """Where the relay reads and settles the effects that changes committed to the outbox."""

    def __init__(self) -> None:
        self.cases_table = settings().cases_table

    def claim_effect(
        self, case_id: str, effect_id: str, now: str, lease_until: str
    ) -> dict[str, Any] | None:
        """Take an undelivered effect for one delivery; None if it is delivered, parked or taken."""
        try:
            answer = client("dynamodb").update_item(
                TableName=self.cases_table,
                Key=_item(keys.outbox_key(case_id, effect_id)),
                UpdateExpression=(
                    "SET lease_until = :lease, attempts = if_not_exists(attempts, :zero) + :one, "
                    "outbox_sk = :due"
                ),
                ConditionExpression=(
                    "#state = :pending AND "
                    "(attribute_not_exists(lease_until) OR lease_until < :now)"
                ),
                ExpressionAttributeNames={"#state": "state"},
                ExpressionAttributeValues=_item(
                    {
                        ":lease": lease_until,
                        ":zero": 0,
                        ":one": 1,
                        ":due": keys.outbox_index_keys(effect_id, lease_until)["outbox_sk"],
                        ":pending": EffectState.PENDING.value,
                        ":now": now,
                    }
                ),
                ReturnValues="ALL_NEW",
            )
        except ClientError as error:
            if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return None
            raise
        return _plain(answer["Attributes"])

    def effect_delivered(self, case_id: str, effect_id: str, now: str) -> None:
        """Mark an effect delivered, and forget its payload (a mail's address and text)."""
        self._settle_effect(
            case_id,
            effect_id,
            _DELIVERED,
            {":delivered": EffectState.DELIVERED.value, ":now": now},
        )

    def tally_delivered(
        self, case_id: str, effect_id: str, days: dict[str, dict[str, int]], now: str
    ) -> None:
        """Add a tally effect's increments to its days' counters and mark it delivered, in one
        transaction conditioned on the effect being pending: it adds once, whatever the retries."""
        writes: list[dict[str, Any]] = [
            {"Update": self._tally_add(day, named)} for day, named in sorted(days.items()) if named
        ]
        writes.append(
            {
                "Update": {
                    "TableName": self.cases_table,
                    "Key": _item(keys.outbox_key(case_id, effect_id)),
                    "UpdateExpression": _DELIVERED,
                    "ConditionExpression": "#state = :pending",
                    "ExpressionAttributeNames": {"#state": "state"},
                    "ExpressionAttributeValues": _item(
                        {
                            ":delivered": EffectState.DELIVERED.value,
                            ":now": now,
                            ":pending": EffectState.PENDING.value,
                        }
                    ),
                }
            }
        )
        try:
            client("dynamodb").transact_write_items(TransactItems=writes)
        except ClientError as error:
            if error.response["Error"]["Code"] != "TransactionCanceledException":
                raise
            reasons = error.response.get("CancellationReasons", [])
            if not reasons or reasons[-1].get("Code") != "ConditionalCheckFailed":
                raise
            # Delivered (or parked) meanwhile: its increments are in, or it is not ours to add.

    def _tally_add(self, day: str, named: dict[str, int]) -> dict[str, Any]:
        names = {f"#c{n}": name for n, name in enumerate(sorted(named))}
        values = {f":c{n}": named[name] for n, name in enumerate(sorted(named))}
        adds = ", ".join(f"#c{n} :c{n}" for n in range(len(names)))
        return {
            "TableName": self.cases_table,
            "Key": _item(keys.tally_key(day)),
            "UpdateExpression": f"ADD {adds}",
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": _item(values),
        }

    def effect_failed(
        self, case_id: str, effect_id: str, error: str, now: str, retry_at: str | None
    ) -> None:
        """Put a failed effect back for a later try at `retry_at`, or park it (None)."""
        index = (
            keys.outbox_index_keys(effect_id, retry_at)
            if retry_at
            else keys.parked_index_keys(effect_id, now)
        )
        state = EffectState.PENDING if retry_at else EffectState.PARKED
        self._settle_effect(
            case_id,
            effect_id,
            "SET #state = :state, last_error = :error, failed_at = :now, "
            "outbox_pk = :opk, outbox_sk = :osk REMOVE lease_until",
            {
                ":state": state.value,
                ":error": error,
                ":now": now,
                ":opk": index["outbox_pk"],
                ":osk": index["outbox_sk"],
            },
        )

    def _settle_effect(
        self, case_id: str, effect_id: str, update: str, values: dict[str, Any]
    ) -> None:
        """Record how a try of a pending effect ended; one settled already is left as it is."""
        try:
            client("dynamodb").update_item(
                TableName=self.cases_table,
                Key=_item(keys.outbox_key(case_id, effect_id)),
                UpdateExpression=update,
                ConditionExpression="#state = :pending",
                ExpressionAttributeNames={"#state": "state"},
                ExpressionAttributeValues=_item({**values, ":pending": EffectState.PENDING.value}),
            )
        except ClientError as error:
            if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise

    def replay_effect(self, case_id: str, effect_id: str, now: str) -> bool:
        """Put a parked effect back in line with fresh tries; False if it is not parked."""
        index = keys.outbox_index_keys(effect_id, now)
        try:
            client("dynamodb").update_item(
                TableName=self.cases_table,
                Key=_item(keys.outbox_key(case_id, effect_id)),
                UpdateExpression=(
                    "SET #state = :pending, attempts = :zero, outbox_pk = :opk, outbox_sk = :osk"
                ),
                ConditionExpression="#state = :parked",
                ExpressionAttributeNames={"#state": "state"},
                ExpressionAttributeValues=_item(
                    {
                        ":pending": EffectState.PENDING.value,
                        ":parked": EffectState.PARKED.value,
                        ":zero": 0,
                        ":opk": index["outbox_pk"],
                        ":osk": index["outbox_sk"],
                    }
                ),
            )
        except ClientError as error:
            if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def due_effects(self, now: str, limit: int = 100) -> list[tuple[str, str]]:
        """Return (case id, effect id) of effects due for a try: one Query per outbox shard."""
        due: list[tuple[str, str]] = []
        for shard in range(keys.OUTBOX_SHARDS):
            answer = client("dynamodb").query(
                TableName=self.cases_table,
                IndexName="outbox",
                KeyConditionExpression="outbox_pk = :shard AND outbox_sk <= :now",
                ExpressionAttributeValues=_item(
                    {":shard": keys.outbox_partition(shard), ":now": f"{now}#~"}
                ),
                ProjectionExpression="case_id, effect_id",
                Limit=limit,
            )
            due += [(str(i["case_id"]), str(i["effect_id"])) for i in map(_plain, answer["Items"])]
        return due

    def parked_effects(self, limit: int = 100) -> list[dict[str, Any]]:
        """Return the parked effects, oldest first: one Query on the outbox index."""
        answer = client("dynamodb").query(
            TableName=self.cases_table,
            IndexName="outbox",
            KeyConditionExpression="outbox_pk = :parked",
            ExpressionAttributeValues=_item({":parked": keys.PARKED_PARTITION}),
            Limit=limit,
        )
        return [effect_summary(_plain(i)) for i in answer["Items"]]


def effect_summary(item: dict[str, Any]) -> dict[str, Any]:
    """Return what a reviewer or an operator sees of an effect (never its payload)."""
    return {
        name: item[name]
        for name in (
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
        if name in item
    }


def effect_refs(images: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Return (case id, effect id) of the outbox records among stream images (DynamoDB JSON)."""
    refs = []
    for image in images:
        sk = image.get("sk", {}).get("S", "")
        if keys.is_outbox_key(sk) and "case_id" in image and "effect_id" in image:
            refs.append((str(image["case_id"]["S"]), str(image["effect_id"]["S"])))
    return refs
