"""The public transparency report: the figures of a half year or a range of days, read from
the day counters the relay keeps (one item per day, never the events themselves)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from ..domain.audit import AuditEvent
from ..domain.transparency import DayCounts, Report, half_year_of, parse_range, rebuild, report
from ..domain.working_days import seoul_day
from ..ports import SealedTrail, TallyReader


@dataclass
class Transparency:
    """Read the report's figures for a range of Korea days."""

    tallies: TallyReader
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)

    def current_period(self) -> str:
        """Return the half year under way in Korea (its figures grow until it ends)."""
        return half_year_of(seoul_day(self.clock()))

    def report(
        self, period: str | None = None, from_day: str | None = None, to_day: str | None = None
    ) -> Report:
        """Return the figures of `period` (2026-H2) or of `from_day` to `to_day`, both included;
        refuse a range the report cannot cover (InvalidRequest naming the field)."""
        span = parse_range(period, from_day, to_day)
        return report(span, self.tallies.tally_days(span.from_day, span.to_day))


@dataclass
class TallyRebuild:
    """Fold the trail itself into day counters, to check the kept ones (or to start them anew)."""

    repository: SealedTrail

    def rebuilt(self, after: str, through: str) -> DayCounts:
        """Return the counters the events of (after, through] make, each case's in chain order.

        `after` must precede every case's first event: a case is timed from its receipt.
        """
        chains: dict[str, list[AuditEvent]] = {}
        for event in self.repository.events_between(after, through):
            chains.setdefault(event.case_id, []).append(event)
        return rebuild(sorted(events, key=lambda e: e.seq) for events in chains.values())
