"""Every state of the public pages, in Korean and English: no WCAG 2.1 A or AA violation that
axe-core finds, at a desktop and a phone width, and no sideways scrolling down to 320 px."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from tests.localstack import RunningStack
from tests.test_browser import (
    FACTS,
    REFUSED_REQUEST,
    browser,
    check_status,
    decide_over_http,
    files,
    notice_url_of,
    report_over_http,
    upload_and_wait,
)
from tests.test_console import AXE, require_axe, violations

__all__ = ["browser", "files"]  # fixtures of tests/test_browser.py, used here by name

pytestmark = [pytest.mark.browser, pytest.mark.e2e]
expect.set_options(timeout=15_000)

SHOTS = Path("/tmp/shots-status")
AUDITED_WIDTHS = (1280, 390)
FITTING_WIDTHS = (390, 320)
LANGS = ("ko", "en")
BLOCK = {
    "measures": [{"type": "block_content", "days": 30}],
    "reasons": {
        "ground": "illegal_content",
        "legal_ground": "Network Act art. 44-2",
        "facts": FACTS,
    },
}
ASK = {
    "measures": [
        {
            "type": "request_information",
            "message": "Please send a screenshot that shows the date of the post.",
            "due_days": 7,
        }
    ],
    "reasons": {"facts": "The screenshot does not show when the message was posted."},
}
REPOSTING = (
    "The status message names nobody and the screenshot shows it was posted by someone else."
)


@dataclass(frozen=True)
class Claim:
    """A case as its claimant holds it, and the poster's notice link if one was sent."""

    case_id: str
    receipt_token: str
    notice_url: str = ""


@dataclass(frozen=True)
class Cases:
    """One case in each state the public pages show, made over HTTP as a script would."""

    received: Claim
    information: Claim
    actioned: Claim
    reposting: Claim
    withdrawn: Claim


def decided(stack: RunningStack, body: dict[str, Any], notice: bool = False) -> Claim:
    case_id, token = report_over_http(stack)
    decide_over_http(stack, case_id, {"expected_version": 1, **body})
    return Claim(case_id, token, notice_url_of(stack, case_id) if notice else "")


