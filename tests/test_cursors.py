"""Cursors cannot be forged: each is signed, bound to its query, and kept inside its range."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from chalice.test import Client

from chalicelib import wiring
from chalicelib.adapters.aws import client as aws_client
from chalicelib.adapters.derived_keys import derived_key
from chalicelib.domain import cursors
from chalicelib.domain.errors import InvalidCursor, InvalidRequest
from chalicelib.domain.lifecycle import Actor
from chalicelib.services import audit
from chalicelib.services.audit import Audit
from chalicelib.services.audit_views import MAX_QUERIES_PER_PAGE
from chalicelib.services.checkpoints import Checkpoints
from chalicelib.services.intake import Intake
from chalicelib.services.review import Review
from chalicelib.wiring import build
from tests.conftest import header, sign_in
from tests.review_helpers import decision, open_case
from tools.provision import LocalStack

START = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
KEY = b"k" * 32
BLOCK = {"type": "delete_content"}


# The domain: seal and unseal, without AWS.


def test_a_sealed_position_opens_only_with_its_key_and_binding() -> None:
    binding = {"route": "audit/events", "from": "2026-11-01T00:00:00.000Z", "limit": 2}
    position = {"after": "2026-11-02T03:04:05.678Z#01JDX3F6Y2P4Q8R9S0T1V2W3XZ"}
    cursor = cursors.seal(KEY, binding, position)
    assert cursors.unseal(KEY, binding, cursor) == position
    assert cursors.unseal(KEY, dict(reversed(binding.items())), cursor) == position  # canonical
    assert len(cursor) < 120 and all(c.isalnum() or c in "-_." for c in cursor)
    for other in ({**binding, "limit": 3}, {**binding, "from": None}, {**binding, "extra": 1}):
        with pytest.raises(InvalidCursor):
            cursors.unseal(KEY, other, cursor)
    with pytest.raises(InvalidCursor):
        cursors.unseal(b"o" * 32, binding, cursor)
    # Any one character changed, anywhere, and the cursor is refused.
    for index, char in enumerate(cursor):
        changed = cursor[:index] + ("A" if char != "A" else "B") + cursor[index + 1 :]
        with pytest.raises(InvalidCursor):
            cursors.unseal(KEY, binding, changed)


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "not-a-cursor",
        "eyJhZnRlciI6ICIxOTk5LTAxLTAxVDAwOjAwOjAwLjAwMFoifQ",  # the unsigned form of old
        "abc.def",
        "a b.AAAAAAAAAAAAAAAAAAAAAA",
        "é.AAAAAAAAAAAAAAAAAAAAAA",
        "A" * 5000 + ".AAAAAAAAAAAAAAAAAAAAAA",
    ],
)
def test_what_is_not_shaped_like_a_cursor_is_refused_naming_cursor(cursor: str) -> None:
    with pytest.raises(InvalidCursor) as caught:
        cursors.unseal(KEY, {}, cursor)
    assert [e.field for e in caught.value.errors] == ["cursor"]
    assert isinstance(caught.value, InvalidRequest)


@pytest.mark.parametrize("payload", [b"{bad json", b"[1, 2]", b'"after"', b"\xff\xfe"])
def test_a_validly_signed_payload_that_is_no_position_is_still_refused(payload: bytes) -> None:
    encoded = base64.urlsafe_b64encode(payload).decode().rstrip("=")
    for text in (encoded, "ABCDE"):  # and base64 that does not decode
        cursor = f"{text}.{cursors._tag(KEY, {}, text)}"
        with pytest.raises(InvalidCursor):
            cursors.unseal(KEY, {}, cursor)


def test_a_position_must_hold_its_fields_of_their_types_and_lie_in_the_range() -> None:
    assert cursors.fields({"seq": 3}, seq=int) == {"seq": 3}
    for wrong in ({}, {"seq": "3"}, {"seq": True}, {"seq": 3, "more": 1}):
        with pytest.raises(InvalidCursor):
            cursors.fields(wrong, seq=int)
    since, until = "2026-11-01T00:00:00.000Z", "2026-11-30T00:00:00.000Z"
    inside = "2026-11-02T00:00:00.000Z#01JDX3F6Y2P4Q8R9S0T1V2W3XZ"
    assert cursors.moment_within(inside, since, until) == inside
    assert cursors.moment_within(until, since, until) == until
    for outside in ("1999-01-01T00:00:00.000Z", "2026-11-30T00:00:00.001Z"):
        with pytest.raises(InvalidCursor) as caught:
            cursors.moment_within(outside, since, until)
        assert "outside the query's range" in caught.value.errors[0].message
    for malformed in ("yesterday", "2026-11-02T99:00:00.000Z", "2026-11-02T00:00:00.000Z#x"):
        with pytest.raises(InvalidCursor):
            cursors.moment_within(malformed, since, until)


# The routes: every cursor the service gives out.


@dataclass(frozen=True)
class Paged:
    """A cursored route and a query of it; `variants` are other queries of the same route."""

    name: str
    path: str
    role: str
    variants: tuple[str, ...] = ()

    def get(self, client: Client, aws: LocalStack, cursor: str | None = None) -> Any:
        path = self.path + (f"&cursor={cursor}" if cursor is not None else "")
        return client.http.get(path, headers=_token(aws, self.role))

    def items(self, response: Any) -> list[str]:
        if self.name == "export":
            return [json.loads(line)["event_id"] for line in response.body.decode().splitlines()]
        body = response.json_body
        if self.name == "queue":
            return [c["case_id"] for c in body["cases"]]
        if self.name == "checkpoints":
            return [str(c["seq"]) for c in body["checkpoints"]]
        return [e["event_id"] for e in body["events"]]

    def next_cursor(self, response: Any) -> str | None:
        if self.name != "export":
            return response.json_body["next_cursor"]  # type: ignore[no-any-return]
        link = header(response, "link")
        if not link:
            return None
        return parse_qs(urlsplit(link.split(">")[0].removeprefix("<")).query)["cursor"][0]


_tokens: dict[str, str] = {}


@pytest.fixture(autouse=True)
def _fresh_tokens() -> Iterator[None]:
    _tokens.clear()  # each test signs in to a pool of its own
    yield
    _tokens.clear()


def _token(aws: LocalStack, role: str) -> dict[str, str]:
    if role not in _tokens:
        _tokens[role] = sign_in(aws, role)
    return {"Authorization": f"Bearer {_tokens[role]}"}


def at(moment: datetime) -> Callable[[], datetime]:
    return lambda: moment


def build_trail() -> list[str]:
    """Open five cases over three days, decide two, seal four checkpoints; return the cases."""
    opened = [
        open_case(build(Intake, clock=at(START + timedelta(hours=10 * n))))[0] for n in range(5)
    ]
    for case_id in opened[:2]:
        build(Review, clock=at(START + timedelta(days=3))).decide(
            case_id, decision(1, BLOCK), Actor("reviewer:r1", "reviewer"), ""
        )
    sealer = build(
        Checkpoints, clock=at(START + timedelta(days=4)), origin="2026-11-01T00:00:00.000Z"
    )
    assert len(sealer.seal_up()) == 4
    return opened


def routes(opened: list[str]) -> list[Paged]:
    """Return every cursored route, each with a query that takes several pages."""
    span = "from=2026-11-20T00:00:00.000Z&to=2026-11-24T00:00:00.000Z"
    return [
        Paged(
            "queue",
            "/v1/cases?limit=1",
            "reviewer",
            ("/v1/cases?limit=2", "/v1/cases?limit=1&surface=open_chat_board", "/v1/cases?"),
        ),
        Paged(
            "events by case",
            f"/v1/audit/events?case_id={opened[0]}&limit=1",
            "auditor",
            (
                f"/v1/audit/events?case_id={opened[1]}&limit=1",
                f"/v1/audit/events?case_id={opened[0]}&limit=2",
                f"/v1/audit/events?case_id={opened[0]}&limit=1&action=delete_content",
            ),
        ),
        Paged(
            "events by actor",
            "/v1/audit/events?actor=reviewer:r1&limit=1",
            "auditor",
            (
                "/v1/audit/events?actor=reviewer:r2&limit=1",
                f"/v1/audit/events?actor=reviewer:r1&limit=1&{span}",
                "/v1/audit/events?actor=reviewer:r1&limit=3",
            ),
        ),
        Paged(
            "events by time",
            f"/v1/audit/events?{span}&limit=2",
            "auditor",
            (
                "/v1/audit/events?from=2026-11-19T00:00:00.000Z&to=2026-11-24T00:00:00.000Z&limit=2",
                "/v1/audit/events?from=2026-11-20T00:00:00.000Z&to=2026-11-23T00:00:00.000Z&limit=2",
                f"/v1/audit/events?{span}&limit=3",
                f"/v1/audit/events?{span}&limit=2&action=received",
            ),
        ),
        Paged(
            "events by time and action",
            f"/v1/audit/events?{span}&limit=1&action=received",
            "auditor",
            (f"/v1/audit/events?{span}&limit=1&action=delete_content",),
        ),
        Paged(
            "checkpoints",
            "/v1/audit/checkpoints?limit=1",
            "auditor",
            ("/v1/audit/checkpoints?limit=2", "/v1/audit/checkpoints?"),
        ),
        Paged(
            "export",
            f"/v1/audit/export?{span}&format=jsonl",
            "auditor",
            (
                f"/v1/audit/export?{span}&format=csv",
                "/v1/audit/export?from=2026-11-19T00:00:00.000Z&to=2026-11-24T00:00:00.000Z"
                "&format=jsonl",
            ),
        ),
    ]


def follow(client: Client, aws: LocalStack, route: Paged) -> tuple[list[str], list[str]]:
    """Follow a route's cursors to the end; return the items in order and the cursors."""
    items: list[str] = []
    given: list[str] = []
    cursor = None
    while True:
        response = route.get(client, aws, cursor)
        assert response.status_code == 200, (route.name, response.body)
        items += route.items(response)
        cursor = route.next_cursor(response)
        if cursor is None:
            return items, given
        given.append(cursor)
        assert len(given) < 50, route.name


