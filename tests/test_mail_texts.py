"""Every mail in the receipt's and the status page's words, and every page in its own language.

The mails are read as their claimant reads them: each moment in Korea's time with the zone named,
each measure and end date as the status page words it, a link to the case's own status address,
and no timestamp or code as the service stores it. The pages' words for refused requests are
driven by the problem codes the service can answer, in both languages.
"""

from __future__ import annotations

import ast
import re
import urllib.parse
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pytest

from chalicelib.domain.errors import FieldError
from chalicelib.domain.lifecycle import Actor
from chalicelib.services.intake import Intake
from chalicelib.services.review import Review
from chalicelib.web import forms
from chalicelib.web.reader import Reader
from chalicelib.web.texts import TEXTS, counted
from tests.fakes import SentMail, World, fake_environment
from tests.review_helpers import decision

if TYPE_CHECKING:
    from playwright.sync_api import Browser

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
BASE = "http://irc.test"
REVIEWER = Actor("reviewer:alice", "reviewer")
STORED_MOMENT = re.compile(r"\d{4}-\d\d-\d\dT")
HANGUL = re.compile(r"[\uac00-\ud7a3]")
# 2026-12-01T18:16:18Z is 2 December, 03:16 in Korea (UTC+9).
REPORTED = datetime(2026, 12, 1, 18, 16, 18, 209000, tzinfo=UTC)
ENGLISH = {
    "lang": "en",
    "claimant": {"name": "Jane", "email": "jane@example.com", "relationship": "self"},
}
MINJI, JANE = "minji@example.com", "jane@example.com"


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> World:
    fake_environment(monkeypatch)
    return World()


def at(moment: datetime) -> Any:
    return lambda: moment


def open_case(world: World, english: bool) -> str:
    intake = world.build(Intake, clock=at(REPORTED))
    case_id, _ = world.open_case(intake, **(ENGLISH if english else {}))
    return case_id


def mail_to(world: World, address: str, subject_word: str) -> SentMail:
    [mail] = [m for m in world.mail_to(address) if subject_word in m.subject]
    return mail


def read_as_told(mail: SentMail, case_id: str) -> str:
    """Return the mail's text, having checked what every mail keeps: the case's own link, and
    no stored timestamp, code or raw key."""
    text = mail.subject + "\n" + mail.body
    assert f"{BASE}/status/{case_id}\n" in mail.body
    assert "?case_id=" not in text
    assert not STORED_MOMENT.search(text), text
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), text  # block_content, reposting_request...
    return text


def korea_words(iso_text: str, lang: str) -> str:
    """A stored moment as the pages say it, formatted here by hand in Korea's time."""
    local = datetime.fromisoformat(iso_text.replace("Z", "+00:00")).astimezone(
        ZoneInfo("Asia/Seoul")
    )
    if lang == "ko":
        return f"{local.year}년 {local.month}월 {local.day}일 {local:%H:%M} (한국 시간)"
    return f"{local.day} {local:%B} {local.year}, {local:%H:%M} KST"


# The mails


@pytest.mark.parametrize(
    ("english", "address", "received"),
    [
        (False, MINJI, "접수 일시: 2026년 12월 2일 03:16 (한국 시간)\n"),
        (True, JANE, "Received: 2 December 2026, 03:16 KST\n"),
    ],
)
def test_the_acknowledgement_says_when_in_korea_time_and_links_to_the_case(
    world: World, english: bool, address: str, received: str
) -> None:
    intake = world.build(Intake, clock=at(REPORTED))
    case_id, token = world.open_case(intake, **(ENGLISH if english else {}))
    mail = mail_to(world, address, case_id)
    text = read_as_told(mail, case_id)
    assert received in text
    assert token not in text


@pytest.mark.parametrize(
    ("english", "address", "measure"),
    [
        (False, MINJI, "- 접근 차단(임시조치) (2027년 1월 1일 03:16 (한국 시간)까지)\n"),
        (True, JANE, "- Access blocked (temporary measure) (until 1 January 2027, 03:16 KST)\n"),
    ],
)
def test_a_decision_mail_names_the_measure_and_its_end_as_the_status_page_does(
    world: World, english: bool, address: str, measure: str
) -> None:
    case_id = open_case(world, english)
    world.build(Review, clock=at(REPORTED)).decide(
        case_id, decision(1, {"type": "block_content", "days": 30}), REVIEWER, BASE
    )
    text = read_as_told(mail_to(world, address, "결정" if not english else "decision"), case_id)
    assert measure in text


