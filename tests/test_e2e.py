"""One claimant's journey over real HTTP against the running local stack of `make run`."""

from __future__ import annotations

import hashlib
import json
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

import pytest
import requests
from botocore.exceptions import ClientError

from tests.conftest import PNG, report
from tests.localstack import RunningStack

pytestmark = pytest.mark.e2e
T = TypeVar("T")


def upload_over_http(stack: RunningStack, content: bytes, content_type: str) -> str:
    grant = requests.post(
        stack.url("/v1/uploads"),
        json={"filename": "evidence.png", "content_type": content_type, "size": len(content)},
        timeout=10,
    )
    assert grant.status_code == 201, grant.text
    body = grant.json()
    stored = requests.post(
        body["url"],
        data=body["fields"],
        files={"file": ("evidence.png", content, content_type)},
        timeout=10,
    )
    assert stored.status_code in (200, 201, 204), stored.text
    return str(body["upload_id"])


def eventually(read: Callable[[], T], seconds: float = 15.0) -> T:
    """Return what `read` gives once it stops raising: the relay delivers after the commit."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return read()
        except (AssertionError, ValueError, ClientError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def sent_mail(stack: RunningStack) -> list[dict[str, Any]]:
    data = requests.get(f"{stack.aws_endpoint}/moto-api/data.json", timeout=10).json()
    return list(data["ses"]["Message"])


def test_a_claimant_submits_with_evidence_and_follows_the_case(local_stack: RunningStack) -> None:
    upload_id = upload_over_http(local_stack, PNG, "image/png")
    key = str(uuid.uuid4())

    submitted = requests.post(
        local_stack.url("/v1/reports"),
        json=report([upload_id], lang="en"),
        headers={"Idempotency-Key": key},
        timeout=30,
    )
    assert submitted.status_code == 201, submitted.text
    receipt = submitted.json()
    case_url = local_stack.url(f"/v1/reports/{receipt['case_id']}")

    status = requests.get(
        case_url, headers={"X-Receipt-Token": receipt["receipt_token"]}, timeout=10
    )
    assert status.status_code == 200
    assert status.json()["status"] == "received"
    assert status.json()["evidence"][0]["filename"] == "evidence.png"

    without = requests.get(case_url, timeout=10)
    wrong = requests.get(case_url, headers={"X-Receipt-Token": "not-the-token"}, timeout=10)
    assert without.status_code == wrong.status_code == 404
    assert without.headers["Content-Type"] == "application/problem+json"

    evidence_bucket = local_stack.environment["EVIDENCE_BUCKET"]
    kept = eventually(
        lambda: local_stack.client("s3").get_object(
            Bucket=evidence_bucket, Key=f"cases/{receipt['case_id']}/{upload_id}"
        )
    )
    assert hashlib.sha256(kept["Body"].read()).hexdigest() == hashlib.sha256(PNG).hexdigest()

    def mail_of_case() -> dict[str, Any]:
        [found] = [m for m in sent_mail(local_stack) if receipt["case_id"] in m["body"]]
        return found

    mail = eventually(mail_of_case)
    assert mail["destinations"]["ToAddresses"] == ["minji@example.com"]
    assert mail["body"].startswith("Your report was received.")
    assert receipt["receipt_token"] not in mail["body"]

    again = requests.post(
        local_stack.url("/v1/reports"),
        json=report([upload_id], lang="en"),
        headers={"Idempotency-Key": key},
        timeout=30,
    )
    assert again.status_code == 201 and again.json() == receipt


def test_a_spoofed_upload_is_refused_over_http(local_stack: RunningStack) -> None:
    upload_id = upload_over_http(local_stack, b"MZ\x90\x00\x03\x00\x00\x00", "image/png")
    refused = requests.post(local_stack.url("/v1/reports"), json=report([upload_id]), timeout=30)
    assert refused.status_code == 422
    assert refused.headers["Content-Type"] == "application/problem+json"
    assert refused.json()["errors"][0]["field"] == "evidence[0]"


def staff_token(stack: RunningStack, role: str) -> str:
    user = stack.demo_users[role]
    result = stack.client("cognito-idp").admin_initiate_auth(
        UserPoolId=stack.environment["USER_POOL_ID"],
        ClientId=stack.environment["USER_POOL_CLIENT_ID"],
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": user["username"], "PASSWORD": user["password"]},
    )
    return str(result["AuthenticationResult"]["AccessToken"])


def test_two_reviewers_deciding_at_once_over_http_one_wins(local_stack: RunningStack) -> None:
    receipt = requests.post(
        local_stack.url("/v1/reports"),
        json=report([upload_over_http(local_stack, PNG, "image/png")]),
        timeout=30,
    ).json()
    case_id = receipt["case_id"]
    headers = {"Authorization": f"Bearer {staff_token(local_stack, 'reviewer')}"}
    reasons = {
        "ground": "illegal_content",
        "legal_ground": "Network Act art. 44-2",
        "facts": "The post shows the claimant's home address.",
    }
    bodies = [
        {
            "expected_version": 1,
            "measures": [{"type": "block_content", "days": 30}],
            "reasons": reasons,
        },
        {"expected_version": 1, "measures": [{"type": "delete_content"}], "reasons": reasons},
    ]
    start = threading.Barrier(len(bodies))
    statuses: list[int] = []

    def decide(body: dict[str, Any]) -> None:
        start.wait()
        answer = requests.post(
            local_stack.url(f"/v1/cases/{case_id}/decisions"),
            json=body,
            headers=headers,
            timeout=30,
        )
        statuses.append(answer.status_code)

    threads = [threading.Thread(target=decide, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [201, 409]

    events = local_stack.client("dynamodb").query(
        TableName=local_stack.environment["AUDIT_TABLE"],
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": f"CASE#{case_id}"}},
    )["Items"]
    assert len(events) == 2  # received, and the winning decision's one measure

    queue_url = local_stack.environment["ENFORCEMENT_QUEUE_URL"]
    sqs = local_stack.client("sqs")
    mine: list[dict[str, Any]] = []

    def one_message() -> None:
        received = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10)
        for message in received.get("Messages", []):
            body = json.loads(message["Body"])
            if body["case_id"] == case_id:
                mine.append(body)
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
        assert len(mine) >= 1

    eventually(one_message)
    time.sleep(1)  # a second message, if any were sent, would have come by now
    received = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10)
    mine += [
        m
        for m in map(json.loads, (r["Body"] for r in received.get("Messages", [])))
        if m["case_id"] == case_id
    ]
    assert len(mine) == 1
    notice = requests.get(mine[0]["notice_url"], timeout=10)
    assert notice.status_code == 200 and "text/html" in notice.headers["Content-Type"]
    unauthorized = requests.get(local_stack.url("/v1/cases"), timeout=10)
    assert unauthorized.status_code == 401
