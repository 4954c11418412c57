"""The receipt token a claimant is given: no look-alike characters, enough entropy, grouped for
reading, read back however it is typed; tokens issued before keep working as they did; and the
report form's privacy notice."""

from __future__ import annotations

import math
import re
import secrets
from collections import Counter
from typing import Any

import pytest
from chalice.test import Client

from chalicelib import wiring
from chalicelib.config import settings
from chalicelib.domain.secrets import new_receipt_token, normalise_receipt_token
from tests.conftest import PNG, header, post_json, report, upload
from tests.test_pages import Page, ask_status, body_of, open_case, page_of

# Written here from the policy, not read from the code: digits without 0 and 1, capitals
# without I, L, O (look-alikes of 1 and 0) and U.
READABLE = set("23456789ABCDEFGHJKMNPQRSTVWXYZ")
LOOK_ALIKES = set("01IOLlio")
GROUPED = re.compile(r"^[0-9A-Z]{4}(-[0-9A-Z]{4})+$")


def claimant_status(client: Client, case_id: str, token: str) -> int:
    answer = client.http.get(f"/v1/reports/{case_id}", headers={"X-Receipt-Token": token})
    return int(answer.status_code)


def assert_readable(token: str) -> None:
    assert GROUPED.match(token), token
    characters = token.replace("-", "")
    assert set(characters) <= READABLE, token
    assert not set(characters) & LOOK_ALIKES, token
    assert len(characters) * math.log2(len(READABLE)) >= 120, token


# The token's shape


def test_a_new_receipt_token_has_no_look_alikes_and_at_least_120_bits(client: Client) -> None:
    receipt = open_case(client)
    assert_readable(receipt["receipt_token"])


def test_receipt_tokens_draw_on_the_whole_readable_alphabet_and_never_repeat() -> None:
    drawn = [new_receipt_token() for _ in range(400)]
    for token in drawn:
        assert_readable(token)
    assert len(set(drawn)) == len(drawn)
    seen = Counter("".join(drawn).replace("-", ""))
    assert set(seen) == READABLE
    # Each character is about as likely as another (a biased draw has fewer bits than it seems).
    expected = sum(seen.values()) / len(READABLE)
    assert max(seen.values()) < 1.5 * expected and min(seen.values()) > 0.5 * expected


# Typed back


def typed_variants(token: str) -> list[str]:
    groups = token.split("-")
    return [
        token.lower(),
        " ".join(groups),
        "".join(groups).lower(),
        f"  {' - '.join(groups)}  ",
        "–".join(groups),  # an en dash, as some keyboards and editors turn a hyphen into
    ]


def test_a_receipt_token_is_read_in_lower_case_with_spaces_or_without_hyphens(
    client: Client,
) -> None:
    receipt = open_case(client)
    case_id, token = receipt["case_id"], receipt["receipt_token"]
    for typed in typed_variants(token):
        assert claimant_status(client, case_id, typed) == 200, typed
    for typed in typed_variants(token)[:2]:
        page = ask_status(client, case_id=case_id, receipt_token=typed, lang="en")
        assert page.status_code == 200, typed
        assert "Received" in page_of(page).text


def test_a_token_one_character_off_is_refused_however_it_is_typed(client: Client) -> None:
    receipt = open_case(client)
    case_id, token = receipt["case_id"], receipt["receipt_token"]
    last = token[-1]
    other = next(c for c in sorted(READABLE) if c != last)
    for wrong in (token[:-1] + other, token[:-5], token + "2", token.replace("-", "")[:-1]):
        assert claimant_status(client, case_id, wrong.lower()) == 404, wrong


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("abcd-efgh-jkmn-pqrs-tvwx-yz23-4567", "ABCD-EFGH-JKMN-PQRS-TVWX-YZ23-4567"),
        ("ABCDEFGHJKMNPQRSTVWXYZ234567", "ABCD-EFGH-JKMN-PQRS-TVWX-YZ23-4567"),
        ("abcd efgh jkmn pqrs tvwx yz23 4567", "ABCD-EFGH-JKMN-PQRS-TVWX-YZ23-4567"),
        ("ABCD-EFGH-JKMN-PQRS-TVWX-YZ23-456", None),  # one character short
        ("ABCD-EFGH-JKMN-PQRS-TVWX-YZ23-4560", None),  # a zero is never in a token
        ("ABCD-EFGH-JKMN-PQRS-TVWX-YZ23-456O", None),  # nor an O
        ("", None),
    ],
)
def test_what_a_claimant_types_is_read_as_the_token_issued(typed: str, read: str | None) -> None:
    assert normalise_receipt_token(typed) == read


