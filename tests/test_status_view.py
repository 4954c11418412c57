"""What the claimant's status page and JSON view tell: what was reported, what happened, and when
to expect a decision (in Korea's working days and time)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any

import pytest
from chalice.test import Client

from chalicelib import wiring
from chalicelib.domain.lifecycle import Actor
from chalicelib.services.review import Review
from chalicelib.wiring import build
from tests.conftest import PNG, post_json, upload
from tests.review_helpers import decision
from tests.test_pages import ask_status, open_case

REVIEWER = Actor("reviewer:alice", "reviewer")
BASE = "http://irc.test"
FACTS = "The announcement board shows the claimant's home address next to her photograph."
NOTE = "Internal: the same room was reported last month; watch for reposts."
ANSWER = "The attached lease shows that the address in the post is my home address."
# What conftest's report() sends: the claimant's own words and where the content is.
STATEMENT = "The announcement posts my home address and a photo of me without consent."
TARGET_URL = "https://open.kakao.com/o/gABCDEF"
TARGET_DESCRIPTION = "The announcement board of the room"


class Clock:
    """A clock a test sets by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Set the claimant's and the reviewers' use cases to a clock the test moves."""
    set_by_hand = Clock(datetime.now(UTC))
    monkeypatch.setattr(wiring.intake(), "clock", set_by_hand)
    monkeypatch.setattr(wiring.review(), "clock", set_by_hand)
    return set_by_hand


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


INLINE = {"time", "span", "strong", "code", "a", "em"}


class Elements(HTMLParser):
    """The text of each element with an id, and the text of each timeline entry, in order."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.by_id: dict[str, str] = {}
        self.entries: list[tuple[str, str]] = []
        self._open: list[tuple[str, str | None, str | None]] = []  # tag, id, timeline kind
        self._texts: dict[int, list[str]] = {}
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"input", "br", "meta", "link", "img"}:
            return
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        kind = next(
            (
                c[len("timeline-") :]
                for c in classes
                if c.startswith("timeline-") and c != "timeline-entry"
            ),
            None,
        )
        entry = kind if "timeline-entry" in classes else None
        self._open.append((tag, attributes.get("id"), entry))
        self._texts[len(self._open)] = []

    def handle_endtag(self, tag: str) -> None:
        if not self._open or self._open[-1][0] != tag:
            return
        depth = len(self._open)
        _, element_id, entry = self._open.pop()
        text = re.sub(r"\s+", " ", "".join(self._texts.pop(depth))).strip()
        if depth > 1:
            self._texts[depth - 1].append(text if tag in INLINE else f" {text} ")
        if element_id:
            self.by_id[element_id] = text
        if entry:
            self.entries.append((entry, text))

    def handle_data(self, data: str) -> None:
        if self._open:
            self._texts[len(self._open)].append(data)


def view_of(client: Client, receipt: dict[str, Any]) -> dict[str, Any]:
    response = client.http.get(
        f"/v1/reports/{receipt['case_id']}",
        headers={"X-Receipt-Token": receipt["receipt_token"]},
    )
    assert response.status_code == 200, response.body
    view: dict[str, Any] = response.json_body
    return view


def page_of(client: Client, receipt: dict[str, Any], lang: str) -> Elements:
    response = ask_status(
        client, case_id=receipt["case_id"], receipt_token=receipt["receipt_token"], lang=lang
    )
    assert response.status_code == 200, response.body
    return Elements(bytes(response.body).decode("utf-8"))


def decide(clock: Clock, case_id: str, version: int, *measures: dict[str, Any]) -> None:
    build(Review, clock=clock).decide(
        case_id, decision(version, *measures, facts=FACTS, note=NOTE), REVIEWER, BASE
    )


# What was reported


def test_the_claimant_reads_back_what_they_reported(client: Client) -> None:
    receipt = open_case(client)
    view = view_of(client, receipt)
    assert view["target"] == {
        "surface": "open_chat_board",
        "url": TARGET_URL,
        "content_ref": None,
        "description": TARGET_DESCRIPTION,
    }
    assert view["statement"] == STATEMENT
    for lang in ("ko", "en"):
        page = page_of(client, receipt, lang)
        assert page.by_id["case-target"] == TARGET_URL
        assert page.by_id["case-target-description"] == TARGET_DESCRIPTION
        assert page.by_id["case-statement"] == STATEMENT


