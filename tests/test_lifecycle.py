"""The state machine of a case, status by status, without any AWS."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest

from chalicelib.domain.case import Case, open_case
from chalicelib.domain.decisions import DecisionRequest
from chalicelib.domain.errors import Conflict
from chalicelib.domain.lifecycle import Actor, Context, decide, provide_information, withdraw
from chalicelib.domain.reports import parse_report
from chalicelib.domain.vocabulary import CaseStatus
from tests.conftest import report
from tests.review_helpers import REASONS

NOW = datetime(2026, 11, 24, tzinfo=UTC)
UPLOAD = "01JDX3F6Y2P4Q8R9S0T1V2W3XZ"
# From the policy (DOMAIN.md), not from the code under test.
DECIDABLE = {CaseStatus.RECEIVED, CaseStatus.IN_REVIEW}
WITHDRAWABLE = {CaseStatus.RECEIVED, CaseStatus.IN_REVIEW, CaseStatus.INFORMATION_REQUESTED}


def context() -> Context:
    counter = itertools.count()
    return Context(NOW, lambda _: f"01JDX3F6Y2P4Q8R9S0T1V3{next(counter):04d}", "p1")


def case_in(status: CaseStatus) -> Case:
    case, _ = open_case(
        parse_report(report([UPLOAD])),
        case_id="01JDX3F6Y2P4Q8R9S0T1V2CASE",
        event_id="01JDX3F6Y2P4Q8R9S0T1V2EVNT",
        received_at="2026-11-23T00:00:00.000Z",
        receipt_token_hash="0" * 64,
        files=[],
        policy_version="p1",
    )
    return case.model_copy(update={"status": status})


def block() -> DecisionRequest:
    return DecisionRequest.model_validate(
        {
            "expected_version": 1,
            "measures": [{"type": "block_content", "days": 30}],
            "reasons": REASONS,
        }
    )


@pytest.mark.parametrize("status", list(CaseStatus))
def test_a_case_is_decided_only_in_received_or_in_review(status: CaseStatus) -> None:
    if status in DECIDABLE:
        change = decide(case_in(status), block(), Actor("reviewer:a", "reviewer"), context())
        assert change.case.status == CaseStatus.ACTIONED
        assert change.events[0].from_status == status.value
    else:
        with pytest.raises(Conflict) as caught:
            decide(case_in(status), block(), Actor("reviewer:a", "reviewer"), context())
        assert caught.value.errors[0].field == "status"


@pytest.mark.parametrize("status", list(CaseStatus))
def test_a_case_is_withdrawn_only_while_undecided(status: CaseStatus) -> None:
    if status in WITHDRAWABLE:
        assert withdraw(case_in(status), context()).case.status == CaseStatus.WITHDRAWN
    else:
        with pytest.raises(Conflict):
            withdraw(case_in(status), context())


@pytest.mark.parametrize("status", list(CaseStatus))
def test_information_is_provided_only_when_requested(status: CaseStatus) -> None:
    statement = "Here is the proof that was asked for."
    if status == CaseStatus.INFORMATION_REQUESTED:
        change = provide_information(case_in(status), statement, [], context())
        assert change.case.status == CaseStatus.IN_REVIEW
    else:
        with pytest.raises(Conflict):
            provide_information(case_in(status), statement, [], context())


def test_every_change_moves_the_version_and_the_chain_by_its_events() -> None:
    case = case_in(CaseStatus.RECEIVED)
    change = decide(case, block(), Actor("reviewer:a", "reviewer"), context())
    assert change.case.version == case.version + 1
    assert change.expected_version == case.version
    assert change.events[0].prev_hash == case.chain.hash
    assert change.case.chain == change.events[-1].head
