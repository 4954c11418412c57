"""The case page's extras over HTTP: related cases, internal notes, staff names, staff sign-out."""

from __future__ import annotations

import hashlib
import json
import logging
import urllib.parse
import uuid
from typing import Any

import boto3
import pytest
from chalice.test import Client
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from chalicelib.adapters.aws import client as aws_client
from chalicelib.adapters.staff_pool import directory
from chalicelib.config import settings
from tests.conftest import (
    PNG,
    deliver_effects,
    header,
    post_json,
    report,
    sign_in,
    sign_in_member,
    upload,
)
from tests.review_helpers import decision, enforcement_messages
from tests.test_signout import ISSUE_BOUND_SECONDS, Clock, gateway_ttl
from tools.provision import LocalStack

BLOCK = {"type": "block_content", "days": 30}
ADDRESS = "https://open.kakao.com/o/gSAME"
# The same address as a claimant may type it: scheme and host in capitals, the default port,
# a trailing slash and a fragment.
SAME_ADDRESS = "HTTPS://Open.Kakao.com:443/o/gSAME/#announcement"
OTHER_ADDRESS = "https://open.kakao.com/o/gOTHER"
NOTE = "Same poster as last week's case; check the earlier screenshots before deciding."


def bearer(aws: LocalStack, role: str = "reviewer") -> dict[str, str]:
    return {"Authorization": f"Bearer {sign_in(aws, role)}"}


def png(marker: bytes) -> bytes:
    """Return a PNG file of its own content (the marker trails the image's end)."""
    return PNG + marker


def file_report(client: Client, url: str, content: bytes, surface: str = "open_chat_board") -> str:
    """File a report of `url` with one evidence file of `content`; return its case id."""
    target = {"surface": surface, "url": url}
    response = post_json(client, "/v1/reports", report([upload(client, content)], target=target))
    assert response.status_code == 201, response.body
    return str(response.json_body["case_id"])


def case_file(client: Client, aws: LocalStack, case_id: str) -> dict[str, Any]:
    response = client.http.get(f"/v1/cases/{case_id}", headers=bearer(aws))
    assert response.status_code == 200, response.body
    found: dict[str, Any] = response.json_body
    return found


def related(client: Client, aws: LocalStack, case_id: str) -> dict[str, dict[str, Any]]:
    return {r["case_id"]: r for r in case_file(client, aws, case_id)["related"]}


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def relation_items(case_id: str) -> list[dict[str, Any]]:
    """Return every item that relates `case_id` to another case, read from the table itself."""
    table = boto3.resource("dynamodb").Table(settings().cases_table)
    found: list[dict[str, Any]] = []
    for content in (PNG, png(b"one"), png(b"two")):
        answer = table.query(
            KeyConditionExpression="pk = :pk AND sk = :sk",
            ExpressionAttributeValues={
                ":pk": f"RELATED#sha256#{sha256(content)}",
                ":sk": f"CASE#{case_id}",
            },
        )
        found += answer["Items"]
    digest = hashlib.sha256(ADDRESS.encode()).hexdigest()
    answer = table.query(
        KeyConditionExpression="pk = :pk AND sk = :sk",
        ExpressionAttributeValues={":pk": f"RELATED#url#{digest}", ":sk": f"CASE#{case_id}"},
    )
    found += answer["Items"]
    return found


def partition(case_id: str) -> list[dict[str, Any]]:
    table = boto3.resource("dynamodb").Table(settings().cases_table)
    items: list[dict[str, Any]] = table.query(
        KeyConditionExpression="pk = :pk", ExpressionAttributeValues={":pk": f"CASE#{case_id}"}
    )["Items"]
    return items


def add_note(
    client: Client, aws: LocalStack, case_id: str, text: str = NOTE, key: str | None = None
) -> Any:
    headers = bearer(aws)
    if key:
        headers["Idempotency-Key"] = key
    return post_json(client, f"/v1/cases/{case_id}/notes", {"text": text}, headers)


# Related cases.