# Tokens issued before


def test_a_token_issued_before_the_readable_format_still_opens_its_case(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The old format: 43 characters of URL-safe base64, with look-alikes, lower case and hyphens.
    old = "Il0O-" + secrets.token_urlsafe(32)[5:] + "-aZ"
    monkeypatch.setattr(wiring.intake(), "new_token", lambda: old)
    receipt = open_case(client)
    case_id = receipt["case_id"]
    assert receipt["receipt_token"] == old
    assert claimant_status(client, case_id, old) == 200
    page = ask_status(client, case_id=case_id, receipt_token=old, lang="en")
    assert page.status_code == 200
    assert "Received" in page_of(page).text
    # Exactly as before: an old token is case-sensitive and its hyphens count.
    assert claimant_status(client, case_id, old.upper()) == 404
    assert claimant_status(client, case_id, old.replace("-", "")) == 404
    assert claimant_status(client, case_id, old.lower()) == 404


# A retry


def test_a_replayed_report_returns_the_same_readable_token(client: Client) -> None:
    evidence = upload(client, PNG, "image/png", "address-screenshot.png")
    body: dict[str, Any] = report([evidence])
    key = "receipt-replay-" + secrets.token_hex(8)
    first = post_json(client, "/v1/reports", body, {"Idempotency-Key": key})
    again = post_json(client, "/v1/reports", body, {"Idempotency-Key": key})
    assert first.status_code == 201 and again.status_code == 201
    assert header(again, "idempotent-replayed") == "true"
    assert again.json_body["receipt_token"] == first.json_body["receipt_token"]
    assert again.json_body["case_id"] == first.json_body["case_id"]
    assert_readable(again.json_body["receipt_token"])
    token = again.json_body["receipt_token"].lower().replace("-", " ")
    assert claimant_status(client, again.json_body["case_id"], token) == 200


# The privacy notice


NOTICE_WORDS = {
    # what is collected, how long and how it ends, who sees what, the rights and whom to ask
    "en": [
        "phone number",
        "power of attorney",
        "the files you attach",
        "erase its personal data",
        "never told who reported it",
        "re-posted, you can read their statement",
        "Personal Information Protection Act",
        "personal information protection officer",
    ],
    "ko": [
        "전화번호",
        "위임장",
        "첨부 파일",
        "관리자가 파기할 수 있습니다",
        "누가 신고했는지",
        "재게시를 요청하면",
        "개인정보 보호법",
        "개인정보 보호책임자",
    ],
}


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_report_form_says_what_personal_data_it_collects_before_asking_for_it(
    client: Client, lang: str
) -> None:
    html = body_of(client.http.get(f"/?lang={lang}"))
    start = html.index('id="privacy-notice"')
    notice = Page(html[html.rindex("<", 0, start) : html.index("</aside>", start)]).text
    for word in NOTICE_WORDS[lang]:
        assert word in notice, word
    # Before the first personal field, short, its details folded in a <details>.
    assert start < html.index('id="claimant-name"')
    assert re.search(r'<details[^>]*id="privacy-details"', html)
    assert Page(html).by_id("privacy-notice")["aria-labelledby"] == "privacy-title"


@pytest.mark.parametrize(
    ("days", "lang", "said"),
    [
        ("1", "en", "unaltered for 1 day after"),
        ("730", "en", "unaltered for 730 days after"),
        ("730", "ko", "730일 동안"),
    ],
)
def test_the_privacy_notice_states_the_deployments_evidence_retention(
    client: Client, monkeypatch: pytest.MonkeyPatch, days: str, lang: str, said: str
) -> None:
    monkeypatch.setenv("EVIDENCE_RETENTION_DAYS", days)
    settings.cache_clear()
    try:
        text = page_of(client.http.get(f"/?lang={lang}")).text
    finally:
        monkeypatch.undo()
        settings.cache_clear()
    assert said in text
