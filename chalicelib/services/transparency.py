"""The public transparency report: the figures of a half year or a range of days, read from
the day counters the relay keeps (one item per day, never the events themselves)."""

from __future__ import annotations

from dataclasses import dataclass

from ..domain.transparency import Report, parse_range, report
from ..ports import TallyReader


@dataclass
class Transparency:
    """Read the report's figures for a range of Korea days."""

    tallies: TallyReader

    def report(
        self, period: str | None = None, from_day: str | None = None, to_day: str | None = None
    ) -> Report:
        """Return the figures of `period` (2026-H2) or of `from_day` to `to_day`, both included;
        refuse a range the report cannot cover (InvalidRequest naming the field)."""
        span = parse_range(period, from_day, to_day)
        return report(span, self.tallies.tally_days(span.from_day, span.to_day))