# When to expect a decision: the third Korean working day after the Seoul day the case began
# waiting, that day not counted; the dates below are read from the 2026 calendar by hand.

RECEIVED_AND_DUE = [
    # Wed 23 Sep, 01:30 in Seoul (still the 22nd in UTC); 24-26 Sep are Chuseok, 27 a Sunday:
    # 28, 29, 30 Sep are the three working days.
    (
        "2026-09-22T16:30:00+00:00",
        "2026-09-30T15:00:00.000Z",
        "2026년 9월 30일",
        "30 September 2026",
    ),
    # Fri 2 Oct; 5 Oct stands in for National Foundation Day (Sat 3 Oct): 6, 7, 8 Oct.
    ("2026-10-02T09:00:00+00:00", "2026-10-08T15:00:00.000Z", "2026년 10월 8일", "8 October 2026"),
    # Fri 13 Feb; 16-18 Feb are Seollal: 19, 20, 23 Feb.
    (
        "2026-02-13T05:00:00+00:00",
        "2026-02-23T15:00:00.000Z",
        "2026년 2월 23일",
        "23 February 2026",
    ),
]


@pytest.mark.parametrize(("received", "due", "ko_day", "en_day"), RECEIVED_AND_DUE)
def test_an_undecided_case_says_by_when_it_will_be_decided_in_korea_time(
    client: Client, clock: Clock, received: str, due: str, ko_day: str, en_day: str
) -> None:
    clock.now = at(received)
    receipt = open_case(client)
    view = view_of(client, receipt)
    assert (view["decide_by"], view["decision_overdue"]) == (due, False)
    ko = page_of(client, receipt, "ko").by_id["decide-by"]
    assert (
        ko == f"한국 시간(KST)으로 {ko_day}까지 결정하려고 합니다. 주말과 공휴일은 세지 않습니다."
    )
    en = page_of(client, receipt, "en").by_id["decide-by"]
    assert en.startswith(f"We aim to decide by the end of {en_day}, Korea time (KST).")


def test_a_late_decision_is_owned_with_an_apology_and_what_to_do(
    client: Client, clock: Clock
) -> None:
    clock.now = at("2026-09-22T16:30:00+00:00")
    receipt = open_case(client)
    clock.now = at("2026-09-30T23:59:00+09:00")
    assert view_of(client, receipt)["decision_overdue"] is False
    assert "죄송합니다" not in page_of(client, receipt, "ko").by_id["decision-expected"]

    clock.now = at("2026-10-01T00:00:00+09:00")
    view = view_of(client, receipt)
    assert (view["decide_by"], view["decision_overdue"]) == ("2026-09-30T15:00:00.000Z", True)
    en = page_of(client, receipt, "en").by_id["decision-expected"]
    assert en.startswith("Your decision is late")
    assert "We are sorry: we aimed to decide by the end of 30 September 2026" in en
    assert "you do not need to report again" in en
    ko = page_of(client, receipt, "ko").by_id["decision-expected"]
    assert "죄송합니다. 한국 시간(KST)으로 2026년 9월 30일까지 결정하려고 했으나" in ko
    assert "다시 신고하실 필요는 없습니다" in ko


def test_a_case_waiting_for_the_claimant_or_decided_promises_no_decision_date(
    client: Client, clock: Clock
) -> None:
    clock.now = at("2026-09-22T16:30:00+00:00")
    receipt = open_case(client)
    ask = {"type": "request_information", "message": "Please send the lease.", "due_days": 7}
    decide(clock, receipt["case_id"], 1, {**ask, "message": "Please send a copy of the lease."})
    assert view_of(client, receipt)["decide_by"] is None
    assert "decision-expected" not in page_of(client, receipt, "en").by_id

    # The answer puts the case back in review: a new deadline, counted from the answer
    # (Mon 28 Sep in Seoul: 29, 30 Sep and 1 Oct are the working days).
    clock.now = at("2026-09-28T00:00:00+00:00")
    evidence = upload(client, PNG, "image/png", "lease.png")
    answered = post_json(
        client,
        f"/v1/reports/{receipt['case_id']}/information",
        {"statement": ANSWER, "evidence": [evidence]},
        {"X-Receipt-Token": receipt["receipt_token"]},
    )
    assert answered.status_code == 200, answered.body
    assert view_of(client, receipt)["decide_by"] == "2026-10-01T15:00:00.000Z"

    decide(clock, receipt["case_id"], 3, {"type": "block_content", "days": 30})
    assert view_of(client, receipt)["decide_by"] is None
    assert "decision-expected" not in page_of(client, receipt, "ko").by_id


