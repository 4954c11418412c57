"""Measures that end by themselves, and the poster's re-posting requests and appeals.

The use cases run on the in-memory fakes of their ports (`tests/fakes.py`, held to the AWS
adapters by `tests/test_ports.py`): what is tested here is the service's logic, not AWS.
"""

from __future__ import annotations

import urllib.parse
from datetime import UTC, datetime
from typing import Any

import pytest

from chalicelib.domain.case import Case
from chalicelib.domain.clock import iso
from chalicelib.domain.errors import Conflict
from chalicelib.domain.lifecycle import Actor
from chalicelib.services.intake import Intake
from chalicelib.services.review import Review
from chalicelib.services.timers import Timers
from tests.fakes import Clock, SentMail, fake_environment
from tests.review_helpers import decision

START = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
REVIEWER = Actor("reviewer:alice", "reviewer")
BASE = "http://irc.test"
POSTER_SAYS = "This is my own photo of a public event; I have the rights."


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake_environment(monkeypatch)
    return Clock(START)


def review(clock: Clock) -> Review:
    return clock.world.build(Review, clock=clock)


def intake(clock: Clock) -> Intake:
    return clock.world.build(Intake, clock=clock)


def run_timers(clock: Clock) -> Any:
    return clock.world.build(Timers, clock=clock).run(BASE)


def read_case(clock: Clock, case_id: str) -> Case | None:
    return clock.world.cases.get_case(case_id)


def actions(clock: Clock, case_id: str) -> list[str]:
    return [event.action for event in clock.world.cases.case_events(case_id)]


def status(clock: Clock, case_id: str) -> str:
    case = read_case(clock, case_id)
    assert case is not None
    return case.status.value


def staged_upload(clock: Clock, claimant: Intake | None = None) -> str:
    return clock.world.staged_upload(claimant or intake(clock))


def open_case(clock: Clock, claimant: Intake | None = None, **changes: Any) -> tuple[str, str]:
    return clock.world.open_case(claimant or intake(clock), **changes)


def enforcement_messages(clock: Clock) -> list[dict[str, Any]]:
    return clock.world.enforcement_messages()


def last_mail(clock: Clock) -> SentMail:
    clock.world.deliver()
    return clock.world.mail.sent[-1]


def notice_token(clock: Clock) -> str:
    [message, *_] = enforcement_messages(clock)
    query = urllib.parse.urlsplit(str(message["notice_url"])).query
    return urllib.parse.parse_qs(query)["token"][0]


def blocked_case(
    clock: Clock, days: int = 30, *more: dict[str, Any], **report: Any
) -> tuple[str, str]:
    case_id, _ = open_case(clock, **report)
    review(clock).decide(
        case_id, decision(1, {"type": "block_content", "days": days}, *more), REVIEWER, BASE
    )
    return case_id, notice_token(clock)


# Timers


def test_a_block_whose_request_waits_ends_at_its_cap_and_the_case_stays_open(
    clock: Clock,
) -> None:
    case_id, token = blocked_case(clock, 30)
    clock.later(days=10)
    review(clock).request_reposting(case_id, token, {"statement": POSTER_SAYS}, BASE)
    clock.later(days=21)
    run_timers(clock)
    assert status(clock, case_id) == "reposting_requested"
    assert actions(clock, case_id)[-1] == "reinstate"
    case = read_case(clock, case_id)
    assert case is not None and case.measures[0].state == "ended"
    upheld, _ = review(clock).decide_reposting(
        case_id,
        {
            "expected_version": case.version,
            "outcome": "uphold",
            "referral": "kcsc",
            "reasons": {"facts": "The photo shows the claimant's face without consent."},
        },
        REVIEWER,
        BASE,
    )
    assert upheld.status == "closed" and upheld.actions == ["uphold", "delete_content"]


def test_an_upheld_block_ends_with_the_content_deleted(clock: Clock) -> None:
    case_id, token = blocked_case(clock, 10)
    review(clock).request_reposting(case_id, token, {"statement": POSTER_SAYS}, BASE)
    case = read_case(clock, case_id)
    assert case is not None
    outcome, _ = review(clock).decide_reposting(
        case_id,
        {
            "expected_version": case.version,
            "outcome": "uphold",
            "referral": "court",
            "reasons": {"facts": "The photo shows the claimant's face without consent."},
        },
        REVIEWER,
        BASE,
    )
    assert outcome.status == "upheld"
    clock.later(days=11)
    run_timers(clock)
    assert status(clock, case_id) == "closed"
    assert actions(clock, case_id)[-2:] == ["uphold", "delete_content"]
    stored = read_case(clock, case_id)
    assert stored is not None and stored.reposting_request is not None
    assert stored.reposting_request.referral == "court"


