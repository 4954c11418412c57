"""Repeat infringers and unfounded notices over HTTP on the in-process AWS: the account reference
kept as given and shown only to staff, and a suspended address refused with a 403 problem."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from chalice.test import Client

from chalicelib.config import settings
from tests.conftest import PNG, header, post_json, report, upload
from tests.review_helpers import decision, enforcement_messages
from tests.test_review_api import bearer
from tools.provision import LocalStack

ACCOUNT = "kakao:acct-55120"
TARGET = {
    "surface": "open_chat_board",
    "url": "https://open.kakao.com/o/gABC",
    "account_ref": ACCOUNT,
}
REASONS = {
    "ground": "DSA art. 23(2): manifestly unfounded notices",
    "facts": "Both reports of this user's posts were found not infringing.",
}


def submitted(client: Client, **changes: Any) -> Any:
    return post_json(client, "/v1/reports", report([upload(client, PNG)], **changes))


def reject(client: Client, aws: LocalStack, case_id: str) -> None:
    body = decision(1, {"type": "reject", "reason": "not_infringing"})
    answer = post_json(client, f"/v1/cases/{case_id}/decisions", body, bearer(aws))
    assert answer.status_code == 201, answer.body


def test_the_account_reference_is_kept_as_given_for_staff_and_hashed_elsewhere(
    client: Client, aws: LocalStack
) -> None:
    receipt = submitted(client, target=TARGET).json_body
    case_id = receipt["case_id"]
    block = decision(1, {"type": "block_content", "days": 30})
    assert (
        post_json(client, f"/v1/cases/{case_id}/decisions", block, bearer(aws)).status_code == 201
    )
    staff = client.http.get(f"/v1/cases/{case_id}", headers=bearer(aws)).json_body
    assert staff["case"]["target"]["account_ref"] == ACCOUNT
    history = staff["account_history"]
    assert (history["standing"], history["suggestion"]) == (1, "none")
    assert history["strikes"][0]["measures"] == ["block_content"]

    status = client.http.get(
        f"/v1/reports/{case_id}", headers={"X-Receipt-Token": receipt["receipt_token"]}
    )
    assert "account_ref" not in status.json_body["target"]
    messages = json.dumps(enforcement_messages())
    mails = json.dumps(boto3.client("ses").list_identities())  # the sender only, no mail text
    from moto.backends import get_backend

    sent = [
        m.body for b in get_backend("ses").values() for r in b.values() for m in r.sent_messages
    ]
    # The reference is on the case item alone: the strike's partition is keyed by its hash.
    table = boto3.client("dynamodb")
    holding = [
        (item["pk"]["S"], item["sk"]["S"])
        for item in table.scan(TableName=settings().cases_table)["Items"]
        if ACCOUNT in json.dumps(item)
    ]
    trail = [
        item
        for item in table.scan(TableName=settings().audit_table)["Items"]
        if ACCOUNT in json.dumps(item)
    ]
    assert holding == [(f"CASE#{case_id}", "CASE")]
    assert trail == [] and ACCOUNT not in messages + mails + json.dumps(sent)


def test_an_account_reference_with_a_space_is_refused_naming_it(client: Client) -> None:
    answer = submitted(client, target={**TARGET, "account_ref": "acct 1"})
    assert answer.status_code == 422
    assert header(answer, "content-type") == "application/problem+json"
    assert [e["field"] for e in answer.json_body["errors"]] == ["target.account_ref"]


def test_a_suspended_address_is_refused_a_report_with_a_403_problem_until_lifted(
    client: Client, aws: LocalStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UNFOUNDED_TO_WARN", "1")  # warned after one; suspended after two
    settings.cache_clear()
    first = submitted(client).json_body
    reject(client, aws, first["case_id"])
    body = {"case_id": first["case_id"], "days": 7, "reasons": REASONS}
    below = post_json(client, "/v1/claimants/suspensions", body, bearer(aws))
    assert below.status_code == 409, below.body
    second = submitted(client).json_body
    reject(client, aws, second["case_id"])
    body = {"case_id": second["case_id"], "days": 7, "reasons": REASONS}
    suspended = post_json(client, "/v1/claimants/suspensions", body, bearer(aws))
    assert suspended.status_code == 201, suspended.body
    assert post_json(client, "/v1/claimants/suspensions", body).status_code == 401

    refused = submitted(client)
    assert refused.status_code == 403
    assert header(refused, "content-type") == "application/problem+json"
    problem = refused.json_body
    ends = suspended.json_body["suspension"]["ends_at"]
    assert problem["code"] == "claimant_suspended" and problem["suspended_until"] == ends
    assert problem["suspended_until_korea"].endswith("KST")
    contest = f"/v1/claimants/suspensions/{second['case_id']}/contest"
    assert problem["contest"] == contest

    said = {"statement": "I reported in good faith: the posts show my own photos."}
    token = {"X-Receipt-Token": second["receipt_token"]}
    assert (
        post_json(client, contest, said, {"X-Receipt-Token": first["receipt_token"]}).status_code
        == 404
    )
    contested = post_json(client, contest, said, token)
    assert contested.status_code == 201, contested.body
    lift = f"/v1/claimants/suspensions/{second['case_id']}/lift"
    lifted = post_json(
        client, lift, {"facts": "The contest shows the photos are hers."}, bearer(aws)
    )
    assert lifted.status_code == 201, lifted.body
    assert submitted(client).status_code == 201
    settings.cache_clear()
