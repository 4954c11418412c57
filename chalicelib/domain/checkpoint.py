"""What a checkpoint holds: the events of its window as Merkle leaves, chained to the one before."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from . import merkle
from .audit import GENESIS_HASH, AuditEvent
from .verification import SIGNING_ALGORITHM

CHECKPOINT_VERSION = 1


def sealing_order(events: Iterable[AuditEvent]) -> list[AuditEvent]:
    """Return events in the order a checkpoint seals them: by case, then sequence."""
    return sorted(events, key=lambda event: (event.case_id, event.seq))


def checkpoint_leaves(ordered: Iterable[AuditEvent]) -> list[bytes]:
    """Return the tree's leaf data: each event's own SHA-256, which commits to all its fields."""
    return [bytes.fromhex(event.hash) for event in ordered]


def leaf_rows(ordered: Iterable[AuditEvent]) -> list[list[Any]]:
    """Return a checkpoint's leaves as it lists them: [case_id, seq, event_id, event hash]."""
    return [[e.case_id, e.seq, e.event_id, e.hash] for e in ordered]


def checkpoint_body(
    *,
    seq: int,
    previous_hash: str | None,
    after: str,
    through: str,
    events: Iterable[AuditEvent],
    sealed_at: str,
    key_id: str,
) -> dict[str, Any]:
    """Return the body of checkpoint `seq` (all but its signature) over the events it seals.

    `previous_hash` is the hash of the checkpoint before, None for the first of the chain.
    """
    ordered = sealing_order(events)
    leaves = checkpoint_leaves(ordered)
    return {
        "version": CHECKPOINT_VERSION,
        "seq": seq,
        "previous_hash": previous_hash or GENESIS_HASH,
        "after": after,
        "through": through,
        "tree_size": len(leaves),
        "root": merkle.root(leaves).hex(),
        "leaves": leaf_rows(ordered),
        "sealed_at": sealed_at,
        "key_id": key_id,
        "signing_algorithm": SIGNING_ALGORITHM,
    }


def window_fault(checkpoint: dict[str, Any], events: Iterable[AuditEvent]) -> str | None:
    """Return how a checkpoint's tree differs from the events stored in its window, or None."""
    ordered = sealing_order(events)
    if merkle.root(checkpoint_leaves(ordered)).hex() != checkpoint["root"]:
        return "its root does not match the events stored in its window"
    if leaf_rows(ordered) != checkpoint["leaves"]:
        return "its leaves do not name the events stored in its window"
    return None
