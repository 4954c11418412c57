"""Auditors verify the stored trail through the API: each kind of tampering is named.

The trail is tampered the way someone with write access to the table and the bucket, but not
the audit key, could: items rewritten or deleted behind the service's back, a checkpoint
overwritten with a new version. `GET /v1/audit/verify` must name the first thing that breaks,
by case (`?case_id=`) and by time range (`?from=&to=`), and be served without a Scan.
"""

from __future__ import annotations

import base64
import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import boto3
import pytest
from chalice.test import Client

from chalicelib import wiring
from chalicelib.adapters import keys
from chalicelib.adapters.aws import client as app_client
from chalicelib.adapters.checkpoints import checkpoint_key
from chalicelib.config import settings
from chalicelib.domain import merkle
from chalicelib.services.audit import Audit
from chalicelib.wiring import build
from tests.conftest import header, sign_in
from tests.test_verify_audit import START, Event, Trail, build_trail, rehash
from tools.provision import LocalStack

WHOLE = "from=2026-11-20T08:00:00.000Z&to=2026-11-20T10:00:00.000Z"


@pytest.fixture
def trail(aws: LocalStack) -> Trail:
    # Verified the minute it was built: its newest events are not yet overdue for a seal.
    wiring.use(build(Audit, clock=lambda: START + timedelta(minutes=22)))
    return build_trail()


def auditor(aws: LocalStack) -> dict[str, str]:
    return {"Authorization": f"Bearer {sign_in(aws, 'auditor')}"}


def verify(client: Client, aws: LocalStack, query: str) -> dict[str, Any]:
    response = client.http.get(f"/v1/audit/verify?{query}", headers=auditor(aws))
    assert response.status_code == 200, response.body
    answer: dict[str, Any] = response.json_body
    return answer


def table() -> Any:
    return boto3.resource("dynamodb").Table(settings().audit_table)


def put_event(event: Event) -> None:
    """Write an event item as it is, index keys and all, past every condition."""
    table().put_item(
        Item={
            **keys.event_key(event["case_id"], event["seq"]),
            **keys.event_index_keys(event["event_id"], event["actor_id"], event["occurred_at"]),
            **event,
        }
    )


def delete_event(*events: Event) -> None:
    for event in events:
        table().delete_item(Key=keys.event_key(event["case_id"], event["seq"]))


def overwrite_checkpoint(checkpoint: dict[str, Any]) -> None:
    """Write a new version of a checkpoint object (the locked old version stays beneath it)."""
    boto3.client("s3").put_object(
        Bucket=settings().checkpoint_bucket,
        Key=checkpoint_key(checkpoint["seq"]),
        Body=json.dumps(checkpoint, sort_keys=True).encode(),
        ChecksumAlgorithm="SHA256",
    )


@dataclass
class Tampering:
    """A change to the stored trail, the case it touches, and what verification must name."""

    change: Callable[[Trail], None]
    case: str
    first_bad: Callable[[Trail], tuple[str | None, str, int]]  # event id, case name, seq
    reason: str


def _at(case: str, seq: int, known: bool = True) -> Callable[[Trail], tuple[str | None, str, int]]:
    return lambda trail: (trail.event(case, seq)["event_id"] if known else None, case, seq)


def _changed_field(trail: Trail) -> None:
    put_event({**trail.event("a", 2), "actor_id": "reviewer:someone-else"})


def _swapped(trail: Trail) -> None:
    second, third = trail.event("a", 2), trail.event("a", 3)
    put_event({**third, "seq": 2})
    put_event({**second, "seq": 3})


FORGED_ID = "01KFORGED0000000000000000X"


def _forged(trail: Trail) -> None:
    last = trail.event("c", 2)
    put_event(
        rehash(
            {
                **last,
                "event_id": FORGED_ID,
                "seq": 3,
                "action": "delete_content",
                "occurred_at": "2026-11-20T09:07:00.000Z",  # in checkpoint 2's window
                "prev_hash": last["hash"],
            }
        )
    )


def _whole_case(trail: Trail) -> None:
    delete_event(*(trail.event("b", seq) for seq in (1, 2, 3)))


