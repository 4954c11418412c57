"""Repeat infringers and manifestly unfounded notices, through the use cases on the fakes: strikes
against the account a report names, what reviewers are shown and suggested, the claimant's
warning, suspension, contest and lifting."""

from __future__ import annotations

import json
import logging
import urllib.parse
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.domain.errors import ClaimantSuspended, Conflict, InvalidRequest
from chalicelib.domain.lifecycle import Actor
from chalicelib.domain.misuse import (
    ClaimantStanding,
    MisusePolicy,
    Strike,
    account_history,
    suggestion,
)
from chalicelib.domain.vocabulary import MeasureKind
from chalicelib.services.intake import Intake
from chalicelib.services.review import Review
from tests.fakes import Clock, World, fake_environment
from tests.review_helpers import decision

REVIEWER = Actor("reviewer:alice", "reviewer")
BASE = "http://irc.test"
START = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)
ACCOUNT = "kakao:acct-77301"
BLOCK = {"type": "block_content", "days": 30}
NOT_INFRINGING = {"type": "reject", "reason": "not_infringing"}
REASONS = {
    "ground": "DSA art. 23(2): manifestly unfounded notices",
    "facts": "Four reports of the same user's posts were all found not infringing.",
}


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> World:
    fake_environment(monkeypatch)
    return World()


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


def intake(world: World, clock: Clock) -> Intake:
    return world.build(Intake, clock=clock)


def review(world: World, clock: Clock) -> Review:
    return world.build(Review, clock=clock)


def reported(world: World, clock: Clock, **changes: Any) -> tuple[str, str]:
    return world.open_case(intake(world, clock), **changes)


def with_account(ref: str = ACCOUNT) -> dict[str, Any]:
    return {
        "target": {
            "surface": "open_chat_board",
            "url": "https://open.kakao.com/o/gABCDEF",
            "account_ref": ref,
        }
    }


def decide(world: World, clock: Clock, case_id: str, *measures: dict[str, Any]) -> Any:
    version = world.cases.cases[case_id].version
    return review(world, clock).decide(case_id, decision(version, *measures), REVIEWER, BASE)[0]


def history(world: World, clock: Clock, case_id: str) -> Any:
    return review(world, clock).case_file(case_id).account_history


def notice_token(world: World) -> str:
    link = world.enforcement_messages()[-1]["notice_url"]
    return str(urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)["token"][0])


def standing_of(world: World, clock: Clock, case_id: str) -> ClaimantStanding:
    standing = review(world, clock).case_file(case_id).claimant_standing
    assert standing is not None
    return standing


# Strikes


def test_an_enforcing_decision_counts_a_strike_against_the_account_the_report_names(
    world: World, clock: Clock
) -> None:
    case_id, _ = reported(world, clock, **with_account())
    assert history(world, clock, case_id).standing == 0
    decide(world, clock, case_id, BLOCK)
    seen = history(world, clock, case_id)
    assert seen.standing == 1
    [strike] = seen.strikes
    assert strike.case_id == case_id and strike.measures == [MeasureKind.BLOCK_CONTENT]
    assert strike.decided_at == "2026-11-20T01:00:00.000Z"
    assert seen.measures == {"block_content": 1}
    assert seen.suggestion == "none"


def test_a_rejection_is_no_strike_and_a_report_without_an_account_has_no_history(
    world: World, clock: Clock
) -> None:
    case_id, _ = reported(world, clock, **with_account())
    decide(world, clock, case_id, NOT_INFRINGING)
    assert history(world, clock, case_id).standing == 0
    plain, _ = reported(world, clock)
    decide(world, clock, plain, BLOCK)
    assert history(world, clock, plain) is None


def test_a_block_reinstated_on_a_reposting_request_no_longer_stands(
    world: World, clock: Clock
) -> None:
    case_id, _ = reported(world, clock, **with_account())
    decide(world, clock, case_id, BLOCK)
    reviewing = review(world, clock)
    reviewing.request_reposting(
        case_id, notice_token(world), {"statement": "The post is my own photo, taken by me."}, BASE
    )
    version = world.cases.cases[case_id].version
    reviewing.decide_reposting(
        case_id,
        {"expected_version": version, "outcome": "reinstate", "reasons": {"facts": "x" * 30}},
        REVIEWER,
        BASE,
    )
    seen = history(world, clock, case_id)
    assert seen.standing == 0 and seen.strikes == []
    [kept] = world.cases.strikes[next(iter(world.cases.strikes))].values()
    assert kept.standing is False


