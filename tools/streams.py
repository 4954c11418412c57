"""Feed a table's DynamoDB stream to a handler, as Lambda's event source mapping does in AWS."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

Handler = Callable[[dict[str, Any], Any], Any]


class StreamPump:
    """Read every shard of a table's stream from its start and hand the records on in batches.

    Like the event source mapping: records in order per shard, at most `batch_size` per call, a
    batch whose handler raised is handed on again (the position moves only past a success).
    """

    def __init__(self, table_name: str, handler: Handler, batch_size: int = 100) -> None:
        self.table_name, self.handler, self.batch_size = table_name, handler, batch_size
        self._after: dict[str, str] = {}  # the last record handed on, per shard
        self._arn: str | None = None

    def pump(self) -> int:
        """Hand every record written since the last pump to the handler; return how many."""
        import boto3
        from botocore.config import Config

        if self._arn is None:
            table = boto3.client("dynamodb").describe_table(TableName=self.table_name)["Table"]
            self._arn = str(table["LatestStreamArn"])
        streams = boto3.client(
            "dynamodbstreams", config=Config(account_id_endpoint_mode="disabled")
        )
        shards = streams.describe_stream(StreamArn=self._arn)["StreamDescription"]["Shards"]
        return sum(self._drain(streams, shard["ShardId"]) for shard in shards)

    def _drain(self, streams: Any, shard_id: str) -> int:
        # A new iterator after the last record handed on, each time: moto's iterators stop
        # seeing new records once a cancelled transaction has restored the table's copy.
        last = self._after.get(shard_id)
        where: dict[str, str] = (
            {"ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": last}
            if last
            else {"ShardIteratorType": "TRIM_HORIZON"}
        )
        iterator = streams.get_shard_iterator(StreamArn=self._arn, ShardId=shard_id, **where)[
            "ShardIterator"
        ]
        handed = 0
        while iterator is not None:
            answer = streams.get_records(ShardIterator=iterator, Limit=self.batch_size)
            records = answer.get("Records", [])
            if not records:
                return handed
            self.handler({"Records": [self._event(r) for r in records]}, None)
            self._after[shard_id] = records[-1]["dynamodb"]["SequenceNumber"]
            handed += len(records)
            iterator = answer.get("NextShardIterator")
        return handed

    def _event(self, record: dict[str, Any]) -> dict[str, Any]:
        change = dict(record["dynamodb"])
        created = change.get("ApproximateCreationDateTime")
        if isinstance(created, datetime):  # boto3 parsed it; Lambda's events carry epoch seconds
            change["ApproximateCreationDateTime"] = created.timestamp()
        return {
            **record,
            "dynamodb": change,
            "eventSource": "aws:dynamodb",
            "eventSourceARN": self._arn,
        }
