"""What a report names the content by, per surface: its web address or the in-app reference the
report button supplies; and everything that shows or uses it."""

from __future__ import annotations

import urllib.parse
from typing import Any

import boto3
import pytest
from chalice.test import Client

from chalicelib.adapters import keys
from chalicelib.config import settings
from chalicelib.domain.errors import InvalidRequest
from chalicelib.domain.reports import parse_report
from tests.conftest import PNG, deliver_effects, post_json, report, sign_in, upload
from tests.review_helpers import decision, enforcement_messages
from tools.provision import LocalStack

UPLOAD = "01JDX3F6Y2P4Q8R9S0T1V2W3XZ"
BLOCK = {"type": "block_content", "days": 30}
REF = "tb:8f3a.c91_22-x"
# What each surface takes, read from the policy: the profile and the Talk Board post may have no
# web page (any address where one exists); Open Chat and Open Profiles live on open.kakao.com.
IN_APP_FIRST = ("kakaotalk_profile", "talk_board")
OPEN_CHAT = ("open_chat_board", "open_chat_cover", "open_profile")
SURFACES = (*IN_APP_FIRST, *OPEN_CHAT)


def parsed(target: dict[str, Any]) -> Any:
    return parse_report(report([UPLOAD], target=target)).target


def refused(target: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """Return the refused fields of a report of `target`: field -> (code, message)."""
    with pytest.raises(InvalidRequest) as caught:
        parse_report(report([UPLOAD], target=target))
    return {e.field: (e.code, e.message) for e in caught.value.errors}


def bearer(aws: LocalStack) -> dict[str, str]:
    return {"Authorization": f"Bearer {sign_in(aws, 'reviewer')}"}


def file_report(client: Client, target: dict[str, Any], content: bytes = PNG) -> dict[str, Any]:
    response = post_json(client, "/v1/reports", report([upload(client, content)], target=target))
    assert response.status_code == 201, response.body
    found: dict[str, Any] = response.json_body
    return found


# -- per surface, what is allowed ----------------------------------------------------------


@pytest.mark.parametrize("surface", SURFACES)
def test_every_surface_takes_the_in_app_reference_of_the_report_button(surface: str) -> None:
    target = parsed({"surface": surface, "content_ref": REF})
    assert (target.content_ref, target.url) == (REF, None)


@pytest.mark.parametrize("surface", IN_APP_FIRST)
def test_a_profile_or_talk_board_post_takes_a_web_address_where_it_has_one(surface: str) -> None:
    target = parsed({"surface": surface, "url": "https://example.com/profile/7"})
    assert (target.url, target.content_ref) == ("https://example.com/profile/7", None)


@pytest.mark.parametrize("surface", OPEN_CHAT)
def test_open_chat_and_open_profiles_take_an_open_kakao_com_address(surface: str) -> None:
    assert parsed({"surface": surface, "url": "https://open.kakao.com/o/gX1"}).url == (
        "https://open.kakao.com/o/gX1"
    )
    code, message = refused({"surface": surface, "url": "https://example.com/o/gX1"})["target.url"]
    assert code == "wrong_host" and "open.kakao.com" in message and "content_ref" in message


@pytest.mark.parametrize("surface", SURFACES)
def test_both_the_address_and_the_reference_are_refused_naming_the_reference(
    surface: str,
) -> None:
    errors = refused({"surface": surface, "url": "https://open.kakao.com/o/g", "content_ref": REF})
    assert list(errors) == ["target.content_ref"]
    assert "target.url" in errors["target.content_ref"][1]


@pytest.mark.parametrize(
    ("surface", "field", "expected"),
    [
        ("kakaotalk_profile", "target.content_ref", "report button"),
        ("talk_board", "target.content_ref", "report button"),
        ("open_chat_board", "target.url", "open.kakao.com"),
        ("open_chat_cover", "target.url", "open.kakao.com"),
        ("open_profile", "target.url", "open.kakao.com"),
    ],
)
def test_neither_is_refused_naming_the_field_the_surface_asks_for_first(
    surface: str, field: str, expected: str
) -> None:
    errors = refused({"surface": surface})
    assert list(errors) == [field]
    code, message = errors[field]
    assert code == "missing" and expected in message


def test_the_api_answers_a_target_naming_both_with_a_problem_naming_the_field(
    client: Client,
) -> None:
    both = {"surface": "talk_board", "url": "https://example.com/p", "content_ref": REF}
    response = post_json(client, "/v1/reports", report([upload(client, PNG)], target=both))
    assert response.status_code == 422
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert [e["field"] for e in response.json_body["errors"]] == ["target.content_ref"]

    neither = post_json(client, "/v1/reports", report([upload(client, PNG)], target={}))
    fields = [e["field"] for e in neither.json_body["errors"]]
    assert neither.status_code == 422 and fields == ["target.surface"]


# -- completion of scheme-less addresses ----------------------------------------------------


@pytest.mark.parametrize(
    ("surface", "given", "stored"),
    [
        ("open_chat_board", "open.kakao.com/o/gABC", "https://open.kakao.com/o/gABC"),
        ("open_profile", "  OPEN.kakao.com/me/kim ", "https://OPEN.kakao.com/me/kim"),
        ("talk_board", "www.example.com/board/3", "https://www.example.com/board/3"),
        ("open_chat_cover", "http://open.kakao.com/o/gABC", "http://open.kakao.com/o/gABC"),
    ],
)
def test_a_scheme_less_open_chat_or_www_address_is_completed_with_https(
    surface: str, given: str, stored: str
) -> None:
    assert parsed({"surface": surface, "url": given}).url == stored


@pytest.mark.parametrize(
    "given",
    [
        "example.com/board/3",  # a bare host may be a mistyped reference: not guessed
        "open.kakao.com.evil.example/o/x",
        "//open.kakao.com/o/x",
        "javascript:alert(1)",
        "ftp://open.kakao.com/o/x",
        "open .kakao.com/o/x",
    ],
)
def test_other_scheme_less_or_non_web_addresses_stay_refused(given: str) -> None:
    code, _ = refused({"surface": "talk_board", "url": given})["target.url"]
    assert code == "value_error"


def test_a_completed_address_still_has_to_be_on_open_kakao_com_for_open_chat() -> None:
    assert "target.url" in refused({"surface": "open_chat_board", "url": "www.example.com/o/x"})


# -- the reference is opaque and bounded ----------------------------------------------------


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "ref with spaces",
        "ref\u202etxt.exe",
        "../../etc/passwd",
        "ref;DROP TABLE",
        "ref\nSet-Cookie:x",
        "참조",
        "r" * 129,
        "a%2Fb",
    ],
)
def test_a_hostile_reference_is_refused(hostile: str) -> None:
    assert "target.content_ref" in refused({"surface": "talk_board", "content_ref": hostile})


