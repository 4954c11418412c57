"""The case store's misuse contract, run against its fake and its DynamoDB adapter (on moto):
strikes and unfounded notices written with the change that counts them, read back bounded."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from chalicelib.domain.clock import iso
from chalicelib.domain.decisions import parse_decision
from chalicelib.domain.lifecycle import Actor, Context, decide
from chalicelib.domain.limits import Count
from chalicelib.domain.misuse import MisusePolicy, SuspensionRequest, claimant_standing
from chalicelib.domain.suspensions import suspend
from tests import test_ports
from tests.test_ports import START, Ports, new_case

ports = test_ports.ports  # the contract's fixture: the fake, then the adapter on moto
REVIEWER = Actor("reviewer:alice", "reviewer")
ACCOUNT_KEY = "a" * 64
CLAIMANT_KEY = "c" * 64
REASONS = {"ground": "illegal_content", "legal_ground": "Network Act art. 44-2", "facts": "x" * 30}


def ids(prefix: str) -> Any:
    counter = iter(range(1, 10_000))
    return lambda _moment: f"01K{prefix}{next(counter):019d}"[:26]


def decided(ports: Ports, number: int, minutes: int, measure: dict[str, Any]) -> str:
    """Write a case naming the account and the claimant, then a decision on it."""
    case, event = new_case(number, START + timedelta(minutes=minutes))
    case = case.model_copy(update={"account_key": ACCOUNT_KEY, "claimant_key": CLAIMANT_KEY})
    ports.cases.create_case(case, event, [], None, due_at=None)
    moment = START + timedelta(minutes=minutes + 1)
    body = {"expected_version": 1, "measures": [measure], "reasons": REASONS}
    change = decide(case, parse_decision(body), REVIEWER, Context(moment, ids(f"E{number}"), "p"))
    ports.cases.save_change(change, due_at=None)
    return case.case_id


def test_strikes_are_written_with_their_decision_and_read_newest_first_within_bounds(
    ports: Ports,
) -> None:
    first = decided(ports, 1, 0, {"type": "block_content", "days": 30})
    decided(ports, 2, 10, {"type": "reject", "reason": "duplicate"})
    third = decided(ports, 3, 20, {"type": "delete_content"})
    every = ports.cases.account_strikes(ACCOUNT_KEY, iso(START), 10)
    assert [(s.case_id, s.standing) for s in every] == [(third, True), (first, True)]
    assert [s.case_id for s in ports.cases.account_strikes(ACCOUNT_KEY, iso(START), 1)] == [third]
    later = iso(START + timedelta(minutes=5))
    assert [s.case_id for s in ports.cases.account_strikes(ACCOUNT_KEY, later, 10)] == [third]
    assert ports.cases.account_strikes("b" * 64, iso(START), 10) == []


def test_unfounded_notices_and_the_suspension_are_read_in_one_bounded_query(
    ports: Ports,
) -> None:
    cases = [
        decided(ports, n, n * 10, {"type": "reject", "reason": "not_infringing"})
        for n in range(1, 4)
    ]
    decided(ports, 9, 100, {"type": "reject", "reason": "insufficient_evidence"})
    notices, suspension = ports.cases.claimant_record(CLAIMANT_KEY, 10)
    assert [n.case_id for n in notices] == cases[::-1] and suspension is None

    case = ports.cases.get_case(cases[-1])
    assert case is not None
    moment = START + timedelta(hours=5)
    standing = claimant_standing(notices, None, moment, MisusePolicy(unfounded_to_warn=2))
    request = SuspensionRequest.model_validate(
        {"case_id": case.case_id, "days": 3, "reasons": {"facts": "y" * 30, "ground": "art. 23"}}
    )
    change = suspend(case, request, standing, REVIEWER, Context(moment, ids("S"), "p"))
    ports.cases.save_change(change, due_at=None)

    # More notices than asked for: the suspension is read all the same.
    notices, suspension = ports.cases.claimant_record(CLAIMANT_KEY, 2)
    assert [n.case_id for n in notices] == cases[:0:-1]
    assert suspension is not None and suspension.case_id == case.case_id
    reads = ports.cases.load_for_report([], None, list[Count](), CLAIMANT_KEY)
    assert reads.suspension == suspension
    assert ports.cases.load_for_report([], None, [], "d" * 64).suspension is None
