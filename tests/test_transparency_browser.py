"""The transparency page in a real browser, in Korean and English: no WCAG 2.1 A or AA violation
that axe-core finds, no sideways scrolling at 320 px, and its charts drawn with their numbers."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.localstack import RunningStack
from tests.test_browser import browser, report_over_http
from tests.test_console import require_axe, violations
from tests.test_public_a11y import open_audited, overflow

__all__ = ["browser", "open_audited"]  # fixtures, used here by name

pytestmark = [pytest.mark.browser, pytest.mark.e2e]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_transparency_page_passes_axe_and_fits_a_phone(
    open_audited: Callable[[], Page], local_stack: RunningStack, lang: str
) -> None:
    require_axe()
    report_over_http(local_stack)
    page = open_audited()
    page.goto(f"/transparency?lang={lang}")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    chart = page.locator('svg[role="img"]').first
    expect(chart).to_be_visible()
    assert chart.locator("title").text_content()
    found: dict[str, object] = {}
    for width in (1280, 390, 320):
        page.set_viewport_size({"width": width, "height": 900})
        if width != 320 and (axe_found := violations(page)):
            found[f"axe at {width}"] = axe_found
        if width <= 390 and (wide := overflow(page)):
            found[f"overflow at {width}"] = wide
    assert not found
