"""Reviewers' decisions as the policy allows them, with their audit events, notices and mail.

The use cases run on the in-memory fakes of their ports (`tests/fakes.py`, held to the AWS
adapters by `tests/test_ports.py`): what is tested here is the service's logic, not AWS.
"""

from __future__ import annotations

import functools
import urllib.parse
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.domain.errors import CaseChanged, Conflict, InvalidRequest, NotFound
from chalicelib.domain.lifecycle import Actor, Change
from chalicelib.domain.vocabulary import CaseStatus
from chalicelib.services.intake import Intake
from chalicelib.services.review import Review
from tests.chains import first_bad_event
from tests.fakes import FakeCaseStore, SentMail, World, fake_environment
from tests.review_helpers import decision

REVIEWER = Actor("reviewer:alice", "reviewer")
OTHER_REVIEWER = Actor("reviewer:bob", "reviewer")
BASE = "http://irc.test"
BLOCK = {"type": "block_content", "days": 30}


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> World:
    fake_environment(monkeypatch)
    return World()


def decide(world: World, case_id: str, body: dict[str, Any], review: Review | None = None) -> Any:
    return (review or world.build(Review)).decide(case_id, body, REVIEWER, BASE)[0]


def mails_to(world: World, address: str) -> list[SentMail]:
    return world.mail_to(address)


def events(world: World, case_id: str) -> list[Any]:
    return world.cases.case_events(case_id)


def test_blocking_content_is_a_temporary_measure_of_at_most_30_days(world: World) -> None:
    case_id, _ = world.open_case()
    outcome = decide(world, case_id, decision(1, BLOCK))
    assert outcome.status == "actioned" and outcome.version == 2
    [measure] = outcome.decision.measures
    starts = datetime.fromisoformat(measure.starts_at.replace("Z", "+00:00"))
    ends = datetime.fromisoformat(str(measure.ends_at).replace("Z", "+00:00"))
    assert ends - starts == timedelta(days=30)
    statement = outcome.decision.statement
    assert statement.decision_visibility == ["DECISION_VISIBILITY_CONTENT_DISABLED"]
    assert statement.end_date_visibility_restriction == measure.ends_at
    assert statement.decision_ground == "DECISION_GROUND_ILLEGAL_CONTENT"
    assert statement.illegal_content_legal_ground == "Network Act art. 44-2"
    assert statement.automated_decision == "AUTOMATED_DECISION_NOT_AUTOMATED"
    assert statement.redress[0] == "reposting_request"

    with pytest.raises(InvalidRequest) as caught:
        decide(world, world.open_case()[0], decision(1, {"type": "block_content", "days": 31}))
    assert caught.value.errors[0].field == "measures[0].days"


def test_a_decision_writes_one_audit_event_per_measure_in_one_chain(world: World) -> None:
    case_id, _ = world.open_case(
        target={"surface": "open_chat_cover", "url": "https://open.kakao.com/o/x"}
    )
    outcome = decide(
        world,
        case_id,
        decision(
            1,
            BLOCK,
            {"type": "restrict_room", "days": 7},
            {"type": "restrict_user", "service": "open_chat", "days": 14},
        ),
    )
    trail = events(world, case_id)
    assert [e.action for e in trail] == [
        "received",
        "block_content",
        "restrict_room",
        "restrict_user",
    ]
    assert [(e.from_status, e.to_status) for e in trail[1:]] == [
        ("received", "actioned"),
        ("actioned", "actioned"),
        ("actioned", "actioned"),
    ]
    assert first_bad_event(trail) == (None, "verified")
    assert world.cases.get_case(case_id).chain.hash == trail[-1].hash  # type: ignore[union-attr]
    assert all(e.actor_id == "reviewer:alice" and e.policy_version for e in trail[1:])
    statement = outcome.decision.statement
    assert statement.decision_account == "DECISION_ACCOUNT_SUSPENDED"
    assert statement.decision_provision == "DECISION_PROVISION_PARTIAL_SUSPENSION"


