"""Effects a change promises (messages, mail, copies): recorded with it, delivered after it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any


class EffectKind(StrEnum):
    """What an effect does outside DynamoDB."""

    ENFORCEMENT = "enforcement"  # a message to the platform on the enforcement queue
    MAIL = "mail"  # a mail to a claimant
    EVIDENCE_COPY = "evidence_copy"  # a checked upload copied into the locked evidence bucket
    EVIDENCE_ERASURE = "evidence_erasure"  # every version of a case's files marked for erasure
    TALLY = "tally"  # the change's counts added to the transparency report's day counters


class EffectState(StrEnum):
    """Where an effect is on its way out."""

    PENDING = "pending"
    DELIVERED = "delivered"
    PARKED = "parked"  # tried MAX_ATTEMPTS times; an operator looks and replays it


@dataclass(frozen=True)
class Effect:
    """One effect of a change, written in the change's own transaction."""

    effect_id: str
    kind: EffectKind
    case_id: str
    payload: dict[str, Any]


# The stream delivers within seconds; the sweeper takes over what it has not delivered by then.
SWEEP_AFTER = timedelta(minutes=1)
# Longer than one delivery can take (the SDK's retries and timeouts included), so two relays
# never deliver the same effect at once.
LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 8
_FIRST_RETRY = timedelta(minutes=1)
_LONGEST_RETRY = timedelta(hours=1)


def retry_at(attempts: int, now: datetime) -> datetime | None:
    """Return when to try again after `attempts` failed tries, or None: park it."""
    if attempts >= MAX_ATTEMPTS:
        return None
    wait: timedelta = min(_FIRST_RETRY * 2 ** max(attempts - 1, 0), _LONGEST_RETRY)
    return now + wait
