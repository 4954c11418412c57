"""The staff console in a real browser (Chromium, headless) against a local stack of its own:
reviewers, auditors and admins at work, by mouse and by keyboard, checked by axe-core."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, expect

from tests.localstack import RunningStack, running_stack
from tests.test_browser import FACTS, REFUSED_REQUEST, chromium, notice_url_of, report_over_http
from tests.test_notice_pages import in_words

pytestmark = [pytest.mark.browser, pytest.mark.e2e]
expect.set_options(timeout=15_000)

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SECOND_REVIEWER = "second-reviewer"
SECOND_PASSWORD = "Second-password-1!"


@pytest.fixture(scope="module")
def stack() -> Iterator[RunningStack]:
    """A local stack for this module alone, so its queue holds only the cases made here."""
    with running_stack() as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def open_tab(browser: Browser, stack: RunningStack) -> Iterator[Callable[..., Page]]:
    """Open fresh tabs (each its own session storage); fail the test on a page error or a CSP
    violation."""
    contexts: list[BrowserContext] = []
    problems: list[str] = []

    def note(message: ConsoleMessage) -> None:
        if message.type == "error" and not message.text.startswith(REFUSED_REQUEST):
            problems.append(message.text)

    def open_one(**options: Any) -> Page:
        context = browser.new_context(
            base_url=stack.app_url, viewport={"width": 1280, "height": 900}, **options
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


def require_axe() -> None:
    if AXE.exists():
        return
    reason = f"no axe-core at {AXE}: run `npm ci` (the CI script does)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; under CI=true the accessibility checks must run", pytrace=False)
    pytest.skip(reason)


def violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core's WCAG 2.1 A and AA rules on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    found: list[dict[str, Any]] = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
        ".violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target)}))",
        WCAG_AA,
    )
    return found


def sign_in(page: Page, stack: RunningStack, role: str, lang: str = "en") -> None:
    user = stack.demo_users[role]
    sign_in_as(page, user["username"], user["password"], lang)


def sign_in_as(page: Page, username: str, password: str, lang: str = "en") -> None:
    page.goto(f"/console?lang={lang}")
    labels = {
        "en": ("User name", "Password", "Sign in"),
        "ko": ("사용자 이름", "비밀번호", "로그인"),
    }
    user_label, password_label, submit = labels[lang]
    page.get_by_label(user_label).fill(username)
    page.get_by_label(password_label, exact=True).fill(password)
    page.get_by_role("button", name=submit, exact=True).click()
    expect(page.locator("#console-user-name")).to_contain_text(username)


def staff_token(stack: RunningStack, role: str) -> str:
    user = stack.demo_users[role]
    answer = stack.client("cognito-idp").admin_initiate_auth(
        UserPoolId=stack.environment["USER_POOL_ID"],
        ClientId=stack.environment["USER_POOL_CLIENT_ID"],
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": user["username"], "PASSWORD": user["password"]},
    )
    return str(answer["AuthenticationResult"]["AccessToken"])


def as_staff(stack: RunningStack, role: str, method: str, path: str, **kwargs: Any) -> Any:
    headers = {"Authorization": f"Bearer {staff_token(stack, role)}", **kwargs.pop("headers", {})}
    answer = requests.request(method, stack.url(path), headers=headers, timeout=30, **kwargs)
    assert answer.ok, answer.text
    return answer.json()


def decided(stack: RunningStack, case_id: str, measures: list[dict[str, Any]]) -> dict[str, Any]:
    body = {
        "expected_version": 1,
        "measures": measures,
        "reasons": {
            "ground": "illegal_content",
            "legal_ground": "Network Act art. 44-2",
            "facts": FACTS,
        },
    }
    return dict(
        as_staff(
            stack,
            "reviewer",
            "POST",
            f"/v1/cases/{case_id}/decisions",
            json=body,
            headers={"Idempotency-Key": f"console-{case_id}"},
        )
    )


@pytest.fixture(scope="module")
def second_reviewer(stack: RunningStack) -> tuple[str, str]:
    """Another reviewer in the pool, for work two reviewers do at once."""
    cognito = stack.client("cognito-idp")
    pool = stack.environment["USER_POOL_ID"]
    cognito.admin_create_user(UserPoolId=pool, Username=SECOND_REVIEWER, MessageAction="SUPPRESS")
    cognito.admin_set_user_password(
        UserPoolId=pool, Username=SECOND_REVIEWER, Password=SECOND_PASSWORD, Permanent=True
    )
    cognito.admin_add_user_to_group(
        UserPoolId=pool, Username=SECOND_REVIEWER, GroupName="reviewers"
    )
    return SECOND_REVIEWER, SECOND_PASSWORD


# The first test takes the oldest case of the module's own queue: keep it first.


def test_a_reviewer_takes_the_oldest_case_previews_and_sends_a_block_with_a_restriction(
    open_tab: Callable[..., Page], stack: RunningStack
) -> None:
    oldest, _ = report_over_http(stack)
    newer, _ = report_over_http(stack)
    page = open_tab()
    sign_in(page, stack, "reviewer")

    # A reviewer is offered the reviewers' section only (the API decides all the same).
    nav = page.get_by_role("navigation", name="Console sections")
    expect(nav.get_by_role("link", name="Queue")).to_be_visible()
    expect(nav.get_by_role("link", name="Audit trail")).to_be_hidden()
    expect(nav.get_by_role("link", name="Administration")).to_be_hidden()
    # The tokens are kept for this tab only, and never in the address.
    assert page.evaluate("() => window.localStorage.length") == 0
    assert "eyJ" in page.evaluate("() => JSON.stringify(window.sessionStorage)")
    assert "eyJ" not in page.url
    queue = page.get_by_role("tabpanel")
    expect(queue.get_by_role("link", name=oldest)).to_be_visible()
    expect(queue.get_by_role("link", name=newer)).to_be_visible()
    page.get_by_role("button", name="Take the oldest case").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Case {oldest}")
    expect(page.locator("#claim")).to_contain_text("Assigned to you until")

    # The evidence is shown inline, with its hash.
    image = page.locator("img.evidence-image")
    expect(image).to_have_count(1)
    expect(image).to_have_js_property("complete", True)
    assert image.evaluate("(shown) => shown.naturalWidth") > 0  # the file's bytes, decoded
    file = as_staff(stack, "reviewer", "GET", f"/v1/cases/{oldest}")
    expect(page.get_by_role("region", name="Evidence")).to_contain_text(
        file["evidence"][0]["sha256"]
    )

    # A 31-day block cannot be entered: the field says its limit, the API refuses it.
    # Ticked in this order, the restriction is the body's first measure and the block its second.
    page.get_by_label("Restrict the user for a time").check()
    page.get_by_label("Block the content for a time").check()
    page.locator("#m-restrict_user-days").fill("7")
    days = page.locator("#m-block_content-days")
    assert days.get_attribute("max") == "30"
    days.fill("31")
    page.get_by_label("Ground", exact=True).select_option("illegal_content")
    page.get_by_label("Legal ground").fill("Network Act art. 44-2")
    page.get_by_label("Facts relied on", exact=False).fill(FACTS)
    page.get_by_role("button", name="Preview").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    summary.get_by_role("link").first.click()
    expect(days).to_be_focused()
    expect(days).to_have_attribute("aria-invalid", "true")

    days.fill("30")
    # Sending before a preview of what is on the form is refused by the form itself.
    page.get_by_role("button", name="Send decision").click()
    expect(page.locator("#decision-result")).to_contain_text("Preview the decision first")

    page.get_by_role("button", name="Preview").click()
    preview = page.locator("#preview")
    expect(preview).to_contain_text("The claimant")
    expect(preview).to_contain_text("The poster")
    for lang in ("ko", "en"):
        expect(preview.locator(f".preview-lang[lang={lang}]").first).to_be_visible()
    # The pages' HTML is shown rebuilt from an allowlist: no form, control, script or id of theirs.
    expect(
        preview.locator(".preview-page :is(form, input, button, textarea, script, [id])")
    ).to_have_count(0)
    page.get_by_role("button", name="Send decision").click()
    result = page.locator("#decision-result")
    expect(result).to_contain_text("Decision recorded")

    recorded = as_staff(stack, "reviewer", "GET", f"/v1/cases/{oldest}")
    [decision] = recorded["decisions"]
    assert [e["action"] for e in recorded["history"]] == [
        "received",
        "restrict_user",
        "block_content",
    ]
    kinds = sorted(m["type"] for m in decision["measures"])
    assert kinds == ["block_content", "restrict_user"]
    [block] = [m for m in decision["measures"] if m["type"] == "block_content"]
    # The preview showed the block's end in both languages, as the pages write it.
    for lang in ("ko", "en"):
        expect(preview.locator(f".preview-lang[lang={lang}]").first).to_contain_text(
            in_words(block["ends_at"], lang).split(" ")[0]
        )

    # The decision is on the trail, and the case's history shows it.
    page.locator("#sent-audit").click()
    auditor = open_tab()
    sign_in(auditor, stack, "auditor")
    auditor.goto(f"/console?lang=en#/audit?case_id={oldest}")
    events = auditor.locator("#audit-results")
    for event in recorded["history"][1:]:
        expect(events).to_contain_text(event["action"])
    expect(events.get_by_role("row").filter(has_text="block_content")).to_contain_text(
        "demo-reviewer"
    )


def test_a_second_reviewers_stale_decision_is_explained(
    open_tab: Callable[..., Page], stack: RunningStack, second_reviewer: tuple[str, str]
) -> None:
    case_id, _ = report_over_http(stack)
    late = open_tab()
    sign_in_as(late, *second_reviewer)
    late.goto(f"/console?lang=en#/cases/{case_id}")
    expect(late.get_by_role("heading", level=1)).to_have_text(f"Case {case_id}")

    # Meanwhile the first reviewer decides the case.
    decided(stack, case_id, [{"type": "delete_content"}])

    late.get_by_label("Reject the report").check()
    late.get_by_label("Facts relied on", exact=False).fill(FACTS)
    late.get_by_role("button", name="Preview").click()
    stale = late.locator("#decision-result")
    expect(stale).to_contain_text("This case changed since you opened it")
    expect(stale).to_contain_text("You read version 1")
    expect(stale).to_contain_text("delete_content")
    expect(stale).to_contain_text("demo-reviewer")
    expect(stale).to_contain_text("Nothing was sent")


def test_a_posters_appeal_waits_in_the_appeals_queue_and_is_decided(
    open_tab: Callable[..., Page], stack: RunningStack
) -> None:
    case_id, _ = report_over_http(stack)
    decision = decided(
        stack, case_id, [{"type": "restrict_user", "service": "kakaotalk", "days": 14}]
    )
    notice = notice_url_of(stack, case_id)
    token = notice.split("#token=")[-1] if "#token=" in notice else notice.split("token=")[-1]
    [measure] = decision["decision"]["measures"] if "decision" in decision else []
    measure_id = as_staff(stack, "reviewer", "GET", f"/v1/cases/{case_id}")["case"]["measures"][0][
        "measure_id"
    ]
    appealed = requests.post(
        stack.url(f"/v1/notices/{case_id}/appeals"),
        json={"measure_id": measure_id, "statement": "I never posted this; my account was shared."},
        headers={"X-Notice-Token": token, "Idempotency-Key": f"appeal-{case_id}"},
        timeout=30,
    )
    assert appealed.status_code in (200, 201), appealed.text
    assert measure["type"] == "restrict_user"

    page = open_tab()
    sign_in(page, stack, "reviewer")
    page.get_by_role("tab", name="Appeals pending").click()
    expect(page.get_by_role("tab", name="Appeals pending")).to_have_attribute(
        "aria-selected", "true"
    )
    page.get_by_role("tabpanel").get_by_role("link", name=case_id).click()
    expect(page.locator("section[aria-labelledby=h-remedy]")).to_contain_text(
        "appeals a restriction"
    )
    page.get_by_label("Outcome").select_option("lift")
    page.get_by_label("Facts relied on", exact=False).fill(
        "The account was shown to be shared; the restriction is lifted on appeal."
    )
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator("#decision-result")).to_contain_text("Decision recorded")

    page.goto("/console?lang=en#/queue/appeals")
    expect(page.get_by_role("tabpanel")).not_to_contain_text(case_id)


def test_an_auditor_verifies_a_case_and_a_day(
    open_tab: Callable[..., Page], stack: RunningStack
) -> None:
    case_id, _ = report_over_http(stack)
    page = open_tab()
    sign_in(page, stack, "auditor", "ko")
    page.get_by_label("사건 번호", exact=True).first.fill(case_id)
    page.locator("#verify-case").fill(case_id)
    page.locator("#verify-case").press("Enter")
    expect(page.locator("#verify-result")).to_contain_text("검증됨")

    received = as_staff(stack, "reviewer", "GET", f"/v1/cases/{case_id}")["case"]["received_at"]
    day = in_words(received, "en")  # the Korea-time day the case was received
    from datetime import datetime, timedelta

    korea_day = (
        datetime.fromisoformat(received.replace("Z", "+00:00")) + timedelta(hours=9)
    ).date()
    assert str(korea_day.day) in day
    page.locator("#verify-day").fill(korea_day.isoformat())
    page.locator("#verify-day").press("Enter")
    progress = page.locator("#verify-progress")
    expect(progress).to_have_attribute("value", "4")
    expect(page.locator("#verify-result")).to_contain_text("검증됨")


def test_an_admin_erases_a_closed_case_after_confirming(
    open_tab: Callable[..., Page], stack: RunningStack
) -> None:
    case_id, _ = report_over_http(stack)
    decided(stack, case_id, [{"type": "reject", "reason": "not_infringing"}])
    page = open_tab()
    sign_in(page, stack, "admin")
    page.get_by_label("Case id", exact=True).fill(case_id)
    mistyped = case_id[:-1] + ("1" if case_id.endswith("0") else "0")
    page.get_by_label("Type the case id again to confirm").fill(mistyped)
    page.get_by_role("button", name="Erase personal data").click()
    expect(page.get_by_role("alert")).to_contain_text("The two case ids differ")
    page.get_by_label("Type the case id again to confirm").fill(case_id)
    page.get_by_role("button", name="Erase personal data").click()
    expect(page.get_by_role("status").filter(has_text="erased")).to_be_visible()
    erased = as_staff(stack, "reviewer", "GET", f"/v1/cases/{case_id}")["case"]
    assert "kim@example.com" not in json.dumps(erased)


def test_a_reviewer_decides_a_case_with_the_keyboard_alone(
    open_tab: Callable[..., Page], stack: RunningStack
) -> None:
    case_id, _ = report_over_http(stack)
    page = open_tab()
    sign_in(page, stack, "reviewer")
    page.goto(f"/console?lang=en#/cases/{case_id}")
    expect(page.get_by_role("heading", level=1)).to_be_focused()

    def tab_to(selector: str, limit: int = 120) -> None:
        for _ in range(limit):
            if page.evaluate(
                "(s) => document.activeElement === document.querySelector(s)", selector
            ):
                return
            page.keyboard.press("Tab")
        raise AssertionError(f"Tab never reached {selector}")

    tab_to("#claim-button")
    page.keyboard.press("Enter")
    expect(page.locator("#claim")).to_contain_text("Assigned to you")
    tab_to("#measure-block_content")
    page.keyboard.press("Space")
    tab_to("#m-block_content-days")
    page.keyboard.press("Control+A")
    page.keyboard.type("10")
    # The first template is the one for the case's own ground: it fills the reasons.
    tab_to("#template")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#legal_ground")).to_have_value(re.compile("44"))
    tab_to("#facts")
    page.keyboard.press("End")
    page.keyboard.type(" The status message names the claimant.")
    page.keyboard.press("Alt+P")
    expect(page.locator("#preview")).to_contain_text("The poster")
    page.keyboard.press("Alt+S")
    expect(page.locator("#decision-result")).to_contain_text("Decision recorded")
    recorded = as_staff(stack, "reviewer", "GET", f"/v1/cases/{case_id}")["decisions"]
    assert (
        recorded[0]["measures"][0]["parameters"]["days"] == 10
        or recorded[0]["measures"][0].get("days") == 10
    )


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_no_console_page_has_a_wcag_a_or_aa_violation(
    open_tab: Callable[..., Page], stack: RunningStack, lang: str
) -> None:
    require_axe()
    case_id, _ = report_over_http(stack)
    page = open_tab(bypass_csp=True)  # axe is injected; the CSP is checked by the tests above
    seen: dict[str, list[dict[str, Any]]] = {}
    page.goto(f"/console?lang={lang}")
    page.locator("#username").wait_for()
    seen["sign-in"] = violations(page)

    sign_in(page, stack, "reviewer", lang)
    page.locator("table.queue").wait_for()
    seen["queue"] = violations(page)
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: the table scrolls
    seen["queue on a phone"] = violations(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/console?lang={lang}#/cases/{case_id}")
    page.locator("#decision-form").wait_for()
    page.locator("#measure-block_content").check()
    page.locator("#template").select_option(index=1)
    page.locator("#preview-button").click()
    page.locator("#preview .preview").wait_for()
    seen["case with preview"] = violations(page)

    for role, path, ready in (
        ("auditor", f"#/audit?case_id={case_id}", "#audit-results table"),
        ("admin", "#/admin", "section[aria-labelledby=h-staff] table"),
    ):
        page.locator("#sign-out").click()
        page.locator("#username").wait_for()
        assert page.evaluate("() => window.sessionStorage.length") == 0  # signed out: forgotten
        sign_in(page, stack, role, lang)
        page.goto(f"/console?lang={lang}{path}")
        page.locator(ready).wait_for()
        seen[role] = violations(page)

    assert seen == {name: [] for name in seen}


def test_the_console_refreshes_its_tokens_before_they_expire(
    open_tab: Callable[..., Page], stack: RunningStack
) -> None:
    import time

    page = open_tab()
    sign_in(page, stack, "reviewer")
    kept = "() => JSON.parse(window.sessionStorage.getItem('irc.console.session'))"
    before = page.evaluate(kept)
    # The kept sign-in a little over a minute from its end, as after 14 minutes of work.
    page.evaluate(
        "(s) => window.sessionStorage.setItem('irc.console.session', "
        "JSON.stringify({...s, expiresAt: Date.now() + 65000}))",
        before,
    )
    page.reload()
    deadline = time.monotonic() + 20
    while page.evaluate(kept)["access"] == before["access"] and time.monotonic() < deadline:
        time.sleep(0.5)
    after = page.evaluate(kept)
    assert after["access"] != before["access"]
    assert after["expiresAt"] > time.time() * 1000 + 10 * 60 * 1000  # a fresh token's lifetime
    page.goto("/console?lang=en#/queue/in_review")
    expect(page.get_by_role("tab", name=re.compile("In review"))).to_have_attribute(
        "aria-selected", "true"
    )
    expect(page.locator("#console-user-name")).to_contain_text("demo-reviewer")