# The timeline


def test_the_timeline_tells_the_life_of_the_case_in_order_in_korea_time(
    client: Client, clock: Clock
) -> None:
    clock.now = at("2026-09-22T16:30:00+00:00")  # 23 Sep, 01:30 in Seoul
    receipt = open_case(client)
    case_id = receipt["case_id"]
    clock.now = at("2026-09-23T02:00:00+00:00")  # 11:00 in Seoul
    decide(
        clock,
        case_id,
        1,
        {
            "type": "request_information",
            "message": "Please send a copy of the lease.",
            "due_days": 7,
        },
    )
    clock.now = at("2026-09-24T06:15:00+00:00")  # 15:15 in Seoul
    evidence = upload(client, PNG, "image/png", "lease.png")
    answered = post_json(
        client,
        f"/v1/reports/{case_id}/information",
        {"statement": ANSWER, "evidence": [evidence]},
        {"X-Receipt-Token": receipt["receipt_token"]},
    )
    assert answered.status_code == 200, answered.body
    clock.now = at("2026-09-28T14:40:00+00:00")  # 28 Sep, 23:40 in Seoul
    decide(
        clock,
        case_id,
        3,
        {"type": "block_content", "days": 30},
        {"type": "restrict_user", "service": "open_chat", "days": 7},
    )
    clock.now = at("2026-10-07T00:00:00+00:00")  # the restriction ended on 5 Oct, 23:40

    view = view_of(client, receipt)
    assert [(e["kind"], e["at"]) for e in view["timeline"]] == [
        ("received", "2026-09-22T16:30:00.000Z"),
        ("information_requested", "2026-09-23T02:00:00.000Z"),
        ("information_provided", "2026-09-24T06:15:00.000Z"),
        ("decided", "2026-09-28T14:40:00.000Z"),
        ("measure_ended", "2026-10-05T14:40:00.000Z"),
    ]
    asked, decided, ended = view["timeline"][1], view["timeline"][3], view["timeline"][4]
    assert asked["due_at"] == "2026-09-30T02:00:00.000Z"
    assert decided["measures"] == [
        {"type": "block_content", "ends_at": "2026-10-28T14:40:00.000Z", "service": None},
        {"type": "restrict_user", "ends_at": "2026-10-05T14:40:00.000Z", "service": "open_chat"},
    ]
    assert (ended["measures"][0]["type"], ended["note"]) == ("restrict_user", "restriction_ended")
    assert NOTE not in str(view["timeline"]) and REVIEWER.actor_id not in str(view["timeline"])

    ko = page_of(client, receipt, "ko").entries
    assert ko == [
        ("received", "2026년 9월 23일 01:30 (한국 시간) 신고가 접수되었습니다."),
        (
            "information_requested",
            "2026년 9월 23일 11:00 (한국 시간) 추가 자료를 요청했습니다. "
            "2026년 9월 30일 11:00 (한국 시간)까지 보내 주셔야 합니다.",
        ),
        ("information_provided", "2026년 9월 24일 15:15 (한국 시간) 요청한 자료를 보내셨습니다."),
        (
            "decided",
            "2026년 9월 28일 23:40 (한국 시간) 결정했습니다: 접근 차단(임시조치) "
            "(2026년 10월 28일 23:40 (한국 시간)까지) 게시자의 오픈채팅 이용 제한 "
            "(2026년 10월 5일 23:40 (한국 시간)까지)",
        ),
        (
            "measure_ended",
            "2026년 10월 5일 23:40 (한국 시간) 게시자의 오픈채팅 이용 제한: 종료되었습니다. "
            "제한 기간이 끝났습니다.",
        ),
    ]
    en = page_of(client, receipt, "en").entries
    assert [text.split(" KST ", 1)[0] for _, text in en] == [
        "23 September 2026, 01:30",
        "23 September 2026, 11:00",
        "24 September 2026, 15:15",
        "28 September 2026, 23:40",
        "5 October 2026, 23:40",
    ]
    assert en[3][1].endswith(
        "A decision was made: Access blocked (temporary measure) "
        "(until 28 October 2026, 23:40 KST) Poster restricted from Open Chat "
        "(until 5 October 2026, 23:40 KST)"
    )