def test_reports_of_the_same_address_or_the_same_file_find_each_other_and_no_other(
    client: Client, aws: LocalStack
) -> None:
    first = file_report(client, ADDRESS, PNG)
    second = file_report(client, SAME_ADDRESS, png(b"one"))
    shares_the_file = file_report(client, OTHER_ADDRESS, PNG)
    unrelated = file_report(client, "https://open.kakao.com/o/gELSE", png(b"two"))

    found = case_file(client, aws, first)["related"]
    # Newest first, the case itself left out.
    assert [r["case_id"] for r in found] == [shares_the_file, second]
    assert found[0]["same"] == ["evidence"] and found[0]["sha256"] == [sha256(PNG)]
    assert found[1]["same"] == ["target_url"] and found[1]["sha256"] == []
    assert {found[1]["status"], found[1]["surface"]} == {"received", "open_chat_board"}
    assert found[1]["received_at"] <= found[0]["received_at"]
    assert list(related(client, aws, second)) == [first]
    assert list(related(client, aws, shares_the_file)) == [first]
    assert related(client, aws, unrelated) == {}


def test_an_address_the_standard_library_cannot_split_is_related_as_written(
    client: Client, aws: LocalStack
) -> None:
    # Both pass the form's check of a web address; urlsplit refuses them ("Invalid IPv6 URL").
    # A Talk Board post may be on any host (Open Chat's must be on open.kakao.com).
    first = file_report(client, "http://[open.kakao.com/o/room", png(b"bracket one"), "talk_board")
    second = file_report(client, "http://[open.kakao.com/o/room", png(b"bracket two"), "talk_board")
    other = file_report(
        client, "http://open.kakao.com]/o/room", png(b"bracket three"), "talk_board"
    )

    assert set(related(client, aws, first)) == {second}
    assert related(client, aws, other) == {}


def test_a_related_case_shows_its_current_status(client: Client, aws: LocalStack) -> None:
    first = file_report(client, ADDRESS, PNG)
    second = file_report(client, ADDRESS, png(b"one"))
    post_json(client, f"/v1/cases/{second}/decisions", decision(1, BLOCK), bearer(aws))

    assert related(client, aws, first)[second]["status"] == "actioned"


def test_a_file_sent_with_an_answer_relates_the_case_to_the_cases_holding_it(
    client: Client, aws: LocalStack
) -> None:
    holder = file_report(client, ADDRESS, png(b"two"))
    response = post_json(
        client,
        "/v1/reports",
        report(
            [upload(client, png(b"one"))],
            target={"surface": "open_chat_cover", "url": OTHER_ADDRESS},
        ),
    )
    asked, token = response.json_body["case_id"], response.json_body["receipt_token"]
    assert related(client, aws, asked) == {}
    ask = {"type": "request_information", "message": "Send the original file.", "due_days": 7}
    post_json(client, f"/v1/cases/{asked}/decisions", decision(1, ask), bearer(aws))

    answer = {
        "statement": "The original file is attached.",
        "evidence": [upload(client, png(b"two"))],
    }
    answered = post_json(
        client, f"/v1/reports/{asked}/information", answer, {"X-Receipt-Token": token}
    )
    assert answered.status_code == 200, answered.body

    assert related(client, aws, asked)[holder]["sha256"] == [sha256(png(b"two"))]
    assert related(client, aws, holder)[asked]["same"] == ["evidence"]


def test_the_case_file_is_read_in_a_bounded_number_of_calls(
    client: Client, aws: LocalStack
) -> None:
    case_id = file_report(client, ADDRESS, PNG)
    for marker in (b"a", b"b", b"c"):
        file_report(client, ADDRESS, png(marker))
    calls: list[str] = []
    aws_client("dynamodb").meta.events.register(
        "before-call", lambda model, **_: calls.append(model.name)
    )

    assert len(case_file(client, aws, case_id)["related"]) == 3

    # The case's partition, its trail, one Query per relation (the address and the one file's
    # hash), the claimant's unfounded notices and suspension (the report names no account, so no
    # strikes are read), and one BatchGetItem of the related cases' status.
    assert sorted(calls) == ["BatchGetItem", "Query", "Query", "Query", "Query", "Query"]


# Internal notes.


