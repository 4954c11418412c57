"""A submission writes everything or nothing, once, even when requests race."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
from chalice.test import Client

from chalicelib import wiring
from chalicelib.adapters import keys
from chalicelib.adapters.repository import ReportReads, Repository
from chalicelib.config import settings
from chalicelib.domain.limits import Count
from chalicelib.domain.secrets import idempotency_key_hash
from chalicelib.services.intake import Intake
from chalicelib.wiring import build
from tests.conftest import PNG, header, post_json, report, upload

KEY = "0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"


def sequential_ids() -> Callable[[datetime], str]:
    counter = itertools.count(1)
    return lambda _moment: f"01JDX3F6Y2P4Q8R9S0T1V2{next(counter):04d}"


class StaleReads(Repository):
    """A repository whose reads lag: it sees neither claims nor idempotency records yet."""

    def load_for_report(
        self,
        upload_ids: list[str],
        key_hash: str | None,
        counts: list[Count],
        claimant_key: str | None = None,
    ) -> ReportReads:
        reads = super().load_for_report(upload_ids, key_hash, counts, claimant_key)
        uploads = {k: u.model_copy(update={"case_id": None}) for k, u in reads.uploads.items()}
        return replace(reads, uploads=uploads, record=None)


def item(key: dict[str, str], table: str | None = None) -> dict[str, Any] | None:
    answer = boto3.client("dynamodb").get_item(
        TableName=table or settings().cases_table,
        Key={k: {"S": v} for k, v in key.items()},
        ConsistentRead=True,
    )
    found: dict[str, Any] | None = answer.get("Item")
    return found


def test_when_one_write_fails_nothing_of_the_case_is_written(
    client: Client,
) -> None:
    wiring.use(build(Intake, new_id=sequential_ids()))
    upload_id = upload(client, PNG)  # id 0001
    case_id = "01JDX3F6Y2P4Q8R9S0T1V20002"
    # An event already in the audit table where the new case's first event must go.
    boto3.client("dynamodb").put_item(
        TableName=settings().audit_table,
        Item={k: {"S": v} for k, v in keys.event_key(case_id, 1).items()},
    )

    response = post_json(client, "/v1/reports", report([upload_id]), {"Idempotency-Key": KEY})

    assert response.status_code == 500
    assert header(response, "content-type") == "application/problem+json"
    assert "Traceback" not in response.body.decode()
    assert item(keys.case_key(case_id)) is None
    assert item(keys.idempotency_key(idempotency_key_hash(KEY))) is None
    upload_item = item(keys.upload_key(upload_id))
    assert upload_item is not None and "case_id" not in upload_item


def test_the_upload_is_free_again_after_a_failed_submission(
    client: Client,
) -> None:
    wiring.use(build(Intake, new_id=sequential_ids()))
    upload_id = upload(client, PNG)
    boto3.client("dynamodb").put_item(
        TableName=settings().audit_table,
        Item={k: {"S": v} for k, v in keys.event_key("01JDX3F6Y2P4Q8R9S0T1V20002", 1).items()},
    )
    assert post_json(client, "/v1/reports", report([upload_id])).status_code == 500
    retried = post_json(client, "/v1/reports", report([upload_id]))
    assert retried.status_code == 201


def test_two_requests_racing_with_one_key_make_one_case(
    client: Client,
) -> None:
    body = report([upload(client, PNG)])
    first = post_json(client, "/v1/reports", body, {"Idempotency-Key": KEY})
    wiring.use(build(Intake, repository=StaleReads()))
    racing = post_json(client, "/v1/reports", body, {"Idempotency-Key": KEY})
    assert first.status_code == racing.status_code == 201
    assert racing.json_body == first.json_body


def test_two_reports_racing_for_one_upload_make_one_case(
    client: Client,
) -> None:
    upload_id = upload(client, PNG)
    assert post_json(client, "/v1/reports", report([upload_id])).status_code == 201
    wiring.use(build(Intake, repository=StaleReads()))
    racing = post_json(client, "/v1/reports", report([upload_id], statement="x" * 30))
    assert racing.status_code == 409
    assert racing.json_body["errors"][0]["field"] == "evidence[0]"


def test_a_case_stands_when_the_acknowledgement_cannot_be_sent(client: Client) -> None:
    boto3.client("ses").delete_identity(Identity=settings().mail_sender)
    response = post_json(client, "/v1/reports", report([upload(client, PNG)]))
    assert response.status_code == 201
    assert Repository().get_case(response.json_body["case_id"]) is not None


def test_an_upload_older_than_a_day_is_refused(client: Client) -> None:
    upload_id = upload(client, PNG)
    a_day_later = datetime.now(UTC) + timedelta(days=1, minutes=1)
    wiring.use(build(Intake, clock=lambda: a_day_later))
    response = post_json(client, "/v1/reports", report([upload_id]))
    assert response.status_code == 422
    assert response.json_body["errors"] == [
        {"field": "evidence[0]", "message": "has expired; upload the file again", "code": "invalid"}
    ]