def assert_refused(response: Any, what: str) -> None:
    assert response.status_code == 400, (what, response.status_code, response.body)
    assert header(response, "content-type") == "application/problem+json", what
    assert [e["field"] for e in response.json_body["errors"]] == ["cursor"], what


@pytest.fixture
def trail(client: Client, aws: LocalStack, monkeypatch: pytest.MonkeyPatch) -> list[Paged]:
    """Return every cursored route over a trail; an export file holds a day (4 Queries)."""
    opened = build_trail()
    monkeypatch.setattr(audit, "EXPORT_MAX_QUERIES", 4)
    return routes(opened)


def test_every_cursor_kind_pages_to_the_end_without_duplicates_or_gaps(
    client: Client, aws: LocalStack, trail: list[Paged], monkeypatch: pytest.MonkeyPatch
) -> None:
    for route in trail:
        paged, given = follow(client, aws, route)
        assert given and len(paged) >= 2, route.name  # it did take several pages
        assert len(paged) == len(set(paged)), route.name
        if route.name == "export":
            monkeypatch.setattr(audit, "EXPORT_MAX_QUERIES", 1000)
            whole = route.items(route.get(client, aws))
            monkeypatch.setattr(audit, "EXPORT_MAX_QUERIES", 4)
        else:
            widest = route.path.replace("limit=1", "limit=100").replace("limit=2", "limit=100")
            whole = follow(client, aws, Paged(route.name, widest, route.role))[0]
        assert paged == whole and whole, route.name
    by_case, by_time_received = trail[1], trail[4]
    assert len(follow(client, aws, by_case)[0]) == 2  # received, then the decision
    assert len(follow(client, aws, by_time_received)[0]) == 5  # the cases received