def _new_root(trail: Trail) -> None:
    overwrite_checkpoint({**trail.checkpoints[1], "root": "00" * 32})


def _dropped_leaf(trail: Trail) -> None:
    # Rebuilt consistently, as someone without the key could: only the signature tells.
    checkpoint = dict(trail.checkpoints[1])
    leaves = checkpoint["leaves"][1:]
    checkpoint["leaves"], checkpoint["tree_size"] = leaves, len(leaves)
    checkpoint["root"] = merkle.root(bytes.fromhex(leaf[3]) for leaf in leaves).hex()
    overwrite_checkpoint(checkpoint)


def _borrowed_signature(trail: Trail) -> None:
    signature = base64.b64encode(b"\x30\x06\x02\x01\x01\x02\x01\x01").decode()
    overwrite_checkpoint({**trail.checkpoints[1], "signature": signature})


TAMPERINGS = {
    "a changed field": Tampering(
        _changed_field, "a", _at("a", 2), "its hash does not match its content"
    ),
    "a removed event in the middle": Tampering(
        lambda trail: delete_event(trail.event("a", 2)),
        "a",
        _at("a", 2),
        "checkpoint 1 sealed it, but the trail does not hold it",
    ),
    "the newest sealed event removed": Tampering(
        lambda trail: delete_event(trail.event("d", 3)),
        "d",
        _at("d", 3),
        "checkpoint 4 sealed it, but the trail does not hold it",
    ),
    "the newest events removed before any checkpoint sealed them": Tampering(
        lambda trail: delete_event(trail.event("g", 2), trail.event("g", 3)),
        "g",
        _at("g", 2, known=False),
        "the case's chain head is seq 3, its trail ends at seq 1 (seq 2 to 3 removed)",
    ),
    "two events swapped": Tampering(
        _swapped,
        "a",
        lambda trail: (trail.event("a", 3)["event_id"], "a", 2),
        "its hash does not match its content",
    ),
    "a forged event inserted": Tampering(
        _forged,
        "c",
        lambda trail: (FORGED_ID, "c", 3),
        "not sealed by checkpoint 2, whose window holds its time: forged or inserted",
    ),
    "a whole case's events removed": Tampering(
        _whole_case, "b", _at("b", 1), "checkpoint 1 sealed it, but the trail does not hold it"
    ),
}


@pytest.mark.parametrize("mode", ["range", "case"])
@pytest.mark.parametrize("name", list(TAMPERINGS))
def test_each_tampering_is_named(
    client: Client, aws: LocalStack, trail: Trail, name: str, mode: str
) -> None:
    tampering = TAMPERINGS[name]
    case_id = trail.cases[tampering.case]
    query = WHOLE if mode == "range" else f"case_id={case_id}"
    assert verify(client, aws, query)["verified"] is True

    tampering.change(trail)
    found = verify(client, aws, query)
    event_id, case, seq = tampering.first_bad(trail)
    assert found["verified"] is False
    assert (found["first_bad_case_id"], found["first_bad_seq"]) == (trail.cases[case], seq)
    assert found["first_bad_event"] == event_id, found["first_problem"]
    assert tampering.reason in found["first_problem"]
    assert found["first_bad_checkpoint"] is None


def test_a_whole_case_removed_is_named_by_its_own_case_even_unsealed(
    client: Client, aws: LocalStack, trail: Trail
) -> None:
    delete_event(*(trail.event("g", seq) for seq in (1, 2, 3)))
    found = verify(client, aws, f"case_id={trail.cases['g']}")
    assert found["verified"] is False and found["first_bad_seq"] == 1
    assert (
        "the case's chain head is seq 3, but the trail holds none of its events"
        in (found["first_problem"])
    )


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (_new_root, "its root does not match the tree of its leaves"),
        (_dropped_leaf, "its signature does not verify with the audit key"),
        (_borrowed_signature, "its signature does not verify with the audit key"),
    ],
)
@pytest.mark.parametrize("mode", ["range", "case"])
def test_a_changed_checkpoint_is_named(
    client: Client,
    aws: LocalStack,
    trail: Trail,
    change: Callable[[Trail], None],
    reason: str,
    mode: str,
) -> None:
    change(trail)  # checkpoint 2 seals b2, b3 and d1
    found = verify(client, aws, WHOLE if mode == "range" else f"case_id={trail.cases['d']}")
    assert found["verified"] is False and found["first_bad_checkpoint"] == 2
    assert found["first_problem"] == f"checkpoint 2 (0000000002.json): {reason}"


