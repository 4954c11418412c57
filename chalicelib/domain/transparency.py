"""The transparency report: counters per Korea day kept from the trail, and the figures read
from them for a half year or a range of days. No personal data and no ids ever enter them."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from .audit import AuditEvent
from .base import Model
from .clock import parse_iso
from .dsa_statements import SOURCE_ARTICLE_16
from .errors import FieldError, InvalidRequest
from .vocabulary import MeasureKind
from .working_days import decide_by, seoul_day

Counts = dict[str, int]
DayCounts = dict[str, Counts]  # Korea day (YYYY-MM-DD) -> counter name -> increment

HOURS_CAP = 720
"""Hours to a first decision are counted up to this (30 days); later ones count here."""
LONGEST_RANGE = timedelta(days=2 * 366)
"""The longest range one report covers: a half year reads ~184 days, two years ~731."""
UNKNOWN = "unknown"

_MEASURES = frozenset(m.value for m in MeasureKind)
# What time does by itself (the timer's actions), counted as lapses, never as decisions.
_LAPSES = frozenset({"delete_content", "reinstate", "lift_restriction", "closed_no_response"})
_PERIOD = re.compile(r"([0-9]{4})-H([12])")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def tally(events: Iterable[AuditEvent], received_at: str, decided_before: bool) -> DayCounts:
    """Return the counter increments the events of one change of a case make, by Korea day.

    `received_at` is when the case was received; `decided_before` tells whether a reviewer
    decided on the case before these events (only a case's first decision is timed).
    """
    counts: DayCounts = {}
    first_pending = not decided_before
    outcomes_told: set[str] = set()
    for event in events:
        day = seoul_day(parse_iso(event.occurred_at)).isoformat()
        names = _names(event)
        decision_id = event.details.get("decision_id")
        if event.action in _MEASURES and decision_id is not None:
            names.append(f"decided.measure.{event.action}")
            if decision_id not in outcomes_told:
                outcomes_told.add(str(decision_id))
                names += ["decided.count", f"decided.outcome.{event.to_status}"]
                if first_pending:
                    first_pending = False
                    names += _first_decision(received_at, event.occurred_at)
        into = counts.setdefault(day, {})
        for name in names:
            into[name] = into.get(name, 0) + 1
    return {day: named for day, named in counts.items() if named}


def _names(event: AuditEvent) -> list[str]:
    """Return the counters one event adds to, besides those of a reviewer's decision."""
    details = event.details
    action = event.action
    if action == "received":
        grounds = details.get("grounds") or [UNKNOWN]
        return [
            "received.count",
            f"received.surface.{details.get('surface') or UNKNOWN}",
            *(f"received.ground.{g}" for g in dict.fromkeys(grounds)),
            f"received.action.{details.get('requested_action') or UNKNOWN}",
            # Before trusted flaggers were recognised, every notice was anyone's (DSA art. 16).
            f"received.source.{details.get('source_type') or SOURCE_ARTICLE_16}",
        ]
    if action == "withdrawn":
        return ["withdrawn"]
    if action == "reposting_requested":
        return ["reposting.requested"]
    if action == "appeal_filed":
        return ["appeal.filed"]
    if event.actor_role == "system":
        return [f"lapsed.{action}"] if action in _LAPSES else []
    if action == "reinstate":
        return ["reposting.reinstated"]
    if action == "uphold":
        return ["reposting.upheld"]
    if action == "appeal_upheld":
        return ["appeal.upheld"]
    if action == "appeal_granted" or (
        action == "lift_restriction" and details.get("reason") == "appeal"
    ):
        return ["appeal.lifted"]
    return []


def _first_decision(received_at: str, decided_at: str) -> list[str]:
    received, decided = parse_iso(received_at), parse_iso(decided_at)
    hours = min(max(int((decided - received).total_seconds() // 3600), 0), HOURS_CAP)
    names = ["first_decision.count", f"first_decision.hours.{hours}"]
    if decided < decide_by(received):
        names.append("first_decision.within_3_working_days")
    return names


def merge(into: DayCounts, more: Mapping[str, Mapping[str, int]]) -> DayCounts:
    """Add the increments `more` to `into` and return it."""
    for day, named in more.items():
        counted = into.setdefault(day, {})
        for name, value in named.items():
            counted[name] = counted.get(name, 0) + value
    return into


def rebuild(chains: Iterable[list[AuditEvent]]) -> DayCounts:
    """Return the counters the trail makes: each case's events in chain order, tallied change
    by change as they were committed (a change's events share their moment and actor)."""
    counts: DayCounts = {}
    for events in chains:
        received_at: str | None = None
        decided = False
        for change in _changes(events):
            if change[0].action == "received":
                received_at = change[0].occurred_at
            merge(counts, tally(change, received_at or change[0].occurred_at, decided))
            decided = decided or any(
                e.action in _MEASURES and e.details.get("decision_id") is not None for e in change
            )
    return counts


def _changes(events: list[AuditEvent]) -> list[list[AuditEvent]]:
    changes: list[list[AuditEvent]] = []
    for event in events:
        last = changes[-1][-1] if changes else None
        if last and (last.occurred_at, last.actor_id) == (event.occurred_at, event.actor_id):
            changes[-1].append(event)
        else:
            changes.append([event])
    return changes


# The report


def half_year_of(day: date) -> str:
    """Return the half year a Korea day falls in, as a period is named (2026-H2)."""
    return f"{day.year}-H{1 if day.month <= 6 else 2}"


class Range(Model):
    """The Korea days a report covers, both included, and the name it was asked by."""

    period: str | None = None
    from_day: date
    to_day: date

    def days(self) -> list[date]:
        """Return every day of the range, in order."""
        span = (self.to_day - self.from_day).days
        return [self.from_day + timedelta(days=n) for n in range(span + 1)]


def parse_range(period: str | None, from_day: str | None, to_day: str | None) -> Range:
    """Return the range a request names: `period` (2026-H1, 2026-H2) or `from` and `to`
    (YYYY-MM-DD, both included, at most LONGEST_RANGE); refuse anything else."""
    if period is not None:
        if from_day is not None or to_day is not None:
            _refuse("period", "cannot be given with from or to", "exclusive")
        found = _PERIOD.fullmatch(period)
        if not found or not 2000 <= int(found.group(1)) <= 2999:
            _refuse("period", "must be a half year such as 2026-H1 or 2026-H2", "format")
        assert found is not None
        year, half = int(found.group(1)), int(found.group(2))
        first = date(year, 1, 1) if half == 1 else date(year, 7, 1)
        last = date(year, 6, 30) if half == 1 else date(year, 12, 31)
        return Range(period=period, from_day=first, to_day=last)
    if from_day is None or to_day is None:
        missing = "from" if from_day is None else "to"
        _refuse(missing, "is required (or give period, e.g. 2026-H2)", "required")
    assert from_day is not None and to_day is not None
    first, last = _day("from", from_day), _day("to", to_day)
    if last < first:
        _refuse("to", "must not be before from", "order")
    if last - first >= LONGEST_RANGE:
        _refuse("to", f"must be less than {LONGEST_RANGE.days} days after from", "too_long")
    return Range(from_day=first, to_day=last)


def _day(name: str, text: str) -> date:
    if _DAY.fullmatch(text):
        try:
            found = date.fromisoformat(text)
        except ValueError:
            pass
        else:
            if found.year >= 2000:
                return found
    _refuse(name, "must be a day YYYY-MM-DD", "format")
    raise AssertionError  # unreachable


def _refuse(name: str, message: str, code: str) -> None:
    raise InvalidRequest(
        "The report's range is not one it can cover.", [FieldError(name, message, code)]
    )


class FirstDecisions(Model):
    """How soon cases were first decided after receipt (hours, from the histogram)."""

    count: int
    median_hours: int | None
    p90_hours: int | None
    within_3_working_days: int
    share_within_3_working_days: float | None


class Report(Model):
    """The figures of one range, totals per dimension, no personal data and no ids."""

    from_day: date
    to_day: date
    period: str | None
    received: int
    received_by_surface: dict[str, int]
    received_by_ground: dict[str, int]
    received_by_action: dict[str, int]
    received_by_source: dict[str, int]
    decisions: int
    decisions_by_measure: dict[str, int]
    decisions_by_outcome: dict[str, int]
    reposting_requested: int
    reposting_by_outcome: dict[str, int]
    appeals_filed: int
    appeals_by_outcome: dict[str, int]
    withdrawn: int
    lapsed_by_action: dict[str, int]
    first_decision: FirstDecisions


def report(span: Range, days: Mapping[str, Mapping[str, int]]) -> Report:
    """Fold the counters of the range's days into its report."""
    total: Counts = {}
    first, last = span.from_day.isoformat(), span.to_day.isoformat()
    for day, named in days.items():
        if first <= day <= last:
            for name, value in named.items():
                total[name] = total.get(name, 0) + int(value)

    def under(prefix: str, drop: Iterable[str] = ()) -> dict[str, int]:
        dropped = set(drop)
        found = {
            name[len(prefix) :]: value
            for name, value in total.items()
            if name.startswith(prefix) and name[len(prefix) :] not in dropped
        }
        return dict(sorted(found.items()))

    histogram = {int(h): n for h, n in under("first_decision.hours.").items() if h.isdigit()}
    decided = total.get("first_decision.count", 0)
    within = total.get("first_decision.within_3_working_days", 0)
    return Report(
        from_day=span.from_day,
        to_day=span.to_day,
        period=span.period,
        received=total.get("received.count", 0),
        received_by_surface=under("received.surface."),
        received_by_ground=under("received.ground."),
        received_by_action=under("received.action."),
        received_by_source=under("received.source."),
        decisions=total.get("decided.count", 0),
        decisions_by_measure=under("decided.measure."),
        decisions_by_outcome=under("decided.outcome."),
        reposting_requested=total.get("reposting.requested", 0),
        reposting_by_outcome=under("reposting.", drop=["requested"]),
        appeals_filed=total.get("appeal.filed", 0),
        appeals_by_outcome=under("appeal.", drop=["filed"]),
        withdrawn=total.get("withdrawn", 0),
        lapsed_by_action=under("lapsed."),
        first_decision=FirstDecisions(
            count=decided,
            median_hours=percentile(histogram, 0.5),
            p90_hours=percentile(histogram, 0.9),
            within_3_working_days=within,
            share_within_3_working_days=round(within / decided, 4) if decided else None,
        ),
    )


def percentile(histogram: Mapping[int, int], fraction: float) -> int | None:
    """Return the nearest-rank percentile of whole hours counted in `histogram` (None: empty)."""
    count = sum(histogram.values())
    if count == 0:
        return None
    rank = max(math.ceil(fraction * count), 1)
    seen = 0
    for hours in sorted(histogram):
        seen += histogram[hours]
        if seen >= rank:
            return hours
    return max(histogram)


def rows(figures: Report) -> list[tuple[str, str, str]]:
    """Return the report as (dimension, key, value) rows, one per figure, for CSV."""
    found: list[tuple[str, str, str]] = [
        ("range", "from", figures.from_day.isoformat()),
        ("range", "to", figures.to_day.isoformat()),
    ]
    for dimension, value in figures.model_dump(mode="json").items():
        if dimension in {"from_day", "to_day", "period"}:
            continue
        if isinstance(value, dict):
            found += [(dimension, str(k), "" if v is None else str(v)) for k, v in value.items()]
        else:
            found.append((dimension, "total", str(value)))
    return found