def test_each_measure_puts_one_enforcement_message_with_a_notice_link(world: World) -> None:
    case_id, _ = world.open_case()
    decide(
        world,
        case_id,
        decision(1, BLOCK, {"type": "restrict_user", "service": "kakaotalk", "days": 3}),
    )
    messages = world.enforcement_messages()
    assert [m["measure"] for m in messages] == ["block_content", "restrict_user"]
    block = messages[0]
    assert block["case_id"] == case_id
    assert block["target"] == {
        "surface": "open_chat_board",
        "url": "https://open.kakao.com/o/gABCDEF",
    }
    assert block["until"] and block["parameters"] == {"days": 30}
    link = urllib.parse.urlsplit(block["notice_url"])
    assert f"{link.scheme}://{link.netloc}{link.path}" == f"{BASE}/notices/{case_id}"
    token = urllib.parse.parse_qs(link.query)["token"][0]

    notice = world.build(Review).notice(case_id, token)
    assert notice.reposting_request_possible
    assert [m.type for m in notice.decisions[0].measures] == ["block_content", "restrict_user"]
    with pytest.raises(NotFound):
        world.build(Review).notice(case_id, "not-the-token")
    stored = world.cases.get_case(case_id)
    assert stored is not None and token not in stored.model_dump_json()


def test_the_claimant_is_told_the_decision_in_their_language(world: World) -> None:
    case_ko, _ = world.open_case()
    case_en, _ = world.open_case(
        lang="en", claimant={"name": "Jane", "email": "jane@example.com", "relationship": "self"}
    )
    decide(world, case_ko, decision(1, {"type": "delete_content"}))
    decide(world, case_en, decision(1, {"type": "reject", "reason": "insufficient_evidence"}))
    korean = [m for m in mails_to(world, "minji@example.com") if "결정" in m.subject]
    english = [m for m in mails_to(world, "jane@example.com") if "decision" in m.subject]
    assert korean and "\n- 삭제\n" in korean[0].body and case_ko in korean[0].body
    assert english and "\n- No action taken: " in english[0].body
    assert "The post shows the claimant's home address" in english[0].body


def test_a_rejection_takes_no_measure_and_queues_nothing(world: World) -> None:
    case_id, _ = world.open_case()
    outcome = decide(world, case_id, decision(1, {"type": "reject", "reason": "not_rights_holder"}))
    assert outcome.status == "rejected" and outcome.enforcement_messages == 0
    assert world.enforcement_messages() == []
    assert outcome.decision.statement.decision_ground is None


@pytest.mark.parametrize(
    ("measures", "field"),
    [
        ([{"type": "reject", "reason": "duplicate"}, BLOCK], "measures"),
        (
            [{"type": "request_information", "message": "Send proof.", "due_days": 7}, BLOCK],
            "measures",
        ),
        ([BLOCK, {"type": "delete_content"}], "measures"),
        ([{"type": "restrict_room", "days": 7}], "measures[0]"),
        ([BLOCK, {"type": "block_content", "days": 3}], "measures[1]"),
    ],
)
def test_a_decision_may_not_contradict_itself_or_the_case(
    world: World, measures: list[Any], field: str
) -> None:
    case_id, _ = world.open_case(target={"surface": "talk_board", "url": "https://kakao.test/p/1"})
    with pytest.raises(InvalidRequest) as caught:
        decide(world, case_id, decision(1, *measures))
    assert field in [e.field for e in caught.value.errors]
    assert [e.action for e in events(world, case_id)] == ["received"]


def test_a_measure_needs_its_ground(world: World) -> None:
    case_id, _ = world.open_case()
    body = decision(1, BLOCK)
    body["reasons"] = {"facts": "The facts are long enough to be facts."}
    with pytest.raises(InvalidRequest) as caught:
        decide(world, case_id, body)
    assert [e.field for e in caught.value.errors] == ["reasons.ground"]


