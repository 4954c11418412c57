"""The reviewer's, claimant's and poster's routes over HTTP, with real staff tokens."""

from __future__ import annotations

import json
import urllib.parse
from typing import Any

from chalice.test import Client

from chalicelib.adapters.repository import Repository
from chalicelib.wiring import build
from tests.conftest import PNG, header, post_json, report, sign_in, upload
from tests.review_helpers import decision, enforcement_messages, stored_items
from tools.provision import LocalStack

BLOCK = {"type": "block_content", "days": 30}


def bearer(aws: LocalStack, role: str = "reviewer") -> dict[str, str]:
    return {"Authorization": f"Bearer {sign_in(aws, role)}"}


def submitted(client: Client) -> dict[str, Any]:
    response = post_json(client, "/v1/reports", report([upload(client, PNG)]))
    assert response.status_code == 201
    receipt: dict[str, Any] = response.json_body
    return receipt


def test_a_reviewer_reads_the_queue_and_the_case_and_decides(
    client: Client, aws: LocalStack
) -> None:
    receipt = submitted(client)
    case_id = receipt["case_id"]
    queue = client.http.get("/v1/cases?limit=5", headers=bearer(aws))
    assert queue.status_code == 200
    assert [c["case_id"] for c in queue.json_body["cases"]] == [case_id]

    found = client.http.get(f"/v1/cases/{case_id}", headers=bearer(aws))
    assert found.status_code == 200 and found.json_body["version"] == 1

    decided = post_json(client, f"/v1/cases/{case_id}/decisions", decision(1, BLOCK), bearer(aws))
    assert decided.status_code == 201, decided.body
    assert decided.json_body["status"] == "actioned"
    assert decided.json_body["enforcement_messages"] == 1
    assert {(e["kind"], e["state"]) for e in decided.json_body["effects"]} == {
        ("enforcement", "pending"),
        ("mail", "pending"),
    }
    events = Repository().case_events(case_id)
    subject = decided.json_body["decision"]["actor_id"].removeprefix("reviewer:")
    assert events[-1].actor_id == f"reviewer:{subject}" and events[-1].actor_role == "reviewer"

    stale = post_json(client, f"/v1/cases/{case_id}/decisions", decision(1, BLOCK), bearer(aws))
    assert stale.status_code == 409
    assert header(stale, "content-type") == "application/problem+json"

    status = client.http.get(
        f"/v1/reports/{case_id}", headers={"X-Receipt-Token": receipt["receipt_token"]}
    )
    [public] = status.json_body["decisions"]
    assert public["statement"]["decision_facts"].startswith("The post shows")
    assert "note" not in public


def test_a_bad_decision_is_a_422_naming_the_field(client: Client, aws: LocalStack) -> None:
    case_id = submitted(client)["case_id"]
    response = post_json(
        client,
        f"/v1/cases/{case_id}/decisions",
        decision(1, {"type": "block_content", "days": 45}),
        bearer(aws),
    )
    assert response.status_code == 422
    assert response.json_body["errors"][0]["field"] == "measures[0].days"
    missing = post_json(
        client, "/v1/cases/01JDX3F6Y2P4Q8R9S0T1V2W3XZ/decisions", decision(1, BLOCK), bearer(aws)
    )
    assert missing.status_code == 404


def test_the_poster_reads_the_notice_with_its_token_only_and_no_token_is_stored(
    client: Client, aws: LocalStack
) -> None:
    case_id = submitted(client)["case_id"]
    post_json(client, f"/v1/cases/{case_id}/decisions", decision(1, BLOCK), bearer(aws))
    pending = json.dumps(stored_items(case_id))  # before the relay sends the message
    [message] = enforcement_messages()
    token = urllib.parse.parse_qs(urllib.parse.urlsplit(message["notice_url"]).query)["token"][0]
    assert token not in pending and token not in json.dumps(stored_items(case_id))
    notice = client.http.get(f"/v1/notices/{case_id}", headers={"X-Notice-Token": token})
    assert notice.status_code == 200
    assert notice.json_body["reposting_request_possible"] is True
    assert notice.json_body["decisions"][0]["measures"][0]["type"] == "block_content"
    wrong = client.http.get(f"/v1/notices/{case_id}", headers={"X-Notice-Token": "guess"})
    assert wrong.status_code == 404


