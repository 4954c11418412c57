"""The claimant's status address: a browser that proved a case reads it again there, and a
claimant who lost the receipt token gets a one-time link to the case by mail."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from chalice.test import Client
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from tests.conftest import deliver_effects, header, post_json
from tests.faults import KINDS
from tests.test_pages import open_case, page_of

FORM_POST = {"Content-Type": "application/x-www-form-urlencoded"}
CLAIMANT = "minji@example.com"  # the address tests.conftest.report gives
CLAIMANT_OF_REPORT = {"name": "이지우", "relationship": "self"}
THIRTY_DAYS = 30 * 24 * 3600
KOREA = timezone(timedelta(hours=9))


def post_form(client: Client, path: str, cookie: str | None = None, **fields: str) -> Any:
    headers = {**FORM_POST, **({"Cookie": cookie} if cookie else {})}
    return client.http.post(path, headers=headers, body=urlencode(fields))


def cookie_of(response: Any) -> str:
    """Return the `name=value` a response's Set-Cookie gives the browser."""
    set_cookie = header(response, "set-cookie")
    assert set_cookie, "no cookie was set"
    return set_cookie.split(";")[0]


def prove(client: Client, receipt: dict[str, Any], lang: str = "en") -> str:
    """Prove a case with its receipt token on the status form; return the session cookie."""
    response = post_form(
        client,
        "/status",
        lang=lang,
        case_id=receipt["case_id"],
        receipt_token=receipt["receipt_token"],
    )
    assert response.status_code == 303, response.body
    return cookie_of(response)


def status_at(client: Client, case_id: str, cookie: str | None, lang: str = "en") -> Any:
    headers = {"Cookie": cookie} if cookie else {}
    return client.http.get(f"/status/{case_id}?lang={lang}", headers=headers)


def has_id(response: Any, element_id: str) -> bool:
    return any(a.get("id") == element_id for _, a in page_of(response).elements)


def shows_case(response: Any, case_id: str) -> bool:
    """Tell whether a page is the case's status page (not the form that asks for it)."""
    return (
        response.status_code == 200
        and has_id(response, "case-status")
        and case_id in page_of(response).text
    )


def proof_on(response: Any) -> str:
    """Return what the status page's forms send in place of the receipt token."""
    html = response.body.decode()
    [proof] = set(re.findall(r'name="receipt_token" value="([^"]+)"', html))
    return str(proof)


def sent_mails() -> list[Any]:
    deliver_effects()
    return list(ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sent_messages)


def recovery_link_in(mail: Any) -> str:
    [link] = re.findall(r"https?://\S+/recovery\?code=\S+", mail.body)
    return str(link)


def ask_recovery(client: Client, case_id: str, email: str, lang: str = "en") -> Any:
    return post_form(client, "/status/recovery", lang=lang, case_id=case_id, email=email)


# The status session.


def test_the_receipt_token_sends_the_browser_to_the_status_address_with_a_session(
    client: Client,
) -> None:
    receipt = open_case(client)
    case_id = receipt["case_id"]
    response = post_form(
        client, "/status", lang="en", case_id=case_id, receipt_token=receipt["receipt_token"]
    )

    assert response.status_code == 303
    assert header(response, "location") == f"/status/{case_id}?lang=en"
    flags = [part.strip() for part in str(header(response, "set-cookie")).split(";")]
    assert "HttpOnly" in flags and "SameSite=Lax" in flags and "Path=/status" in flags
    assert f"Max-Age={THIRTY_DAYS}" in flags
    assert "Secure" not in flags  # the local stack's public address is plain http
    assert receipt["receipt_token"] not in str(header(response, "location"))
    assert receipt["receipt_token"] not in str(header(response, "set-cookie"))

    page = status_at(client, case_id, cookie_of(response))
    assert shows_case(page, case_id)
    assert receipt["receipt_token"] not in page.body.decode()
    assert header(page, "cache-control") == "no-store"
    assert header(page, "referrer-policy") == "no-referrer"


