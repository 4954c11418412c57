"""The poster's notice, and decisions, answers and withdrawal on the claimant's status page."""

from __future__ import annotations

import json
import urllib.parse
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from chalice.test import Client

from chalicelib import wiring
from chalicelib.adapters.repository import Repository
from chalicelib.domain.errors import Conflict
from chalicelib.domain.lifecycle import Actor
from chalicelib.domain.vocabulary import CaseStatus
from chalicelib.services.review import Review
from chalicelib.web.texts import TEXTS
from chalicelib.wiring import build
from tests.conftest import PNG, post_json, upload
from tests.review_helpers import decision, enforcement_messages
from tests.test_pages import (
    FORM_POST,
    Page,
    ask_status,
    body_of,
    expected_csp,
    html_lang,
    open_case,
    page_of,
)

REVIEWER = Actor("reviewer:alice", "reviewer")
BASE = "http://irc.test"
BLOCK = {"type": "block_content", "days": 30}
RESTRICT_OPEN_CHAT = {"type": "restrict_user", "service": "open_chat", "days": 14}
FACTS = "The announcement board shows the claimant's home address next to her photograph."
NOTE = "Internal: the same room was reported last month; watch for reposts."
ANSWER = "The attached lease shows that the address in the post is my home address."


def decide(case_id: str, *measures: dict[str, Any], version: int = 1, **reasons: Any) -> Any:
    outcome, _ = build(Review).decide(
        case_id, decision(version, *measures, **reasons), REVIEWER, BASE
    )
    return outcome


def notice_path(case_id: str) -> str:
    """Return the path and query of the notice link the platform shows the poster."""
    [link] = {m["notice_url"] for m in enforcement_messages() if m["case_id"] == case_id}
    parts = urllib.parse.urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}" == BASE
    return f"{parts.path}?{parts.query}"


def blocked_case(client: Client, **reasons: Any) -> tuple[dict[str, Any], str, Any]:
    """Open a case, block the content and restrict the poster; return receipt, link, outcome."""
    receipt = open_case(client)
    outcome = decide(receipt["case_id"], BLOCK, RESTRICT_OPEN_CHAT, facts=FACTS, **reasons)
    return receipt, notice_path(receipt["case_id"]), outcome


def in_words(iso_text: str, lang: str) -> str:
    """Return a timestamp as the pages write it for a reader of `lang`: in Korea's time."""
    texts = TEXTS[lang]
    # Korea keeps UTC+9 all year (no summer time), whatever the reader's language.
    moment = datetime.fromisoformat(iso_text.replace("Z", "+00:00")) + timedelta(hours=9)
    return str(
        texts["date_format"].format(
            year=moment.year,
            month_name=texts["month_names"][moment.month - 1],
            day=moment.day,
            hh=f"{moment.hour:02d}",
            mm=f"{moment.minute:02d}",
        )
    )


def unspaced(text: str) -> str:
    """Return `text` without spaces: the test parser puts one between an element and its text."""
    return "".join(text.split())


def ends_of(outcome: Any, kind: str) -> str:
    [measure] = [m for m in outcome.decision.measures if m.type == kind]
    return str(measure.ends_at)


def withdraw(client: Client, **fields: str) -> Any:
    return client.http.post(
        "/status/withdrawal", headers=FORM_POST, body=urllib.parse.urlencode(fields)
    )


# The poster's notice


def test_the_poster_reads_what_was_blocked_why_and_until_when_in_korean(client: Client) -> None:
    _, link, outcome = blocked_case(client)
    response = client.http.get(f"{link}&lang=ko")
    assert response.status_code == 200
    assert html_lang(response) == "ko"
    text = page_of(response).text
    assert "권리침해 신고에 따른 조치 안내" in text
    assert "오픈채팅 그룹채팅방 공지·일정·투표 게시판" in text
    assert "https://open.kakao.com/o/gABCDEF" in text
    assert "게시물 접근 차단(임시조치)" in text
    assert "임시조치는 최대 30일 동안 유지됩니다" in text
    assert unspaced(f"{in_words(ends_of(outcome, 'block_content'), 'ko')}까지") in unspaced(text)
    assert "오픈채팅 이용 제한" in text
    assert unspaced(f"{in_words(ends_of(outcome, 'restrict_user'), 'ko')}까지") in unspaced(text)
    assert "불법 정보" in text
    assert "관련 법령 Network Act art. 44-2" in text
    assert FACTS in text
    assert "담당자가 직접 검토해 결정했습니다" in text
    assert "조치 중" in text
    assert "게시물을 다시 게시해 달라고 요청할 수 있습니다" in text
    assert "기간 안에 요청하지 않으면 임시조치 기간이 끝날 때 게시물이 삭제됩니다" in text
    assert "재게시 요청 보내기" in text
    assert "이용 제한이 부당하다고 생각하면 이의를 제기해" in text
    assert "방송통신심의위원회" in text
    assert "법원" in text