def test_an_untouched_trail_verifies_whole_and_in_parts(
    client: Client, aws: LocalStack, trail: Trail
) -> None:
    whole = verify(client, aws, WHOLE)
    counts = ("events", "cases", "sealed_events", "unsealed_events", "checkpoints_verified")
    assert [whole[name] for name in counts] == [len(trail.events), len(trail.cases), 13, 4, 4]
    assert whole["checkpoints"] == [1, 2, 3, 4]
    assert whole["problems"] == 0 and whole["first_problem"] is None and whole["verified"]
    # Widened to the checkpoint windows the range touches: 2 and 3, checked whole.
    part = verify(client, aws, "from=2026-11-20T09:06:00Z&to=2026-11-20T09:12:00Z")
    second, third = trail.checkpoints[1], trail.checkpoints[2]
    assert (part["after"], part["through"]) == (second["after"], third["through"])
    assert part["checkpoints"] == [2, 3] and part["checkpoints_verified"] == 2
    assert part["verified"] is True
    assert part["events"] == 5  # b2, b3, d1, c2, e1
    for name in "abcdefg":
        assert verify(client, aws, f"case_id={trail.cases[name]}")["verified"] is True


def test_a_range_is_checked_against_the_bucket_not_only_the_index(
    client: Client, aws: LocalStack, trail: Trail
) -> None:
    # The index items that locate checkpoints are gone: the bucket still holds the record.
    cases = boto3.resource("dynamodb").Table(settings().cases_table)
    for checkpoint in trail.checkpoints[2:]:
        cases.delete_item(Key=keys.checkpoint_key(checkpoint["through"]))
    delete_event(trail.event("d", 3))  # sealed by checkpoint 4
    found = verify(client, aws, WHOLE)
    assert found["checkpoints"] == [1, 2, 3, 4]
    assert found["first_bad_event"] == trail.event("d", 3)["event_id"]


@pytest.mark.parametrize(
    ("query", "where"),
    [
        ("", ""),
        ("from=2026-11-20T09:00:00Z", ""),
        ("from=yesterday&to=2026-11-20T09:00:00Z", "from"),
        ("from=2026-11-20T09:00:00Z&to=2026-11-19T09:00:00Z", ""),
        ("from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z", ""),
        ("case_id=x&from=2026-11-20T09:00:00Z&to=2026-11-20T10:00:00Z", ""),
        ("case_id=x&colour=blue", "colour"),
    ],
)
def test_a_bad_verification_query_is_a_clear_422(
    client: Client, aws: LocalStack, query: str, where: str
) -> None:
    response = client.http.get(f"/v1/audit/verify?{query}", headers=auditor(aws))
    assert response.status_code == 422, response.body
    assert header(response, "content-type") == "application/problem+json"
    problem = response.json_body
    assert problem["errors"] and problem["errors"][0]["field"] == where, problem


def test_an_unknown_case_is_404_and_only_auditors_verify(
    client: Client, aws: LocalStack, trail: Trail
) -> None:
    response = client.http.get("/v1/audit/verify?case_id=01NOSUCHCASE", headers=auditor(aws))
    assert response.status_code == 404
    reviewer = {"Authorization": f"Bearer {sign_in(aws, 'reviewer')}"}
    assert client.http.get(f"/v1/audit/verify?{WHOLE}", headers=reviewer).status_code == 403


@pytest.fixture
def calls(aws: LocalStack) -> Iterator[Counter[str]]:
    """Count the DynamoDB calls the app's own client makes."""
    counted: Counter[str] = Counter()
    app_client("dynamodb").meta.events.register(
        "before-call.dynamodb", lambda model, **_: counted.update([model.name])
    )
    yield counted