def test_the_session_cookie_is_secure_when_the_public_address_is_https(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chalicelib.config import settings

    receipt = open_case(client)
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://irc.example.com/prod")
    settings.cache_clear()
    response = post_form(
        client,
        "/status",
        case_id=receipt["case_id"],
        receipt_token=receipt["receipt_token"],
    )
    flags = [part.strip() for part in str(header(response, "set-cookie")).split(";")]
    assert "Secure" in flags and "Path=/prod/status" in flags
    assert header(response, "location") == f"/prod/status/{receipt['case_id']}?lang=ko"


def test_without_a_session_the_status_address_asks_for_the_case_it_names(client: Client) -> None:
    receipt = open_case(client)
    case_id = receipt["case_id"]
    page = status_at(client, case_id, None)

    assert page.status_code == 200
    assert not has_id(page, "case-status")
    fields = {i.get("id"): i.get("value") for i in page_of(page).all("input")}
    assert fields["case-id"] == case_id and fields["receipt-token"] == ""
    assert fields["recovery-case-id"] == case_id and "recovery-email" in fields
    switch = [a["href"] for a in page_of(page).all("a") if a.get("hreflang") == "ko"]
    assert switch == [f"/status/{case_id}?lang=ko"]


@pytest.mark.parametrize("spoil", ["tampered", "foreign", "expired", "another_case", "garbage"])
def test_a_cookie_that_does_not_prove_the_case_shows_the_form(client: Client, spoil: str) -> None:
    from chalicelib.adapters.derived_keys import derived_key
    from chalicelib.domain import sessions

    receipt = open_case(client)
    other = open_case(client)
    case_id = receipt["case_id"]
    good = prove(client, receipt)
    name, value = good.split("=", 1)
    now = datetime.now(UTC)
    later = int((now + timedelta(days=1)).timestamp())
    spoiled = {
        "tampered": value[:-3] + ("AAA" if not value.endswith("AAA") else "BBB"),
        "foreign": sessions.seal_session(b"k" * 32, {case_id: later}),
        "expired": sessions.seal_session(
            derived_key("status-session"), {case_id: int(now.timestamp()) - 1}
        ),
        "another_case": cookie_of(
            post_form(
                client,
                "/status",
                case_id=other["case_id"],
                receipt_token=other["receipt_token"],
            )
        ).split("=", 1)[1],
        "garbage": "not-a-session",
    }[spoil]
    assert shows_case(status_at(client, case_id, good), case_id)

    page = status_at(client, case_id, f"{name}={spoiled}")
    assert page.status_code == 200
    assert not has_id(page, "case-status")


def test_one_browser_holds_several_cases(client: Client) -> None:
    first, second = open_case(client), open_case(client)
    cookie = prove(client, first)
    both = cookie_of(
        post_form(
            client,
            "/status",
            cookie=cookie,
            case_id=second["case_id"],
            receipt_token=second["receipt_token"],
        )
    )
    assert shows_case(status_at(client, first["case_id"], both), first["case_id"])
    assert shows_case(status_at(client, second["case_id"], both), second["case_id"])


def test_a_session_names_a_bounded_number_of_cases_keeping_the_newest() -> None:
    from chalicelib.domain import sessions

    key = b"s" * 32
    now = datetime(2026, 11, 20, tzinfo=UTC)
    cases: dict[str, int] = {}
    for number in range(12):
        cases = sessions.with_case(cases, f"CASE{number:02d}", now + timedelta(minutes=number))
        cases = sessions.open_session(key, sessions.seal_session(key, cases), now)
    assert len(cases) == 10
    assert "CASE00" not in cases and "CASE01" not in cases and "CASE11" in cases


def test_forgetting_a_case_on_this_device_ends_its_session(client: Client) -> None:
    first, second = open_case(client), open_case(client)
    cookie = prove(client, first)
    cookie = cookie_of(
        post_form(
            client,
            "/status",
            cookie=cookie,
            case_id=second["case_id"],
            receipt_token=second["receipt_token"],
        )
    )
    forgotten = post_form(client, f"/status/{first['case_id']}/forget", cookie=cookie, lang="en")
    assert forgotten.status_code == 200
    assert "no longer remembers" in page_of(forgotten).text
    kept = cookie_of(forgotten)
    assert not shows_case(status_at(client, first["case_id"], kept), first["case_id"])
    assert shows_case(status_at(client, second["case_id"], kept), second["case_id"])

    last = post_form(client, f"/status/{second['case_id']}/forget", cookie=kept, lang="en")
    assert "Max-Age=0" in str(header(last, "set-cookie"))


def test_the_language_switch_of_the_status_page_keeps_the_case(client: Client) -> None:
    receipt = open_case(client)
    cookie = prove(client, receipt, lang="ko")
    page = status_at(client, receipt["case_id"], cookie, lang="ko")
    [english] = [a["href"] for a in page_of(page).all("a") if a.get("hreflang") == "en"]
    assert english == f"/status/{receipt['case_id']}?lang=en"
    switched = client.http.get(english, headers={"Cookie": cookie})
    assert shows_case(switched, receipt["case_id"])
    assert page_of(switched).all("html")[0]["lang"] == "en"


# The page's proof of its case stands in for the receipt token, for that case only.


def test_the_status_pages_proof_acts_for_its_case_only(client: Client) -> None:
    receipt, other = open_case(client), open_case(client)
    page = status_at(client, receipt["case_id"], prove(client, receipt))
    proof = proof_on(page)
    assert proof != receipt["receipt_token"]

    mine = client.http.get(f"/v1/reports/{receipt['case_id']}", headers={"X-Receipt-Token": proof})
    assert mine.status_code == 200
    theirs = client.http.get(f"/v1/reports/{other['case_id']}", headers={"X-Receipt-Token": proof})
    assert theirs.status_code == 404

    withdrawn = post_form(
        client,
        "/status/withdrawal",
        lang="en",
        case_id=receipt["case_id"],
        receipt_token=proof,
        confirm="yes",
    )
    assert withdrawn.status_code == 200
    assert mine.json_body["status"] == "received"
    again = client.http.get(f"/v1/reports/{receipt['case_id']}", headers={"X-Receipt-Token": proof})
    assert again.json_body["status"] == "withdrawn"


def test_an_expired_or_forged_proof_proves_nothing(client: Client) -> None:
    from chalicelib.adapters.derived_keys import derived_key
    from chalicelib.domain import sessions

    receipt = open_case(client)
    case_id = receipt["case_id"]
    key = derived_key("status-session")
    long_ago = datetime.now(UTC) - timedelta(days=1)
    for proof in (
        sessions.seal_proof(key, case_id, long_ago),
        sessions.seal_proof(b"k" * 32, case_id, datetime.now(UTC)),
    ):
        read = client.http.get(f"/v1/reports/{case_id}", headers={"X-Receipt-Token": proof})
        assert read.status_code == 404
    fresh = sessions.seal_proof(key, case_id, datetime.now(UTC))
    read = client.http.get(f"/v1/reports/{case_id}", headers={"X-Receipt-Token": fresh})
    assert read.status_code == 200


# Recovery by mail.


def same_answer(response: Any, case_id: str) -> tuple[int, str]:
    return response.status_code, response.body.decode().replace(case_id, "<case>")


def test_a_recovery_answers_alike_for_an_unknown_case_a_wrong_address_and_the_right_one(
    client: Client,
) -> None:
    receipt = open_case(client)
    case_id = receipt["case_id"]
    unknown = "01KZZZZZZZZZZZZZZZZZZZZZZZ"
    before = len(sent_mails())

    answers = [
        same_answer(ask_recovery(client, unknown, CLAIMANT), unknown),
        same_answer(ask_recovery(client, case_id, "someone.else@example.com"), case_id),
        same_answer(ask_recovery(client, case_id, CLAIMANT.upper()), case_id),
    ]
    assert answers[0] == answers[1] == answers[2]
    assert answers[0][0] == 200
    mails = sent_mails()[before:]
    assert [m.destinations["ToAddresses"] for m in mails] == [[CLAIMANT]]
    assert case_id in mails[0].subject


def test_the_json_recovery_answers_alike_too(client: Client) -> None:
    email = "jiwoo@example.com"
    receipt = open_case(client, claimant={**CLAIMANT_OF_REPORT, "email": email})
    case_id = receipt["case_id"]
    before = len(sent_mails())
    answers = [
        post_json(client, f"/v1/reports/{c}/recovery", {"email": e})
        for c, e in (("01KZZZZZZZZZZZZZZZZZZZZZZZ", email), (case_id, "x@example.com"))
    ]
    answers.append(post_json(client, f"/v1/reports/{case_id}/recovery", {"email": email}))
    assert [(r.status_code, r.json_body) for r in answers] == [(202, {"accepted": True})] * 3
    assert [m.destinations["ToAddresses"] for m in sent_mails()[before:]] == [[email]]


def test_the_recovery_mail_speaks_the_cases_language_and_names_the_link_time_in_korea(
    client: Client,
) -> None:
    receipt = open_case(client, lang="ko")
    before = len(sent_mails())
    asked_at = datetime.now(UTC)
    ask_recovery(client, receipt["case_id"], CLAIMANT, lang="en")
    [mail] = sent_mails()[before:]
    assert "사건 링크" in mail.subject and receipt["case_id"] in mail.body
    # Half an hour after it was asked for, in Korea's time (UTC+9), the zone named.
    valid_until = {
        (asked_at + timedelta(minutes=30, seconds=s)).astimezone(KOREA).strftime("%H:%M")
        for s in (0, 60)
    }
    assert any(f"{hm} (한국 시간)까지" in mail.body for hm in valid_until), mail.body
    assert receipt["receipt_token"] not in mail.body


def test_a_recovery_link_opens_the_case_once_and_its_get_uses_nothing(client: Client) -> None:
    receipt = open_case(client)
    case_id = receipt["case_id"]
    before = len(sent_mails())
    ask_recovery(client, case_id, CLAIMANT)
    [mail] = sent_mails()[before:]
    link = urlsplit(recovery_link_in(mail))
    assert link.path == f"/status/{case_id}/recovery"
    code = parse_qs(link.query)["code"][0]

    for _ in range(2):  # a mail scanner fetches it first
        shown = client.http.get(f"{link.path}?{link.query}&lang=en")
        assert shown.status_code == 200
        assert header(shown, "referrer-policy") == "no-referrer"
        assert header(shown, "cache-control") == "no-store"
        [button] = [b for b in page_of(shown).all("button") if b.get("type") == "submit"]
        assert button["id"] == "recovery-open"

    used = post_form(client, link.path, lang="en", code=code)
    assert used.status_code == 303
    assert header(used, "location") == f"/status/{case_id}?lang=en"
    assert shows_case(status_at(client, case_id, cookie_of(used)), case_id)
    assert receipt["receipt_token"] not in status_at(client, case_id, cookie_of(used)).body.decode()

    again = post_form(client, link.path, lang="en", code=code)
    assert again.status_code == 410
    assert "already used or has expired" in page_of(again).text
    assert header(again, "set-cookie") is None
    fields = {i.get("id"): i.get("value") for i in page_of(again).all("input")}
    assert fields["recovery-case-id"] == case_id  # it offers a new link
    assert client.http.get(f"{link.path}?{link.query}").status_code == 410


def test_an_expired_recovery_link_opens_nothing(client: Client) -> None:
    from chalicelib.adapters.repository import Repository
    from chalicelib.domain.clock import iso
    from chalicelib.domain.outbox import Effect, EffectKind
    from chalicelib.domain.sessions import recovery_code_hash
    from chalicelib.ports import RecoveryLink

    receipt = open_case(client)
    case_id = receipt["case_id"]
    now = datetime.now(UTC)
    Repository().put_recovery(
        RecoveryLink(
            case_id=case_id,
            code_hash=recovery_code_hash("old-code"),
            created_at=iso(now - timedelta(minutes=31)),
            expires_at_epoch=int((now - timedelta(minutes=1)).timestamp()),
        ),
        Effect(
            effect_id="01KEFFECT0000000000000000",
            kind=EffectKind.MAIL,
            case_id=case_id,
            payload={"to": CLAIMANT, "subject": "s", "body": "b"},
        ),
    )
    path = f"/status/{case_id}/recovery"
    assert client.http.get(f"{path}?code=old-code").status_code == 410
    used = post_form(client, path, code="old-code")
    assert used.status_code == 410 and header(used, "set-cookie") is None
    assert post_form(client, path, code="never-sent").status_code == 410


def test_recoveries_are_limited_per_case(client: Client) -> None:
    receipt = open_case(client)
    case_id = receipt["case_id"]
    for number in range(3):
        assert ask_recovery(client, case_id, f"guess{number}@example.com").status_code == 200
    refused = ask_recovery(client, case_id, CLAIMANT)
    assert refused.status_code == 429
    assert int(str(header(refused, "retry-after"))) > 0
    # The day's window ends at the next midnight UTC: 09:00 in Korea.
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)
    assert f"You can ask again after {tomorrow.day} " in page_of(refused).text
    assert "09:00 KST" in page_of(refused).text
    assert (
        post_json(client, f"/v1/reports/{case_id}/recovery", {"email": CLAIMANT}).status_code == 429
    )


