"""The decision form's API: the rules it offers are what a decision accepts, a preview shows each
side what they will read (and is what they read), and a stale version says what changed."""

from __future__ import annotations

import re
import urllib.parse
from datetime import UTC, datetime
from typing import Any

import pytest
from chalice.test import Client
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from chalicelib import wiring
from chalicelib.adapters.repository import Repository
from chalicelib.domain.audit import (
    MAX_CHANGES_TOLD,
    AuditEvent,
    ChainHead,
    changes_since,
    next_event,
)
from chalicelib.services.review import Review
from chalicelib.wiring import build
from tests.conftest import PNG, deliver_effects, post_json, report, sign_in, sign_in_member, upload
from tests.review_helpers import enforcement_messages, stored_items
from tests.test_pages import ask_status
from tools.provision import LocalStack

# 2027-03-01 12:00 in Korea.
DECIDED_AT = datetime(2027, 3, 1, 3, 0, tzinfo=UTC)
BLOCK = {"type": "block_content", "days": 30}
RESTRICT = {"type": "restrict_user", "service": "kakaotalk", "days": 7}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def reviewer(aws: LocalStack) -> dict[str, str]:
    return bearer(sign_in(aws, "reviewer"))


def submitted(client: Client, **changes: Any) -> dict[str, Any]:
    response = post_json(client, "/v1/reports", report([upload(client, PNG)], **changes))
    assert response.status_code == 201, response.body
    receipt: dict[str, Any] = response.json_body
    return receipt


def rules(client: Client, aws: LocalStack) -> dict[str, Any]:
    response = client.http.get("/v1/decision-rules", headers=reviewer(aws))
    assert response.status_code == 200, response.body
    found: dict[str, Any] = response.json_body
    return found


def template_reasons(found: dict[str, Any], template_id: str, lang: str = "ko") -> dict[str, Any]:
    """Return the reasons a reviewer sends after taking a template as it is."""
    [template] = [t for t in found["reason_templates"] if t["id"] == template_id]
    reasons = {"ground": template["ground"], "facts": template["facts"][lang]}
    for name in ("legal_ground", "policy_ground"):
        if template[name]:
            reasons[name] = template[name][lang]
    return reasons


def body(version: int, reasons: dict[str, Any], *measures: dict[str, Any]) -> dict[str, Any]:
    return {"expected_version": version, "measures": list(measures), "reasons": reasons}


def mails_about(case_id: str) -> list[Any]:
    deliver_effects()
    sent = ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sent_messages
    return [m for m in sent if case_id in m.subject]


def measure_at(rule: dict[str, Any], name: str, value: Any) -> dict[str, Any]:
    """Return a measure of `rule`'s type with every parameter valid, and `name` set to `value`."""
    measure: dict[str, Any] = {"type": rule["type"]}
    for parameter in rule["parameters"]:
        if parameter["enum"]:
            measure[parameter["name"]] = parameter["enum"][0]
        elif parameter["type"] == "integer":
            measure[parameter["name"]] = parameter["minimum"]
        else:
            measure[parameter["name"]] = "가" * parameter["min_length"]
    measure[name] = value
    return measure


# The rules


