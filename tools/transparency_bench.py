"""The transparency report's cost: items read and DynamoDB calls for a half year of counters."""

from __future__ import annotations

import os
from datetime import date, timedelta
from typing import Any

SEEDED_DAYS = 184  # 2026-H2, July 1 to December 31
REPORTS_PER_DAY = 40


def _day_counts(day: date) -> dict[str, int]:
    """Return a plausible day's counters: REPORTS_PER_DAY reports and what became of them."""
    spread = day.toordinal()
    return {
        "received.count": REPORTS_PER_DAY,
        "received.surface.open_chat_board": REPORTS_PER_DAY // 2,
        "received.surface.kakaotalk_profile": REPORTS_PER_DAY // 2,
        "received.ground.privacy": REPORTS_PER_DAY - 5,
        "received.ground.defamation": 12,
        "received.action.block": REPORTS_PER_DAY - 10,
        "received.action.delete": 10,
        "decided.count": REPORTS_PER_DAY,
        "decided.measure.block_content": 25,
        "decided.measure.reject": 15,
        "decided.outcome.actioned": 25,
        "decided.outcome.rejected": 15,
        "reposting.requested": 3,
        "reposting.upheld": 2,
        "appeal.filed": 1,
        "withdrawn": 2,
        "first_decision.count": REPORTS_PER_DAY,
        "first_decision.within_3_working_days": REPORTS_PER_DAY - 4,
        **{f"first_decision.hours.{(spread * 7 + n * 13) % 120}": 4 for n in range(10)},
    }


def measure_transparency() -> dict[str, Any]:
    """Seed a half year of day counters, read its report once, and count what the read cost."""
    from moto import mock_aws

    from chalicelib.adapters import keys
    from chalicelib.adapters.aws import client, reset_clients
    from chalicelib.adapters.dynamo import item
    from chalicelib.adapters.tally_store import TallyStore
    from chalicelib.config import settings
    from chalicelib.services.transparency import Transparency
    from tools.bench import CallCounter
    from tools.provision import GENEROUS_LIMITS, LOCAL_PARAMETERS, provision

    with mock_aws():
        reset_clients()
        settings.cache_clear()
        stack = provision(parameters={**LOCAL_PARAMETERS, **GENEROUS_LIMITS})
        os.environ.update(stack.environment)
        settings.cache_clear()
        dynamodb = client("dynamodb")
        first = date(2026, 7, 1)
        events = 0
        for offset in range(SEEDED_DAYS):
            day = first + timedelta(days=offset)
            counts = _day_counts(day)
            events += counts["received.count"] + counts["decided.count"]
            dynamodb.put_item(
                TableName=settings().cases_table,
                Item=item({**keys.tally_key(day.isoformat()), **counts}),
            )
        counter = CallCounter()
        counter.attach(dynamodb)
        read: list[int] = []
        dynamodb.meta.events.register(
            "after-call.dynamodb.Query", lambda parsed, **_: read.append(int(parsed["Count"]))
        )
        figures = Transparency(TallyStore()).report("2026-H2")
        reset_clients()
    return {
        "days": SEEDED_DAYS,
        "events": events,
        "items read": sum(read),
        "DynamoDB calls": counter.total("dynamodb"),
        "Queries": counter.calls["dynamodb:Query"],
        "Scans": counter.calls["dynamodb:Scan"],
        "received": figures.received,
    }
