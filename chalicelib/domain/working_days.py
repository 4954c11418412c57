"""Korean working days and the deadline of a decision counted in them (Kakao's practice)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

DECISION_WORKING_DAYS = 3
"""A report is decided within this many working days after the day it began waiting."""

SEOUL = ZoneInfo("Asia/Seoul")
_SEARCH_DAYS = 60  # more than any run of weekends and holidays Korea has around 3 working days


@cache
def _public_holidays(year: int) -> frozenset[date]:
    """Return Korea's public holidays of `year`, substitute and lunar holidays included."""
    import holidays  # on first use: its calendars take a tenth of a second to load

    return frozenset(holidays.country_holidays("KR", years=year))


def is_working_day(day: date) -> bool:
    """Tell whether `day` is a working day in Korea: not a weekend day, not a public holiday."""
    return day.weekday() < 5 and day not in _public_holidays(day.year)


def seoul_day(moment: datetime) -> date:
    """Return the calendar day in Seoul at `moment`."""
    return moment.astimezone(SEOUL).date()


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=SEOUL)


def _last_working_day(day: date) -> date:
    """Return the DECISION_WORKING_DAYS-th working day after `day` (that day not counted)."""
    counted = 0
    for offset in range(1, _SEARCH_DAYS + 1):
        later = day + timedelta(days=offset)
        if is_working_day(later):
            counted += 1
            if counted == DECISION_WORKING_DAYS:
                return later
    raise ValueError(f"no {DECISION_WORKING_DAYS} working days within {_SEARCH_DAYS} of {day}")


def decide_by(waiting_since: datetime) -> datetime:
    """Return when a case waiting since `waiting_since` must be decided: 24:00 in Seoul of the
    third working day after the Seoul day it began waiting (that day itself not counted)."""
    return _start_of(_last_working_day(seoul_day(waiting_since)) + timedelta(days=1))


def is_overdue(waiting_since: datetime, now: datetime) -> bool:
    """Tell whether a case waiting since `waiting_since` is past its decision deadline at `now`."""
    return now >= decide_by(waiting_since)


def overdue_before(now: datetime) -> datetime:
    """Return the moment before which every waiting_since is overdue at `now` (and from which
    none is): a bound a key condition `waiting_since < bound` counts the overdue cases by."""
    today = seoul_day(now)
    for offset in range(1, _SEARCH_DAYS + 1):
        began = today - timedelta(days=offset)
        if _last_working_day(began) < today:
            # `began` is the latest day whose deadline has passed; deadlines only move later.
            return _start_of(began + timedelta(days=1))
    raise ValueError(f"no overdue day within {_SEARCH_DAYS} of {today}")


def working_days_waited(waiting_since: datetime, now: datetime) -> int:
    """Return how many working days have wholly passed since the Seoul day a case began waiting
    (that day not counted, today counted once it ends)."""
    first = seoul_day(waiting_since) + timedelta(days=1)
    today = seoul_day(now)
    if today <= first:
        return 0
    span = (today - first).days
    weeks, rest = divmod(span, 7)
    weekdays = weeks * 5 + sum(
        1 for offset in range(rest) if (first + timedelta(days=offset)).weekday() < 5
    )
    closed = {
        day
        for year in range(first.year, today.year + 1)
        for day in _public_holidays(year)
        if first <= day < today and day.weekday() < 5
    }
    return weekdays - len(closed)
