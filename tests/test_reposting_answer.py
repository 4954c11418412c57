"""The claimant answers the poster's re-posting request once, for the reviewer; the poster never
reads the answer; erasure takes it; the trail keeps only its hash; a broken notice link helps."""

from __future__ import annotations

import hashlib
import json
import urllib.parse
import uuid
from typing import Any

import boto3
import pytest
from chalice.test import Client

from chalicelib.adapters.repository import Repository
from chalicelib.config import settings
from chalicelib.domain.lifecycle import Actor
from chalicelib.services.review import Review
from chalicelib.wiring import build
from tests.conftest import post_json, sign_in
from tests.faults import KINDS, Faults
from tests.test_chaos import assert_no_orphans, drain_queue, faults, forget_process_caches, settle
from tests.test_notice_pages import BASE, BLOCK, decide, notice_path, post_form
from tests.test_pages import open_case, page_of
from tools.provision import LocalStack

__all__ = ["faults"]  # the fixture, for the fault tests below

REPOSTING = "The photo in the post is my own; I ask for it to be re-posted."
ANSWER = "The photo shows my face and was taken without my consent; please keep it blocked."
REVIEWER_ACTOR = Actor("reviewer:alice", "reviewer")
SECOND = "A second answer, which the case must refuse because one was already sent."


def notice_token(case_id: str) -> str:
    return urllib.parse.parse_qs(urllib.parse.urlsplit(notice_path(case_id)).query)["token"][0]


def notice_link(case_id: str, token: str, **query: str) -> str:
    return f"/notices/{case_id}?{urllib.parse.urlencode({'token': token, **query})}"


def blocked(client: Client) -> tuple[str, str, str]:
    """Open a case and block the content; return its id, receipt token and notice token."""
    receipt = open_case(client)
    case_id = receipt["case_id"]
    decide(case_id, BLOCK)
    return case_id, receipt["receipt_token"], notice_token(case_id)


def reposting_requested(client: Client) -> tuple[str, str, str]:
    """A blocked case whose poster asked for re-posting; return id, receipt and notice token."""
    case_id, receipt, token = blocked(client)
    build(Review).request_reposting(case_id, token, {"statement": REPOSTING}, BASE)
    return case_id, receipt, token


def answer(
    client: Client, case_id: str, receipt: str, statement: str = ANSWER, key: str | None = None
) -> Any:
    headers = {"X-Receipt-Token": receipt, "Idempotency-Key": key or str(uuid.uuid4())}
    return post_json(
        client, f"/v1/reports/{case_id}/reposting-answer", {"statement": statement}, headers
    )


def events_of(case_id: str, action: str) -> list[Any]:
    return [e for e in Repository().case_events(case_id) if e.action == action]


def test_the_claimant_answers_a_reposting_request_and_reads_the_answer(client: Client) -> None:
    case_id, receipt, _ = reposting_requested(client)

    response = answer(client, case_id, receipt)

    assert response.status_code == 201, response.body
    assert response.json_body["status"] == "reposting_requested"
    assert response.json_body["reposting_request"]["answer"]["statement"] == ANSWER
    status = client.http.get(f"/v1/reports/{case_id}", headers={"X-Receipt-Token": receipt})
    assert status.json_body["reposting_request"]["answer"]["statement"] == ANSWER
    assert status.json_body["reposting_request"]["statement"] == REPOSTING


def test_a_second_answer_is_refused_as_already_answered(client: Client) -> None:
    case_id, receipt, _ = reposting_requested(client)
    assert answer(client, case_id, receipt).status_code == 201

    again = answer(client, case_id, receipt, SECOND)

    assert again.status_code == 409
    assert again.headers["Content-Type"] == "application/problem+json"
    assert "already answered" in again.json_body["detail"]
    assert [e["field"] for e in again.json_body["errors"]] == ["statement"]
    case = Repository().get_case(case_id)
    assert case is not None and case.reposting_request is not None
    assert case.reposting_request.answer is not None
    assert case.reposting_request.answer.statement == ANSWER
    assert len(events_of(case_id, "reposting_answered")) == 1


def test_an_answer_outside_a_waiting_reposting_request_names_what_is_allowed(
    client: Client,
) -> None:
    case_id, receipt, _ = blocked(client)  # actioned: the poster has not asked

    response = answer(client, case_id, receipt)

    assert response.status_code == 409
    assert "actioned" in response.json_body["detail"]
    assert "allowed only in: reposting_requested" in response.json_body["detail"]
    assert events_of(case_id, "reposting_answered") == []
    received = open_case(client)
    early = answer(client, received["case_id"], received["receipt_token"])
    assert early.status_code == 409 and "received" in early.json_body["detail"]


