"""A claimant's reports, end to end through the app, against the in-process AWS."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import urllib.parse
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from chalice.test import Client
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from chalicelib.adapters.repository import Repository
from chalicelib.config import settings
from chalicelib.domain.audit import GENESIS_HASH
from chalicelib.domain.evidence import MAX_EVIDENCE_BYTES
from tests.chains import first_bad_event
from tests.conftest import (
    PDF,
    PNG,
    deliver_effects,
    header,
    post_json,
    put_staged,
    report,
    upload,
)

ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64


def submit(client: Client, body: dict[str, Any], key: str | None = None) -> Any:
    headers = {"Idempotency-Key": key} if key else {}
    return post_json(client, "/v1/reports", body, headers)


def problem_fields(response: Any) -> dict[str, str]:
    assert header(response, "content-type") == "application/problem+json"
    return {e["field"]: e["message"] for e in response.json_body.get("errors", [])}


def dynamodb() -> Any:
    return boto3.client("dynamodb")


def cases_received() -> list[dict[str, Any]]:
    answer = dynamodb().query(
        TableName=settings().cases_table,
        IndexName="queue",
        KeyConditionExpression="queue_pk = :p",
        ExpressionAttributeValues={":p": {"S": "STATUS#received"}},
    )
    return list(answer["Items"])


def sent_mail() -> list[Any]:
    deliver_effects()
    return list(ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sent_messages)


# Uploads


def test_an_upload_is_a_presigned_post_pinned_to_key_type_and_size(client: Client) -> None:
    response = post_json(
        client, "/v1/uploads", {"filename": "a.png", "content_type": "image/png", "size": 2048}
    )
    assert response.status_code == 201
    grant = response.json_body
    fields = grant["fields"]
    assert fields["x-amz-algorithm"] == "AWS4-HMAC-SHA256"
    assert fields["key"] == f"staging/{grant['upload_id']}"
    policy = json.loads(base64.b64decode(fields["policy"]))
    conditions = policy["conditions"]
    assert {"key": fields["key"]} in conditions
    assert {"Content-Type": "image/png"} in conditions
    assert ["content-length-range", 1, MAX_EVIDENCE_BYTES] in conditions
    expiry = datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
    assert expiry - datetime.now(UTC) <= timedelta(minutes=15)


def test_an_upload_of_a_type_outside_the_list_is_refused_at_once(client: Client) -> None:
    response = post_json(
        client,
        "/v1/uploads",
        {"filename": "tool.exe", "content_type": "application/x-msdownload", "size": 10},
    )
    assert response.status_code == 422
    assert "content_type" in problem_fields(response)


# Submitting


def test_a_report_opens_a_case_with_its_evidence_and_first_audit_event(client: Client) -> None:
    upload_id = upload(client, PNG)
    response = submit(client, report([upload_id]))
    assert response.status_code == 201, response.body
    receipt = response.json_body
    assert receipt["status"] == "received"
    # 28 characters of 30 symbols (137 bits) in groups of four, as the receipt prints it.
    assert re.fullmatch(
        r"(?:[2-9A-HJKMNP-TV-Z]{4}-){6}[2-9A-HJKMNP-TV-Z]{4}", receipt["receipt_token"]
    )
    case_id = receipt["case_id"]

    case = Repository().get_case(case_id)
    assert case is not None
    assert receipt["receipt_token"] not in json.dumps(case.model_dump(mode="json"))
    [evidence] = case.evidence
    assert evidence.sha256 == hashlib.sha256(PNG).hexdigest()
    assert evidence.key == f"cases/{case_id}/{upload_id}"

    deliver_effects()
    stored = boto3.client("s3").get_object(Bucket=settings().evidence_bucket, Key=evidence.key)
    assert stored["Body"].read() == PNG
    assert stored["ObjectLockMode"] == "GOVERNANCE"

    [event] = Repository().case_events(case_id)
    assert event.action == "received" and event.seq == 1 and event.prev_hash == GENESIS_HASH
    assert case.chain.hash == event.hash
    assert first_bad_event([event]) == (None, "verified")


def test_the_audit_event_holds_no_personal_data_of_the_claimant(client: Client) -> None:
    body = report([upload(client, PNG)])
    case_id = submit(client, body).json_body["case_id"]
    answer = dynamodb().query(
        TableName=settings().audit_table,
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": f"CASE#{case_id}"}},
    )
    stored = json.dumps(answer["Items"], ensure_ascii=False)
    for personal in ("김민지", "minji@example.com", "1234-5678", "home address", "open.kakao.com"):
        assert personal not in stored


def test_the_claimant_is_acknowledged_by_mail_in_their_language(client: Client) -> None:
    case_ko = submit(client, report([upload(client, PNG)])).json_body["case_id"]
    case_en = submit(client, report([upload(client, PNG)], lang="en")).json_body["case_id"]
    mail = {m.destinations["ToAddresses"][0] + m.subject: m for m in sent_mail()}
    [korean] = [m for m in mail.values() if case_ko in m.subject]
    [english] = [m for m in mail.values() if case_en in m.subject]
    assert "신고가 접수되었습니다" in korean.subject and "신고가 접수되었습니다" in korean.body
    assert "Your report was received" in english.subject
    assert korean.source == settings().mail_sender
    assert korean.destinations["ToAddresses"] == ["minji@example.com"]


def test_an_agent_attaches_a_power_of_attorney_kept_as_evidence(client: Client) -> None:
    evidence = upload(client, PNG)
    attorney = upload(client, PDF, "application/pdf", "위임장.pdf")
    body = report(
        [evidence],
        claimant={
            "name": "Lee Law Office",
            "email": "law@example.com",
            "relationship": "agent",
            "principal_name": "Kim Minji",
        },
        power_of_attorney=attorney,
    )
    response = submit(client, body)
    assert response.status_code == 201, response.body
    case = Repository().get_case(response.json_body["case_id"])
    assert case is not None and case.power_of_attorney is not None
    assert case.power_of_attorney.sha256 == hashlib.sha256(PDF).hexdigest()
    assert case.power_of_attorney.filename == "위임장.pdf"


# Reading the status


def test_the_receipt_token_reads_the_case(client: Client) -> None:
    receipt = submit(client, report([upload(client, PNG)])).json_body
    response = client.http.get(
        f"/v1/reports/{receipt['case_id']}", headers={"X-Receipt-Token": receipt["receipt_token"]}
    )
    assert response.status_code == 200
    view = response.json_body
    assert view["status"] == "received" and view["surface"] == "open_chat_board"
    assert view["grounds"] == ["privacy", "portrait"]
    assert view["evidence"] == [
        {
            "filename": "screenshot.png",
            "content_type": "image/png",
            "size": len(PNG),
            "kind": "evidence",
        }
    ]
    assert view["decisions"] == []
    # The claimant reads back their own statement, never their contact details.
    assert "claimant" not in view
    assert view["statement"] == report([])["statement"]


@pytest.mark.parametrize("token", [None, "", "wrong-token"])
def test_without_the_right_token_a_case_is_not_found(client: Client, token: str | None) -> None:
    case_id = submit(client, report([upload(client, PNG)])).json_body["case_id"]
    headers = {"X-Receipt-Token": token} if token is not None else {}
    wrong = client.http.get(f"/v1/reports/{case_id}", headers=headers)
    missing = client.http.get(
        "/v1/reports/01JDX3F6Y2P4Q8R9S0T1V2W3XZ", headers={"X-Receipt-Token": "wrong-token"}
    )
    malformed = client.http.get("/v1/reports/nope", headers={"X-Receipt-Token": "wrong-token"})
    assert wrong.status_code == missing.status_code == malformed.status_code == 404
    assert wrong.body == missing.body == malformed.body
    assert header(wrong, "content-type") == "application/problem+json"


# Evidence checked on the server, whatever the browser did


def test_a_spoofed_file_type_is_refused(client: Client) -> None:
    response = submit(client, report([upload(client, ELF, "image/png", "photo.png")]))
    assert response.status_code == 422
    assert "not a file of an allowed type" in problem_fields(response)["evidence[0]"]


def test_a_file_whose_content_is_another_allowed_type_is_refused(client: Client) -> None:
    response = submit(client, report([upload(client, PDF, "text/plain", "notes.txt")]))
    assert response.status_code == 422
    assert (
        "declared as plain text but its content is PDF" in problem_fields(response)["evidence[0]"]
    )


@pytest.mark.parametrize("stored_as", ["text/html", "image/svg+xml", "image/png; charset=utf-7"])
def test_a_file_stored_with_another_content_type_than_declared_is_refused(
    client: Client, stored_as: str
) -> None:
    good = upload(client, PNG)
    grant = post_json(
        client, "/v1/uploads", {"filename": "b.png", "content_type": "image/png", "size": len(PNG)}
    ).json_body
    put_staged(grant["fields"]["key"], PNG, stored_as)

    response = submit(client, report([good, grant["upload_id"]]))

    assert response.status_code == 422
    assert problem_fields(response) == {
        "evidence[1]": f"file was declared as image/png but uploaded as {stored_as}; "
        "upload it again as image/png"
    }
    assert cases_received() == []


# Each would show a name other than the one stored: "photo\u202egnp.exe" shows as "photoexe.png".
HIDDEN_IN_NAMES = {
    "\u202e": "RIGHT-TO-LEFT OVERRIDE",
    "\u2066": "LEFT-TO-RIGHT ISOLATE",
    "\u200b": "ZERO WIDTH SPACE",
    "\u200f": "RIGHT-TO-LEFT MARK",
    "\ufeff": "ZERO WIDTH NO-BREAK SPACE",
    "\u0085": "NEXT LINE (a C1 control)",
    "\u2028": "LINE SEPARATOR",
    "\x1b": "ESCAPE",
    "\u3164": "HANGUL FILLER (a letter that shows as nothing)",
    "\uffa0": "HALFWIDTH HANGUL FILLER",
}


def test_a_file_name_with_a_control_or_invisible_character_is_refused(client: Client) -> None:
    answers = {
        name: post_json(
            client,
            "/v1/uploads",
            {"filename": f"photo{hidden}gnp.exe", "content_type": "image/png", "size": 10},
        )
        for hidden, name in HIDDEN_IN_NAMES.items()
    }

    assert {name: a.status_code for name, a in answers.items()} == dict.fromkeys(answers, 422)
    assert {name: problem_fields(a) for name, a in answers.items()} == {
        name: {
            "filename": "must be a file name without control or invisible formatting characters; "
            f"it holds U+{ord(hidden):04X} at position 6"
        }
        for hidden, name in HIDDEN_IN_NAMES.items()
    }


def test_a_file_name_in_any_script_is_taken(client: Client) -> None:
    # The joiners (U+200C in Persian, U+200D in family and flag emoji) are part of the script.
    names = ("위임장.pdf", "صورة.png", "スクリーンショット 1.png", "😀 shot.png", "می‌خواهم.png")
    for name in (*names, "👩‍💻 shot.png"):
        response = post_json(
            client, "/v1/uploads", {"filename": name, "content_type": "image/png", "size": 10}
        )
        assert response.status_code == 201, (name, response.body)


def test_an_oversized_object_is_refused(client: Client) -> None:
    oversized = PNG + b"\x00" * (MAX_EVIDENCE_BYTES + 1 - len(PNG))
    response = submit(client, report([upload(client, oversized, declared_size=1000)]))
    assert response.status_code == 422
    assert "the limit is 20 MiB" in problem_fields(response)["evidence[0]"]


def test_a_granted_upload_that_never_arrived_is_refused(client: Client) -> None:
    grant = post_json(
        client, "/v1/uploads", {"filename": "a.png", "content_type": "image/png", "size": 10}
    ).json_body
    response = submit(client, report([grant["upload_id"]]))
    assert response.status_code == 422
    assert "never uploaded" in problem_fields(response)["evidence[0]"]


def test_an_unknown_upload_is_refused(client: Client) -> None:
    good = upload(client, PNG)
    response = submit(client, report([good, "01JDX3F6Y2P4Q8R9S0T1V2W3XZ"]))
    assert response.status_code == 422
    assert set(problem_fields(response)) == {"evidence[1]"}
    assert cases_received() == []


def test_an_upload_used_twice_is_a_conflict(client: Client) -> None:
    upload_id = upload(client, PNG)
    assert submit(client, report([upload_id])).status_code == 201
    response = submit(client, report([upload_id], statement="A second report of the same thing."))
    assert response.status_code == 409
    assert problem_fields(response) == {"evidence[0]": "is already attached to another case"}
    assert len(cases_received()) == 1


# Idempotency


def test_a_retry_with_the_same_key_returns_the_same_case(client: Client) -> None:
    body = report([upload(client, PNG)])
    first = submit(client, body, key="4b1f6c1e-1a2b-4c3d-8e9f-0a1b2c3d4e5f")
    again = submit(client, body, key="4b1f6c1e-1a2b-4c3d-8e9f-0a1b2c3d4e5f")
    assert first.status_code == again.status_code == 201
    assert again.json_body == first.json_body
    assert header(again, "idempotent-replayed") == "true"
    assert len(cases_received()) == 1
    assert len(sent_mail()) == 1


def test_the_same_key_with_another_body_is_refused(client: Client) -> None:
    body = report([upload(client, PNG)])
    key = "4b1f6c1e-1a2b-4c3d-8e9f-0a1b2c3d4e5f"
    assert submit(client, body, key=key).status_code == 201
    response = submit(client, {**body, "statement": "Another statement, long enough."}, key=key)
    assert response.status_code == 422
    assert response.json_body["type"] == "/problems/idempotency-key-reused"
    assert len(cases_received()) == 1


def test_a_malformed_idempotency_key_is_refused(client: Client) -> None:
    response = submit(client, report([upload(client, PNG)]), key="1")
    assert response.status_code == 422
    assert "Idempotency-Key" in problem_fields(response)


# HTTP errors as problem details


def test_malformed_json_is_a_400(client: Client) -> None:
    response = client.http.post(
        "/v1/reports", headers={"Content-Type": "application/json"}, body='{"claimant": '
    )
    assert response.status_code == 400
    assert response.json_body["detail"].startswith("The body is not valid JSON")
    assert b"Traceback" not in response.body


def test_a_body_too_large_is_a_413(client: Client) -> None:
    response = post_json(client, "/v1/reports", {"statement": "x" * 70_000})
    assert response.status_code == 413
    assert header(response, "content-type") == "application/problem+json"


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", ""])
def test_a_body_that_is_not_json_is_a_415(client: Client, content_type: str) -> None:
    response = client.http.post(
        "/v1/reports", headers={"Content-Type": content_type}, body="claimant=me"
    )
    assert response.status_code == 415
    assert header(response, "content-type") == "application/problem+json"


def test_invalid_fields_are_a_422_naming_each(client: Client) -> None:
    response = submit(
        client,
        report(["01JDX3F6Y2P4Q8R9S0T1V2W3XZ"], statement="short", declaration=False),
    )
    assert response.status_code == 422
    assert set(problem_fields(response)) == {"statement", "declaration"}
    body = response.json_body
    assert body["status"] == 422 and body["title"] and body["type"] == "/problems/validation-error"


def test_a_wrong_method_is_a_problem_not_a_chalice_error(client: Client) -> None:
    response = client.http.put(
        "/v1/reports", headers={"Content-Type": "application/json"}, body="{}"
    )
    assert response.status_code == 405
    assert header(response, "content-type") == "application/problem+json"


def test_every_response_carries_the_security_headers(client: Client) -> None:
    response = client.http.get("/v1/reports/nope")
    assert header(response, "x-content-type-options") == "nosniff"
    assert "frame-ancestors 'none'" in str(header(response, "content-security-policy"))


def test_openapi_describes_every_api_route_from_the_models(client: Client) -> None:
    from app import app

    document = client.http.get("/openapi.json").json_body
    assert document["openapi"].startswith("3.1")
    routed = {
        (path, method.lower())
        for path, methods in app.routes.items()
        if path.startswith("/v1/")
        for method in methods
    }
    documented = {
        (path, method) for path, operations in document["paths"].items() for method in operations
    }
    assert routed == documented
    schemas = document["components"]["schemas"]
    assert set(schemas["Surface"]["enum"]) == {
        "kakaotalk_profile",
        "talk_board",
        "open_chat_board",
        "open_chat_cover",
        "open_profile",
    }
    assert schemas["ReportSubmission"]["properties"]["statement"]["minLength"] == 20
    assert schemas["BlockContent"]["properties"]["days"]["maximum"] == 30


def test_every_reference_of_the_openapi_document_resolves() -> None:
    from chalicelib.api.openapi import document

    text = json.dumps(document())
    named = set(re.findall(r'"#/components/schemas/([^"]+)"', text))

    assert named - set(document()["components"]["schemas"]) == set()
    assert re.findall(r'"#/\$defs/[^"]+"', text) == []


def test_every_keyed_write_documents_its_key_and_the_422_of_a_malformed_one() -> None:
    from chalicelib.api.openapi import UNKEYED_WRITES, document
    from chalicelib.domain.secrets import IDEMPOTENCY_KEY_PATTERN

    writes = {
        path: operations["post"]
        for path, operations in document()["paths"].items()
        if "post" in operations and path not in UNKEYED_WRITES
    }
    keys = {
        path: next(p for p in write["parameters"] if p["name"] == "Idempotency-Key")["schema"]
        for path, write in writes.items()
    }

    key_schema = {"type": "string", "pattern": IDEMPOTENCY_KEY_PATTERN.pattern}
    assert keys == {path: key_schema for path in writes}
    assert [path for path, write in writes.items() if "422" not in write["responses"]] == []


class ReplacedBeforeCopy:
    """S3 as it behaves when the uploader posts the file again between the server's check and
    its copy: the copy of the checked object is refused by its `CopySourceIfMatch` (which moto
    does not enforce, so this emulates it)."""

    def __init__(self, replacement: bytes) -> None:
        self.replacement = replacement
        self.seen: list[str | None] = []

    def __call__(self, params: dict[str, Any], **kwargs: Any) -> Any:
        s3, source = boto3.client("s3"), params["headers"].get("x-amz-copy-source", "")
        bucket, _, key = urllib.parse.unquote(source).lstrip("/").partition("/")
        s3.put_object(Bucket=bucket, Key=key, Body=self.replacement, ContentType="image/png")
        expected = params["headers"].get("x-amz-copy-source-if-match")
        self.seen.append(expected)
        if expected != s3.head_object(Bucket=bucket, Key=key)["ETag"]:
            return PreconditionFailed(), {
                "Error": {"Code": "PreconditionFailed", "Message": "At least one condition"},
                "ResponseMetadata": {"HTTPStatusCode": 412},
            }
        return None


class PreconditionFailed:
    def __init__(self) -> None:
        self.status_code = 412
        self.headers: dict[str, str] = {}
        self.content = b""


def test_a_file_posted_again_after_its_check_is_refused_not_kept(client: Client) -> None:
    upload_id = upload(client, PNG)
    s3 = boto3.client("s3")
    from chalicelib.adapters.aws import client as shared_client

    replaced = ReplacedBeforeCopy(b"MZ\x90\x00 not a picture at all")
    shared_client("s3").meta.events.register("before-call.s3.CopyObject", replaced)
    try:
        response = submit(client, report([upload_id]))
    finally:
        shared_client("s3").meta.events.unregister("before-call.s3.CopyObject", replaced)

    assert response.status_code == 422, response.body
    assert problem_fields(response) == {
        "evidence[0]": "file changed while it was checked; upload it again"
    }
    assert replaced.seen and all(etag for etag in replaced.seen)
    assert cases_received() == []
    assert s3.list_objects_v2(Bucket=settings().uploads_bucket, Prefix="checked/")["KeyCount"] == 0