def test_a_changed_or_foreign_cursor_is_a_400_naming_cursor_on_every_route(
    client: Client, aws: LocalStack, trail: list[Paged]
) -> None:
    given = {route.name: follow(client, aws, route)[1][0] for route in trail}
    for route in trail:
        cursor = given[route.name]
        payload, tag = cursor.split(".")
        flipped_tag = tag[:-1] + ("A" if tag[-1] != "A" else "B")
        flipped_payload = ("A" if payload[0] != "A" else "B") + payload[1:]
        unsigned = base64.urlsafe_b64encode(b'{"after": "1999-01-01T00:00:00.000Z"}').decode()
        tampered = {
            "a changed tag": f"{payload}.{flipped_tag}",
            "a changed position": f"{flipped_payload}.{tag}",
            "no tag": payload,
            "an unsigned cursor": unsigned.rstrip("="),
            "bad base64": f"@@@.{tag}",
            "bad JSON": base64.urlsafe_b64encode(b"{not json").decode().rstrip("=") + f".{tag}",
            "not a cursor": "not-a-cursor",
            "a long one": "A" * 4000,
        }
        for other in trail:
            if other.name != route.name:
                tampered[f"the cursor of {other.name}"] = given[other.name]
        for what, bad in tampered.items():
            if bad == cursor:
                continue
            assert_refused(route.get(client, aws, bad), f"{route.name}: {what}")
        for variant in route.variants:
            other_query = Paged(route.name, variant, route.role)
            assert_refused(other_query.get(client, aws, cursor), f"{route.name}: {variant}")
        assert route.get(client, aws, cursor).status_code == 200, route.name


