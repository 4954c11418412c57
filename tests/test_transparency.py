"""The transparency report: figures counted by hand, the range it covers, its CSV and its page."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from chalice.test import Client

from chalicelib.domain.audit import AuditEvent
from chalicelib.domain.errors import InvalidRequest
from chalicelib.domain.transparency import parse_range, rebuild, report
from chalicelib.services.outbox import Relay
from tests.conftest import header

KST = timedelta(hours=9)


def kst(text: str) -> str:
    """Return the UTC timestamp of a moment written in Korea time (YYYY-MM-DD HH:MM)."""
    moment = datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=UTC) - KST
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def event(
    case_id: str,
    seq: int,
    action: str,
    at: str,
    to_status: str,
    role: str = "reviewer",
    **details: Any,
) -> AuditEvent:
    return AuditEvent(
        event_id=f"{case_id}-{seq}",
        case_id=case_id,
        seq=seq,
        action=action,
        actor_id=f"{role}:someone",
        actor_role=role,
        occurred_at=kst(at),
        from_status=None,
        to_status=to_status,
        details=details,
        policy_version="test",
        prev_hash="0" * 64,
        hash="0" * 64,
    )


def received(case_id: str, at: str, surface: str = "open_profile", **details: Any) -> AuditEvent:
    return event(
        case_id,
        1,
        "received",
        at,
        "received",
        role="claimant",
        surface=surface,
        grounds=details.pop("grounds", ["privacy"]),
        requested_action=details.pop("requested_action", "block"),
        **details,
    )


def decided(
    case_id: str, seq: int, at: str, measure: str, decision: str, status: str
) -> AuditEvent:
    return event(case_id, seq, measure, at, status, decision_id=decision)


# Five cases first decided around Korea's holidays of 2026 (counted here by hand, not by the
# service's calendar): Chuseok Sep 24-26, Foundation Day Oct 3 with its substitute Oct 5,
# Liberation Day Aug 15 with its substitute Aug 17.
# A: received Wed Sep 23 10:00; working days after it Sep 28, 29, 30: decided Tue Sep 29 10:00,
#    144 h, within (a count blind to Chuseok would end on Sep 28 and call it late).
# B: received Mon Oct 5 15:00 (a holiday); Oct 6, 7, 8: decided Thu Oct 8 23:30, 56 h, within.
# C: received Tue Jul 7 09:00; Jul 8, 9, 10: decided Mon Jul 13 09:00, 144 h, late.
# D: received Mon Aug 3 09:00, decided 11:00 the same day, 2 h, within.
# E: received Fri Aug 14 09:00; Aug 18, 19, 20: decided Thu Aug 20 20:00, 155 h, within.
# Hours sorted: 2, 56, 144, 144, 155: median (3rd of 5) 144, 90th percentile (5th of 5) 155;
# 4 of 5 within 3 working days.
CHAINS = [
    [
        received("A", "2026-09-23 10:00", grounds=["privacy", "portrait"]),
        decided("A", 2, "2026-09-29 10:00", "block_content", "dA", "actioned"),
        decided("A", 3, "2026-09-29 10:00", "restrict_user", "dA", "actioned"),
        event("A", 4, "reposting_requested", "2026-10-01 08:00", "reposting_requested", "poster"),
        event("A", 5, "uphold", "2026-10-02 08:00", "upheld", measure_id="m"),
    ],
    [
        received(
            "B",
            "2026-10-05 15:00",
            surface="talk_board",
            requested_action="delete",
            source_type="SOURCE_TRUSTED_FLAGGER",
        ),
        decided("B", 2, "2026-10-08 23:30", "reject", "dB", "rejected"),
    ],
    [
        received("C", "2026-07-07 09:00"),
        decided("C", 2, "2026-07-13 09:00", "request_information", "dC1", "information_requested"),
        event("C", 3, "information_provided", "2026-07-14 09:00", "in_review", "claimant"),
        decided("C", 4, "2026-07-15 09:00", "delete_content", "dC2", "actioned"),
    ],
    [
        received("D", "2026-08-03 09:00"),
        decided("D", 2, "2026-08-03 11:00", "restrict_user", "dD", "actioned"),
        event("D", 3, "appeal_filed", "2026-08-04 09:00", "actioned", "poster", measure_id="m"),
        event("D", 4, "lift_restriction", "2026-08-05 09:00", "actioned", reason="appeal"),
    ],
    [
        received("E", "2026-08-14 09:00", surface="open_chat_cover"),
        decided("E", 2, "2026-08-20 20:00", "block_content", "dE", "actioned"),
        event("E", 3, "delete_content", "2026-09-19 20:00", "closed", "system", reason="expired"),
    ],
    [
        # An old event from before the fields were recorded, and a withdrawal.
        event("F", 1, "received", "2026-11-02 09:00", "received", "claimant"),
        event("F", 2, "withdrawn", "2026-11-03 09:00", "withdrawn", "claimant"),
    ],
]


def test_figures_of_a_half_year_are_those_counted_by_hand_across_korean_holidays() -> None:
    figures = report(parse_range("2026-H2", None, None), rebuild(CHAINS))

    assert figures.received == 6
    assert figures.received_by_surface == {
        "open_chat_cover": 1,
        "open_profile": 3,
        "talk_board": 1,
        "unknown": 1,
    }
    assert figures.received_by_ground == {"portrait": 1, "privacy": 5, "unknown": 1}
    assert figures.received_by_action == {"block": 4, "delete": 1, "unknown": 1}
    # B came from a trusted flagger; the others, old F too, from anyone (there were no others).
    assert figures.received_by_source == {"SOURCE_ARTICLE_16": 5, "SOURCE_TRUSTED_FLAGGER": 1}
    assert figures.decisions == 6  # A's two measures are one decision; C was decided twice
    assert figures.decisions_by_measure == {
        "block_content": 2,
        "delete_content": 1,
        "reject": 1,
        "request_information": 1,
        "restrict_user": 2,
    }
    assert figures.decisions_by_outcome == {
        "actioned": 4,
        "information_requested": 1,
        "rejected": 1,
    }
    assert (figures.reposting_requested, figures.reposting_by_outcome) == (1, {"upheld": 1})
    assert (figures.appeals_filed, figures.appeals_by_outcome) == (1, {"lifted": 1})
    assert figures.withdrawn == 1
    assert figures.lapsed_by_action == {"delete_content": 1}
    first = figures.first_decision
    assert (first.count, first.median_hours, first.p90_hours) == (5, 144, 155)
    assert (first.within_3_working_days, first.share_within_3_working_days) == (4, 0.8)


def test_a_range_counts_only_its_own_korea_days() -> None:
    # D's decision at 11:00 on Aug 3 in Korea is 02:00 UTC the same day; E's receipt at 09:00 on
    # Aug 14 in Korea is 00:00 UTC: both days are Korea's.
    figures = report(parse_range(None, "2026-08-03", "2026-08-14"), rebuild(CHAINS))
    assert figures.received == 2
    assert figures.decisions == 1
    assert figures.appeals_filed == 1
    assert figures.first_decision.median_hours == 2


@pytest.mark.parametrize(
    ("period", "first", "last", "field"),
    [
        ("2026-H3", None, None, "period"),
        ("2026", None, None, "period"),
        ("2026-H2", "2026-07-01", None, "period"),
        (None, None, "2026-07-01", "from"),
        (None, "2026-07-01", None, "to"),
        (None, "2026-7-1", "2026-07-31", "from"),
        (None, "2026-02-30", "2026-03-31", "from"),
        (None, "2026-07-31", "2026-07-01", "to"),
        (None, "2024-01-01", "2026-07-01", "to"),
        ("2026-H2\n", None, None, "period"),
        (None, "２０２６-07-01", "2026-07-31", "from"),
    ],
)
def test_a_range_the_report_cannot_cover_is_refused_naming_the_field(
    period: str | None, first: str | None, last: str | None, field: str
) -> None:
    with pytest.raises(InvalidRequest) as refused:
        parse_range(period, first, last)
    assert [e.field for e in refused.value.errors] == [field]


def test_two_years_less_a_day_is_one_report() -> None:
    span = parse_range(None, "2025-01-01", "2026-12-31")
    assert (span.from_day, span.to_day) == (date(2025, 1, 1), date(2026, 12, 31))


# Over the app


def _today() -> str:
    return (datetime.now(UTC) + KST).date().isoformat()


def _delivered(client: Client) -> str:
    """Submit one report through the app, deliver its effects; return its case id."""
    from tests.review_helpers import open_case

    case_id, _ = open_case()
    return case_id


def test_a_range_refused_over_http_is_a_problem_naming_the_field(client: Client) -> None:
    for query, field in [
        ("period=2026-H9", "period"),
        ("from=2026-01-01", "to"),
        ("from=2026-01-01&to=2026-01-01&format=xml", "format"),
    ]:
        answer = client.http.get(f"/v1/transparency/report?{query}")
        assert answer.status_code == 422, query
        assert header(answer, "content-type") == "application/problem+json"
        assert [e["field"] for e in answer.json_body["errors"]] == [field]
    too_long = client.http.get(f"/v1/transparency/report?period={'9' * 40}")
    assert too_long.status_code == 400


def test_the_report_counts_a_report_once_the_relay_delivered_it_and_holds_no_personal_data(
    client: Client,
) -> None:
    case_id = _delivered(client)
    today = _today()
    answer = client.http.get(f"/v1/transparency/report?from={today}&to={today}")
    assert answer.status_code == 200
    assert header(answer, "cache-control") == "public, max-age=300"
    figures = answer.json_body
    assert figures["received"] == 1
    assert figures["received_by_surface"] == {"open_chat_board": 1}
    assert figures["received_by_ground"] == {"portrait": 1, "privacy": 1}
    csv_answer = client.http.get(f"/v1/transparency/report?from={today}&to={today}&format=csv")
    page = client.http.get(f"/transparency?from={today}&to={today}&lang=en")
    for body in (answer.body, csv_answer.body, page.body):
        text = body.decode() if isinstance(body, bytes) else str(body)
        for personal in ("김민지", "minji@example.com", "1234-5678", case_id, "gABCDEF"):
            assert personal not in text


def test_the_csv_has_one_row_per_figure_under_a_header(client: Client) -> None:
    _delivered(client)
    today = _today()
    answer = client.http.get(f"/v1/transparency/report?from={today}&to={today}&format=csv")
    assert answer.status_code == 200
    assert str(header(answer, "content-type")).startswith("text/csv")
    body = answer.body.decode() if isinstance(answer.body, bytes) else answer.body
    found = list(csv.reader(io.StringIO(body)))
    assert found[0] == ["dimension", "key", "value"]
    assert ["range", "from", today] in found
    assert ["received", "total", "1"] in found
    assert ["received_by_surface", "open_chat_board", "1"] in found
    assert ["received_by_ground", "privacy", "1"] in found
    assert all(len(row) == 3 for row in found)


@pytest.mark.parametrize(
    ("lang", "title", "surface"),
    [
        ("ko", "투명성 보고서", "오픈채팅 그룹채팅방"),
        ("en", "Transparency report", "Open Chat group room"),
    ],
)
def test_the_page_shows_the_figures_as_charts_and_tables_in_both_languages(
    client: Client, lang: str, title: str, surface: str
) -> None:
    _delivered(client)
    today = _today()
    answer = client.http.get(f"/transparency?from={today}&to={today}&lang={lang}")
    assert answer.status_code == 200
    html = answer.body.decode()
    assert f'<html lang="{lang}">' in html
    assert title in html
    assert header(answer, "cache-control") == "public, max-age=300"
    charts = re.findall(
        r"<svg role=\"img\" aria-labelledby=\"([^\"]+)\"[^>]*>(.*?)</svg>", html, re.S
    )
    assert charts, "no chart"
    by_surface = next(body for labelled, body in charts if labelled == "chart-surface-title")
    assert '<title id="chart-surface-title">' in by_surface and surface in by_surface
    assert re.search(r'viewBox="0 0 320 \d+"', html)
    # The same number is in a table, for those who read rather than look.
    assert re.search(rf"<th scope=\"row\">[^<]*{surface}[^<]*</th><td>1</td>", html)
    assert "<script" not in html.split("<main", 1)[1]


def test_the_page_of_a_half_year_by_default_names_it(client: Client) -> None:
    answer = client.http.get("/transparency?lang=en")
    assert answer.status_code == 200
    today = (datetime.now(UTC) + KST).date()
    assert f"{today.year}-H{1 if today.month <= 6 else 2}" in answer.body.decode()


def test_a_tally_is_added_once_though_delivered_twice() -> None:
    from tests.fakes import FakeCaseStore, FakeOutbox

    store = FakeCaseStore()
    days = {"2026-08-03": {"withdrawn": 1}}
    store.effects[("C1", "tally-1")] = {
        "effect_id": "tally-1",
        "kind": "tally",
        "case_id": "C1",
        "payload": {"days": days},
        "state": "pending",
        "attempts": 0,
        "created_at": "2026-08-03T00:00:00.000Z",
        "due_at": "2026-08-03T00:01:00.000Z",
    }
    outbox = FakeOutbox(store)
    relay = Relay(outbox, None, None, None, None)  # type: ignore[arg-type]
    assert relay.deliver([("C1", "tally-1")]).delivered == 1
    assert relay.deliver([("C1", "tally-1")]).skipped == 1
    outbox.tally_delivered("C1", "tally-1", days, "2026-08-03T00:02:00.000Z")
    assert store.tallies == {"2026-08-03": {"withdrawn": 1}}


def test_the_page_of_a_range_it_cannot_show_says_so_in_the_readers_language(
    client: Client,
) -> None:
    answer = client.http.get("/transparency?period=2026-H7&lang=en")
    assert answer.status_code == 422
    assert "2026-H2" in answer.body.decode() and "cannot be shown" in answer.body.decode()


@pytest.mark.parametrize(
    ("day", "period"),
    [
        (date(2026, 1, 1), "2026-H1"),
        (date(2026, 6, 30), "2026-H1"),
        (date(2026, 7, 1), "2026-H2"),
        (date(2026, 12, 31), "2026-H2"),
    ],
)
def test_a_day_falls_in_its_half_year(day: date, period: str) -> None:
    from chalicelib.domain.transparency import half_year_of

    assert half_year_of(day) == period


def test_every_public_page_links_to_the_report(client: Client) -> None:
    for path, word in (("/?lang=en", "Transparency report"), ("/status", "투명성 보고서")):
        html = client.http.get(path).body.decode()
        assert re.search(rf'<a href="[^"]*/transparency\?lang=(en|ko)"[^>]*>{word}</a>', html)
    page = client.http.get("/transparency?lang=en").body.decode()
    assert re.search(r'/transparency\?lang=en" aria-current="page"', page)
