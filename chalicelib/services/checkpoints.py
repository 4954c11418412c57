"""Seal the audit trail: every event since the last checkpoint into a signed Merkle tree."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from ..adapters.checkpoints import CheckpointStore
from ..adapters.repository import Repository
from ..config import settings
from ..domain import merkle
from ..domain.audit import AuditEvent
from ..domain.clock import iso, parse_iso
from ..domain.verification import SIGNING_ALGORITHM, checkpoint_body_digest, checkpoint_hash

log = logging.getLogger("irc.checkpoints")

# Events are sealed a little after they are written: a transaction in flight, or an index that
# lags, must not write an event into a window already sealed.
SEAL_LAG = timedelta(minutes=1)
MAX_WINDOW = timedelta(days=7)
EMPTY_CHECKPOINT_EVERY = timedelta(days=1)
MAX_SEALS_PER_RUN = 60  # weeks a run catches up at most (each checkpoint spans at most one)
GENESIS = "0" * 64


def checkpoint_leaves(events: list[AuditEvent]) -> list[bytes]:
    """Return the tree's leaf data: each event's own SHA-256, which commits to all its fields."""
    return [bytes.fromhex(event.hash) for event in events]


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Checkpoints:
    """Seal events into signed checkpoints, each chained to the one before."""

    repository: Repository = field(default_factory=Repository)
    store: CheckpointStore = field(default_factory=CheckpointStore)
    clock: Callable[[], datetime] = _now
    origin: str = "2026-11-01T00:00:00.000Z"

    def seal_up(self, limit: int = MAX_SEALS_PER_RUN) -> list[dict[str, Any]]:
        """Seal until caught up with the present (at most `limit` checkpoints); return them."""
        sealed: list[dict[str, Any]] = []
        while len(sealed) < limit:
            checkpoint = self.seal()
            if checkpoint is None:
                break
            sealed.append(checkpoint)
            if parse_iso(checkpoint["through"]) >= self.clock() - SEAL_LAG:
                break  # its window reached the present
        return sealed

    def seal(self) -> dict[str, Any] | None:
        """Seal every event written since the last checkpoint; return the checkpoint, if any."""
        now = self.clock()
        head = self.repository.checkpoint_head()
        after = str(head["through"]) if head else self.origin
        through_moment = min(now - SEAL_LAG, parse_iso(after) + MAX_WINDOW)
        if through_moment <= parse_iso(after):
            return None
        through = iso(through_moment)
        events = self.repository.events_between(after, through)
        caught_up = through_moment == now - SEAL_LAG
        quiet = parse_iso(str(head["sealed_at"])) + EMPTY_CHECKPOINT_EVERY > now if head else False
        if not events and caught_up and quiet:
            return None  # nothing new: an empty checkpoint once a day is enough
        # Still catching up (a window capped at MAX_WINDOW), even an empty one is sealed, to
        # move on towards the present.
        ordered = sorted(events, key=lambda e: (e.case_id, e.seq))
        leaves = checkpoint_leaves(ordered)
        seq = int(head["seq"]) + 1 if head else 1
        body = {
            "version": 1,
            "seq": seq,
            "previous_hash": str(head["hash"]) if head else GENESIS,
            "after": after,
            "through": through,
            "tree_size": len(leaves),
            "root": merkle.root(leaves).hex(),
            "leaves": [[e.case_id, e.seq, e.event_id, e.hash] for e in ordered],
            "sealed_at": iso(now),
            "key_id": settings().audit_key_id,
            "signing_algorithm": SIGNING_ALGORITHM,
        }
        checkpoint = {**body, "signature": self.store.sign(checkpoint_body_digest(body))}
        self.store.write(seq, checkpoint)
        self.repository.record_checkpoint(
            int(head["seq"]) if head else 0,
            {
                "seq": seq,
                "hash": checkpoint_hash(checkpoint),
                "through": through,
                "after": after,
                "tree_size": len(leaves),
                "root": body["root"],
                "sealed_at": body["sealed_at"],
            },
        )
        log.info("checkpoint sealed", extra={"seq": seq, "events": len(leaves)})
        return checkpoint
