"""In a real browser: the claimant answers the poster's re-posting request on the status page, the
poster is told before sending who reads the statement, a broken notice link says what to do; each
state in Korean and in English, wide and narrow, with no WCAG A/AA violation axe-core finds."""

from __future__ import annotations

import os
import urllib.parse
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.localstack import RunningStack
from tests.test_browser import (  # noqa: F401  (fixtures)
    browser,
    check_status,
    decide_over_http,
    notice_url_of,
    open_tab,
    report_over_http,
)
from tests.test_console import require_axe, violations
from tests.test_console import sign_in as sign_in_console

pytestmark = [pytest.mark.browser, pytest.mark.e2e]
expect.set_options(timeout=15_000)

SHOTS = Path(os.environ.get("REPOSTING_SHOTS", "/tmp/shots-reposting"))
WIDTHS = (1280, 390)
FACTS = "The profile status message names the claimant and calls her a thief without any proof."
REPOSTING = "The status message names nobody; I ask for my profile to be shown again."
ANSWER = {
    "ko": "상태 메시지에 제 실명이 그대로 나옵니다. 계속 차단해 주시기 바랍니다.",
    "en": "The status message spells out my full name; please keep it blocked.",
}
WORDS = {
    "ko": {
        "locale": "ko-KR",
        "form_title": "게시자의 요청에 답변하기",
        "label": "답변",
        "readers": "게시자에게는 답변도, 신고인의 이름이나 연락처도 보이지 않습니다",
        "submit": "답변 보내기",
        "too_short": "답변을 20자 이상 5000자 이하로 적어 주세요.",
        "sent": "답변을 보냈습니다.",
        "poster_readers": "게시물을 신고한 사람이 신고 처리 상황 페이지와 메일로 이 의견을 읽고",
        "why": "링크를 복사하는 동안 잘리거나 바뀌었을 가능성이 큽니다",
        "step": "링크 전체를 복사해",
        "contact": "고객센터",
    },
    "en": {
        "locale": "en-GB",
        "form_title": "Answer the poster's request",
        "label": "Your answer",
        "readers": "The poster is not shown your answer, nor your name or contact details",
        "submit": "Send my answer",
        "too_short": "Write your answer in 20 to 5000 characters.",
        "sent": "Your answer was sent.",
        "poster_readers": "the person who reported the content reads your statement",
        "why": "The link was most likely cut or changed when it was copied",
        "step": "copy the whole link",
        "contact": "Customer service",
    },
}