def test_recoveries_are_limited_per_address(client: Client) -> None:
    receipt = open_case(client)
    for number in range(3):
        unknown = f"01KZZZZZZZZZZZZZZZZZZZZZZ{number}"
        assert ask_recovery(client, unknown, "Minji+x@Example.com").status_code == 200
    refused = ask_recovery(client, receipt["case_id"], CLAIMANT)
    assert refused.status_code == 429
    assert "You can ask again after" in page_of(refused).text


def test_a_recovery_without_an_address_says_what_is_missing(client: Client) -> None:
    receipt = open_case(client)
    missing = ask_recovery(client, receipt["case_id"], "")
    assert missing.status_code == 422
    assert page_of(missing).by_id("recovery-email-error")
    invalid = ask_recovery(client, receipt["case_id"], "not an address")
    assert invalid.status_code == 422
    assert "such as name@example.com" in page_of(invalid).text


# Faults at each AWS call of a recovery: once the answer said sent, the mail is sent.


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_recovery_that_answered_sent_is_mailed_whatever_call_failed(
    client: Client, kind: str
) -> None:
    from chalicelib.adapters.derived_keys import forget_derived_keys
    from tests.faults import Crash, Faults

    faults = Faults().install()
    calls = 0
    at = 0
    while at == 0 or at < calls:
        email = f"fault{at}.{kind}@example.com"
        receipt = open_case(client, claimant={**CLAIMANT_OF_REPORT, "email": email})
        before = len(sent_mails())
        forget_derived_keys()  # so the derivation's KMS calls are among those that fail
        faults.arm(None, -1)
        if calls == 0:
            ask_recovery(client, receipt["case_id"], email)
            calls = len(faults.calls)
            assert calls >= 4, faults.calls  # KMS, two counts, the case, the link and its mail
            sent_mails()
            at = 0
            continue
        faults.arm(kind, at)
        try:
            answer = ask_recovery(client, receipt["case_id"], email)
            status = answer.status_code
        except Crash:
            status = None
        faults.disarm()
        assert status in (200, 503, None), (kind, at, faults.fired, status)
        if status == 200:
            mailed = [m for m in sent_mails()[before:] if m.destinations["ToAddresses"] == [email]]
            assert len(mailed) == 1, (kind, at, faults.fired)
            assert recovery_link_in(mailed[0])
        else:
            # The claimant asks again and is mailed a link (the failed attempt counted).
            again = ask_recovery(client, receipt["case_id"], email)
            assert again.status_code == 200
            mailed = [m for m in sent_mails()[before:] if m.destinations["ToAddresses"] == [email]]
            assert 1 <= len(mailed) <= 2, (kind, at, faults.fired)
        at += 1
