"""Erasing a closed case erases every text a person wrote or is named by, wherever the service
kept it, and the audit trail still verifies afterwards."""

from __future__ import annotations

import hashlib
import json
import urllib.parse
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
from chalice.test import Client

from chalicelib.adapters.repository import Repository
from chalicelib.config import settings
from chalicelib.domain.lifecycle import Actor
from chalicelib.services.intake import Intake
from chalicelib.services.review import Review
from chalicelib.services.timers import Timers
from chalicelib.wiring import build
from tests.conftest import PDF, PNG, deliver_effects, put_staged, report, sign_in
from tests.review_helpers import decision, enforcement_messages
from tools.provision import LocalStack

REVIEWER = Actor("reviewer:alice", "reviewer")
BASE = "http://irc.test"

# Every text below is one a person wrote or is named by; none may survive the erasure.
CLAIMANT = {
    "name": "Erasable Claimant Name",
    "email": "erasable.claimant@example.com",
    "phone": "+82 10-9876-5432",
    "relationship": "agent",
    "principal_name": "Erasable Principal Name",
}
DESCRIPTION = "Erasable description of the cover photo"
STATEMENT = "Erasable statement: the cover shows my client's face without consent."
ANSWER = "Erasable answer: the signed consent form is attached here."
REPOSTING = "Erasable reposting statement: the photo is my own and I hold the rights."
APPEAL = "Erasable appeal statement: I did not know the photo was someone's."
# A reviewer's words name people too.
ASKED = "Erasable request: send the consent form your client signed."
FACTS = "Erasable facts: the cover shows the face of the claimant's client."
NOTE = "Erasable note: the client called twice."
UPHELD = "Erasable remedy facts: the face is the claimant's client's."
FILE_NAMES = [
    "erasable-evidence-photo.png",
    "erasable-power-of-attorney.pdf",
    "erasable-answer-file.png",
    "erasable-poster-file.png",
]
PERSONAL = [*CLAIMANT.values(), DESCRIPTION, STATEMENT, ANSWER, REPOSTING, APPEAL, *FILE_NAMES]
PERSONAL += [ASKED, FACTS, NOTE, UPHELD]
PERSONAL.remove("agent")


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


def uploaded(intake: Intake, filename: str, content: bytes, content_type: str) -> str:
    grant = intake.request_upload(
        {"filename": filename, "content_type": content_type, "size": len(content)}
    )
    put_staged(grant.fields["key"], content, content_type)
    return grant.upload_id


def every_item() -> list[dict[str, Any]]:
    """Read every item of both tables (a Scan, in this test only)."""
    db = boto3.client("dynamodb")
    items: list[dict[str, Any]] = []
    for table in (settings().cases_table, settings().audit_table):
        for page in db.get_paginator("scan").paginate(TableName=table):
            items += page["Items"]
    return items


def left_of(texts: list[str]) -> list[str]:
    stored = json.dumps(every_item(), ensure_ascii=False)
    return [text for text in texts if text in stored]


