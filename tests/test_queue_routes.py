"""The work queues, their counts and claims over HTTP, with two reviewers' real staff tokens."""

from __future__ import annotations

from typing import Any

from chalice.test import Client

from tests.conftest import PNG, header, post_json, report, sign_in, sign_in_member, upload
from tests.review_helpers import decision
from tools.provision import LocalStack

RESTRICT = {"type": "restrict_user", "service": "kakaotalk", "days": 30}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def submitted(client: Client) -> str:
    response = post_json(client, "/v1/reports", report([upload(client, PNG)]))
    assert response.status_code == 201
    return str(response.json_body["case_id"])


def test_the_counts_route_counts_each_work_queue(client: Client, aws: LocalStack) -> None:
    alice = bearer(sign_in(aws, "reviewer"))
    submitted(client)
    submitted(client)
    answer = client.http.get("/v1/cases/counts", headers=alice)
    assert answer.status_code == 200, answer.body
    assert answer.json_body == {
        "queues": [
            {"queue": "received", "count": 2, "overdue": 0, "at_least": False},
            {"queue": "in_review", "count": 0, "overdue": 0, "at_least": False},
            {"queue": "information_requested", "count": 0, "overdue": 0, "at_least": False},
            {"queue": "reposting_requested", "count": 0, "overdue": 0, "at_least": False},
            {"queue": "appeals", "count": 0, "overdue": 0, "at_least": False},
        ]
    }
    filtered = client.http.get("/v1/cases/counts?surface=open_profile", headers=alice)
    assert filtered.status_code == 200, filtered.body
    assert filtered.json_body["queues"][0]["count"] == 0
    wrong = client.http.get("/v1/cases/counts?queue=received", headers=alice)
    assert wrong.status_code == 422
    assert header(wrong, "content-type") == "application/problem+json"
    listed = client.http.get("/v1/cases?queue=received", headers=alice)
    assert listed.status_code == 200 and len(listed.json_body["cases"]) == 2
    [first, _] = listed.json_body["cases"]
    assert first["queue"] == "received" and first["decide_by"] and first["claim"] is None


def test_two_reviewers_claim_a_case_and_the_second_is_told_who_holds_it(
    client: Client, aws: LocalStack
) -> None:
    alice = bearer(sign_in(aws, "reviewer"))
    bob = bearer(sign_in_member(aws, "second-reviewer", ["reviewers"]))
    case_id = submitted(client)

    claimed = client.http.post(f"/v1/cases/{case_id}/claim", headers=alice)
    assert claimed.status_code == 200, claimed.body
    claim: dict[str, Any] = claimed.json_body["claim"]
    assert claimed.json_body["case_id"] == case_id and claim["by_name"]

    refused = client.http.post(f"/v1/cases/{case_id}/claim", headers=bob)
    assert refused.status_code == 409
    assert header(refused, "content-type") == "application/problem+json"
    assert refused.json_body["type"] == "/problems/case-claimed"
    assert refused.json_body["claimed_by"] == claim["by"]
    assert refused.json_body["claimed_by_name"] == claim["by_name"]
    assert refused.json_body["claimed_until"] == claim["until"]

    found = client.http.get(f"/v1/cases/{case_id}", headers=bob)
    assert found.json_body["case"]["claim"] == claim and found.json_body["version"] == 1
    decided = post_json(client, f"/v1/cases/{case_id}/decisions", decision(1, RESTRICT), bob)
    assert decided.status_code == 409 and decided.json_body["type"] == "/problems/case-claimed"
    not_theirs = client.http.delete(f"/v1/cases/{case_id}/claim", headers=bob)
    assert not_theirs.status_code == 409

    released = client.http.delete(f"/v1/cases/{case_id}/claim", headers=alice)
    assert released.status_code == 200
    assert released.json_body == {"case_id": case_id, "claim": None}
    taken = client.http.post(f"/v1/cases/{case_id}/claim", headers=bob)
    assert taken.status_code == 200 and taken.json_body["claim"]["by"] != claim["by"]
    decided = post_json(client, f"/v1/cases/{case_id}/decisions", decision(1, RESTRICT), bob)
    assert decided.status_code == 201, decided.body
    after = client.http.get(f"/v1/cases/{case_id}", headers=alice)
    assert after.json_body["case"]["claim"] is None

    missing = client.http.post("/v1/cases/01JDX3F6Y2P4Q8R9S0T1V2W3XZ/claim", headers=alice)
    assert missing.status_code == 404
