"""The audit trail and its checkpoint index as DynamoDB holds them: events by case, by actor and by
day, and the checkpoints that seal them (the reads, and the head's one conditional write)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from botocore.exceptions import ClientError

from ..domain.audit import AuditEvent, ChainHead
from ..domain.clock import parse_iso
from ..ports import HeadMoved, QueriesSpent
from . import keys
from .aws import client
from .dynamo import item as _item
from .dynamo import plain as _plain


class TrailReads:
    """The trail's part of the repository: it reads the audit table and the checkpoint index."""

    cases_table: str
    audit_table: str

    def checkpoint_head(self) -> dict[str, Any] | None:
        """Return the pointer to the newest checkpoint, if any was sealed."""
        answer = client("dynamodb").get_item(
            TableName=self.cases_table, Key=_item(keys.checkpoint_head_key()), ConsistentRead=True
        )
        return _plain(answer["Item"]) if "Item" in answer else None

    def events_between(self, after: str, through: str) -> list[AuditEvent]:
        """Return every event after one moment and up to another: Queries on the by-day index."""
        return [AuditEvent.model_validate(i) for i in self.iter_event_items(after, through)]

    def iter_event_items(self, after: str, through: str) -> Iterator[dict[str, Any]]:
        """Yield the event items of (after, through] in time order, as stored, less their keys."""
        for _, item in self.iter_event_positions(after, through):
            if item is not None:
                yield item

    def iter_event_positions(
        self,
        after: str,
        through: str,
        resume: str | None = None,
        max_queries: int | None = None,
    ) -> Iterator[tuple[str, dict[str, Any] | None]]:
        """Yield (position, item) for the events of (after, through] past `resume`, in time order.

        Day by day, the day's shards are read by Queries page by page and merged as they go,
        so however long the range, only a page per shard is held at a time. After each day comes
        (the next day's start, None), so that a reader may stop between days too; a position
        given back as `resume` takes the reading up just after it. A reading that would make
        more than `max_queries` Queries raises QueriesSpent instead: everything up to the
        position yielded last was yielded, so that position takes it up.
        """
        import heapq

        budget = _QueryBudget(max_queries)
        lo = max(f"{after}#~", resume or "")
        hi = f"{through}#~"
        day = parse_iso(lo[:24]).date()
        while day.isoformat() <= through[:10]:
            shards = [
                self._shard_items(partition, lo, hi, budget)
                for partition in keys.day_partitions(day.isoformat())
            ]
            for item in heapq.merge(*shards, key=lambda item: str(item["occurred_sk"])):
                position = str(item["occurred_sk"])
                if position != resume:
                    yield position, {k: v for k, v in item.items() if k not in _EVENT_KEYS}
            day += timedelta(days=1)
            if day.isoformat() <= through[:10]:
                yield f"{day.isoformat()}T00:00:00.000Z", None

    def _shard_items(
        self, partition: str, lo: str, hi: str, budget: _QueryBudget
    ) -> Iterator[dict[str, Any]]:
        query: dict[str, Any] = {
            "TableName": self.audit_table,
            "IndexName": "by_day",
            "KeyConditionExpression": "day_shard = :day AND occurred_sk BETWEEN :lo AND :hi",
            "ExpressionAttributeValues": _item({":day": partition, ":lo": lo, ":hi": hi}),
        }
        while True:
            budget.spend()
            answer = client("dynamodb").query(**query)
            yield from map(_plain, answer["Items"])
            if "LastEvaluatedKey" not in answer:
                return
            query["ExclusiveStartKey"] = answer["LastEvaluatedKey"]

    def record_checkpoint(self, previous_seq: int, head: dict[str, Any]) -> None:
        """Point at a newly sealed checkpoint, if no other sealer moved the head first
        (HeadMoved)."""
        writes = [
            {
                "Put": {
                    "TableName": self.cases_table,
                    "Item": _item({**keys.checkpoint_head_key(), **head}),
                    "ConditionExpression": "attribute_not_exists(pk) OR seq = :previous",
                    "ExpressionAttributeValues": _item({":previous": previous_seq}),
                }
            },
            {
                "Put": {
                    "TableName": self.cases_table,
                    "Item": _item({**keys.checkpoint_key(head["through"]), **head}),
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            },
        ]
        try:
            client("dynamodb").transact_write_items(TransactItems=writes)
        except ClientError as error:
            if error.response["Error"]["Code"] == "TransactionCanceledException":
                raise HeadMoved from None
            raise

    def checkpoint_holding(self, occurred_at: str) -> dict[str, Any] | None:
        """Return the checkpoint whose window holds this moment, if one was sealed."""
        answer = client("dynamodb").query(
            TableName=self.cases_table,
            KeyConditionExpression="pk = :pk AND sk >= :sk",
            ExpressionAttributeValues=_item(
                {":pk": keys.CHECKPOINT_PARTITION, ":sk": keys.checkpoint_key(occurred_at)["sk"]}
            ),
            Limit=1,
        )
        items = answer["Items"]
        if not items:
            return None
        found = _plain(items[0])
        return found if keys.is_checkpoint_index(found) and found["after"] < occurred_at else None

    def checkpoint_index(
        self, limit: int, after: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """Return the sealed checkpoints in order, by one Query on their partition, from the
        one after the checkpoint that seals through `after`; and the `through` read through."""
        query: dict[str, Any] = {
            "TableName": self.cases_table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :through)",
            "ExpressionAttributeValues": _item(
                {":pk": keys.CHECKPOINT_PARTITION, ":through": keys.CHECKPOINT_INDEX_PREFIX}
            ),
            "Limit": limit,
        }
        if after:
            query["ExclusiveStartKey"] = _item(keys.checkpoint_key(after))
        answer = client("dynamodb").query(**query)
        found = [_plain(i) for i in answer["Items"]]
        last = answer.get("LastEvaluatedKey")
        return found, keys.through_of(_plain(last)) if last else None

    def checkpoints_overlapping(self, after: str, through: str) -> list[dict[str, Any]]:
        """Return the index items of the checkpoints whose windows meet (after, through]."""
        low, high = keys.checkpoints_after(after)
        query: dict[str, Any] = {
            "TableName": self.cases_table,
            "KeyConditionExpression": "pk = :pk AND sk BETWEEN :lo AND :hi",
            "ExpressionAttributeValues": _item(
                {":pk": keys.CHECKPOINT_PARTITION, ":lo": low, ":hi": high}
            ),
            "ConsistentRead": True,
        }
        found: list[dict[str, Any]] = []
        while True:
            answer = client("dynamodb").query(**query)
            for item in map(_plain, answer["Items"]):
                if str(item["after"]) >= through:
                    return found
                found.append(item)
            if "LastEvaluatedKey" not in answer:
                return found
            query["ExclusiveStartKey"] = answer["LastEvaluatedKey"]

    def chain_heads(self, case_ids: list[str]) -> dict[str, ChainHead]:
        """Return each named case's chain head, by BatchGetItem; a missing case is left out."""
        heads: dict[str, ChainHead] = {}
        for start in range(0, len(case_ids), 100):
            request: dict[str, Any] = {
                self.cases_table: {
                    "Keys": [_item(keys.case_key(c)) for c in case_ids[start : start + 100]],
                    "ConsistentRead": True,
                    "ProjectionExpression": "#pk, #chain",
                    "ExpressionAttributeNames": {"#pk": "pk", "#chain": "chain"},
                }
            }
            while request:
                answer = client("dynamodb").batch_get_item(RequestItems=request)
                for item in map(_plain, answer["Responses"].get(self.cases_table, [])):
                    case_id = keys.case_id_of(item)
                    heads[case_id] = ChainHead.model_validate(item["chain"])
                request = answer.get("UnprocessedKeys") or {}
        return heads

    def event_item_at(self, case_id: str, seq: int) -> dict[str, Any] | None:
        """Return a case's event item number `seq` as stored, less its keys, if there is one."""
        answer = client("dynamodb").get_item(
            TableName=self.audit_table, Key=_item(keys.event_key(case_id, seq)), ConsistentRead=True
        )
        return event_fields(answer["Item"]) if "Item" in answer else None

    def event_by_id(self, event_id: str, occurred_at: str) -> AuditEvent | None:
        """Return the event with this id, written at this moment: one Query on the by-day index."""
        index_keys = keys.event_index_keys(event_id, "", occurred_at)
        answer = client("dynamodb").query(
            TableName=self.audit_table,
            IndexName="by_day",
            KeyConditionExpression="day_shard = :day AND occurred_sk = :sk",
            ExpressionAttributeValues=_item(
                {":day": index_keys["day_shard"], ":sk": index_keys["occurred_sk"]}
            ),
        )
        items = answer["Items"]
        return AuditEvent.model_validate(_plain(items[0])) if items else None

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
        """Return one page of events by case, by actor, or by day, and the position it read
        through: by case `{seq}`, by actor `{after, case_id, seq}`, by day `{after}` (a sort key
        `<occurred_at>#<event_id>`, or a day's start). A page by case or by actor is one Query;
        one by day makes at most `max_queries`."""
        lo, hi = (after or "0"), (through or "9")
        values: dict[str, Any] = {}
        filters: list[str] = []
        names: dict[str, str] = {}
        if action:
            filters.append("#action = :action")
            names["#action"] = "action"
            values[":action"] = action
        if case_id:
            query: dict[str, Any] = {
                "TableName": self.audit_table,
                "KeyConditionExpression": "pk = :pk AND begins_with(sk, :events)",
            }
            values |= {":pk": keys.case_partition(case_id), ":events": keys.EVENT_PREFIX}
            if after or through:
                filters.append("occurred_at BETWEEN :lo AND :hi")
                values |= {":lo": lo, ":hi": hi}
            from_key = keys.event_key(case_id, int(start["seq"])) if start else None
            events, last = self._page(query, values, filters, names, limit, from_key)
            return events, {"seq": _event_seq(last)} if last else None
        if actor:
            query = {
                "TableName": self.audit_table,
                "IndexName": "by_actor",
                "KeyConditionExpression": "actor_id = :actor AND occurred_sk BETWEEN :lo AND :hi",
            }
            values |= {":actor": actor, ":lo": lo, ":hi": f"{hi}#~"}
            from_key = (
                {
                    **keys.event_key(str(start["case_id"]), int(start["seq"])),
                    "actor_id": actor,
                    "occurred_sk": str(start["after"]),
                }
                if start
                else None
            )
            events, last = self._page(query, values, filters, names, limit, from_key)
            if not last:
                return events, None
            case_of_last = keys.case_id_of(last)
            position = {"after": last["occurred_sk"], "case_id": case_of_last}
            return events, {**position, "seq": _event_seq(last)}
        return self._page_by_day(lo, hi, values, filters, names, limit, start, max_queries)

    def _page(
        self,
        query: dict[str, Any],
        values: dict[str, Any],
        filters: list[str],
        names: dict[str, str],
        limit: int,
        from_key: dict[str, Any] | None,
    ) -> tuple[list[AuditEvent], dict[str, Any] | None]:
        """Return one Query's events, and the key it read through (plain values)."""
        query = {**query, "ExpressionAttributeValues": _item(values), "Limit": limit}
        if filters:
            query["FilterExpression"] = " AND ".join(filters)
        if names:
            query["ExpressionAttributeNames"] = names
        if from_key:
            query["ExclusiveStartKey"] = _item(from_key)
        answer = client("dynamodb").query(**query)
        events = [AuditEvent.model_validate(_plain(i)) for i in answer["Items"]]
        last = answer.get("LastEvaluatedKey")
        return events, _plain(last) if last else None

    def _page_by_day(
        self,
        lo: str,
        hi: str,
        values: dict[str, Any],
        filters: list[str],
        names: dict[str, str],
        limit: int,
        start: dict[str, Any] | None,
        max_queries: int,
    ) -> tuple[list[AuditEvent], dict[str, Any] | None]:
        """Merge a day's shards in time order (one Query per shard), day after day until one
        holds events or the next would pass `max_queries`; then say where the page read through.
        """
        floor = str(start["after"]) if start else None  # past a cursor, read strictly after it
        day = parse_iso((floor or lo)[:24]).date()
        last_day = parse_iso(hi).date()
        collected: list[tuple[str, AuditEvent]] = []
        horizon: str | None = None  # past it, a shard that hit the limit may hold unread events
        queries = 0
        while day <= last_day:
            if queries + keys.DAY_SHARDS > max_queries:
                return [], {"after": _day_start(day)}  # out of Queries: this day comes next
            for partition in keys.day_partitions(day.isoformat()):
                query: dict[str, Any] = {
                    "TableName": self.audit_table,
                    "IndexName": "by_day",
                    "KeyConditionExpression": (
                        "day_shard = :day AND occurred_sk BETWEEN :lo AND :hi"
                    ),
                    "ExpressionAttributeValues": _item(
                        {**values, ":day": partition, ":lo": floor or lo, ":hi": f"{hi}#~"}
                    ),
                    # One more than a page: the event at the floor itself may come back first,
                    # and a shard that hits the limit must still get past it.
                    "Limit": limit + 1,
                }
                if filters:
                    query["FilterExpression"] = " AND ".join(filters)
                if names:
                    query["ExpressionAttributeNames"] = names
                queries += 1
                answer = client("dynamodb").query(**query)
                for item in answer["Items"]:
                    plain = _plain(item)
                    position = str(plain["occurred_sk"])
                    if floor is None or position > floor:
                        collected.append((position, AuditEvent.model_validate(plain)))
                if "LastEvaluatedKey" in answer:
                    edge = str(_plain(answer["LastEvaluatedKey"])["occurred_sk"])
                    horizon = edge if horizon is None else min(horizon, edge)
            if collected or horizon is not None:
                break
            day += timedelta(days=1)
            floor = _day_start(day)
        collected.sort(key=lambda pair: pair[0])
        # Through the horizon every shard was read; past it, one may still hold events.
        kept = [pair for pair in collected if horizon is None or pair[0] <= horizon]
        events = [event for _, event in kept[:limit]]
        if len(kept) > limit:
            return events, {"after": kept[limit - 1][0]}
        if horizon is not None:
            return events, {"after": horizon}
        if day < last_day:
            return events, {"after": _day_start(day + timedelta(days=1))}
        return events, None


@dataclass
class _QueryBudget:
    """The Queries a reading may still make (None: no limit)."""

    left: int | None

    def spend(self) -> None:
        if self.left is not None:
            if self.left <= 0:
                raise QueriesSpent
            self.left -= 1


def _event_seq(key: dict[str, Any]) -> int:
    """Return the sequence number of the event a key (as plain values) names."""
    return keys.event_seq_of(key)


def _day_start(day: date) -> str:
    """Return the first moment of a day, as the trail writes times."""
    return f"{day.isoformat()}T00:00:00.000Z"


def event_fields(item: dict[str, Any]) -> dict[str, Any]:
    """Return an event item's own attributes: what it holds less its table and index keys."""
    return {k: v for k, v in _plain(item).items() if k not in _EVENT_KEYS}


_EVENT_KEYS = frozenset({"pk", "sk", "day_shard", "occurred_sk"})