@pytest.mark.parametrize(
    "raw",
    [
        {
            "expected_version": 1,
            "measures": [{"type": "ban_forever"}],
            "reasons": {"facts": "x" * 20},
        },
        {"expected_version": 1, "measures": [], "reasons": {"facts": "x" * 20}},
        {
            "expected_version": 1,
            "measures": [{"type": "request_information", "message": "Send proof.", "due_days": 15}],
            "reasons": {"facts": "x" * 20},
        },
        {"measures": [BLOCK], "reasons": {"facts": "x" * 20}},
        ["not", "an", "object"],
    ],
)
def test_a_malformed_decision_names_its_bad_fields(world: World, raw: Any) -> None:
    case_id, _ = world.open_case()
    with pytest.raises(InvalidRequest) as caught:
        decide(world, case_id, raw)
    assert caught.value.errors


def test_a_decided_case_cannot_be_decided_again(world: World) -> None:
    case_id, _ = world.open_case()
    decide(world, case_id, decision(1, {"type": "reject", "reason": "duplicate"}))
    with pytest.raises(Conflict) as caught:
        decide(world, case_id, decision(2, BLOCK))
    assert "allowed only in: in_review, received" in caught.value.detail


def test_a_stale_version_is_a_conflict(world: World) -> None:
    case_id, _ = world.open_case()
    with pytest.raises(Conflict) as caught:
        decide(world, case_id, decision(7, BLOCK))
    assert caught.value.errors[0].field == "expected_version"


class StaleRead(FakeCaseStore):
    """The world's case store, handing out the case as it was first read, as a slower reviewer
    saw it."""

    def __init__(self, store: FakeCaseStore, snapshot: Any) -> None:
        super().__init__(**vars(store))  # the same dictionaries: one store, read stale
        self.snapshot = snapshot

    def get_case(self, case_id: str) -> Any:
        return self.snapshot


def test_two_reviewers_deciding_at_once_one_wins_and_one_gets_409(world: World) -> None:
    case_id, _ = world.open_case()
    seen_by_both = world.cases.get_case(case_id)
    first, _ = world.build(Review, repository=StaleRead(world.cases, seen_by_both)).decide(
        case_id, decision(1, BLOCK), REVIEWER, BASE
    )
    with pytest.raises(Conflict):
        world.build(Review, repository=StaleRead(world.cases, seen_by_both)).decide(
            case_id, decision(1, {"type": "reject", "reason": "duplicate"}), OTHER_REVIEWER, BASE
        )
    trail = events(world, case_id)
    assert [e.action for e in trail] == ["received", "block_content"]
    assert {e.details.get("decision_id") for e in trail[1:]} == {first.decision.decision_id}
    assert len(world.enforcement_messages()) == 1


def test_request_information_then_the_answer_puts_the_case_back_in_review(world: World) -> None:
    intake = world.build(Intake)
    case_id, token = world.open_case(intake)
    asked = decide(
        world,
        case_id,
        decision(
            1,
            {
                "type": "request_information",
                "message": "Send proof that you are the person in the photo.",
                "due_days": 14,
            },
        ),
    )
    assert asked.status == "information_requested"
    view = intake.claimant_view(case_id, token)
    assert view.information_request is not None
    assert view.information_request.message.startswith("Send proof")
    [mail] = [m for m in mails_to(world, "minji@example.com") if "결정" in m.subject]
    assert "Send proof that you are the person in the photo." in mail.body

    upload_id = world.staged_upload(intake)
    answered, _ = intake.provide_information(
        case_id,
        token,
        {"statement": "My ID card and the original photo are attached.", "evidence": [upload_id]},
    )
    assert answered.status == "in_review"
    assert len(answered.evidence) == 2
    trail = events(world, case_id)
    assert [e.action for e in trail] == ["received", "request_information", "information_provided"]
    assert first_bad_event(trail) == (None, "verified")
    assert decide(world, case_id, decision(3, BLOCK)).status == "actioned"


def test_an_answer_after_the_deadline_or_without_a_request_is_refused(world: World) -> None:
    intake = world.build(Intake)
    case_id, token = world.open_case(intake)
    answer = {"statement": "My ID card and the original photo are attached.", "evidence": []}
    with pytest.raises(Conflict):
        intake.provide_information(case_id, token, answer)
    decide(
        world,
        case_id,
        decision(
            1, {"type": "request_information", "message": "Send proof please.", "due_days": 1}
        ),
    )
    late = world.build(Intake, clock=lambda: datetime.now(UTC) + timedelta(days=2))
    with pytest.raises(Conflict) as caught:
        late.provide_information(case_id, token, answer)
    assert "deadline" in caught.value.detail
    with pytest.raises(NotFound):
        intake.provide_information(case_id, "wrong-token", answer)


