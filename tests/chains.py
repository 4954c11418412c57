"""A plain reading of the chain rule, for tests: an oracle independent of the service's verifier."""

from __future__ import annotations

from chalicelib.domain.audit import EMPTY_CHAIN, AuditEvent, event_hash


def first_bad_event(events: list[AuditEvent]) -> tuple[AuditEvent | None, str]:
    """Return the first event that breaks its case's chain and why, or None if all hold."""
    head = EMPTY_CHAIN
    for event in events:
        if event.seq != head.seq + 1:
            return event, f"sequence {event.seq} follows {head.seq}"
        if event.prev_hash != head.hash:
            return event, "previous hash does not match the event before it"
        if event_hash(event.body()) != event.hash:
            return event, "hash does not match the event's content"
        head = event.head
    return None, "verified"