def test_the_poster_reads_the_notice_in_english(client: Client) -> None:
    _, link, outcome = blocked_case(client)
    response = client.http.get(link, headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert html_lang(response) == "en"
    text = page_of(response).text
    assert "Rights Infringement Notice" in text
    assert "Announcement, schedule or voting board in an Open Chat group room" in text
    assert "Access blocked (temporary measure)" in text
    assert "A temporary measure lasts at most 30 days" in text
    assert f"until {in_words(ends_of(outcome, 'block_content'), 'en')}" in text
    assert "Restricted from Open Chat" in text
    assert f"until {in_words(ends_of(outcome, 'restrict_user'), 'en')}" in text
    assert "Illegal content" in text
    assert "Law relied on Network Act art. 44-2" in text
    assert FACTS in text
    assert "you can request that the content be re-posted" in text
    assert "Send re-posting request" in text
    assert "Korea Communications Standards Commission" in text
    assert "court" in text
    assert "권리침해" not in text


def test_the_content_address_is_shown_as_text_not_as_a_link(client: Client) -> None:
    _, link, _ = blocked_case(client)
    page = page_of(client.http.get(link))
    assert "open.kakao.com" not in " ".join(a.get("href", "") for a in page.all("a"))
    assert page.by_id("content-url")


def test_the_notice_never_shows_the_reviewers_note(client: Client) -> None:
    _, link, _ = blocked_case(client, note=NOTE)
    assert NOTE not in body_of(client.http.get(link))


def test_a_policy_ground_is_named_as_such(client: Client) -> None:
    receipt = open_case(client)
    decide(
        receipt["case_id"],
        {"type": "delete_content"},
        ground="incompatible_content",
        legal_ground=None,
        policy_ground="Operation Policy: Protect User Rights",
    )
    text = page_of(client.http.get(f"{notice_path(receipt['case_id'])}&lang=ko")).text
    assert "게시물 삭제" in text
    assert "운영정책 위반" in text
    assert "관련 정책 Operation Policy: Protect User Rights" in text
    # Only a temporary block can be followed by a request to re-post.
    assert "다시 게시해 달라고 요청할 수 있습니다" not in text
    assert "이의를 제기해" not in text
    assert "방송통신심의위원회" in text


def wrong(link: str, how: str) -> str:
    """Return the notice link spoiled in one way."""
    path, _, query = link.partition("?")
    spoiled = {
        "wrong token": f"{path}?{query.replace('token=', 'token=x')}",
        "no token": path,
        "empty token": f"{path}?token=",
        "unknown case": f"/notices/01JDXYZ0000000000000000000?{query}",
        "malformed case": f"/notices/{path.rsplit('/', 1)[1][:-1]}?{query}",
    }
    return spoiled[how]


@pytest.mark.parametrize(
    "how", ["wrong token", "no token", "empty token", "unknown case", "malformed case"]
)
def test_a_wrong_link_gets_the_same_not_found_page(client: Client, how: str) -> None:
    _, link, _ = blocked_case(client)
    spoiled = wrong(link, how)
    response = client.http.get(spoiled, headers={"Accept-Language": "ko"})
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    text = page_of(response).text
    assert "이 링크는 유효하지 않습니다" in text
    assert FACTS not in text and "차단" not in text
    english = client.http.get(spoiled, headers={"Accept-Language": "en"})
    assert english.status_code == 404
    assert "This link is not valid" in page_of(english).text


def test_every_wrong_link_reads_the_same(client: Client) -> None:
    _, link, _ = blocked_case(client)
    wrong_token = page_of(client.http.get(link.replace("token=", "token=x"))).text
    unknown_case = page_of(client.http.get("/notices/01JDXYZ0000000000000000000?token=x")).text
    assert wrong_token == unknown_case


@pytest.mark.parametrize("valid", [True, False])
def test_the_notice_is_never_stored_indexed_or_referred(client: Client, valid: bool) -> None:
    _, link, _ = blocked_case(client)
    response = client.http.get(link if valid else link.replace("token=", "token=x"))
    assert response.status_code == (200 if valid else 404)
    assert response.headers["Content-Security-Policy"] == expected_csp()
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Robots-Tag"] == "noindex"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    page = page_of(response)
    metas = {m.get("name"): m.get("content") for m in page.all("meta")}
    assert metas["robots"] == "noindex"
    assert metas["referrer"] == "no-referrer"


def test_the_language_switch_keeps_the_notice_token(client: Client) -> None:
    receipt, link, _ = blocked_case(client)
    token = urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)["token"][0]
    links = page_of(client.http.get(link)).all("a")
    switch = {a["hreflang"]: a["href"] for a in links if "hreflang" in a}
    assert switch["en"] == f"/notices/{receipt['case_id']}?token={token}&lang=en"
    assert switch["ko"] == f"/notices/{receipt['case_id']}?token={token}&lang=ko"


def test_the_notice_has_no_inline_code(client: Client) -> None:
    _, link, _ = blocked_case(client)
    html = body_of(client.http.get(link))
    page = Page(html)
    assert "<style" not in html
    assert not [a for _, a in page.elements if "style" in a]
    assert not [a for _, a in page.elements if any(name.startswith("on") for name in a)]
    scripts = [s.get("src", "").split("?")[0] or s["type"] for s in page.all("script")]
    assert scripts == ["application/json", "/assets/forms.js", "/assets/notice.js"]


# Decisions on the status page


def test_the_claimant_reads_the_decision_and_its_public_reasons_in_korean(client: Client) -> None:
    receipt, _, outcome = blocked_case(client, note=NOTE)
    response = ask_status(
        client, case_id=receipt["case_id"], receipt_token=receipt["receipt_token"], lang="ko"
    )
    assert response.status_code == 200
    text = page_of(response).text
    assert "조치됨" in text
    assert f"{in_words(outcome.decision.decided_at, 'ko')} 결정" in text
    until = in_words(ends_of(outcome, "block_content"), "ko")
    assert unspaced(f"접근 차단(임시조치) {until}까지") in unspaced(text)
    assert "게시자의 오픈채팅 이용 제한" in text
    assert "판단 근거 불법 정보" in text
    assert "관련 법령 Network Act art. 44-2" in text
    assert FACTS in text
    assert "게시자는 임시조치 기간 동안 재게시를 요청할 수 있으며" in text
    assert "방송통신심의위원회에 심의를 신청할 수 있습니다" in text
    assert "법원에 소송을 제기해" in text
    assert "아직 내려진 결정이 없습니다" not in text
    assert NOTE not in body_of(response)


