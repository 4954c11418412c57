"""The hosted pages through the Chalice test client: languages, labels, headers, assets, status."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from chalice.test import Client

from chalicelib import wiring
from chalicelib.adapters.evidence_store import EvidenceStore
from chalicelib.api import pages
from chalicelib.domain.evidence import ALLOWED_CONTENT_TYPES
from chalicelib.domain.vocabulary import CaseStatus, Ground, IpRight, Surface
from chalicelib.web.reader import negotiate_lang
from chalicelib.web.texts import TEXTS
from tests.conftest import PDF, PNG, header, post_json, report, upload

ROOT = Path(__file__).resolve().parent.parent
FORM_POST = {"Content-Type": "application/x-www-form-urlencoded"}
KOREAN_SURFACES = [
    "카카오톡 프로필",
    "일반채팅 그룹채팅방 톡게시판(게시글·댓글)",
    "오픈채팅 그룹채팅방 공지·일정·투표 게시판",
    "오픈채팅방 정보(커버)",
    "오픈프로필 및 오픈프로필 게시물",
]
KOREAN_GROUNDS = [
    "개인정보 유포·사생활 침해",
    "초상권 침해",
    "명예훼손",
    "지식재산권 침해",
    "기타 권리 침해",
]


class Page(HTMLParser):
    """The parts of a page the tests look at: elements with their attributes, and the text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.text_parts: list[str] = []
        self.script_text: dict[str, str] = {}
        self._script_id: str | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        self.elements.append((tag, attributes))
        if tag == "script":
            self._script_id = attributes.get("id", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script_id = None

    def handle_data(self, data: str) -> None:
        if self._script_id is not None:
            self.script_text[self._script_id] = self.script_text.get(self._script_id, "") + data
        else:
            self.text_parts.append(data)

    @property
    def text(self) -> str:
        """Return the visible text, with runs of white space made single spaces."""
        return re.sub(r"\s+", " ", " ".join(self.text_parts))

    def all(self, tag: str) -> list[dict[str, str]]:
        """Return the attributes of every element of this tag."""
        return [attributes for name, attributes in self.elements if name == tag]

    def by_id(self, element_id: str) -> dict[str, str]:
        """Return the attributes of the element with this id."""
        [found] = [a for _, a in self.elements if a.get("id") == element_id]
        return found


def body_of(response: Any) -> str:
    return bytes(response.body).decode("utf-8")


def page_of(response: Any) -> Page:
    return Page(body_of(response))


def html_lang(response: Any) -> str:
    return page_of(response).all("html")[0]["lang"]


def open_case(client: Client, **changes: Any) -> dict[str, Any]:
    """Submit a report through the JSON API and return its receipt."""
    evidence = upload(client, PNG, "image/png", "address-screenshot.png")
    response = post_json(client, "/v1/reports", report([evidence], **changes))
    assert response.status_code == 201, response.body
    receipt: dict[str, Any] = response.json_body
    return receipt


def ask_status(client: Client, **fields: str) -> Any:
    """Post the status form and, as a browser does, follow its answer to the status address
    with the session cookie it set."""
    from urllib.parse import urlencode

    posted = client.http.post("/status", headers=FORM_POST, body=urlencode(fields))
    if posted.status_code != 303:
        return posted
    cookie = str(header(posted, "set-cookie")).split(";")[0]
    return client.http.get(str(header(posted, "location")), headers={"Cookie": cookie})


def expected_csp() -> str:
    origin = EvidenceStore().upload_origin
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"connect-src 'self' {origin}; form-action 'self'; frame-ancestors 'none'; "
        "base-uri 'none'"
    )


# Languages


def test_the_form_speaks_korean_by_default(client: Client) -> None:
    response = client.http.get("/")
    assert response.status_code == 200
    assert html_lang(response) == "ko"
    text = page_of(response).text
    assert "권리침해 신고" in text
    for label in KOREAN_SURFACES + KOREAN_GROUNDS:
        assert label in text


def test_the_form_speaks_english_when_asked(client: Client) -> None:
    response = client.http.get("/?lang=en")
    assert html_lang(response) == "en"
    text = page_of(response).text
    assert "Report a rights infringement" in text
    for code in Surface:
        assert TEXTS["en"]["surfaces"][code.value]["label"] in text
    for ground in Ground:
        assert TEXTS["en"]["grounds"][ground.value]["label"] in text
    assert "권리침해 신고" not in text


def test_accept_language_picks_english(client: Client) -> None:
    response = client.http.get("/", headers={"Accept-Language": "en-US,en;q=0.9,ko;q=0.4"})
    assert html_lang(response) == "en"
    assert response.headers["Vary"] == "Accept-Language"


