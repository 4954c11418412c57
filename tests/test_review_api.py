"""The reviewer's, claimant's and poster's routes over HTTP, with real staff tokens."""

from __future__ import annotations

import urllib.parse
from typing import Any

from chalice.test import Client

from chalicelib.adapters.repository import Repository
from tests.conftest import PNG, header, post_json, report, sign_in, upload
from tests.review_helpers import decision, enforcement_messages
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
    assert decided.json_body["enforcement_queued"] is True
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


def test_the_poster_reads_the_notice_with_its_token_only(client: Client, aws: LocalStack) -> None:
    case_id = submitted(client)["case_id"]
    post_json(client, f"/v1/cases/{case_id}/decisions", decision(1, BLOCK), bearer(aws))
    [message] = enforcement_messages()
    token = urllib.parse.parse_qs(urllib.parse.urlsplit(message["notice_url"]).query)["token"][0]
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
