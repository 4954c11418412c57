"""An English page says everything in English: a refused file, and a problem the page has no
words for of its own, in the browser as the claimant sees them (and a Korean page in Korean)."""

# ruff: noqa: F811  (the shared browser fixtures are parameters by their own names)
from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, Route, expect

from tests.test_browser import (  # noqa: F401  (fixtures)
    STATEMENT_EN,
    browser,
    files,
    open_tab,
    page,
    upload_and_wait,
)

HANGUL = re.compile(r"[\uac00-\ud7a3]")
SHOTS = os.environ.get("IRC_SHOTS")  # a folder to keep screenshots of what is checked, if set


def shoot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)


def fill_english_report(page: Page, evidence: Path, done: str = "Uploaded") -> None:
    page.get_by_role("radio", name="Myself").check()
    page.get_by_role("textbox", name="Your name").fill("Jane Doe")
    page.get_by_role("textbox", name="Email").fill("jane@example.com")
    page.get_by_role("radio", name="Open Chat room information (cover)").check()
    page.get_by_role("textbox", name="Address (URL) of the content").fill(
        "https://open.kakao.com/o/gXYZ123"
    )
    page.get_by_role("checkbox", name="Intellectual property").check()
    page.get_by_role("combobox", name="Which intellectual property right?").select_option(
        "trademark"
    )
    page.get_by_role("radio", name="Delete").check()
    page.get_by_role("textbox", name="What happened").fill(STATEMENT_EN)
    upload_and_wait(page, "#evidence", evidence, done)
    page.get_by_role("checkbox", name=re.compile("^I declare")).check()


@pytest.mark.browser
def test_a_file_refused_on_an_english_page_is_told_in_english(
    page: Page, files: dict[str, Path]
) -> None:
    page.goto("/?lang=en")
    # Refused as soon as it is uploaded, in English words, before any submit.
    fill_english_report(
        page,
        files["pretender"],
        done="Refused: its content is not a PNG file. Remove it and choose another file.",
    )
    item = page.locator("#evidence-list li", has_text=files["pretender"].name)
    expect(item).to_contain_text("Refused")
    assert not HANGUL.search(page.locator("main").inner_text())
    shoot(page, "en-report-refused-file")


@pytest.mark.browser
@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "Your request could not be carried out."),
        ("ko", "요청을 처리하지 못했습니다."),
    ],
)
def test_a_problem_without_words_of_its_own_is_told_in_the_pages_language(
    open_tab: Callable[..., Page], files: dict[str, Path], lang: str, said: str
) -> None:
    page = open_tab()

    def refuse(route: Route) -> None:
        route.fulfill(
            status=409,
            content_type="application/problem+json",
            body='{"title": "Conflict", "status": 409, "detail": "server words, raw"}',
        )

    page.route("**/v1/reports", refuse)
    page.goto(f"/?lang={lang}")
    if lang == "en":
        fill_english_report(page, files["screenshot"])
        page.get_by_role("button", name="Submit report").click()
    else:
        from tests.test_browser import fill_korean_report

        fill_korean_report(page, files["screenshot"])
        page.get_by_role("button", name="신고하기").click()
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text(said)
    assert "server words" not in summary.inner_text()
    shoot(page, f"{lang}-report-unworded-problem")
