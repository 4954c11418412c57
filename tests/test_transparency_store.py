"""The transparency counters' ports, fake and moto alike: a tally is added with its delivery, once,
and a range of days is read back by year; a failed delivery adds nothing and is retried."""

from __future__ import annotations

import contextlib
from datetime import UTC, date, datetime
from typing import Any

import boto3
import pytest

from chalicelib.config import settings
from chalicelib.domain.case import open_case
from chalicelib.domain.clock import iso
from chalicelib.domain.outbox import Effect, EffectKind, EffectState
from chalicelib.domain.reports import parse_report
from chalicelib.services.outbox import Relay
from chalicelib.wiring import ADAPTERS
from tests import fakes
from tests.conftest import report
from tests.faults import KINDS, Faults

SIDES = ["fake", "moto"]
START = datetime(2026, 12, 30, 1, 0, tzinfo=UTC)
DAYS = {
    "2026-12-31": {"received.count": 2, "received.surface.open_profile": 2},
    "2027-01-01": {"withdrawn": 1},
}


@pytest.fixture(params=SIDES)
def ports(request: pytest.FixtureRequest) -> dict[str, Any]:
    if request.param == "fake":
        return fakes.World().ports()
    request.getfixturevalue("aws")
    return {name: make() for name, make in ADAPTERS.items()}


def committed(ports: dict[str, Any], days: dict[str, dict[str, int]] = DAYS) -> tuple[str, str]:
    """Commit a new case with a tally effect; return (case id, effect id)."""
    case, event = open_case(
        parse_report(report(["01KAAAAAAAAAAAAAAAAAAAAAAA"])),
        case_id="01KCASE0000000000000000001",
        event_id="01KEVENT000000000000000001",
        received_at=iso(START),
        receipt_token_hash="0" * 64,
        files=[],
        policy_version="test",
    )
    tally = Effect("tally-1", EffectKind.TALLY, case.case_id, {"days": days})
    ports["repository"].create_case(case, event, [], None, [tally], due_at=None)
    return case.case_id, "tally-1"


def test_a_tally_is_added_with_its_delivery_once_and_read_back_across_a_new_year(
    ports: dict[str, Any],
) -> None:
    ref = committed(ports)
    outbox, tallies = ports["outbox"], ports["tallies"]
    assert outbox.claim_effect(*ref, iso(START), "2026-12-30T01:02:00.000Z") is not None
    outbox.tally_delivered(*ref, DAYS, "2026-12-30T01:00:01.000Z")
    outbox.tally_delivered(*ref, DAYS, "2026-12-30T01:00:02.000Z")  # delivered: adds nothing
    assert tallies.tally_days(date(2026, 12, 1), date(2027, 1, 31)) == DAYS
    assert tallies.tally_days(date(2027, 1, 1), date(2027, 1, 1)) == {
        "2027-01-01": {"withdrawn": 1}
    }
    assert tallies.tally_days(date(2026, 1, 1), date(2026, 12, 30)) == {}
    _, [summary] = ports["repository"].case_with_effects(ref[0])
    assert summary["state"] == EffectState.DELIVERED.value and "payload" not in summary
    assert outbox.due_effects("2027-02-01T00:00:00.000Z") == []


def test_a_second_tally_adds_to_the_same_day(ports: dict[str, Any]) -> None:
    ref = committed(ports)
    ports["outbox"].tally_delivered(*ref, DAYS, iso(START))
    case, event = open_case(
        parse_report(report(["01KAAAAAAAAAAAAAAAAAAAAAAB"])),
        case_id="01KCASE0000000000000000002",
        event_id="01KEVENT000000000000000002",
        received_at=iso(START),
        receipt_token_hash="0" * 64,
        files=[],
        policy_version="test",
    )
    more = {"2026-12-31": {"received.count": 1, "decided.count": 1}}
    tally = Effect("tally-2", EffectKind.TALLY, case.case_id, {"days": more})
    ports["repository"].create_case(case, event, [], None, [tally], due_at=None)
    ports["outbox"].tally_delivered(case.case_id, "tally-2", more, iso(START))
    assert ports["tallies"].tally_days(date(2026, 12, 31), date(2026, 12, 31)) == {
        "2026-12-31": {"received.count": 3, "received.surface.open_profile": 2, "decided.count": 1}
    }


def test_a_parked_tally_adds_nothing(ports: dict[str, Any]) -> None:
    ref = committed(ports)
    ports["outbox"].effect_failed(*ref, "Throttled", iso(START), None)
    ports["outbox"].tally_delivered(*ref, DAYS, iso(START))
    assert ports["tallies"].tally_days(date(2026, 1, 1), date(2027, 12, 31)) == {}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_delivery_that_fails_at_the_write_counts_once_after_its_retry(
    aws: Any, kind: str
) -> None:
    adapters = {name: make() for name, make in ADAPTERS.items()}
    ref = committed(adapters)
    relay = Relay(
        adapters["outbox"],
        adapters["enforcement"],
        adapters["mailer"],
        adapters["evidence"],
        adapters["notices"],
        clock=lambda: START,
    )
    faults = Faults().install()
    faults.arm(kind, 1)  # 0: the claim; 1: the write that adds and settles
    # A crash ends the function: its lease runs out, and the sweeper takes the effect up.
    with contextlib.suppress(BaseException):
        relay.deliver([ref])
    faults.disarm()
    assert faults.fired == "dynamodb.TransactWriteItems"
    later = Relay(
        adapters["outbox"],
        adapters["enforcement"],
        adapters["mailer"],
        adapters["evidence"],
        adapters["notices"],
        clock=lambda: datetime(2027, 1, 2, tzinfo=UTC),
    )
    later.sweep()
    later.sweep()
    assert adapters["tallies"].tally_days(date(2026, 1, 1), date(2027, 12, 31)) == DAYS
    item = boto3.client("dynamodb").get_item(
        TableName=settings().cases_table,
        Key={"pk": {"S": "TALLY#2026"}, "sk": {"S": "2026-12-31"}},
    )["Item"]
    assert item["received.count"] == {"N": "2"}  # a flat attribute, not a path
