"""The receipt in a real browser: it warns before it is lost, until it is saved, printed or its
token copied; it saves as a file and prints alone; and the report form's privacy notice."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Dialog, Page, ViewportSize, expect

from tests import test_browser
from tests.test_browser import CASE_ID, STATEMENT_EN, fill_korean_report, upload_and_wait
from tests.test_console import require_axe, violations

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

# The browser tests' fixtures: one Chromium for the module, fresh tabs, the files picked.
browser = test_browser.browser
open_tab = test_browser.open_tab
page = test_browser.page
files = test_browser.files

SHOTS = Path("/tmp/shots-receipt")
WIDTHS: dict[str, ViewportSize] = {
    "wide": {"width": 1280, "height": 900},
    "phone": {"width": 390, "height": 844},
}
# What the claimant reads, in each language (written here from the page's words).
WORDS: dict[str, dict[str, str]] = {
    "ko": {
        "submit": "신고하기",
        "save": "접수증 저장",
        "print": "접수증 인쇄",
        "copy": "접수 토큰 복사",
        "header_link": "처리 상황 확인",
        "switch": "English",
        "privacy": "개인정보 처리 안내",
        "details": "자세히 보기",
        "kept": "저장했습니다",
    },
    "en": {
        "submit": "Submit report",
        "save": "Save receipt",
        "print": "Print receipt",
        "copy": "Copy receipt token",
        "header_link": "Check a case",
        "switch": "한국어",
        "privacy": "Your personal data",
        "details": "What we collect",
        "kept": "was saved",
    },
}
FILE_WORDS = {
    "ko": ["사건 번호", "접수 토큰", "(한국 시간)", "처리 상황 주소"],
    "en": ["Case ID", "Receipt token", "KST", "Status address"],
}
TOKEN = re.compile(r"^[2-9A-HJKMNP-TV-Z]{4}(-[2-9A-HJKMNP-TV-Z]{4}){6}$")


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def fill_english_report(page: Page, evidence: Path) -> None:
    page.get_by_role("textbox", name="Your name").fill("Kim Minji")
    page.get_by_role("textbox", name="Email").fill("minji@example.com")
    page.get_by_role("radio", name="Open Chat room information (cover)").check()
    page.get_by_role("textbox", name="Address (URL) of the content").fill(
        "https://open.kakao.com/o/gXYZ123"
    )
    page.get_by_role("checkbox", name="Portrait rights").check()
    page.get_by_role("radio", name="Delete").check()
    page.get_by_role("textbox", name="What happened").fill(STATEMENT_EN)
    upload_and_wait(page, "#evidence", evidence, "Uploaded")
    page.get_by_role("checkbox", name=re.compile("^I declare")).check()


def submitted(page: Page, lang: str, evidence: Path) -> tuple[str, str]:
    """Fill and send the report form in `lang`; return the receipt's case id and token."""
    page.goto(f"/?lang={lang}")
    if lang == "ko":
        fill_korean_report(page, evidence)
    else:
        fill_english_report(page, evidence)
    page.get_by_role("button", name=WORDS[lang]["submit"]).click()
    expect(page.locator("#receipt")).to_be_visible()
    case_id = page.locator("#receipt-case-id").inner_text()
    token = page.locator("#receipt-token").inner_text()
    assert CASE_ID.match(case_id)
    assert TOKEN.match(token), token
    return case_id, token


class Dialogs:
    """The dialogs a page raised, each answered "stay" (dismissed) unless told to accept."""

    def __init__(self, page: Page) -> None:
        self.seen: list[str] = []
        page.on("dialog", self._answer)

    def _answer(self, dialog: Dialog) -> None:
        self.seen.append(dialog.type)
        dialog.dismiss()

    def take(self) -> list[str]:
        seen, self.seen = self.seen, []
        return seen


def start_reload(page: Page) -> None:
    # Not page.reload(): that waits for a navigation a dismissed warning cancels.
    page.evaluate("() => { window.location.reload(); }")


