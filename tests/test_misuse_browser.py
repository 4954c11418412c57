"""The console's case page in a real browser: a repeat infringer's strikes and the suggested next
step, marked as a suggestion, and a claimant's unfounded notices with the suspension form."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import requests
from playwright.sync_api import Browser, Page, expect

from tests.localstack import RunningStack, running_stack
from tests.test_browser import chromium, png_image
from tests.test_console import decided, open_tab, sign_in  # noqa: F401  (open_tab: a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.e2e]
expect.set_options(timeout=15_000)


@pytest.fixture(scope="module")
def stack() -> Iterator[RunningStack]:
    with running_stack() as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


def reported(stack: RunningStack, account_ref: str) -> str:
    image = png_image()
    grant = requests.post(
        stack.url("/v1/uploads"),
        json={"filename": "evidence.png", "content_type": "image/png", "size": len(image)},
        timeout=10,
    ).json()
    stored = requests.post(
        grant["url"],
        data=grant["fields"],
        files={"file": ("evidence.png", image, "image/png")},
        timeout=10,
    )
    assert stored.ok, stored.text
    answer = requests.post(
        stack.url("/v1/reports"),
        json={
            "claimant": {"name": "Kim", "email": "kim@example.com", "relationship": "self"},
            "target": {
                "surface": "open_chat_board",
                "url": "https://open.kakao.com/o/gRepeat",
                "account_ref": account_ref,
            },
            "grounds": ["defamation"],
            "requested_action": "block",
            "statement": "The announcement calls me a thief by my full name.",
            "evidence": [grant["upload_id"]],
            "declaration": True,
            "lang": "ko",
        },
        timeout=30,
    )
    assert answer.status_code == 201, answer.text
    return str(answer.json()["case_id"])


def test_a_reviewer_sees_the_accounts_strikes_and_a_suggestion_that_is_only_one(
    open_tab: Callable[..., Page],  # noqa: F811
    stack: RunningStack,
) -> None:
    cases = [reported(stack, "kakao:repeat-1") for _ in range(2)]
    for case_id in cases:
        decided(stack, case_id, [{"type": "block_content", "days": 30}])
    page = open_tab()
    sign_in(page, stack, "reviewer")
    page.goto(f"/console?lang=en#/cases/{cases[-1]}")
    account = page.locator("section[aria-labelledby='h-account']")
    expect(account).to_contain_text("2 strikes standing in the last 180 days")
    expect(page.locator("#misuse-suggestion")).to_contain_text("a suggestion only")
    expect(page.locator("#misuse-suggestion")).to_contain_text("Warn the user")
    expect(page.locator("section[aria-labelledby='h-target']")).to_contain_text("kakao:repeat-1")
    claimant = page.locator("section[aria-labelledby='h-claimant-standing']")
    expect(claimant).to_contain_text("0 reports rejected")
