"""The kept day counters equal the ones rebuilt from the audit trail, after a mix of cases went
through the real use cases on the in-process AWS and the relay delivered what they promised."""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from chalicelib.adapters.tally_store import TallyStore
from chalicelib.domain.clock import iso
from chalicelib.domain.lifecycle import Actor
from chalicelib.services.intake import Intake
from chalicelib.services.review import Review
from chalicelib.services.timers import Timers
from chalicelib.services.transparency import TallyRebuild, Transparency
from chalicelib.wiring import build
from tests.conftest import deliver_effects, report
from tests.review_helpers import decision, enforcement_messages, staged_upload
from tools import rebuild_tally
from tools.provision import LocalStack

START = datetime(2026, 9, 22, 1, 0, tzinfo=UTC)
REVIEWER = Actor("reviewer:alice", "reviewer")
BASE = "http://irc.test"
POSTER_SAYS = "This is my own photo of a public event; I have the rights."
FACTS = {"facts": "The photo shows the claimant's face without consent."}


@dataclass
class Clock:
    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def later(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def test_the_counters_kept_through_the_relay_equal_those_rebuilt_from_the_trail(
    aws: LocalStack,
) -> None:
    clock = Clock()
    intake = build(Intake, clock=clock)
    review = build(Review, clock=clock)

    def submitted(**changes: Any) -> str:
        receipt, _ = intake.submit_report(report([staged_upload(intake)], **changes), None, BASE)
        return receipt.case_id

    def decided(case_id: str, version: int, *measures: dict[str, Any]) -> None:
        review.decide(case_id, decision(version, *measures), REVIEWER, BASE)

    def notice_token() -> str:
        queries = [urllib.parse.urlsplit(m["notice_url"]).query for m in enforcement_messages()]
        [token, *_] = [t for q in queries for t in urllib.parse.parse_qs(q).get("token", [])]
        return str(token)

    def version(case_id: str) -> int:
        found = review.repository.get_case(case_id)
        assert found is not None
        return found.version

    # A block, a re-posting request, and the block upheld; two measures in one decision.
    blocked = submitted()
    enforcement_messages()
    clock.later(days=2)
    decided(blocked, 1, {"type": "block_content", "days": 30}, {"type": "restrict_room", "days": 7})
    token = notice_token()
    enforcement_messages()
    clock.later(hours=5)
    review.request_reposting(blocked, token, {"statement": POSTER_SAYS}, BASE)
    clock.later(hours=5)
    review.decide_reposting(
        blocked,
        {
            "expected_version": version(blocked),
            "outcome": "uphold",
            "referral": "kcsc",
            "reasons": FACTS,
        },
        REVIEWER,
        BASE,
    )
    # A restriction, appealed and lifted.
    restricted = submitted(grounds=["defamation"], requested_action="delete")
    clock.later(hours=30)
    decided(restricted, 1, {"type": "restrict_user", "service": "open_chat", "days": 7})
    token = notice_token()
    enforcement_messages()
    case = review.repository.get_case(restricted)
    assert case is not None
    measure_id = case.measures[0].measure_id
    review.file_appeal(restricted, token, {"measure_id": measure_id, "statement": POSTER_SAYS})
    clock.later(hours=1)
    review.decide_appeal(
        restricted,
        {
            "expected_version": version(restricted),
            "measure_id": measure_id,
            "outcome": "lift",
            "reasons": FACTS,
        },
        REVIEWER,
        BASE,
    )
    # A withdrawal, a rejection, a request for information unanswered, and a block that lapses.
    withdrawn, receipt_token = _submitted_with_token(intake, surface="open_profile")
    intake.withdraw(withdrawn, receipt_token)
    rejected = submitted()
    decided(rejected, 1, {"type": "reject", "reason": "duplicate"})
    unanswered = submitted()
    decided(
        unanswered, 1, {"type": "request_information", "message": "Send proof.", "due_days": 14}
    )
    clock.later(days=1)
    lapsing = submitted(grounds=["intellectual_property"], ip_right="copyright")
    clock.later(hours=2)
    decided(lapsing, 1, {"type": "block_content", "days": 1})
    enforcement_messages()
    clock.later(days=2)
    build(Timers, clock=clock).run(BASE)  # the one-day block lapses
    clock.later(days=14)
    build(Timers, clock=clock).run(BASE)  # the room's restriction ends; the request closes
    deliver_effects()
    deliver_effects()

    first, last = (START - timedelta(days=1)).date(), (clock.now + timedelta(days=1)).date()
    kept = TallyStore().tally_days(first, last)
    rebuilt = build(TallyRebuild).rebuilt(iso(START - timedelta(days=1)), iso(clock.now))
    assert kept == rebuilt
    assert rebuild_tally.main(["--since", first.isoformat(), "--through", last.isoformat()]) == 0
    figures = Transparency(TallyStore()).report(None, first.isoformat(), last.isoformat())
    assert figures.received == 6
    assert figures.withdrawn == 1
    assert figures.decisions_by_measure["block_content"] == 2
    assert figures.decisions_by_measure["restrict_room"] == 1
    assert figures.reposting_by_outcome == {"upheld": 1}
    assert figures.appeals_by_outcome == {"lifted": 1}
    assert figures.lapsed_by_action == {
        "closed_no_response": 1,
        "delete_content": 1,
        "lift_restriction": 1,
    }
    assert figures.decisions_by_measure["reject"] == 1
    assert figures.first_decision.count == 5


def _submitted_with_token(intake: Intake, **target: Any) -> tuple[str, str]:
    body = report([staged_upload(intake)])
    body["target"] = {**body["target"], **target}
    receipt, _ = intake.submit_report(body, None, BASE)
    return receipt.case_id, receipt.receipt_token
