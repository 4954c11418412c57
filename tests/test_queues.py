"""Reviewers' work queues, their counts and deadlines, and claims on cases.

The use cases run on the in-memory fakes of their ports (`tests/fakes.py`, held to the AWS
adapters by `tests/test_ports.py`). Calendar facts used here: 23 November 2026 is a Monday, 25
November a Wednesday; no Korean public holiday falls from 2 to 27 November 2026.
"""

from __future__ import annotations

import urllib.parse
from datetime import UTC, datetime
from typing import Any

import pytest

from chalicelib.domain.clock import iso
from chalicelib.domain.errors import CaseClaimed, InvalidRequest
from chalicelib.domain.lifecycle import Actor
from chalicelib.services.intake import Intake
from chalicelib.services.review import Review
from tests.fakes import Clock, fake_environment
from tests.review_helpers import decision

# Monday 23 November 2026, 10:00 in Seoul.
START = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
ALICE = Actor("reviewer:alice", "reviewer")
BOB = Actor("reviewer:bob", "reviewer")
BASE = "http://irc.test"
POSTER_SAYS = "This is my own photo of a public event; I have the rights."
RESTRICT = {"type": "restrict_user", "service": "kakaotalk", "days": 30}


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake_environment(monkeypatch)
    return Clock(START)


def review(clock: Clock) -> Review:
    return clock.world.build(Review, clock=clock)


def open_case(clock: Clock, **changes: Any) -> str:
    return opened(clock, **changes)[0]


def opened(clock: Clock, **changes: Any) -> tuple[str, str]:
    """Submit a report now; return its case id and receipt token."""
    return clock.world.open_case(clock.world.build(Intake, clock=clock), **changes)


def listed(clock: Clock, **params: str) -> list[str]:
    return [c.case_id for c in review(clock).queue(params).cases]


def version(clock: Clock, case_id: str) -> int:
    case = clock.world.cases.get_case(case_id)
    assert case is not None
    return case.version


def restricted_and_appealed(clock: Clock) -> tuple[str, str]:
    """Open a case, restrict its user, and have them appeal an hour later; return the case id
    and the measure's id."""
    case_id = open_case(clock)
    review(clock).decide(case_id, decision(1, RESTRICT), ALICE, BASE)
    *_, message = clock.world.enforcement_messages()  # this decision's is the last
    token = urllib.parse.parse_qs(urllib.parse.urlsplit(message["notice_url"]).query)["token"][0]
    clock.later(hours=1)
    review(clock).file_appeal(
        case_id, token, {"measure_id": message["measure_id"], "statement": POSTER_SAYS}
    )
    return case_id, message["measure_id"]


def appeal_decision(clock: Clock, case_id: str, measure_id: str) -> dict[str, Any]:
    return {
        "expected_version": version(clock, case_id),
        "measure_id": measure_id,
        "outcome": "uphold",
        "reasons": {"facts": "The posts broke the rules as the screenshots show."},
    }


# The queues.


def test_an_appealed_case_waits_in_the_appeals_queue_until_its_appeal_is_decided(
    clock: Clock,
) -> None:
    case_id = open_case(clock)
    review(clock).decide(case_id, decision(1, RESTRICT), ALICE, BASE)
    assert listed(clock, queue="appeals") == []
    assert listed(clock, status="actioned") == [case_id]

    case_id, measure_id = restricted_and_appealed(clock)
    page = review(clock).queue({"queue": "appeals"})
    [item] = page.cases
    assert (item.case_id, item.status, item.queue) == (case_id, "actioned", "appeals")
    assert item.waiting_since == iso(clock.now)  # when the appeal was filed
    assert case_id not in listed(clock, status="actioned")

    review(clock).decide_appeal(case_id, appeal_decision(clock, case_id, measure_id), ALICE, BASE)
    assert listed(clock, queue="appeals") == []
    assert case_id in listed(clock, status="actioned")


def test_a_case_is_listed_from_when_it_entered_its_queue_longest_waiting_first(
    clock: Clock,
) -> None:
    first, receipt = opened(clock)
    clock.later(hours=1)
    second = open_case(clock)
    assert listed(clock) == [first, second] == listed(clock, queue="received")
    ask = {"type": "request_information", "message": "Send proof of identity.", "due_days": 14}
    review(clock).decide(first, decision(1, ask), ALICE, BASE)
    assert listed(clock, queue="information_requested") == [first]
    assert listed(clock, queue="received") == [second]

    clock.later(hours=1)
    answer = {"statement": "Here is my proof of identity, as you asked for it."}
    clock.world.build(Intake, clock=clock).provide_information(first, receipt, answer)
    [item] = review(clock).queue({"queue": "in_review"}).cases
    assert (item.case_id, item.waiting_since) == (first, iso(clock.now))
    assert item.received_at == iso(START)


