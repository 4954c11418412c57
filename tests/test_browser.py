"""The hosted pages in a real browser (Chromium, headless), against the running local stack."""

from __future__ import annotations

import contextlib
import json
import os
import re
import struct
import tempfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Route,
    expect,
    sync_playwright,
)

from tests.localstack import RunningStack
from tests.test_notice_pages import in_words

pytestmark = [pytest.mark.browser, pytest.mark.e2e]
# What the page shows after a request to the local stack (one AWS request at a time) may take a
# few seconds on a busy machine: expectations wait as long as actions do.
expect.set_options(timeout=15_000)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(tempfile.gettempdir())
REFUSED_REQUEST = "Failed to load resource: the server responded with a status of 4"
CASE_ID = re.compile(r"^[0-9A-HJKMNP-TV-Z]{26}$")
STATEMENT_KO = "오픈채팅방 공지 게시판에 제 집 주소와 사진이 동의 없이 올라와 있습니다."
STATEMENT_EN = "The room cover uses our registered trademark and logo without any licence."


def png_image(width: int = 24, height: int = 16) -> bytes:
    """Return a real PNG image: a small gradient, compressed and checksummed as the format asks."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    rows = b"".join(
        b"\x00" + b"".join(bytes((x * 10 % 256, y * 15 % 256, 160)) for x in range(width))
        for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Write the files a claimant picks: screenshots and a power of attorney."""
    folder = tmp_path_factory.mktemp("picked")
    written = {
        "screenshot": folder / "chat-screenshot.png",
        "second": folder / "room-cover.png",
        "attorney": folder / "power-of-attorney.pdf",
        "archive": folder / "archive.zip",
        "huge": folder / "huge.pdf",
        "pretender": folder / "not-really.png",
    }
    written["screenshot"].write_bytes(png_image())
    written["second"].write_bytes(png_image(12, 12))
    written["attorney"].write_bytes(
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )
    written["pretender"].write_text("plain words that only claim to be an image\n")
    written["archive"].write_bytes(b"PK\x03\x04 not evidence")
    with written["huge"].open("wb") as huge:
        huge.write(b"%PDF-1.4\n")
        # A sparse file: one byte over the limit without writing 20 MiB.
        huge.truncate(20 * 1024 * 1024 + 1)
    return written


def require_chromium(chromium: Path) -> None:
    """Skip when `chromium` is missing on a developer's machine; fail in CI, which runs these."""
    if chromium.exists():
        return
    reason = f"no Chromium at {chromium}: the browser tests need it (apt-get install -y chromium)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; under CI=true they must run, not skip", pytrace=False)
    pytest.skip(reason)


@pytest.mark.parametrize(
    ("ci", "outcome"),
    [("true", pytest.fail.Exception), ("", pytest.skip.Exception), (None, pytest.skip.Exception)],
)
def test_a_missing_chromium_fails_the_run_in_ci_and_skips_it_elsewhere(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, ci: str | None, outcome: type[BaseException]
) -> None:
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)

    # Caught as any BaseException: a skip where a failure is due must fail here, not skip.
    with pytest.raises(BaseException, match=r"no Chromium at .*apt-get install -y") as seen:
        require_chromium(tmp_path / "chromium")
    assert seen.type is outcome


