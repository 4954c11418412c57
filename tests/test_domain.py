"""The pure rules: what a report must hold, which files are evidence, and the audit chain."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.domain.audit import EMPTY_CHAIN, AuditEvent, next_event
from chalicelib.domain.errors import InvalidRequest
from chalicelib.domain.evidence import MAX_EVIDENCE_BYTES, sniff_content_type, uploaded_file_problem
from chalicelib.domain.reports import parse_report, parse_upload_request
from chalicelib.domain.secrets import (
    request_fingerprint,
    token_hash,
    token_matches,
)
from tests.chains import first_bad_event
from tests.conftest import PDF, PNG, report

UPLOAD = "01JDX3F6Y2P4Q8R9S0T1V2W3XZ"
OTHER = "01JDX3F6Y2P4Q8R9S0T1V2W3Y0"


def fields_of(raw: Any) -> dict[str, str]:
    with pytest.raises(InvalidRequest) as caught:
        parse_report(raw)
    return {e.field: e.code for e in caught.value.errors}


def test_a_complete_report_is_accepted() -> None:
    parsed = parse_report(report([UPLOAD]))
    assert parsed.upload_ids == [UPLOAD]
    assert parsed.lang == "ko"


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        (
            {"target": {"surface": "kakao_story", "url": "https://x.example/1"}},
            "target.surface",
            "enum",
        ),
        (
            {"target": {"surface": "talk_board", "url": "javascript:alert(1)"}},
            "target.url",
            "value_error",
        ),
        ({"grounds": []}, "grounds", "too_short"),
        ({"grounds": ["privacy", "privacy"]}, "grounds", "value_error"),
        ({"grounds": ["rudeness"]}, "grounds[0]", "enum"),
        ({"requested_action": "ban"}, "requested_action", "enum"),
        ({"statement": "too short"}, "statement", "string_too_short"),
        ({"statement": "x" * 5001}, "statement", "string_too_long"),
        ({"evidence": []}, "evidence", "too_short"),
        ({"evidence": [UPLOAD] * 2}, "evidence", "value_error"),
        ({"evidence": ["../../etc/passwd"]}, "evidence[0]", "string_pattern_mismatch"),
        (
            {"evidence": [f"01JDX3F6Y2P4Q8R9S0T1V2W{i:03d}" for i in range(11)]},
            "evidence",
            "too_long",
        ),
        ({"declaration": False}, "declaration", "literal_error"),
        ({"lang": "ja"}, "lang", "enum"),
        ({"surprise": 1}, "surprise", "extra_forbidden"),
        ({"ip_right": "patent"}, "ip_right", "required_by_rule"),
        ({"grounds": ["intellectual_property"]}, "ip_right", "required_by_rule"),
        ({"power_of_attorney": OTHER}, "power_of_attorney", "required_by_rule"),
    ],
)
def test_each_bad_field_is_named(change: dict[str, Any], field: str, code: str) -> None:
    assert fields_of(report([UPLOAD], **change)).get(field) == code


@pytest.mark.parametrize(
    ("claimant", "field"),
    [
        ({"name": "", "email": "a@example.com", "relationship": "self"}, "claimant.name"),
        ({"name": "A", "email": "not-an-email", "relationship": "self"}, "claimant.email"),
        (
            {"name": "A", "email": "a@example.com", "phone": "call me", "relationship": "self"},
            "claimant.phone",
        ),
        (
            {"name": "A", "email": "a@example.com", "relationship": "cousin"},
            "claimant.relationship",
        ),
        ({"email": "a@example.com", "relationship": "self"}, "claimant.name"),
    ],
)
def test_each_bad_claimant_field_is_named(claimant: dict[str, str], field: str) -> None:
    assert field in fields_of(report([UPLOAD], claimant=claimant))


def test_an_agent_must_name_the_principal_and_attach_a_power_of_attorney() -> None:
    agent = {"name": "Lee Law Office", "email": "law@example.com", "relationship": "agent"}
    errors = fields_of(report([UPLOAD], claimant=agent))
    assert errors == {
        "claimant.principal_name": "required_by_rule",
        "power_of_attorney": "required_by_rule",
    }
    accepted = parse_report(
        report([UPLOAD], claimant={**agent, "principal_name": "Kim"}, power_of_attorney=OTHER)
    )
    assert accepted.upload_ids == [UPLOAD, OTHER]


def test_the_power_of_attorney_is_not_one_of_the_evidence() -> None:
    agent = {"name": "L", "email": "l@example.com", "relationship": "agent", "principal_name": "K"}
    assert fields_of(report([UPLOAD], claimant=agent, power_of_attorney=UPLOAD)) == {
        "power_of_attorney": "required_by_rule"
    }


def test_every_bad_field_is_named_at_once() -> None:
    errors = fields_of(
        report(
            [UPLOAD],
            claimant={"name": "A", "email": "x", "relationship": "self"},
            statement="short",
            grounds=["intellectual_property"],
            declaration=False,
        )
    )
    assert set(errors) == {"claimant.email", "statement", "declaration", "ip_right"}


def test_a_body_that_is_not_an_object_is_refused() -> None:
    assert fields_of(["not", "an", "object"]) == {"": "type"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"content_type": "application/x-msdownload"}, "content_type"),
        ({"content_type": "text/html"}, "content_type"),
        ({"size": MAX_EVIDENCE_BYTES + 1}, "size"),
        ({"size": 0}, "size"),
        ({"filename": "../secret.png"}, "filename"),
        ({"filename": ""}, "filename"),
    ],
)
def test_an_upload_request_outside_the_rules_is_refused(change: dict[str, Any], field: str) -> None:
    raw = {"filename": "a.png", "content_type": "image/png", "size": 10, **change}
    with pytest.raises(InvalidRequest) as caught:
        parse_upload_request(raw)
    assert [e.field for e in caught.value.errors] == [field]


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (PDF, "application/pdf"),
        (PNG, "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (b"GIF89a\x01\x00", "image/gif"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"\x00\x00\x00\x18ftypmp42", "video/mp4"),
        ("주소와 사진이 올라왔습니다.\n".encode(), "text/plain"),
        ("가".encode()[:2], "text/plain"),
        (b"\x7fELF\x02\x01\x01\x00", None),
        (b"MZ\x90\x00\x03\x00\x00\x00", None),
        (b"\x00\x01\x02", None),
        (b"\xff\xfe\xfd not utf-8", None),
    ],
)
def test_a_file_is_known_by_its_first_bytes(head: bytes, expected: str | None) -> None:
    assert sniff_content_type(head) == expected


def test_a_renamed_executable_is_not_evidence() -> None:
    problem = uploaded_file_problem("image/png", 4096, b"MZ\x90\x00\x03\x00", "image/png")
    assert problem is not None and "not a file of an allowed type" in problem


def test_a_file_whose_content_differs_from_its_declared_type_is_not_evidence() -> None:
    problem = uploaded_file_problem("text/plain", len(PDF), PDF, "text/plain")
    assert problem == "was declared as plain text but its content is PDF document"


@pytest.mark.parametrize("stored", ["text/html", "image/png; charset=utf-7", "", None])
def test_a_file_stored_with_another_content_type_than_declared_is_not_evidence(
    stored: str | None,
) -> None:
    problem = uploaded_file_problem("image/png", len(PNG), PNG, stored)
    assert problem is not None and problem.startswith("was declared as image/png but uploaded as")
    assert uploaded_file_problem("image/png", len(PNG), PNG, "IMAGE/PNG") is None


def test_a_file_over_the_limit_or_missing_is_not_evidence() -> None:
    too_big = uploaded_file_problem("image/png", MAX_EVIDENCE_BYTES + 1, PNG, "image/png")
    assert "limit is 20 MiB" in str(too_big)
    assert "never uploaded" in str(uploaded_file_problem("image/png", None, b"", None))
    assert uploaded_file_problem("image/png", len(PNG), PNG, "image/png") is None


def _chain(length: int) -> list[AuditEvent]:
    events, head = [], EMPTY_CHAIN
    for n in range(length):
        event = next_event(
            head,
            event_id=f"E{n}",
            case_id="C1",
            action="received" if n == 0 else "note",
            actor_id="claimant",
            actor_role="claimant",
            occurred_at=f"2026-11-24T00:00:0{n}.000Z",
            from_status=None,
            to_status="received",
            details={"n": n},
            policy_version="p1",
        )
        events.append(event)
        head = event.head
    return events


def test_an_intact_chain_verifies() -> None:
    assert first_bad_event(_chain(4)) == (None, "verified")


def test_a_changed_event_is_found() -> None:
    events = _chain(4)
    events[2] = events[2].model_copy(update={"details": {"n": 99}})
    bad, why = first_bad_event(events)
    assert bad is events[2] and "hash" in why


def test_a_removed_or_swapped_event_is_found() -> None:
    events = _chain(4)
    assert first_bad_event([events[0], events[2], events[3]])[0] is events[2]
    assert first_bad_event([events[0], events[2], events[1], events[3]])[0] is events[2]


def test_receipt_tokens_are_compared_by_hash() -> None:
    stored = token_hash("the-token")
    assert token_matches("the-token", stored)
    assert not token_matches("the-tokeN", stored)
    assert not token_matches(None, stored)
    assert not token_matches("the-token", None)


def test_a_fingerprint_ignores_key_order_but_not_values() -> None:
    assert request_fingerprint({"a": 1, "b": [1, 2]}) == request_fingerprint({"b": [1, 2], "a": 1})
    assert request_fingerprint({"a": 1}) != request_fingerprint({"a": 2})
