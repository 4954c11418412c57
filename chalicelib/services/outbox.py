"""The outbox relay: deliver each committed effect, idempotently, retried until done or parked."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ..domain.base import Model
from ..domain.clock import iso
from ..domain.errors import Conflict, FieldError
from ..domain.outbox import LEASE, EffectKind, EffectState, retry_at
from ..ports import EnforcementQueue, Evidence, Mail, NoticeKeys, Outbox

log = logging.getLogger("irc.outbox")

SWEEP_LIMIT = 100  # effects a sweep takes per shard; the next sweep takes the rest


class EffectRecord(Model):
    """Where one effect is: its kind and state, its tries, and the last error's type."""

    effect_id: str
    kind: EffectKind
    case_id: str
    state: EffectState
    attempts: int = 0
    created_at: str | None = None
    delivered_at: str | None = None
    failed_at: str | None = None
    last_error: str | None = None


class ParkedEffects(Model):
    """The effects the relay gave up on, oldest first, for an operator to replay."""

    effects: list[EffectRecord]


class Replayed(Model):
    """A parked effect put back in line for fresh tries."""

    case_id: str
    effect_id: str
    state: EffectState


class RelayRun(Model):
    """What one relay pass did with the effects it was given."""

    delivered: int = 0
    retrying: int = 0
    parked: int = 0
    skipped: int = 0  # delivered already, parked, or in another relay's hands


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Relay:
    """Deliver effects from the table's stream, and sweep up what the stream did not deliver."""

    outbox: Outbox
    enforcement: EnforcementQueue
    mailer: Mail
    evidence: Evidence
    notices: NoticeKeys
    clock: Callable[[], datetime] = _now

    def deliver(self, refs: list[tuple[str, str]]) -> RelayRun:
        """Deliver each (case id, effect id); one that fails is retried later, never lost."""
        run = RelayRun()
        for case_id, effect_id in refs:
            try:
                outcome = self._deliver_one(case_id, effect_id)
            except Exception as error:  # DynamoDB itself failed: the sweeper takes it up later
                log.warning(
                    "effect not settled",
                    extra={
                        "case_id": case_id,
                        "effect_id": effect_id,
                        "error": type(error).__name__,
                    },
                )
                outcome = "retrying"
            setattr(run, outcome, getattr(run, outcome) + 1)
        return run

    def sweep(self) -> RelayRun:
        """Deliver every effect still undelivered a while after its commit, or due for a retry."""
        run = self.deliver(self.outbox.due_effects(iso(self.clock()), SWEEP_LIMIT))
        parked = len(self.outbox.parked_effects(SWEEP_LIMIT))
        _parked_metric(parked)
        return run

    def parked(self) -> ParkedEffects:
        """Return the parked effects, oldest first."""
        found = self.outbox.parked_effects(SWEEP_LIMIT)
        return ParkedEffects(effects=[EffectRecord.model_validate(e) for e in found])

    def replay(self, case_id: str, effect_id: str) -> Replayed:
        """Put a parked effect back in line: the next sweep delivers it, with fresh tries."""
        if not self.outbox.replay_effect(case_id, effect_id, iso(self.clock())):
            raise Conflict(
                "No parked effect with this case id and effect id.",
                [FieldError("effect_id", "names no parked effect of this case", "not_parked")],
            )
        log.info("effect replayed", extra={"case_id": case_id, "effect_id": effect_id})
        return Replayed(case_id=case_id, effect_id=effect_id, state=EffectState.PENDING)

    def _deliver_one(self, case_id: str, effect_id: str) -> str:
        now = self.clock()
        record = self.outbox.claim_effect(case_id, effect_id, iso(now), iso(now + LEASE))
        if record is None:
            return "skipped"
        kind = EffectKind(record["kind"])
        try:
            if kind is EffectKind.TALLY:
                # Adds and settles in one write: the counts go in once, or not at all.
                days = dict((record.get("payload") or {}).get("days") or {})
                self.outbox.tally_delivered(case_id, effect_id, days, iso(self.clock()))
                return "delivered"
            self._carry_out(kind, case_id, record.get("payload") or {})
        except Exception as error:
            attempts = int(record.get("attempts", 1))
            again = retry_at(attempts, self.clock())
            self.outbox.effect_failed(
                case_id,
                effect_id,
                type(error).__name__,
                iso(self.clock()),
                iso(again) if again else None,
            )
            log.warning(
                "effect not delivered",
                extra={
                    "case_id": case_id,
                    "effect_id": effect_id,
                    "kind": record["kind"],
                    "attempts": attempts,
                    "error": type(error).__name__,
                    "parked": again is None,
                },
            )
            return "retrying" if again else "parked"
        self.outbox.effect_delivered(case_id, effect_id, iso(self.clock()))
        return "delivered"

    def _carry_out(self, kind: EffectKind, case_id: str, payload: dict[str, Any]) -> None:
        if kind is EffectKind.ENFORCEMENT:
            message = dict(payload["message"])
            decision_id = payload.get("notice_decision_id")
            if decision_id:
                token = self.notices.token(case_id, str(decision_id))
                message["notice_url"] = f"{message['notice_url']}?token={token}"
            self.enforcement.send(message)
        elif kind is EffectKind.MAIL:
            self.mailer.send(payload["to"], payload["subject"], payload["body"])
        elif kind is EffectKind.EVIDENCE_COPY:
            self.evidence.preserve(payload["source_key"], payload["target_key"], payload["sha256"])
        elif kind is EffectKind.EVIDENCE_ERASURE:
            self.evidence.mark_for_erasure(payload["prefix"])


def _parked_metric(parked: int) -> None:
    """Print the parked effects as a CloudWatch embedded metric (the template's alarm reads it)."""
    from ..config import settings

    print(
        json.dumps(
            {
                "_aws": {
                    "Timestamp": int(datetime.now(UTC).timestamp() * 1000),
                    "CloudWatchMetrics": [
                        {
                            "Namespace": "InfringementReportCenter",
                            "Dimensions": [["Stage"]],
                            "Metrics": [{"Name": "ParkedEffects", "Unit": "Count"}],
                        }
                    ],
                },
                "Stage": settings().stage,
                "ParkedEffects": parked,
            }
        ),
        flush=True,
    )