def still_on_receipt(page: Page, token: str) -> None:
    page.wait_for_timeout(400)
    expect(page.locator("#receipt-token")).to_have_text(token)


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("width", ["wide", "phone"])
def test_leaving_an_unsaved_receipt_warns_first_and_a_saved_one_does_not(
    page: Page, files: dict[str, Path], lang: str, width: str
) -> None:
    page.set_viewport_size(WIDTHS[width])
    case_id, token = submitted(page, lang, files["screenshot"])
    shot(page, f"receipt-{lang}-{width}")
    dialogs = Dialogs(page)
    words = WORDS[lang]

    start_reload(page)
    still_on_receipt(page, token)
    assert dialogs.take() == ["beforeunload"]

    header = page.locator(".site-header")
    if width == "wide":  # the same header on a phone; once is enough for the site name
        header.locator(".site-name").click()
        still_on_receipt(page, token)
        assert dialogs.take() == ["confirm"]
    header.get_by_role("link", name=words["header_link"]).click()
    still_on_receipt(page, token)
    assert dialogs.take() == ["confirm"]
    header.get_by_role("link", name=words["switch"]).click()
    still_on_receipt(page, token)
    assert dialogs.take() == ["confirm"]
    page.evaluate("() => { window.history.back(); }")  # the way Back goes, without waiting
    still_on_receipt(page, token)
    assert dialogs.take() == ["beforeunload"]

    with page.expect_download() as caught:
        page.get_by_role("button", name=words["save"]).click()
    download = caught.value
    assert case_id in download.suggested_filename
    saved = Path(download.path()).read_text(encoding="utf-8")
    assert case_id in saved and token in saved
    assert f"/status/{case_id}" in saved
    for word in FILE_WORDS[lang]:
        assert word in saved, word
    expect(page.locator("#copy-status")).to_contain_text(words["kept"])
    shot(page, f"receipt-saved-{lang}-{width}")

    header.get_by_role("link", name=words["switch"]).click()
    expect(page.locator("html")).to_have_attribute("lang", "en" if lang == "ko" else "ko")
    assert dialogs.take() == []
    expect(page.locator("#report-form")).to_be_visible()


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_copying_the_token_keeps_the_receipt_so_the_page_may_be_left(
    page: Page, files: dict[str, Path], lang: str
) -> None:
    _, token = submitted(page, lang, files["screenshot"])
    dialogs = Dialogs(page)
    page.get_by_role("button", name=WORDS[lang]["copy"]).click()
    expect(page.locator("#copy-status")).not_to_be_empty()
    assert page.evaluate("navigator.clipboard.readText()") == token
    with page.expect_navigation():
        start_reload(page)
    expect(page.locator("#report-form")).to_be_visible()
    assert dialogs.take() == []


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_receipt_prints_alone_and_printing_keeps_it(
    page: Page, files: dict[str, Path], lang: str
) -> None:
    case_id, token = submitted(page, lang, files["screenshot"])
    page.emulate_media(media="print")
    for hidden in (".site-header", ".site-footer", "#receipt-warning", ".receipt-actions"):
        expect(page.locator(hidden)).to_be_hidden()
    expect(page.locator("#receipt-case-id")).to_have_text(case_id)
    expect(page.locator("#receipt-token")).to_have_text(token)
    expect(page.locator("#receipt-status-address")).to_contain_text(f"/status/{case_id}")
    expect(page.locator("#receipt-received-at")).to_be_visible()
    expect(page.locator(".receipt-next")).to_be_visible()
    # Readable on paper: dark text, a size that is not small.
    size = page.locator("#receipt-token").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 12
    shot(page, f"receipt-print-{lang}")
    page.emulate_media(media="screen")

    page.evaluate("() => { window.print = () => {}; }")  # no print dialog in a headless browser
    dialogs = Dialogs(page)
    page.get_by_role("button", name=WORDS[lang]["print"]).click()
    with page.expect_navigation():
        start_reload(page)
    assert dialogs.take() == []


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("width", ["wide", "phone"])
def test_the_report_form_tells_how_personal_data_is_used(page: Page, lang: str, width: str) -> None:
    page.set_viewport_size(WIDTHS[width])
    page.goto(f"/?lang={lang}")
    notice = page.get_by_role("complementary", name=WORDS[lang]["privacy"])
    expect(notice).to_be_visible()
    details = notice.locator("#privacy-retention")
    expect(details).to_be_hidden()
    notice.locator("summary", has_text=WORDS[lang]["details"]).click()
    expect(details).to_be_visible()
    expect(details).to_contain_text(re.compile(r"\d+"))
    shot(page, f"form-privacy-{lang}-{width}")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_form_and_the_receipt_have_no_wcag_violation(
    open_tab: Callable[..., Page], files: dict[str, Path], lang: str
) -> None:
    require_axe()
    tab = open_tab(bypass_csp=True)  # axe is injected; the CSP is checked by the tests above
    seen: dict[str, Any] = {}
    tab.goto(f"/?lang={lang}")
    tab.locator("#privacy-details summary").click()
    seen["form"] = violations(tab)
    submitted(tab, lang, files["screenshot"])
    seen["receipt"] = violations(tab)
    tab.set_viewport_size(WIDTHS["phone"])
    seen["receipt on a phone"] = violations(tab)
    assert seen == {"form": [], "receipt": [], "receipt on a phone": []}


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_following_the_case_from_the_receipt_opens_its_status_address_and_remembers_it(
    page: Page, open_tab: Callable[..., Page], files: dict[str, Path], lang: str
) -> None:
    case_id, token = submitted(page, lang, files["screenshot"])
    page.get_by_role("button", name=WORDS[lang]["copy"]).click()
    expect(page.locator("#copy-status")).not_to_be_empty()
    with page.expect_navigation():
        page.locator("#receipt-status-link").click()
    assert page.url.split("?")[0].endswith(f"/status/{case_id}")
    assert token not in page.url
    expect(page.locator("#case-title")).to_contain_text(case_id)
    expect(page.locator("#case-status")).to_be_visible()
    # The same browser comes back to the address later, in another tab, without the token.
    again = page.context.new_page()
    again.goto(page.url.split("?")[0] + f"?lang={lang}")
    expect(again.locator("#case-title")).to_contain_text(case_id)
    expect(again.locator("#case-status")).to_be_visible()
