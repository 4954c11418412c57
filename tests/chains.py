"""A plain reading of the chain rule, for tests: an oracle independent of the service's verifier."""

from __future__ import annotations

import hashlib

import rfc8785

from chalicelib.domain.audit import EMPTY_CHAIN, AuditEvent


def expected_hash(event: AuditEvent) -> str:
    """Return the SHA-256 of every stored field of `event` but its hash, in RFC 8785 JSON."""
    stored = event.model_dump(mode="json")
    stored.pop("hash")
    return hashlib.sha256(rfc8785.dumps(stored)).hexdigest()


def first_bad_event(events: list[AuditEvent]) -> tuple[AuditEvent | None, str]:
    """Return the first event that breaks its case's chain and why, or None if all hold."""
    head = EMPTY_CHAIN
    for event in events:
        if event.seq != head.seq + 1:
            return event, f"sequence {event.seq} follows {head.seq}"
        if event.prev_hash != head.hash:
            return event, "previous hash does not match the event before it"
        if expected_hash(event) != event.hash:
            return event, "hash does not match the event's content"
        head = event.head
    return None, "verified"
