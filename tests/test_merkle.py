"""Merkle trees of RFC 9162 §2.1, checked against a literal recursive reading of the RFC."""

from __future__ import annotations

import hashlib
import os
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.domain.audit import EMPTY_CHAIN, AuditEvent, next_event
from chalicelib.domain.checkpoint import checkpoint_leaves, sealing_order
from chalicelib.domain.merkle import (
    EMPTY_ROOT,
    MerkleTree,
    TreeHasher,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root,
    verify_consistency,
    verify_inclusion,
)
from tests import reference_merkle as ref

LEAVES = [f"leaf {i}".encode() for i in range(1025)]
LARGE_SIZES = [1000, 1023, 1024, 1025]

distinct_leaves = st.lists(st.binary(min_size=1, max_size=12), min_size=1, max_size=70, unique=True)


def flip(data: bytes, bit: int) -> bytes:
    changed = bytearray(data)
    changed[bit // 8] ^= 1 << (bit % 8)
    return bytes(changed)


def test_the_empty_tree_hashes_the_empty_string() -> None:
    expected = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert EMPTY_ROOT.hex() == expected
    assert root([]).hex() == expected
    assert MerkleTree([]).root.hex() == expected


def test_a_single_empty_leaf_hashes_one_zero_byte() -> None:
    expected = "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
    assert root([b""]).hex() == expected
    assert leaf_hash(b"").hex() == expected


def test_leaves_and_nodes_are_hashed_apart() -> None:
    a, b = leaf_hash(b"a"), leaf_hash(b"b")
    assert a == hashlib.sha256(b"\x00a").digest()
    assert node_hash(a, b) == hashlib.sha256(b"\x01" + a + b).digest()
    assert root([b"a", b"b"]) == node_hash(a, b)
    # Without the prefixes, a node would be a leaf whose data is two hashes.
    assert root([a + b]) != root([b"a", b"b"])


@pytest.mark.parametrize("size", range(71))
def test_roots_and_every_inclusion_proof_match_the_rfc(size: int) -> None:
    leaves = LEAVES[:size]
    tree = MerkleTree(leaves)
    expected_root = ref.mth(leaves)
    assert root(leaves) == tree.root == expected_root
    for index in range(size):
        expected = ref.path(index, leaves)
        assert inclusion_proof(leaves, index) == tree.inclusion_proof(index) == expected
        assert verify_inclusion(leaves[index], index, size, expected, expected_root)


@pytest.mark.parametrize("size", LARGE_SIZES)
def test_large_trees_match_the_rfc(size: int) -> None:
    leaves = LEAVES[:size]
    tree = MerkleTree(leaves)
    expected_root = ref.mth(leaves)
    assert root(leaves) == tree.root == expected_root
    edges = {0, 1, 511, 512, 513, size // 2, size - 2, size - 1}
    for index in edges | set(random.Random(size).sample(range(size), 8)):
        expected = ref.path(index, leaves)
        assert inclusion_proof(leaves, index) == tree.inclusion_proof(index) == expected
    for index in range(size):
        proof = tree.inclusion_proof(index)
        assert verify_inclusion(leaves[index], index, size, proof, expected_root)
        assert ref.verify_inclusion(leaves[index], index, size, proof, expected_root)


def test_every_consistency_proof_up_to_forty_leaves_matches_the_rfc() -> None:
    for new_size in range(1, 41):
        leaves = LEAVES[:new_size]
        tree = MerkleTree(leaves)
        new_root = tree.root
        for old_size in range(1, new_size + 1):
            old_root = ref.mth(leaves[:old_size])
            expected = ref.proof(old_size, leaves)
            assert consistency_proof(leaves, old_size) == expected
            assert tree.consistency_proof(old_size) == expected
            assert verify_consistency(old_size, new_size, old_root, new_root, expected)
            assert ref.verify_consistency(old_size, new_size, old_root, new_root, expected)


def test_large_consistency_proofs_verify() -> None:
    tree = MerkleTree(LEAVES)
    for old_size in (1, 2, 511, 512, 513, 1000, 1023, 1024, 1025):
        old_root = root(LEAVES[:old_size])
        proof = tree.consistency_proof(old_size)
        assert proof == consistency_proof(LEAVES, old_size)
        assert verify_consistency(old_size, len(LEAVES), old_root, tree.root, proof)


def test_the_incremental_hasher_gives_the_root_of_every_prefix() -> None:
    hasher = TreeHasher()
    for size, data in enumerate(LEAVES[:70]):
        assert hasher.size == size
        assert hasher.root() == ref.mth(LEAVES[:size])
        hasher.append(data)


def test_proofs_cannot_be_asked_outside_the_tree() -> None:
    leaves = LEAVES[:5]
    for index in (-1, 5):
        with pytest.raises(ValueError, match="outside"):
            inclusion_proof(leaves, index)
        with pytest.raises(ValueError, match="outside"):
            MerkleTree(leaves).inclusion_proof(index)
    for old_size in (0, 6):
        with pytest.raises(ValueError, match="old size"):
            consistency_proof(leaves, old_size)
        with pytest.raises(ValueError, match="old size"):
            MerkleTree(leaves).consistency_proof(old_size)


@settings(max_examples=150, deadline=None)
@given(leaves=distinct_leaves, data=st.data())
def test_an_inclusion_proof_verifies_and_any_flipped_bit_breaks_it(
    leaves: list[bytes], data: st.DataObject
) -> None:
    size = len(leaves)
    index = data.draw(st.integers(0, size - 1), label="index")
    tree = MerkleTree(leaves)
    proof = tree.inclusion_proof(index)
    assert verify_inclusion(leaves[index], index, size, proof, tree.root)

    if proof:
        at = data.draw(st.integers(0, len(proof) - 1), label="proof entry")
        bit = data.draw(st.integers(0, 255), label="proof bit")
        forged = [*proof[:at], flip(proof[at], bit), *proof[at + 1 :]]
        assert not verify_inclusion(leaves[index], index, size, forged, tree.root)
    leaf_bit = data.draw(st.integers(0, 8 * len(leaves[index]) - 1), label="leaf bit")
    assert not verify_inclusion(flip(leaves[index], leaf_bit), index, size, proof, tree.root)
    root_bit = data.draw(st.integers(0, 255), label="root bit")
    assert not verify_inclusion(leaves[index], index, size, proof, flip(tree.root, root_bit))
    # Low bits land on other leaves of the tree, high ones outside it.
    index_bit = data.draw(st.integers(0, 70), label="index bit")
    assert not verify_inclusion(leaves[index], index ^ (1 << index_bit), size, proof, tree.root)


@settings(max_examples=150, deadline=None)
@given(leaves=distinct_leaves, data=st.data())
def test_a_flipped_tree_size_is_refused_unless_the_path_has_the_same_shape(
    leaves: list[bytes], data: st.DataObject
) -> None:
    size = len(leaves)
    index = data.draw(st.integers(0, size - 1), label="index")
    tree = MerkleTree(leaves)
    proof = tree.inclusion_proof(index)
    claimed = size ^ (1 << data.draw(st.integers(0, 70), label="size bit"))
    same_shape = index < claimed and ref.path_sides(index, claimed) == ref.path_sides(index, size)
    accepted = verify_inclusion(leaves[index], index, claimed, proof, tree.root)
    assert accepted == same_shape
    assert accepted == ref.verify_inclusion(leaves[index], index, claimed, proof, tree.root)


def test_an_inclusion_proof_does_not_bind_the_tree_size() -> None:
    # Leaf 0 has the same path shape in trees of 5 to 8 leaves; only a checkpoint that commits
    # to the size and the root together tells them apart.
    leaves = LEAVES[:5]
    proof = inclusion_proof(leaves, 0)
    assert all(verify_inclusion(leaves[0], 0, size, proof, root(leaves)) for size in (5, 6, 7, 8))
    assert not verify_inclusion(leaves[0], 0, 4, proof, root(leaves))
    assert not verify_inclusion(leaves[0], 0, 9, proof, root(leaves))


@settings(max_examples=150, deadline=None)
@given(leaves=distinct_leaves, data=st.data())
def test_malformed_inclusion_proofs_are_refused(leaves: list[bytes], data: st.DataObject) -> None:
    size = len(leaves)
    index = data.draw(st.integers(0, size - 1), label="index")
    tree = MerkleTree(leaves)
    proof, top, leaf = tree.inclusion_proof(index), tree.root, leaves[index]
    extra = data.draw(st.binary(min_size=32, max_size=32), label="extra hash")

    assert not verify_inclusion(leaf, index, size, [*proof, extra], top)
    assert not verify_inclusion(leaf, index, size, [extra, *proof], top)
    if proof:
        assert not verify_inclusion(leaf, index, size, proof[:-1], top)
        assert not verify_inclusion(leaf, index, size, proof[1:], top)
        assert not verify_inclusion(leaf, index, size, [], top)
        assert not verify_inclusion(leaf, index, size, [proof[0][:31], *proof[1:]], top)
    assert not verify_inclusion(leaf, index, size, proof, top + b"\x00")
    assert not verify_inclusion(leaf, size, size, proof, top)
    assert not verify_inclusion(leaf, size + index, size, proof, top)
    assert not verify_inclusion(leaf, -1, size, proof, top)
    assert not verify_inclusion(leaf, index, 0, proof, top)
    assert not verify_inclusion(leaf, 0, 0, [], EMPTY_ROOT)
    assert not verify_inclusion(leaf, index, -size, proof, top)


@settings(max_examples=150, deadline=None)
@given(leaves=distinct_leaves, data=st.data())
def test_a_consistency_proof_verifies_and_any_flipped_bit_breaks_it(
    leaves: list[bytes], data: st.DataObject
) -> None:
    new_size = len(leaves)
    old_size = data.draw(st.integers(1, new_size), label="old size")
    tree = MerkleTree(leaves)
    old_root, new_root = root(leaves[:old_size]), tree.root
    proof = tree.consistency_proof(old_size)
    assert verify_consistency(old_size, new_size, old_root, new_root, proof)

    if proof:
        at = data.draw(st.integers(0, len(proof) - 1), label="proof entry")
        bit = data.draw(st.integers(0, 255), label="proof bit")
        forged = [*proof[:at], flip(proof[at], bit), *proof[at + 1 :]]
        assert not verify_consistency(old_size, new_size, old_root, new_root, forged)
    old_bit = data.draw(st.integers(0, 255), label="old root bit")
    assert not verify_consistency(old_size, new_size, flip(old_root, old_bit), new_root, proof)
    new_bit = data.draw(st.integers(0, 255), label="new root bit")
    assert not verify_consistency(old_size, new_size, old_root, flip(new_root, new_bit), proof)

    # As with inclusion, a size is only refused when the proof's shape stops fitting it.
    old_claimed = old_size ^ (1 << data.draw(st.integers(0, 70), label="old size bit"))
    new_claimed = new_size ^ (1 << data.draw(st.integers(0, 70), label="new size bit"))
    for m, n in ((old_claimed, new_size), (old_size, new_claimed)):
        accepted = verify_consistency(m, n, old_root, new_root, proof)
        assert accepted == ref.verify_consistency(m, n, old_root, new_root, proof)


def test_a_consistency_proof_does_not_bind_the_new_size() -> None:
    leaves = LEAVES[:5]
    proof = consistency_proof(leaves, 4)
    assert verify_consistency(4, 7, root(leaves[:4]), root(leaves), proof)
    assert not verify_consistency(3, 5, root(leaves[:4]), root(leaves), proof)


@settings(max_examples=150, deadline=None)
@given(leaves=distinct_leaves, data=st.data())
def test_malformed_consistency_proofs_are_refused(leaves: list[bytes], data: st.DataObject) -> None:
    n = len(leaves)
    m = data.draw(st.integers(1, n), label="old size")
    tree = MerkleTree(leaves)
    old, new = root(leaves[:m]), tree.root
    proof = tree.consistency_proof(m)
    extra = data.draw(st.binary(min_size=32, max_size=32), label="extra hash")

    assert not verify_consistency(m, n, old, new, [*proof, extra])
    assert not verify_consistency(m, n, old, new, [extra, *proof])
    if proof:
        assert not verify_consistency(m, n, old, new, proof[:-1])
        assert not verify_consistency(m, n, old, new, proof[1:])
        assert not verify_consistency(m, n, old, new, [])
        assert not verify_consistency(m, n, old, new, [proof[0] + b"\x00", *proof[1:]])
    assert not verify_consistency(0, n, EMPTY_ROOT, new, proof)
    assert not verify_consistency(0, n, EMPTY_ROOT, new, [])
    assert not verify_consistency(n + 1, n, new, new, proof)
    assert not verify_consistency(-m, n, old, new, proof)
    assert not verify_consistency(m, n, old[:31], new, proof)
    assert verify_consistency(n, n, new, new, [])
    assert not verify_consistency(n, n, flip(new, 0), new, [])
    assert not verify_consistency(n, n, new, new, [new])


def _case_events(case_id: str, count: int) -> list[AuditEvent]:
    events, head = [], EMPTY_CHAIN
    for n in range(count):
        event = next_event(
            head,
            event_id=f"{case_id}-E{n}",
            case_id=case_id,
            action="received" if n == 0 else "note",
            actor_id="claimant",
            actor_role="claimant",
            occurred_at=f"2026-11-24T00:00:{n:02d}.000Z",
            from_status=None,
            to_status="received",
            details={"n": n},
            policy_version="p1",
        )
        events.append(event)
        head = event.head
    return events


def _leaves_as_written(events: list[AuditEvent]) -> list[bytes]:
    return [bytes.fromhex(event.hash) for event in events]


def test_an_event_leaf_is_the_events_own_hash_which_changes_with_any_field() -> None:
    event = _case_events("CASE-A", 1)[0]
    [leaf] = checkpoint_leaves([event])
    assert leaf.hex() == event.hash and len(leaf) == 32
    other = _case_events("CASE-B", 1)[0]
    assert checkpoint_leaves([other]) != checkpoint_leaves([event])


def test_checkpoints_order_events_by_case_then_sequence_whatever_order_they_arrive() -> None:
    seed = int(os.environ.get("MERKLE_SEED") or random.randrange(2**32))
    print(f"seed={seed}")
    rng = random.Random(seed)
    # Twelve events in one case put seq 10 after seq 9, where text order would not.
    ordered = _case_events("CASE-A", 12) + _case_events("CASE-B", 3) + _case_events("CASE-C", 5)
    expected = root(_leaves_as_written(ordered))
    assert checkpoint_leaves(sealing_order(ordered)) == _leaves_as_written(ordered)

    swapped = [ordered[1], ordered[0], *ordered[2:]]
    assert root(_leaves_as_written(swapped)) != expected
    for _ in range(25):
        arrived = ordered[:]
        rng.shuffle(arrived)
        assert (root(_leaves_as_written(arrived)) == expected) == (arrived == ordered)
        assert root(checkpoint_leaves(sealing_order(arrived))) == expected


def test_a_hundred_thousand_leaves() -> None:
    leaves = [i.to_bytes(4, "big") for i in range(100_000)]
    top = root(leaves)
    assert len(top) == 32
    tree = MerkleTree(leaves)
    assert tree.root == top
    proof = tree.inclusion_proof(77_777)
    assert len(proof) == 17
    assert verify_inclusion(leaves[77_777], 77_777, len(leaves), proof, top)
