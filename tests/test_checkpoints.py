"""Signed checkpoints: every event sealed into a Merkle tree, signed by KMS, written once."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from chalicelib.adapters.checkpoints import CheckpointStore, checkpoint_key
from chalicelib.adapters.repository import Repository
from chalicelib.config import settings
from chalicelib.domain import merkle
from chalicelib.domain.checkpoint import checkpoint_leaves
from chalicelib.domain.lifecycle import Actor
from chalicelib.domain.verification import checkpoint_body_digest, checkpoint_hash
from chalicelib.ports import CheckpointTaken
from chalicelib.services.checkpoints import Checkpoints
from chalicelib.services.intake import Intake
from chalicelib.services.review import Review
from chalicelib.wiring import build
from tests.review_helpers import decision, open_case

START = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


def sealer(clock: Clock) -> Checkpoints:
    return build(Checkpoints, clock=clock, origin="2026-11-19T00:00:00.000Z")


def verify_signature(checkpoint: dict[str, Any]) -> bool:
    body = {k: v for k, v in checkpoint.items() if k != "signature"}
    key = load_pem_public_key(CheckpointStore().public_key_pem().encode())
    assert isinstance(key, ec.EllipticCurvePublicKey)
    try:
        key.verify(
            base64.b64decode(checkpoint["signature"]),
            checkpoint_body_digest(body),
            ec.ECDSA(hashes.SHA256()),
        )
    except InvalidSignature:
        return False
    return True


def test_a_checkpoint_seals_every_event_since_the_last_into_a_signed_tree(aws: Any) -> None:
    clock = Clock()
    first_case, _ = open_case(build(Intake, clock=clock))
    second_case, _ = open_case(build(Intake, clock=clock))
    build(Review, clock=clock).decide(
        second_case,
        decision(1, {"type": "block_content", "days": 30}),
        Actor("reviewer:a", "reviewer"),
        "http://x",
    )
    clock.now += timedelta(minutes=2)
    checkpoint = sealer(clock).seal()
    assert checkpoint is not None
    events = [*Repository().case_events(first_case), *Repository().case_events(second_case)]
    assert checkpoint["tree_size"] == len(events) == 3
    leaves = checkpoint_leaves(sorted(events, key=lambda e: (e.case_id, e.seq)))
    assert checkpoint["root"] == merkle.root(leaves).hex()
    assert verify_signature(checkpoint)
    forged = {**checkpoint, "root": "00" * 32}
    assert not verify_signature(forged)

    tree = merkle.MerkleTree(leaves)
    for index, leaf in enumerate(leaves):
        assert merkle.verify_inclusion(
            leaf, index, tree.size, tree.inclusion_proof(index), bytes.fromhex(checkpoint["root"])
        )

    stored = boto3.client("s3").get_object(
        Bucket=settings().checkpoint_bucket, Key=checkpoint_key(1)
    )
    assert stored["ObjectLockMode"] == "COMPLIANCE"
    assert json.loads(stored["Body"].read()) == checkpoint


def test_checkpoints_chain_and_a_window_is_never_sealed_twice(aws: Any) -> None:
    clock = Clock()
    open_case(build(Intake, clock=clock))
    clock.now += timedelta(minutes=2)
    first = sealer(clock).seal()
    assert first is not None
    assert sealer(clock).seal() is None  # nothing new, and a day has not passed
    open_case(build(Intake, clock=clock))
    clock.now += timedelta(minutes=2)
    second = sealer(clock).seal()
    assert second is not None
    assert second["seq"] == 2 and second["tree_size"] == 1
    assert second["previous_hash"] == checkpoint_hash(first)
    assert second["after"] == first["through"]


def test_a_checkpoint_file_cannot_be_written_twice(aws: Any) -> None:
    clock = Clock()
    open_case(build(Intake, clock=clock))
    clock.now += timedelta(minutes=2)
    first = sealer(clock).seal()
    assert first is not None
    with pytest.raises(CheckpointTaken):
        CheckpointStore().write(1, {**first, "root": "00" * 32})
    assert CheckpointStore().read(1) == first


def test_an_event_written_just_now_waits_for_the_next_checkpoint(aws: Any) -> None:
    clock = Clock()
    open_case(build(Intake, clock=clock))
    checkpoint = sealer(clock).seal()
    assert checkpoint is None or checkpoint["tree_size"] == 0


def test_catching_up_over_quiet_weeks_moves_on_to_the_events_of_today(aws: Any) -> None:
    clock = Clock()
    case_id, _ = open_case(build(Intake, clock=clock))
    clock.now += timedelta(minutes=2)
    # The trail starts 20 days back: three windows of at most a week, two of them empty.
    catching_up = build(Checkpoints, clock=clock, origin="2026-10-31T09:00:00.000Z")
    sealed = [catching_up.seal() for _ in range(4)]
    assert [c["tree_size"] if c else None for c in sealed] == [0, 0, 1, None]
    last = sealed[2]
    assert last is not None and last["leaves"][0][0] == case_id


def test_one_run_catches_up_in_as_many_checkpoints_as_it_takes(aws: Any) -> None:
    clock = Clock()
    open_case(build(Intake, clock=clock))
    clock.now += timedelta(minutes=2)
    catching_up = build(Checkpoints, clock=clock, origin="2026-10-31T09:00:00.000Z")
    assert [c["tree_size"] for c in catching_up.seal_up(limit=2)] == [0, 0]  # two at most
    assert [c["tree_size"] for c in catching_up.seal_up()] == [1]  # and the present
    assert catching_up.seal_up() == []  # caught up, nothing new
    open_case(build(Intake, clock=clock))
    clock.now += timedelta(minutes=2)
    assert [c["tree_size"] for c in catching_up.seal_up()] == [1]
