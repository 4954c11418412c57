"""Decision deadlines in Korean working days, against calendar facts stated by hand.

The facts (each read off the 2026 calendar and Korea's rules, not computed here): Chuseok 2026 is
Thursday 24 to Saturday 26 September; a Chuseok day on a Saturday gets no substitute day (the
substitute rule covers Chuseok and Seollal only on a Sunday or another holiday). National
Foundation Day, Saturday 3 October 2026, gets Monday 5 October as its substitute (the rule covers
it on a Saturday or a Sunday since 2021). Hangul Day is Friday 9 October. Seollal 2026 is Monday 16
to Wednesday 18 February. 20 November 2026 is a Friday. Seoul is UTC+9 all year.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from chalicelib.domain.clock import iso
from chalicelib.domain.working_days import (
    decide_by,
    is_overdue,
    is_working_day,
    overdue_before,
    working_days_waited,
)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 9, 24), False),  # the day before Chuseok, a Thursday
        (date(2026, 9, 25), False),  # Chuseok, a Friday
        (date(2026, 9, 28), True),  # the Monday after: Saturday's Chuseok day has no substitute
        (date(2026, 10, 2), True),  # a Friday
        (date(2026, 10, 3), False),  # National Foundation Day, a Saturday
        (date(2026, 10, 5), False),  # its substitute, a Monday
        (date(2026, 10, 6), True),
        (date(2026, 10, 9), False),  # Hangul Day, a Friday
        (date(2026, 11, 21), False),  # a Saturday
        (date(2026, 11, 22), False),  # a Sunday
        (date(2026, 11, 23), True),  # a Monday
        (date(2026, 2, 17), False),  # Seollal
    ],
)
def test_a_working_day_is_no_weekend_day_and_no_public_holiday(day: date, working: bool) -> None:
    assert is_working_day(day) is working


@pytest.mark.parametrize(
    ("waiting_since", "due"),
    [
        # Friday 10:00 in Seoul: Monday, Tuesday, Wednesday; due at Wednesday's end.
        ("2026-11-20T01:00:00.000Z", "2026-11-25T15:00:00.000Z"),
        # Wednesday before Chuseok: Thursday and Friday are Chuseok, then Mon, Tue, Wed.
        ("2026-09-23T01:00:00.000Z", "2026-09-30T15:00:00.000Z"),
        # Thursday 1 October: Friday, then the substitute Monday is skipped: Tuesday, Wednesday.
        ("2026-10-01T01:00:00.000Z", "2026-10-07T15:00:00.000Z"),
        # Friday before Seollal: Mon to Wed are Seollal, then Thursday, Friday, Monday.
        ("2026-02-13T01:00:00.000Z", "2026-02-23T15:00:00.000Z"),
        # 23:59:59 on Thursday in Seoul is Thursday's case: Friday, Monday, Tuesday.
        ("2026-11-19T14:59:59.999Z", "2026-11-24T15:00:00.000Z"),
        # Midnight starting Friday in Seoul (15:00 UTC on Thursday) is Friday's case.
        ("2026-11-19T15:00:00.000Z", "2026-11-25T15:00:00.000Z"),
    ],
)
def test_a_case_is_due_at_the_end_of_the_third_working_day_after_it_began_waiting(
    waiting_since: str, due: str
) -> None:
    assert iso(decide_by(utc(waiting_since))) == due


def test_a_case_is_overdue_from_the_moment_its_day_ends() -> None:
    since = utc("2026-09-23T01:00:00.000Z")
    assert not is_overdue(since, utc("2026-09-30T14:59:59.999Z"))
    assert is_overdue(since, utc("2026-09-30T15:00:00.000Z"))


def test_every_case_waiting_since_before_the_bound_is_overdue_and_none_after() -> None:
    # At midnight starting 1 October in Seoul, every case that began waiting from Wednesday 23
    # September to Sunday 27 (Chuseok and the weekend between) is due at the end of 30 September.
    now = utc("2026-09-30T15:00:00.000Z")
    assert iso(overdue_before(now)) == "2026-09-27T15:00:00.000Z"  # Monday 28th begins
    assert is_overdue(utc("2026-09-27T14:59:59.999Z"), now)  # Sunday 23:59:59 in Seoul
    assert not is_overdue(utc("2026-09-27T15:00:00.000Z"), now)  # Monday 00:00, due 1 Oct
    # A moment earlier, only cases from Tuesday 22 September or before were overdue.
    assert iso(overdue_before(utc("2026-09-30T14:59:59.999Z"))) == "2026-09-22T15:00:00.000Z"


def test_the_bound_agrees_with_the_deadline_of_every_moment_around_it() -> None:
    now = utc("2026-10-08T03:00:00.000Z")
    bound = overdue_before(now)
    for hours in range(-24 * 20, 24 * 3):
        since = bound + timedelta(hours=hours, minutes=-1 if hours <= 0 else 0)
        assert is_overdue(since, now) is (since < bound), iso(since)


@pytest.mark.parametrize(
    ("waiting_since", "now", "days"),
    [
        # From Wednesday 23 September: Chuseok and the weekend do not count; Mon 28, Tue 29.
        ("2026-09-23T01:00:00.000Z", "2026-09-30T01:00:00.000Z", 2),
        ("2026-09-23T01:00:00.000Z", "2026-10-01T01:00:00.000Z", 3),
        # The day it began waiting and today are not counted.
        ("2026-11-20T01:00:00.000Z", "2026-11-23T14:00:00.000Z", 0),
        ("2026-11-20T01:00:00.000Z", "2026-11-24T00:00:00.000Z", 1),
        # 2 to 30 January 2026: Friday 2nd and four whole weeks, no holiday among them.
        ("2026-01-01T01:00:00.000Z", "2026-01-31T01:00:00.000Z", 21),
        # Across the substitute Monday 5 October and Hangul Day: 2, 6, 7, 8 October.
        ("2026-10-01T01:00:00.000Z", "2026-10-12T01:00:00.000Z", 4),
    ],
)
def test_working_days_waited_count_the_whole_working_days_since(
    waiting_since: str, now: str, days: int
) -> None:
    assert working_days_waited(utc(waiting_since), utc(now)) == days


def test_waiting_over_a_year_end_counts_both_years_holidays() -> None:
    # From Monday 28 December 2026 to Monday 4 January 2027: 29, 30 and 31 December count;
    # Friday 1 January is New Year's Day, then a weekend: 3 days.
    since = utc("2026-12-28T01:00:00.000Z")
    assert working_days_waited(since, datetime(2027, 1, 4, 1, tzinfo=UTC)) == 3