def test_the_claimant_answers_a_request_and_withdraws_over_http(
    client: Client, aws: LocalStack
) -> None:
    receipt = submitted(client)
    case_id, token = receipt["case_id"], receipt["receipt_token"]
    ask = {"type": "request_information", "message": "Send your ID card please.", "due_days": 7}
    post_json(client, f"/v1/cases/{case_id}/decisions", decision(1, ask), bearer(aws))

    answer = {
        "statement": "My ID card is attached as you asked.",
        "evidence": [upload(client, PNG)],
    }
    refused = post_json(
        client, f"/v1/reports/{case_id}/information", answer, {"X-Receipt-Token": "x"}
    )
    assert refused.status_code == 404
    answered = post_json(
        client, f"/v1/reports/{case_id}/information", answer, {"X-Receipt-Token": token}
    )
    assert answered.status_code == 200 and answered.json_body["status"] == "in_review"
    short = post_json(
        client,
        f"/v1/reports/{case_id}/information",
        {"statement": "short"},
        {"X-Receipt-Token": token},
    )
    assert short.status_code == 422

    withdrawn = client.http.post(
        f"/v1/reports/{case_id}/withdrawal", headers={"X-Receipt-Token": token}
    )
    assert withdrawn.status_code == 200 and withdrawn.json_body["status"] == "withdrawn"
    again = client.http.post(
        f"/v1/reports/{case_id}/withdrawal", headers={"X-Receipt-Token": token}
    )
    assert again.status_code == 409
    assert "allowed only in" in again.json_body["detail"]


def notice_token_of(message: dict[str, Any]) -> str:
    query = urllib.parse.urlsplit(str(message["notice_url"])).query
    return urllib.parse.parse_qs(query)["token"][0]


def test_the_poster_requests_reposting_and_a_reviewer_reinstates_over_http(
    client: Client, aws: LocalStack
) -> None:
    case_id = submitted(client)["case_id"]
    post_json(client, f"/v1/cases/{case_id}/decisions", decision(1, BLOCK), bearer(aws))
    token = notice_token_of(enforcement_messages()[0])
    body = {"statement": "This is my own photo; I hold the rights to it.", "evidence": []}
    refused = post_json(
        client, f"/v1/notices/{case_id}/reposting-requests", body, {"X-Notice-Token": "guess"}
    )
    assert refused.status_code == 404
    requested = post_json(
        client, f"/v1/notices/{case_id}/reposting-requests", body, {"X-Notice-Token": token}
    )
    assert requested.status_code == 201 and requested.json_body["status"] == "reposting_requested"
    twice = post_json(
        client, f"/v1/notices/{case_id}/reposting-requests", body, {"X-Notice-Token": token}
    )
    assert twice.status_code == 409

    reinstate = {
        "expected_version": 3,
        "outcome": "reinstate",
        "reasons": {"facts": "The poster holds the rights to the photo."},
    }
    anonymous = post_json(client, f"/v1/cases/{case_id}/reposting-decision", reinstate)
    assert anonymous.status_code == 401
    decided = post_json(client, f"/v1/cases/{case_id}/reposting-decision", reinstate, bearer(aws))
    assert decided.status_code == 201, decided.body
    assert decided.json_body["status"] == "reinstated"


def test_the_restricted_user_appeals_and_a_reviewer_upholds_over_http(
    client: Client, aws: LocalStack
) -> None:
    case_id = submitted(client)["case_id"]
    restrict = {"type": "restrict_user", "service": "open_chat", "days": 30}
    post_json(client, f"/v1/cases/{case_id}/decisions", decision(1, restrict), bearer(aws))
    token = notice_token_of(enforcement_messages()[0])
    notice = client.http.get(f"/v1/notices/{case_id}", headers={"X-Notice-Token": token})
    [measure_id] = notice.json_body["appealable_measures"]
    appeal = {"measure_id": measure_id, "statement": "I did not post this; my account was shared."}
    filed = post_json(client, f"/v1/notices/{case_id}/appeals", appeal, {"X-Notice-Token": token})
    assert filed.status_code == 201 and filed.json_body["appealable_measures"] == []
    bad = post_json(
        client,
        f"/v1/notices/{case_id}/appeals",
        {"measure_id": measure_id},
        {"X-Notice-Token": token},
    )
    assert bad.status_code == 422 and bad.json_body["errors"][0]["field"] == "statement"
    uphold = {
        "expected_version": 3,
        "measure_id": measure_id,
        "outcome": "uphold",
        "reasons": {"facts": "The account's owner is responsible for its posts."},
    }
    decided = post_json(client, f"/v1/cases/{case_id}/appeal-decisions", uphold, bearer(aws))
    assert decided.status_code == 201 and decided.json_body["actions"] == ["appeal_upheld"]
    [told] = enforcement_messages()
    assert told["kind"] == "notify" and told["measure"] == "appeal_upheld"


def test_the_scheduled_function_applies_what_is_due(client: Client, aws: LocalStack) -> None:
    from datetime import UTC, datetime, timedelta

    from chalicelib import wiring
    from chalicelib.services.timers import Timers

    case_id = submitted(client)["case_id"]
    post_json(
        client,
        f"/v1/cases/{case_id}/decisions",
        decision(1, {"type": "block_content", "days": 1}),
        bearer(aws),
    )
    wiring.use(build(Timers, clock=lambda: datetime.now(UTC) + timedelta(days=2)))
    result = client.lambda_.invoke(
        "run_timers",
        client.events.generate_cw_event(
            source="aws.events", detail_type="Scheduled Event", detail={}, resources=[]
        ),
    )
    assert result.payload == {"due": 1, "changed": 1, "skipped": 0, "events": 1}
    case = Repository().get_case(case_id)
    assert case is not None and case.status == "closed"
