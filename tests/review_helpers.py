"""Helpers to open cases and decide them through the use cases, on the in-process AWS."""

from __future__ import annotations

import json
from typing import Any

import boto3

from chalicelib.config import settings
from chalicelib.services.intake import Intake
from chalicelib.wiring import build
from tests.conftest import PNG, deliver_effects, put_staged, report

REASONS = {
    "ground": "illegal_content",
    "legal_ground": "Network Act art. 44-2",
    "facts": "The post shows the claimant's home address, as the screenshots prove.",
}


def staged_upload(intake: Intake, content: bytes = PNG, content_type: str = "image/png") -> str:
    """Grant an upload and store its file as the browser would; return the upload id."""
    grant = intake.request_upload(
        {"filename": "evidence.png", "content_type": content_type, "size": len(content)}
    )
    put_staged(grant.fields["key"], content, content_type)
    return grant.upload_id


def open_case(intake: Intake | None = None, **changes: Any) -> tuple[str, str]:
    """Submit a report, deliver what it promised, and return its case id and receipt token."""
    intake = intake or build(Intake)
    receipt, _ = intake.submit_report(
        report([staged_upload(intake)], **changes), None, "http://irc.test"
    )
    deliver_effects()
    return receipt.case_id, receipt.receipt_token


def decision(version: int, *measures: dict[str, Any], **reasons: Any) -> dict[str, Any]:
    """Return a decision body with `measures` against `version`."""
    return {
        "expected_version": version,
        "measures": list(measures),
        "reasons": {**REASONS, **reasons},
    }


def enforcement_messages() -> list[dict[str, Any]]:
    """Deliver what committed changes promised, then receive every message on the queue."""
    deliver_effects()
    sqs = boto3.client("sqs")
    found: list[dict[str, Any]] = []
    while True:
        answer = sqs.receive_message(
            QueueUrl=settings().enforcement_queue_url, MaxNumberOfMessages=10
        )
        batch = answer.get("Messages", [])
        if not batch:
            return found
        for message in batch:
            found.append(json.loads(message["Body"]))
            sqs.delete_message(
                QueueUrl=settings().enforcement_queue_url, ReceiptHandle=message["ReceiptHandle"]
            )


def stored_items(case_id: str) -> list[dict[str, Any]]:
    """Return every item of a case's partition, as DynamoDB holds it."""
    answer = boto3.client("dynamodb").query(
        TableName=settings().cases_table,
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": f"CASE#{case_id}"}},
    )
    return list(answer["Items"])
