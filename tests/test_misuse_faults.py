"""Whatever AWS call fails, a strike commits with the decision that counts it, and a suspension
with the change of the case it was decided on: both, or neither."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from chalice.test import Client

from chalicelib.adapters.derived_keys import forget_derived_keys
from chalicelib.adapters.repository import Repository
from chalicelib.config import settings
from tests.conftest import PNG, deliver_effects, post_json, report, sign_in, upload
from tests.faults import KINDS, Crash, Faults
from tests.review_helpers import decision
from tools.provision import LocalStack

TARGET = {
    "surface": "open_chat_board",
    "url": "https://open.kakao.com/o/gABC",
    "account_ref": "kakao:acct-90001",
}
REASONS = {
    "ground": "DSA art. 23(2): manifestly unfounded notices",
    "facts": "Both reports of this user's posts were found not infringing.",
}


@pytest.fixture
def faults(client: Client) -> Iterator[Faults]:
    yield Faults().install()


def items_under(prefix: str) -> list[dict[str, Any]]:
    found = boto3.client("dynamodb").scan(TableName=settings().cases_table)["Items"]
    return [i for i in found if i["pk"]["S"].startswith(prefix)]


def attempt(client: Client, path: str, body: Any, headers: dict[str, str]) -> int | None:
    try:
        return int(post_json(client, path, body, headers).status_code)
    except Crash:
        return None


def opened(client: Client, **changes: Any) -> dict[str, Any]:
    email = f"c-{uuid.uuid4().hex[:8]}@example.com"
    claimant = {"name": "김민지", "email": email, "relationship": "self"}
    answer = post_json(
        client, "/v1/reports", report([upload(client, PNG)], claimant=claimant, **changes)
    )
    assert answer.status_code == 201, answer.body
    deliver_effects()
    receipt: dict[str, Any] = answer.json_body
    return receipt


@pytest.mark.parametrize("kind", KINDS)
def test_a_strike_commits_with_its_decision_or_not_at_all(
    client: Client, aws: LocalStack, faults: Faults, kind: str
) -> None:
    reviewer = {"Authorization": f"Bearer {sign_in(aws, 'reviewer')}"}
    block = decision(1, {"type": "block_content", "days": 30})
    faults.arm(None, -1)
    case_id = opened(client, target=TARGET)["case_id"]
    forget_derived_keys()
    assert attempt(client, f"/v1/cases/{case_id}/decisions", block, reviewer) == 201
    writes = the_writes(faults)
    strikes = len(items_under("ACCOUNT#"))
    assert strikes == 1
    for at in writes:
        faults.arm(None, -1)
        case_id = opened(client, target=TARGET)["case_id"]
        forget_derived_keys()
        faults.arm(kind, at)
        attempt(client, f"/v1/cases/{case_id}/decisions", block, reviewer)
        faults.disarm()
        case = Repository().get_case(case_id)
        assert case is not None
        decided = case.version == 2
        strikes_now = len(items_under("ACCOUNT#"))
        assert strikes_now == strikes + (1 if decided else 0), (kind, at, faults.fired)
        strikes = strikes_now


@pytest.mark.parametrize("kind", KINDS)
def test_a_suspension_commits_with_its_cases_trail_or_not_at_all(
    client: Client, aws: LocalStack, faults: Faults, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UNFOUNDED_TO_WARN", "0")  # one rejection is enough to suspend
    settings.cache_clear()
    reviewer = {"Authorization": f"Bearer {sign_in(aws, 'reviewer')}"}
    reject = decision(1, {"type": "reject", "reason": "not_rights_holder"})

    def rejected() -> str:
        faults.arm(None, -1)
        case_id = str(opened(client)["case_id"])
        answer = post_json(client, f"/v1/cases/{case_id}/decisions", reject, reviewer)
        assert answer.status_code == 201, answer.body
        forget_derived_keys()
        return case_id

    case_id = rejected()
    body = {"case_id": case_id, "days": 3, "reasons": REASONS}
    assert attempt(client, "/v1/claimants/suspensions", body, reviewer) == 201
    for at in the_writes(faults):
        case_id = rejected()
        faults.arm(kind, at)
        body = {"case_id": case_id, "days": 3, "reasons": REASONS}
        attempt(client, "/v1/claimants/suspensions", body, reviewer)
        faults.disarm()
        case = Repository().get_case(case_id)
        assert case is not None
        actions = [e.action for e in Repository().case_events(case_id)]
        suspended = case.claimant_suspension is not None
        assert suspended == ("claimant_suspended" in actions), (kind, at)
        assert suspended == bool(items_under("CLAIMANT#") and _suspension_of(case_id))
    settings.cache_clear()


def the_writes(faults: Faults) -> list[int]:
    """Return the numbers of the calls that write: the transaction, and the read before it."""
    writes = [n for n, name in enumerate(faults.calls) if name == "dynamodb.TransactWriteItems"]
    assert writes
    return [writes[0] - 1, *writes]


def _suspension_of(case_id: str) -> bool:
    return any(
        i["sk"]["S"] == "SUSPENSION" and i["case_id"]["S"] == case_id
        for i in items_under("CLAIMANT#")
    )