@pytest.mark.parametrize(
    ("english", "address", "measure"),
    [
        (False, MINJI, "- 조치하지 않음: 권리침해 여부를 판단하기에는 소명 자료가 부족합니다.\n"),
        (True, JANE, "- No action taken: The evidence is not enough to judge whether your rights"),
    ],
)
def test_a_rejection_mail_gives_the_reason_in_words(
    world: World, english: bool, address: str, measure: str
) -> None:
    case_id = open_case(world, english)
    world.build(Review, clock=at(REPORTED)).decide(
        case_id, decision(1, {"type": "reject", "reason": "insufficient_evidence"}), REVIEWER, BASE
    )
    text = read_as_told(mail_to(world, address, "결정" if not english else "decision"), case_id)
    assert measure in text


@pytest.mark.parametrize(("english", "address"), [(False, MINJI), (True, JANE)])
def test_a_request_for_information_mail_gives_its_deadline_in_korea_time(
    world: World, english: bool, address: str
) -> None:
    case_id = open_case(world, english)
    asked = {"type": "request_information", "message": "Send the original photo.", "due_days": 7}
    world.build(Review, clock=at(REPORTED)).decide(case_id, decision(1, asked), REVIEWER, BASE)
    text = read_as_told(mail_to(world, address, "결정" if not english else "decision"), case_id)
    case = world.cases.get_case(case_id)
    assert case is not None and case.information_request is not None
    due = korea_words(case.information_request.due_at, "en" if english else "ko")
    said = f"Due by: {due}\n" if english else f"기한: {due}\n"
    assert said in text and "Send the original photo." in text
    assert ("- More information requested\n" if english else "- 추가 자료 요청\n") in text


REQUESTED = datetime(2026, 12, 3, 6, 5, tzinfo=UTC)  # 3 December, 15:05 in Korea
DECIDED = datetime(2026, 12, 4, 23, 30, tzinfo=UTC)  # 5 December, 08:30 in Korea


@pytest.mark.parametrize(
    ("english", "address", "requested", "decided"),
    [
        (
            False,
            MINJI,
            "게시자가 2026년 12월 3일 15:05 (한국 시간)에 차단된 내용을 "
            "다시 게시해 달라고 요청했습니다.",
            "2026년 12월 5일 08:30 (한국 시간)에 게시물을 다시 게시하기로 결정했습니다.",
        ),
        (
            True,
            JANE,
            "On 3 December 2026, 15:05 KST, "
            "the poster asked for the blocked content to be re-posted.",
            "Decided on 5 December 2026, 08:30 KST: the content is re-posted.",
        ),
    ],
)
def test_the_reposting_mails_say_when_as_the_status_page_does(
    world: World, english: bool, address: str, requested: str, decided: str
) -> None:
    case_id = open_case(world, english)
    world.build(Review, clock=at(REPORTED)).decide(
        case_id, decision(1, {"type": "block_content", "days": 30}), REVIEWER, BASE
    )
    link = urllib.parse.urlsplit(world.enforcement_messages()[0]["notice_url"])
    token = urllib.parse.parse_qs(link.query)["token"][0]
    world.build(Review, clock=at(REQUESTED)).request_reposting(
        case_id, token, {"statement": "The photo is my own and was posted with consent."}, BASE
    )
    asked = read_as_told(
        mail_to(world, address, "재게시를 요청" if not english else "asked"), case_id
    )
    assert asked.split("\n")[1] == requested  # first in the body, under the subject
    # They may answer once, on the status page the mail links to.
    may_answer = "한 번 답변할 수 있습니다" if not english else "You may answer"
    assert may_answer in asked and f"/status/{case_id}" in asked
    body = {"expected_version": 3, "outcome": "reinstate", "reasons": {"facts": "x" * 30}}
    world.build(Review, clock=at(DECIDED)).decide_reposting(case_id, body, REVIEWER, BASE)
    told = read_as_told(
        mail_to(world, address, "재게시 요청에" if not english else "Decision on"), case_id
    )
    assert decided in told


# Every problem code in the page's language


def raised_codes() -> set[str]:
    """Return every code the service's own refusals name (a FieldError's third argument)."""
    codes = {str(FieldError("", "").code)}
    for path in (ROOT / "chalicelib").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "FieldError":
                given = [*node.args[2:3], *(k.value for k in node.keywords if k.arg == "code")]
                codes |= {str(g.value) for g in given if isinstance(g, ast.Constant)}
    return codes


def answered_codes(client: Any) -> set[str]:
    """Return the codes the claimant's routes answer to a few malformed requests."""
    from tests.conftest import post_json

    bodies = [
        ("/v1/uploads", {"filename": "", "content_type": "text/x-shellscript", "size": -1, "x": 1}),
        ("/v1/uploads", []),
        (
            "/v1/reports",
            {
                "claimant": {"name": 3, "email": "not-mail", "relationship": "cousin"},
                "target": {"surface": "elsewhere", "url": "ftp://x"},
                "grounds": [],
                "statement": "short",
                "evidence": ["nope"],
                "declaration": False,
                "extra": True,
            },
        ),
    ]
    codes: set[str] = set()
    for path, body in bodies:
        answer = post_json(client, path, body).json_body
        codes |= {e["code"] for e in answer.get("errors", [])}
    return codes