def test_a_restriction_is_lifted_on_its_last_day_not_before(clock: Clock) -> None:
    case_id, _ = open_case(clock)
    review(clock).decide(
        case_id,
        decision(1, {"type": "restrict_user", "service": "open_chat", "days": 7}),
        REVIEWER,
        BASE,
    )
    enforcement_messages(clock)
    clock.later(days=7, minutes=-1)
    assert run_timers(clock).changed == 0
    clock.later(minutes=1)
    assert run_timers(clock).changed == 1
    assert actions(clock, case_id)[-1] == "lift_restriction"
    assert status(clock, case_id) == "actioned"
    [message] = enforcement_messages(clock)
    assert message["measure"] == "lift_restriction" and message["reason"] == "ended"


def test_15_days_after_an_unanswered_request_for_information_the_case_closes(
    clock: Clock,
) -> None:
    case_id, _ = open_case(clock)
    ask = {"type": "request_information", "message": "Send proof of identity.", "due_days": 14}
    review(clock).decide(case_id, decision(1, ask), REVIEWER, BASE)
    clock.later(days=13)
    assert run_timers(clock).changed == 0
    clock.later(days=2)
    run_timers(clock)
    assert status(clock, case_id) == "closed_no_response"
    assert actions(clock, case_id)[-1] == "closed_no_response"