def test_the_rules_state_the_law_and_the_policy(client: Client, aws: LocalStack) -> None:
    found = rules(client, aws)
    by_type = {m["type"]: m for m in found["measure_types"]}

    def limits(kind: str, name: str) -> tuple[Any, ...]:
        [parameter] = [p for p in by_type[kind]["parameters"] if p["name"] == name]
        return tuple(
            parameter[k] for k in ("minimum", "maximum", "min_length", "max_length", "enum")
        )

    # A temporary measure lasts at most 30 days (Network Act art. 44-2(4)).
    assert limits("block_content", "days") == (1, 30, None, None, None)
    assert limits("restrict_user", "days") == (1, 90, None, None, None)
    assert limits("restrict_user", "service") == (
        None,
        None,
        None,
        None,
        ["kakaotalk", "open_chat"],
    )
    assert limits("restrict_room", "days") == (1, 90, None, None, None)
    assert limits("request_information", "due_days") == (1, 14, None, None, None)
    assert limits("request_information", "message") == (None, None, 10, 2000, None)
    assert by_type["delete_content"]["parameters"] == []
    assert by_type["restrict_room"]["surfaces"] == ["open_chat_board", "open_chat_cover"]
    assert set(found["alone_measures"]) == {"reject", "request_information"}
    assert found["refused_together"] == [["block_content", "delete_content"]]
    assert set(found["reject_reasons"]) == {
        "not_rights_holder",
        "insufficient_evidence",
        "out_of_scope",
        "not_infringing",
        "duplicate",
    }
    assert found["restricted_services"] == ["kakaotalk", "open_chat"]
    assert found["decision_grounds"] == ["illegal_content", "incompatible_content"]
    assert (found["measures"]["min_items"], found["measures"]["max_items"]) == (1, 4)
    reasons = {r["name"]: r for r in found["reasons"]}
    assert (reasons["facts"]["min_length"], reasons["facts"]["max_length"]) == (20, 5000)
    assert reasons["facts"]["required"] is True
    assert reasons["note"]["max_length"] == 2000
    assert reasons["legal_ground"]["max_length"] == 500
    assert {(r["ground"], r["field"]) for r in found["ground_requires"]} == {
        ("illegal_content", "reasons.legal_ground"),
        ("incompatible_content", "reasons.policy_ground"),
    }

    templates = {t["id"]: t for t in found["reason_templates"]}
    network = templates["network_act_44_2"]
    assert network["ground"] == "illegal_content"
    assert network["legal_ground"]["ko"] == (
        "정보통신망 이용촉진 및 정보보호 등에 관한 법률 제44조의2"
    )
    assert "art. 44-2" in network["legal_ground"]["en"]
    assert "30일" in network["facts"]["ko"] and "30 days" in network["facts"]["en"]
    assert templates["copyright_act_103"]["legal_ground"]["ko"] == "저작권법 제103조"
    assert templates["copyright_act_103"]["legal_ground"]["en"] == "Copyright Act, art. 103"
    pipa = templates["personal_information_protection_act"]
    assert pipa["legal_ground"] == {
        "ko": "개인정보 보호법",
        "en": "Personal Information Protection Act",
    }
    portrait = templates["portrait_right"]
    assert portrait["ground"] == "incompatible_content" and portrait["legal_ground"] is None
    assert "초상권" in portrait["policy_ground"]["ko"]
    for template in templates.values():
        assert set(template["facts"]) == {"ko", "en"} and set(template["label"]) == {"ko", "en"}


def test_the_rules_are_for_reviewers(client: Client, aws: LocalStack) -> None:
    assert client.http.get("/v1/decision-rules").status_code == 401
    auditor = bearer(sign_in(aws, "auditor"))
    assert client.http.get("/v1/decision-rules", headers=auditor).status_code == 403


def test_each_limit_the_rules_state_is_the_limit_a_decision_keeps(
    client: Client, aws: LocalStack
) -> None:
    found = rules(client, aws)
    case_id = submitted(client)["case_id"]  # on an Open Chat board: every measure applies
    reasons = template_reasons(found, "network_act_44_2")
    preview = f"/v1/cases/{case_id}/decision-preview"
    checked = 0
    for rule in found["measure_types"]:
        for parameter in rule["parameters"]:
            name = parameter["name"]
            if parameter["type"] == "integer":
                most, beyond = parameter["maximum"], parameter["maximum"] + 1
            elif parameter["max_length"]:
                most, beyond = "가" * parameter["max_length"], "가" * (parameter["max_length"] + 1)
            else:
                continue
            allowed = post_json(
                client, preview, body(1, reasons, measure_at(rule, name, most)), reviewer(aws)
            )
            assert allowed.status_code == 200, (rule["type"], name, allowed.body)
            refused = post_json(
                client, preview, body(1, reasons, measure_at(rule, name, beyond)), reviewer(aws)
            )
            assert refused.status_code == 422, (rule["type"], name)
            assert [e["field"] for e in refused.json_body["errors"]] == [f"measures[0].{name}"]
            checked += 1
    assert checked == 5  # message, due_days, and the days of a block, a room's and a user's
    facts = {r["name"]: r for r in found["reasons"]}["facts"]
    longest = {**reasons, "facts": "가" * facts["max_length"]}
    assert post_json(client, preview, body(1, longest, BLOCK), reviewer(aws)).status_code == 200
    for template in found["reason_templates"]:
        for lang in ("ko", "en"):
            taken = template_reasons(found, template["id"], lang)
            previewed = post_json(client, preview, body(1, taken, BLOCK), reviewer(aws))
            assert previewed.status_code == 200, (template["id"], lang, previewed.body)
    too_long = {**reasons, "facts": "가" * (facts["max_length"] + 1)}
    refused = post_json(client, preview, body(1, too_long, BLOCK), reviewer(aws))
    assert [e["field"] for e in refused.json_body["errors"]] == ["reasons.facts"]


