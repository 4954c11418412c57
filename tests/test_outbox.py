"""The outbox: effects commit with their change, leave after it, are retried, parked and replayed;
every state-changing route can be retried with its Idempotency-Key."""

from __future__ import annotations

import json
import urllib.parse
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from chalice.test import Client
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from chalicelib.adapters import keys
from chalicelib.adapters.outbox_store import OutboxStore
from chalicelib.adapters.repository import Repository
from chalicelib.config import settings
from chalicelib.domain.clock import iso
from chalicelib.domain.outbox import LEASE, MAX_ATTEMPTS
from chalicelib.services.outbox import Relay
from chalicelib.wiring import build
from tests.conftest import PNG, deliver_effects, post_json, put_staged, report, sign_in, upload
from tests.review_helpers import decision, enforcement_messages, stored_items
from tools.provision import LocalStack

BLOCK = {"type": "block_content", "days": 30}
RESTRICT = {"type": "restrict_user", "service": "open_chat", "days": 14}
STATEMENT = "The post is my own and says nothing untrue; I ask to re-post it."


def at(minutes: float) -> Callable[[], datetime]:
    moment = datetime.now(UTC) + timedelta(minutes=minutes)
    return lambda: moment


def staff(aws: LocalStack, role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {sign_in(aws, role)}"}


def submitted(client: Client) -> dict[str, Any]:
    response = post_json(client, "/v1/reports", report([upload(client, PNG)]))
    assert response.status_code == 201
    receipt: dict[str, Any] = response.json_body
    return receipt


def mails() -> list[Any]:
    return list(ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sent_messages)


def test_a_decision_commits_its_effects_and_they_leave_after_it(
    client: Client, aws: LocalStack
) -> None:
    case_id = submitted(client)["case_id"]
    deliver_effects()
    decided = post_json(
        client,
        f"/v1/cases/{case_id}/decisions",
        decision(1, BLOCK, RESTRICT),
        staff(aws, "reviewer"),
    )
    assert decided.status_code == 201
    assert sorted(e["kind"] for e in decided.json_body["effects"]) == [
        "enforcement",
        "enforcement",
        "mail",
    ]
    assert all(e["state"] == "pending" for e in decided.json_body["effects"])
    before = client.http.get(f"/v1/cases/{case_id}", headers=staff(aws, "reviewer"))
    assert {e["state"] for e in before.json_body["effects"]} >= {"pending"}

    messages = enforcement_messages()  # the relay runs on the stream
    assert [m["measure"] for m in messages] == ["block_content", "restrict_user"]
    after = client.http.get(f"/v1/cases/{case_id}", headers=staff(aws, "reviewer"))
    assert {e["state"] for e in after.json_body["effects"]} == {"delivered"}


def test_the_sweeper_delivers_what_the_stream_did_not(client: Client, aws: LocalStack) -> None:
    case_id = submitted(client)["case_id"]
    post_json(client, f"/v1/cases/{case_id}/decisions", decision(1, BLOCK), staff(aws, "reviewer"))
    queue = settings().enforcement_queue_url
    assert build(Relay, clock=at(0)).sweep().delivered == 0  # not yet: the stream has a minute
    assert (
        build(Relay, clock=at(1.5)).sweep().delivered == 6
    )  # copy, acknowledgement, message, mail, and the report's and the decision's tallies
    [message] = boto3.client("sqs").receive_message(QueueUrl=queue).get("Messages", [])
    assert json.loads(message["Body"])["case_id"] == case_id
    assert (
        deliver_effects() > 0 and build(Relay, clock=at(3)).sweep().delivered == 0
    )  # nothing twice


def test_a_delivered_effect_forgets_its_payload(client: Client) -> None:
    case_id = submitted(client)["case_id"]
    assert "minji@example.com" in json.dumps(
        [i for i in stored_items(case_id) if i["sk"]["S"].startswith("OUTBOX#")]
    )
    deliver_effects()
    outbox = [i for i in stored_items(case_id) if i["sk"]["S"].startswith("OUTBOX#")]
    assert outbox and all("payload" not in i and "outbox_pk" not in i for i in outbox)


def test_an_effect_that_keeps_failing_is_parked_shown_and_replayed(
    client: Client, aws: LocalStack
) -> None:
    ses = boto3.client("ses")
    ses.delete_identity(Identity=settings().mail_sender)  # every mail is refused
    case_id = submitted(client)["case_id"]
    runs = [build(Relay, clock=at(0)).deliver([])]
    deliver_effects()
    minutes = 0.0
    for _ in range(MAX_ATTEMPTS + 2):
        minutes += 61  # past the longest wait between tries
        runs.append(build(Relay, clock=at(minutes)).sweep())
    assert sum(r.parked for r in runs) == 1 and sum(r.delivered for r in runs) == 0
    admin = staff(aws, "admin")
    [parked] = client.http.get("/v1/admin/effects", headers=admin).json_body["effects"]
    assert parked["case_id"] == case_id and parked["kind"] == "mail"
    assert parked["state"] == "parked" and parked["attempts"] == MAX_ATTEMPTS
    assert parked["last_error"] == "MessageRejected" and "payload" not in parked
    reviewer = client.http.get("/v1/admin/effects", headers=staff(aws, "reviewer"))
    assert reviewer.status_code == 403

    ses.verify_email_identity(EmailAddress=settings().mail_sender)  # the cause is mended
    path = f"/v1/admin/effects/{case_id}/{parked['effect_id']}/replay"
    replayed = client.http.post(path, headers=admin)
    assert replayed.status_code == 200 and replayed.json_body["state"] == "pending"
    assert client.http.post(path, headers=admin).status_code == 409  # not parked any more
    assert build(Relay, clock=at(minutes + 1)).sweep().delivered == 1
    assert [m.destinations["ToAddresses"] for m in mails()] == [["minji@example.com"]]
    assert client.http.get("/v1/admin/effects", headers=admin).json_body["effects"] == []


def test_the_sweeper_counts_parked_effects_for_the_alarm(
    client: Client, capsys: pytest.CaptureFixture[str]
) -> None:
    build(Relay, clock=at(0)).sweep()
    metric = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert metric["ParkedEffects"] == 0
    assert metric["_aws"]["CloudWatchMetrics"][0]["Metrics"][0]["Name"] == "ParkedEffects"


def test_an_effect_in_another_relays_hands_is_left_to_it_until_its_lease_ends(
    client: Client,
) -> None:
    case_id = submitted(client)["case_id"]
    [mail] = [
        (case_id, i["effect_id"]["S"])
        for i in stored_items(case_id)
        if i["sk"]["S"].startswith("OUTBOX#") and i["kind"]["S"] == "mail"
    ]
    now = datetime.now(UTC)
    # Another relay took it a moment ago (the stream handler, say) and is sending it now.
    taken = OutboxStore().claim_effect(*mail, iso(now), iso(now + LEASE))
    assert taken is not None
    assert build(Relay, clock=at(0)).deliver([mail]).skipped == 1
    # The copy and the tally; the mail is still leased.
    assert build(Relay, clock=at(1.5)).sweep().delivered == 2
    assert mails() == []
    # That relay died before it was done: once the lease has run out, the sweeper sends it.
    assert build(Relay, clock=at(LEASE.total_seconds() / 60 + 1)).sweep().delivered == 1
    assert len(mails()) == 1
    assert build(Relay, clock=at(30)).sweep().delivered == 0


def test_nothing_enters_the_locked_bucket_before_its_case_commits(client: Client) -> None:
    upload_id = upload(client, PNG)
    first = post_json(client, "/v1/reports", report([upload_id]))
    refused = post_json(client, "/v1/reports", report([upload_id]))  # the upload is taken
    assert first.status_code == 201 and refused.status_code == 409
    evidence = boto3.client("s3").list_object_versions(Bucket=settings().evidence_bucket)
    assert evidence.get("Versions", []) == []  # not even the committed case's, yet
    deliver_effects()
    deliver_effects()
    versions = boto3.client("s3").list_object_versions(Bucket=settings().evidence_bucket)
    assert [v["Key"] for v in versions["Versions"]] == [
        f"cases/{first.json_body['case_id']}/{upload_id}"
    ]


def test_erasure_marks_every_version_of_a_cases_files(client: Client, aws: LocalStack) -> None:
    receipt = submitted(client)
    case_id = receipt["case_id"]
    deliver_effects()
    s3 = boto3.client("s3")
    [key] = [
        v["Key"] for v in s3.list_object_versions(Bucket=settings().evidence_bucket)["Versions"]
    ]
    s3.put_object(
        Bucket=settings().evidence_bucket,
        Key=key,
        Body=PNG,
        ChecksumAlgorithm="SHA256",
    )  # a second version of the same file
    withdrawn = client.http.post(
        f"/v1/reports/{case_id}/withdrawal", headers={"X-Receipt-Token": receipt["receipt_token"]}
    )
    assert withdrawn.status_code == 200
    erased = client.http.post(f"/v1/admin/cases/{case_id}/erasure", headers=staff(aws, "admin"))
    assert [e["kind"] for e in erased.json_body["effects"]] == ["evidence_erasure"]
    deliver_effects()
    versions = s3.list_object_versions(Bucket=settings().evidence_bucket)["Versions"]
    assert len(versions) == 2
    for version in versions:
        tags = s3.get_object_tagging(
            Bucket=settings().evidence_bucket, Key=key, VersionId=version["VersionId"]
        )["TagSet"]
        assert {"Key": "erasure", "Value": "requested"} in tags


# Every state-changing route, retried with its Idempotency-Key.


def blocked_case(client: Client, aws: LocalStack) -> tuple[dict[str, Any], str]:
    receipt = submitted(client)
    post_json(
        client,
        f"/v1/cases/{receipt['case_id']}/decisions",
        decision(1, BLOCK, RESTRICT),
        staff(aws, "reviewer"),
    )
    [message, *_] = enforcement_messages()
    token = urllib.parse.parse_qs(urllib.parse.urlsplit(message["notice_url"]).query)["token"][0]
    return receipt, token


def staged(client: Client) -> str:
    grant = post_json(
        client, "/v1/uploads", {"filename": "a.png", "content_type": "image/png", "size": len(PNG)}
    )
    put_staged(grant.json_body["fields"]["key"], PNG, "image/png")
    return str(grant.json_body["upload_id"])


Route = Callable[[Client, LocalStack], tuple[str, dict[str, Any], dict[str, str], dict[str, Any]]]


def a_decision(client: Client, aws: LocalStack) -> Any:
    case_id = submitted(client)["case_id"]
    other = decision(1, {"type": "reject", "reason": "insufficient_evidence"})
    return f"/v1/cases/{case_id}/decisions", decision(1, BLOCK), staff(aws, "reviewer"), other


def a_reposting_request(client: Client, aws: LocalStack) -> Any:
    receipt, token = blocked_case(client, aws)
    body = {"statement": STATEMENT, "evidence": [staged(client)]}
    path = f"/v1/notices/{receipt['case_id']}/reposting-requests"
    return path, body, {"X-Notice-Token": token}, {**body, "statement": STATEMENT + " Again."}


def a_reposting_decision(client: Client, aws: LocalStack) -> Any:
    receipt, token = blocked_case(client, aws)
    case_id = receipt["case_id"]
    post_json(
        client,
        f"/v1/notices/{case_id}/reposting-requests",
        {"statement": STATEMENT, "evidence": []},
        {"X-Notice-Token": token},
    )
    body = {**decision(3), "outcome": "reinstate", "referral": "none"}
    body.pop("measures")
    return (
        f"/v1/cases/{case_id}/reposting-decision",
        body,
        staff(aws, "reviewer"),
        {**body, "outcome": "uphold", "referral": "kcsc"},
    )


def an_appeal(client: Client, aws: LocalStack) -> Any:
    receipt, token = blocked_case(client, aws)
    case = Repository().get_case(receipt["case_id"])
    assert case is not None
    [restriction] = [m for m in case.measures if m.type == "restrict_user"]
    body = {"measure_id": restriction.measure_id, "statement": STATEMENT}
    return (
        f"/v1/notices/{receipt['case_id']}/appeals",
        body,
        {"X-Notice-Token": token},
        {**body, "statement": STATEMENT + " Again."},
    )


def an_appeal_decision(client: Client, aws: LocalStack) -> Any:
    path, body, headers, _ = an_appeal(client, aws)
    post_json(client, path, body, headers)
    case_id = path.split("/")[3]
    lift = {**decision(3), "measure_id": body["measure_id"], "outcome": "lift"}
    lift.pop("measures")
    return (
        f"/v1/cases/{case_id}/appeal-decisions",
        lift,
        staff(aws, "reviewer"),
        {**lift, "outcome": "uphold"},
    )


def an_answer(client: Client, aws: LocalStack) -> Any:
    receipt = submitted(client)
    ask = {"type": "request_information", "message": "Send proof of identity.", "due_days": 7}
    post_json(
        client,
        f"/v1/cases/{receipt['case_id']}/decisions",
        decision(1, ask),
        staff(aws, "reviewer"),
    )
    body = {"statement": "My identity card is attached as asked.", "evidence": [staged(client)]}
    return (
        f"/v1/reports/{receipt['case_id']}/information",
        body,
        {"X-Receipt-Token": receipt["receipt_token"]},
        {**body, "statement": "Another answer, with the same key."},
    )


def a_withdrawal(client: Client, aws: LocalStack) -> Any:
    receipt = submitted(client)
    return (
        f"/v1/reports/{receipt['case_id']}/withdrawal",
        {},
        {"X-Receipt-Token": receipt["receipt_token"]},
        None,
    )


def an_erasure(client: Client, aws: LocalStack) -> Any:
    receipt = submitted(client)
    client.http.post(
        f"/v1/reports/{receipt['case_id']}/withdrawal",
        headers={"X-Receipt-Token": receipt["receipt_token"]},
    )
    return f"/v1/admin/cases/{receipt['case_id']}/erasure", {}, staff(aws, "admin"), None


@pytest.mark.parametrize(
    "route",
    [
        a_decision,
        a_reposting_request,
        a_reposting_decision,
        an_appeal,
        an_appeal_decision,
        an_answer,
        a_withdrawal,
        an_erasure,
    ],
)
def test_a_retried_write_is_answered_as_the_first_time_and_done_once(
    client: Client, aws: LocalStack, route: Route
) -> None:
    path, body, headers, other = route(client, aws)
    deliver_effects()
    enforcement_messages()
    keyed = {**headers, "Idempotency-Key": str(uuid.uuid4())}
    case_id = path.split("/")[3] if "/admin/" not in path else path.split("/")[4]
    first = post_json(client, path, body, keyed)
    assert first.status_code in (200, 201), first.json_body
    events = len(Repository().case_events(case_id))
    again = post_json(client, path, body, keyed)
    assert again.status_code == first.status_code
    assert again.json_body == first.json_body
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert len(Repository().case_events(case_id)) == events  # recorded once
    if other is not None:
        reused = post_json(client, path, other, keyed)
        assert reused.status_code == 422
        assert reused.json_body["errors"][0]["field"] == "Idempotency-Key"
    fresh = post_json(client, path, body, {**headers, "Idempotency-Key": str(uuid.uuid4())})
    assert fresh.status_code in (404, 409, 422)  # a new request meets the changed case


def test_a_malformed_idempotency_key_is_refused_before_anything_is_read(
    client: Client, aws: LocalStack
) -> None:
    case_id = submitted(client)["case_id"]
    refused = post_json(
        client,
        f"/v1/cases/{case_id}/decisions",
        decision(1, BLOCK),
        {**staff(aws, "reviewer"), "Idempotency-Key": "short"},
    )
    assert refused.status_code == 422
    assert refused.json_body["errors"][0]["field"] == "Idempotency-Key"
    assert len(Repository().case_events(case_id)) == 1


def test_the_keys_of_outbox_records_live_in_one_module() -> None:
    assert keys.outbox_key("C", "E") == {"pk": "CASE#C", "sk": "OUTBOX#E"}
    assert keys.outbox_index_keys("E", "2026-12-01T00:00:00.000Z")["outbox_pk"].startswith(
        "OUTBOX#"
    )