def test_a_withdrawal_ends_the_timeline(client: Client, clock: Clock) -> None:
    clock.now = at("2026-09-22T16:30:00+00:00")
    receipt = open_case(client)
    clock.now = at("2026-09-23T00:05:00+00:00")
    withdrawn = client.http.post(
        f"/v1/reports/{receipt['case_id']}/withdrawal",
        headers={
            "X-Receipt-Token": receipt["receipt_token"],
            "Idempotency-Key": "withdraw-0000000001",
        },
    )
    assert withdrawn.status_code == 200, withdrawn.body
    view = view_of(client, receipt)
    assert [(e["kind"], e["at"]) for e in view["timeline"]] == [
        ("received", "2026-09-22T16:30:00.000Z"),
        ("withdrawn", "2026-09-23T00:05:00.000Z"),
    ]
    assert view["decide_by"] is None
    assert page_of(client, receipt, "en").entries[-1] == (
        "withdrawn",
        "23 September 2026, 09:05 KST You withdrew your report.",
    )


def test_the_timeline_tells_the_posters_request_its_decision_and_the_close(
    client: Client, clock: Clock
) -> None:
    from chalicelib.services.timers import Timers
    from tests.test_notice_pages import notice_path, request_reposting, token_of

    clock.now = at("2026-09-22T16:30:00+00:00")
    receipt = open_case(client)
    case_id = receipt["case_id"]
    decide(clock, case_id, 1, {"type": "block_content", "days": 30})
    link = notice_path(case_id)
    clock.now = at("2026-09-25T01:00:00+00:00")
    request_reposting(client, case_id, token_of(link))
    view = view_of(client, receipt)
    # Waiting for the re-posting decision: Fri 25 Sep is Chuseok, then 28, 29, 30 Sep.
    assert view["decide_by"] == "2026-09-30T15:00:00.000Z"
    clock.now = at("2026-09-28T03:00:00+00:00")
    build(Review, clock=clock).decide_reposting(
        case_id,
        {
            "expected_version": 3,
            "outcome": "uphold",
            "referral": "none",
            "reasons": {"facts": "The photograph shows the claimant's face and home address."},
        },
        REVIEWER,
        BASE,
    )
    clock.now = at("2026-10-23T00:00:00+00:00")  # past the block's end (30 days, 22 Oct)
    assert build(Timers, clock=clock).run(BASE).changed == 1

    view = view_of(client, receipt)
    assert [(e["kind"], e["at"]) for e in view["timeline"]] == [
        ("received", "2026-09-22T16:30:00.000Z"),
        ("decided", "2026-09-22T16:30:00.000Z"),
        ("reposting_requested", "2026-09-25T01:00:00.000Z"),
        ("reposting_decided", "2026-09-28T03:00:00.000Z"),
        ("measure_ended", "2026-10-22T16:30:00.000Z"),
        ("closed", "2026-10-23T00:00:00.000Z"),
    ]
    assert view["timeline"][3]["outcome"] == "upheld"
    assert view["timeline"][4]["note"] == "deleted_upheld"
    assert view["timeline"][-1]["status"] == "closed"
    assert view["decide_by"] is None
    en = [text for _, text in page_of(client, receipt, "en").entries]
    assert en[2] == "25 September 2026, 10:00 KST The poster asked for the content to be re-posted."
    assert en[3] == (
        "28 September 2026, 12:00 KST "
        "The re-posting request was turned down: the measure stays in place."
    )
    assert en[-1] == "23 October 2026, 09:00 KST The case was closed."