def test_the_claimant_may_withdraw_only_an_undecided_case(world: World) -> None:
    intake = world.build(Intake)
    case_id, token = world.open_case(intake)
    assert intake.withdraw(case_id, token)[0].status == "withdrawn"
    assert [e.action for e in events(world, case_id)] == ["received", "withdrawn"]
    with pytest.raises(Conflict):
        decide(world, case_id, decision(2, BLOCK))

    decided, decided_token = world.open_case(intake)
    decide(world, decided, decision(1, BLOCK))
    with pytest.raises(Conflict):
        intake.withdraw(decided, decided_token)


def test_the_queue_is_oldest_first_with_ages_and_pages(world: World) -> None:
    start = datetime(2026, 11, 1, tzinfo=UTC)
    opened = []
    for day in range(5):
        intake = world.build(
            Intake, clock=functools.partial(lambda d: start + timedelta(days=d), day)
        )
        surface = "open_profile" if day % 2 else "talk_board"
        opened.append(
            world.open_case(
                intake, target={"surface": surface, "url": "https://open.kakao.com/o/x"}
            )[0]
        )
    review = world.build(Review, clock=lambda: start + timedelta(days=10))
    first = review.queue({"limit": "2"})
    assert [c.case_id for c in first.cases] == opened[:2]
    assert first.cases[0].age_seconds == 10 * 86400
    assert first.next_cursor
    second = review.queue({"limit": "2", "cursor": first.next_cursor})
    assert [c.case_id for c in second.cases] == opened[2:4]
    profiles = review.queue({"surface": "open_profile"})
    assert [c.case_id for c in profiles.cases] == [opened[1], opened[3]]
    assert review.queue({"status": "actioned"}).cases == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "lost"}, "status"),
        ({"limit": "0"}, "limit"),
        ({"limit": "1000"}, "limit"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"surface": "kakao_story"}, "surface"),
        ({"sort": "newest"}, "sort"),
    ],
)
def test_a_bad_queue_query_names_its_parameter(
    world: World, params: dict[str, str], field: str
) -> None:
    with pytest.raises(InvalidRequest) as caught:
        world.build(Review).queue(params)
    assert [e.field for e in caught.value.errors] == [field]


def test_a_case_file_holds_everything_with_short_lived_download_links(world: World) -> None:
    case_id, _ = world.open_case()
    found = world.build(Review).case_file(case_id)
    assert found.case["claimant"]["email"] == "minji@example.com"
    assert found.case["statement"].startswith("The announcement")
    assert "receipt_token_hash" not in found.case
    [link] = found.evidence
    assert len(link.sha256) == 64
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(link.download_url).query)
    assert int(query["X-Amz-Expires"][0]) <= 300
    assert [e.action for e in found.history] == ["received"]
    assert found.version == 1


def test_every_enforcing_decision_gives_the_poster_a_working_notice_link(world: World) -> None:
    case_id, _ = world.open_case()
    decide(
        world, case_id, decision(1, {"type": "restrict_user", "service": "kakaotalk", "days": 3})
    )
    first = world.enforcement_messages()[0]["notice_url"]
    # A second enforcing decision is possible only from review; put the case back there.
    stored = world.cases.get_case(case_id)
    assert stored is not None
    world.cases.save_change(
        Change(stored.model_copy(update={"status": CaseStatus.IN_REVIEW, "version": 3}), [], 2),
        due_at=None,
    )
    decide(world, case_id, decision(3, BLOCK))
    second = world.enforcement_messages()[0]["notice_url"]
    for link in (first, second):
        token = urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)["token"][0]
        assert world.build(Review).notice(case_id, token).case_id == case_id
    assert first != second