def test_a_preview_refuses_what_the_decision_refuses_alike(client: Client, aws: LocalStack) -> None:
    found = rules(client, aws)
    case_id = submitted(client, target={**report([])["target"], "surface": "talk_board"})["case_id"]
    reasons = template_reasons(found, "network_act_44_2")
    [first, second] = found["refused_together"][0]
    refusals = [
        body(1, reasons, {"type": first, "days": 30}, {"type": second}),
        body(1, reasons, {"type": "reject", "reason": found["reject_reasons"][0]}, BLOCK),
        body(1, reasons, {"type": "restrict_room", "days": 7}),  # not an Open Chat surface
        body(1, {**reasons, "legal_ground": None}, BLOCK),
        body(1, reasons, *([BLOCK] * (found["measures"]["max_items"] + 1))),
    ]
    for refused in refusals:
        previewed = post_json(
            client, f"/v1/cases/{case_id}/decision-preview", refused, reviewer(aws)
        )
        decided = post_json(client, f"/v1/cases/{case_id}/decisions", refused, reviewer(aws))
        assert previewed.status_code == decided.status_code == 422, refused
        assert previewed.json_body["errors"] == decided.json_body["errors"]
        assert previewed.json_body["errors"]
    missing = "/v1/cases/01JDX3F6Y2P4Q8R9S0T1V2W3XZ/decision-preview"
    assert post_json(client, missing, body(1, reasons, BLOCK), reviewer(aws)).status_code == 404


# The preview


def test_a_preview_shows_each_side_the_end_dates_and_is_what_they_are_sent(
    client: Client, aws: LocalStack
) -> None:
    wiring.use(build(Review, clock=lambda: DECIDED_AT))
    found = rules(client, aws)
    receipt = submitted(client)
    case_id = receipt["case_id"]
    sent_before = len(mails_about(case_id))
    decision = body(1, template_reasons(found, "network_act_44_2"), BLOCK, RESTRICT)

    previewed = post_json(client, f"/v1/cases/{case_id}/decision-preview", decision, reviewer(aws))
    assert previewed.status_code == 200, previewed.body
    preview = previewed.json_body
    assert preview["case_id"] == case_id and preview["expected_version"] == 1
    assert preview["enforcement_messages"] == 2
    assert [(m["type"], m["ends_at"]) for m in preview["measures"]] == [
        ("block_content", "2027-03-31T03:00:00.000Z"),
        ("restrict_user", "2027-03-08T03:00:00.000Z"),
    ]
    # The block's end and the restriction's, as each language reads them (Korea's time).
    ends = {
        "ko": ["2027년 3월 31일 12:00 (한국 시간)", "2027년 3월 8일 12:00 (한국 시간)"],
        "en": ["31 March 2027, 12:00 KST", "8 March 2027, 12:00 KST"],
    }
    for lang, dates in ends.items():
        claimant, poster = preview["claimant"][lang], preview["poster"][lang]
        for date in dates:
            assert date in claimant["body"], (lang, date)
            assert date in claimant["html"], (lang, date)
            assert date in poster["html"], (lang, date)
        assert case_id in claimant["subject"]
        assert claimant["html"].startswith('<li class="card decision">')
        assert 'id="notice-status"' in poster["html"] and "<main" not in poster["html"]
    assert "사생활" in preview["claimant"]["ko"]["html"]  # the template's facts, as sent

    decided = post_json(client, f"/v1/cases/{case_id}/decisions", decision, reviewer(aws))
    assert decided.status_code == 201
    [mail] = mails_about(case_id)[sent_before:]
    korean = preview["claimant"]["ko"]  # the claimant reported in Korean
    assert (mail.subject, mail.body) == (korean["subject"], korean["body"])

    # The status page and the notice page show what the preview showed.
    page = ask_status(client, lang="en", case_id=case_id, receipt_token=receipt["receipt_token"])
    assert page.status_code == 200
    assert preview["claimant"]["en"]["html"] in page.body.decode()
    [token] = {
        urllib.parse.parse_qs(urllib.parse.urlsplit(m["notice_url"]).query)["token"][0]
        for m in enforcement_messages()
    }
    notice = client.http.get(f"/notices/{case_id}?lang=ko&token={token}")
    assert notice.status_code == 200
    assert unsigned(notice.body.decode()).find(unsigned(preview["poster"]["ko"]["html"])) > 0


def unsigned(html: str) -> str:
    """Return a page less what only a sent decision has (ids, the notice token) and fresh keys."""
    html = re.sub(r'name="(notice_token|idempotency_key)" value="[^"]*"', r'name="\1"', html)
    return re.sub(r"\b01[0-9A-HJKMNP-TV-Z]{24}\b", "<id>", html)