def test_a_queue_and_a_status_together_or_an_unknown_queue_are_refused(clock: Clock) -> None:
    with pytest.raises(InvalidRequest) as both:
        review(clock).queue({"queue": "appeals", "status": "actioned"})
    assert both.value.errors[0].field == "queue"
    with pytest.raises(InvalidRequest) as unknown:
        review(clock).queue({"queue": "actioned"})
    assert unknown.value.errors[0].field == "queue"


def test_a_cursor_of_one_queue_does_not_page_another(clock: Clock) -> None:
    for _ in range(3):
        open_case(clock)
    page = review(clock).queue({"queue": "received", "limit": "2"})
    assert page.next_cursor
    rest = review(clock).queue({"queue": "received", "limit": "2", "cursor": page.next_cursor})
    assert len(rest.cases) == 1
    with pytest.raises(InvalidRequest) as caught:
        review(clock).queue({"queue": "in_review", "limit": "2", "cursor": page.next_cursor})
    assert caught.value.errors[0].field == "cursor"


def test_a_queue_item_says_by_when_its_case_is_due_in_working_days(clock: Clock) -> None:
    clock.now = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)  # Friday 10:00 in Seoul
    open_case(clock)
    clock.now = datetime(2026, 11, 25, 14, 59, tzinfo=UTC)  # Wednesday 23:59 in Seoul
    [item] = review(clock).queue({}).cases
    # Monday, Tuesday, Wednesday: due at Wednesday's end in Seoul.
    assert item.decide_by == "2026-11-25T15:00:00.000Z"
    assert (item.overdue, item.working_days_waited) == (False, 2)
    clock.later(minutes=1)
    [item] = review(clock).queue({}).cases
    assert (item.overdue, item.working_days_waited) == (True, 3)


# The counts.


def counts(clock: Clock, **params: str) -> dict[str, tuple[int, int, bool]]:
    return {
        c.queue.value: (c.count, c.overdue, c.at_least) for c in review(clock).counts(params).queues
    }


def test_the_counts_give_each_work_queue_and_its_overdue_cases(clock: Clock) -> None:
    clock.now = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)  # three weeks before
    open_case(clock)
    open_case(clock, target={"surface": "kakaotalk_profile", "url": "https://example.com/profile"})
    clock.now = START
    open_case(clock)
    restricted_and_appealed(clock)
    assert counts(clock) == {
        "received": (3, 2, False),
        "in_review": (0, 0, False),
        "information_requested": (0, 0, False),
        "reposting_requested": (0, 0, False),
        "appeals": (1, 0, False),
    }
    assert counts(clock, surface="kakaotalk_profile")["received"] == (1, 1, False)
    clock.now = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)  # Friday 00:00 in Seoul
    assert counts(clock)["appeals"] == (1, 1, False)  # filed Monday: due at Thursday's end
    assert counts(clock)["received"] == (3, 3, False)


def test_a_count_that_stops_at_its_page_budget_says_at_least(clock: Clock) -> None:
    for _ in range(3):
        open_case(clock)
    clock.world.cases.count_pages, clock.world.cases.count_page_items = 1, 2
    assert counts(clock)["received"] == (2, 0, True)
    with pytest.raises(InvalidRequest) as caught:
        review(clock).counts({"ground": "nonsense"})
    assert caught.value.errors[0].field == "ground"


# Claims.


def test_a_reviewer_claims_a_case_and_another_is_refused_naming_them(clock: Clock) -> None:
    case_id = open_case(clock)
    held = review(clock).claim(case_id, "alice", "Alice Kim")
    assert held.claim is not None
    assert (held.claim.by, held.claim.by_name) == ("alice", "Alice Kim")
    assert held.claim.until == "2026-11-23T01:30:00.000Z"  # 30 minutes
    assert version(clock, case_id) == 1  # a claim is no change of the case

    with pytest.raises(CaseClaimed) as refused:
        review(clock).claim(case_id, "bob", "Bob Lee")
    assert refused.value.extensions == {
        "claimed_by": "alice",
        "claimed_by_name": "Alice Kim",
        "claimed_until": "2026-11-23T01:30:00.000Z",
    }
    clock.later(minutes=10)
    renewed = review(clock).claim(case_id, "alice", "Alice Kim")
    assert renewed.claim and renewed.claim.until == "2026-11-23T01:40:00.000Z"
    [item] = review(clock).queue({}).cases
    assert item.claim == renewed.claim
    assert review(clock).case_file(case_id).case["claim"]["by"] == "alice"