def test_re_posting_is_offered_only_while_the_block_lasts(world: World) -> None:
    case_id, _ = world.open_case()
    decide(world, case_id, decision(1, {"type": "block_content", "days": 1}))
    link = world.enforcement_messages()[0]["notice_url"]
    token = urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)["token"][0]
    assert world.build(Review).notice(case_id, token).reposting_request_possible
    later = world.build(Review, clock=lambda: datetime.now(UTC) + timedelta(days=2))
    assert not later.notice(case_id, token).reposting_request_possible


def test_the_claimant_answer_is_refused_before_any_file_is_kept(world: World) -> None:
    intake = world.build(Intake)
    case_id, token = world.open_case(intake)
    upload_id = world.staged_upload(intake)
    with pytest.raises(Conflict):
        intake.provide_information(
            case_id, token, {"statement": "An answer nobody asked for.", "evidence": [upload_id]}
        )
    world.deliver()
    assert any(key.startswith(f"cases/{case_id}/") for key in world.evidence.kept)  # the report's
    assert f"cases/{case_id}/{upload_id}" not in world.evidence.kept


# A stale version explained


def test_a_stale_remedy_decision_names_the_change_made_since(world: World) -> None:
    case_id, _ = world.open_case()
    decide(world, case_id, decision(1, BLOCK), world.build(Review))
    review = world.build(Review)
    uphold = {"expected_version": 1, "outcome": "uphold", "reasons": {"facts": "x" * 30}}
    lift = {**uphold, "measure_id": "01JDX3F6Y2P4Q8R9S0T1V2W3XZ"}
    for body, decide_remedy in ((uphold, review.decide_reposting), (lift, review.decide_appeal)):
        with pytest.raises(CaseChanged) as stale:
            decide_remedy(case_id, body, OTHER_REVIEWER, BASE)
        told = stale.value.extensions
        assert told["current_version"] == 2 and told["case_status"] == "actioned"
        assert [(c["action"], c["actor_id"], c["version"]) for c in told["changes"]] == [
            ("block_content", REVIEWER.actor_id, 2)
        ]


def test_a_decision_that_lost_the_race_names_the_winner_and_a_poster_is_told_no_more(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id, _ = world.open_case()
    read = world.cases.get_case(case_id)
    review = world.build(Review)
    review.decide(case_id, decision(1, BLOCK), OTHER_REVIEWER, BASE)
    # The loser read the case before the winner's decision committed.
    monkeypatch.setattr(world.cases, "case_and_answer", lambda *_: (read, None))
    with pytest.raises(CaseChanged) as lost:
        review.decide(case_id, decision(1, {"type": "delete_content"}), REVIEWER, BASE)
    assert lost.value.extensions["current_version"] == 2
    assert [c["actor_id"] for c in lost.value.extensions["changes"]] == [OTHER_REVIEWER.actor_id]

    token = urllib.parse.parse_qs(
        urllib.parse.urlsplit(world.enforcement_messages()[0]["notice_url"]).query
    )["token"][0]
    decided = world.cases.get_case(case_id)
    assert decided is not None
    monkeypatch.setattr(world.cases, "case_and_answer", lambda *_: (decided, None))
    world.cases.save_change(Change(decided.model_copy(update={"version": 3}), [], 2), due_at=None)
    with pytest.raises(CaseChanged) as poster:
        review.request_reposting(case_id, token, {"statement": "x" * 40}, BASE)
    assert poster.value.extensions == {}


def test_a_preview_derives_no_notice_token_and_saves_nothing(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id, _ = world.open_case()
    review = world.build(Review)

    def derived(*_: object) -> str:
        raise AssertionError("a preview derived a notice token")

    def saved(*_: object, **__: object) -> None:
        raise AssertionError("a preview saved a change")

    monkeypatch.setattr(world.notices, "token", derived)
    monkeypatch.setattr(world.cases, "save_change", saved)
    restrict = {"type": "restrict_user", "service": "open_chat", "days": 7}
    preview = review.preview_decision(case_id, decision(1, BLOCK, restrict), REVIEWER, BASE)
    assert preview.poster is not None and set(preview.poster) == {"ko", "en"}
    assert preview.enforcement_messages == 2
    assert world.cases.get_case(case_id).version == 1  # type: ignore[union-attr]
