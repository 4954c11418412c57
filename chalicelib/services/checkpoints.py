"""Seal the audit trail: every event since the last checkpoint into a signed Merkle tree."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from ..config import settings
from ..domain import verification
from ..domain.audit import GENESIS_HASH
from ..domain.checkpoint import checkpoint_body, window_fault
from ..domain.clock import iso, parse_iso
from ..domain.verification import checkpoint_body_digest, checkpoint_hash
from ..ports import CheckpointFiles, CheckpointTaken, HeadMoved, SealedTrail

log = logging.getLogger("irc.checkpoints")

# Events are sealed a little after they are written: a transaction in flight, or an index that
# lags, must not write an event into a window already sealed.
SEAL_LAG = timedelta(minutes=1)
MAX_WINDOW = timedelta(days=7)
EMPTY_CHECKPOINT_EVERY = timedelta(days=1)
MAX_SEALS_PER_RUN = 60  # weeks a run catches up at most (each checkpoint spans at most one)


class SealingBlocked(Exception):
    """The bucket holds the next checkpoint's file, but it does not verify: sealing stops."""

    def __init__(self, seq: int, reason: str) -> None:
        super().__init__(f"checkpoint {seq} blocks sealing: {reason}")
        self.seq, self.reason = seq, reason


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Checkpoints:
    """Seal events into signed checkpoints, each chained to the one before."""

    repository: SealedTrail
    store: CheckpointFiles
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
        """Seal every event written since the last checkpoint; return the checkpoint, if any.

        The checkpoint's file is the commit point: a file the bucket holds past the index's head
        (its run died, or failed to index it, after writing it) is verified and adopted, never
        written anew. Raise SealingBlocked if it does not verify.
        """
        now = self.clock()
        head = self.repository.checkpoint_head()
        seq = int(head["seq"]) + 1 if head else 1
        written = self._written(seq)
        if written is not None:
            return self._adopt(head, written, now)
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
        body = checkpoint_body(
            seq=seq,
            previous_hash=str(head["hash"]) if head else None,
            after=after,
            through=through,
            events=events,
            # Not the wall clock: a retry of the window builds the same body.
            sealed_at=iso(through_moment + SEAL_LAG),
            key_id=settings().audit_key_id,
        )
        checkpoint = {**body, "signature": self.store.sign(checkpoint_body_digest(body))}
        try:
            self.store.write(seq, checkpoint)
        except CheckpointTaken:
            # Another run wrote this number since it was read: its file is the checkpoint.
            written = self._written(seq)
            if written is None:
                raise
            return self._adopt(head, written, now)
        self._record(head, checkpoint)
        log.info("checkpoint sealed", extra={"seq": seq, "events": body["tree_size"]})
        return checkpoint

    def _written(self, seq: int) -> Any:
        """Return checkpoint file `seq` as the bucket holds it, or None if there is none."""
        try:
            return self.store.read(seq)
        except ValueError:
            raise self._blocked(seq, "its file is not JSON") from None

    def _adopt(self, head: dict[str, Any] | None, written: Any, now: datetime) -> dict[str, Any]:
        """Verify a checkpoint file the index does not point at yet, then point at it."""
        seq = int(head["seq"]) + 1 if head else 1
        fault = self._fault(seq, head, written, now)
        if fault:
            raise self._blocked(seq, fault)
        checkpoint: dict[str, Any] = written
        self._record(head, checkpoint)
        log.warning("checkpoint adopted", extra={"seq": seq, "events": checkpoint["tree_size"]})
        return checkpoint

    def _fault(
        self, seq: int, head: dict[str, Any] | None, written: Any, now: datetime
    ) -> str | None:
        """Return why a checkpoint file may not be adopted as checkpoint `seq`, or None."""
        fault = verification.checkpoint_shape_fault(written)
        if fault:
            return fault
        checkpoint: dict[str, Any] = written
        key = verification.public_key(self.store.public_key_pem().encode())
        fault = verification.checkpoint_fault(checkpoint, f"{seq:010d}.json", key)
        if fault:
            return fault
        before = f"checkpoint {seq - 1}" if head else "the start of the chain"
        if checkpoint["previous_hash"] != (str(head["hash"]) if head else GENESIS_HASH):
            return f"its previous_hash does not match the hash of {before}"
        after = str(head["through"]) if head else self.origin
        if checkpoint["after"] != after:
            where = f"where {before}'s ends" if head else "at the trail's origin"
            return f"its window starts at {checkpoint['after']}, not {where} ({after})"
        if checkpoint["through"] > iso(now - SEAL_LAG):
            return f"its window ends at {checkpoint['through']}, later than the seal lag allows"
        return window_fault(
            checkpoint, self.repository.events_between(after, checkpoint["through"])
        )

    def _blocked(self, seq: int, reason: str) -> SealingBlocked:
        """Log why checkpoint `seq` blocks sealing and return the error to raise."""
        log.error("checkpoint blocked", extra={"seq": seq, "reason": reason})
        return SealingBlocked(seq, reason)

    def _record(self, head: dict[str, Any] | None, checkpoint: dict[str, Any]) -> None:
        """Point the index and head at `checkpoint`, from the checkpoint's own content."""
        entry = {
            "seq": checkpoint["seq"],
            "hash": checkpoint_hash(checkpoint),
            "through": checkpoint["through"],
            "after": checkpoint["after"],
            "tree_size": checkpoint["tree_size"],
            "root": checkpoint["root"],
            "sealed_at": checkpoint["sealed_at"],
        }
        try:
            self.repository.record_checkpoint(int(head["seq"]) if head else 0, entry)
        except HeadMoved:
            # Two runs at once: the other indexed this very checkpoint first.
            now_head = self.repository.checkpoint_head()
            if not now_head or (now_head["seq"], now_head["hash"]) != (entry["seq"], entry["hash"]):
                raise
