"""What a change promises outside DynamoDB, as outbox effects: enforcement messages and mail."""

from __future__ import annotations

from typing import Any

from ..domain.audit import AuditEvent
from ..domain.case import Case
from ..domain.lifecycle import Change
from ..domain.outbox import Effect, EffectKind
from ..domain.transparency import tally
from ..domain.vocabulary import ENFORCEMENT_MEASURES

# Actions the platform must apply (the measures, and their undoing), and those it only tells the
# poster about in the in-app notice.
ENFORCED_ACTIONS = ENFORCEMENT_MEASURES | {"reinstate", "lift_restriction"}
NOTIFIED_ACTIONS = frozenset({"uphold", "appeal_upheld"})


def enforcement_messages(change: Change, notice_url: str) -> list[dict[str, Any]]:
    """Return one message per action of the change that the platform must apply."""
    case = change.case
    return [
        {
            "message_id": event.event_id,
            "case_id": case.case_id,
            "seq": event.seq,
            "target": target_message(case),
            "kind": "enforce" if event.action in ENFORCED_ACTIONS else "notify",
            "measure": event.action,
            "measure_id": event.details.get("measure_id", event.event_id),
            "parameters": event.details.get("parameters", {}),
            "reason": event.details.get("reason"),
            "starts_at": event.details.get("starts_at", event.occurred_at),
            "until": event.details.get("ends_at"),
            "notice_url": notice_url,
            "actor": event.actor_id,
            "policy_version": event.policy_version,
        }
        for event in change.events
        if event.action in ENFORCED_ACTIONS | NOTIFIED_ACTIONS
    ]


def target_message(case: Case) -> dict[str, str]:
    """Return the target as the platform reads it: the surface, and the address or the in-app
    reference the report named (only the one given)."""
    target = case.target
    named = {"url": target.url, "content_ref": target.content_ref}
    return {"surface": target.surface.value, **{k: v for k, v in named.items() if v}}


def enforcement_effects(
    change: Change, notice_url: str, notice_decision_id: str | None = None
) -> list[Effect]:
    """Return the change's messages as effects; the relay adds the notice token of the decision.

    The token is derived in KMS when the message leaves (NoticeKeys), so it is never stored.
    """
    return [
        Effect(
            effect_id=message["message_id"],
            kind=EffectKind.ENFORCEMENT,
            case_id=change.case.case_id,
            payload={"message": message, "notice_decision_id": notice_decision_id},
        )
        for message in enforcement_messages(change, notice_url)
    ]


def mail_effect(effect_id: str, case: Case, mail: tuple[str, str]) -> Effect:
    """Return the effect that mails the case's claimant, at the address they gave: the one way
    the service writes to anyone (its address and text leave the outbox once it is sent)."""
    subject, body = mail
    return Effect(
        effect_id=effect_id,
        kind=EffectKind.MAIL,
        case_id=case.case_id,
        payload={"to": case.claimant.email, "subject": subject, "body": body},
    )


def tally_effect(change: Change) -> Effect | None:
    """Return the effect that adds the change to the transparency report's day counters (None:
    it counts nothing). Its id is its first event's, so a change resent is counted once."""
    own = {e.details.get("decision_id") for e in change.events}
    decided_before = any(d.decision_id not in own for d in change.case.decisions)
    return _tally_effect(change.case, change.events, decided_before)


def opening_tally(case: Case, received: AuditEvent) -> Effect | None:
    """Return the effect that counts a case received (its surface, grounds and request)."""
    return _tally_effect(case, [received], decided_before=False)


def with_tally(change: Change, effects: list[Effect]) -> list[Effect]:
    """Return the change's effects and its tally: every change of a case passes here."""
    counted = tally_effect(change)
    return [*effects, counted] if counted else effects


def _tally_effect(case: Case, events: list[AuditEvent], decided_before: bool) -> Effect | None:
    days = tally(events, case.received_at, decided_before) if events else {}
    if not days:
        return None
    return Effect(
        effect_id=f"tally-{events[0].event_id}",
        kind=EffectKind.TALLY,
        case_id=case.case_id,
        payload={"days": days},
    )
