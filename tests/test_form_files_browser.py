"""The forms' files and errors in a real browser: each file checked once it is uploaded, the
file input saying what was chosen, and an error summary whose entries lead to their fields."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, Route, expect

from tests import test_browser
from tests.localstack import RunningStack
from tests.test_browser import (
    fill_korean_report,
    png_image,
    read_receipt,
    upload_and_wait,
)
from tests.test_console import AXE, require_axe, violations

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

# The browser tests' fixtures: one Chromium for the module, tabs that fail on a page error.
browser = test_browser.browser
files = test_browser.files
open_tab = test_browser.open_tab
page = test_browser.page

SHOTS = Path("/tmp/shots-files")
WIDTHS = [1280, 390]
# A Windows program's first bytes, in a file whose name says it is a PDF.
PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 400

# What a reader is told, in each language, written here rather than read from the texts.
WORDS: dict[str, dict[str, Any]] = {
    "en": {
        "checking": "Checking…",
        "uploaded": "Uploaded",
        "not_pdf": "its content is not a PDF file",
        "none": "No file chosen",
        "chosen": {1: "1 file chosen", 2: "2 files chosen", 3: "3 files chosen"},
        "heading": {1: "1 field needs attention", 2: "2 fields need attention"},
        "submit": "Submit report",
        "email": "Email",
    },
    "ko": {
        "checking": "확인하는 중…",
        "uploaded": "올림 완료",
        "not_pdf": "내용이 PDF 파일이 아닙니다",
        "none": "선택한 파일 없음",
        "chosen": {1: "파일 1개 선택됨", 2: "파일 2개 선택됨", 3: "파일 3개 선택됨"},
        "heading": {1: "1개 항목을 확인해 주세요", 2: "2개 항목을 확인해 주세요"},
        "submit": "신고하기",
        "email": "이메일",
    },
}


@pytest.fixture(scope="module")
def disguised(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Write a program named like a PDF document."""
    path = tmp_path_factory.mktemp("disguised") / "contract.pdf"
    path.write_bytes(PROGRAM)
    return path


def shoot(page: Page, name: str, part: str | None = None) -> None:
    """Keep the whole page, and the part that changed on its own, to be looked at."""
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)
    if part:
        page.locator(part).screenshot(path=SHOTS / f"{name}-part.png")


def no_violations(page: Page) -> None:
    require_axe()
    assert AXE.exists()
    found = violations(page)
    assert found == [], found


def audited_tab(open_tab: Callable[..., Page], width: int, **options: Any) -> Page:
    """Open a tab of this width whose page axe-core may be injected into (for the audit only)."""
    tab = open_tab(bypass_csp=True, **options)
    tab.set_viewport_size({"width": width, "height": 900})
    return tab


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_disguised_file_is_refused_at_upload_before_any_submit(
    open_tab: Callable[..., Page], disguised: Path, lang: str, width: int
) -> None:
    page = audited_tab(open_tab, width)
    reports: list[str] = []
    page.on("request", lambda r: reports.append(r.url) if "/v1/reports" in r.url else None)
    held: list[Route] = []
    page.route("**/v1/uploads/*/check", lambda route: held.append(route))
    page.goto(f"/?lang={lang}")
    words = WORDS[lang]

    page.locator("#evidence").set_input_files(disguised)
    item = page.locator("#evidence-list li", has_text="contract.pdf")
    expect(item.locator(".file-status")).to_have_text(words["checking"])
    assert len(held) == 1
    held[0].continue_()

    expect(item).to_have_class(re.compile(r"\bfile-refused\b"))
    expect(item.locator(".file-status")).to_contain_text(words["not_pdf"])
    expect(item.get_by_role("button")).to_be_visible()
    assert reports == []
    shoot(page, f"refused-at-upload-{lang}-{width}", "[data-field=evidence]")
    no_violations(page)


