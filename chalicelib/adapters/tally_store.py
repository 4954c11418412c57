"""The transparency counters in DynamoDB: one item per Korea day, one partition per year."""

from __future__ import annotations

from datetime import date
from typing import Any

from ..config import settings
from . import keys
from .aws import client
from .dynamo import item as _item
from .dynamo import plain as _plain

_KEY_NAMES = frozenset({"pk", "sk"})


class TallyStore:
    """Reads the day counters the relay adds to: one paginated Query per calendar year."""

    def __init__(self) -> None:
        self.cases_table = settings().cases_table

    def tally_days(self, first: date, last: date) -> dict[str, dict[str, int]]:
        """Return the counters of each day from `first` to `last` that has any, by day."""
        days: dict[str, dict[str, int]] = {}
        for year in range(first.year, last.year + 1):
            start = max(first, date(year, 1, 1)).isoformat()
            end = min(last, date(year, 12, 31)).isoformat()
            asked: dict[str, Any] = {
                "TableName": self.cases_table,
                "KeyConditionExpression": "pk = :year AND sk BETWEEN :first AND :last",
                "ExpressionAttributeValues": _item(
                    {":year": keys.tally_partition(str(year)), ":first": start, ":last": end}
                ),
            }
            while True:
                answer = client("dynamodb").query(**asked)
                for found in map(_plain, answer["Items"]):
                    days[str(found["sk"])] = {
                        k: int(v) for k, v in found.items() if k not in _KEY_NAMES
                    }
                if "LastEvaluatedKey" not in answer:
                    break
                asked["ExclusiveStartKey"] = answer["LastEvaluatedKey"]
        return days
