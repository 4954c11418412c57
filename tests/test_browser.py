"""The hosted pages in a real browser (Chromium, headless), against the running local stack."""

from __future__ import annotations

import re
import struct
import tempfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Browser, ConsoleMessage, Page, expect, sync_playwright

from tests.localstack import RunningStack

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

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


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Launch one headless Chromium for the module."""
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, local_stack: RunningStack) -> Iterator[Page]:
    """Open a fresh tab; fail the test if the page logs an error (a CSP violation is one)."""
    context = browser.new_context(
        base_url=local_stack.app_url, viewport={"width": 1024, "height": 900}
    )
    context.set_default_timeout(15_000)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    opened = context.new_page()
    problems: list[str] = []

    def note(message: ConsoleMessage) -> None:
        # A refused report answers 4xx on purpose; the browser logs that as an error too.
        if message.type == "error" and not message.text.startswith(REFUSED_REQUEST):
            problems.append(message.text)

    opened.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    opened.on("console", note)
    yield opened
    context.close()
    assert not problems


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


def read_receipt(page: Page) -> tuple[str, str]:
    receipt = page.locator("#receipt")
    expect(receipt).to_be_visible()
    expect(page.locator("#report-form")).to_have_count(0)
    case_id = page.locator("#receipt-case-id").inner_text()
    token = page.locator("#receipt-token").inner_text()
    assert CASE_ID.match(case_id)
    assert len(token) >= 32
    return case_id, token


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

    page.get_by_role("link", name="처리 상황 확인하기").click()
    expect(page.get_by_role("textbox", name="사건 번호")).to_have_value(case_id)
    page.get_by_role("textbox", name="접수 토큰").fill(token)
    page.get_by_role("button", name="확인하기").click()
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
    page.get_by_role("textbox", name="Case ID").fill(case_id)
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
    expect(email).to_be_focused()
    expect(statement).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#statement-error")).to_have_text("신고 내용을 20자 이상 적어 주세요.")
    expect(page.locator("#error-summary")).to_contain_text("2개 항목을 확인해 주세요.")
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
    upload_and_wait(page, "#evidence", files["pretender"], "올림 완료")
    page.get_by_role("button", name="신고하기").click()

    pretender = page.locator("#evidence-list li", has_text=files["pretender"].name)
    expect(pretender).to_have_class(re.compile(r"\bfile-error\b"))
    expect(pretender).to_contain_text("이 파일은 받을 수 없습니다.")
    evidence = page.locator("#evidence")
    expect(evidence).to_have_attribute("aria-invalid", "true")
    expect(evidence).to_have_attribute("aria-describedby", re.compile(r"\bevidence-error\b"))
    expect(page.locator("#evidence-error")).to_be_visible()
    expect(evidence).to_be_focused()
    expect(page.locator("#evidence-list li", has_text=files["screenshot"].name)).not_to_have_class(
        re.compile(r"\bfile-error\b")
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
        page.get_by_role("textbox", name="사건 번호").fill(case_id)
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


def report_over_http(stack: RunningStack) -> tuple[str, str]:
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
            "claimant": {"name": "Kim", "email": "kim@example.com", "relationship": "self"},
            "target": {"surface": "kakaotalk_profile", "url": "https://example.com/profile"},
            "grounds": ["defamation"],
            "requested_action": "block",
            "statement": "The profile status message calls me a thief by name.",
            "evidence": [grant["upload_id"]],
            "declaration": True,
            "lang": "ko",
        },
        headers={"Idempotency-Key": f"browser-test-{grant['upload_id']}"},
        timeout=30,
    )
    assert answer.status_code == 201, answer.text
    receipt = answer.json()
    return str(receipt["case_id"]), str(receipt["receipt_token"])