def test_a_cursor_signed_with_another_key_is_a_400(
    client: Client, aws: LocalStack, trail: list[Paged]
) -> None:
    other_key = lambda: b"another deployment's cursor key!"  # noqa: E731
    wiring.use(build(Audit, cursor_key=other_key))
    wiring.use(build(Review, cursor_key=other_key))
    given = {route.name: follow(client, aws, route)[1][0] for route in trail}
    wiring.use(None)
    for route in trail:
        assert_refused(route.get(client, aws, given[route.name]), route.name)


@pytest.fixture
def sealed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dict[str, Any]]]:
    """Record the binding of every cursor the services seal (to forge as a key holder would)."""
    bindings: list[dict[str, Any]] = []
    real_seal = cursors.seal

    def spy(key: bytes, binding: dict[str, Any], position: dict[str, Any]) -> str:
        bindings.append(dict(binding))
        return real_seal(key, binding, position)

    monkeypatch.setattr(cursors, "seal", spy)
    yield bindings


def forge(bindings: list[dict[str, Any]], position: dict[str, Any]) -> str:
    """Return a validly signed cursor of the binding sealed last, holding `position`."""
    return cursors.seal(derived_key("cursor"), bindings[-1], position)


def test_even_a_validly_signed_position_outside_the_query_or_its_range_is_a_400(
    client: Client, aws: LocalStack, trail: list[Paged], sealed: list[dict[str, Any]]
) -> None:
    queue, by_case, by_actor, by_time, _, checkpoints, export = trail
    moment = "2026-11-21T00:00:00.000Z"
    event = f"{moment}#01JDX3F6Y2P4Q8R9S0T1V2W3XZ"
    case_id = "01JDX3F6Y2P4Q8R9S0T1V2W3XZ"
    wrong: dict[str, list[dict[str, Any]]] = {
        "queue": [{}, {"after": 7}, {"after": "x#y"}, {"after": moment}, {"key": {}}],
        "events by case": [{}, {"seq": "1"}, {"seq": 0}, {"seq": True}, {"after": event}],
        "events by actor": [
            {"after": event},
            {"after": event, "case_id": "x", "seq": 1},
            {"after": moment, "case_id": case_id, "seq": 1},
            {"after": event, "case_id": case_id, "seq": -1},
        ],
        "events by time": [
            {},
            {"after": None},
            {"after": ["2026-11-21T00:00:00.000Z"]},
            {"after": "1999-01-01T00:00:00.000Z"},  # before the range: a walk of 27 years
            {"after": "2026-10-01T00:00:00.000Z"},
            {"after": "2027-01-01T00:00:00.000Z"},  # past it
            {"after": "2026-11-21T25:00:00.000Z"},
            {"seq": 1},
        ],
        "checkpoints": [{"after": event}, {"after": 1}, {}],
        "export": [{"after": "1999-01-01T00:00:00.000Z"}, {"after": 5}, {"to": moment}],
    }
    queries = count_queries()
    for route in (queue, by_case, by_actor, by_time, checkpoints, export):
        follow(client, aws, route)  # the binding of this query is sealed last
        queries.count = 0
        for position in wrong[route.name]:
            forged = forge(sealed, position)
            assert_refused(route.get(client, aws, forged), f"{route.name}: {position}")
        assert queries.count == 0, route.name  # refused before any read
        inside = {"after": moment} if route in (by_time, export) else None
        if inside:
            assert route.get(client, aws, forge(sealed, inside)).status_code == 200