def test_an_answer_after_the_request_was_decided_is_refused(client: Client) -> None:
    case_id, receipt, _ = reposting_requested(client)
    reinstate = {"outcome": "reinstate", "reasons": {"facts": "The poster holds the rights."}}
    review = build(Review)
    version = Repository().get_case(case_id).version  # type: ignore[union-attr]
    review.decide_reposting(
        case_id, {"expected_version": version, **reinstate}, REVIEWER_ACTOR, BASE
    )

    response = answer(client, case_id, receipt)

    assert response.status_code == 409
    assert "reinstated" in response.json_body["detail"]


@pytest.mark.parametrize("how", ["wrong token", "no token", "unknown case"])
def test_an_answer_with_a_wrong_receipt_is_not_found(client: Client, how: str) -> None:
    case_id, receipt, _ = reposting_requested(client)
    path = f"/v1/reports/{case_id}/reposting-answer"
    headers = {"Idempotency-Key": str(uuid.uuid4())}
    if how == "wrong token":
        headers["X-Receipt-Token"] = receipt[:-1] + ("A" if receipt[-1] != "A" else "B")
    elif how == "unknown case":
        headers["X-Receipt-Token"] = receipt
        path = "/v1/reports/01JDXYZ0000000000000000000/reposting-answer"

    response = post_json(client, path, {"statement": ANSWER}, headers)

    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/problem+json"
    assert events_of(case_id, "reposting_answered") == []


def test_an_answer_sent_twice_with_one_key_is_answered_once(client: Client) -> None:
    case_id, receipt, _ = reposting_requested(client)
    key = str(uuid.uuid4())

    first = answer(client, case_id, receipt, key=key)
    again = answer(client, case_id, receipt, key=key)

    assert first.status_code == again.status_code == 201
    assert "Idempotent-Replayed" not in first.headers
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json_body == first.json_body
    assert len(events_of(case_id, "reposting_answered")) == 1
    other = answer(client, case_id, receipt, SECOND, key=key)
    assert other.status_code == 422  # the key was sent with another answer


@pytest.mark.parametrize(
    ("statement", "field_count"),
    [("too short", 1), ("x" * 5001, 1)],
)
def test_an_answer_out_of_bounds_is_refused_naming_the_field(
    client: Client, statement: str, field_count: int
) -> None:
    case_id, receipt, _ = reposting_requested(client)

    response = answer(client, case_id, receipt, statement)

    assert response.status_code == 422
    assert [e["field"] for e in response.json_body["errors"]] == ["statement"] * field_count
    assert events_of(case_id, "reposting_answered") == []


def test_the_reviewer_reads_the_answer_in_the_case_file(client: Client, aws: LocalStack) -> None:
    case_id, receipt, _ = reposting_requested(client)
    assert answer(client, case_id, receipt).status_code == 201

    reviewer = {"Authorization": f"Bearer {sign_in(aws, 'reviewer')}"}
    file = client.http.get(f"/v1/cases/{case_id}", headers=reviewer)

    assert file.status_code == 200
    request = file.json_body["case"]["reposting_request"]
    assert request["statement"] == REPOSTING
    assert request["answer"]["statement"] == ANSWER


def test_the_poster_never_reads_the_claimants_answer(client: Client) -> None:
    case_id, receipt, token = reposting_requested(client)
    assert answer(client, case_id, receipt).status_code == 201

    notice = client.http.get(f"/v1/notices/{case_id}", headers={"X-Notice-Token": token})
    page = client.http.get(notice_link(case_id, token))

    assert notice.status_code == page.status_code == 200
    assert notice.json_body["reposting_request"]["answer"] is None
    assert ANSWER not in json.dumps(notice.json_body)
    assert ANSWER not in page_of(page).text


def test_the_trail_holds_only_the_hash_of_the_answer(client: Client) -> None:
    case_id, receipt, _ = reposting_requested(client)
    assert answer(client, case_id, receipt).status_code == 201

    [event] = events_of(case_id, "reposting_answered")

    assert event.details == {"statement_sha256": hashlib.sha256(ANSWER.encode()).hexdigest()}
    assert (event.actor_id, event.actor_role) == ("claimant", "claimant")
    assert (event.from_status, event.to_status) == ("reposting_requested", "reposting_requested")
    audit = boto3.client("dynamodb").query(
        TableName=settings().audit_table,
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": f"CASE#{case_id}"}},
    )["Items"]
    assert audit and ANSWER not in json.dumps(audit, ensure_ascii=False)


