"""The sealer cannot get stuck: the checkpoint file is the commit point, adopted if unindexed.

A run may die, or fail to index, after it wrote checkpoint N; the next run must verify that file
and take it up instead of failing its own write of N for good. A file N that does not verify is
never adopted nor overwritten, and says so. Verification names events left unsealed too long.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from chalice.test import Client

from chalicelib import wiring
from chalicelib.adapters.aws import client as app_client
from chalicelib.adapters.checkpoints import CheckpointStore, checkpoint_key
from chalicelib.adapters.repository import Repository
from chalicelib.config import settings
from chalicelib.domain import merkle
from chalicelib.domain.clock import iso
from chalicelib.domain.verification import checkpoint_body_digest, checkpoint_hash
from chalicelib.services.audit import Audit
from chalicelib.services.audit_views import Verification
from chalicelib.services.checkpoints import Checkpoints, SealingBlocked
from chalicelib.services.intake import Intake
from chalicelib.wiring import build
from tests.conftest import sign_in
from tests.review_helpers import open_case
from tools.provision import LocalStack

START = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
ORIGIN = "2026-11-19T00:00:00.000Z"
RANGE = {"from": "2026-11-20T08:00:00.000Z", "to": "2026-11-20T10:00:00.000Z"}


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


class Killed(BaseException):
    """The function's end: a timeout or an out-of-memory kill, which no `except Exception` sees."""


def sealer(clock: Clock) -> Checkpoints:
    return build(Checkpoints, clock=clock, origin=ORIGIN)


def verify(clock: Clock, **params: str) -> Verification:
    return build(Audit, clock=clock).verify(params or RANGE)


def versions(seq: int) -> int:
    """Return how many versions of checkpoint file `seq` the bucket holds."""
    answer = boto3.client("s3").list_object_versions(
        Bucket=settings().checkpoint_bucket, Prefix=checkpoint_key(seq)
    )
    return len(answer.get("Versions", []))


def opened(clock: Clock) -> str:
    """Open a case now and move on past the seal lag; return its case id."""
    case_id, _ = open_case(build(Intake, clock=clock))
    clock.now += timedelta(minutes=2)
    return case_id