def test_a_claim_expires_by_time(clock: Clock) -> None:
    case_id = open_case(clock)
    review(clock).claim(case_id, "alice", "Alice Kim")
    clock.later(minutes=29, seconds=59)
    with pytest.raises(CaseClaimed):
        review(clock).claim(case_id, "bob", "Bob Lee")
    clock.later(seconds=1)
    [item] = review(clock).queue({}).cases
    assert item.claim is None
    assert review(clock).case_file(case_id).case["claim"] is None
    taken = review(clock).claim(case_id, "bob", "Bob Lee")
    assert taken.claim and taken.claim.by == "bob"


def test_only_its_holder_releases_a_claim_and_none_to_release_is_no_error(clock: Clock) -> None:
    case_id = open_case(clock)
    review(clock).claim(case_id, "alice", "Alice Kim")
    with pytest.raises(CaseClaimed):
        review(clock).release(case_id, "bob")
    assert review(clock).release(case_id, "alice").claim is None
    assert review(clock).release(case_id, "alice").claim is None
    assert review(clock).claim(case_id, "bob", "Bob Lee").claim is not None
    assert version(clock, case_id) == 1


def test_a_decision_by_another_than_the_claimant_is_refused_and_the_claimants_releases_it(
    clock: Clock,
) -> None:
    case_id = open_case(clock)
    review(clock).claim(case_id, "alice", "Alice Kim")
    with pytest.raises(CaseClaimed) as refused:
        review(clock).decide(case_id, decision(1, RESTRICT), BOB, BASE)
    assert refused.value.extensions["claimed_by"] == "alice"
    # Claimed after the case was read at version 1: a decision on version 1 is not stale.
    outcome, _ = review(clock).decide(case_id, decision(1, RESTRICT), ALICE, BASE)
    assert outcome.version == 2
    case = clock.world.cases.get_case(case_id)
    assert case is not None and case.claim is None
    assert review(clock).claim(case_id, "bob", "Bob Lee").claim is not None


def test_an_appeal_decision_by_another_than_the_claimant_is_refused(clock: Clock) -> None:
    case_id, measure_id = restricted_and_appealed(clock)
    review(clock).claim(case_id, "bob", "Bob Lee")
    with pytest.raises(CaseClaimed):
        review(clock).decide_appeal(
            case_id, appeal_decision(clock, case_id, measure_id), ALICE, BASE
        )
    review(clock).decide_appeal(case_id, appeal_decision(clock, case_id, measure_id), BOB, BASE)
    case = clock.world.cases.get_case(case_id)
    assert case is not None and case.claim is None


def test_a_re_posting_decision_by_another_than_the_claimant_is_refused(clock: Clock) -> None:
    case_id = open_case(clock)
    review(clock).decide(case_id, decision(1, {"type": "block_content", "days": 30}), ALICE, BASE)
    [message] = clock.world.enforcement_messages()
    token = urllib.parse.parse_qs(urllib.parse.urlsplit(message["notice_url"]).query)["token"][0]
    review(clock).request_reposting(case_id, token, {"statement": POSTER_SAYS}, BASE)
    review(clock).claim(case_id, "bob", "Bob Lee")
    body = {
        "expected_version": version(clock, case_id),
        "outcome": "reinstate",
        "reasons": {"facts": "The poster holds the rights to the photo."},
    }
    with pytest.raises(CaseClaimed):
        review(clock).decide_reposting(case_id, body, ALICE, BASE)
    assert review(clock).decide_reposting(case_id, body, BOB, BASE)[0].status == "reinstated"


def test_a_posters_appeal_keeps_the_reviewers_claim(clock: Clock) -> None:
    case_id = open_case(clock)
    review(clock).decide(case_id, decision(1, RESTRICT), ALICE, BASE)
    [message] = clock.world.enforcement_messages()
    review(clock).claim(case_id, "alice", "Alice Kim")
    token = urllib.parse.parse_qs(urllib.parse.urlsplit(message["notice_url"]).query)["token"][0]
    review(clock).file_appeal(
        case_id, token, {"measure_id": message["measure_id"], "statement": POSTER_SAYS}
    )
    case = clock.world.cases.get_case(case_id)
    assert case is not None and case.claim is not None and case.claim.by == "alice"


def test_a_claim_taken_between_reading_and_deciding_refuses_the_decision(clock: Clock) -> None:
    case_id = open_case(clock)
    store = clock.world.cases
    read = store.case_and_answer

    def read_then_bob_claims(wanted: str, key_hash: str | None) -> Any:
        found = read(wanted, key_hash)
        review(clock).claim(case_id, "bob", "Bob Lee")
        return found

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(store, "case_and_answer", read_then_bob_claims)
        # Refused as claimed, naming who holds it: the version read is still the case's.
        with pytest.raises(CaseClaimed) as refused:
            review(clock).decide(case_id, decision(1, RESTRICT), ALICE, BASE)
    assert refused.value.extensions["claimed_by_name"] == "Bob Lee"
    assert version(clock, case_id) == 1