def test_a_block_that_lapsed_while_re_posting_waited_and_was_then_reinstated_no_longer_stands(
    world: World, clock: Clock
) -> None:
    from chalicelib.services.timers import Timers

    case_id, _ = reported(world, clock, **with_account())
    decide(world, clock, case_id, {"type": "block_content", "days": 1})
    reviewing = review(world, clock)
    reviewing.request_reposting(
        case_id, notice_token(world), {"statement": "The post is my own photo, taken by me."}, BASE
    )
    clock.later(days=2)
    world.build(Timers, clock=clock).run(BASE)  # the block lapses at its cap
    assert history(world, clock, case_id).standing == 1
    reviewing.decide_reposting(
        case_id,
        {
            "expected_version": world.cases.cases[case_id].version,
            "outcome": "reinstate",
            "reasons": {"facts": "x" * 30},
        },
        REVIEWER,
        BASE,
    )
    assert history(world, clock, case_id).standing == 0


def test_a_restriction_lifted_on_appeal_no_longer_stands_but_the_block_with_it_does(
    world: World, clock: Clock
) -> None:
    lifted, _ = reported(world, clock, **with_account())
    decide(world, clock, lifted, {"type": "restrict_user", "service": "open_chat", "days": 7})
    both, _ = reported(world, clock, **with_account())
    decide(
        world,
        clock,
        both,
        BLOCK,
        {"type": "restrict_user", "service": "open_chat", "days": 7},
    )
    reviewing = review(world, clock)
    tokens = notice_tokens(world)
    for case_id in (lifted, both):
        restriction = next(
            m for m in world.cases.cases[case_id].measures if m.type == MeasureKind.RESTRICT_USER
        )
        reviewing.file_appeal(
            case_id,
            tokens[case_id],
            {"measure_id": restriction.measure_id, "statement": "I did not post this at all."},
        )
        reviewing.decide_appeal(
            case_id,
            {
                "expected_version": world.cases.cases[case_id].version,
                "measure_id": restriction.measure_id,
                "outcome": "lift",
                "reasons": {"facts": "x" * 30},
            },
            REVIEWER,
            BASE,
        )
    seen = history(world, clock, lifted)
    assert [s.case_id for s in seen.strikes] == [both]
    assert seen.measures == {"block_content": 1, "restrict_user": 1}


def notice_tokens(world: World) -> dict[str, str]:
    """Return the notice token of each case whose enforcement messages were queued."""
    tokens = {}
    for message in world.enforcement_messages():
        query = urllib.parse.urlsplit(message["notice_url"]).query
        tokens[message["case_id"]] = urllib.parse.parse_qs(query)["token"][0]
    return tokens


def test_the_suggestion_grows_with_the_strikes_standing_in_the_last_180_days(
    world: World, clock: Clock
) -> None:
    said = []
    for _ in range(3):
        case_id, _ = reported(world, clock, **with_account())
        decide(world, clock, case_id, BLOCK)
        seen = history(world, clock, case_id)
        said.append((seen.standing, seen.suggestion, seen.suggested_days))
        clock.later(days=10)
    assert said == [(1, "none", None), (2, "warn_user", None), (3, "restrict_user", 30)]
    other, _ = reported(world, clock, **with_account("kakao:someone-else"))
    assert history(world, clock, other).standing == 0
    # 181 days after the first strike only the two later ones are within the window.
    clock.now = START + timedelta(days=181)
    seen = history(world, clock, case_id)
    assert (seen.standing, seen.suggestion) == (2, "warn_user")


