"""Trusted flaggers report with a token of their own; their cases come first in the queue and
their statements of reasons say so."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from chalice.test import Client

from chalicelib.domain.clock import iso
from chalicelib.domain.dsa_statements import SourceType
from chalicelib.domain.lifecycle import Actor
from chalicelib.services.review import Review
from chalicelib.wiring import build
from tests.conftest import post_json, report, sign_in, sign_in_member, upload
from tests.dsa_rules import broken_rules
from tests.review_helpers import decision
from tools.provision import LocalStack

PUBLIC = "The board post showed a person's photo without their consent."


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def filed(client: Client, headers: dict[str, str] | None = None) -> Any:
    return post_json(
        client, "/v1/reports", report([upload(client, b"\x89PNG\r\n\x1a\n" + b"0" * 64)]), headers
    )


def queue(client: Client, aws: LocalStack, cursor: str = "", limit: int = 25) -> dict[str, Any]:
    listed = client.http.get(
        f"/v1/cases?queue=received&limit={limit}{cursor}", headers=bearer(sign_in(aws, "reviewer"))
    )
    assert listed.status_code == 200, listed.body
    return dict(listed.json_body)


def test_a_trusted_flaggers_case_comes_first_in_its_queue_oldest_first(
    client: Client, aws: LocalStack
) -> None:
    flagger = bearer(sign_in(aws, "trusted_flagger"))
    anyone_first = filed(client).json_body["case_id"]
    trusted_first = filed(client, flagger).json_body["case_id"]
    trusted_second = filed(client, flagger).json_body["case_id"]
    anyone_second = filed(client).json_body["case_id"]

    page = queue(client, aws)

    assert [c["case_id"] for c in page["cases"]] == [
        trusted_first,
        trusted_second,
        anyone_first,
        anyone_second,
    ]
    assert [c["trusted_flagger"] for c in page["cases"]] == [True, True, False, False]

    seen = []
    cursor = ""
    for _ in range(6):
        one = queue(client, aws, cursor, limit=1)
        seen += [c["case_id"] for c in one["cases"]]
        if not one["next_cursor"]:
            break
        cursor = f"&cursor={one['next_cursor']}"
    assert seen == [c["case_id"] for c in page["cases"]]


def test_a_trusted_flaggers_case_and_statement_carry_the_trusted_flagger_source(
    client: Client, aws: LocalStack
) -> None:
    case_id = filed(client, bearer(sign_in(aws, "trusted_flagger"))).json_body["case_id"]
    review = build(Review)
    review.decide(
        case_id,
        decision(1, {"type": "delete_content"}, public_facts=PUBLIC),
        Actor("reviewer:r1", "reviewer"),
        "",
    )
    events = client.http.get(
        f"/v1/audit/events?case_id={case_id}", headers=bearer(sign_in(aws, "auditor"))
    ).json_body["events"]
    assert events[0]["details"]["source_type"] == "SOURCE_TRUSTED_FLAGGER"

    day = datetime.now(UTC)
    since, until = (iso(day - timedelta(days=1)), iso(day + timedelta(days=1)))
    statements = client.http.get(
        f"/v1/transparency/statements?from={since}&to={until}",
        headers=bearer(sign_in(aws, "auditor")),
    ).json_body["statements"]

    [statement] = statements
    assert statement["source_type"] == "SOURCE_TRUSTED_FLAGGER"
    assert broken_rules(statement) == []


def test_a_report_without_a_token_is_anyones(client: Client, aws: LocalStack) -> None:
    response = filed(client)

    assert response.status_code == 201
    [item] = queue(client, aws)["cases"]
    assert item["trusted_flagger"] is False


def test_a_token_of_another_group_is_refused_and_files_nothing(
    client: Client, aws: LocalStack
) -> None:
    reviewer = filed(client, bearer(sign_in(aws, "reviewer")))
    forged = filed(client, bearer("not.a.token"))
    not_bearer = filed(client, {"Authorization": "Basic abc"})

    assert reviewer.status_code == 403
    assert reviewer.json_body["errors"][0]["field"] == "Authorization"
    assert forged.status_code == 401
    assert not_bearer.status_code == 401
    assert queue(client, aws)["cases"] == []


def test_a_trusted_flagger_may_call_no_staff_route(client: Client, aws: LocalStack) -> None:
    token = sign_in_member(aws, "flagger-org", ["trusted_flaggers"])

    for path in ("/v1/cases", "/v1/staff", "/v1/audit/events?case_id=x"):
        assert client.http.get(path, headers=bearer(token)).status_code == 403, path


def test_overdue_counts_hold_trusted_flaggers_cases_by_their_own_wait(aws: LocalStack) -> None:
    from chalicelib.services.intake import Intake
    from tests.review_helpers import staged_upload

    now = datetime.now(UTC)
    long_ago = now - timedelta(days=10)
    sources: list[tuple[datetime, SourceType]] = [
        (long_ago, "SOURCE_TRUSTED_FLAGGER"),
        (now, "SOURCE_TRUSTED_FLAGGER"),
        (long_ago, "SOURCE_ARTICLE_16"),
        (now, "SOURCE_ARTICLE_16"),
    ]
    for moment, source in sources:
        intake = build(Intake, clock=lambda moment=moment: moment)
        intake.submit_report(report([staged_upload(intake)]), None, "http://x", None, source)

    counted = build(Review, clock=lambda: now).counts({})

    [received] = [q for q in counted.queues if q.queue == "received"]
    assert (received.count, received.overdue) == (4, 2)