def test_the_timer_and_a_reviewer_racing_on_one_case_one_wins(clock: Clock) -> None:
    case_id, _ = open_case(clock)
    review(clock).decide(
        case_id,
        decision(1, {"type": "restrict_user", "service": "kakaotalk", "days": 2}),
        REVIEWER,
        BASE,
    )
    token = notice_token(clock)
    case = read_case(clock, case_id)
    assert case is not None
    measure_id = case.measures[0].measure_id
    review(clock).file_appeal(case_id, token, {"measure_id": measure_id, "statement": POSTER_SAYS})
    clock.later(days=3)

    snapshot = clock.world.cases.due_cases(iso(clock.now))  # read before the reviewer acts
    racing_timer = clock.world.build(Timers, clock=clock)
    appealed = read_case(clock, case_id)
    assert appealed is not None
    review(clock).decide_appeal(
        case_id,
        {
            "expected_version": appealed.version,
            "measure_id": measure_id,
            "outcome": "lift",
            "reasons": {"facts": "The restriction was not necessary after all."},
        },
        REVIEWER,
        BASE,
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(clock.world.cases, "due_cases", lambda now, limit=100: snapshot)
        run = racing_timer.run(BASE)
    assert (run.changed, run.skipped) == (0, 1)
    assert actions(clock, case_id).count("lift_restriction") == 1
    assert run_timers(clock).changed == 0


# Re-posting requests and appeals


def test_the_poster_requests_reposting_once_while_the_block_lasts(clock: Clock) -> None:
    case_id, token = blocked_case(clock, 30)
    evidence = staged_upload(clock)
    notice, _ = review(clock).request_reposting(
        case_id, token, {"statement": POSTER_SAYS, "evidence": [evidence]}, BASE
    )
    assert notice.status == "reposting_requested" and not notice.reposting_request_possible
    stored = read_case(clock, case_id)
    assert stored is not None and stored.reposting_request is not None
    assert stored.reposting_request.evidence[0].kind == "poster_evidence"
    mail = last_mail(clock)
    assert POSTER_SAYS in mail.body and "방송통신심의위원회" in mail.body
    with pytest.raises(Conflict):
        review(clock).request_reposting(case_id, token, {"statement": POSTER_SAYS}, BASE)


def test_reposting_cannot_be_requested_without_a_block_in_force(clock: Clock) -> None:
    deleted, _ = open_case(clock)
    review(clock).decide(deleted, decision(1, {"type": "delete_content"}), REVIEWER, BASE)
    with pytest.raises(Conflict):
        review(clock).request_reposting(
            deleted, notice_token(clock), {"statement": POSTER_SAYS}, BASE
        )
    ended, token = blocked_case(clock, 2)
    clock.later(days=3)
    with pytest.raises(Conflict):
        review(clock).request_reposting(ended, token, {"statement": POSTER_SAYS}, BASE)


def test_a_reviewer_reinstates_the_content_and_both_sides_are_told(clock: Clock) -> None:
    case_id, token = blocked_case(clock, 30)
    review(clock).request_reposting(case_id, token, {"statement": POSTER_SAYS}, BASE)
    case = read_case(clock, case_id)
    assert case is not None
    with pytest.raises(Conflict):
        review(clock).decide(
            case_id, decision(case.version, {"type": "delete_content"}), REVIEWER, BASE
        )
    outcome, _ = review(clock).decide_reposting(
        case_id,
        {
            "expected_version": case.version,
            "outcome": "reinstate",
            "reasons": {"facts": "The poster holds the rights to the photo."},
        },
        REVIEWER,
        BASE,
    )
    assert outcome.status == "reinstated" and outcome.actions == ["reinstate"]
    [message] = enforcement_messages(clock)
    assert message["measure"] == "reinstate" and message["kind"] == "enforce"
    assert "재게시" in last_mail(clock).subject
    clock.later(days=31)
    assert run_timers(clock).changed == 0
    assert status(clock, case_id) == "reinstated"


def test_a_restriction_is_appealed_once_and_a_reviewer_lifts_it(clock: Clock) -> None:
    case_id, _ = open_case(
        clock,
        target={"surface": "open_chat_cover", "url": "https://open.kakao.com/o/r"},
    )
    review(clock).decide(
        case_id,
        decision(1, {"type": "restrict_room", "days": 30}, {"type": "delete_content"}),
        REVIEWER,
        BASE,
    )
    token = notice_token(clock)
    notice = review(clock).notice(case_id, token)
    [room] = notice.appealable_measures
    appealed, _ = review(clock).file_appeal(
        case_id, token, {"measure_id": room, "statement": POSTER_SAYS}
    )
    assert appealed.appealable_measures == []
    with pytest.raises(Conflict):
        review(clock).file_appeal(case_id, token, {"measure_id": room, "statement": POSTER_SAYS})
    delete_id = next(m.measure_id for m in appealed.measures if m.type == "delete_content")
    with pytest.raises(Conflict):
        review(clock).file_appeal(
            case_id, token, {"measure_id": delete_id, "statement": POSTER_SAYS}
        )
    case = read_case(clock, case_id)
    assert case is not None
    lifted, _ = review(clock).decide_appeal(
        case_id,
        {
            "expected_version": case.version,
            "measure_id": room,
            "outcome": "lift",
            "reasons": {"facts": "The room's other members did nothing wrong."},
        },
        REVIEWER,
        BASE,
    )
    assert lifted.actions == ["lift_restriction"]
    assert [m["measure"] for m in enforcement_messages(clock)] == ["lift_restriction"]
    clock.later(days=31)
    assert run_timers(clock).changed == 0


def test_the_claimant_reads_the_posters_statement_but_not_their_files_or_appeals(
    clock: Clock,
) -> None:
    claimant = intake(clock)
    case_id, receipt = open_case(clock, claimant)
    review(clock).decide(
        case_id,
        decision(
            1,
            {"type": "block_content", "days": 30},
            {"type": "restrict_user", "service": "kakaotalk", "days": 30},
        ),
        REVIEWER,
        BASE,
    )
    token = notice_token(clock)
    enforcement_messages(clock)
    poster = review(clock)
    [restriction] = poster.notice(case_id, token).appealable_measures
    poster.file_appeal(case_id, token, {"measure_id": restriction, "statement": POSTER_SAYS})
    evidence = staged_upload(clock, claimant)
    notice, _ = poster.request_reposting(
        case_id, token, {"statement": POSTER_SAYS, "evidence": [evidence]}, BASE
    )
    assert notice.reposting_request is not None
    assert [f.kind for f in notice.reposting_request.evidence] == ["poster_evidence"]
    view = claimant.claimant_view(case_id, receipt)
    assert view.reposting_request is not None
    assert view.reposting_request.statement == POSTER_SAYS
    assert view.reposting_request.evidence == []
    appeals = [m.appeal for m in view.measures if m.appeal]
    assert len(appeals) == 1 and appeals[0].statement == ""
    assert [e.kind for e in view.evidence] == ["evidence"]