def lived_case(clock: Clock) -> str:
    """A case that went the whole way: answer, block and restriction, re-posting request and
    appeal, both upheld, the block's end: closed."""
    intake, review = build(Intake, clock=clock), build(Review, clock=clock)
    evidence = uploaded(intake, FILE_NAMES[0], PNG, "image/png")
    attorney = uploaded(intake, FILE_NAMES[1], PDF, "application/pdf")
    body = report(
        [evidence],
        claimant=CLAIMANT,
        power_of_attorney=attorney,
        statement=STATEMENT,
        target={
            "surface": "open_chat_cover",
            "url": "https://open.kakao.com/o/gERASE",
            "description": DESCRIPTION,
        },
    )
    receipt, _ = intake.submit_report(body, None, BASE)
    case_id = receipt.case_id
    ask = {"type": "request_information", "message": ASKED, "due_days": 7}
    review.decide(case_id, decision(1, ask), REVIEWER, BASE)
    answer_file = uploaded(intake, FILE_NAMES[2], PNG, "image/png")
    intake.provide_information(
        case_id, receipt.receipt_token, {"statement": ANSWER, "evidence": [answer_file]}
    )
    measures = ({"type": "block_content", "days": 10}, {"type": "restrict_room", "days": 30})
    review.decide(case_id, decision(3, *measures, facts=FACTS, note=NOTE), REVIEWER, BASE)
    [message, *_] = enforcement_messages()
    token = urllib.parse.parse_qs(urllib.parse.urlsplit(message["notice_url"]).query)["token"][0]
    poster_file = uploaded(intake, FILE_NAMES[3], PNG, "image/png")
    review.request_reposting(
        case_id, token, {"statement": REPOSTING, "evidence": [poster_file]}, BASE
    )
    [room] = review.notice(case_id, token).appealable_measures
    review.file_appeal(case_id, token, {"measure_id": room, "statement": APPEAL})
    uphold = {"outcome": "uphold", "reasons": {"facts": UPHELD}}
    version = _version(case_id)
    review.decide_reposting(case_id, {"expected_version": version, **uphold}, REVIEWER, BASE)
    upheld_room = {"expected_version": _version(case_id), "measure_id": room, **uphold}
    review.decide_appeal(case_id, upheld_room, REVIEWER, BASE)
    clock.now += timedelta(days=31)
    build(Timers, clock=clock).run(BASE)
    deliver_effects()
    enforcement_messages()
    return case_id


def _version(case_id: str) -> int:
    case = Repository().get_case(case_id)
    assert case is not None
    return case.version


def test_erasure_leaves_no_text_a_person_wrote_or_is_named_by(
    client: Client, aws: LocalStack
) -> None:
    case_id = lived_case(Clock())
    case = Repository().get_case(case_id)
    assert case is not None and case.status == "closed"
    # Before: the service kept each of them somewhere (else this test proves nothing).
    assert left_of(PERSONAL) == PERSONAL

    admin = {"Authorization": f"Bearer {sign_in(aws, 'admin')}"}
    erased = client.http.post(f"/v1/admin/cases/{case_id}/erasure", headers=admin)
    assert erased.status_code == 201, erased.body

    assert left_of(PERSONAL) == []
    case = Repository().get_case(case_id)
    assert case is not None
    # What the case still says of itself: kinds, types, sizes and hashes of its files.
    assert [f.sha256 for f in case.evidence] == [hashlib.sha256(PNG).hexdigest()]
    assert case.power_of_attorney is not None
    assert case.power_of_attorney.sha256 == hashlib.sha256(PDF).hexdigest()

    auditor = {"Authorization": f"Bearer {sign_in(aws, 'auditor')}"}
    verified = client.http.get(f"/v1/audit/verify?case_id={case_id}", headers=auditor)
    assert verified.status_code == 200 and verified.json_body["verified"] is True, json.dumps(
        verified.json_body
    )
    # The trail keeps what a check needs: the hash of the poster's words, not the words.
    trail = {e.action: e.details for e in Repository().case_events(case_id)}
    assert trail["reposting_requested"]["statement_sha256"] == (
        hashlib.sha256(REPOSTING.encode()).hexdigest()
    )
    assert trail["appeal_filed"]["statement_sha256"] == hashlib.sha256(APPEAL.encode()).hexdigest()


def test_a_claimed_upload_no_longer_holds_its_file_name(aws: LocalStack) -> None:
    intake = build(Intake)
    name = "erasable-only-on-the-upload.png"
    upload_id = uploaded(intake, name, PNG, "image/png")
    assert left_of([name]) == [name]
    intake.submit_report(report([upload_id]), None, BASE)
    item = boto3.client("dynamodb").get_item(
        TableName=settings().cases_table,
        Key={"pk": {"S": f"UPLOAD#{upload_id}"}, "sk": {"S": "UPLOAD"}},
    )["Item"]
    assert "filename" not in item and item["case_id"]["S"]
