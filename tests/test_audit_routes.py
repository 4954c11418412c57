"""Auditors query the trail by case, by actor and by time, and verify a case's trail."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
from chalice.test import Client

from chalicelib import wiring
from chalicelib.adapters.repository import Repository
from chalicelib.config import settings
from chalicelib.domain.lifecycle import Actor
from chalicelib.services.checkpoints import Checkpoints
from chalicelib.services.intake import Intake
from chalicelib.services.review import Review
from tests.conftest import sign_in
from tests.review_helpers import decision, open_case
from tools.provision import LocalStack

START = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def auditor(aws: LocalStack) -> dict[str, str]:
    return {"Authorization": f"Bearer {sign_in(aws, 'auditor')}"}


def at(moment: datetime) -> Callable[[], datetime]:
    return lambda: moment


def cases_over_two_days(count: int) -> list[str]:
    opened = []
    for n in range(count):
        opened.append(open_case(Intake(clock=at(START + timedelta(hours=10 * n))))[0])
    return opened


def test_events_by_case_by_actor_and_by_time_in_a_stable_order(
    client: Client, aws: LocalStack
) -> None:
    opened = cases_over_two_days(5)
    review = Review(clock=lambda: START + timedelta(days=3))
    review.decide(
        opened[0], decision(1, {"type": "delete_content"}), Actor("reviewer:r1", "reviewer"), ""
    )

    by_case = client.http.get(f"/v1/audit/events?case_id={opened[0]}", headers=auditor(aws))
    assert by_case.status_code == 200
    assert [e["action"] for e in by_case.json_body["events"]] == ["received", "delete_content"]

    by_actor = client.http.get("/v1/audit/events?actor=reviewer:r1", headers=auditor(aws))
    assert [e["case_id"] for e in by_actor.json_body["events"]] == [opened[0]]

    seen: list[str] = []
    cursor = ""
    pages = 0
    while True:
        response = client.http.get(
            f"/v1/audit/events?from=2026-11-20T00:00:00.000Z&to=2026-11-22T00:00:00.000Z&limit=2{cursor}",
            headers=auditor(aws),
        )
        assert response.status_code == 200, response.body
        pages += 1
        seen += [e["case_id"] for e in response.json_body["events"]]
        if not response.json_body["next_cursor"]:
            break
        cursor = f"&cursor={response.json_body['next_cursor']}"
        assert pages < 10
    assert seen == opened[:4]  # the fifth was received after the range ends


def test_an_audit_query_needs_a_fitting_index(client: Client, aws: LocalStack) -> None:
    response = client.http.get("/v1/audit/events?action=received", headers=auditor(aws))
    assert response.status_code == 422
    too_long = client.http.get(
        "/v1/audit/events?from=2026-01-01T00:00:00Z&to=2026-06-01T00:00:00Z", headers=auditor(aws)
    )
    assert too_long.status_code == 422
    reviewer = {"Authorization": f"Bearer {sign_in(aws, 'reviewer')}"}
    assert client.http.get("/v1/audit/events?case_id=x", headers=reviewer).status_code == 403


def test_verification_finds_a_changed_event_even_after_sealing(
    client: Client, aws: LocalStack
) -> None:
    [case_id] = cases_over_two_days(1)
    Review(clock=lambda: START + timedelta(hours=1)).decide(
        case_id, decision(1, {"type": "delete_content"}), Actor("reviewer:r1", "reviewer"), ""
    )
    wiring.use(
        Checkpoints(clock=lambda: START + timedelta(hours=2), origin="2026-11-19T00:00:00.000Z")
    )
    assert wiring.checkpoints().seal() is not None

    fine = client.http.get(f"/v1/audit/verify?case_id={case_id}", headers=auditor(aws)).json_body
    assert (
        fine["verified"] is True
        and fine["sealed_events"] == 2
        and fine["checkpoints_checked"] == [1]
    )

    table = boto3.client("dynamodb")
    key = {"pk": {"S": f"CASE#{case_id}"}, "sk": {"S": "EVENT#0000000002"}}
    item: dict[str, Any] = table.get_item(TableName=settings().audit_table, Key=key)["Item"]
    item["actor_id"] = {"S": "reviewer:someone-else"}
    table.put_item(TableName=settings().audit_table, Item=item)
    tampered = client.http.get(
        f"/v1/audit/verify?case_id={case_id}", headers=auditor(aws)
    ).json_body
    assert tampered["verified"] is False
    assert tampered["first_bad_event"] == Repository().case_events(case_id)[1].event_id