def test_a_note_is_written_read_back_in_the_case_file_and_replayed_by_its_key(
    client: Client, aws: LocalStack, caplog: pytest.LogCaptureFixture
) -> None:
    case_id = file_report(client, ADDRESS, PNG)
    key = str(uuid.uuid4())
    caplog.set_level(logging.INFO)

    written = add_note(client, aws, case_id, key=key)
    assert written.status_code == 201, written.body
    note = written.json_body
    assert note["case_id"] == case_id and note["text"] == NOTE
    assert note["author_name"] == "demo-reviewer" and note["author"]
    again = add_note(client, aws, case_id, key=key)
    assert again.status_code == 201 and again.json_body == note
    assert header(again, "idempotent-replayed") == "true"
    other = add_note(client, aws, case_id, "Another note altogether.", key=key)
    assert other.status_code == 422
    later = add_note(client, aws, case_id, "A second note, written later.")

    notes = case_file(client, aws, case_id)["notes"]
    assert [n["note_id"] for n in notes] == [note["note_id"], later.json_body["note_id"]]
    # A note is not a decision: the trail and the version do not move.
    assert case_file(client, aws, case_id)["version"] == 1
    assert [e["action"] for e in case_file(client, aws, case_id)["history"]] == ["received"]
    # The log names the case and the note, never what the note says.
    [logged] = [r for r in caplog.records if r.getMessage() == "note added"][:1]
    assert (getattr(logged, "case_id", None), getattr(logged, "note_id", None)) == (
        case_id,
        note["note_id"],
    )
    assert "Same poster" not in caplog.text and "second note" not in caplog.text


@pytest.mark.parametrize(
    ("body", "field"),
    [({"text": ""}, "text"), ({"text": "x" * 2001}, "text"), ({"words": "x"}, "words")],
    ids=["empty", "too long", "unknown field"],
)
def test_a_bad_note_is_a_422_naming_the_field(
    client: Client, aws: LocalStack, body: dict[str, Any], field: str
) -> None:
    case_id = file_report(client, ADDRESS, PNG)
    response = post_json(client, f"/v1/cases/{case_id}/notes", body, bearer(aws))
    assert response.status_code == 422, response.body
    assert field in [e["field"] for e in response.json_body["errors"]]
    missing = post_json(
        client, "/v1/cases/01JDX3F6Y2P4Q8R9S0T1V2W3XZ/notes", {"text": "x"}, bearer(aws)
    )
    assert missing.status_code == 404


def test_a_case_takes_at_most_two_hundred_notes(client: Client, aws: LocalStack) -> None:
    case_id = file_report(client, ADDRESS, PNG)
    assert add_note(client, aws, case_id).status_code == 201
    # As if 198 more had been written since.
    boto3.client("dynamodb").update_item(
        TableName=settings().cases_table,
        Key={"pk": {"S": f"CASE#{case_id}"}, "sk": {"S": "NOTES"}},
        UpdateExpression="SET taken = :taken",
        ExpressionAttributeValues={":taken": {"N": "199"}},
    )

    assert add_note(client, aws, case_id, "The two hundredth note.").status_code == 201
    full = add_note(client, aws, case_id, "One too many.")
    assert full.status_code == 409
    assert header(full, "content-type") == "application/problem+json"
    assert full.json_body["errors"][0]["code"] == "too_many_notes"


def test_neither_the_claimant_nor_the_poster_nor_any_mail_sees_a_note(
    client: Client, aws: LocalStack
) -> None:
    response = post_json(client, "/v1/reports", report([upload(client, PNG)]))
    case_id, receipt = response.json_body["case_id"], response.json_body["receipt_token"]
    assert add_note(client, aws, case_id).status_code == 201
    post_json(client, f"/v1/cases/{case_id}/decisions", decision(1, BLOCK), bearer(aws))
    assert add_note(client, aws, case_id, f"After the block: {NOTE}").status_code == 201
    [message] = enforcement_messages()
    deliver_effects()
    token = urllib.parse.parse_qs(urllib.parse.urlsplit(message["notice_url"]).query)["token"][0]

    status = client.http.get(f"/v1/reports/{case_id}", headers={"X-Receipt-Token": receipt})
    notice = client.http.get(f"/v1/notices/{case_id}", headers={"X-Notice-Token": token})
    page = client.http.get(f"/status?case_id={case_id}", headers={"X-Receipt-Token": receipt})
    mails = ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sent_messages
    assert status.status_code == 200 and notice.status_code == 200 and mails
    seen = [status.body.decode(), notice.body.decode(), page.body.decode(), json.dumps(message)]
    seen += [f"{m.subject} {m.body}" for m in mails]
    assert [text for text in seen if "Same poster" in text] == []