def test_every_audit_query_is_served_by_query(
    client: Client, aws: LocalStack, trail: Trail, calls: Counter[str]
) -> None:
    headers = auditor(aws)
    a2 = trail.event("a", 2)
    shards = len(keys.day_partitions("2026-11-20"))
    expected = {
        f"/v1/audit/events?case_id={trail.cases['a']}": {"Query": 1},
        "/v1/audit/events?actor=reviewer:r1&limit=2": {"Query": 1},
        f"/v1/audit/events?{WHOLE}": {"Query": shards},  # one per shard of the day
        f"/v1/audit/events?{WHOLE}&action=block_content": {"Query": shards},
        "/v1/audit/checkpoints": {"Query": 1},
        f"/v1/audit/events/{a2['event_id']}/proof": {"Query": 2},  # the event, its checkpoint
        f"/v1/audit/export?{WHOLE}": {"Query": shards},
        # the checkpoint index, each shard of the day, the heads of the cases seen
        f"/v1/audit/verify?{WHOLE}": {"Query": 1 + shards, "BatchGetItem": 1},
        # its events, the checkpoint of their time (all in one), its head
        f"/v1/audit/verify?case_id={trail.cases['a']}": {"Query": 2, "GetItem": 1},
    }
    for path, counted in expected.items():
        calls.clear()
        response = client.http.get(path, headers=headers)
        assert response.status_code == 200, (path, response.body)
        assert "Scan" not in calls
        assert dict(calls) == counted, path


def test_damage_beyond_tampering_is_named_not_a_500(
    client: Client, aws: LocalStack, trail: Trail
) -> None:
    # An event item that lost a field, and a checkpoint overwritten with what is not JSON.
    broken = {k: v for k, v in trail.event("e", 1).items() if k != "prev_hash"}
    put_event(broken)
    boto3.client("s3").put_object(
        Bucket=settings().checkpoint_bucket,
        Key=checkpoint_key(4),
        Body=b"{not json",
        ChecksumAlgorithm="SHA256",
    )
    found = verify(client, aws, WHOLE)
    assert found["first_problem"] == (
        "checkpoint 4 (0000000004.json): version is missing or not an int"
    )
    assert found["problems"] >= 2
    by_case = verify(client, aws, f"case_id={trail.cases['e']}")
    assert by_case["first_bad_event"] == broken["event_id"]
    assert by_case["first_problem"].endswith("is not an event as stored: no prev_hash")


def test_a_range_that_starts_mid_chain_is_tied_to_the_event_before(
    client: Client, aws: LocalStack, trail: Trail
) -> None:
    # Past the newest checkpoint, from between g's first event and its next two.
    tail = "from=2026-11-20T09:21:30.000Z&to=2026-11-20T10:00:00.000Z"
    found = verify(client, aws, tail)
    assert found["verified"] is True and found["events"] == 2 and found["unsealed_events"] == 2
    first, second = trail.event("g", 1), trail.event("g", 2)

    put_event(rehash({**first, "actor_id": "claimant-rewritten"}))
    rewritten = verify(client, aws, tail)
    assert rewritten["first_bad_event"] == second["event_id"]
    assert "prev_hash does not match seq 1 as the trail holds it" in rewritten["first_problem"]

    delete_event(first)
    removed = verify(client, aws, tail)
    assert (removed["first_bad_seq"], removed["first_bad_event"]) == (1, None)
    assert removed["first_problem"].endswith("missing, though seq 2 follows it")


def test_a_range_too_full_for_one_answer_is_a_422_that_says_what_to_do(
    client: Client, aws: LocalStack, trail: Trail, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chalicelib.services import audit

    monkeypatch.setattr(audit, "MAX_VERIFY_EVENTS", len(trail.events) - 1)
    response = client.http.get(f"/v1/audit/verify?{WHOLE}", headers=auditor(aws))
    assert response.status_code == 422
    assert "verify it in parts, or export it" in response.json_body["detail"]
    monkeypatch.setattr(audit, "MAX_VERIFY_EVENTS", len(trail.events))
    assert verify(client, aws, WHOLE)["verified"] is True