def test_the_claimant_reads_the_decision_in_english(client: Client) -> None:
    receipt, _, outcome = blocked_case(client, note=NOTE)
    response = ask_status(
        client, case_id=receipt["case_id"], receipt_token=receipt["receipt_token"], lang="en"
    )
    text = page_of(response).text
    assert "Action taken" in text
    assert f"Decision of {in_words(outcome.decision.decided_at, 'en')}" in text
    assert (
        f"Access blocked (temporary measure) until "
        f"{in_words(ends_of(outcome, 'block_content'), 'en')}"
    ) in text
    assert "Poster restricted from Open Chat" in text
    assert "Ground Illegal content" in text
    assert FACTS in text
    assert "The poster may request re-posting while the temporary measure lasts" in text
    assert "Korea Communications Standards Commission" in text
    assert NOTE not in body_of(response)


def test_a_rejection_gives_its_reason(client: Client) -> None:
    receipt = open_case(client)
    decide(receipt["case_id"], {"type": "reject", "reason": "insufficient_evidence"})
    text = page_of(
        ask_status(
            client, case_id=receipt["case_id"], receipt_token=receipt["receipt_token"], lang="ko"
        )
    ).text
    assert "조치하지 않음" in text
    assert "조치하지 않은 이유 권리침해 여부를 판단하기에는 소명 자료가 부족합니다." in text
    assert "판단 근거" not in text
    assert "방송통신심의위원회" in text


@pytest.mark.parametrize("status", list(CaseStatus))
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_status_is_told_in_words(
    client: Client, monkeypatch: pytest.MonkeyPatch, status: CaseStatus, lang: str
) -> None:
    receipt = open_case(client)
    intake = wiring.intake()
    view = intake.claimant_view(receipt["case_id"], receipt["receipt_token"])
    shown = view.model_copy(update={"status": status})
    monkeypatch.setattr(intake, "claimant_view", lambda *_: shown)
    monkeypatch.setattr(intake, "session_view", lambda *_: shown)  # at the status address
    response = ask_status(
        client, case_id=receipt["case_id"], receipt_token=receipt["receipt_token"], lang=lang
    )
    page = page_of(response)
    words = TEXTS[lang]["statuses"][status.value]
    assert page.text.count(words["label"]) >= 1
    assert words["explanation"] in page.text
    undecided = status in {"received", "in_review", "information_requested"}
    assert bool([e for e in page.elements if e[1].get("id") == "withdrawal"]) == undecided


# Answering a request for information


def ask_for_information(client: Client, due_days: int = 7) -> tuple[dict[str, Any], Any]:
    receipt = open_case(client)
    outcome = decide(
        receipt["case_id"],
        {
            "type": "request_information",
            "message": "Please send a document that shows the address is yours.",
            "due_days": due_days,
        },
    )
    return receipt, outcome


def test_a_request_for_information_shows_the_message_the_deadline_and_a_form(
    client: Client,
) -> None:
    receipt, outcome = ask_for_information(client)
    response = ask_status(
        client, case_id=receipt["case_id"], receipt_token=receipt["receipt_token"], lang="ko"
    )
    page = page_of(response)
    assert "추가 자료 요청" in page.text
    assert "추가 자료를 보내 주세요" in page.text
    assert "Please send a document that shows the address is yours." in page.text
    [asked] = outcome.decision.measures
    assert f"답변 기한 {in_words(str(asked.ends_at), 'ko')}" in page.text
    assert page.by_id("answer-statement")["maxlength"] == "5000"
    evidence = page.by_id("answer-evidence")
    assert "required" not in evidence and "multiple" in evidence
    assert "disabled" in page.by_id("submit-answer")
    assert "(선택)" in page.text
    # Asking for more decides nothing yet, so there is no redress to offer against it.
    assert "방송통신심의위원회" not in page.text


def test_the_answer_script_gets_its_words_but_the_token_stays_in_the_page(client: Client) -> None:
    receipt, _ = ask_for_information(client)
    response = ask_status(
        client, case_id=receipt["case_id"], receipt_token=receipt["receipt_token"], lang="en"
    )
    page = page_of(response)
    config = json.loads(page.script_text["answer-config"])
    assert config["informationUrl"] == f"/v1/reports/{receipt['case_id']}/information"
    assert config["uploadsUrl"] == "/v1/uploads"
    assert config["maxFiles"] == 10
    assert config["messages"]["errors"]["statement|string_too_short"]["other"] == (
        "Write at least {min} characters."
    )
    assert config["messages"]["errors"]["claimant.name|missing"]
    assert receipt["receipt_token"] not in page.script_text["answer-config"]
    refresh = page.by_id("status-refresh")
    assert (refresh["method"], refresh["action"]) == ("post", "/status")
    # The page's forms carry a proof of the case in hidden fields, never the token itself.
    assert receipt["receipt_token"] not in response.body.decode()
    holders = [i for i in page.all("input") if i.get("name") == "receipt_token"]
    assert holders and {i["type"] for i in holders} == {"hidden"}
    scripts = [s["src"].split("?")[0] for s in page.all("script") if "src" in s]
    assert scripts == ["/assets/forms.js", "/assets/status.js"]
    assert response.headers["Cache-Control"] == "no-store"
    assert "?" not in page.by_id("status-refresh")["action"]


def test_an_answer_puts_the_case_back_in_review_and_the_page_says_so(client: Client) -> None:
    receipt, _ = ask_for_information(client)
    evidence = upload(client, PNG, "image/png", "lease.png")
    answered = post_json(
        client,
        f"/v1/reports/{receipt['case_id']}/information",
        {"statement": ANSWER, "evidence": [evidence]},
        {"X-Receipt-Token": receipt["receipt_token"]},
    )
    assert answered.status_code == 200, answered.body
    response = ask_status(
        client,
        case_id=receipt["case_id"],
        receipt_token=receipt["receipt_token"],
        lang="ko",
        answered="1",
    )
    page = page_of(response)
    assert page.by_id("status-flash")["role"] == "status"
    assert "답변을 보냈습니다. 담당자가 다시 검토합니다." in page.text
    assert "검토 중" in page.text
    assert "lease.png" in page.text
    assert not [e for e in page.elements if e[1].get("id") == "answer-form"]