def test_a_present_chromium_neither_skips_nor_fails(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CI", "true")
    (tmp_path / "chromium").touch()

    require_chromium(tmp_path / "chromium")


@contextlib.contextmanager
def chromium() -> Iterator[Browser]:
    """Launch a headless Chromium (Debian's), or skip or fail as require_chromium says."""
    require_chromium(CHROMIUM)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Launch one headless Chromium for the module."""
    with chromium() as launched:
        yield launched


@pytest.fixture
def open_tab(browser: Browser, local_stack: RunningStack) -> Iterator[Callable[..., Page]]:
    """Open fresh tabs; fail the test if a page logs an error (a CSP violation is one)."""
    contexts: list[BrowserContext] = []
    problems: list[str] = []

    def note(message: ConsoleMessage) -> None:
        # A refused report answers 4xx on purpose; the browser logs that as an error too.
        if message.type == "error" and not message.text.startswith(REFUSED_REQUEST):
            problems.append(message.text)

    def open_one(**options: Any) -> Page:
        context = browser.new_context(
            base_url=local_stack.app_url, viewport={"width": 1024, "height": 900}, **options
        )
        contexts.append(context)
        context.set_default_timeout(15_000)
        if options.get("java_script_enabled", True):
            context.grant_permissions(["clipboard-read", "clipboard-write"])
        opened = context.new_page()
        opened.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        opened.on("console", note)
        return opened

    yield open_one
    for context in contexts:
        context.close()
    assert not problems


@pytest.fixture
def page(open_tab: Callable[..., Page]) -> Page:
    """Open a fresh tab."""
    return open_tab()


def fill_korean_report(page: Page, evidence: Path) -> None:
    page.get_by_role("textbox", name="이름", exact=True).fill("김민지")
    page.get_by_role("textbox", name="이메일").fill("minji@example.com")
    page.get_by_role("textbox", name="전화번호 (선택)").fill("010-1234-5678")
    page.get_by_role("radio", name="오픈채팅 그룹채팅방 공지·일정·투표 게시판").check()
    page.get_by_role("textbox", name="내용의 주소(URL)").fill("https://open.kakao.com/o/gABCDEF")
    page.get_by_role("checkbox", name="개인정보 유포·사생활 침해").check()
    page.get_by_role("checkbox", name="초상권 침해").check()
    page.get_by_role("radio", name="접근 차단(임시조치)").check()
    page.get_by_role("textbox", name="신고 내용", exact=True).fill(STATEMENT_KO)
    upload_and_wait(page, "#evidence", evidence, "올림 완료")
    page.get_by_role("checkbox", name="신고 내용이 사실이며 선의로 신고함을 확인합니다.").check()


def upload_and_wait(page: Page, input_selector: str, file: Path, done_text: str) -> None:
    """Pick a file and wait until its progress bar is full and it says it is uploaded."""
    page.locator(input_selector).set_input_files(file)
    item = page.locator(f"{input_selector}-list li", has_text=file.name)
    expect(item.locator(".file-status")).to_have_text(done_text)
    progress = item.locator("progress")
    expect(progress).to_be_attached()
    assert progress.evaluate("bar => bar.value === bar.max && bar.max > 0")


def read_receipt(page: Page, mailed: bool = True) -> tuple[str, str]:
    receipt = page.locator("#receipt")
    expect(receipt).to_be_visible()
    no_mail = page.locator("#receipt-no-mail")
    if mailed:
        expect(no_mail).to_be_hidden()
    else:
        expect(no_mail).to_be_visible()
    expect(page.locator("#report-form")).to_have_count(0)
    case_id = page.locator("#receipt-case-id").inner_text()
    token = page.locator("#receipt-token").inner_text()
    assert CASE_ID.match(case_id)
    assert len(token) >= 32
    return case_id, token


# What a client past its limits is answered (tests/test_limits.py has the app answer so; the
# suite's local stack lifts the limits, so the browser is handed these answers here).
TOO_MANY = {
    "type": "/problems/too-many-requests",
    "title": "Too many requests",
    "status": 429,
    "detail": "This network address has reached its limit; retry after the window ends.",
}


def answer_too_many(route: Route) -> None:
    route.fulfill(
        status=429,
        headers={"Retry-After": "600", "Cache-Control": "no-store"},
        content_type="application/problem+json",
        body=json.dumps(TOO_MANY),
    )


def test_a_report_past_the_limit_says_when_to_send_it_again_and_keeps_the_form(
    page: Page, files: dict[str, Path]
) -> None:
    page.goto("/?lang=ko")
    fill_korean_report(page, files["screenshot"])
    page.route("**/v1/reports", answer_too_many)
    page.get_by_role("button", name="신고하기").click()

    summary = page.locator("#error-summary")
    # Nothing in the form is wrong: the message is headed as a report not sent, not as errors.
    expect(summary.locator("h2")).to_have_text("신고를 아직 보내지 못했습니다")
    expect(summary).to_contain_text("1시간 동안 받을 수 있는 신고 수를")
    expect(summary).to_contain_text("여러 사람이 함께 쓰는 연결")
    expect(summary).to_contain_text(re.compile(r"\d{2}:\d{2} \(한국 시간\) 이후에 다시 신고하기"))
    expect(page.get_by_role("textbox", name="신고 내용", exact=True)).to_have_value(STATEMENT_KO)

    # Sent again once the window has ended, the report is received, here without its mail.
    def without_mail(route: Route) -> None:
        answer = route.fetch()
        receipt = {**answer.json(), "acknowledgement_mailed": False}
        route.fulfill(response=answer, body=json.dumps(receipt))

    page.unroute("**/v1/reports")
    page.route("**/v1/reports", without_mail)
    page.get_by_role("button", name="신고하기").click()
    read_receipt(page, mailed=False)
    expect(page.locator("#receipt-no-mail")).to_contain_text("접수 확인 메일은 보내지 않았습니다")


def test_an_upload_past_the_limit_says_when_to_pick_the_file_again(
    page: Page, files: dict[str, Path]
) -> None:
    page.goto("/?lang=en")
    page.route("**/v1/uploads", answer_too_many)
    page.locator("#evidence").set_input_files(files["screenshot"])

    item = page.locator("#evidence-list li", has_text=files["screenshot"].name)
    expect(item).to_contain_text("received as many files as we accept in one hour")
    expect(item).to_contain_text(re.compile(r"After \d+ \w+ \d{4}, \d{2}:\d{2} KST, remove"))


def test_a_claimant_reports_in_korean_and_follows_the_case(
    page: Page, files: dict[str, Path]
) -> None:
    page.goto("/?lang=ko")
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    fill_korean_report(page, files["screenshot"])
    expect(page.locator("#statement-count")).to_have_text(f"{len(STATEMENT_KO)} / 5000자")
    page.screenshot(path=SCREENSHOTS / "irc-report-form-ko.png", full_page=True)

    page.get_by_role("button", name="신고하기").click()
    case_id, token = read_receipt(page)
    expect(page.locator("#receipt-warning")).to_contain_text("한 번만 표시됩니다")
    expect(page.locator("#receipt-title")).to_be_focused()
    expect(page.get_by_role("button", name="사건 번호 복사")).to_be_visible()
    page.get_by_role("button", name="접수 토큰 복사").click()
    expect(page.locator("#copy-status")).to_have_text("복사했습니다")
    assert page.evaluate("navigator.clipboard.readText()") == token
    page.screenshot(path=SCREENSHOTS / "irc-receipt-ko.png", full_page=True)

    # Following the case proves it with the receipt: the status address, without the token.
    page.get_by_role("link", name="처리 상황 확인하기").click()
    page.wait_for_url(f"**/status/{case_id}?*")
    assert token not in page.url
    expect(page.locator("#case-status .status-name")).to_have_text("접수됨")
    expect(page.locator("#case-files")).to_contain_text(files["screenshot"].name)
    expect(page.locator("#no-decisions")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "irc-status-ko.png", full_page=True)


def test_an_agent_reports_an_ip_infringement_in_english(page: Page, files: dict[str, Path]) -> None:
    page.goto("/", wait_until="load")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    attorney = page.get_by_label("Power of attorney", exact=False)
    expect(attorney).to_be_hidden()
    page.get_by_role("radio", name="An agent").check()
    expect(attorney).to_be_visible()
    page.get_by_role("textbox", name="Your name").fill("Lee Daeri")
    page.get_by_role("textbox", name="Email").fill("daeri@example.com")
    page.get_by_role("textbox", name="Name of the person whose rights were violated").fill(
        "Kim Minji"
    )
    upload_and_wait(page, "#power-of-attorney", files["attorney"], "Uploaded")

    page.get_by_role("radio", name="Open Chat room information (cover)").check()
    page.get_by_role("textbox", name="Address (URL) of the content").fill(
        "https://open.kakao.com/o/gXYZ123"
    )
    ip_right = page.get_by_role("combobox", name="Which intellectual property right?")
    expect(ip_right).to_be_hidden()
    page.get_by_role("checkbox", name="Intellectual property").check()
    ip_right.select_option("trademark")
    page.get_by_role("radio", name="Delete").check()
    page.get_by_role("textbox", name="What happened").fill(STATEMENT_EN)
    upload_and_wait(page, "#evidence", files["screenshot"], "Uploaded")
    upload_and_wait(page, "#evidence", files["second"], "Uploaded")
    page.get_by_role("checkbox", name=re.compile("^I declare")).check()
    page.get_by_role("button", name="Submit report").click()

    case_id, token = read_receipt(page)
    expect(page.locator("#receipt")).to_contain_text("shown only this once")
    page.goto("/status?lang=en")
    page.locator("#status-lookup").get_by_role("textbox", name="Case ID").fill(case_id)
    page.get_by_role("textbox", name="Receipt token").fill(token)
    page.get_by_role("button", name="Check").click()
    expect(page.locator("#case-status .status-name")).to_have_text("Received")
    files_listed = page.locator("#case-files")
    expect(files_listed).to_contain_text("chat-screenshot.png (Evidence")
    expect(files_listed).to_contain_text("room-cover.png (Evidence")
    expect(files_listed).to_contain_text("power-of-attorney.pdf (Power of attorney")
    expect(page.locator("main")).to_contain_text("Trademark")


def test_a_wrong_report_shows_each_error_next_to_its_field(
    page: Page, files: dict[str, Path]
) -> None:
    page.goto("/?lang=ko")
    fill_korean_report(page, files["screenshot"])
    email = page.get_by_role("textbox", name="이메일")
    statement = page.get_by_role("textbox", name="신고 내용", exact=True)
    email.fill("minji-at-example")
    statement.fill("너무 짧은 신고")
    page.get_by_role("button", name="신고하기").click()

    expect(email).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#claimant-email-error")).to_have_text(
        "이메일 주소 형식으로 입력해 주세요. 예: name@example.com"
    )
    expect(email).to_have_attribute("aria-describedby", re.compile(r"\bclaimant-email-error\b"))
    expect(page.locator("#error-summary")).to_be_focused()
    expect(statement).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#statement-error")).to_have_text("신고 내용을 20자 이상 적어 주세요.")
    expect(page.locator("#error-summary")).to_contain_text("2개 항목을 확인해 주세요")
    expect(page.get_by_role("textbox", name="이름", exact=True)).not_to_have_attribute(
        "aria-invalid", "true"
    )

    email.fill("minji@example.com")
    statement.fill(STATEMENT_KO)
    page.get_by_role("button", name="신고하기").click()
    read_receipt(page)


def test_a_file_whose_content_is_not_its_type_is_pointed_out(
    page: Page, files: dict[str, Path]
) -> None:
    page.goto("/?lang=ko")
    fill_korean_report(page, files["screenshot"])
    page.locator("#evidence").set_input_files(files["pretender"])

    # The server checks it as soon as it is uploaded, before anything is submitted.
    pretender = page.locator("#evidence-list li", has_text=files["pretender"].name)
    expect(pretender).to_have_class(re.compile(r"\bfile-refused\b"))
    expect(pretender).to_contain_text("받을 수 없는 파일입니다. 내용이 PNG 파일이 아닙니다.")
    expect(page.locator("#evidence-list li", has_text=files["screenshot"].name)).not_to_have_class(
        re.compile(r"\bfile-refused\b")
    )

    pretender.get_by_role("button", name=f"{files['pretender'].name} 삭제").click()
    page.get_by_role("button", name="신고하기").click()
    read_receipt(page)


def test_the_browser_refuses_a_file_it_may_not_upload(page: Page, files: dict[str, Path]) -> None:
    page.goto("/?lang=en")
    evidence = page.locator("#evidence")
    evidence.set_input_files([files["archive"], files["huge"]])
    zipped = page.locator("#evidence-list li", has_text="archive.zip")
    expect(zipped).to_contain_text("Files of this type cannot be uploaded.")
    expect(page.locator("#evidence-list li", has_text="huge.pdf")).to_contain_text(
        "Files larger than 20 MB cannot be uploaded."
    )
    zipped.get_by_role("button", name="Remove archive.zip").click()
    expect(zipped).to_have_count(0)
    expect(evidence).to_be_focused()


def test_the_status_page_works_without_javascript(
    browser: Browser, local_stack: RunningStack
) -> None:
    case_id, token = report_over_http(local_stack)
    context = browser.new_context(base_url=local_stack.app_url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/status?lang=ko")
        page.locator("#status-lookup").get_by_role("textbox", name="사건 번호").fill(case_id)
        page.get_by_role("textbox", name="접수 토큰").fill("wrong-token")
        page.get_by_role("button", name="확인하기").click()
        expect(page.get_by_role("alert")).to_contain_text("찾지 못했습니다")
        expect(page.get_by_role("textbox", name="접수 토큰")).to_have_attribute(
            "aria-invalid", "true"
        )
        page.get_by_role("textbox", name="접수 토큰").fill(token)
        page.get_by_role("button", name="확인하기").click()
        expect(page.locator("#case-status .status-name")).to_have_text("접수됨")
    finally:
        context.close()


def report_over_http(
    stack: RunningStack, email: str = "kim@example.com", lang: str = "ko"
) -> tuple[str, str]:
    """Open a case with the JSON API, as a script would, and return its id and token."""
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
            "claimant": {"name": "Kim", "email": email, "relationship": "self"},
            "target": {"surface": "kakaotalk_profile", "url": "https://example.com/profile"},
            "grounds": ["defamation"],
            "requested_action": "block",
            "statement": "The profile status message calls me a thief by name.",
            "evidence": [grant["upload_id"]],
            "declaration": True,
            "lang": lang,
        },
        headers={"Idempotency-Key": f"browser-test-{grant['upload_id']}"},
        timeout=30,
    )
    assert answer.status_code == 201, answer.text
    receipt = answer.json()
    return str(receipt["case_id"]), str(receipt["receipt_token"])


# Decisions: the poster's notice, and what the claimant sees and may do


FACTS = "The profile status message names the claimant and calls her a thief without any proof."
ANSWER = "The attached screenshot shows the status message with my full name and the date."


@dataclass(frozen=True)
class DecidedCase:
    """A case decided over HTTP: its receipt, the reviewer's decision, the poster's notice link."""

    case_id: str
    receipt_token: str
    decision: dict[str, Any]
    notice_url: str


def reviewer_token(stack: RunningStack) -> str:
    """Sign the demo reviewer in to the local user pool and return their access token."""
    reviewer = stack.demo_users["reviewer"]
    answer = stack.client("cognito-idp").admin_initiate_auth(
        UserPoolId=stack.environment["USER_POOL_ID"],
        ClientId=stack.environment["USER_POOL_CLIENT_ID"],
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": reviewer["username"], "PASSWORD": reviewer["password"]},
    )
    return str(answer["AuthenticationResult"]["AccessToken"])


def decide_over_http(stack: RunningStack, case_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """Record a decision as a reviewer does, through the staff API."""
    answer = requests.post(
        stack.url(f"/v1/cases/{case_id}/decisions"),
        json=body,
        headers={"Authorization": f"Bearer {reviewer_token(stack)}"},
        timeout=30,
    )
    assert answer.status_code == 201, answer.text
    decision: dict[str, Any] = answer.json()["decision"]
    return decision


def notice_url_of(stack: RunningStack, case_id: str) -> str:
    """Take this case's notice link from the enforcement queue; leave other cases' messages."""
    sqs = stack.client("sqs")
    queue = stack.environment["ENFORCEMENT_QUEUE_URL"]
    for _ in range(20):
        batch = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10, WaitTimeSeconds=1)
        for message in batch.get("Messages", []):
            body = json.loads(message["Body"])
            if body["case_id"] == case_id:
                sqs.delete_message(QueueUrl=queue, ReceiptHandle=message["ReceiptHandle"])
                return str(body["notice_url"])
            sqs.change_message_visibility(
                QueueUrl=queue, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
            )
    raise AssertionError(f"no enforcement message for case {case_id}")


@pytest.fixture(scope="module")
def blocked(local_stack: RunningStack) -> DecidedCase:
    """A reported profile whose content a reviewer blocked for 30 days as illegal."""
    case_id, token = report_over_http(local_stack)
    decision = decide_over_http(
        local_stack,
        case_id,
        {
            "expected_version": 1,
            "measures": [{"type": "block_content", "days": 30}],
            "reasons": {
                "ground": "illegal_content",
                "legal_ground": "Network Act art. 44-2",
                "facts": FACTS,
                "note": "Internal: second report about this profile.",
            },
        },
    )
    return DecidedCase(case_id, token, decision, notice_url_of(local_stack, case_id))


def until_text(decision: dict[str, Any], kind: str, lang: str) -> str:
    [measure] = [m for m in decision["measures"] if m["type"] == kind]
    return in_words(str(measure["ends_at"]), lang)


def check_status(page: Page, case_id: str, receipt_token: str, lang: str) -> None:
    """Open the status page in `lang` and ask for the case as its claimant."""
    labels = {
        "ko": ("사건 번호", "접수 토큰", "확인하기"),
        "en": ("Case ID", "Receipt token", "Check"),
    }
    case_id_label, token_label, submit = labels[lang]
    page.goto(f"/status?lang={lang}")
    lookup = page.locator("#status-lookup")
    lookup.get_by_role("textbox", name=case_id_label).fill(case_id)
    lookup.get_by_role("textbox", name=token_label).fill(receipt_token)
    lookup.get_by_role("button", name=submit, exact=True).click()


def test_the_poster_opens_the_notice_link_in_korean_and_in_english(
    open_tab: Callable[..., Page], blocked: DecidedCase, local_stack: RunningStack
) -> None:
    assert blocked.notice_url.startswith(f"{local_stack.app_url}/notices/{blocked.case_id}?token=")
    page = open_tab(locale="ko-KR")
    page.goto(blocked.notice_url)
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    main = page.locator("main")
    expect(page.get_by_role("heading", level=1)).to_have_text("권리침해 신고에 따른 조치 안내")
    expect(page.locator("#notice-status .status-name")).to_have_text("조치 중")
    expect(page.locator("#content-url")).to_have_text("https://example.com/profile")
    expect(main.get_by_role("link", name="https://example.com/profile")).to_have_count(0)
    expect(main).to_contain_text("카카오톡 프로필")
    expect(main).to_contain_text("게시물 접근 차단(임시조치)")
    expect(main).to_contain_text(f"{until_text(blocked.decision, 'block_content', 'ko')}까지")
    expect(page.locator(".decision-ground")).to_have_text("불법 정보")
    expect(page.locator(".legal-ground")).to_have_text("Network Act art. 44-2")
    expect(page.locator(".decision-facts")).to_have_text(FACTS)
    expect(page.locator("#reposting")).to_contain_text("다시 게시해 달라고 요청할 수 있습니다")
    expect(page.get_by_role("button", name="재게시 요청 보내기")).to_be_enabled()
    expect(page.locator("#redress")).to_contain_text("방송통신심의위원회")
    expect(main).not_to_contain_text("Internal: second report")
    page.screenshot(path=SCREENSHOTS / "irc-notice-ko.png", full_page=True)

    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rights Infringement Notice")
    expect(main).to_contain_text("Access blocked (temporary measure)")
    expect(main).to_contain_text(f"until {until_text(blocked.decision, 'block_content', 'en')}")
    expect(page.locator(".decision-ground")).to_have_text("Illegal content")
    expect(page.locator(".decision-facts")).to_have_text(FACTS)
    expect(page.locator("#reposting")).to_contain_text("request that the content be re-posted")
    expect(page.get_by_role("button", name="Send re-posting request")).to_be_enabled()
    expect(page.locator("#redress")).to_contain_text("Korea Communications Standards Commission")
    page.screenshot(path=SCREENSHOTS / "irc-notice-en.png", full_page=True)

    page.goto(blocked.notice_url.replace("token=", "token=x"))
    expect(page.get_by_role("heading", level=1)).to_have_text("안내를 열 수 없습니다")
    expect(main).not_to_contain_text(FACTS)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_claimant_reads_the_decision_on_the_status_page(
    page: Page, blocked: DecidedCase, lang: str
) -> None:
    words = {
        "ko": ("조치됨", "접근 차단(임시조치)", "불법 정보", "방송통신심의위원회", "{}까지"),
        "en": (
            "Action taken",
            "Access blocked (temporary measure)",
            "Illegal content",
            "Korea Communications Standards Commission",
            "until {}",
        ),
    }
    status, measure, ground, commission, until = words[lang]
    check_status(page, blocked.case_id, blocked.receipt_token, lang)
    expect(page.locator("#case-status .status-name")).to_have_text(status)
    decision = page.locator("#decisions .decision")
    expect(decision).to_have_count(1)
    expect(decision.locator(".measure-name")).to_contain_text(measure)
    expect(decision.locator(".measure-until")).to_have_text(
        until.format(until_text(blocked.decision, "block_content", lang))
    )
    expect(decision.locator(".decision-ground")).to_have_text(ground)
    expect(decision.locator(".legal-ground")).to_have_text("Network Act art. 44-2")
    expect(decision.locator(".decision-facts")).to_have_text(FACTS)
    expect(decision.locator(".redress")).to_contain_text(commission)
    expect(page.locator("main")).not_to_contain_text("Internal: second report")
    expect(page.locator("#withdrawal")).to_have_count(0)
    page.screenshot(path=SCREENSHOTS / f"irc-status-decided-{lang}.png", full_page=True)


def test_the_claimant_answers_a_request_for_information_with_a_file(
    page: Page, files: dict[str, Path], local_stack: RunningStack
) -> None:
    case_id, token = report_over_http(local_stack)
    asked = decide_over_http(
        local_stack,
        case_id,
        {
            "expected_version": 1,
            "measures": [
                {
                    "type": "request_information",
                    "message": "화면 캡처에 게시 날짜가 보이도록 다시 찍어 보내 주세요.",
                    "due_days": 7,
                }
            ],
            "reasons": {"facts": "The screenshot does not show when the message was posted."},
        },
    )
    check_status(page, case_id, token, "ko")
    expect(page.locator("#case-status .status-name")).to_have_text("추가 자료 요청")
    expect(page.locator("#information-message")).to_have_text(
        "화면 캡처에 게시 날짜가 보이도록 다시 찍어 보내 주세요."
    )
    expect(page.locator("#information-due")).to_have_text(
        until_text(asked, "request_information", "ko")
    )
    statement = page.get_by_role("textbox", name="답변 내용")
    statement.fill("너무 짧은 답변")
    upload_and_wait(page, "#answer-evidence", files["second"], "올림 완료")
    page.get_by_role("button", name="답변 보내기").click()
    expect(page.locator("#answer-statement-error")).to_have_text(
        "답변 내용을 20자 이상 적어 주세요."
    )
    expect(statement).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#answer-error-summary")).to_be_focused()

    statement.fill(ANSWER)
    expect(page.locator("#answer-statement-count")).to_have_text(f"{len(ANSWER)} / 5000자")
    page.screenshot(path=SCREENSHOTS / "irc-status-information-ko.png", full_page=True)
    page.get_by_role("button", name="답변 보내기").click()
    expect(page.locator("#status-flash")).to_have_text(
        "답변을 보냈습니다. 담당자가 다시 검토합니다."
    )
    expect(page.locator("#case-status .status-name")).to_have_text("검토 중")
    expect(page.locator("#case-files")).to_contain_text(files["second"].name)
    expect(page.locator("#answer-form")).to_have_count(0)
    assert token not in page.url
    page.screenshot(path=SCREENSHOTS / "irc-status-answered-ko.png", full_page=True)


def test_the_claimant_withdraws_a_report_without_javascript(
    open_tab: Callable[..., Page], local_stack: RunningStack
) -> None:
    case_id, token = report_over_http(local_stack)
    page = open_tab(java_script_enabled=False)
    check_status(page, case_id, token, "en")
    expect(page.locator("#case-status .status-name")).to_have_text("Received")
    withdrawal = page.locator("#withdrawal")
    withdrawal.get_by_role("button", name="Withdraw my report").click()
    expect(page.locator("#withdraw-confirm-error")).to_have_text(
        "To withdraw, first tick the box below."
    )
    expect(page.locator("#case-status .status-name")).to_have_text("Received")
    page.get_by_role(
        "checkbox", name="I understand that withdrawing my report cannot be undone."
    ).check()
    page.get_by_role("button", name="Withdraw my report").click()
    expect(page.locator("#status-flash")).to_contain_text("Your report was withdrawn.")
    expect(page.locator("#case-status .status-name")).to_have_text("Withdrawn")
    expect(page.locator("#withdrawal")).to_have_count(0)
    assert token not in page.url
    page.screenshot(path=SCREENSHOTS / "irc-status-withdrawn-en.png", full_page=True)


# The poster's requests against the measures


REPOSTING = "제 프로필 문구는 신고인을 가리키지 않으며, 이름도 나오지 않습니다. 캡처를 첨부합니다."
APPEAL = "My phone was lent to a friend that week; I did not write the status message myself."


def test_the_poster_requests_reposting_with_a_file_and_the_claimant_reads_it(
    open_tab: Callable[..., Page], files: dict[str, Path], local_stack: RunningStack
) -> None:
    case_id, receipt_token = report_over_http(local_stack)
    decide_over_http(
        local_stack,
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
    notice_url = notice_url_of(local_stack, case_id)
    page = open_tab(locale="ko-KR")
    page.goto(notice_url)
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    form = page.locator("#reposting-form")
    statement = form.get_by_role("textbox", name="재게시를 요청하는 이유")
    statement.fill("짧은 이유")
    upload_and_wait(page, "#reposting-evidence", files["screenshot"], "올림 완료")
    form.get_by_role("button", name="재게시 요청 보내기").click()
    expect(page.locator("#reposting-statement-error")).to_have_text("이유를 20자 이상 적어 주세요.")
    expect(statement).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#reposting-error-summary")).to_be_focused()

    statement.fill(REPOSTING)
    expect(page.locator("#reposting-statement-count")).to_have_text(f"{len(REPOSTING)} / 5000자")
    page.screenshot(path=SCREENSHOTS / "irc-notice-reposting-form-ko.png", full_page=True)
    form.get_by_role("button", name="재게시 요청 보내기").click()
    expect(page.locator("#notice-flash")).to_have_text(
        "재게시 요청을 보냈습니다. 담당자가 검토한 뒤 결과를 알려 드립니다."
    )
    expect(page.locator("#notice-status .status-name")).to_have_text("재게시 요청 검토 중")
    request = page.locator("#reposting-request")
    expect(request).to_contain_text(REPOSTING)
    expect(request.locator("#reposting-files-sent")).to_contain_text(files["screenshot"].name)
    expect(page.locator("#reposting-outcome")).to_contain_text("담당자가 검토하고 있습니다")
    expect(page.locator("#reposting-form")).to_have_count(0)
    assert "token=" not in page.url
    page.screenshot(path=SCREENSHOTS / "irc-notice-reposting-sent-ko.png", full_page=True)

    claimant = open_tab(locale="en-GB")
    check_status(claimant, case_id, receipt_token, "en")
    expect(claimant.locator("#case-status .status-name")).to_have_text("Re-posting requested")
    told = claimant.locator("#reposting-request")
    expect(told).to_contain_text("The poster's re-posting request")
    expect(told.locator("#reposting-statement")).to_have_text(REPOSTING)
    expect(told.locator("#reposting-outcome")).to_contain_text("A reviewer is looking at it.")
    expect(told.locator("#reposting-redress")).to_contain_text(
        "Korea Communications Standards Commission (방송통신심의위원회) or to a court"
    )
    expect(claimant.locator("main")).not_to_contain_text(files["screenshot"].name)
    claimant.screenshot(path=SCREENSHOTS / "irc-status-reposting-en.png", full_page=True)


def test_the_poster_appeals_a_restriction_in_english(
    open_tab: Callable[..., Page], local_stack: RunningStack
) -> None:
    case_id, _ = report_over_http(local_stack)
    decision = decide_over_http(
        local_stack,
        case_id,
        {
            "expected_version": 1,
            "measures": [{"type": "restrict_user", "service": "kakaotalk", "days": 7}],
            "reasons": {
                "ground": "illegal_content",
                "legal_ground": "Network Act art. 44-2",
                "facts": FACTS,
            },
        },
    )
    page = open_tab(locale="en-US")
    page.goto(notice_url_of(local_stack, case_id))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#reposting-form")).to_have_count(0)
    state = page.locator("#measures-now .state")
    expect(state).to_contain_text("Restricted from KakaoTalk")
    expect(state).to_contain_text(f"in force until {until_text(decision, 'restrict_user', 'en')}")
    form = page.locator(".appeal-form")
    expect(form.get_by_role("heading")).to_have_text("Appeal: Restricted from KakaoTalk")
    form.get_by_role("textbox", name="Why the restriction is wrong").fill(APPEAL)
    page.screenshot(path=SCREENSHOTS / "irc-notice-appeal-form-en.png", full_page=True)
    form.get_by_role("button", name="Send appeal").click()

    expect(page.locator("#notice-flash")).to_have_text(
        "Your appeal was sent. A reviewer will look at the restriction again."
    )
    expect(state.locator(".appeal-filed")).to_contain_text("Appeal filed on")
    expect(state.locator(".appeal-statement")).to_have_text(APPEAL)
    expect(state.locator(".appeal-outcome")).to_have_text("A reviewer is looking at it.")
    expect(page.locator(".appeal-form")).to_have_count(0)
    page.screenshot(path=SCREENSHOTS / "irc-notice-appeal-sent-en.png", full_page=True)