def test_the_lang_parameter_wins_over_accept_language(client: Client) -> None:
    response = client.http.get("/status?lang=ko", headers={"Accept-Language": "en"})
    assert html_lang(response) == "ko"
    assert "처리 상황 확인" in page_of(response).text


@pytest.mark.parametrize(
    ("asked", "accept_language", "expected"),
    [
        (None, None, "ko"),
        (None, "", "ko"),
        (None, "fr-FR,fr;q=0.9", "ko"),
        (None, "en", "en"),
        (None, "ko-KR,ko;q=0.9,en;q=0.8", "ko"),
        (None, "ko;q=0.3, en-GB;q=0.7", "en"),
        (None, "en;q=0, ko;q=0.1", "ko"),
        (None, "en;q=bogus", "ko"),
        ("en", "ko", "en"),
        ("ja", "en", "en"),
    ],
)
def test_the_language_is_negotiated(
    asked: str | None, accept_language: str | None, expected: str
) -> None:
    assert negotiate_lang(asked, accept_language) == expected


def test_the_language_switch_links_both_languages(client: Client) -> None:
    links = page_of(client.http.get("/status?lang=en")).all("a")
    switch = {a["hreflang"]: a for a in links if "hreflang" in a}
    assert switch["ko"]["href"] == "/status?lang=ko"
    assert switch["en"]["href"] == "/status?lang=en"
    assert switch["en"].get("aria-current") == "true"


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_policy_word_is_explained(lang: str) -> None:
    texts = TEXTS[lang]
    assert set(texts["surfaces"]) == {s.value for s in Surface}
    assert set(texts["grounds"]) == {g.value for g in Ground}
    assert set(texts["ip_rights"]) == {i.value for i in IpRight}
    assert set(texts["statuses"]) == {s.value for s in CaseStatus}
    assert set(texts["type_names"]) == set(ALLOWED_CONTENT_TYPES)
    for entry in [*texts["surfaces"].values(), *texts["grounds"].values()]:
        assert entry["label"] and entry["hint"]


def test_importing_the_app_leaves_every_heavy_module_for_the_first_request() -> None:
    heavy = ["jinja2", "chalicelib.web.texts", "pydantic", "boto3", "jwt"]
    probe = f"import sys, app; print(*[m in sys.modules for m in {heavy!r}])"
    answer = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert answer.stdout.split() == ["False"] * len(heavy)


def test_every_allowed_type_can_be_recognised_by_its_extension() -> None:
    from chalicelib.domain.evidence import EXTENSION_TYPES

    assert set(EXTENSION_TYPES.values()) == set(ALLOWED_CONTENT_TYPES)


# Accessibility and markup


@pytest.mark.parametrize("path", ["/?lang=ko", "/?lang=en", "/status?lang=ko", "/status?lang=en"])
def test_every_control_has_a_label(client: Client, path: str) -> None:
    page = page_of(client.http.get(path))
    labelled = {label["for"] for label in page.all("label")}
    controls = [
        attributes
        for tag, attributes in page.elements
        if tag in ("select", "textarea")
        or (tag == "input" and attributes.get("type") not in ("hidden", "submit", "button"))
    ]
    assert controls
    for control in controls:
        assert control.get("id") in labelled, control


def test_hints_and_groups_are_announced(client: Client) -> None:
    page = page_of(client.http.get("/"))
    ids = {attributes["id"] for _, attributes in page.elements if "id" in attributes}
    for _, attributes in page.elements:
        for described in attributes.get("aria-describedby", "").split():
            assert described in ids
    assert len(page.all("fieldset")) == len(page.all("legend")) == 5  # with the target's pair
    assert page.by_id("claimant-email").get("required") == ""
    assert page.by_id("evidence").get("multiple") == ""
    accept = page.by_id("evidence")["accept"].split(",")
    assert set(ALLOWED_CONTENT_TYPES) <= set(accept)


def test_conditional_fields_start_hidden(client: Client) -> None:
    page = page_of(client.http.get("/"))
    assert "hidden" in page.by_id("ip-right-field")
    assert "hidden" in page.by_id("agent-fields")
    assert "hidden" in page.by_id("receipt")
    assert page.by_id("submit-report").get("disabled") == ""