def test_erasure_deletes_the_cases_relations_and_notes(client: Client, aws: LocalStack) -> None:
    first = file_report(client, ADDRESS, PNG)
    erased = file_report(client, ADDRESS, png(b"one"))
    reject = {"type": "reject", "reason": "duplicate"}
    rejected = post_json(client, f"/v1/cases/{erased}/decisions", decision(1, reject), bearer(aws))
    assert rejected.status_code == 201, rejected.body
    for n in range(3):
        assert add_note(client, aws, erased, f"Note {n}.").status_code == 201
    assert len(relation_items(erased)) == 2 and len(case_file(client, aws, erased)["notes"]) == 3

    done = client.http.post(f"/v1/admin/cases/{erased}/erasure", headers=bearer(aws, "admin"))
    assert done.status_code == 201, done.body

    assert relation_items(erased) == []
    assert [i["sk"] for i in partition(erased) if i["sk"].startswith("NOTE")] == []
    assert case_file(client, aws, erased)["notes"] == []
    assert related(client, aws, first) == {}
    refused = add_note(client, aws, erased, "A note after the erasure.")
    assert refused.status_code == 409


# Staff names and sign-out.


def test_the_staff_list_names_each_user_with_their_groups_to_every_staff_group(
    client: Client, aws: LocalStack
) -> None:
    sign_in_member(aws, "reviewing-auditor", ["reviewers", "auditors"])
    for role in ("reviewer", "auditor", "admin"):
        response = client.http.get("/v1/staff", headers=bearer(aws, role))
        assert response.status_code == 200, response.body
        listed = {s["username"]: s for s in response.json_body["staff"]}
        assert {name: s["groups"] for name, s in listed.items()} == {
            "demo-reviewer": ["reviewers"],
            "demo-auditor": ["auditors"],
            "demo-admin": ["admins"],
            "reviewing-auditor": ["auditors", "reviewers"],
        }
        assert all(s["enabled"] is True and s["subject"] for s in listed.values())
    assert client.http.get("/v1/staff").status_code == 401


def test_the_staff_list_is_kept_for_a_minute(
    client: Client, aws: LocalStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chalicelib import wiring

    ticking = Clock()
    monkeypatch.setattr(wiring.roster(), "clock", ticking)
    headers = bearer(aws, "admin")
    assert len(client.http.get("/v1/staff", headers=headers).json_body["staff"]) == 3
    sign_in_member(aws, "new-reviewer", ["reviewers"])

    ticking.advance(59)
    assert len(client.http.get("/v1/staff", headers=headers).json_body["staff"]) == 3
    ticking.advance(1)
    assert len(client.http.get("/v1/staff", headers=headers).json_body["staff"]) == 4


def test_an_admin_signs_a_reviewer_out_and_the_reviewers_token_is_refused_within_a_minute(
    client: Client, aws: LocalStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    ticking = Clock()
    monkeypatch.setattr(directory(), "clock", ticking)
    reviewer = bearer(aws, "reviewer")
    admin = bearer(aws, "admin")
    assert client.http.get("/v1/cases", headers=reviewer).status_code == 200

    done = client.http.post("/v1/admin/staff/demo-reviewer/sign-out", headers=admin)
    assert done.status_code == 200, done.body
    assert done.json_body["username"] == "demo-reviewer" and done.json_body["signed_out_at"]
    again = client.http.post("/v1/admin/staff/demo-reviewer/sign-out", headers=admin)
    assert again.status_code == 200  # naturally idempotent

    ticking.advance(ISSUE_BOUND_SECONDS - gateway_ttl())
    assert client.http.get("/v1/cases", headers=reviewer).status_code == 401
    assert client.http.get("/v1/staff", headers=admin).status_code == 200


def test_only_an_admin_signs_staff_out_and_an_unknown_username_is_a_404(
    client: Client, aws: LocalStack
) -> None:
    path = "/v1/admin/staff/demo-admin/sign-out"
    assert client.http.post(path, headers=bearer(aws, "reviewer")).status_code == 403
    assert client.http.post(path, headers=bearer(aws, "auditor")).status_code == 403
    for unknown in ("nobody-here", "not%20a%20name"):
        missing = client.http.post(
            f"/v1/admin/staff/{unknown}/sign-out", headers=bearer(aws, "admin")
        )
        assert missing.status_code == 404, missing.body
        assert header(missing, "content-type") == "application/problem+json"