@pytest.fixture(scope="module")
def cases(local_stack: RunningStack) -> Cases:
    received = Claim(*report_over_http(local_stack))
    withdrawn = Claim(*report_over_http(local_stack))
    answer = requests.post(
        local_stack.url(f"/v1/reports/{withdrawn.case_id}/withdrawal"),
        headers={
            "X-Receipt-Token": withdrawn.receipt_token,
            "Idempotency-Key": "a11y-withdraw-0001",
        },
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    reposting = decided(local_stack, BLOCK, notice=True)
    token = reposting.notice_url.split("token=", 1)[1]
    answer = requests.post(
        local_stack.url(f"/v1/notices/{reposting.case_id}/reposting-requests"),
        json={"statement": REPOSTING, "evidence": []},
        headers={"X-Notice-Token": token, "Idempotency-Key": "a11y-reposting-0001"},
        timeout=30,
    )
    assert answer.status_code == 201, answer.text
    return Cases(
        received=received,
        information=decided(local_stack, ASK),
        actioned=decided(local_stack, BLOCK, notice=True),
        reposting=reposting,
        withdrawn=withdrawn,
    )


# Each state: how to bring a fresh tab to it, in a language, given the cases.
Visit = Callable[[Page, str, Cases, dict[str, Path]], None]


def the_form(page: Page, lang: str, cases: Cases, files: dict[str, Path]) -> None:
    page.goto(f"/?lang={lang}")
    expect(page.locator("#submit-report")).to_be_enabled()


def the_form_with_errors(page: Page, lang: str, cases: Cases, files: dict[str, Path]) -> None:
    the_form(page, lang, cases, files)
    page.locator("#claimant-email").fill("minji-at-example")
    page.locator("#submit-report").click()
    expect(page.locator("#error-summary")).to_be_visible()


def the_receipt(page: Page, lang: str, cases: Cases, files: dict[str, Path]) -> None:
    the_form(page, lang, cases, files)
    page.locator("#claimant-name").fill("김민지")
    page.locator("#claimant-email").fill("minji@example.com")
    page.locator('input[name="target.surface"][value="open_chat_board"]').check()
    page.locator("#target-url").fill("https://open.kakao.com/o/gABCDEF-a-rather-long-room-address")
    page.locator('input[name="grounds"][value="privacy"]').check()
    page.locator('input[name="requested_action"][value="block"]').check()
    page.locator("#statement").fill("The announcement board shows my home address and my photo.")
    upload_and_wait(
        page, "#evidence", files["screenshot"], {"ko": "올림 완료", "en": "Uploaded"}[lang]
    )
    page.locator("#declaration").check()
    page.locator("#submit-report").click()
    expect(page.locator("#receipt")).to_be_visible()


def the_status_form(page: Page, lang: str, cases: Cases, files: dict[str, Path]) -> None:
    page.goto(f"/status?lang={lang}")


def a_wrong_receipt_token(page: Page, lang: str, cases: Cases, files: dict[str, Path]) -> None:
    check_status(page, cases.received.case_id, "not-the-token", lang)
    expect(page.locator("#status-message")).to_be_visible()


def status_of(claim: Callable[[Cases], Claim], shown: str) -> Visit:
    def visit(page: Page, lang: str, cases: Cases, files: dict[str, Path]) -> None:
        held = claim(cases)
        check_status(page, held.case_id, held.receipt_token, lang)
        expect(page.locator(shown)).to_be_visible()

    return visit


def notice_of(claim: Callable[[Cases], Claim], shown: str) -> Visit:
    def visit(page: Page, lang: str, cases: Cases, files: dict[str, Path]) -> None:
        page.goto(f"{claim(cases).notice_url}&lang={lang}")
        expect(page.locator(shown)).to_be_visible()

    return visit


def a_wrong_notice_link(page: Page, lang: str, cases: Cases, files: dict[str, Path]) -> None:
    page.goto(f"/notices/{cases.actioned.case_id}?token=not-the-token&lang={lang}")
    expect(page.locator("#page-message")).to_be_visible()


def an_unknown_case_notice(page: Page, lang: str, cases: Cases, files: dict[str, Path]) -> None:
    page.goto(f"/notices/not-a-case-id?token=x&lang={lang}")
    expect(page.locator("#page-message")).to_be_visible()


STATES: dict[str, Visit] = {
    "form": the_form,
    "form-errors": the_form_with_errors,
    "receipt": the_receipt,
    "status-form": the_status_form,
    "status-wrong-token": a_wrong_receipt_token,
    "status-received": status_of(lambda c: c.received, "#decision-expected"),
    "status-information": status_of(lambda c: c.information, "#answer-form"),
    "status-actioned": status_of(lambda c: c.actioned, "#decisions"),
    "status-reposting": status_of(lambda c: c.reposting, "#reposting-request"),
    "status-withdrawn": status_of(lambda c: c.withdrawn, "#timeline"),
    "notice": notice_of(lambda c: c.actioned, "#reposting-form"),
    "notice-after-request": notice_of(lambda c: c.reposting, "#reposting-request"),
    "notice-wrong-link": a_wrong_notice_link,
    "notice-unknown-case": an_unknown_case_notice,
}


@pytest.fixture
def open_audited(browser: Browser, local_stack: RunningStack) -> Iterator[Callable[[], Page]]:
    """Open tabs that may take axe-core in (the pages' CSP would refuse its script); fail the
    test if a page logs an error."""
    problems: list[str] = []
    contexts = []

    def note(message: ConsoleMessage) -> None:
        if message.type == "error" and not message.text.startswith(REFUSED_REQUEST):
            problems.append(message.text)

    def open_one() -> Page:
        context = browser.new_context(
            base_url=local_stack.app_url,
            viewport={"width": AUDITED_WIDTHS[0], "height": 900},
            bypass_csp=True,
        )
        contexts.append(context)
        context.set_default_timeout(15_000)
        opened = context.new_page()
        opened.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        opened.on("console", note)
        return opened

    yield open_one
    for context in contexts:
        context.close()
    assert not problems


def overflow(page: Page) -> list[str]:
    """Return what sticks out of the page sideways (empty when nothing does)."""
    found: list[str] = page.evaluate(
        """() => {
          if (document.documentElement.scrollWidth <= window.innerWidth) return [];
          const out = [];
          for (const el of document.querySelectorAll('body *')) {
            const box = el.getBoundingClientRect();
            if (box.right > window.innerWidth + 0.5 && out.length < 8) {
              out.push(`${el.tagName.toLowerCase()}#${el.id}.${el.className} ${box.right}`);
            }
          }
          return out.length ? out : ['the page is wider than the window'];
        }"""
    )
    return found


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("state", list(STATES))
def test_every_public_page_state_passes_axe_and_fits_a_narrow_screen(
    open_audited: Callable[[], Page],
    cases: Cases,
    files: dict[str, Path],
    state: str,
    lang: str,
) -> None:
    require_axe()
    assert AXE.exists()
    page = open_audited()
    STATES[state](page, lang, cases, files)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    SHOTS.mkdir(exist_ok=True)
    found: dict[str, Any] = {}
    for width in sorted({*AUDITED_WIDTHS, *FITTING_WIDTHS}, reverse=True):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=SHOTS / f"{state}-{lang}-{width}.png", full_page=True)
        if width in AUDITED_WIDTHS and (axe_found := violations(page)):
            found[f"axe at {width}"] = axe_found
        if width in FITTING_WIDTHS and (wide := overflow(page)):
            found[f"overflow at {width}"] = wide
    assert not found
