"""The report form asks for the content's address or in-app reference as the chosen surface
allows, completes a scheme-less Open Chat address, and takes what the app opens it with."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.test_browser import browser, open_tab  # noqa: F401 (fixtures)
from tests.test_console import require_axe, violations

SHOTS = Path(os.environ.get("TARGET_SHOTS", "/tmp/shots-target"))
# What each language says of the reference and where to find it (written here, not read from
# the texts): the report button in KakaoTalk.
WORDS = {
    "ko": {"ref": "앱 내 참조", "button": "신고 버튼", "only_if": "있는 경우에만"},
    "en": {"ref": "In-app reference", "button": "report button", "only_if": "only if it has one"},
}
SURFACE_LABEL = {
    "ko": {"talk_board": "톡게시판", "open_chat_board": "공지·일정·투표 게시판"},
    "en": {"talk_board": "Talk Board", "open_chat_board": "voting board"},
}


def shoot(page: Page, name: str) -> None:
    """Keep a picture of the page at a desktop's and a phone's width."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        card = page.locator("section[aria-labelledby=section-target]")
        card.screenshot(path=str(SHOTS / f"{name}-{width}.png"))
    page.set_viewport_size({"width": 1024, "height": 900})


def first_field_in_section(page: Page) -> str | None:
    return page.locator("#target-fields > .field").first.get_attribute("data-field")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_form_asks_for_the_reference_or_the_address_as_the_surface_allows(
    open_tab: Callable[..., Page],  # noqa: F811
    lang: str,
) -> None:
    page = open_tab()
    page.goto(f"/?lang={lang}")
    words = WORDS[lang]
    page.get_by_role("radio", name=SURFACE_LABEL[lang]["talk_board"]).check()
    reference = page.get_by_role("textbox", name=words["ref"])
    expect(reference).to_be_visible()
    assert first_field_in_section(page) == "target.content_ref"
    expect(page.locator("#target-ref-hint")).to_contain_text(words["button"])
    expect(page.locator("#target-url-label")).to_contain_text(words["only_if"])
    shoot(page, f"form-talk-board-{lang}")

    page.get_by_role("radio", name=SURFACE_LABEL[lang]["open_chat_board"]).check()
    assert first_field_in_section(page) == "target.url"
    expect(page.locator("#target-url-label")).to_contain_text("open.kakao.com")
    expect(page.locator("#target-url-label")).not_to_contain_text(words["only_if"])
    shoot(page, f"form-open-chat-{lang}")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_scheme_less_open_chat_address_is_completed_on_leaving_the_field(
    open_tab: Callable[..., Page],  # noqa: F811
    lang: str,
) -> None:
    page = open_tab()
    page.goto(f"/?lang={lang}")
    page.get_by_role("radio", name=SURFACE_LABEL[lang]["open_chat_board"]).check()
    address = page.locator("#target-url")
    address.fill("open.kakao.com/o/gABC123")
    address.press("Tab")
    expect(address).to_have_value("https://open.kakao.com/o/gABC123")
    address.fill("example.com/o/gABC123")  # not completed: the API refuses it as written
    address.press("Tab")
    expect(address).to_have_value("example.com/o/gABC123")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_app_opens_the_form_with_the_surface_and_reference_filled_in(
    open_tab: Callable[..., Page],  # noqa: F811
    lang: str,
) -> None:
    page = open_tab()
    page.goto(f"/?lang={lang}&surface=talk_board&content_ref=tb:8f3a.c91")
    expect(page.get_by_role("radio", name=SURFACE_LABEL[lang]["talk_board"])).to_be_checked()
    expect(page.get_by_role("textbox", name=WORDS[lang]["ref"])).to_have_value("tb:8f3a.c91")
    expect(page.locator("#target-ref-error")).to_be_hidden()
    assert first_field_in_section(page) == "target.content_ref"


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_hostile_reference_in_the_address_is_shown_refused_not_run(
    open_tab: Callable[..., Page],  # noqa: F811
    lang: str,
) -> None:
    page = open_tab()
    page.goto(
        f"/?lang={lang}&surface=open_profile&content_ref=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E"
    )
    reference = page.locator("#target-ref")
    expect(reference).to_have_value("<img src=x onerror=alert(1)>")
    expect(reference).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#target-ref-error")).to_contain_text(WORDS[lang]["button"])
    assert page.locator("#target-fields img").count() == 0
    shoot(page, f"form-refused-ref-{lang}")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_changed_form_has_no_wcag_a_or_aa_violation(
    open_tab: Callable[..., Page],  # noqa: F811
    lang: str,
) -> None:
    require_axe()
    page = open_tab(bypass_csp=True)  # axe is injected; the CSP is checked by the tests above
    page.goto(f"/?lang={lang}&surface=talk_board&content_ref=bad%20ref")
    seen = {"refused reference": violations(page)}
    page.get_by_role("radio", name=SURFACE_LABEL[lang]["open_chat_board"]).check()
    seen["open chat"] = violations(page)
    page.set_viewport_size({"width": 390, "height": 900})
    seen["phone"] = violations(page)
    assert {state: found for state, found in seen.items() if found} == {}