def pages_words(lang: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield the words each page's script gets, as the page gives them."""
    reader = Reader.of(lang)
    yield "report form", TEXTS[lang]["js"]
    yield "status page", forms.script_words(reader, "answer_js")
    yield "notice page", forms.script_words(reader, "notice_js")


def test_every_code_the_routes_answer_reads_in_the_pages_language(client: Any) -> None:
    codes = raised_codes() | answered_codes(client)
    assert {"reused", "invalid", "value_error", "transition", "missing"} <= codes
    for lang in ("ko", "en"):
        limits = forms.limits(Reader.of(lang))
        for page, words in pages_words(lang):
            for code in sorted(codes):
                for field in ("statement", "evidence[0]", "nowhere"):
                    raw = f"is wrong in a way only the server words ({code})"
                    said = forms.localize(FieldError(field, raw, code), words, limits, lang)
                    assert "server words" not in said and "{" not in said, (lang, page, code)
                    if lang == "en":
                        assert not HANGUL.search(said), (page, code, said)
                    else:
                        assert HANGUL.search(said), (page, code, said)


def test_no_english_text_is_missing_or_korean() -> None:
    def leaves(node: Any, path: str = "") -> Iterator[tuple[str, Any]]:
        if isinstance(node, dict):
            for key, value in node.items():
                yield from leaves(value, f"{path}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                yield from leaves(value, f"{path}[{index}]")
        else:
            yield path, node

    english = list(leaves(TEXTS["en"]))
    assert [p for p, text in english if text is None] == []
    # A Korean body may be named in its own script too, in brackets after its English name.
    korean = [
        p
        for p, text in english
        if isinstance(text, str) and HANGUL.search(re.sub(r"\([^)]*\)", "", text))
    ]
    assert korean == []


# Counts in English


def test_a_count_of_one_and_of_two_take_their_own_form() -> None:
    english, korean = Reader.of("en"), Reader.of("ko")
    assert english.size(1) == "1 byte" and english.size(2) == "2 bytes"
    assert korean.size(1).startswith("1")
    words = forms.script_words(english, "answer_js")
    short = FieldError("statement", "too short", "string_too_short")
    assert forms.localize(short, words, {"min": 1}, "en") == "Write at least 1 character."
    assert forms.localize(short, words, {"min": 2}, "en") == "Write at least 2 characters."
    assert counted(TEXTS["en"]["js"]["summary_count"], "en", {"n": 1}) == (
        "1 field needs attention"
    )
    assert counted(TEXTS["en"]["js"]["summary_count"], "en", {"n": 2}) == (
        "2 fields need attention"
    )


# The pages' script


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        yield browser
        browser.close()


SUMMARY = (
    '<form id="f"></form><div id="s" hidden tabindex="-1"><h2 class="error-summary-title">t</h2>'
    '<p class="error-summary-detail"></p><ul class="error-summary-list"></ul></div>'
)


def script_page(chromium: Browser, lang: str) -> Any:
    page = chromium.new_page()
    page.set_content(f'<!doctype html><html lang="{lang}"><body>{SUMMARY}</body></html>')
    page.add_script_tag(content=(ROOT / "chalicelib/web/assets/forms.js").read_text())
    return page


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_script_shows_no_server_message_for_any_code(chromium: Browser, lang: str) -> None:
    reader = Reader.of(lang)
    config = {**forms.upload_config(reader), "messages": forms.script_words(reader, "answer_js")}
    page = script_page(chromium, lang)
    codes = sorted(raised_codes() | {"json_invalid", "int_parsing", "bool_type"})
    errors = [{"field": "nowhere", "message": f"server words {c}", "code": c} for c in codes]
    said = page.evaluate(
        "([config, errors]) => errors.map((e) => window.IrcForms.localize(config, e))",
        [config, errors],
    )
    shown = page.evaluate(
        """([config, status]) => {
          const display = new window.IrcForms.ErrorDisplay(
            document.getElementById('f'), config, document.getElementById('s'));
          display.show({title: 'Conflict', detail: 'server words in the detail'}, status,
            () => {});
          return document.getElementById('s').textContent;
        }""",
        [config, 409],
    )
    counts = page.evaluate(
        "([t]) => [1, 2].map((n) => window.IrcForms.fmt(t, {min: n}))",
        [config["messages"]["errors"]["statement|string_too_short"]],
    )
    page.close()
    for text in [*said, shown]:
        assert "server words" not in text
        assert bool(HANGUL.search(text)) == (lang == "ko"), text
    if lang == "en":
        assert counts == ["Write at least 1 character.", "Write at least 2 characters."]
