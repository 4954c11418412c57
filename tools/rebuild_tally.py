"""Compare the transparency report's day counters with those the audit trail makes.

    python -m tools.rebuild_tally --since 2026-01-01 [--through 2026-12-31]

Run with the stage's environment (CASES_TABLE, AUDIT_TABLE, the AWS region and credentials).
`--since` must precede every case's first event (a case is timed from its receipt). It prints
each day and counter that differ, kept against rebuilt, and exits 1 if any does; it writes
nothing. Counts a relay has not yet delivered show as differences until it does.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime, time, timedelta

from chalicelib.domain.clock import iso
from chalicelib.domain.working_days import SEOUL


def main(argv: list[str] | None = None) -> int:
    """Print where the kept counters and the rebuilt ones differ; return 1 if they do."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--since", required=True, type=date.fromisoformat)
    parser.add_argument("--through", type=date.fromisoformat, default=None)
    asked = parser.parse_args(argv)
    from chalicelib.services.transparency import TallyRebuild
    from chalicelib.wiring import ADAPTERS, build

    through = asked.through or datetime.now(UTC).astimezone(SEOUL).date()
    after = datetime.combine(asked.since, time(0), tzinfo=SEOUL) - timedelta(milliseconds=1)
    until = datetime.combine(through + timedelta(days=1), time(0), tzinfo=SEOUL)
    rebuilt = build(TallyRebuild).rebuilt(iso(after), iso(until - timedelta(milliseconds=1)))
    kept = ADAPTERS["tallies"]().tally_days(asked.since, through)
    differing = 0
    for day in sorted(set(kept) | set(rebuilt)):
        mine, theirs = kept.get(day, {}), rebuilt.get(day, {})
        for name in sorted(set(mine) | set(theirs)):
            if mine.get(name, 0) != theirs.get(name, 0):
                differing += 1
                print(f"{day} {name}: kept {mine.get(name, 0)}, rebuilt {theirs.get(name, 0)}")
    days = len(set(kept) | set(rebuilt))
    print(f"{days} days compared, {differing} counters differ")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
