"""Whatever AWS call of a decision fails, its statement of reasons is exported exactly once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from chalice.test import Client

from chalicelib.domain.clock import iso
from tests.conftest import PNG, post_json, report, sign_in, upload
from tests.faults import KINDS, Crash, Faults
from tests.review_helpers import decision
from tests.test_chaos import forget_process_caches, send
from tools.provision import LocalStack

PUBLIC = "The board post showed a person's photo without their consent."
BLOCK = {"type": "block_content", "days": 1}


def opened_case(client: Client) -> str:
    response = post_json(client, "/v1/reports", report([upload(client, PNG)]))
    assert response.status_code == 201, response.body
    return str(response.json_body["case_id"])


@pytest.fixture
def faults(client: Client) -> Iterator[Faults]:
    yield Faults().install()


def exported(client: Client, aws: LocalStack) -> dict[str, list[str]]:
    now = datetime.now(UTC)
    query = f"from={iso(now - timedelta(days=1))}&to={iso(now + timedelta(days=1))}"
    page = client.http.get(
        f"/v1/transparency/statements?{query}",
        headers={"Authorization": f"Bearer {sign_in(aws, 'auditor')}"},
    ).json_body
    return {
        "statements": [s["puid"] for s in page["statements"]],
        "refused": [r["puid"] for r in page["refused"]],
    }


@pytest.mark.parametrize("kind", KINDS)
def test_a_decisions_statement_is_exported_once_whatever_fails(
    client: Client, aws: LocalStack, faults: Faults, kind: str
) -> None:
    reviewer = {"Authorization": f"Bearer {sign_in(aws, 'reviewer')}"}
    body = decision(1, BLOCK, public_facts=PUBLIC)
    at = 0
    decided = []
    while True:
        case_id = opened_case(client)
        forget_process_caches()
        faults.arm(kind, at)
        try:
            response = send(client, f"/v1/cases/{case_id}/decisions", body, reviewer)
        except Crash:
            raise AssertionError("the decision never succeeded") from None
        assert response.status_code == 201, response.json_body
        faults.disarm()
        decided.append(response.json_body)
        if not faults.fired:
            break
        at += 1
    assert len(decided) > 2  # a clean run, and one for each call of a decision
    found = exported(client, aws)
    assert found["refused"] == []
    assert len(found["statements"]) == len(set(found["statements"])) == len(decided)
