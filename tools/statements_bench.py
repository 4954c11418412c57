"""Time the export of statements of reasons over moto: decisions seeded, pages of 100 read."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta
from typing import Any

DECISIONS = 40
PAGE = 10  # pages smaller than the 100 the route allows, so that the cursor is exercised


def measure_statements(decisions: int = DECISIONS) -> dict[str, Any]:
    """Decide `decisions` cases (each restricting something), then export them page by page;
    return statements per second and the DynamoDB calls of the export."""
    import boto3
    from moto import mock_aws

    from chalicelib.adapters.aws import client, reset_clients
    from chalicelib.config import settings
    from chalicelib.domain.lifecycle import Actor
    from chalicelib.services.intake import Intake
    from chalicelib.services.review import Review
    from chalicelib.services.statements import Statements
    from chalicelib.wiring import build
    from tools.bench import CallCounter, _report, _upload_request
    from tools.provision import GENEROUS_LIMITS, LOCAL_PARAMETERS, provision

    start = datetime.now(UTC) - timedelta(hours=2)
    measures = [
        [{"type": "block_content", "days": 30}],
        [{"type": "delete_content"}],
        [{"type": "restrict_user", "service": "open_chat", "days": 7}],
    ]
    with mock_aws():
        reset_clients()
        settings.cache_clear()
        stack = provision(parameters={**LOCAL_PARAMETERS, **GENEROUS_LIMITS})
        os.environ.update(stack.environment)
        staging = boto3.client("s3")
        for n in range(decisions):
            at = start + timedelta(seconds=n)
            intake = build(Intake, clock=lambda at=at: at)
            grant = intake.request_upload({**_upload_request(), "size": 72})
            staging.put_object(
                Bucket=stack.environment["UPLOADS_BUCKET"],
                Key=grant.fields["key"],
                Body=b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
                ContentType="image/png",
            )
            receipt, _ = intake.submit_report(_report([grant.upload_id]), None, "http://x")
            body = {
                "expected_version": 1,
                "measures": measures[n % len(measures)],
                "reasons": {
                    "ground": "illegal_content",
                    "legal_ground": "Network Act art. 44-2",
                    "facts": "The post publishes the claimant's address.",
                    "public_facts": "The post published a person's home address.",
                },
            }
            review = build(Review, clock=lambda at=at: at + timedelta(milliseconds=500))
            review.decide(receipt.case_id, body, Actor("reviewer:bench", "reviewer"), "")
        counter = CallCounter()
        counter.attach(client("dynamodb"))
        export = build(Statements)
        query = {
            "from": (start - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "to": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "limit": str(PAGE),
        }
        exported = pages = 0
        cursor = None
        began = time.perf_counter()
        while True:
            page = export.page({**query, **({"cursor": cursor} if cursor else {})})
            exported += len(page.statements)
            pages += 1
            cursor = page.next
            if cursor is None:
                break
        took = time.perf_counter() - began
    reset_clients()
    settings.cache_clear()
    assert exported == decisions, exported
    return {
        "decisions": decisions,
        "page size": PAGE,
        "statements": exported,
        "pages": pages,
        "per s": exported / took,
        "queries": counter.calls["dynamodb:Query"],
        "scans": counter.calls["dynamodb:Scan"],
        "other calls": counter.total("dynamodb") - counter.calls["dynamodb:Query"],
    }


if __name__ == "__main__":
    from tools.bench import _environment

    _environment()
    print(measure_statements())
