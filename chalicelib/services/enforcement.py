"""Turn a change's audit events into the platform's enforcement messages, and send them."""

from __future__ import annotations

import logging
from typing import Any

from ..adapters.enforcement import EnforcementQueue
from ..domain.decisions import ENFORCEMENT_MEASURES
from ..domain.lifecycle import Change

log = logging.getLogger("irc.enforcement")

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
            "target": {"surface": case.target.surface.value, "url": case.target.url},
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


def publish(queue: EnforcementQueue, change: Change, notice_url: str) -> tuple[int, bool]:
    """Queue the change's messages; a refusal is logged and the change stands."""
    messages = enforcement_messages(change, notice_url)
    if not messages:
        return 0, True
    try:
        queue.publish(messages)
    except Exception as error:  # the change stands; the messages can be rebuilt from its events
        log.error(
            "enforcement not queued",
            extra={"case_id": change.case.case_id, "error": type(error).__name__},
        )
        return len(messages), False
    return len(messages), True
