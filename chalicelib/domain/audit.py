"""Audit events and the hash chain that links each case's events, in order, to the first."""

from __future__ import annotations

import hashlib
from typing import Any

import rfc8785
from pydantic import ConfigDict

from .base import Model

GENESIS_HASH = "0" * 64
# The fields of an event, in the order exports write them.
EVENT_FIELDS = (
    "event_id",
    "case_id",
    "seq",
    "action",
    "actor_id",
    "actor_role",
    "occurred_at",
    "from_status",
    "to_status",
    "details",
    "policy_version",
    "prev_hash",
    "hash",
)
CLAIMANT_ACTOR = "claimant"


class ChainHead(Model):
    """The newest event of a case's chain: its sequence number and hash."""

    model_config = ConfigDict(frozen=True)

    seq: int
    hash: str


EMPTY_CHAIN = ChainHead(seq=0, hash=GENESIS_HASH)


class AuditEvent(Model):
    """One recorded change of a case: who did what, when, why, under which policy."""

    model_config = ConfigDict(frozen=True)

    event_id: str
    case_id: str
    seq: int
    action: str
    actor_id: str
    actor_role: str
    occurred_at: str
    from_status: str | None
    to_status: str
    details: dict[str, Any]
    policy_version: str
    prev_hash: str
    hash: str

    def body(self) -> dict[str, Any]:
        """Return every field the hash covers (all but the hash itself)."""
        return self.model_dump(mode="json", exclude={"hash"})

    @property
    def head(self) -> ChainHead:
        """Return the chain head this event makes."""
        return ChainHead(seq=self.seq, hash=self.hash)


def event_hash(body: dict[str, Any]) -> str:
    """Return the SHA-256 of the event body in RFC 8785 canonical JSON, hex encoded."""
    return hashlib.sha256(rfc8785.dumps(body)).hexdigest()


def next_event(head: ChainHead, **fields: Any) -> AuditEvent:
    """Return the event that follows `head` in its case's chain."""
    body = {**fields, "seq": head.seq + 1, "prev_hash": head.hash}
    unsigned = AuditEvent(**body, hash="")
    return unsigned.model_copy(update={"hash": event_hash(unsigned.body())})


MAX_CHANGES_TOLD = 20
"""How many of a case's newest events a stale-version refusal tells at most."""


def changes_since(
    newest_first: list[AuditEvent], version: int, expected_version: int
) -> list[dict[str, Any]]:
    """Return what happened to a case after `expected_version`, newest last.

    `newest_first` are the case's newest events, the case being at `version`. One change of
    a case makes one version and its events share their moment and actor, so counting the
    changes back from the newest gives each event the version its change made.
    """
    told: list[dict[str, Any]] = []
    made, previous = version, None
    for event in newest_first[:MAX_CHANGES_TOLD]:
        change = (event.occurred_at, event.actor_id)
        if previous is not None and change != previous:
            made -= 1
        previous = change
        if made <= expected_version:
            break
        told.append(
            {
                "action": event.action,
                "actor_id": event.actor_id,
                "occurred_at": event.occurred_at,
                "version": made,
            }
        )
    return told[::-1]
