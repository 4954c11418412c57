"""A reviewer's claim on a case: who is working on it, until when, and what it forbids others."""

from __future__ import annotations

from datetime import datetime, timedelta

from .case import Case, Claim
from .clock import iso, parse_iso
from .errors import CaseClaimed

CLAIM_MINUTES = 30
"""How long a claim lasts from when it is taken or renewed."""

REVIEWER_PREFIX = "reviewer:"


def reviewer_id(subject: str) -> str:
    """Return the actor id of the reviewer signed in as `subject`."""
    return f"{REVIEWER_PREFIX}{subject}"


def live_claim(case: Case, now: datetime) -> Claim | None:
    """Return the case's claim while it lasts; an expired claim is none."""
    claim = case.claim
    return claim if claim is not None and parse_iso(claim.until) > now else None


def ensure_not_claimed_by_other(case: Case, actor_id: str, now: datetime) -> None:
    """Refuse a reviewer's change of a case another reviewer holds a live claim on."""
    claim = live_claim(case, now)
    if claim is not None and reviewer_id(claim.by) != actor_id:
        raise CaseClaimed(claim.by, claim.by_name, claim.until)


def claim(case: Case, subject: str, username: str, now: datetime) -> Claim:
    """Return the caller's new or renewed claim, or refuse one while another reviewer's lasts."""
    ensure_not_claimed_by_other(case, reviewer_id(subject), now)
    return Claim(by=subject, by_name=username, until=iso(now + timedelta(minutes=CLAIM_MINUTES)))


def release(case: Case, subject: str, now: datetime) -> None:
    """Refuse to release a claim another reviewer holds; the caller's own, or none, is released."""
    ensure_not_claimed_by_other(case, reviewer_id(subject), now)