def test_erasure_removes_the_answer(client: Client, aws: LocalStack) -> None:
    case_id, receipt, _ = reposting_requested(client)
    assert answer(client, case_id, receipt).status_code == 201
    reinstate = {"outcome": "reinstate", "reasons": {"facts": "The poster holds the rights."}}
    version = Repository().get_case(case_id).version  # type: ignore[union-attr]
    build(Review).decide_reposting(
        case_id, {"expected_version": version, **reinstate}, REVIEWER_ACTOR, BASE
    )
    assert ANSWER in stored_case_text(case_id)  # else the test proves nothing

    admin = {"Authorization": f"Bearer {sign_in(aws, 'admin')}"}
    erased = client.http.post(f"/v1/admin/cases/{case_id}/erasure", headers=admin)

    assert erased.status_code == 201, erased.body
    assert ANSWER not in stored_case_text(case_id)
    case = Repository().get_case(case_id)
    assert case is not None and case.reposting_request is not None
    assert case.reposting_request.answer is not None
    assert case.reposting_request.answer.statement == "[erased]"
    auditor = {"Authorization": f"Bearer {sign_in(aws, 'auditor')}"}
    verified = client.http.get(f"/v1/audit/verify?case_id={case_id}", headers=auditor)
    assert verified.json_body["verified"] is True


def stored_case_text(case_id: str) -> str:
    """Every item the service keeps under the case, in both tables, as one text."""
    db = boto3.client("dynamodb")
    items: list[Any] = []
    for table in (settings().cases_table, settings().audit_table):
        items += db.query(
            TableName=table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": f"CASE#{case_id}"}},
        )["Items"]
    return json.dumps(items, ensure_ascii=False)


# ---- the status page's form, without JavaScript --------------------------------------------


def page_answer(client: Client, case_id: str, receipt: str, lang: str, statement: str) -> Any:
    return post_form(
        client,
        "/status/reposting-answer",
        lang=lang,
        case_id=case_id,
        receipt_token=receipt,
        idempotency_key=str(uuid.uuid4()),
        statement=statement,
    )


def status_page(client: Client, case_id: str, receipt: str, lang: str) -> Any:
    from tests.test_pages import ask_status

    return ask_status(client, lang=lang, case_id=case_id, receipt_token=receipt)


@pytest.mark.parametrize(
    ("lang", "readers", "sent"),
    [
        ("en", "The poster is not shown your answer", "Your answer was sent."),
        ("ko", "게시자에게는 답변도", "답변을 보냈습니다."),
    ],
)
def test_the_claimant_answers_on_the_status_page_without_javascript(
    client: Client, lang: str, readers: str, sent: str
) -> None:
    case_id, receipt, _ = reposting_requested(client)
    before = page_of(status_page(client, case_id, receipt, lang))
    form = before.by_id("reposting-answer-form")
    assert form["method"] == "post" and form["action"].endswith("/status/reposting-answer")
    assert readers in before.text
    assert (
        "reposting-answer-readers" in before.by_id("reposting-answer-statement")["aria-describedby"]
    )

    response = page_answer(client, case_id, receipt, lang, ANSWER)

    assert response.status_code == 200
    after = page_of(response)
    assert sent in after.text
    assert ANSWER in after.text
    assert not [a for _, a in after.elements if a.get("id") == "reposting-answer-form"]
    again = page_of(status_page(client, case_id, receipt, lang))
    assert ANSWER in again.text
    assert not [a for _, a in again.elements if a.get("id") == "reposting-answer-form"]


def test_a_second_answer_on_the_page_says_it_was_already_answered(client: Client) -> None:
    case_id, receipt, _ = reposting_requested(client)
    assert page_answer(client, case_id, receipt, "en", ANSWER).status_code == 200

    response = page_answer(client, case_id, receipt, "en", SECOND)

    assert response.status_code == 409
    page = page_of(response)
    assert page.by_id("status-flash")["role"] == "alert"
    assert "You already answered this re-posting request" in page.text
    assert SECOND not in page.text and ANSWER in page.text


def test_a_short_answer_on_the_page_is_refused_keeping_what_was_typed(client: Client) -> None:
    case_id, receipt, _ = reposting_requested(client)

    response = page_answer(client, case_id, receipt, "en", "Too short.")

    assert response.status_code == 422
    page = page_of(response)
    assert "Write your answer in 20 to 5000 characters." in page.text
    assert page.by_id("reposting-answer-statement")["aria-invalid"] == "true"
    assert "Too short." in page.text
    assert events_of(case_id, "reposting_answered") == []


def test_the_page_form_is_not_offered_before_the_poster_asks(client: Client) -> None:
    case_id, receipt, _ = blocked(client)
    page = page_of(status_page(client, case_id, receipt, "en"))
    assert not [a for _, a in page.elements if a.get("id") == "reposting-answer-form"]