def shoot(page: Page, name: str) -> None:
    """Take the page at each width the pages are checked at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=SHOTS / f"{name}-{width}.png", full_page=True)


def no_violations(page: Page, state: str) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert violations(page) == [], f"{state} at {width}"


def blocked(stack: RunningStack) -> tuple[str, str, str]:
    """A reported profile a reviewer blocked; return its id, receipt token and notice link."""
    case_id, receipt = report_over_http(stack)
    decide_over_http(
        stack,
        case_id,
        {
            "expected_version": 1,
            "measures": [{"type": "block_content", "days": 30}],
            "reasons": {
                "ground": "illegal_content",
                "legal_ground": "Network Act art. 44-2",
                "facts": FACTS,
            },
        },
    )
    return case_id, receipt, notice_url_of(stack, case_id)


def request_reposting(stack: RunningStack, case_id: str, notice_url: str) -> None:
    token = urllib.parse.parse_qs(urllib.parse.urlsplit(notice_url).query)["token"][0]
    sent = requests.post(
        stack.url(f"/v1/notices/{case_id}/reposting-requests"),
        json={"statement": REPOSTING, "evidence": []},
        headers={"X-Notice-Token": token, "Idempotency-Key": str(uuid.uuid4())},
        timeout=30,
    )
    assert sent.status_code == 201, sent.text


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_claimant_answers_the_reposting_request_and_reads_the_answer(
    open_tab: Callable[..., Page],  # noqa: F811 (the fixture imported above)
    local_stack: RunningStack,
    lang: str,
) -> None:
    require_axe()
    words = WORDS[lang]
    case_id, receipt, notice_url = blocked(local_stack)
    request_reposting(local_stack, case_id, notice_url)
    audit = open_tab(locale=words["locale"], bypass_csp=True)
    check_status(audit, case_id, receipt, lang)
    expect(audit.locator("#reposting-answer-form")).to_be_visible()
    no_violations(audit, "the answer form")

    page = open_tab(locale=words["locale"])
    check_status(page, case_id, receipt, lang)
    form = page.locator("#reposting-answer-form")
    expect(form.get_by_role("heading", name=words["form_title"])).to_be_visible()
    expect(page.locator("#reposting-statement")).to_have_text(REPOSTING)
    expect(form.locator("#reposting-answer-readers")).to_contain_text(words["readers"])
    shoot(page, f"status-reposting-answer-form-{lang}")
    statement = form.get_by_role("textbox", name=words["label"])
    statement.fill("짧음" if lang == "ko" else "Too short")
    form.get_by_role("button", name=words["submit"]).click()
    expect(page.locator("#reposting-answer-statement-error")).to_have_text(words["too_short"])
    expect(statement).to_have_attribute("aria-invalid", "true")
    expect(statement).to_be_focused()
    shoot(page, f"status-reposting-answer-refused-{lang}")

    statement.fill(ANSWER[lang])
    form.get_by_role("button", name=words["submit"]).click()
    expect(page.locator("#status-flash")).to_contain_text(words["sent"])
    expect(page.locator("#reposting-answer-sent")).to_have_text(ANSWER[lang])
    expect(page.locator("#reposting-answer-form")).to_have_count(0)
    expect(page.locator("#reposting-answer-readers-sent")).to_contain_text(words["readers"])
    shoot(page, f"status-reposting-answered-{lang}")

    check_status(audit, case_id, receipt, lang)
    expect(audit.locator("#reposting-answer-sent")).to_have_text(ANSWER[lang])
    no_violations(audit, "the answer sent")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_poster_is_told_the_claimant_reads_the_reposting_statement(
    open_tab: Callable[..., Page],  # noqa: F811 (the fixture imported above)
    local_stack: RunningStack,
    lang: str,
) -> None:
    require_axe()
    words = WORDS[lang]
    _, _, notice_url = blocked(local_stack)
    page = open_tab(locale=words["locale"])
    page.goto(notice_url)
    told = page.locator("#reposting-readers")
    expect(told).to_contain_text(words["poster_readers"])
    submit = page.locator("#submit-reposting")
    expect(submit).to_have_attribute("aria-describedby", "reposting-readers")
    # Told next to the button that sends it: the note is just above it, in the same form.
    note, button = told.bounding_box(), submit.bounding_box()
    assert note is not None and button is not None
    assert 0 <= button["y"] - (note["y"] + note["height"]) < 80
    shoot(page, f"notice-reposting-readers-{lang}")

    audit = open_tab(locale=words["locale"], bypass_csp=True)
    audit.goto(notice_url)
    no_violations(audit, "the notice's re-posting form")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_broken_notice_link_says_what_to_do(
    open_tab: Callable[..., Page],  # noqa: F811 (the fixture imported above)
    local_stack: RunningStack,
    lang: str,
) -> None:
    require_axe()
    words = WORDS[lang]
    _, _, notice_url = blocked(local_stack)
    cut = notice_url[: len(notice_url) - 10]  # the end of the link lost when it was copied
    page = open_tab(locale=words["locale"])
    answer = page.goto(cut)
    assert answer is not None and answer.status == 404
    assert answer.headers["referrer-policy"] == "no-referrer"
    assert answer.headers["x-robots-tag"] == "noindex"
    expect(page.locator("#notice-help-why")).to_contain_text(words["why"])
    expect(page.locator("#notice-help-steps")).to_contain_text(words["step"])
    contact = page.get_by_role("link", name=words["contact"])
    expect(contact).to_have_attribute("href", "https://cs.kakao.com")
    shoot(page, f"notice-broken-link-{lang}")

    audit = open_tab(locale=words["locale"], bypass_csp=True)
    audit.goto(cut)
    no_violations(audit, "the broken notice link")


def answer_over_http(stack: RunningStack, case_id: str, receipt: str, statement: str) -> None:
    sent = requests.post(
        stack.url(f"/v1/reports/{case_id}/reposting-answer"),
        json={"statement": statement},
        headers={"X-Receipt-Token": receipt, "Idempotency-Key": str(uuid.uuid4())},
        timeout=30,
    )
    assert sent.status_code == 201, sent.text


@pytest.mark.parametrize(
    ("lang", "title"),
    [
        ("en", "The claimant's answer to the re-posting request"),
        ("ko", "재게시 요청에 대한 신고인의 답변"),
    ],
)
def test_the_reviewer_reads_the_answer_beside_the_reposting_request(
    open_tab: Callable[..., Page],  # noqa: F811 (the fixture imported above)
    local_stack: RunningStack,
    lang: str,
    title: str,
) -> None:
    require_axe()
    case_id, receipt, notice_url = blocked(local_stack)
    request_reposting(local_stack, case_id, notice_url)
    answer_over_http(local_stack, case_id, receipt, ANSWER[lang])
    page = open_tab()
    sign_in_console(page, local_stack, "reviewer", lang)
    page.goto(f"/console?lang={lang}#/cases/{case_id}")
    remedy = page.locator("#h-remedy").locator("xpath=..")
    expect(remedy).to_contain_text(REPOSTING)
    expect(remedy.locator("#reposting-answer")).to_contain_text(title)
    expect(remedy.locator("#reposting-answer")).to_contain_text(ANSWER[lang])
    shoot(page, f"console-reposting-answer-{lang}")

    audit = open_tab(bypass_csp=True)
    sign_in_console(audit, local_stack, "reviewer", lang)
    audit.goto(f"/console?lang={lang}#/cases/{case_id}")
    expect(audit.locator("#reposting-answer")).to_contain_text(ANSWER[lang])
    no_violations(audit, "the console's case page")