def test_a_cursor_never_widens_a_range_nor_passes_the_caps(
    client: Client, aws: LocalStack, trail: list[Paged]
) -> None:
    narrow = "from=2026-11-21T00:00:00.000Z&to=2026-11-22T00:00:00.000Z"
    wide = "from=2026-11-20T00:00:00.000Z&to=2026-11-24T00:00:00.000Z"
    capped = "from=2026-10-01T00:00:00.000Z&to=2026-11-24T00:00:00.000Z"
    narrow_cursor = follow(client, aws, Paged("", f"/v1/audit/events?{narrow}&limit=1", "auditor"))
    wide_cursor = follow(client, aws, Paged("", f"/v1/audit/events?{wide}&limit=1", "auditor"))
    events = "/v1/audit/events?{span}&limit={limit}&cursor={cursor}"
    headers = _token(aws, "auditor")
    for span, cursor in ((wide, narrow_cursor[1][0]), (narrow, wide_cursor[1][0])):
        answer = client.http.get(events.format(span=span, limit=1, cursor=cursor), headers=headers)
        assert_refused(answer, span)
    # A bigger page, or a longer range than the cap, is refused with or without a cursor.
    bigger = client.http.get(
        events.format(span=wide, limit=2, cursor=wide_cursor[1][0]), headers=headers
    )
    assert_refused(bigger, "a bigger page")
    for span, limit in ((wide, 501), (capped, 1)):
        answer = client.http.get(
            events.format(span=span, limit=limit, cursor=wide_cursor[1][0]), headers=headers
        )
        assert answer.status_code == 422, answer.body
    queue = client.http.get(
        "/v1/cases?limit=101&cursor=" + follow(client, aws, trail[0])[1][0],
        headers=_token(aws, "reviewer"),
    )
    assert queue.status_code == 422


class QueryCounter:
    """Count the DynamoDB Queries the app's client makes."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, **_: Any) -> None:
        self.count += 1


def count_queries() -> QueryCounter:
    counter = QueryCounter()
    aws_client("dynamodb").meta.events.register("before-call.dynamodb.Query", counter)
    return counter


def test_a_page_by_time_makes_a_bounded_number_of_queries_however_empty_its_range(
    client: Client, aws: LocalStack
) -> None:
    opened = [
        open_case(build(Intake, clock=at(START + timedelta(hours=10 * n))))[0] for n in range(3)
    ]
    # 31 days, of which only the last few hold events: unbounded, the first page would walk
    # 27 empty days (108 Queries) before it found one.
    route = Paged(
        "events by time",
        "/v1/audit/events?from=2026-10-24T00:00:00.000Z&to=2026-11-24T00:00:00.000Z&limit=100",
        "auditor",
    )
    queries = count_queries()
    counts: list[int] = []
    found: list[str] = []
    cursor = None
    while True:
        queries.count = 0
        response = route.get(client, aws, cursor)
        assert response.status_code == 200, response.body
        counts.append(queries.count)
        found += [e["case_id"] for e in response.json_body["events"]]
        cursor = response.json_body["next_cursor"]
        if cursor is None:
            break
    assert max(counts) == MAX_QUERIES_PER_PAGE == 32
    assert len(counts) >= 4  # the empty stretch came as empty pages, each with a cursor
    assert found == opened


def test_an_export_file_ends_at_its_query_budget_with_a_cursor_to_the_rest(
    client: Client, aws: LocalStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = [
        open_case(build(Intake, clock=at(START + timedelta(hours=10 * n))))[0] for n in range(3)
    ]
    route = Paged(
        "export",
        "/v1/audit/export?from=2026-10-01T00:00:00.000Z&to=2026-12-01T00:00:00.000Z",
        "auditor",
    )
    at_once = route.get(client, aws)  # 61 days of 4 shards: within the real budget
    assert route.next_cursor(at_once) is None
    whole = route.items(at_once)
    monkeypatch.setattr(audit, "EXPORT_MAX_QUERIES", 40)  # ten days of four shards
    queries = count_queries()
    counts: list[int] = []
    found: list[str] = []
    cursor = None
    while True:
        queries.count = 0
        response = route.get(client, aws, cursor)
        assert response.status_code == 200, response.body
        counts.append(queries.count)
        found += route.items(response)
        cursor = route.next_cursor(response)
        if cursor is None:
            break
    assert max(counts) == 40 and len(counts) >= 6
    assert found == whole and len(found) == len(opened)


def test_the_openapi_document_says_every_cursor_is_opaque_and_bound_to_its_query(
    client: Client,
) -> None:
    paths = client.http.get("/openapi.json").json_body["paths"]
    for path in ("/v1/cases", "/v1/audit/events", "/v1/audit/checkpoints", "/v1/audit/export"):
        operation = paths[path]["get"]
        (cursor,) = [p for p in operation["parameters"] if p["name"] == "cursor"]
        assert cursor["description"] == cursors.DESCRIPTION, path
        assert "bound to its route, filters, range and page size" in cursor["description"]
        assert "cursor" in operation["responses"]["400"]["description"], path
