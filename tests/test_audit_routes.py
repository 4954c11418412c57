"""Auditors query the trail by case, by actor and by time, and verify a case's trail."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import moto.s3.models
from chalice.test import Client

from chalicelib import wiring
from chalicelib.adapters.repository import Repository
from chalicelib.config import settings
from chalicelib.domain.lifecycle import Actor
from chalicelib.services.checkpoints import Checkpoints
from chalicelib.services.intake import Intake
from chalicelib.services.review import Review
from chalicelib.wiring import build
from tests.conftest import deliver_effects, header, sign_in
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
        opened.append(open_case(build(Intake, clock=at(START + timedelta(hours=10 * n))))[0])
    return opened


def test_events_by_case_by_actor_and_by_time_in_a_stable_order(
    client: Client, aws: LocalStack
) -> None:
    opened = cases_over_two_days(5)
    review = build(Review, clock=lambda: START + timedelta(days=3))
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
    build(Review, clock=lambda: START + timedelta(hours=1)).decide(
        case_id, decision(1, {"type": "delete_content"}), Actor("reviewer:r1", "reviewer"), ""
    )
    wiring.use(
        build(
            Checkpoints, clock=lambda: START + timedelta(hours=2), origin="2026-11-19T00:00:00.000Z"
        )
    )
    assert wiring.checkpoints().seal() is not None

    fine = client.http.get(f"/v1/audit/verify?case_id={case_id}", headers=auditor(aws)).json_body
    assert fine["verified"] is True and fine["sealed_events"] == 2 and fine["checkpoints"] == [1]

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


def test_an_event_is_proved_into_its_signed_checkpoint(client: Client, aws: LocalStack) -> None:
    from chalicelib.domain import merkle

    [case_id] = cases_over_two_days(1)
    build(Review, clock=lambda: START + timedelta(hours=1)).decide(
        case_id, decision(1, {"type": "delete_content"}), Actor("reviewer:r1", "reviewer"), ""
    )
    event = Repository().case_events(case_id)[1]
    unsealed = client.http.get(f"/v1/audit/events/{event.event_id}/proof", headers=auditor(aws))
    assert unsealed.status_code == 404

    wiring.use(
        build(
            Checkpoints, clock=lambda: START + timedelta(hours=2), origin="2026-11-19T00:00:00.000Z"
        )
    )
    assert wiring.checkpoints().seal() is not None
    listed = client.http.get("/v1/audit/checkpoints", headers=auditor(aws)).json_body
    assert [c["seq"] for c in listed["checkpoints"]] == [1]
    assert listed["public_key_pem"].startswith("-----BEGIN PUBLIC KEY-----")

    answer = client.http.get(f"/v1/audit/events/{event.event_id}/proof", headers=auditor(aws))
    assert answer.status_code == 200, answer.body
    proof = answer.json_body
    assert proof["event"]["hash"] == event.hash
    assert merkle.verify_inclusion(
        bytes.fromhex(event.hash),
        proof["leaf_index"],
        proof["tree_size"],
        [bytes.fromhex(node) for node in proof["proof"]],
        bytes.fromhex(proof["checkpoint"]["root"]),
    )
    forged = [bytes.fromhex(node)[::-1] for node in proof["proof"]]
    assert not merkle.verify_inclusion(
        bytes.fromhex(event.hash),
        proof["leaf_index"],
        proof["tree_size"],
        forged or [b"\0" * 32],
        bytes.fromhex(proof["checkpoint"]["root"]),
    )
    unknown = client.http.get(
        "/v1/audit/events/01JDX3F6Y2P4Q8R9S0T1V2W3XZ/proof", headers=auditor(aws)
    )
    assert unknown.status_code == 404


def test_a_range_is_exported_as_jsonl_or_csv_and_a_large_one_via_s3(
    client: Client, aws: LocalStack, monkeypatch: Any
) -> None:
    import csv
    import io
    import json

    from chalicelib.services import audit

    opened = cases_over_two_days(3)
    span = "from=2026-11-20T00:00:00.000Z&to=2026-11-22T00:00:00.000Z"
    lines = client.http.get(f"/v1/audit/export?{span}&format=jsonl", headers=auditor(aws))
    assert lines.status_code == 200
    exported = [json.loads(line) for line in lines.body.decode().splitlines()]
    assert [e["case_id"] for e in exported] == opened
    assert exported[0]["hash"] == Repository().case_events(opened[0])[0].hash

    table = client.http.get(f"/v1/audit/export?{span}&format=csv", headers=auditor(aws))
    rows = list(csv.DictReader(io.StringIO(table.body.decode())))
    assert [r["case_id"] for r in rows] == opened and json.loads(rows[0]["details"])

    # Past what an answer holds, the export streams to S3 in parts (small ones here).
    monkeypatch.setattr(audit, "INLINE_EXPORT_BYTES", 10)
    monkeypatch.setattr(audit, "EXPORT_PART_BYTES", 300)
    monkeypatch.setattr(moto.s3.models, "S3_UPLOAD_PART_MIN_SIZE", 1)
    large = client.http.get(f"/v1/audit/export?{span}&format=jsonl", headers=auditor(aws))
    assert large.status_code == 200 and large.json_body["events"] == 3
    assert "X-Amz-Expires=300" in large.json_body["url"]
    s3 = boto3.client("s3")
    bucket = settings().uploads_bucket
    (stored,) = s3.list_objects_v2(Bucket=bucket, Prefix="exports/")["Contents"]
    assert s3.get_object(Bucket=bucket, Key=stored["Key"])["Body"].read() == lines.body
    # Each line outgrows a part of 300 bytes, so each went up as a part of its own.
    assert all(len(line) > 300 for line in lines.body.splitlines())
    assert stored["ETag"].strip('"').endswith("-3")

    # An upload that fails half-way leaves no parts behind.
    from chalicelib.adapters.checkpoints import ExportUpload

    real_part = ExportUpload.part

    def failing_part(upload: ExportUpload, body: bytes) -> None:
        if upload.parts:
            raise RuntimeError("the network went away")
        real_part(upload, body)

    monkeypatch.setattr(ExportUpload, "part", failing_part)
    failed = client.http.get(f"/v1/audit/export?{span}&format=csv", headers=auditor(aws))
    assert failed.status_code == 500
    assert s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []

    bad = client.http.get(f"/v1/audit/export?{span}&format=xml", headers=auditor(aws))
    assert bad.status_code == 422


def test_an_admin_erases_a_closed_case_and_its_trail_still_verifies(
    client: Client, aws: LocalStack
) -> None:
    intake = build(Intake)
    case_id, receipt = open_case(intake)
    s3 = boto3.client("s3")
    bucket = settings().evidence_bucket

    def marked() -> list[bool]:
        deliver_effects()
        case = Repository().get_case(case_id)
        assert case is not None
        keys = [f.key for f in case.all_evidence]
        tags = [s3.get_object_tagging(Bucket=bucket, Key=key)["TagSet"] for key in keys]
        return [{"Key": "erasure", "Value": "requested"} in tag_set for tag_set in tags]

    admin = {"Authorization": f"Bearer {sign_in(aws, 'admin')}"}
    still_open = client.http.post(f"/v1/admin/cases/{case_id}/erasure", headers=admin)
    assert still_open.status_code == 409
    assert marked() and not any(marked())
    intake.withdraw(case_id, receipt)

    erased = client.http.post(f"/v1/admin/cases/{case_id}/erasure", headers=admin)
    assert erased.status_code == 201, erased.body
    case = Repository().get_case(case_id)
    assert case is not None
    stored = case.model_dump_json()
    for personal in ("김민지", "minji@example.com", "1234-5678"):
        assert personal not in stored
    last = Repository().case_events(case_id)[-1]
    assert last.action == "personal_data_erased"
    assert last.details["files_erased_after_retention"] == len(marked())
    # Every file is marked, and the bucket erases marked files once their retention ends.
    assert all(marked())
    (rule,) = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
    assert rule["Filter"] == {
        "And": {"Prefix": "cases/", "Tags": [{"Key": "erasure", "Value": "requested"}]}
    }
    retention = s3.get_object_lock_configuration(Bucket=bucket)["ObjectLockConfiguration"]
    assert rule["Expiration"]["Days"] == retention["Rule"]["DefaultRetention"]["Days"]
    assert rule["NoncurrentVersionExpiration"]["NoncurrentDays"] == 1
    verified = client.http.get(f"/v1/audit/verify?case_id={case_id}", headers=auditor(aws))
    assert verified.json_body["verified"] is True
    again = client.http.post(f"/v1/admin/cases/{case_id}/erasure", headers=admin)
    assert again.status_code == 409


def test_a_range_too_long_for_one_request_comes_as_files_that_follow_on(
    client: Client, aws: LocalStack
) -> None:
    import csv
    import io
    import itertools

    from chalicelib.services.audit import Audit

    opened = cases_over_two_days(4)  # received over two days
    # A range of a quarter, not capped: what one request cannot finish, the next takes up.
    span = "from=2026-10-01T00:00:00.000Z&to=2026-12-31T00:00:00.000Z"
    whole = {
        fmt: client.http.get(f"/v1/audit/export?{span}&format={fmt}", headers=auditor(aws))
        for fmt in ("jsonl", "csv")
    }
    assert all(answer.status_code == 200 for answer in whole.values())
    assert "link" not in {name.lower() for name in whole["jsonl"].headers}
    assert [json.loads(line)["case_id"] for line in whole["jsonl"].body.splitlines()] == opened

    # A request that runs out of time at once (each look at the clock is 30 s later) writes
    # at most one event or one day, and says where the export goes on.
    ticks = itertools.count(step=30)
    wiring.use(build(Audit, timer=lambda: float(next(ticks))))
    for fmt in ("jsonl", "csv"):
        files: list[bytes] = []
        path: str | None = f"/v1/audit/export?{span}&format={fmt}"
        while path:
            answer = client.http.get(path, headers=auditor(aws))
            assert answer.status_code == 200, answer.body
            files.append(answer.body)
            link = header(answer, "link")
            path = link.split(">")[0].removeprefix("<") if link else None
            assert len(files) < 400
        assert len(files) > 4  # it did stop and go on
        if fmt == "jsonl":
            assert b"".join(files) == whole["jsonl"].body
        else:
            rows = [list(csv.reader(io.StringIO(f.decode())))[1:] for f in files]
            expected = list(csv.reader(io.StringIO(whole["csv"].body.decode())))[1:]
            assert [row for part in rows for row in part] == expected

    forged = client.http.get(
        f"/v1/audit/export?{span}&cursor=bm90LWEtY3Vyc29y", headers=auditor(aws)
    )
    assert forged.status_code == 400 and forged.json_body["errors"][0]["field"] == "cursor"