def test_the_policy_thresholds_are_its_settings(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    strict = MisusePolicy(strikes_to_warn=1, strikes_to_restrict=2, suggested_restriction_days=7)
    assert suggestion(0, strict) == ("none", None)
    assert suggestion(1, strict) == ("warn_user", None)
    assert suggestion(2, strict) == ("restrict_user", 7)
    now = datetime(2026, 6, 1, tzinfo=UTC)
    strikes = [
        Strike(
            case_id=f"case-{n}",
            decision_id=f"d-{n}",
            decided_at=f"2026-0{n}-01T00:00:00.000Z",
            measures=[MeasureKind.DELETE_CONTENT],
            standing=n != 4,
        )
        for n in (1, 3, 4, 5)
    ]
    seen = account_history(strikes, now, MisusePolicy(strike_window_days=100))
    # March and May are within 100 days of June 1st; April's was reversed; January's too old.
    assert [s.case_id for s in seen.strikes] == ["case-5", "case-3"]
    assert seen.measures == {"delete_content": 2}

    from chalicelib.config import misuse_policy, settings

    monkeypatch.setenv("STRIKES_TO_RESTRICT", "5")
    monkeypatch.setenv("UNFOUNDED_TO_WARN", "2")
    settings.cache_clear()
    assert misuse_policy().strikes_to_restrict == 5 and misuse_policy().unfounded_to_warn == 2
    settings.cache_clear()


# The account reference


def test_the_account_reference_is_shown_to_staff_only(
    world: World, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    claimant = intake(world, clock)
    case_id, token = world.open_case(claimant, **with_account())
    decide(world, clock, case_id, BLOCK)
    poster = notice_token(world)
    staff = review(world, clock).case_file(case_id)
    assert staff.case["target"]["account_ref"] == ACCOUNT

    told = [
        claimant.claimant_view(case_id, token).model_dump_json(),
        review(world, clock).notice(case_id, poster).model_dump_json(),
        json.dumps([m.__dict__ for m in world.mail.sent], ensure_ascii=False, default=str),
        json.dumps(world.enforcement.messages),
        json.dumps([e.model_dump(mode="json") for e in world.cases.case_events(case_id)]),
        caplog.text,
    ]
    assert [ACCOUNT in text for text in told] == [False] * len(told)


@pytest.mark.parametrize(
    "ref",
    ["kakao acct", "계정-1", "a" * 129, "acct/../x", "acct\u202e"],
)
def test_an_account_reference_of_other_characters_or_too_long_is_refused_by_name(
    world: World, clock: Clock, ref: str
) -> None:
    with pytest.raises(InvalidRequest) as refused:
        reported(world, clock, **with_account(ref))
    assert [e.field for e in refused.value.errors] == ["target.account_ref"]
    assert world.cases.cases == {}


# Unfounded notices


def reject(world: World, clock: Clock, reason: str = "not_infringing", **changes: Any) -> str:
    case_id, _ = reported(world, clock, **changes)
    decide(world, clock, case_id, {"type": "reject", "reason": reason})
    clock.later(days=1)
    return case_id


def rejection_mails(world: World, address: str = "minji@example.com") -> list[str]:
    return [m.body for m in world.mail_to(address) if "결정" in m.subject]


WARNED = "한 건이 더 기각되면"  # the Korean warning: "if one more is rejected"


def test_the_third_unfounded_rejection_warns_the_claimant_in_its_mail(
    world: World, clock: Clock
) -> None:
    reject(world, clock, "duplicate")
    reject(world, clock, "not_infringing")
    reject(world, clock, "not_rights_holder")
    assert [WARNED in body for body in rejection_mails(world)] == [False, False, False]
    last = reject(world, clock, "not_infringing")
    assert [WARNED in body for body in rejection_mails(world)] == [False, False, False, True]
    assert "최근 180일 동안" in rejection_mails(world)[-1]  # "in the last 180 days"
    standing = standing_of(world, clock, last)
    assert (standing.unfounded, standing.warned, standing.may_suspend) == (3, True, False)


def test_english_claimants_are_warned_in_english(world: World, clock: Clock) -> None:
    for _ in range(3):
        reject(world, clock, lang="en")
    bodies = [m.body for m in world.mail_to("minji@example.com") if "decision" in m.subject]
    assert "If one more report from this address is rejected" in bodies[-1]
    assert "If one more report" not in bodies[-2]


def suspend(world: World, clock: Clock, case_id: str, days: int = 30) -> Any:
    body = {"case_id": case_id, "days": days, "reasons": REASONS}
    return review(world, clock).suspend_claimant(body, REVIEWER, BASE)[0]


def test_a_suspension_is_refused_until_one_more_notice_after_the_warning(
    world: World, clock: Clock
) -> None:
    cases = [reject(world, clock) for _ in range(3)]
    with pytest.raises(Conflict) as refused:
        suspend(world, clock, cases[-1])
    assert refused.value.errors[0].code == "threshold"
    fourth = reject(world, clock)
    assert standing_of(world, clock, fourth).may_suspend
    outcome = suspend(world, clock, fourth, days=14)
    assert outcome.suspension.ends_at == "2026-12-08T01:00:00.000Z"  # 4 days on, then 14 more
    with pytest.raises(Conflict) as again:
        suspend(world, clock, fourth)
    assert again.value.errors[0].code == "suspended"
    [mail] = [m for m in world.mail_to("minji@example.com") if "정지" in m.subject]
    assert REASONS["facts"] in mail.body and REASONS["ground"] in mail.body
    assert f"{BASE}/v1/claimants/suspensions/{fourth}/contest" in mail.body
    assert "2026년 12월 8일 10:00" in mail.body  # Korea time


def test_a_suspended_address_is_refused_a_report_until_the_end(world: World, clock: Clock) -> None:
    for _ in range(4):
        last = reject(world, clock)
    suspend(world, clock, last, days=10)
    claimant = intake(world, clock)
    for address in ("minji@example.com", "Minji+again@Example.com"):
        with pytest.raises(ClaimantSuspended) as refused:
            world.open_case(
                claimant,
                claimant={"name": "김민지", "email": address, "relationship": "self"},
            )
        assert refused.value.extensions["suspended_until"] == "2026-12-04T01:00:00.000Z"
        assert refused.value.extensions["suspended_until_korea"] == "2026-12-04 10:00 KST"
        assert refused.value.extensions["contest"] == f"/v1/claimants/suspensions/{last}/contest"
    someone_else = {"name": "이서준", "email": "seojun@example.com", "relationship": "self"}
    world.open_case(claimant, claimant=someone_else)
    clock.now = datetime(2026, 12, 4, 1, 0, 1, tzinfo=UTC)
    world.open_case(claimant)


def test_the_claimant_contests_once_and_a_reviewer_lifts_it_on_the_cases_trail(
    world: World, clock: Clock
) -> None:
    tokens = {}
    for _ in range(4):
        case_id, token = reported(world, clock)
        decide(world, clock, case_id, NOT_INFRINGING)
        tokens[case_id] = token
    suspend(world, clock, case_id)
    claimant = intake(world, clock)
    said = {"statement": "My reports were made in good faith about my own photos."}
    with pytest.raises(Exception, match="No case"):
        claimant.contest_suspension(case_id, "wrong-token", said)
    contested, _ = claimant.contest_suspension(case_id, tokens[case_id], said)
    assert contested.suspended_until == suspend_end(world, case_id)
    with pytest.raises(Conflict):
        claimant.contest_suspension(case_id, tokens[case_id], said)
    told = standing_of(world, clock, case_id).suspension
    assert told is not None and told.contest == said["statement"]

    review(world, clock).lift_suspension(case_id, {"facts": "x" * 30}, REVIEWER)
    world.open_case(claimant)  # no longer refused
    actions = [e.action for e in world.cases.case_events(case_id)]
    assert actions[-3:] == [
        "claimant_suspended",
        "suspension_contested",
        "claimant_suspension_lifted",
    ]
    assert [m for m in world.mail_to("minji@example.com") if "해제" in m.subject]
    with pytest.raises(Conflict):
        review(world, clock).lift_suspension(case_id, {"facts": "x" * 30}, REVIEWER)


def suspend_end(world: World, case_id: str) -> str:
    suspension = world.cases.cases[case_id].claimant_suspension
    assert suspension is not None
    return suspension.ends_at


def test_a_suspension_names_the_claimant_by_a_case_and_bounds_its_days(
    world: World, clock: Clock
) -> None:
    for days in (0, 366):
        with pytest.raises(InvalidRequest) as refused:
            review(world, clock).suspend_claimant(
                {"case_id": "01JDX3F6Y2P4Q8R9S0T1V2W3XZ", "days": days, "reasons": REASONS},
                REVIEWER,
                BASE,
            )
        assert [e.field for e in refused.value.errors] == ["days"]
    with pytest.raises(InvalidRequest) as by_address:
        review(world, clock).suspend_claimant(
            {"email": "minji@example.com", "days": 3, "reasons": REASONS}, REVIEWER, BASE
        )
    assert {e.field for e in by_address.value.errors} == {"case_id", "email"}


def test_erasing_a_case_erases_the_suspensions_texts_but_keeps_it_in_force(
    world: World, clock: Clock
) -> None:
    from chalicelib.domain.privacy import ERASED

    for _ in range(4):
        case_id, token = reported(world, clock)
        decide(world, clock, case_id, NOT_INFRINGING)
    suspend(world, clock, case_id)
    said = {"statement": "My reports were made in good faith about my own photos."}
    intake(world, clock).contest_suspension(case_id, token, said)
    admin = Actor("admin:root", "admin")
    review(world, clock).erase(case_id, admin)
    erased = world.cases.cases[case_id].claimant_suspension
    assert erased is not None
    assert (erased.reasons.facts, erased.contest) == (ERASED, ERASED)
    with pytest.raises(ClaimantSuspended):
        reported(world, clock)


@pytest.mark.parametrize(
    ("lang", "said"),
    [("ko", "신고 접수가 {ends_at}까지 정지"), ("en", "suspended until {ends_at}")],
)
def test_the_report_form_words_a_suspended_address_in_its_language(
    world: World, lang: str, said: str
) -> None:
    from chalicelib.web.forms import report_form
    from chalicelib.web.reader import Reader

    form = report_form(
        Reader.of(lang), status_address="/status/{case_id}", evidence_retention_days=365
    )
    assert said in form["client_config"]["suspendedMessage"]
