"""Auditors export statements of reasons that the DSA Transparency Database accepts, and never
one that holds personal data."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from chalice.test import Client

from chalicelib.domain.dsa_statements import personal_data_in, public_statement
from chalicelib.domain.errors import InvalidRequest
from chalicelib.domain.lifecycle import Actor
from chalicelib.domain.vocabulary import Surface
from chalicelib.services.intake import Intake
from chalicelib.services.review import Review
from chalicelib.services.statements import Statements
from chalicelib.wiring import build
from tests.conftest import sign_in
from tests.dsa_rules import broken_batch, broken_rules
from tests.review_helpers import decision, open_case
from tools.provision import LocalStack

START = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
RANGE = "from=2026-11-19T00:00:00.000Z&to=2026-11-30T00:00:00.000Z"
PUBLIC = "The announcement showed a person's home address and photo without their consent."
REVIEWER = Actor("reviewer:r1", "reviewer")
POLICY = {
    "ground": "incompatible_content",
    "legal_ground": None,
    "policy_ground": "Operation Policy: Protect User Rights",
}


def auditor(aws: LocalStack) -> dict[str, str]:
    return {"Authorization": f"Bearer {sign_in(aws, 'auditor')}"}


def decided(surface: str, hours: int, *measures: dict[str, Any], **reasons: Any) -> str:
    """Open a case on `surface` and decide it with `measures`; return the case id."""
    target = {"surface": surface, "url": "https://open.kakao.com/o/gABCDEF", "description": "x"}
    at = START + timedelta(hours=hours)
    case_id, _ = open_case(build(Intake, clock=lambda: at), target=target)
    review = build(Review, clock=lambda: at + timedelta(hours=1))
    review.decide(case_id, decision(1, *measures, **reasons), REVIEWER, "")
    return case_id


def exported(client: Client, aws: LocalStack, query: str = RANGE) -> dict[str, Any]:
    response = client.http.get(f"/v1/transparency/statements?{query}", headers=auditor(aws))
    assert response.status_code == 200, response.body
    return dict(response.json_body)


def test_every_exported_statement_is_one_the_transparency_database_accepts(
    client: Client, aws: LocalStack
) -> None:
    enforcing = [
        decided("open_chat_board", 0, {"type": "block_content", "days": 30}, public_facts=PUBLIC),
        decided("talk_board", 1, {"type": "delete_content"}, public_facts=PUBLIC, **POLICY),
        decided("open_chat_cover", 2, {"type": "restrict_room", "days": 7}, public_facts=PUBLIC),
        decided(
            "kakaotalk_profile",
            3,
            {"type": "block_content", "days": 10},
            {"type": "restrict_user", "service": "kakaotalk", "days": 14},
            public_facts=PUBLIC,
            **POLICY,
        ),
    ]
    decided("open_profile", 4, {"type": "reject", "reason": "not_infringing"}, public_facts=PUBLIC)

    page = exported(client, aws)

    statements = page["statements"]
    assert page["refused"] == [] and page["next"] is None
    assert len(statements) == len(enforcing)  # a rejection restricts nothing: no statement
    assert broken_batch(statements) == []
    for statement in statements:
        assert broken_rules(statement) == [], statement
        assert statement["decision_facts"] == PUBLIC
        assert statement["source_type"] == "SOURCE_ARTICLE_16"
        assert "territorial_scope" not in statement
    block, delete, room, both = statements
    assert block["decision_visibility"] == ["DECISION_VISIBILITY_CONTENT_DISABLED"]
    assert block["end_date_visibility_restriction"] == "2026-12-20"
    assert block["illegal_content_legal_ground"] == "Network Act art. 44-2"
    assert block["content_date"] == "2026-11-20" and block["application_date"] == "2026-11-20"
    assert delete["decision_visibility"] == ["DECISION_VISIBILITY_CONTENT_REMOVED"]
    assert delete["incompatible_content_ground"] == "Operation Policy: Protect User Rights"
    assert room["decision_provision"] == "DECISION_PROVISION_PARTIAL_SUSPENSION"
    assert both["decision_account"] == "DECISION_ACCOUNT_SUSPENDED"
    assert both["content_type"] == ["CONTENT_TYPE_IMAGE", "CONTENT_TYPE_TEXT"]
    assert both["end_date_account_restriction"] == "2026-12-04"


def test_a_decision_without_public_facts_is_named_and_not_exported(
    client: Client, aws: LocalStack
) -> None:
    case_id = decided("open_chat_board", 0, {"type": "delete_content"})

    page = exported(client, aws)

    assert page["statements"] == []
    [refused] = page["refused"]
    assert refused["case_id"] == case_id
    assert refused["puid"].endswith(refused["decision_id"])
    assert "public facts" in refused["reason"]


@pytest.mark.parametrize(
    "facts",
    [
        "Write to hong.gildong@example.co.kr for the original.",
        "The post lists the number 010-1234-5678 as the owner's.",
        "Call +82 10 1234 5678 says the post.",
        "The number 01012345678 was shown.",
        "It printed the resident number 900101-1234567 in full.",
        "It printed 9001011234567 as an identity number.",
        "Office line 02-312-4567 was posted.",
    ],
)
def test_personal_data_in_public_facts_is_found(facts: str) -> None:
    assert personal_data_in(facts) is not None


@pytest.mark.parametrize(
    "facts",
    [
        PUBLIC,
        "Blocked under Network Act art. 44-2 on 2026-11-20 for 30 days.",
        "Case 01JD0Z3M5V8Q4W2K7R9T6Y1X3B, copyright act art. 103.",
        "The post was seen 12 times between 09:00 and 10:30.",
    ],
)
def test_facts_without_personal_data_pass(facts: str) -> None:
    assert personal_data_in(facts) is None


def test_a_reviewer_is_told_when_public_facts_hold_personal_data(aws: LocalStack) -> None:
    case_id, _ = open_case(build(Intake, clock=lambda: START))
    review = build(Review, clock=lambda: START + timedelta(hours=1))
    body = decision(1, {"type": "delete_content"}, public_facts="Mail me at a.b@example.com now.")

    with pytest.raises(InvalidRequest) as refused:
        review.decide(case_id, body, REVIEWER, "")

    assert [e.field for e in refused.value.errors] == ["reasons.public_facts"]


class Trail:
    """A trail of decision events in time order, read as the by-day index reads it."""

    def __init__(self, items: list[tuple[str, dict[str, Any]]]) -> None:
        self.items = items

    def iter_event_positions(
        self, after: str, through: str, resume: str | None = None, max_queries: int | None = None
    ) -> Iterator[tuple[str, dict[str, Any] | None]]:
        for position, item in self.items:
            if position > (resume or after) and position[:24] <= through:
                yield position, item


def statement_event(n: int, facts: str = PUBLIC) -> tuple[str, dict[str, Any]]:
    decision_id = f"01JD0Z3M5V8Q4W2K7R9T{n:06d}"
    moment = (START + timedelta(seconds=n)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    body = public_statement(
        decision_id=decision_id,
        decided_at=moment,
        measures=[("delete_content", None)],
        decision_ground="DECISION_GROUND_ILLEGAL_CONTENT",
        legal_ground="Network Act art. 44-2",
        policy_ground=None,
        public_facts=facts,
        categories=["STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH"],
        surface=Surface.TALK_BOARD,
        reported_at=moment,
        source_type="SOURCE_ARTICLE_16",
    )
    details = {"decision_id": decision_id, "dsa_statement": body}
    item = {"action": "delete_content", "case_id": f"case-{n}", "details": details}
    return f"{moment}#{decision_id}", item


def export_of(items: list[tuple[str, dict[str, Any]]]) -> Statements:
    return Statements(repository=Trail(items), cursor_key=lambda: b"k" * 32)  # type: ignore[arg-type]


def test_a_statement_whose_public_facts_hold_personal_data_is_refused_and_named() -> None:
    items = [
        statement_event(1),
        statement_event(2, "The poster's phone 010-9876-5432 is on the board."),
        statement_event(3, "Their email x@example.org is in the post."),
        statement_event(4, "RRN 850315-2234567 appears."),
    ]
    page = export_of(items).page(
        {"from": "2026-11-20T00:00:00.000Z", "to": "2026-11-21T00:00:00.000Z"}
    )

    assert [s["puid"] for s in page.statements] == ["irc-01JD0Z3M5V8Q4W2K7R9T000001"]
    assert [(r.decision_id[-1], r.reason) for r in page.refused] == [
        ("2", "decision_facts holds a phone number"),
        ("3", "decision_facts holds an email address"),
        ("4", "decision_facts holds a resident registration number"),
    ]


def test_an_event_written_before_statements_were_recorded_is_named() -> None:
    position, item = statement_event(1)
    del item["details"]["dsa_statement"]

    page = export_of([(position, item)]).page(
        {"from": "2026-11-20T00:00:00.000Z", "to": "2026-11-21T00:00:00.000Z"}
    )

    assert page.statements == []
    assert page.refused[0].reason.startswith("was decided before")


def test_statements_come_a_hundred_a_page_with_a_signed_cursor() -> None:
    export = export_of([statement_event(n) for n in range(1, 251)])
    query = {"from": "2026-11-20T00:00:00.000Z", "to": "2026-11-21T00:00:00.000Z"}
    pages = []
    cursor = None
    while True:
        page = export.page({**query, **({"cursor": cursor} if cursor else {})})
        pages.append(len(page.statements))
        assert broken_batch(page.statements) == []
        if page.next is None:
            break
        cursor = page.next
        assert len(pages) < 5
    assert pages == [100, 100, 50]

    with pytest.raises(InvalidRequest) as bad:
        export.page({**query, "to": "2026-11-20T12:00:00.000Z", "cursor": cursor or ""})
    assert [e.field for e in bad.value.errors] == ["cursor"]


def test_more_than_a_hundred_a_page_is_refused(client: Client, aws: LocalStack) -> None:
    response = client.http.get(
        f"/v1/transparency/statements?{RANGE}&limit=101", headers=auditor(aws)
    )
    assert response.status_code in (400, 422)
    assert "limit" in response.body.decode()


@pytest.mark.parametrize("role, status", [("reviewer", 403), (None, 401)])
def test_only_auditors_export_statements(
    client: Client, aws: LocalStack, role: str | None, status: int
) -> None:
    headers = {"Authorization": f"Bearer {sign_in(aws, role)}"} if role else {}
    response = client.http.get(f"/v1/transparency/statements?{RANGE}", headers=headers)
    assert response.status_code == status


def test_the_decision_form_offers_public_facts_with_a_hint_in_both_languages(
    client: Client, aws: LocalStack
) -> None:
    from chalicelib.web.console import console_texts

    rules = client.http.get(
        "/v1/decision-rules", headers={"Authorization": f"Bearer {sign_in(aws, 'reviewer')}"}
    ).json_body
    [field] = [spec for spec in rules["reasons"] if spec["name"] == "public_facts"]
    assert field["required"] is False and field["max_length"] == 2000
    for lang in ("ko", "en"):
        words = console_texts(lang)
        assert words["dsa_public_facts"] and words["dsa_public_facts_hint"]
    assert "email" in console_texts("en")["dsa_public_facts_hint"]
    assert "이메일" in console_texts("ko")["dsa_public_facts_hint"]
