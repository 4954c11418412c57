"""The policy's rules, written here by hand from the policy, asked of the one place holding each."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import pytest
from chalice import Response

from chalicelib.adapters.repository import StaleCase
from chalicelib.api.problems import problem_details
from chalicelib.domain import evidence, remedies, transitions
from chalicelib.domain.audit import EMPTY_CHAIN, AuditEvent, next_event
from chalicelib.domain.case import Case, open_case
from chalicelib.domain.checkpoint import checkpoint_body, window_fault
from chalicelib.domain.decisions import DecisionRequest
from chalicelib.domain.errors import CaseChanged, Conflict
from chalicelib.domain.ids import is_case_id
from chalicelib.domain.lifecycle import Actor, Context, decide, provide_information, withdraw
from chalicelib.domain.merkle import root
from chalicelib.domain.notice import poster_notice
from chalicelib.domain.privacy import erase_personal_data
from chalicelib.domain.reports import parse_report
from chalicelib.domain.timers import due_change
from chalicelib.domain.vocabulary import CaseStatus
from chalicelib.services.commit import Plan, commit_once
from chalicelib.services.effects import mail_effect
from tests.conftest import report
from tests.review_helpers import REASONS

NOW = datetime(2026, 11, 24, tzinfo=UTC)
REVIEWER = Actor("reviewer:a", "reviewer")
ALL = set(CaseStatus)

# The life of a case in DOMAIN.md, as (from, step) -> to. Written out, not derived.
POLICY = {
    ("received", "reject"): "rejected",
    ("in_review", "reject"): "rejected",
    ("received", "request_information"): "information_requested",
    ("in_review", "request_information"): "information_requested",
    ("received", "take_measures"): "actioned",
    ("in_review", "take_measures"): "actioned",
    ("information_requested", "provide_information"): "in_review",
    ("received", "withdraw"): "withdrawn",
    ("in_review", "withdraw"): "withdrawn",
    ("information_requested", "withdraw"): "withdrawn",
    ("actioned", "request_reposting"): "reposting_requested",
    ("reposting_requested", "reinstate"): "reinstated",
    ("reposting_requested", "answer_reposting"): "reposting_requested",
    ("reposting_requested", "uphold"): "upheld",
    ("reposting_requested", "uphold_after_lapse"): "closed",
    ("information_requested", "information_overdue"): "closed_no_response",
    ("actioned", "block_expired"): "closed",
    ("upheld", "block_expired"): "closed",
    ("rejected", "erase"): "rejected",
    ("withdrawn", "erase"): "withdrawn",
    ("reinstated", "erase"): "reinstated",
    ("closed", "erase"): "closed",
    ("closed_no_response", "erase"): "closed_no_response",
}


def test_the_transition_table_is_the_life_of_a_case_in_the_policy() -> None:
    table = {(s.value, step.value): to.value for (s, step), to in transitions.TRANSITIONS.items()}
    assert table == POLICY


def context(now: datetime = NOW) -> Context:
    counter = itertools.count()
    return Context(now, lambda _: f"01JDX3F6Y2P4Q8R9S0T1V3{next(counter):04d}", "p1")


def case_in(status: str, **updates: Any) -> Case:
    case, _ = open_case(
        parse_report(report(["01JDX3F6Y2P4Q8R9S0T1V2W3XZ"])),
        case_id="01JDX3F6Y2P4Q8R9S0T1V2CASE",
        event_id="01JDX3F6Y2P4Q8R9S0T1V2EVNT",
        received_at="2026-11-23T00:00:00.000Z",
        receipt_token_hash="0" * 64,
        files=[],
        policy_version="p1",
    )
    return case.model_copy(update={"status": CaseStatus(status), **updates})


def decision(*measures: dict[str, Any]) -> DecisionRequest:
    return DecisionRequest.model_validate(
        {"expected_version": 1, "measures": list(measures), "reasons": REASONS}
    )


def blocked_in(status: str, days: int = 30) -> Case:
    """Return a case whose content a reviewer blocked, then put in `status`."""
    change = decide(
        case_in("received"), decision({"type": "block_content", "days": days}), REVIEWER, context()
    )
    return change.case.model_copy(update={"status": CaseStatus(status), "version": 1})


DECISIONS: dict[str, tuple[dict[str, Any], str]] = {
    "reject": ({"type": "reject", "reason": "not_infringing"}, "rejected"),
    "request_information": (
        {"type": "request_information", "message": "Send the original photo.", "due_days": 7},
        "information_requested",
    ),
    "block": ({"type": "block_content", "days": 30}, "actioned"),
}


@pytest.mark.parametrize("status", sorted(ALL))
@pytest.mark.parametrize("kind", sorted(DECISIONS))
def test_a_reviewer_decides_only_a_received_or_in_review_case(status: str, kind: str) -> None:
    measure, after = DECISIONS[kind]
    if status in {"received", "in_review"}:
        change = decide(case_in(status), decision(measure), REVIEWER, context())
        assert change.case.status == after
        assert change.events[0].from_status == status
        assert change.events[0].to_status == after
    else:
        with pytest.raises(Conflict) as caught:
            decide(case_in(status), decision(measure), REVIEWER, context())
        assert caught.value.errors[0].field == "status"


def test_a_decision_on_a_closed_case_is_refused() -> None:
    for status in ("closed", "closed_no_response", "rejected", "withdrawn", "reinstated"):
        with pytest.raises(Conflict):
            decide(case_in(status), decision(DECISIONS["block"][0]), REVIEWER, context())


@pytest.mark.parametrize("status", sorted(ALL))
def test_the_claimant_withdraws_only_while_nothing_is_decided(status: str) -> None:
    if status in {"received", "in_review", "information_requested"}:
        assert withdraw(case_in(status), context()).case.status == "withdrawn"
    else:
        with pytest.raises(Conflict):
            withdraw(case_in(status), context())


@pytest.mark.parametrize("status", sorted(ALL))
def test_information_is_answered_only_when_it_was_asked_for(status: str) -> None:
    if status == "information_requested":
        change = provide_information(case_in(status), "Here is the original.", [], context())
        assert change.case.status == "in_review"
    else:
        with pytest.raises(Conflict):
            provide_information(case_in(status), "Here is the original.", [], context())


@pytest.mark.parametrize("status", sorted(ALL))
def test_the_poster_asks_for_reposting_only_of_an_actioned_case(status: str) -> None:
    case = blocked_in(status)
    if status == "actioned":
        change = remedies.request_reposting(case, "It is my own photo.", [], context())
        assert change.case.status == "reposting_requested"
    else:
        with pytest.raises(Conflict):
            remedies.request_reposting(case, "It is my own photo.", [], context())


@pytest.mark.parametrize(
    ("outcome", "later", "after"),
    [("reinstate", 1, "reinstated"), ("uphold", 1, "upheld"), ("uphold", 31, "closed")],
)
def test_a_reposting_request_ends_reinstated_upheld_or_closed_once_the_block_lapsed(
    outcome: str, later: int, after: str
) -> None:
    case = remedies.request_reposting(
        blocked_in("actioned"), "It is my own photo.", [], context()
    ).case
    body = remedies.RepostingDecision.model_validate(
        {"expected_version": case.version, "outcome": outcome, "reasons": REASONS}
    )
    moment = context(NOW + timedelta(days=later))
    assert remedies.decide_reposting(case, body, REVIEWER, moment).case.status == after


@pytest.mark.parametrize("status", sorted(ALL - {"reposting_requested"}))
def test_a_reposting_decision_needs_a_reposting_request(status: str) -> None:
    body = remedies.RepostingDecision.model_validate(
        {"expected_version": 1, "outcome": "reinstate", "reasons": REASONS}
    )
    with pytest.raises(Conflict):
        remedies.decide_reposting(blocked_in(status), body, REVIEWER, context())


@pytest.mark.parametrize("status", ["actioned", "upheld"])
def test_a_block_that_ends_without_a_pending_request_closes_the_case(status: str) -> None:
    change = due_change(blocked_in(status), context(NOW + timedelta(days=31)))
    assert change is not None
    assert change.case.status == "closed"


def test_an_unanswered_request_for_information_closes_the_case() -> None:
    asked = decide(
        case_in("received"), decision(DECISIONS["request_information"][0]), REVIEWER, context()
    ).case
    change = due_change(asked, context(NOW + timedelta(days=8)))
    assert change is not None
    assert change.case.status == "closed_no_response"


@pytest.mark.parametrize("status", sorted(ALL))
def test_only_a_finished_case_is_erased(status: str) -> None:
    finished = {"rejected", "withdrawn", "reinstated", "closed", "closed_no_response"}
    if status in finished:
        change = erase_personal_data(case_in(status), REVIEWER, context())
        assert change.case.status == status
        assert change.case.claimant.email != case_in(status).claimant.email
    else:
        with pytest.raises(Conflict):
            erase_personal_data(case_in(status), REVIEWER, context())


def test_evidence_is_a_pdf_an_image_a_video_or_plain_text_and_nothing_else() -> None:
    assert set(evidence.ALLOWED_CONTENT_TYPES) == {
        "application/pdf",
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        "video/mp4",
        "text/plain",
    }
    assert evidence.EXTENSION_TYPES == {
        "pdf": "application/pdf",
        "png": "image/png",
        "jpg": "image/jpeg",
        "jpeg": "image/jpeg",
        "gif": "image/gif",
        "webp": "image/webp",
        "mp4": "video/mp4",
        "txt": "text/plain",
    }


def test_a_file_of_no_allowed_type_is_told_every_allowed_type() -> None:
    problem = evidence.uploaded_file_problem("image/png", 10, b"MZ\x90\x00", "image/png")
    assert problem == (
        "is not a file of an allowed type (PDF, PNG, JPEG, GIF, WebP, MP4 or plain text)"
    )


def _events(case_id: str, count: int) -> list[AuditEvent]:
    events, head = [], EMPTY_CHAIN
    for n in range(count):
        event = next_event(
            head,
            event_id=f"{case_id}-E{n}",
            case_id=case_id,
            action="received",
            actor_id="claimant",
            actor_role="claimant",
            occurred_at=f"2026-11-24T00:00:{n:02d}.000Z",
            from_status=None,
            to_status="received",
            details={},
            policy_version="p1",
        )
        events.append(event)
        head = event.head
    return events


def test_a_checkpoint_lists_its_events_by_case_then_sequence_and_chains_to_the_one_before() -> None:
    a, b = _events("CASE-A", 11), _events("CASE-B", 2)
    first = checkpoint_body(
        seq=1,
        previous_hash=None,
        after="2026-11-23T00:00:00.000Z",
        through="2026-11-25T00:00:00.000Z",
        events=[b[1], *reversed(a), b[0]],
        sealed_at="2026-11-25T00:01:00.000Z",
        key_id="k",
    )
    assert first["previous_hash"] == "0" * 64
    assert first["tree_size"] == 13
    assert [row[:2] for row in first["leaves"]] == [
        *(["CASE-A", seq] for seq in range(1, 12)),
        ["CASE-B", 1],
        ["CASE-B", 2],
    ]
    assert first["root"] == root(bytes.fromhex(row[3]) for row in first["leaves"]).hex()
    assert window_fault(first, [*a, *b]) is None
    assert window_fault(first, a) is not None
    second = checkpoint_body(
        seq=2,
        previous_hash="ab" * 32,
        after=first["through"],
        through="2026-11-26T00:00:00.000Z",
        events=[],
        sealed_at="2026-11-26T00:01:00.000Z",
        key_id="k",
    )
    assert second["previous_hash"] == "ab" * 32 and second["tree_size"] == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("01JDX3F6Y2P4Q8R9S0T1V2W3XZ", True),
        ("01jdx3f6y2p4q8r9s0t1v2w3xz", False),
        ("01JDX3F6Y2P4Q8R9S0T1V2W3XI", False),  # I, L, O and U are not Crockford digits
        ("01JDX3F6Y2P4Q8R9S0T1V2W3XU", False),
        ("01JDX3F6Y2P4Q8R9S0T1V2W3X", False),
        ("01JDX3F6Y2P4Q8R9S0T1V2W3XZZ", False),
        ("01JDX3F6Y2P4Q8R9S0T1V2W3XZ\n", False),
        ("", False),
    ],
)
def test_a_case_id_is_a_ulid_and_nothing_like_one(text: str, expected: bool) -> None:
    assert is_case_id(text) is expected


class _LosesTheRace:
    """A case store whose write finds the case changed by someone else first."""

    def __init__(self, case: Case) -> None:
        self.case = case

    def case_and_answer(self, case_id: str, key_hash: str | None) -> tuple[Case, None]:
        return self.case, None

    def save_change(self, *args: Any, **kwargs: Any) -> None:
        raise StaleCase

    def get_case(self, case_id: str) -> Case:
        """The case as the other change left it: one version on."""
        return self.case.model_copy(update={"version": self.case.version + 1})


def _stale_problem(error: Exception) -> dict[str, Any]:
    def view() -> Response:
        raise error

    answer = problem_details(view)()
    assert answer.status_code == 409
    return dict(json.loads(answer.body))


def test_a_decision_on_a_version_already_changed_is_a_409_naming_expected_version() -> None:
    case = case_in("received").model_copy(update={"version": 3})
    with pytest.raises(CaseChanged) as read_before:
        decide(case, decision(DECISIONS["block"][0]), REVIEWER, context())
    [said] = _stale_problem(read_before.value)["errors"]
    assert (said["field"], said["code"]) == ("expected_version", "stale")
    assert "is 1 but the case is at version 3" in said["message"]


def test_a_change_that_loses_the_race_to_another_is_the_same_409() -> None:
    case = case_in("received")

    def plan(found: Case) -> Plan[Case]:
        change = decide(found, decision(DECISIONS["block"][0]), REVIEWER, context())
        return Plan(change, change.case)

    with pytest.raises(CaseChanged) as raced:
        commit_once(
            cast(Any, _LosesTheRace(case)),
            None,
            case.case_id,
            lambda _: case,
            plan,
            Case,
            lambda: NOW,
        )
    [said] = _stale_problem(raced.value)["errors"]
    assert (said["field"], said["code"]) == ("expected_version", "stale")


def test_a_mail_goes_to_the_address_the_claimant_gave_on_their_case() -> None:
    effect = mail_effect("01JDX3F6Y2P4Q8R9S0T1V2MAIL", case_in("actioned"), ("Subject", "Body"))
    assert effect.kind == "mail"
    assert effect.case_id == "01JDX3F6Y2P4Q8R9S0T1V2CASE"
    assert effect.payload == {"to": "minji@example.com", "subject": "Subject", "body": "Body"}


def _restricted() -> Case:
    """Return a case whose content was blocked for 30 days and its poster restricted for 7."""
    measures = (
        {"type": "block_content", "days": 30},
        {"type": "restrict_user", "service": "open_chat", "days": 7},
    )
    return decide(case_in("received"), decision(*measures), REVIEWER, context()).case


@pytest.mark.parametrize(
    ("days_later", "which", "appealable"),
    [
        (3, "restrict_user", True),
        (7, "restrict_user", False),  # it ended at the end of its seventh day
        (8, "restrict_user", False),
        (3, "block_content", False),  # a block is answered by a re-posting request instead
    ],
)
def test_a_restriction_is_appealed_only_while_it_is_in_force(
    days_later: int, which: str, appealable: bool
) -> None:
    case = _restricted()
    [measure] = [m for m in case.measures if m.type == which]
    moment = context(NOW + timedelta(days=days_later))
    listed = poster_notice(case, moment.now).appealable_measures
    assert (measure.measure_id in listed) is appealable
    if appealable:
        appealed = remedies.file_appeal(case, measure.measure_id, "It was not me.", moment).case
        assert poster_notice(appealed, moment.now).appealable_measures == []
        with pytest.raises(Conflict):
            remedies.file_appeal(appealed, measure.measure_id, "It was not me.", moment)
    else:
        with pytest.raises(Conflict):
            remedies.file_appeal(case, measure.measure_id, "It was not me.", moment)
