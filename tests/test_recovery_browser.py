"""In a real browser: a claimant who lost the receipt token recovers the case by mail, comes back
to its status address in a new tab, and switches language without losing it."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.localstack import RunningStack
from tests.test_browser import browser, open_tab, report_over_http  # noqa: F401 (fixtures)
from tests.test_console import require_axe, violations
from tests.test_e2e import eventually

SHOTS = Path("/tmp/shots-recovery")
WORDS = {
    "ko": {
        "submit": "사건 링크를 이메일로 받기",
        "sent": "이메일을 확인하세요",
        "open": "내 사건 열기",
    },
    "en": {
        "submit": "Email me a link to my case",
        "sent": "Check your email",
        "open": "Open my case",
    },
}
OTHER = {"ko": "en", "en": "ko"}


def recovery_link(stack: RunningStack, email: str, case_id: str) -> str:
    """Return the recovery link the local stack's SES holds for this claimant and case."""

    def read() -> str:
        data = requests.get(f"{stack.aws_endpoint}/moto-api/data.json", timeout=10).json()
        [mail] = [
            m
            for m in data["ses"]["Message"]
            if m["destinations"]["ToAddresses"] == [email] and "/recovery?code=" in m["body"]
        ]
        assert case_id in mail["body"]
        [link] = re.findall(r"https?://\S+/recovery\?code=\S+", mail["body"])
        return str(link)

    return eventually(read)


def audited(page: Page, name: str, lang: str, width: int) -> None:
    """Screenshot the page as it is now, and find no WCAG A/AA violation on it."""
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{lang}-{width}.png"), full_page=True)
    assert violations(page) == [], name


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_lost_receipt_is_recovered_by_mail_and_the_status_address_keeps_the_case(
    open_tab: Callable[..., Page],  # noqa: F811
    local_stack: RunningStack,
    lang: str,
    width: int,
) -> None:
    require_axe()
    email = f"lost-{uuid.uuid4().hex[:12]}@example.com"
    case_id, _ = report_over_http(local_stack, email, lang)  # the token is lost
    words = WORDS[lang]
    # A fresh browser: no receipt token, no session. axe is injected, so the CSP is bypassed
    # here (the other tests hold the pages to it).
    page = open_tab(bypass_csp=True)
    page.set_viewport_size({"width": width, "height": 900})

    page.goto(f"/status/{case_id}?lang={lang}")
    expect(page.locator("#case-status")).to_have_count(0)
    expect(page.locator("#case-id")).to_have_value(case_id)
    expect(page.locator("#recovery-case-id")).to_have_value(case_id)
    audited(page, "status-form", lang, width)

    page.locator("#recovery-email").fill(email)
    page.get_by_role("button", name=words["submit"]).click()
    expect(page.locator("h1")).to_have_text(words["sent"])
    audited(page, "recovery-sent", lang, width)

    page.goto(f"{recovery_link(local_stack, email, case_id)}&lang={lang}")
    expect(page.get_by_role("button", name=words["open"])).to_be_visible()
    audited(page, "recovery-link", lang, width)
    page.get_by_role("button", name=words["open"]).click()
    expect(page.locator("#case-status")).to_be_visible()
    assert page.url.endswith(f"/status/{case_id}?lang={lang}")
    audited(page, "status-page", lang, width)

    # The link works once.
    page.go_back()
    expect(page.locator("#recovery-email")).to_be_visible()
    audited(page, "recovery-used", lang, width)

    # Another tab of this browser, at the status address: the case, without asking.
    again = page.context.new_page()
    again.set_viewport_size({"width": width, "height": 900})
    again.goto(f"/status/{case_id}?lang={lang}")
    expect(again.locator("#case-status")).to_be_visible()

    # The language switch keeps the case.
    other = OTHER[lang]
    again.locator(f".lang-switch a[hreflang={other}]").click()
    expect(again.locator("html")).to_have_attribute("lang", other)
    expect(again.locator("#case-status")).to_be_visible()
    expect(again.locator("h1")).to_contain_text(case_id)

    # Forgetting the case on this device ends it.
    again.locator("#session-forget").click()
    expect(again.locator("#status-flash")).to_contain_text(case_id)
    audited(again, "forgotten", other, width)
    again.goto(f"/status/{case_id}?lang={lang}")
    expect(again.locator("#case-status")).to_have_count(0)