def test_a_reference_of_128_characters_is_taken() -> None:
    assert parsed({"surface": "talk_board", "content_ref": "R" * 128}).content_ref == "R" * 128


# -- what shows or uses the target ----------------------------------------------------------


def test_the_enforcement_message_carries_the_reference_and_no_address(
    client: Client, aws: LocalStack
) -> None:
    case_id = file_report(client, {"surface": "talk_board", "content_ref": REF})["case_id"]
    post_json(client, f"/v1/cases/{case_id}/decisions", decision(1, BLOCK), bearer(aws))
    [message] = enforcement_messages()
    assert message["target"] == {"surface": "talk_board", "content_ref": REF}


def test_a_case_is_related_to_others_of_the_same_reference(client: Client, aws: LocalStack) -> None:
    first = file_report(client, {"surface": "talk_board", "content_ref": REF}, PNG + b"1")
    second = file_report(client, {"surface": "talk_board", "content_ref": REF}, PNG + b"2")
    other = file_report(client, {"surface": "talk_board", "content_ref": REF + "9"}, PNG + b"3")

    response = client.http.get(f"/v1/cases/{first['case_id']}", headers=bearer(aws))
    related = {r["case_id"]: r["same"] for r in response.json_body["related"]}
    assert related == {second["case_id"]: ["content_ref"]}
    assert other["case_id"] not in related
    assert response.json_body["case"]["target"]["content_ref"] == REF


def test_the_claimant_and_the_poster_see_the_reference(client: Client, aws: LocalStack) -> None:
    filed = file_report(client, {"surface": "kakaotalk_profile", "content_ref": REF})
    case_id, receipt = filed["case_id"], filed["receipt_token"]
    post_json(client, f"/v1/cases/{case_id}/decisions", decision(1, BLOCK), bearer(aws))
    [message] = enforcement_messages()
    deliver_effects()
    token = urllib.parse.parse_qs(urllib.parse.urlsplit(message["notice_url"]).query)["token"][0]

    view = client.http.get(f"/v1/reports/{case_id}", headers={"X-Receipt-Token": receipt})
    assert (view.json_body["target"]["content_ref"], view.json_body["target"]["url"]) == (REF, None)
    notice = client.http.get(f"/v1/notices/{case_id}", headers={"X-Notice-Token": token})
    assert (notice.json_body["content_ref"], notice.json_body["content_url"]) == (REF, None)
    page = client.http.get(f"/notices/{case_id}?token={token}&lang=en")
    assert REF in page.body.decode() and "In-app reference" in page.body.decode()


def test_a_case_stored_before_references_still_reads_everywhere(
    client: Client, aws: LocalStack
) -> None:
    address = "https://open.kakao.com/o/gOLD"
    old = file_report(client, {"surface": "open_chat_board", "url": address}, PNG + b"o")
    again = file_report(client, {"surface": "open_chat_board", "url": address}, PNG + b"n")
    case_id, receipt = old["case_id"], old["receipt_token"]
    # As it was stored before: a target of a surface and an address, no reference at all.
    table = boto3.resource("dynamodb").Table(settings().cases_table)
    table.update_item(Key=keys.case_key(case_id), UpdateExpression="REMOVE target.content_ref")
    stored = table.get_item(Key=keys.case_key(case_id))["Item"]["target"]
    assert set(stored) == {"surface", "url", "description"}

    view = client.http.get(f"/v1/reports/{case_id}", headers={"X-Receipt-Token": receipt})
    assert view.status_code == 200 and view.json_body["target"]["url"] == address
    page = client.http.get(f"/status?case_id={case_id}", headers={"X-Receipt-Token": receipt})
    assert page.status_code == 200
    case_file = client.http.get(f"/v1/cases/{case_id}", headers=bearer(aws))
    assert [r["same"] for r in case_file.json_body["related"]] == [["target_url"]]
    assert case_file.json_body["related"][0]["case_id"] == again["case_id"]
    post_json(client, f"/v1/cases/{case_id}/decisions", decision(1, BLOCK), bearer(aws))
    [message] = enforcement_messages()
    assert message["target"] == {"surface": "open_chat_board", "url": address}