def test_a_refused_file_is_not_sent_with_the_report(
    page: Page, files: dict[str, Path], disguised: Path
) -> None:
    page.goto("/?lang=ko")
    fill_korean_report(page, files["screenshot"])
    page.locator("#evidence").set_input_files(disguised)
    refused = page.locator("#evidence-list li", has_text="contract.pdf")
    expect(refused).to_have_class(re.compile(r"\bfile-refused\b"))

    with page.expect_request("**/v1/reports") as sent:
        page.get_by_role("button", name="신고하기").click()
    read_receipt(page)

    assert len(json.loads(sent.value.post_data or "{}")["evidence"]) == 1


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_file_input_says_what_was_chosen(
    open_tab: Callable[..., Page], tmp_path: Path, lang: str, width: int
) -> None:
    page = audited_tab(open_tab, width)
    words = WORDS[lang]
    picked = []
    for index, name in enumerate(["first.png", "second.png", "third.png"]):
        path = tmp_path / name
        path.write_bytes(png_image(10 + index, 10))
        picked.append(path)
    page.goto(f"/?lang={lang}")
    evidence = page.locator("#evidence")
    picker = page.locator("#evidence-chosen")
    expect(picker).to_have_text(words["none"])

    upload_and_wait(page, "#evidence", picked[0], words["uploaded"])
    evidence.set_input_files(picked[1:])
    for path in picked[1:]:
        row = page.locator("#evidence-list li", has_text=path.name)
        expect(row.locator(".file-status")).to_have_text(words["uploaded"])

    expect(picker).to_have_text(words["chosen"][3])
    expect(evidence).to_have_accessible_name(re.compile(re.escape(words["chosen"][3]) + "$"))
    assert words["none"] not in page.locator("#evidence").locator("..").inner_text()
    rows = page.locator("#evidence-list li")
    expect(rows).to_have_count(3)
    for index, path in enumerate(picked):
        row = rows.nth(index)
        expect(row.locator(".file-name")).to_have_text(path.name)
        expect(row.locator(".file-size")).to_have_text(re.compile(r"\d"))
        expect(row.get_by_role("button")).to_have_accessible_name(re.compile(path.name))
    shoot(page, f"files-chosen-{lang}-{width}", "[data-field=evidence]")
    no_violations(page)

    rows.nth(1).get_by_role("button").click()
    expect(picker).to_have_text(words["chosen"][2])
    expect(evidence).to_be_focused()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_error_summary_links_each_error_to_its_field(
    open_tab: Callable[..., Page], files: dict[str, Path], lang: str, width: int
) -> None:
    page = audited_tab(open_tab, width)
    words = WORDS[lang]
    page.goto(f"/?lang={lang}")
    if lang == "ko":
        fill_korean_report(page, files["screenshot"])
    else:
        fill_english(page, files["screenshot"])
    email = page.locator("#claimant-email")
    statement = page.locator("#statement")
    email.fill("minji-at-example")
    page.get_by_role("button", name=words["submit"]).click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text(words["heading"][1])
    links = summary.get_by_role("link")
    expect(links).to_have_count(1)
    expect(links.first).to_have_attribute("href", "#claimant-email")
    expect(links.first).to_contain_text(words["email"])

    statement.fill("too short")
    page.get_by_role("button", name=words["submit"]).click()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text(words["heading"][2])
    expect(links).to_have_count(2)
    assert [links.nth(i).get_attribute("href") for i in range(2)] == [
        "#claimant-email",
        "#statement",
    ]
    shoot(page, f"error-summary-{lang}-{width}", "#error-summary")
    no_violations(page)

    links.nth(1).click()
    expect(statement).to_be_focused()
    links.nth(0).click()
    expect(email).to_be_focused()


def fill_english(page: Page, evidence: Path) -> None:
    page.get_by_role("textbox", name="Your name").fill("Kim Minji")
    page.get_by_role("textbox", name="Email").fill("minji@example.com")
    page.get_by_role("radio", name=re.compile("^Announcement, schedule or voting board")).check()
    page.get_by_role("textbox", name="Address (URL) of the content").fill(
        "https://open.kakao.com/o/gABCDEF"
    )
    page.get_by_role("checkbox", name="Privacy").check()
    page.get_by_role("radio", name="Block access (temporary measure)").check()
    page.get_by_role("textbox", name="What happened").fill(
        "The announcement board shows my home address without my consent."
    )
    upload_and_wait(page, "#evidence", evidence, "Uploaded")
    page.get_by_role("checkbox", name=re.compile("^I declare")).check()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_without_javascript_the_status_form_sums_up_its_errors_with_links(
    open_tab: Callable[..., Page], lang: str, width: int
) -> None:
    page = audited_tab(open_tab, width, java_script_enabled=False)
    words = WORDS[lang]
    page.goto(f"/status?lang={lang}")
    page.locator("#status-lookup button[type=submit]").click()

    summary = page.locator("#status-message")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text(words["heading"][2])
    links = summary.get_by_role("link")
    expect(links).to_have_count(2)
    assert [links.nth(i).get_attribute("href") for i in range(2)] == ["#case-id", "#receipt-token"]
    shoot(page, f"status-errors-nojs-{lang}-{width}", "main")

    links.nth(1).click()
    expect(page.locator("#receipt-token")).to_be_focused()

    # axe-core needs a script: audit the same answer of the server in a tab that runs one.
    audited = audited_tab(open_tab, width)
    audited.goto(f"/status?lang={lang}")
    audited.locator("#status-lookup button[type=submit]").click()
    expect(audited.locator("#status-message")).to_be_focused()
    no_violations(audited)


def test_the_status_form_links_work_with_javascript_too(
    page: Page, local_stack: RunningStack
) -> None:
    page.goto("/status?lang=en")
    page.locator("#status-lookup button[type=submit]").click()
    summary = page.locator("#status-message")
    expect(summary).to_be_focused()
    summary.get_by_role("link").first.click()
    expect(page.locator("#case-id")).to_be_focused()
