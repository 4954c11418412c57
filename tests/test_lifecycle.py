"""The state machine of a case, status by status, without any AWS.

The expectations are written out by hand from the policy (DOMAIN.md, "The life of a case"), never
read from the code they check: a reviewer decides a case that is received or in review; the
claimant withdraws while nothing is decided and answers only a request for information, or, once,
the poster's re-posting request while it waits; the poster asks for re-posting while the content is
blocked, and a reviewer decides only such a request.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.domain.case import Case, open_case
from chalicelib.domain.decisions import DecisionRequest
from chalicelib.domain.errors import Conflict
from chalicelib.domain.lifecycle import Actor, Context, decide, provide_information, withdraw
from chalicelib.domain.remedies import (
    RepostingDecision,
    answer_reposting,
    decide_reposting,
    request_reposting,
)
from chalicelib.domain.reports import parse_report
from chalicelib.domain.vocabulary import CaseStatus
from tests.conftest import report
from tests.review_helpers import REASONS

NOW = datetime(2026, 11, 24, tzinfo=UTC)
UPLOAD = "01JDX3F6Y2P4Q8R9S0T1V2W3XZ"
REVIEWER = Actor("reviewer:a", "reviewer")
EVERY_STATUS = [
    "received",
    "in_review",
    "information_requested",
    "rejected",
    "actioned",
    "reposting_requested",
    "reinstated",
    "upheld",
    "closed",
    "closed_no_response",
    "withdrawn",
]
# Where each action may start, by the policy's diagram.
DECIDED_IN = {"received", "in_review"}
WITHDRAWN_IN = {"received", "in_review", "information_requested"}
ANSWERED_IN = {"information_requested"}
REPOSTING_ASKED_IN = {"actioned"}
REPOSTING_DECIDED_IN = {"reposting_requested"}
REPOSTING_ANSWERED_IN = {"reposting_requested"}


def context(now: datetime = NOW) -> Context:
    counter = itertools.count()
    return Context(now, lambda _: f"01JDX3F6Y2P4Q8R9S0T1V3{next(counter):04d}", "p1")


def case_in(status: str) -> Case:
    case, _ = open_case(
        parse_report(report([UPLOAD])),
        case_id="01JDX3F6Y2P4Q8R9S0T1V2CASE",
        event_id="01JDX3F6Y2P4Q8R9S0T1V2EVNT",
        received_at="2026-11-23T00:00:00.000Z",
        receipt_token_hash="0" * 64,
        files=[],
        policy_version="p1",
    )
    return case.model_copy(update={"status": CaseStatus(status)})


def decision(*measures: dict[str, Any], version: int = 1) -> DecisionRequest:
    return DecisionRequest.model_validate(
        {"expected_version": version, "measures": list(measures), "reasons": REASONS}
    )


BLOCK = {"type": "block_content", "days": 30}


def blocked_in(status: str) -> Case:
    """Return a case whose content a reviewer blocked yesterday, set to `status`."""
    blocked = decide(case_in("received"), decision(BLOCK), REVIEWER, context(NOW - timedelta(1)))
    return blocked.case.model_copy(update={"status": CaseStatus(status)})


def reposting_requested_in(status: str) -> Case:
    """Return a blocked case whose poster asked for re-posting, set to `status`."""
    asked = request_reposting(blocked_in("actioned"), "Please put it back.", [], context())
    return asked.case.model_copy(update={"status": CaseStatus(status)})


def reinstate(version: int) -> RepostingDecision:
    return RepostingDecision.model_validate(
        {"expected_version": version, "outcome": "reinstate", "reasons": REASONS}
    )


def refused_for_status(action: Any) -> None:
    with pytest.raises(Conflict) as caught:
        action()
    assert [error.field for error in caught.value.errors] == ["status"]


def test_every_status_of_the_policy_is_covered() -> None:
    assert sorted(s.value for s in CaseStatus) == sorted(EVERY_STATUS)


@pytest.mark.parametrize("status", EVERY_STATUS)
def test_a_case_is_decided_only_when_received_or_in_review(status: str) -> None:
    case = case_in(status)
    if status in DECIDED_IN:
        change = decide(case, decision(BLOCK), REVIEWER, context())
        assert change.case.status == "actioned"
        assert change.events[0].from_status == status
    else:
        refused_for_status(lambda: decide(case, decision(BLOCK), REVIEWER, context()))


@pytest.mark.parametrize(
    ("measures", "after"),
    [
        ([BLOCK], "actioned"),
        ([{"type": "delete_content"}], "actioned"),
        ([{"type": "reject", "reason": "insufficient_evidence"}], "rejected"),
        (
            [{"type": "request_information", "message": "Send proof of identity.", "due_days": 7}],
            "information_requested",
        ),
    ],
)
@pytest.mark.parametrize("status", sorted(DECIDED_IN))
def test_a_decision_moves_the_case_to_the_status_its_measures_name(
    status: str, measures: list[dict[str, Any]], after: str
) -> None:
    change = decide(case_in(status), decision(*measures), REVIEWER, context())

    assert change.case.status == after
    assert (change.events[0].from_status, change.events[0].to_status) == (status, after)


@pytest.mark.parametrize("status", EVERY_STATUS)
def test_a_case_is_withdrawn_only_while_undecided(status: str) -> None:
    case = case_in(status)
    if status in WITHDRAWN_IN:
        change = withdraw(case, context())
        assert change.case.status == "withdrawn"
        assert change.events[0].from_status == status
    else:
        refused_for_status(lambda: withdraw(case, context()))


@pytest.mark.parametrize("status", EVERY_STATUS)
def test_information_is_provided_only_when_requested(status: str) -> None:
    case = case_in(status)
    statement = "Here is the proof that was asked for."
    if status in ANSWERED_IN:
        assert provide_information(case, statement, [], context()).case.status == "in_review"
    else:
        refused_for_status(lambda: provide_information(case, statement, [], context()))


@pytest.mark.parametrize("status", EVERY_STATUS)
def test_the_poster_asks_for_reposting_only_while_the_case_is_actioned(status: str) -> None:
    case = blocked_in(status)
    statement = "The photo is mine; please put it back."
    if status in REPOSTING_ASKED_IN:
        change = request_reposting(case, statement, [], context())
        assert change.case.status == "reposting_requested"
    else:
        refused_for_status(lambda: request_reposting(case, statement, [], context()))


@pytest.mark.parametrize("status", EVERY_STATUS)
def test_reposting_is_decided_only_when_requested(status: str) -> None:
    case = reposting_requested_in(status)
    if status in REPOSTING_DECIDED_IN:
        change = decide_reposting(case, reinstate(case.version), REVIEWER, context())
        assert change.case.status == "reinstated"
    else:
        refused_for_status(
            lambda: decide_reposting(case, reinstate(case.version), REVIEWER, context())
        )


@pytest.mark.parametrize("status", EVERY_STATUS)
def test_the_claimant_answers_a_reposting_request_only_while_it_waits(status: str) -> None:
    case = reposting_requested_in(status)
    statement = "The address in the post is still my home address."
    if status in REPOSTING_ANSWERED_IN:
        change = answer_reposting(case, statement, context())
        assert change.case.status == "reposting_requested"
        assert change.events[0].from_status == status
    else:
        refused_for_status(lambda: answer_reposting(case, statement, context()))


def test_every_change_moves_the_version_and_the_chain_by_its_events() -> None:
    case = case_in("received")
    change = decide(case, decision(BLOCK), REVIEWER, context())
    assert change.case.version == case.version + 1
    assert change.expected_version == case.version
    assert change.events[0].prev_hash == case.chain.hash
    assert change.case.chain == change.events[-1].head