def test_the_script_gets_its_words_from_a_json_block(client: Client) -> None:
    page = page_of(client.http.get("/?lang=en"))
    config = json.loads(page.script_text["messages"])
    assert page.by_id("messages")["type"] == "application/json"
    assert config["lang"] == "en"
    assert config["uploadsUrl"] == "/v1/uploads"
    assert config["reportsUrl"] == "/v1/reports"
    assert config["maxBytes"] == 20 * 1024 * 1024
    assert config["allowedTypes"] == list(ALLOWED_CONTENT_TYPES)
    assert config["messages"]["errors"]["claimant.email|value_error"]


@pytest.mark.parametrize("path", ["/", "/status"])
def test_pages_have_no_inline_code_and_no_outside_assets(client: Client, path: str) -> None:
    html = body_of(client.http.get(path))
    page = Page(html)
    assert "<style" not in html
    assert not [a for _, a in page.elements if "style" in a]
    assert not [a for _, a in page.elements if any(name.startswith("on") for name in a)]
    for script in page.all("script"):
        assert script.get("src", "").startswith("/assets/") or script["type"] == "application/json"
    for link in page.all("link"):
        assert link["href"].startswith(("/assets/", "data:"))
    assert "http://" not in " ".join(a.get("src", "") for _, a in page.elements)