def test_a_file_whose_index_write_failed_is_adopted_and_sealing_goes_on(
    aws: LocalStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock()
    opened(clock)

    def refuse(*_: Any, **__: Any) -> None:
        raise ClientError(
            {"Error": {"Code": "InternalServerError", "Message": "injected"}}, "TransactWriteItems"
        )

    events = app_client("dynamodb").meta.events
    events.register("before-call.dynamodb.TransactWriteItems", refuse)
    with pytest.raises(ClientError):
        sealer(clock).seal()
    events.unregister("before-call.dynamodb.TransactWriteItems", refuse)
    written = CheckpointStore().read(1)
    assert written is not None and Repository().checkpoint_head() is None
    assert verify(clock).verified  # the file is the record, indexed or not

    clock.now += timedelta(minutes=5)
    with monkeypatch.context() as patch:
        patch.setattr(CheckpointStore, "sign", refuse)  # adopted as it is: nothing signed anew
        adopted = sealer(clock).seal()
    assert adopted == written
    head = Repository().checkpoint_head()
    assert head is not None and (head["seq"], head["hash"]) == (1, checkpoint_hash(written))
    assert head["sealed_at"] == written["sealed_at"] and head["through"] == written["through"]

    opened(clock)
    second = sealer(clock).seal()
    assert second is not None and second["seq"] == 2 and second["tree_size"] == 1
    assert second["previous_hash"] == checkpoint_hash(written)
    assert second["after"] == written["through"]
    assert versions(1) == 1
    found = verify(clock)
    assert found.verified, found.first_problem
    assert found.checkpoints == [1, 2] and found.checkpoints_verified == 2


def test_a_run_that_died_between_the_file_and_the_index_is_taken_up(
    aws: LocalStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock()
    opened(clock)

    def die(self: Repository, previous_seq: int, head: dict[str, Any]) -> None:
        raise Killed

    with monkeypatch.context() as patch:
        patch.setattr(Repository, "record_checkpoint", die)
        with pytest.raises(Killed):
            sealer(clock).seal_up()
    written = CheckpointStore().read(1)
    assert written is not None and Repository().checkpoint_head() is None

    opened(clock)
    run = sealer(clock).seal_up()
    assert [c["seq"] for c in run] == [1, 2]
    assert run[0] == written and run[1]["previous_hash"] == checkpoint_hash(written)
    assert run[1]["tree_size"] == 1
    head = Repository().checkpoint_head()
    assert head is not None and head["seq"] == 2
    found = verify(clock)
    assert found.verified and found.checkpoints_verified == 2, found.first_problem


def first_none(real: Callable[..., Any]) -> Callable[..., Any]:
    """Return `real` but that its first call answers None, as if it came a moment earlier."""
    calls: list[tuple[Any, ...]] = []

    def answer(*args: Any) -> Any:
        calls.append(args)
        return None if len(calls) == 1 else real(*args)

    return answer


def test_a_second_writer_of_the_same_window_adopts_the_first_writers_file(
    aws: LocalStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock()
    opened(clock)
    late = sealer(clock)
    # It read the head and the bucket before the other run sealed, so it signs and writes too.
    monkeypatch.setattr(
        late.repository, "checkpoint_head", first_none(late.repository.checkpoint_head)
    )
    monkeypatch.setattr(late.store, "read", first_none(late.store.read))
    first = sealer(clock).seal()
    assert first is not None

    second = late.seal()
    assert second == first
    assert versions(1) == 1 and CheckpointStore().read(1) == first
    head = Repository().checkpoint_head()
    assert head is not None and (head["seq"], head["hash"]) == (1, checkpoint_hash(first))


def capture(checkpoints: Checkpoints, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Return the checkpoint a run would write, stopping the run at its write."""
    built: list[dict[str, Any]] = []

    def write(seq: int, checkpoint: dict[str, Any]) -> None:
        built.append(checkpoint)
        raise Killed

    with monkeypatch.context() as patch:
        patch.setattr(checkpoints.store, "write", write)
        with pytest.raises(Killed):
            checkpoints.seal()
    return built[0]


def test_a_retry_of_the_same_window_builds_the_same_body(
    aws: LocalStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock()
    opened(clock)
    # Catching up: the window is a week from the origin, whenever the run comes.
    catching_up = build(Checkpoints, clock=clock, origin="2026-10-31T09:00:00.000Z")
    first = capture(catching_up, monkeypatch)
    clock.now += timedelta(minutes=3)
    retry = capture(catching_up, monkeypatch)
    assert first["through"] == "2026-11-07T09:00:00.000Z"
    assert {**first, "signature": ""} == {**retry, "signature": ""}
    assert first["signature"] != retry["signature"]  # ECDSA: only adoption gives the same bytes
    assert versions(1) == 0


def _root_changed(body: dict[str, Any]) -> dict[str, Any]:
    return {**body, "root": "00" * 32}


def _leaf_dropped(body: dict[str, Any]) -> dict[str, Any]:
    leaves = body["leaves"][1:]
    root = merkle.root(bytes.fromhex(leaf[3]) for leaf in leaves).hex()
    return {**body, "leaves": leaves, "tree_size": len(leaves), "root": root}


def _linked_elsewhere(body: dict[str, Any]) -> dict[str, Any]:
    return {**body, "previous_hash": "f" * 64}


def _window_moved(body: dict[str, Any]) -> dict[str, Any]:
    return {**body, "after": "2026-11-20T09:00:30.000Z"}


def _window_ahead(body: dict[str, Any]) -> dict[str, Any]:
    return {**body, "through": "2026-11-20T09:30:00.000Z"}


@pytest.mark.parametrize(
    ("change", "signed", "reason", "problem"),
    [
        (
            _root_changed,
            False,
            "its root does not match the tree of its leaves",
            "checkpoint 2 (0000000002.json): its root does not match the tree of its leaves",
        ),
        (
            _leaf_dropped,
            True,
            "its root does not match the events stored in its window",
            "whose window holds its time: forged or inserted",
        ),
        (
            _linked_elsewhere,
            True,
            "its previous_hash does not match the hash of checkpoint 1",
            "checkpoint 2 (0000000002.json): previous_hash does not match the hash of checkpoint 1",
        ),
        (
            _window_moved,
            True,
            "its window starts at 2026-11-20T09:00:30.000Z, not where checkpoint 1's ends",
            "checkpoint 2 (0000000002.json): its window",
        ),
        (
            _window_ahead,
            True,
            "its window ends at 2026-11-20T09:30:00.000Z, later than the seal lag allows",
            None,  # it holds what it seals, so far: the events of its time are named by case
        ),
    ],
    ids=["tampered root", "a leaf dropped, signed", "bad link", "window moved", "window ahead"],
)
def test_a_file_that_does_not_verify_is_not_adopted_and_is_named(
    aws: LocalStack,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    change: Callable[[dict[str, Any]], dict[str, Any]],
    signed: bool,
    reason: str,
    problem: str | None,
) -> None:
    clock = Clock()
    opened(clock)
    assert sealer(clock).seal() is not None
    case_id = opened(clock)
    genuine = capture(sealer(clock), monkeypatch)
    body = change({k: v for k, v in genuine.items() if k != "signature"})
    store = CheckpointStore()
    signature = store.sign(checkpoint_body_digest(body)) if signed else genuine["signature"]
    forged = {**body, "signature": signature}
    store.write(2, forged)

    caplog.set_level(logging.ERROR, "irc.checkpoints")
    for _ in range(2):  # and again on the next run: it stays blocked until an operator acts
        with pytest.raises(SealingBlocked) as blocked:
            sealer(clock).seal_up()
        assert blocked.value.seq == 2 and reason in blocked.value.reason
        clock.now += timedelta(minutes=5)
    assert str(blocked.value).startswith("checkpoint 2 blocks sealing: ")
    logged = [r for r in caplog.records if r.getMessage() == "checkpoint blocked"]
    assert [(r.levelname, getattr(r, "seq", None)) for r in logged] == [("ERROR", 2)] * 2
    assert all(case_id not in getattr(r, "reason", "") for r in logged)
    head = Repository().checkpoint_head()
    assert head is not None and head["seq"] == 1
    assert versions(2) == 1 and store.read(2) == forged and store.read(3) is None

    if problem:
        found = verify(clock)
        assert not found.verified and problem in str(found.first_problem)
    # The case's own verification sees its event left unsealed, overdue by now.
    by_case = verify(clock, case_id=case_id)
    assert not by_case.verified and by_case.first_bad_case_id == case_id
    assert "unsealed too long" in str(by_case.first_problem)


def test_events_unsealed_longer_than_two_periods_are_named(
    client: Client, aws: LocalStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock()
    case_id, _ = open_case(build(Intake, clock=clock))
    first = Repository().case_events(case_id)[0]
    # Two periods of five minutes and the seal lag of one: 11 minutes.
    clock.now = START + timedelta(minutes=11)
    for params in (RANGE, {"case_id": case_id}):
        fresh = verify(clock, **params)
        assert fresh.verified and fresh.unsealed_events >= 1, fresh.first_problem

    clock.now = START + timedelta(minutes=11, milliseconds=1)
    for params in (RANGE, {"case_id": case_id}):
        overdue = verify(clock, **params)
        assert not overdue.verified and overdue.first_problem is not None
        assert (overdue.first_bad_case_id, overdue.first_bad_seq) == (case_id, 1)
        assert overdue.first_bad_event == first.event_id
        assert overdue.first_problem.startswith(f"event {first.event_id} (case {case_id}, seq 1)")
        assert "unsealed too long" in overdue.first_problem
        assert (
            f"every event before {iso(clock.now - timedelta(minutes=11))} should be"
            in overdue.first_problem
        )

    wiring.use(build(Audit, clock=clock))
    token = sign_in(aws, "auditor")
    answer = client.http.get(
        f"/v1/audit/verify?case_id={case_id}", headers={"Authorization": f"Bearer {token}"}
    ).json_body
    assert answer["verified"] is False and "unsealed too long" in answer["first_problem"]
    assert answer["first_bad_event"] == first.event_id

    with monkeypatch.context() as patch:
        patch.setenv("CHECKPOINT_RATE_MINUTES", "60")
        settings.cache_clear()
        assert verify(clock).verified
    settings.cache_clear()

    assert sealer(clock).seal() is not None
    clock.now += timedelta(hours=1)
    for params in (RANGE, {"case_id": case_id}):
        sealed = verify(clock, **params)
        assert sealed.verified and sealed.unsealed_events == 0, sealed.first_problem
