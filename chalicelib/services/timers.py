"""The scheduled use case: apply what time demands to every case that is due."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from ..config import settings
from ..domain.base import Model
from ..domain.clock import iso
from ..domain.lifecycle import Context
from ..domain.timers import due_change, next_due
from ..ports import CaseStore, StaleCase
from .effects import enforcement_effects, with_tally

log = logging.getLogger("irc.timers")


class TimerRun(Model):
    """What one run did: cases found due, changed, and left for the next run."""

    due: int
    changed: int
    skipped: int
    events: int


def _now() -> datetime:
    return datetime.now(UTC)


def _new_id(moment: datetime) -> str:
    from ulid import ULID

    return str(ULID.from_datetime(moment))


@dataclass
class Timers:
    """End blocks and restrictions at their end dates and close unanswered requests."""

    repository: CaseStore
    clock: Callable[[], datetime] = _now
    new_id: Callable[[datetime], str] = _new_id

    def run(self, base_url: str) -> TimerRun:
        """Apply every change that is due now; a case someone else changed is left for later."""
        now = self.clock()
        context = Context(now, self.new_id, settings().policy_version)
        due = self.repository.due_cases(iso(now))
        changed = skipped = events = 0
        for case in due:
            change = due_change(case, context)
            if change is None:
                continue  # the index lagged behind a change already made
            effects = with_tally(
                change, enforcement_effects(change, f"{base_url}/notices/{case.case_id}")
            )
            try:
                self.repository.save_change(change, effects=effects, due_at=next_due(change.case))
            except StaleCase:
                skipped += 1  # a reviewer (or another run) changed it first: next run sees it
                continue
            changed += 1
            events += len(change.events)
            log.info(
                "timer changed case",
                extra={"case_id": case.case_id, "actions": [e.action for e in change.events]},
            )
        return TimerRun(due=len(due), changed=changed, skipped=skipped, events=events)