# ---- what the poster is told before sending -------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "the person who reported the content reads your statement"),
        ("ko", "게시물을 신고한 사람이 신고 처리 상황 페이지와 메일로 이 의견을 읽고"),
    ],
)
def test_the_reposting_form_says_the_claimant_will_read_the_statement(
    client: Client, lang: str, said: str
) -> None:
    case_id, _, token = blocked(client)
    page = page_of(client.http.get(notice_link(case_id, token, lang=lang)))
    assert said in page.text
    assert page.by_id("submit-reposting")["aria-describedby"] == "reposting-readers"


# ---- a broken notice link ------------------------------------------------------------------


@pytest.mark.parametrize("how", ["cut token", "wrong token", "no token", "unknown case"])
@pytest.mark.parametrize(
    ("lang", "why", "contact"),
    [
        ("en", "The link was most likely cut or changed when it was copied", "Customer service"),
        ("ko", "링크를 복사하는 동안 잘리거나 바뀌었을 가능성이 큽니다", "고객센터"),
    ],
)
def test_a_broken_notice_link_says_what_happened_what_to_do_and_whom_to_ask(
    client: Client, how: str, lang: str, why: str, contact: str
) -> None:
    case_id, _, token = blocked(client)
    path = {
        "cut token": f"/notices/{case_id}?token={token[: len(token) // 2]}",
        "wrong token": f"/notices/{case_id}?token=x{token}",
        "no token": f"/notices/{case_id}",
        "unknown case": f"/notices/01JDXYZ0000000000000000000?token={token}",
    }[how]

    response = client.http.get(path, headers={"Accept-Language": lang})

    assert response.status_code == 404
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Robots-Tag"] == "noindex"
    assert response.headers["Cache-Control"] == "no-store"
    page = page_of(response)
    assert why in page.text
    link = page.by_id("notice-help-contact-link")
    assert link["href"] == "https://cs.kakao.com"
    assert contact in page.text
    assert [
        a["content"] for t, a in page.elements if t == "meta" and a.get("name") == "robots"
    ] == ["noindex"]
    assert token not in page_of(response).text


def test_every_broken_notice_link_reads_the_same(client: Client) -> None:
    case_id, _, token = blocked(client)
    pages = {
        page_of(client.http.get(path, headers={"Accept-Language": "en"})).text
        for path in (
            f"/notices/{case_id}?token={token[:-3]}",
            f"/notices/{case_id}?token=",
            f"/notices/{case_id}",
            f"/notices/01JDXYZ0000000000000000000?token={token}",
            "/notices/not-a-case?token=x",
        )
    }
    assert len(pages) == 1


# ---- a fault at each AWS call of the answer ------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_an_answer_is_recorded_whole_or_not_at_all_whatever_fails(
    client: Client, faults: Faults, kind: str
) -> None:
    def prepare() -> tuple[str, str]:
        faults.arm(None, -1)
        case_id, receipt, _ = reposting_requested(client)
        drain_queue()
        return case_id, receipt

    key = {"value": ""}

    def operate(prepared: tuple[str, str]) -> str:
        case_id, receipt = prepared
        key["value"] = str(uuid.uuid4())
        try:
            answer(client, case_id, receipt, key=key["value"])
        except BaseException as error:  # the function died before a call: nothing answered
            if type(error).__name__ != "Crash":
                raise
        return case_id

    def check(case_id: str, receipt: str) -> None:
        """Nothing or the whole change; a retry with the same key then finishes it, once."""
        case = Repository().get_case(case_id)
        assert case is not None and case.reposting_request is not None
        events = events_of(case_id, "reposting_answered")
        stored = case.reposting_request.answer
        assert (stored is None) == (events == []), "the answer and its event come together"
        assert len(events) <= 1
        if stored is not None:
            assert case.chain == Repository().case_events(case_id)[-1].head
        retried = answer(client, case_id, receipt, key=key["value"])
        assert retried.status_code == 201, retried.body
        assert len(events_of(case_id, "reposting_answered")) == 1

    prepared = prepare()
    forget_process_caches()
    faults.arm(None, -1)
    operate(prepared)
    calls = len(faults.calls)
    assert calls > 0
    settle(faults)
    check(*prepared)
    for at in range(calls):
        prepared = prepare()
        forget_process_caches()
        faults.arm(kind, at)
        operate(prepared)
        assert faults.fired, f"call {at} never came"
        faults.disarm()
        settle(faults)
        check(*prepared)
    assert_no_orphans()


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "never your statement, your files or who you are"),
        ("ko", "신고 내용과 파일, 신고인이 누구인지는 알리지 않습니다"),
    ],
)
def test_the_report_form_says_the_poster_never_reads_the_report(
    client: Client, lang: str, said: str
) -> None:
    page = page_of(client.http.get(f"/?lang={lang}"))
    assert said in page.text
    assert "statement-readers" in page.by_id("statement")["aria-describedby"]
