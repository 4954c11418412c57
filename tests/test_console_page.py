"""The staff console's page as the server gives it: its words, its setup and its security."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from chalice.test import Client

from chalicelib.api.console import console_security_policy
from chalicelib.config import _staff_sign_in_url
from chalicelib.web import console, render
from tests.test_texts import leaves, placeholders

SCRIPT = Path(console.__file__).with_name("assets") / "console.js"


def console_words(lang: str) -> dict[str, Any]:
    with (Path(console.__file__).with_name("texts") / f"console.{lang}.json").open() as file:
        words: dict[str, Any] = json.load(file)
    return words


def data_block(html: str, block_id: str) -> Any:
    found = re.search(
        rf'<script type="application/json" id="{block_id}">(.*?)</script>', html, re.S
    )
    assert found, block_id
    return json.loads(found[1])


def test_both_languages_word_the_same_console_texts_with_the_same_placeholders() -> None:
    korean, english = (dict(leaves(console_words(lang))) for lang in ("ko", "en"))
    assert set(korean) == set(english)
    assert [p for p in korean if placeholders(korean[p]) != placeholders(english[p])] == []


def test_every_text_the_script_asks_for_exists_in_both_languages() -> None:
    source = SCRIPT.read_text()
    asked = set(re.findall(r'\btext\("([a-z_.]+)"', source))
    asked |= {
        f"{prefix}.{key}"
        for prefix, keys in (
            (
                "queues",
                [
                    "received",
                    "in_review",
                    "information_requested",
                    "reposting_requested",
                    "appeals",
                ],
            ),
            (
                "measure_types",
                [
                    "reject",
                    "request_information",
                    "block_content",
                    "delete_content",
                    "restrict_room",
                    "restrict_user",
                ],
            ),
        )
        for key in keys
    }
    assert len(asked) > 100
    for lang in ("ko", "en"):
        words = {path.strip("/").replace("/", ".") for path, _ in leaves(console_words(lang))}
        assert sorted(asked - words) == [], lang


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_console_is_served_in_each_language_with_its_setup_and_words(
    client: Client, lang: str
) -> None:
    answer = client.http.get(f"/console?lang={lang}")

    assert answer.status_code == 200
    html = answer.body.decode()
    assert f'<html lang="{lang}">' in html
    setup = data_block(html, "console-setup")
    texts = data_block(html, "console-texts")
    assert setup["lang"] == lang
    assert setup["clientId"] and setup["clientId"] == client_id_of(client)
    assert texts["title"] == {"ko": "직원 콘솔", "en": "Staff console"}[lang]
    # The names it shares with the public pages come from their texts, not a copy.
    assert texts["names"]["grounds"]["defamation"] == {"ko": "명예훼손", "en": "Defamation"}[lang]
    assert answer.headers["Cache-Control"] == "no-store"


def client_id_of(client: Client) -> str:
    import os

    return os.environ["USER_POOL_CLIENT_ID"]


def test_the_console_runs_only_its_own_script_and_talks_only_to_the_api_the_pool_and_the_store(
    client: Client,
) -> None:
    answer = client.http.get("/console?lang=en")
    policy = dict(
        part.strip().split(" ", 1) for part in answer.headers["Content-Security-Policy"].split(";")
    )
    setup = data_block(answer.body.decode(), "console-setup")
    sign_in = re.match(r"https?://[^/]+", setup["signInUrl"])
    assert sign_in

    assert policy["script-src"] == "'self'"
    assert policy["default-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    connect = policy["connect-src"].split()
    assert connect[0] == "'self'"
    assert sign_in[0] in connect
    assert all(origin.startswith("http") for origin in connect[1:])
    assert "'unsafe-inline'" not in answer.headers["Content-Security-Policy"]
    # The page's one script is its own file; the two data blocks do not run.
    assert re.findall(r"<script(?![^>]*application/json)[^>]*>", answer.body.decode()) == [
        f'<script src="/assets/console.js?v={render.asset("console.js").version}" defer>'
    ]


def test_the_console_keeps_tokens_out_of_local_storage_and_addresses() -> None:
    source = SCRIPT.read_text()
    assert "localStorage" not in source
    assert "sessionStorage" in source
    # Tokens travel only in the Authorization header and the pool's own request bodies.
    assert not re.search(r"[?&](access|id|refresh)_?token=", source, re.I)


def test_a_text_cannot_close_the_data_block_it_is_written_in() -> None:
    written = console._data({"x": "</script><script>alert(1)</script>"})
    assert "</script>" not in written
    assert json.loads(written) == {"x": "</script><script>alert(1)</script>"}


def test_staff_sign_in_goes_to_the_pools_regional_endpoint_or_the_local_aws() -> None:
    assert _staff_sign_in_url({"AWS_REGION": "ap-northeast-2"}) == (
        "https://cognito-idp.ap-northeast-2.amazonaws.com/"
    )
    assert _staff_sign_in_url({"AWS_ENDPOINT_URL": "http://127.0.0.1:5000"}) == (
        "http://127.0.0.1:5000/"
    )
    assert (
        _staff_sign_in_url(
            {"STAFF_SIGN_IN_URL": "https://signin.example/", "AWS_REGION": "ap-northeast-2"}
        )
        == "https://signin.example/"
    )


def test_the_policy_names_no_evidence_origin_when_the_store_cannot_be_named(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from chalicelib import wiring

    def broken() -> Any:
        raise RuntimeError("no store")

    monkeypatch.setattr(wiring, "review", broken)
    policy = console_security_policy("https://cognito-idp.ap-northeast-2.amazonaws.com/")
    assert "connect-src 'self' https://cognito-idp.ap-northeast-2.amazonaws.com;" in policy