def test_the_answered_note_shows_only_when_the_case_is_back_in_review(client: Client) -> None:
    receipt, _ = ask_for_information(client)
    page = page_of(
        ask_status(
            client,
            case_id=receipt["case_id"],
            receipt_token=receipt["receipt_token"],
            answered="1",
        )
    )
    assert "답변을 보냈습니다" not in page.text


def test_after_the_deadline_the_form_gives_way_to_a_note(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    receipt, _ = ask_for_information(client, due_days=1)
    later = datetime.now(UTC) + timedelta(days=2)
    monkeypatch.setattr(wiring.intake(), "clock", lambda: later)
    page = page_of(
        ask_status(client, case_id=receipt["case_id"], receipt_token=receipt["receipt_token"])
    )
    assert "답변 기한이 지나 이 요청에는 더 이상 답변할 수 없습니다" in page.text
    assert not [e for e in page.elements if e[1].get("id") == "answer-form"]
    assert not page.all("script")


# Withdrawal


def test_the_withdrawal_form_posts_the_case_without_javascript(client: Client) -> None:
    receipt = open_case(client)
    page = page_of(
        ask_status(client, case_id=receipt["case_id"], receipt_token=receipt["receipt_token"])
    )
    [form] = [
        a for t, a in page.elements if t == "form" and a.get("action") == "/status/withdrawal"
    ]
    assert form["method"] == "post"
    assert page.by_id("withdraw-confirm")["type"] == "checkbox"
    assert {label["for"] for label in page.all("label")} >= {"withdraw-confirm"}
    assert not page.all("script")


def test_the_claimant_withdraws_an_undecided_case(client: Client) -> None:
    receipt = open_case(client)
    response = withdraw(
        client,
        case_id=receipt["case_id"],
        receipt_token=receipt["receipt_token"],
        confirm="yes",
        lang="ko",
    )
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = page_of(response)
    assert "신고를 취하했습니다." in page.text
    assert page.text.count("취하됨") == 1
    assert "결정이 내려지기 전에 끝난 사건입니다" in page.text
    assert "아직 내려진 결정이 없습니다" not in page.text
    assert not [e for e in page.elements if e[1].get("id") == "withdrawal"]
    again = page_of(
        ask_status(client, case_id=receipt["case_id"], receipt_token=receipt["receipt_token"])
    )
    assert "취하됨" in again.text


def test_withdrawal_needs_the_confirmation(client: Client) -> None:
    receipt = open_case(client)
    response = withdraw(
        client, case_id=receipt["case_id"], receipt_token=receipt["receipt_token"], lang="en"
    )
    assert response.status_code == 422
    page = page_of(response)
    assert "To withdraw, first tick the box below." in page.text
    assert page.by_id("withdraw-confirm")["aria-invalid"] == "true"
    assert "autofocus" in page.by_id("withdraw-confirm")
    assert "Received" in page.text


def test_a_decided_case_can_no_longer_be_withdrawn(client: Client) -> None:
    receipt, _, _ = blocked_case(client)
    response = withdraw(
        client,
        case_id=receipt["case_id"],
        receipt_token=receipt["receipt_token"],
        confirm="yes",
        lang="ko",
    )
    assert response.status_code == 409
    page = page_of(response)
    assert page.by_id("status-flash")["role"] == "alert"
    assert "그사이 결정이 내려져 신고를 취하할 수 없습니다" in page.text
    assert "조치됨" in page.text
    assert not [e for e in page.elements if e[1].get("id") == "withdrawal"]


def test_a_withdrawn_case_is_not_withdrawn_twice(client: Client) -> None:
    receipt = open_case(client)
    fields = {
        "case_id": receipt["case_id"],
        "receipt_token": receipt["receipt_token"],
        "confirm": "yes",
        "lang": "en",
    }
    assert withdraw(client, **fields).status_code == 200
    response = withdraw(client, **fields)
    assert response.status_code == 409
    assert "This report was already withdrawn." in page_of(response).text


def test_a_withdrawal_that_loses_a_race_says_to_try_again(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    receipt = open_case(client)

    def changed_meanwhile(case_id: str, receipt_token: str | None, key: str | None) -> None:
        raise Conflict("The case changed while your request was handled.")

    monkeypatch.setattr(wiring.intake(), "withdraw", changed_meanwhile)
    response = withdraw(
        client, case_id=receipt["case_id"], receipt_token=receipt["receipt_token"], confirm="yes"
    )
    assert response.status_code == 409
    page = page_of(response)
    assert "그사이 사건 상태가 바뀌었습니다" in page.text
    assert page.by_id("withdrawal")


def test_a_wrong_token_cannot_withdraw(client: Client) -> None:
    receipt = open_case(client)
    response = withdraw(client, case_id=receipt["case_id"], receipt_token="nope", confirm="yes")
    assert response.status_code == 404
    assert "사건 번호와 접수 토큰이 일치하는 신고를 찾지 못했습니다" in page_of(response).text
    status = page_of(
        ask_status(client, case_id=receipt["case_id"], receipt_token=receipt["receipt_token"])
    )
    assert "접수됨" in status.text


def test_a_withdrawal_must_be_a_form_post(client: Client) -> None:
    response = post_json(client, "/status/withdrawal", {"case_id": "x", "receipt_token": "y"})
    assert response.status_code == 415


def test_a_withdrawal_without_a_case_names_the_missing_fields(client: Client) -> None:
    response = withdraw(client, confirm="yes", lang="en")
    assert response.status_code == 422
    page = page_of(response)
    assert page.by_id("case-id-error")
    assert page.by_id("receipt-token-error")


def test_every_control_of_the_answer_and_withdrawal_forms_has_a_label(client: Client) -> None:
    receipt, _ = ask_for_information(client)
    page = page_of(
        ask_status(client, case_id=receipt["case_id"], receipt_token=receipt["receipt_token"])
    )
    labelled = {label["for"] for label in page.all("label")}
    controls = [
        attributes
        for tag, attributes in page.elements
        if tag in ("select", "textarea")
        or (tag == "input" and attributes.get("type") not in ("hidden", "submit", "button"))
    ]
    assert {c["id"] for c in controls} == {
        "answer-statement",
        "answer-evidence",
        "withdraw-confirm",
    }
    assert {c["id"] for c in controls} <= labelled
    ids = {attributes["id"] for _, attributes in page.elements if "id" in attributes}
    for _, attributes in page.elements:
        for described in attributes.get("aria-describedby", "").split():
            assert described in ids


def test_a_failing_store_shows_the_poster_a_page_not_a_stack_trace(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unavailable(case_id: str, notice_token: str | None) -> None:
        raise RuntimeError(f"table down while reading {case_id} with {notice_token}")

    monkeypatch.setattr(wiring.review(), "notice", unavailable)
    response = client.http.get("/notices/01JDXYZ0000000000000000000?token=secret-token")
    assert response.status_code == 500
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-store"
    assert "지금은 안내를 보여 드릴 수 없습니다" in page_of(response).text
    assert "table down" not in body_of(response)


def test_a_failing_withdrawal_shows_a_page_not_a_stack_trace(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    receipt = open_case(client)

    def unavailable(case_id: str, receipt_token: str | None) -> None:
        raise RuntimeError("table down")

    monkeypatch.setattr(wiring.intake(), "withdraw", unavailable)
    response = withdraw(
        client, case_id=receipt["case_id"], receipt_token=receipt["receipt_token"], confirm="yes"
    )
    assert response.status_code == 500
    # The withdrawal may have been made all the same: the page must not say it failed.
    assert "취하가 처리되었는지 지금은 알 수 없습니다" in page_of(response).text
    assert "table down" not in body_of(response)


# The poster's re-posting request and appeals on the notice page

DELETE = {"type": "delete_content"}
RESTRICT_ROOM = {"type": "restrict_room", "days": 7}
RESTRICT_KAKAOTALK = {"type": "restrict_user", "service": "kakaotalk", "days": 7}
REPOSTING = "이 사진은 제가 직접 찍었고, 게시물 어디에도 신고인의 주소는 나오지 않습니다."
APPEAL = "I did not write the announcement; another member of the room posted it from my phone."


def token_of(link: str) -> str:
    return urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)["token"][0]


def request_reposting(
    client: Client, case_id: str, token: str, evidence: list[str] | None = None
) -> Any:
    response = post_json(
        client,
        f"/v1/notices/{case_id}/reposting-requests",
        {"statement": REPOSTING, "evidence": evidence or []},
        {"X-Notice-Token": token},
    )
    assert response.status_code == 201, response.body
    return response.json_body


def restriction_of(case_id: str, token: str) -> str:
    [measure_id] = [
        m.measure_id
        for m in build(Review).notice(case_id, token).measures
        if m.type == "restrict_user"
    ]
    return measure_id


def post_form(client: Client, path: str, **fields: str) -> Any:
    return client.http.post(path, headers=FORM_POST, body=urllib.parse.urlencode(fields))


def ids_of(page: Page, tag: str, css_class: str) -> list[str]:
    return [a["id"] for t, a in page.elements if t == tag and css_class in a.get("class", "")]


def has_id(page: Page, element_id: str) -> bool:
    return any(a.get("id") == element_id for _, a in page.elements)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_poster_may_request_reposting_and_appeal_the_restriction(
    client: Client, lang: str
) -> None:
    receipt, link, _ = blocked_case(client)
    case_id, token = receipt["case_id"], token_of(link)
    response = client.http.get(f"{link}&lang={lang}")
    page = page_of(response)
    words = TEXTS[lang]
    form = page.by_id("reposting-form")
    assert (form["method"], form["action"]) == ("post", f"/notices/{case_id}/reposting-request")
    assert words["notice_reposting_form_title"] in page.text
    assert words["notice_reposting_submit"] in page.text
    assert page.by_id("reposting-statement")["maxlength"] == "5000"
    evidence = page.by_id("reposting-evidence")
    assert "multiple" in evidence and "required" not in evidence
    # Files need notice.js: without it the picker stays hidden and the request goes without them.
    assert "hidden" in page.by_id("reposting-files")
    assert len(ids_of(page, "form", "appeal-form")) == 1
    measure_ids = [i["value"] for i in page.all("input") if i.get("name") == "measure_id"]
    assert measure_ids == [restriction_of(case_id, token)]
    restricted = words["notice_measures"]["restrict_user_open_chat"]["label"]
    assert words["notice_appeal_form_title"].format(measure=restricted) in page.text
    # The token reaches notice.js only through hidden fields of this never-stored page.
    holders = [i for i in page.all("input") if i.get("value") == token]
    assert holders and {(i["type"], i["name"]) for i in holders} == {("hidden", "notice_token")}
    config = json.loads(page.script_text["notice-config"])
    assert config["repostingUrl"] == f"/v1/notices/{case_id}/reposting-requests"
    assert config["appealsUrl"] == f"/v1/notices/{case_id}/appeals"
    assert config["uploadsUrl"] == "/v1/uploads"
    assert config["messages"]["errors"]["statement|string_too_short"]
    assert token not in page.script_text["notice-config"]
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("measures", "reposting", "appeals"),
    [
        ([BLOCK], True, 0),
        ([DELETE], False, 0),
        ([RESTRICT_OPEN_CHAT], False, 1),
        ([DELETE, RESTRICT_ROOM, RESTRICT_KAKAOTALK], False, 2),
    ],
)
def test_the_forms_appear_only_for_what_may_be_asked(
    client: Client, measures: list[dict[str, Any]], reposting: bool, appeals: int
) -> None:
    receipt = open_case(client)
    decide(receipt["case_id"], *measures)
    page = page_of(client.http.get(notice_path(receipt["case_id"])))
    assert has_id(page, "reposting-form") == reposting
    assert len(ids_of(page, "form", "appeal-form")) == appeals
    assert has_id(page, "appeal") == bool(appeals)
    # Nothing to send, nothing to run.
    assert bool(page.all("script")) == (reposting or bool(appeals))


def test_a_restriction_past_its_end_is_not_offered_for_appeal(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, link, _ = blocked_case(client)
    later = datetime.now(UTC) + timedelta(days=20)
    monkeypatch.setattr(wiring.review(), "clock", lambda: later)
    page = page_of(client.http.get(link))
    assert ids_of(page, "form", "appeal-form") == []
    assert has_id(page, "reposting-form")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_after_a_request_the_notice_shows_it_instead_of_the_form(client: Client, lang: str) -> None:
    receipt, link, _ = blocked_case(client)
    case_id, token = receipt["case_id"], token_of(link)
    evidence = upload(client, PNG, "image/png", "my-own-photo.png")
    sent = request_reposting(client, case_id, token, [evidence])
    assert sent["reposting_request_possible"] is False
    page = page_of(client.http.get(f"{link}&lang={lang}"))
    words = TEXTS[lang]
    assert not has_id(page, "reposting-form")
    assert words["notice_statuses"]["reposting_requested"]["label"] in page.text
    assert words["reposting_request_title"] in page.text
    requested_at = page.by_id("reposting-requested-at")["datetime"]
    assert requested_at == sent["reposting_request"]["requested_at"]
    assert in_words(requested_at, lang) in page.text
    assert REPOSTING in page.text
    assert "my-own-photo.png" in page.text
    assert words["reposting_outcomes"]["pending"] in page.text
    # The restriction can still be appealed on its own.
    assert len(ids_of(page, "form", "appeal-form")) == 1


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_claimant_reads_the_posters_request_and_where_else_to_go(
    client: Client, lang: str
) -> None:
    receipt, link, _ = blocked_case(client)
    evidence = upload(client, PNG, "image/png", "my-own-photo.png")
    sent = request_reposting(client, receipt["case_id"], token_of(link), [evidence])
    response = ask_status(
        client, case_id=receipt["case_id"], receipt_token=receipt["receipt_token"], lang=lang
    )
    page = page_of(response)
    words = TEXTS[lang]
    assert words["statuses"]["reposting_requested"]["label"] in page.text
    assert words["claimant_reposting_title"] in page.text
    intro = words["claimant_reposting_intro"].format(
        date=in_words(sent["reposting_request"]["requested_at"], lang)
    )
    assert unspaced(intro) in unspaced(page.text)
    assert REPOSTING in page.text
    assert words["claimant_reposting_outcomes"]["pending"] in page.text
    commission = {
        "ko": "방송통신심의위원회에 심의를 신청하거나 법원에 소송을 제기해 다툴 수 있습니다",
        "en": "Korea Communications Standards Commission (방송통신심의위원회) or to a court",
    }
    assert commission[lang] in page.text
    # The poster's files are the reviewer's to read, not the claimant's.
    assert "my-own-photo.png" not in body_of(response)


@pytest.mark.parametrize(
    ("outcome", "referral"), [("uphold", "kcsc"), ("uphold", "court"), ("reinstate", "none")]
)
def test_a_decided_request_shows_its_outcome_to_both_sides(
    client: Client, outcome: str, referral: str
) -> None:
    receipt, link, _ = blocked_case(client)
    case_id, token = receipt["case_id"], token_of(link)
    request_reposting(client, case_id, token)
    build(Review).decide_reposting(
        case_id,
        {
            "expected_version": 3,
            "outcome": outcome,
            "referral": referral,
            "reasons": {"facts": "The photograph was taken by the poster in a public place."},
        },
        REVIEWER,
        BASE,
    )
    found = build(Review).notice(case_id, token)
    assert found.reposting_request is not None
    decided = str(found.reposting_request.decided_at)
    notice = page_of(client.http.get(f"{link}&lang=en")).text
    status = page_of(
        ask_status(client, case_id=case_id, receipt_token=receipt["receipt_token"], lang="ko")
    ).text
    if outcome == "uphold":
        assert "Measure upheld" in notice
        assert unspaced(f"Decided on {in_words(decided, 'en')}: the measure stays") in unspaced(
            notice
        )
        assert f"Referred to {TEXTS['en']['referrals'][referral]}" in notice
        assert "the content will be deleted when the temporary measure ends" in notice
        assert "조치 유지" in status
        assert unspaced(f"{in_words(decided, 'ko')}에 조치를 유지하기로") in unspaced(status)
        assert f"회부 {TEXTS['ko']['referrals'][referral]}" in status
    else:
        assert "Re-posted" in notice
        assert f"re-posted on {in_words(decided, 'en')}" in notice
        assert "The re-posting request was granted and the content was re-posted." in notice
        assert "Referred to" not in notice
        assert "재게시됨" in status
        assert "재게시 요청을 받아들여 게시물을 다시 게시했습니다." in status
        assert "회부" not in status


def test_a_block_that_ends_without_a_request_reads_as_deleted(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chalicelib.services.timers import Timers

    receipt, link, outcome = blocked_case(client)
    later = datetime.now(UTC) + timedelta(days=31)
    assert build(Timers, clock=lambda: later).run(BASE).changed == 1
    monkeypatch.setattr(wiring.review(), "clock", lambda: later)
    monkeypatch.setattr(wiring.intake(), "clock", lambda: later)
    block_end = ends_of(outcome, "block_content")
    restriction_end = ends_of(outcome, "restrict_user")

    notice = page_of(client.http.get(f"{link}&lang=en"))
    assert "Closed" in notice.text
    assert f"ended on {in_words(block_end, 'en')}" in notice.text
    assert "No re-posting was requested in time, so the content was deleted." in notice.text
    assert f"ended on {in_words(restriction_end, 'en')}" in notice.text
    assert "The restriction has run its course." in notice.text
    assert not has_id(notice, "reposting-form")
    assert ids_of(notice, "form", "appeal-form") == []

    status = page_of(
        ask_status(
            client, case_id=receipt["case_id"], receipt_token=receipt["receipt_token"], lang="ko"
        )
    ).text
    assert "종결" in status
    assert unspaced(f"{in_words(block_end, 'ko')}에 종료") in unspaced(status)
    assert "기간 안에 재게시 요청이 없어 게시물을 삭제했습니다." in status


def test_a_restriction_lifted_on_appeal_reads_so_on_both_sides(client: Client) -> None:
    receipt, link, _ = blocked_case(client)
    case_id, token = receipt["case_id"], token_of(link)
    measure_id = restriction_of(case_id, token)
    filed = post_json(
        client,
        f"/v1/notices/{case_id}/appeals",
        {"measure_id": measure_id, "statement": APPEAL},
        {"X-Notice-Token": token},
    )
    assert filed.status_code == 201, filed.body
    waiting = page_of(client.http.get(f"{link}&lang=ko")).text
    [appealed] = [m for m in filed.json_body["measures"] if m["measure_id"] == measure_id]
    filed_at = in_words(appealed["appeal"]["filed_at"], "ko")
    assert unspaced(f"{filed_at}에 이의를 제기했습니다.") in unspaced(waiting)
    assert APPEAL in waiting
    assert "담당자가 검토하고 있습니다." in waiting
    assert "이의 제기 보내기" not in waiting

    build(Review).decide_appeal(
        case_id,
        {
            "expected_version": 3,
            "measure_id": measure_id,
            "outcome": "lift",
            "reasons": {"facts": "The post was written from a shared device by someone else."},
        },
        REVIEWER,
        BASE,
    )
    lifted = build(Review).notice(case_id, token).measures
    [appeal] = [m.appeal for m in lifted if m.measure_id == measure_id]
    assert appeal is not None and appeal.decided_at
    notice = page_of(client.http.get(f"{link}&lang=en")).text
    assert f"lifted on {in_words(appeal.decided_at, 'en')}" in notice
    decided = in_words(appeal.decided_at, "en")
    assert unspaced(f"Decided on {decided}: the restriction was lifted.") in unspaced(notice)
    response = ask_status(
        client, case_id=case_id, receipt_token=receipt["receipt_token"], lang="en"
    )
    status = page_of(response).text
    assert f"lifted on {in_words(appeal.decided_at, 'en')}" in status
    assert "The restriction was lifted on appeal." in status
    # What the restricted user wrote to appeal stays between them and the reviewer.
    assert APPEAL not in body_of(response)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_claimant_reads_where_each_measure_stands(client: Client, lang: str) -> None:
    receipt, _, outcome = blocked_case(client)
    page = page_of(
        ask_status(
            client, case_id=receipt["case_id"], receipt_token=receipt["receipt_token"], lang=lang
        )
    )
    words = TEXTS[lang]
    assert words["measures_now_title"] in page.text
    for kind, label in (
        ("block_content", words["measures"]["block_content"]),
        ("restrict_user", words["measures"]["restrict_user_open_chat"]),
    ):
        state = words["measure_states"]["in_force"].format(
            date=in_words(ends_of(outcome, kind), lang)
        )
        assert unspaced(f"{label} {state}") in unspaced(page.text)


# The poster's forms without JavaScript


def test_without_javascript_the_poster_requests_reposting_with_a_plain_form(
    client: Client,
) -> None:
    receipt, link, _ = blocked_case(client)
    case_id = receipt["case_id"]
    response = post_form(
        client,
        f"/notices/{case_id}/reposting-request",
        lang="ko",
        notice_token=token_of(link),
        statement=REPOSTING,
    )
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Security-Policy"] == expected_csp()
    assert response.headers["Referrer-Policy"] == "no-referrer"
    page = page_of(response)
    assert page.by_id("notice-flash")["role"] == "status"
    assert "재게시 요청을 보냈습니다." in page.text
    assert REPOSTING in page.text
    assert not has_id(page, "reposting-form")
    assert build(Review).notice(case_id, token_of(link)).status == CaseStatus.REPOSTING_REQUESTED


def test_a_refused_form_keeps_what_was_typed_and_says_why_next_to_it(client: Client) -> None:
    receipt, link, _ = blocked_case(client)
    response = post_form(
        client,
        f"/notices/{receipt['case_id']}/reposting-request",
        lang="en",
        notice_token=token_of(link),
        statement="Too short.",
    )
    assert response.status_code == 422
    page = page_of(response)
    statement = page.by_id("reposting-statement")
    assert statement["aria-invalid"] == "true"
    assert "autofocus" in page.by_id("reposting-error-summary")
    assert {"href": "#reposting-statement"} in page.all("a")
    assert "1 field needs attention" in page.text
    assert statement["aria-describedby"].split()[0] == "reposting-statement-error"
    assert "hidden" not in page.by_id("reposting-statement-error")
    assert "Write at least 20 characters." in page.text
    assert "Too short." in page.text
    assert "hidden" not in page.by_id("reposting-error-summary")
    assert not has_id(page, "notice-flash")


def test_without_javascript_the_poster_appeals_once(client: Client) -> None:
    receipt, link, _ = blocked_case(client)
    case_id, token = receipt["case_id"], token_of(link)
    fields = {
        "lang": "en",
        "notice_token": token,
        "measure_id": restriction_of(case_id, token),
        "statement": APPEAL,
    }
    response = post_form(client, f"/notices/{case_id}/appeal", **fields)
    assert response.status_code == 200
    page = page_of(response)
    assert "Your appeal was sent." in page.text
    assert APPEAL in page.text
    assert ids_of(page, "form", "appeal-form") == []
    again = post_form(client, f"/notices/{case_id}/appeal", **fields)
    assert again.status_code == 409
    refused = page_of(again)
    assert refused.by_id("notice-flash")["role"] == "alert"
    assert "This restriction was already appealed." in refused.text


def test_a_form_with_a_wrong_token_gets_the_not_found_page(client: Client) -> None:
    receipt, _, _ = blocked_case(client)
    response = post_form(
        client,
        f"/notices/{receipt['case_id']}/reposting-request",
        lang="en",
        notice_token="guess",
        statement=REPOSTING,
    )
    assert response.status_code == 404
    assert "This link is not valid" in page_of(response).text
    assert REPOSTING not in body_of(response)


def test_the_notice_shown_again_says_a_request_was_sent_only_once_it_was(client: Client) -> None:
    receipt, link, _ = blocked_case(client)
    case_id, token = receipt["case_id"], token_of(link)
    path = f"/notices/{case_id}"
    before = post_form(client, path, lang="ko", notice_token=token, sent="reposting")
    assert before.status_code == 200
    assert not has_id(page_of(before), "notice-flash")
    request_reposting(client, case_id, token)
    after = page_of(post_form(client, path, lang="ko", notice_token=token, sent="reposting"))
    assert "재게시 요청을 보냈습니다." in after.text
    assert REPOSTING in after.text


def test_an_oversized_notice_form_is_refused(client: Client) -> None:
    receipt, link, _ = blocked_case(client)
    response = post_form(
        client,
        f"/notices/{receipt['case_id']}/reposting-request",
        notice_token=token_of(link),
        statement="가" * 30_000,
    )
    assert response.status_code == 413
    assert "보낸 내용이 너무 깁니다" in page_of(response).text


def test_every_control_of_the_posters_forms_has_a_label(client: Client) -> None:
    _, link, _ = blocked_case(client)
    page = page_of(client.http.get(link))
    labelled = {label["for"] for label in page.all("label")}
    controls = [
        attributes
        for tag, attributes in page.elements
        if tag in ("select", "textarea")
        or (tag == "input" and attributes.get("type") not in ("hidden", "submit", "button"))
    ]
    assert {c["id"] for c in controls} == {
        "reposting-statement",
        "reposting-evidence",
        "appeal-1-statement",
    }
    assert {c["id"] for c in controls} <= labelled
    ids = {attributes["id"] for _, attributes in page.elements if "id" in attributes}
    for _, attributes in page.elements:
        for described in attributes.get("aria-describedby", "").split():
            assert described in ids


def test_a_plain_form_sent_twice_acts_once(client: Client) -> None:
    receipt, link, _ = blocked_case(client)
    case_id = receipt["case_id"]
    shown = page_of(client.http.get(notice_path_of(link)))
    keys = [i["value"] for i in shown.all("input") if i.get("name") == "idempotency_key"]
    assert len(keys) == len(set(keys)) >= 2  # a key of its own for each form on the page
    key = keys[0]  # the re-posting form's
    fields = {"lang": "en", "notice_token": token_of(link), "statement": REPOSTING}
    path = f"/notices/{case_id}/reposting-request"
    first = post_form(client, path, **fields, idempotency_key=key)
    again = post_form(client, path, **fields, idempotency_key=key)
    assert first.status_code == again.status_code == 200  # the reload is answered, not refused
    assert "Your re-posting request was sent." in page_of(again).text
    fresh = post_form(client, path, **fields)
    assert fresh.status_code == 409  # a new request: once per case
    actions = [e.action for e in Repository().case_events(case_id)]
    assert actions.count("reposting_requested") == 1


def notice_path_of(link: str) -> str:
    parts = urllib.parse.urlsplit(link)
    return f"{parts.path}?{parts.query}"


def test_the_json_notice_and_status_say_a_restriction_past_its_end_has_ended_before_the_timer(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    receipt, link, outcome = blocked_case(client)
    case_id, token = receipt["case_id"], token_of(link)
    later = datetime.now(UTC) + timedelta(days=20)  # past the restriction, within the block
    monkeypatch.setattr(wiring.review(), "clock", lambda: later)
    monkeypatch.setattr(wiring.intake(), "clock", lambda: later)
    notice = client.http.get(f"/v1/notices/{case_id}", headers={"X-Notice-Token": token})
    assert notice.status_code == 200, notice.body
    body = notice.json_body
    # The timer has not run: the record still says in force, the standing says what holds now.
    assert {m["state"] for m in body["measures"]} == {"in_force"}
    kinds = {m["measure_id"]: m["type"] for m in body["measures"]}
    standing = {kinds[s["measure_id"]]: (s["state"], s["note"]) for s in body["standings"]}
    assert standing == {
        "block_content": ("in_force", None),
        "restrict_user": ("ended", "restriction_ended"),
    }
    assert body["reposting_until"] == ends_of(outcome, "block_content")
    status = client.http.get(
        f"/v1/reports/{case_id}", headers={"X-Receipt-Token": receipt["receipt_token"]}
    )
    assert status.status_code == 200, status.body
    assert [s["state"] for s in status.json_body["standings"]] == ["in_force", "ended"]
