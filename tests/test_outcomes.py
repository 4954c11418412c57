"""What became of a case's measures, and what its readers may still do: the pure rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.domain.case import Appeal, InformationRequest, MeasureInForce, RepostingRequest
from chalicelib.domain.clock import iso
from chalicelib.domain.decisions import AppliedMeasure
from chalicelib.domain.outcomes import (
    information_overdue,
    may_withdraw,
    offers_redress,
    what_became,
    withdrawal_refusal,
)
from chalicelib.domain.vocabulary import CaseStatus

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def a_measure(kind: str, ends_in: timedelta | None, **changes: Any) -> MeasureInForce:
    return MeasureInForce(
        measure_id="M1",
        decision_id="D1",
        type=kind,
        parameters={},
        starts_at=iso(NOW - timedelta(days=5)),
        ends_at=iso(NOW + ends_in) if ends_in is not None else None,
        **changes,
    )


def a_request(outcome: str | None) -> RepostingRequest:
    return RepostingRequest.model_validate(
        {
            "statement": "It is my own photo.",
            "requested_at": iso(NOW - timedelta(days=2)),
            "evidence": [],
            "outcome": outcome,
            "decided_at": iso(NOW - timedelta(days=1)) if outcome else None,
        }
    )


def test_a_block_past_its_end_without_a_request_is_over_before_the_timer_records_it() -> None:
    block = a_measure("block_content", timedelta(seconds=-1))  # still "in_force" as recorded
    standing = what_became(block, None, NOW)
    assert (standing.state, standing.note) == ("ended", "deleted_no_request")
    assert standing.since == block.ends_at


@pytest.mark.parametrize(
    ("outcome", "note"),
    [(None, "back_at_cap"), ("upheld", "deleted_upheld"), ("reinstated", "reinstated")],
)
def test_how_a_block_ended_follows_its_reposting_request(outcome: str | None, note: str) -> None:
    block = a_measure("block_content", timedelta(seconds=-1))
    assert what_became(block, a_request(outcome), NOW).note == note


def test_a_block_in_force_whose_request_was_turned_down_is_deleted_at_its_end() -> None:
    block = a_measure("block_content", timedelta(days=3))
    standing = what_became(block, a_request("upheld"), NOW)
    assert (standing.state, standing.note) == ("in_force", "delete_at_end")
    assert what_became(block, None, NOW).note is None


def test_a_restriction_lifted_on_appeal_is_lifted_when_the_appeal_was_decided() -> None:
    decided = iso(NOW - timedelta(hours=3))
    appeal = Appeal(statement="x", filed_at=iso(NOW - timedelta(days=1)), decided_at=decided)
    restriction = a_measure("restrict_user", timedelta(days=3), state="lifted", appeal=appeal)
    standing = what_became(restriction, None, NOW)
    assert (standing.state, standing.since, standing.note) == ("lifted", decided, "lifted")


def test_a_restriction_past_its_end_has_ended() -> None:
    restriction = a_measure("restrict_room", timedelta(minutes=-1))
    assert what_became(restriction, None, NOW).note == "restriction_ended"
    assert what_became(a_measure("restrict_room", None), None, NOW).state == "in_force"


def test_a_deletion_stands_for_good() -> None:
    assert what_became(a_measure("delete_content", None), None, NOW).state == "deleted"


def test_a_request_for_information_is_overdue_only_after_its_due_moment() -> None:
    def due_in(delta: timedelta) -> InformationRequest:
        return InformationRequest(message="m", requested_at=iso(NOW), due_at=iso(NOW + delta))

    assert information_overdue(due_in(timedelta(seconds=-1)), NOW)
    assert not information_overdue(due_in(timedelta(seconds=1)), NOW)
    assert not information_overdue(None, NOW)


@pytest.mark.parametrize(
    ("status", "why"),
    [
        (CaseStatus.WITHDRAWN, "already_withdrawn"),
        (CaseStatus.RECEIVED, "changed_meanwhile"),
        (CaseStatus.INFORMATION_REQUESTED, "changed_meanwhile"),
        (CaseStatus.ACTIONED, "decided"),
        (CaseStatus.REJECTED, "decided"),
    ],
)
def test_a_refused_withdrawal_says_why(status: CaseStatus, why: str) -> None:
    assert withdrawal_refusal(status) == why


def test_only_an_undecided_case_may_be_withdrawn() -> None:
    assert may_withdraw(CaseStatus.IN_REVIEW)
    assert not may_withdraw(CaseStatus.ACTIONED)
    assert not may_withdraw(CaseStatus.WITHDRAWN)


def test_asking_for_more_information_offers_no_redress() -> None:
    def applied(kind: str) -> AppliedMeasure:
        return AppliedMeasure(type=kind, parameters={}, starts_at=iso(NOW), ends_at=None)

    assert not offers_redress([applied("request_information")])
    assert offers_redress([applied("block_content")])
    assert offers_redress([applied("reject")])