def test_a_decision_without_a_measure_tells_no_poster(client: Client, aws: LocalStack) -> None:
    found = rules(client, aws)
    case_id = submitted(client)["case_id"]
    reject = {"type": "reject", "reason": "insufficient_evidence"}
    previewed = post_json(
        client,
        f"/v1/cases/{case_id}/decision-preview",
        body(1, template_reasons(found, "portrait_right", "en"), reject),
        reviewer(aws),
    )
    assert previewed.status_code == 200, previewed.body
    assert previewed.json_body["poster"] is None
    assert previewed.json_body["enforcement_messages"] == 0
    assert set(previewed.json_body["claimant"]) == {"ko", "en"}


def test_a_preview_writes_nothing(client: Client, aws: LocalStack) -> None:
    found = rules(client, aws)
    case_id = submitted(client)["case_id"]
    deliver_effects()
    items, events = stored_items(case_id), Repository().case_events(case_id)
    sent = len(mails_about(case_id))
    decision = body(1, template_reasons(found, "network_act_44_2"), BLOCK, RESTRICT)
    previewed = post_json(client, f"/v1/cases/{case_id}/decision-preview", decision, reviewer(aws))
    assert previewed.status_code == 200
    assert stored_items(case_id) == items
    assert Repository().case_events(case_id) == events
    assert len(mails_about(case_id)) == sent and enforcement_messages() == []
    case = client.http.get(f"/v1/cases/{case_id}", headers=reviewer(aws)).json_body
    assert case["version"] == 1 and case["case"]["status"] == "received"


# A stale version


@pytest.mark.parametrize("path", ["decisions", "decision-preview"])
def test_a_stale_version_names_what_another_reviewer_did(
    client: Client, aws: LocalStack, path: str
) -> None:
    found = rules(client, aws)
    case_id = submitted(client)["case_id"]
    reasons = template_reasons(found, "network_act_44_2")
    other = bearer(sign_in_member(aws, f"reviewer-{path}@example.com", ["reviewers"]))
    first = post_json(client, f"/v1/cases/{case_id}/decisions", body(1, reasons, BLOCK), other)
    assert first.status_code == 201
    who = first.json_body["decision"]["actor_id"]

    stale = post_json(
        client, f"/v1/cases/{case_id}/{path}", body(1, reasons, RESTRICT), reviewer(aws)
    )
    assert stale.status_code == 409
    problem = stale.json_body
    assert problem["status"] == 409
    assert problem["errors"][0]["field"] == "expected_version"
    assert problem["current_version"] == 2 and problem["case_status"] == "actioned"
    assert problem["changes"] == [
        {
            "action": "block_content",
            "actor_id": who,
            "occurred_at": first.json_body["decision"]["decided_at"],
            "version": 2,
        }
    ]


# What changed, counted back from the newest event


def event(seq: int, action: str, actor: str, minute: int) -> AuditEvent:
    return next_event(
        ChainHead(seq=seq - 1, hash="0" * 64),
        event_id=f"event-{seq}",
        case_id="case",
        action=action,
        actor_id=actor,
        actor_role="reviewer",
        occurred_at=f"2027-03-01T03:{minute:02d}:00.000Z",
        from_status="received",
        to_status="actioned",
        details={},
        policy_version="test-policy",
    )


def test_the_changes_since_a_version_are_its_changes_events_newest_last() -> None:
    # Version 1 received, 2 a decision of two measures, 3 an appeal, 4 its decision.
    trail = [
        event(1, "received", "claimant", 0),
        event(2, "block_content", "reviewer:a", 1),
        event(3, "restrict_user", "reviewer:a", 1),
        event(4, "appeal_filed", "poster", 2),
        event(5, "appeal_upheld", "reviewer:b", 3),
    ]
    newest_first = trail[::-1]
    told = changes_since(newest_first, 4, 1)
    assert [(c["action"], c["version"]) for c in told] == [
        ("block_content", 2),
        ("restrict_user", 2),
        ("appeal_filed", 3),
        ("appeal_upheld", 4),
    ]
    assert told[-1] == {
        "action": "appeal_upheld",
        "actor_id": "reviewer:b",
        "occurred_at": "2027-03-01T03:03:00.000Z",
        "version": 4,
    }
    assert [c["action"] for c in changes_since(newest_first, 4, 3)] == ["appeal_upheld"]
    assert changes_since(newest_first, 4, 4) == []
    many = [event(n, f"action-{n}", f"reviewer:{n}", n % 60) for n in range(1, 31)][::-1]
    bounded = changes_since(many, 30, 1)
    assert len(bounded) == MAX_CHANGES_TOLD == 20
    assert bounded[-1]["action"] == "action-30" and bounded[0]["version"] == 11
