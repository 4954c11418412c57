"""Hostile bodies on every route that takes JSON, public and staff: a 4xx problem, never a 500."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from chalice.test import Client

from app import app
from chalicelib import wiring
from chalicelib.api.access import ROUTE_GROUPS
from chalicelib.api.json_body import MAX_JSON_DEPTH, MAX_NUMBER_CHARS
from chalicelib.api.pages import MAX_NOTICE_FORM_BYTES, MAX_STATUS_FORM_BYTES
from tests.conftest import header, sign_in
from tools.provision import LocalStack

MADE_UP_ID = "01JDX3F6Y2P4Q8R9S0T1V2W3XZ"
JSON_POSTS: list[str] = sorted(
    path
    for path, methods in app.routes.items()
    if "POST" in methods
    and {"*/*", "application/json"} & set(methods["POST"].content_types or ["application/json"])
)
FORM_POSTS: list[str] = sorted(
    path
    for path, methods in app.routes.items()
    if "POST" in methods
    and "application/x-www-form-urlencoded" in (methods["POST"].content_types or [])
)

HOSTILE: dict[str, bytes] = {
    "nested 30,000 arrays deep": b"[" * 30_000 + b"]" * 30_000,
    "nested 10,000 objects deep": b'{"a":' * 10_000 + b"1" + b"}" * 10_000,
    "an integer of 5,000 digits": b'{"size": ' + b"9" * 5_000 + b"}",
    "an integer beyond 2^53 - 1": b'{"expected_version": 1, "reasons": {"n": -36028797018963967}}',
    "a float of 5,000 digits": b'{"size": 0.' + b"1" * 5_000 + b"}",
    "a huge float exponent": b'{"size": 1e999999999}',
    "invalid UTF-8": b'{"filename": "\xff\xfe.png"}',
    "a key twice": b'{"filename": "a.png", "filename": "b.png"}',
    "NaN": b'{"size": NaN}',
    "Infinity": b'{"size": Infinity}',
    "-Infinity": b'{"size": -Infinity}',
    "half a surrogate pair": b'{"filename": "\\ud800.png"}',
}


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", MADE_UP_ID, path)


def staff_headers(stack: LocalStack) -> dict[str, dict[str, str]]:
    """Return the Authorization header of a user allowed on each staff route, by path."""
    tokens: dict[str, str] = {}
    headers = {}
    for method, path in ROUTE_GROUPS:
        if method != "POST":
            continue
        role = next(
            role
            for role, user in stack.demo_users.items()
            if user["group"] in ROUTE_GROUPS[(method, path)]
        )
        tokens.setdefault(role, sign_in(stack, role))
        headers[path] = {"Authorization": f"Bearer {tokens[role]}"}
    return headers


def test_the_json_routes_are_found_public_and_staff() -> None:
    assert "/v1/reports" in JSON_POSTS and "/v1/uploads" in JSON_POSTS
    assert "/v1/cases/{case_id}/decisions" in JSON_POSTS
    assert "/v1/admin/effects/{case_id}/{effect_id}/replay" in JSON_POSTS


def test_each_hostile_json_body_is_a_400_problem_on_every_json_route(
    client: Client, aws: LocalStack
) -> None:
    staff = staff_headers(aws)
    answers = {
        (kind, path): client.http.post(
            concrete(path),
            headers={"Content-Type": "application/json", **staff.get(path, {})},
            body=body,
        )
        for kind, body in HOSTILE.items()
        for path in JSON_POSTS
    }

    assert {route: a.status_code for route, a in answers.items()} == dict.fromkeys(answers, 400)
    assert {header(a, "content-type") for a in answers.values()} == {"application/problem+json"}
    assert all(a.json_body["status"] == 400 and a.json_body["detail"] for a in answers.values())


def test_the_problem_says_what_and_where(client: Client) -> None:
    def detail(body: bytes) -> str:
        answer = client.http.post(
            "/v1/uploads", headers={"Content-Type": "application/json"}, body=body
        )
        return str(answer.json_body["detail"])

    assert detail(HOSTILE["nested 30,000 arrays deep"]) == (
        f"The body is nested deeper than {MAX_JSON_DEPTH} levels (at byte {MAX_JSON_DEPTH})."
    )
    assert detail(HOSTILE["an integer of 5,000 digits"]) == (
        f"The body holds a number longer than {MAX_NUMBER_CHARS} characters (at byte 9)."
    )
    assert "beyond the range of a double" in detail(HOSTILE["a huge float exponent"])
    assert "integer beyond ±9007199254740991" in detail(HOSTILE["an integer beyond 2^53 - 1"])
    assert detail(HOSTILE["invalid UTF-8"]) == "The body is not UTF-8 text (at byte 14)."
    assert (
        detail(HOSTILE["a key twice"]) == 'The body names the key "filename" twice in one object.'
    )
    assert "NaN is not a JSON number" in detail(HOSTILE["NaN"])
    assert "half of a surrogate pair" in detail(HOSTILE["half a surrogate pair"])


def test_a_hostile_body_is_refused_before_any_use_case_is_built(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def untouchable() -> Any:
        raise AssertionError("a use case was built for a hostile body")

    for name in ("intake", "review", "relay"):
        monkeypatch.setattr(wiring, name, untouchable)

    answer = client.http.post(
        "/v1/uploads",
        headers={"Content-Type": "application/json"},
        body=HOSTILE["nested 30,000 arrays deep"],
    )

    assert answer.status_code == 400


def test_brackets_and_digits_inside_strings_are_text_not_structure(client: Client) -> None:
    name = "[" * 200 + "9" * 200 + '\\"{' * 50 + ".png"
    body = json.dumps({"filename": name, "content_type": "image/png", "size": 10})

    answer = client.http.post(
        "/v1/uploads", headers={"Content-Type": "application/json"}, body=body.encode()
    )

    # Past the JSON guard: the schema refuses the name for its length.
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json_body["errors"]] == ["filename"]


def test_a_body_nested_as_deep_as_the_limit_reaches_the_schema(client: Client) -> None:
    deep: Any = 1
    for _ in range(MAX_JSON_DEPTH - 1):
        deep = [deep]
    body = json.dumps({"filename": deep, "content_type": "image/png", "size": 10})

    answer = client.http.post(
        "/v1/uploads", headers={"Content-Type": "application/json"}, body=body.encode()
    )

    assert answer.status_code == 422
    assert [e["field"] for e in answer.json_body["errors"]] == ["filename"]


def test_a_form_of_a_hundred_thousand_fields_is_refused_by_its_size(client: Client) -> None:
    body = b"&".join([b"a=1"] * 100_000)
    assert len(body) > max(MAX_STATUS_FORM_BYTES, MAX_NOTICE_FORM_BYTES)

    statuses = {
        path: client.http.post(
            concrete(path),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            body=body,
        ).status_code
        for path in FORM_POSTS
    }

    assert len(FORM_POSTS) >= 4
    assert statuses == dict.fromkeys(FORM_POSTS, 413)


def test_a_form_of_as_many_fields_as_its_size_allows_is_answered(client: Client) -> None:
    fields = b"&".join([b"a=1"] * (MAX_NOTICE_FORM_BYTES // 4))

    answer = client.http.post(
        f"/notices/{MADE_UP_ID}",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        body=fields,
    )

    assert 400 <= answer.status_code < 500