def test_links_carry_the_stage_prefix_behind_api_gateway(
    aws: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chalice.local import LambdaContext

    from app import app
    from chalicelib.config import settings

    # The prefix comes from the configured public address, whatever the Host header says.
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://abc123.execute-api.us-east-1.amazonaws.com/api")
    settings.cache_clear()

    event = {
        "resource": "/",
        "path": "/",
        "httpMethod": "GET",
        "headers": {"host": "forged.example"},
        "multiValueHeaders": {},
        "queryStringParameters": {"lang": "en"},
        "multiValueQueryStringParameters": {"lang": ["en"]},
        "pathParameters": None,
        "stageVariables": None,
        "requestContext": {
            "resourcePath": "/",
            "httpMethod": "GET",
            "path": "/api/",
            "stage": "api",
            "identity": {"sourceIp": "203.0.113.7"},
        },
        "body": None,
        "isBase64Encoded": False,
    }
    answer = app(event, LambdaContext("api_handler", 128))
    assert answer["statusCode"] == 200
    page = Page(answer["body"])
    config = json.loads(page.script_text["messages"])
    assert config["reportsUrl"] == "/api/v1/reports"
    assert config["statusUrl"] == "/api/status"
    assert [link["href"] for link in page.all("link")][1].startswith("/api/assets/site.css?v=")


# Security headers


@pytest.mark.parametrize("path", ["/", "/?lang=en", "/status"])
def test_pages_send_the_content_security_policy(client: Client, path: str) -> None:
    response = client.http.get(path)
    assert response.headers["Content-Security-Policy"] == expected_csp()
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"


def test_the_status_result_is_never_stored(client: Client) -> None:
    receipt = open_case(client)
    response = ask_status(
        client, case_id=receipt["case_id"], receipt_token=receipt["receipt_token"]
    )
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Security-Policy"] == expected_csp()


# Assets


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("forms.js", "text/javascript; charset=utf-8"),
        ("form.js", "text/javascript; charset=utf-8"),
        ("status.js", "text/javascript; charset=utf-8"),
        ("notice.js", "text/javascript; charset=utf-8"),
        ("site.css", "text/css; charset=utf-8"),
    ],
)
def test_assets_are_served_with_their_type(client: Client, name: str, content_type: str) -> None:
    response = client.http.get(f"/assets/{name}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.body


def test_versioned_assets_are_cached_for_good_and_revalidated_by_etag(client: Client) -> None:
    page = page_of(client.http.get("/"))
    scripts = [s["src"] for s in page.all("script") if "src" in s]
    # The shared upload code comes first; both run in order after the page is parsed.
    assert [src.split("?")[0] for src in scripts] == ["/assets/forms.js", "/assets/form.js"]
    [script] = [s for s in page.all("script") if s.get("src", "").startswith("/assets/form.js")]
    response = client.http.get(script["src"])
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    again = client.http.get("/assets/form.js", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("name", ["nope.js", "form.css", "..%2Fapp.py", "__init__.py"])
def test_an_unknown_asset_is_not_found(client: Client, name: str) -> None:
    response = client.http.get(f"/assets/{name}")
    assert response.status_code == 404


# The status page without JavaScript


def test_the_status_form_posts_to_itself(client: Client) -> None:
    page = page_of(client.http.get("/status?lang=en&case_id=01JDXY"))
    form, recovery = page.all("form")
    assert form["method"] == "post"
    assert form["action"] == "/status"
    assert (recovery["method"], recovery["action"]) == ("post", "/status/recovery")
    assert page.by_id("case-id")["value"] == "01JDXY"
    assert not page.all("script")


def test_a_wrong_token_shows_the_form_again_with_a_message(client: Client) -> None:
    receipt = open_case(client)
    response = ask_status(
        client, case_id=receipt["case_id"], receipt_token="not-the-token", lang="ko"
    )
    assert response.status_code == 404
    page = page_of(response)
    assert "사건 번호와 접수 토큰이 일치하는 신고를 찾지 못했습니다" in page.text
    assert page.by_id("case-id")["value"] == receipt["case_id"]
    assert page.by_id("receipt-token")["value"] == ""
    assert page.by_id("receipt-token")["aria-invalid"] == "true"
    assert "status-message" in page.by_id("case-id")["aria-describedby"]
    assert response.headers["Content-Security-Policy"] == expected_csp()


def test_an_unknown_case_is_not_found_in_english(client: Client) -> None:
    response = ask_status(
        client, case_id="01JDXYZ0000000000000000000", receipt_token="whatever", lang="en"
    )
    assert response.status_code == 404
    assert html_lang(response) == "en"
    assert "No case matches this case ID and receipt token" in page_of(response).text


def test_missing_fields_are_named(client: Client) -> None:
    response = ask_status(client, case_id="", receipt_token="", lang="en")
    assert response.status_code == 422
    page = page_of(response)
    assert page.by_id("case-id-error")
    assert page.by_id("receipt-token-error")
    assert "autofocus" in page.by_id("status-message")


def test_an_oversized_status_form_is_refused(client: Client) -> None:
    response = ask_status(client, case_id="x" * 5000, receipt_token="y")
    assert response.status_code == 413


def test_a_failing_store_shows_a_page_not_a_stack_trace(
    client: Client, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def unavailable(case_id: str, receipt_token: str | None) -> None:
        raise RuntimeError(f"table down while reading {case_id} with {receipt_token}")

    monkeypatch.setattr(wiring.intake(), "claimant_view", unavailable)
    capsys.readouterr()
    response = ask_status(client, case_id="01JDXYZ0000000000000000000", receipt_token="secret")
    # Not AWS being busy (tests/test_failures.py): a fault of ours, so 500, with no Retry-After.
    assert response.status_code == 500
    assert "Retry-After" not in response.headers
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "지금은 처리 상황을 확인할 수 없습니다" in page_of(response).text
    assert "secret" not in body_of(response)
    # The log keeps the error's type and where it was raised, never its message (the token).
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line]
    [logged] = [line for line in lines if line["logger"] == "irc.pages"]
    assert logged["error"] == "RuntimeError" and "in unavailable" in logged["traceback"]
    logged = json.dumps(logged)
    assert "secret" not in logged and "01JDXYZ" not in logged


def test_the_error_page_is_shown_when_the_evidence_store_cannot_be_named_either(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def down(*args: object) -> None:
        raise RuntimeError("settings or S3 out of reach")

    monkeypatch.setattr(wiring.intake(), "claimant_view", down)
    monkeypatch.setattr(wiring.intake(), "upload_origin", down)
    response = ask_status(client, case_id="01JDXYZ0000000000000000000", receipt_token="secret")
    assert response.status_code == 500
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "connect-src 'self';" in response.headers["Content-Security-Policy"]
    assert "지금은 처리 상황을 확인할 수 없습니다" in page_of(response).text


def test_the_holder_of_the_token_reads_the_status_in_korean(client: Client) -> None:
    receipt = open_case(client)
    response = ask_status(
        client,
        # Typed by hand, a case id may come back in lower case and with spaces.
        case_id=f" {receipt['case_id'].lower()} ",
        receipt_token=receipt["receipt_token"],
        lang="ko",
    )
    assert response.status_code == 200
    page = page_of(response)
    assert html_lang(response) == "ko"
    assert "접수됨" in page.text
    assert "신고가 접수되어 검토를 기다리고 있습니다" in page.text
    assert "오픈채팅 그룹채팅방 공지·일정·투표 게시판" in page.text
    assert "개인정보 유포·사생활 침해" in page.text
    assert "초상권 침해" in page.text
    assert "접근 차단(임시조치)" in page.text
    assert "address-screenshot.png" in page.text
    assert "아직 내려진 결정이 없습니다" in page.text
    assert "(한국 시간)" in page.text
    # The token is never shown again, nor put in an address: the page's forms carry a
    # short-lived proof of the case in hidden fields instead.
    token = receipt["receipt_token"]
    assert token not in body_of(response)
    holders = [i for i in page.all("input") if i.get("name") == "receipt_token"]
    assert holders and {i["type"] for i in holders} == {"hidden"}
    assert response.headers["Cache-Control"] == "no-store"


def test_the_holder_of_the_token_reads_the_status_in_english(client: Client) -> None:
    evidence = upload(client, PNG, "image/png", "logo-copy.png")
    attorney = upload(client, PDF, "application/pdf", "power-of-attorney.pdf")
    body = report(
        [evidence],
        claimant={
            "name": "Lee Agent",
            "email": "agent@example.com",
            "relationship": "agent",
            "principal_name": "Kim Minji",
        },
        grounds=["intellectual_property"],
        ip_right="trademark",
        power_of_attorney=attorney,
        requested_action="delete",
        lang="en",
    )
    submitted = post_json(client, "/v1/reports", body)
    assert submitted.status_code == 201, submitted.body
    receipt = submitted.json_body
    response = ask_status(
        client, case_id=receipt["case_id"], receipt_token=receipt["receipt_token"], lang="en"
    )
    text = page_of(response).text
    assert response.status_code == 200
    assert "Received" in text
    assert "Intellectual property" in text
    assert "Trademark" in text
    assert "Delete" in text
    assert "logo-copy.png (Evidence" in text
    assert "power-of-attorney.pdf (Power of attorney" in text
    assert "No decision has been made yet" in text
    assert " KST" in text


def test_a_status_form_post_must_be_a_form(client: Client) -> None:
    response = post_json(client, "/status", {"case_id": "x", "receipt_token": "y"})
    assert response.status_code == 415


# Moments, in Korea's time with the zone named


@pytest.mark.parametrize(
    ("lang", "shown"),
    [("en", "25 November 2026, 03:16 KST"), ("ko", "2026년 11월 25일 03:16 (한국 시간)")],
)
def test_the_status_page_gives_moments_in_korea_time_with_the_zone_named(
    client: Client, monkeypatch: pytest.MonkeyPatch, lang: str, shown: str
) -> None:
    # 18:16 UTC on the 24th is 03:16 on the 25th in Seoul.
    monkeypatch.setattr(
        wiring.intake(), "clock", lambda: datetime(2026, 11, 24, 18, 16, tzinfo=UTC)
    )
    receipt = open_case(client)
    assert receipt["received_at"] == "2026-11-24T18:16:00.000Z"
    response = ask_status(
        client, case_id=receipt["case_id"], receipt_token=receipt["receipt_token"], lang=lang
    )
    text = page_of(response).text
    assert shown in text
    assert "18:16" not in text


def test_mails_give_moments_in_korea_time_with_the_zone_named() -> None:
    from chalicelib.domain.decisions import AppliedMeasure
    from chalicelib.domain.vocabulary import Lang
    from chalicelib.services import messages

    _, english = messages.acknowledgement(Lang.EN, "C1", "2026-11-24T18:16:00.000Z", "https://x")
    assert "Received: 25 November 2026, 03:16 KST" in english
    _, korean = messages.decision(
        Lang.KO,
        "C1",
        [
            AppliedMeasure(
                type="block_content",
                parameters={},
                starts_at="2026-11-24T18:16:00.000Z",
                ends_at="2026-12-24T18:16:00.000Z",
            )
        ],
        "facts",
        ("more evidence", "2026-11-30T15:00:00.000Z"),
        "https://x",
    )
    assert "(2026년 12월 25일 03:16 (한국 시간)까지)" in korean
    assert "기한: 2026년 12월 1일 00:00 (한국 시간)" in korean
    assert "UTC" not in english + korean


# One error seam


def test_every_page_route_answers_its_errors_with_a_page() -> None:
    from app import app

    views = {
        (path, method): entry.view_function
        for path, methods in app.routes.items()
        for method, entry in methods.items()
        if entry.view_function.__module__ == pages.__name__
    }
    assert ("/notices/{case_id}/appeal", "POST") in views and ("/assets/{name}", "GET") in views
    assert {
        key for key, view in views.items() if getattr(view, "__error_seam__", None) != "page"
    } == set()


def test_a_failing_report_form_shows_a_page_not_a_stack_trace(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chalicelib.web import forms as form_words

    def broken(reader: Any) -> dict[str, Any]:
        raise KeyError("no such word")

    monkeypatch.setattr(form_words, "report_form", broken)
    response = client.http.get("/?lang=en")
    assert response.status_code == 500
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "We cannot show this page right now" in page_of(response).text
