"""The texts as data: both languages word the same things, and the policy's numbers come from the
domain, in the pages, the mails and the OpenAPI document alike."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from chalicelib.api import openapi
from chalicelib.domain import decisions, evidence, limits, remedies, reports
from chalicelib.domain.limits import LimitKind
from chalicelib.web import texts
from chalicelib.web.texts import LANGS, PLURAL, PLURAL_FORMS, compose, is_plural, read

if TYPE_CHECKING:
    from playwright.sync_api import Browser

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
PLACEHOLDER = re.compile(r"\{(\w+)\}")
# What the pages, mails and scripts fill in when they show a text; the policy's numbers aside.
SHOWN_WITH = {
    "answer",
    "case_id",
    "date",
    "day",
    "due_at",
    "evidence_retention_days",
    "facts",
    "hh",
    "information",
    "link",
    "max",
    "measure",
    "measures",
    "message",
    "min",
    "mm",
    "month_name",
    "n",
    "name",
    "outcome",
    "received_at",
    "receipt_token",
    "retry_at",
    "statement",
    "status_url",
    "time",
    "type",
    "types",
    "valid_until",
    "year",
}
# The misuse mails: a suspension's end, ground and standing, where to contest, when lifted.
SHOWN_WITH |= {"contest_url", "count", "days", "ends_at", "ground", "lifted_at"}


def leaves(node: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Yield every text of a tree by its path; a text in plural forms is one text."""
    if isinstance(node, dict) and not is_plural(node):
        for key, value in node.items():
            yield from leaves(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from leaves(value, f"{path}[{index}]")
    else:
        yield path, node


def placeholders(text: Any) -> set[str]:
    """Return the names a text is filled with (all its plural forms' together)."""
    if is_plural(text):
        return set().union(*(placeholders(t) for f, t in text.items() if f != PLURAL))
    return set(PLACEHOLDER.findall(text)) if isinstance(text, str) else set()


def all_text(tree: Any) -> str:
    return json.dumps(tree, ensure_ascii=False)


# Parity


def test_both_languages_word_exactly_the_same_things() -> None:
    korean, english = (dict(leaves(read(lang))) for lang in LANGS)
    assert set(korean) == set(english)


def test_each_text_has_the_same_placeholders_in_both_languages() -> None:
    korean, english = (dict(leaves(read(lang))) for lang in LANGS)
    unlike = []
    for path, text in korean.items():
        if placeholders(text) != placeholders(english[path]) or not (
            type(text) is type(english[path]) or is_plural(english[path])
        ):
            unlike.append(path)
    assert unlike == []


def test_a_text_in_plural_forms_names_its_count_and_has_every_form_it_needs() -> None:
    plurals = {path: text for path, text in leaves(read("en")) if is_plural(text)}
    assert plurals, "English words some counts in two ways"
    for path, text in plurals.items():
        assert set(text) - {PLURAL} <= PLURAL_FORMS, path
        assert {"one", "other"} <= set(text), path
        assert "{" + text[PLURAL] + "}" in text["other"], path
    assert not [path for path, text in leaves(read("ko")) if is_plural(text)], "Korean has none"


def test_english_counts_one_field_and_two_fields_apart() -> None:
    counted = texts.TEXTS["en"]["js"]["summary_count"]
    assert texts.fill(counted[texts.plural_form("en", 1)], {"n": 1}).startswith("1 field needs ")
    assert texts.fill(counted[texts.plural_form("en", 2)], {"n": 2}).startswith("2 fields need ")
    assert texts.plural_form("ko", 1) == "other"


def test_every_placeholder_is_filled_by_someone() -> None:
    policy = set(texts.policy_values())
    for lang in LANGS:
        named = set().union(*(placeholders(text) for _, text in leaves(read(lang))))
        assert named - policy - SHOWN_WITH == set(), lang
        left = set().union(*(placeholders(text) for _, text in leaves(compose(lang))))
        assert left & policy == set(), lang


# No number typed twice


def test_no_text_types_a_policy_number_by_hand() -> None:
    stated = {
        decisions.MAX_BLOCK_DAYS,
        remedies.APPEAL_WINDOW.days,
        reports.STATEMENT_MAX,
        evidence.MAX_EVIDENCE_FILES,
        evidence.MAX_EVIDENCE_BYTES // (1024 * 1024),
    }
    for lang in LANGS:
        for path, text in leaves(read(lang)):
            if not path.startswith("/month_names"):
                typed = {int(n) for n in re.findall(r"(?<![\d-])\d+(?![\d-])", all_text(text))}
                assert typed & stated == set(), (lang, path)


def test_no_text_lists_the_evidence_types_by_hand() -> None:
    for lang in LANGS:
        raw = read(lang)
        named = set(raw["type_names"].values())
        for path, text in leaves({k: v for k, v in raw.items() if k != "type_names"}):
            assert not [name for name in named if name in all_text(text)], (lang, path)


@pytest.fixture
def stricter_policy(monkeypatch: pytest.MonkeyPatch) -> None:
    """A policy whose every number differs from today's, and counts one where it can."""
    monkeypatch.setattr(decisions, "MAX_BLOCK_DAYS", 21)
    monkeypatch.setattr(remedies, "APPEAL_WINDOW", timedelta(days=1))
    monkeypatch.setattr(reports, "STATEMENT_MAX", 3210)
    monkeypatch.setattr(evidence, "MAX_EVIDENCE_FILES", 1)
    monkeypatch.setattr(evidence, "MAX_EVIDENCE_BYTES", 7 * 1024 * 1024)
    monkeypatch.setattr(
        limits,
        "WINDOWS",
        {
            **limits.WINDOWS,
            LimitKind.REPORTS: timedelta(hours=6),
            LimitKind.UPLOADS: timedelta(hours=6),
        },
    )


@pytest.mark.usefixtures("stricter_policy")
def test_the_korean_texts_follow_the_policy() -> None:
    korean = compose("ko")
    assert "최대 21일 동안" in korean["actions"]["block"]["hint"]
    assert "최대 21일 동안" in korean["notice_measures"]["block_content"]["explanation"]
    assert "21일을 넘길 수 없어" in korean["measure_notes"]["back_at_cap"]
    assert "1일이 지나" in korean["notice_js"]["errors"]["measure_id|too_late"]
    assert "3210자 이하로" in korean["notice_too_long"]
    assert "1개까지" in korean["evidence_hint"] and "7MB까지" in korean["evidence_hint"]
    assert "6시간 동안" in korean["js"]["limit_reports"]
    assert "6시간 동안" in korean["js"]["limit_uploads"]


@pytest.mark.usefixtures("stricter_policy")
def test_the_english_texts_follow_the_policy_in_the_right_number() -> None:
    english = compose("en")
    assert "at most 21 days." in english["actions"]["block"]["hint"]
    assert "at most 21 days." in english["notice_measures"]["block_content"]["explanation"]
    assert "beyond 21 days" in english["measure_notes"]["back_at_cap"]
    assert "More than 1 day has passed" in english["notice_js"]["errors"]["measure_id|too_late"]
    assert "at most 3210 characters" in english["notice_too_long"]
    assert "up to 1 file." in english["evidence_hint"] and "7 MB" in english["evidence_hint"]
    assert english["js"]["errors"]["evidence|too_long"] == "Attach at most 1 file."
    assert "in 6 hours" in english["js"]["limit_reports"]
    assert "in 6 hours" in english["js"]["limit_uploads"]


def test_a_cap_of_one_day_is_one_day_in_english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(decisions, "MAX_BLOCK_DAYS", 1)
    assert "at most 1 day." in compose("en")["actions"]["block"]["hint"]


@pytest.mark.usefixtures("stricter_policy")
def test_the_openapi_document_follows_the_policy() -> None:
    described = openapi.document.__wrapped__()
    appeal = described["paths"]["/v1/notices/{case_id}/appeals"]["post"]
    assert appeal["summary"].endswith(", within 1 day")
    for path in ("/v1/uploads", "/v1/reports"):
        refused = described["paths"][path]["post"]["responses"]["429"]["description"]
        assert "limit for the current 6 hours:" in refused


def test_the_openapi_document_states_todays_policy() -> None:
    described = openapi.document.__wrapped__()
    appeal = described["paths"]["/v1/notices/{case_id}/appeals"]["post"]
    assert appeal["summary"].endswith(", within 180 days")
    refused = described["paths"]["/v1/reports"]["post"]["responses"]["429"]["description"]
    assert "limit for the current hour:" in refused


# The mails


def test_the_mails_are_worded_in_both_languages_from_the_data_files() -> None:
    from chalicelib.domain.vocabulary import Lang
    from chalicelib.services import messages

    for lang in Lang:
        subject, body = messages.decision(
            lang, "01J0CASE", [_block("2026-12-31")], "The facts.", None, "https://x"
        )
        words = texts.TEXTS[lang.value]
        assert subject == words["mail"]["decision"]["subject"].format(case_id="01J0CASE")
        assert words["measures"]["block_content"] in body
        assert words["until"].format(date=_korea_day(lang.value)) in body


def test_the_korean_mail_puts_the_date_before_until() -> None:
    from chalicelib.domain.vocabulary import Lang
    from chalicelib.services import messages

    _, body = messages.decision(
        Lang.KO, "01J0CASE", [_block("2026-12-31")], "사실", None, "https://x"
    )
    assert "(2026년 12월 31일 09:00 (한국 시간)까지)" in body


def _block(ends_at: str) -> Any:
    from chalicelib.domain.decisions import AppliedMeasure

    return AppliedMeasure(
        type="block_content", parameters={}, starts_at="2026-12-01T00:00:00.000Z", ends_at=ends_at
    )


def _korea_day(lang: str) -> str:
    """2026-12-31 (midnight UTC) as a reader in Korea reads it, in `lang`."""
    return {"ko": "2026년 12월 31일 09:00 (한국 시간)", "en": "31 December 2026, 09:00 KST"}[lang]


# Shipping


def test_the_data_files_ship_inside_the_package_chalice_builds() -> None:
    folder = texts.FOLDER.relative_to(ROOT)
    assert folder.parts[0] == "chalicelib", "chalice package ships chalicelib whole"
    # The pages' and mails' words, and the staff console's.
    assert sorted(p.name for p in texts.FOLDER.glob("*.json")) == sorted(
        name for lang in LANGS for name in (f"{lang}.json", f"console.{lang}.json")
    )


# The script that words a count


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    """Launch one headless Chromium for the script's tests; under CI a missing one is a failure."""
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"no Chromium at {CHROMIUM}")
        pytest.skip(f"no Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        yield browser
        browser.close()


@pytest.mark.browser
@pytest.mark.parametrize(
    ("lang", "count", "said"),
    [("en", 1, "1 field needs"), ("en", 2, "2 fields need"), ("ko", 1, "1개 항목을")],
)
def test_the_page_script_words_a_count_in_the_right_form(
    chromium: Browser, lang: str, count: int, said: str
) -> None:
    page = chromium.new_page()
    page.set_content(f'<!doctype html><html lang="{lang}"><body></body></html>')
    page.add_script_tag(content=(ROOT / "chalicelib/web/assets/forms.js").read_text())
    counted = texts.TEXTS[lang]["js"]["summary_count"]
    shown = page.evaluate("([t, n]) => window.IrcForms.fmt(t, {n: n})", [counted, count])
    page.close()
    assert said in shown
