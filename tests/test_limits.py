"""How much one client may ask of the service and one address be mailed, and what others see."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from chalice.test import Client
from markupsafe import escape
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from chalicelib import wiring
from chalicelib.adapters.repository import ReportReads, Repository
from chalicelib.config import settings
from chalicelib.domain.limits import Count, Limit, LimitKind, client_of, recipient_of
from chalicelib.services.intake import Intake
from chalicelib.web.texts import TEXTS
from chalicelib.wiring import build
from tests.conftest import PNG, deliver_effects, header, post_json, report, upload
from tests.test_infrastructure import PARAMETERS, RESOURCES
from tools.provision import FUNCTION_LOGICAL_ID, GENEROUS_LIMITS, LOCAL_PARAMETERS, LocalStack

START = datetime(2026, 11, 24, 1, 50, tzinfo=UTC)  # ten minutes before the hour's window ends
ADDRESS = "198.51.100.7"
OTHER_ADDRESS = "203.0.113.9"
KEY = "6b0e1d2c-3f4a-4b5c-9d6e-7f8091a2b3c4"


class Clock:
    """A clock the test moves."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class StaleCounts(Repository):
    """A repository whose reads lag behind racing writes: every count looks untaken."""

    def load_for_report(
        self,
        upload_ids: list[str],
        key_hash: str | None,
        counts: list[Count],
        claimant_key: str | None = None,
    ) -> ReportReads:
        reads = super().load_for_report(upload_ids, key_hash, counts, claimant_key)
        return replace(reads, taken=dict.fromkeys(counts, 0))


class StaleEverything(StaleCounts):
    """A repository that sees nothing a racing twin wrote: counts, claims, idempotency record."""

    def load_for_report(
        self,
        upload_ids: list[str],
        key_hash: str | None,
        counts: list[Count],
        claimant_key: str | None = None,
    ) -> ReportReads:
        reads = super().load_for_report(upload_ids, key_hash, counts, claimant_key)
        uploads = {k: u.model_copy(update={"case_id": None}) for k, u in reads.uploads.items()}
        return replace(reads, uploads=uploads, record=None)


@pytest.fixture
def clock(client: Client) -> Clock:
    """Serve the claimant's use cases with a clock the test moves."""
    at = Clock(START)
    wiring.use(build(Intake, clock=at))
    return at


def file_report(client: Client, key: str | None = None, **changes: Any) -> Any:
    """Upload one file, report it with `changes`, and return the answer to the report."""
    body = report([upload(client, PNG)], **changes)
    return post_json(client, "/v1/reports", body, {"Idempotency-Key": key} if key else None)


def claimant(email: str) -> dict[str, str]:
    return {"name": "김민지", "email": email, "relationship": "self"}


def grant(client: Client) -> Any:
    body = {"filename": "a.png", "content_type": "image/png", "size": 2048}
    return post_json(client, "/v1/uploads", body)


def assert_too_many(response: Any, seconds: int, *said: str) -> dict[str, Any]:
    """Check a 429: problem details, Retry-After, and a detail that says what and until when."""
    assert response.status_code == 429, response.body
    assert header(response, "content-type") == "application/problem+json"
    assert header(response, "retry-after") == str(seconds)
    problem: dict[str, Any] = response.json_body
    assert problem["type"] == "/problems/too-many-requests" and problem["status"] == 429
    for words in said:
        assert words in problem["detail"]
    return problem


def table_items(table: str | None = None) -> list[dict[str, Any]]:
    """Return every item of a table (a Scan, which only a test may do)."""
    dynamodb = boto3.client("dynamodb")
    items: list[dict[str, Any]] = []
    request: dict[str, Any] = {"TableName": table or settings().cases_table}
    while True:
        answer = dynamodb.scan(**request)
        items += answer["Items"]
        if "LastEvaluatedKey" not in answer:
            return items
        request["ExclusiveStartKey"] = answer["LastEvaluatedKey"]


def of_kind(prefix: str) -> list[dict[str, Any]]:
    return [i for i in table_items() if i["pk"]["S"].startswith(prefix)]


def taken(kind: LimitKind) -> int:
    """Return how many of a kind are counted, over every subject and window."""
    return sum(int(i["taken"]["N"]) for i in of_kind(f"LIMIT#{kind.value}#"))


def mails_to(address: str) -> int:
    deliver_effects()
    sent = ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sent_messages
    return sum(m.destinations["ToAddresses"] == [address] for m in sent)


# Reports per client


def test_a_client_past_its_reports_of_the_hour_is_answered_429_until_the_hour_ends(
    client: Client,
    clock: Clock,
    set_limits: Callable[..., None],
    source_address: Callable[[str], None],
) -> None:
    set_limits(reports=3)
    source_address(ADDRESS)
    assert [file_report(client).status_code for _ in range(3)] == [201, 201, 201]

    refused = file_report(client)

    assert_too_many(
        refused,
        600,
        "submitted 3 reports in the current hour",
        "Retry after 2026-11-24T02:00:00.000Z, in 600 seconds",
    )
    assert len([i for i in of_kind("CASE#") if i["sk"]["S"] == "CASE"]) == 3
    clock.advance(minutes=9, seconds=59.5)
    assert_too_many(file_report(client), 1)
    clock.advance(seconds=0.5)
    assert file_report(client).status_code == 201


def test_another_address_is_not_limited_by_the_first(
    client: Client,
    clock: Clock,
    set_limits: Callable[..., None],
    source_address: Callable[[str], None],
) -> None:
    set_limits(reports=1)
    source_address(ADDRESS)
    assert file_report(client).status_code == 201
    assert file_report(client).status_code == 429

    source_address(OTHER_ADDRESS)
    assert file_report(client).status_code == 201


@pytest.mark.parametrize(
    ("first", "second", "one_client"),
    [
        ("2001:db8:1:2::1", "2001:db8:1:2:ffff::9", True),  # one /64: one line's addresses
        ("2001:db8:1:2::1", "2001:db8:1:3::1", False),
        ("::ffff:198.51.100.7", "198.51.100.7", True),  # IPv4 as IPv6 writes it
        ("198.51.100.7", "198.51.100.8", False),
    ],
)
def test_a_client_is_its_address_or_its_ipv6_64(first: str, second: str, one_client: bool) -> None:
    assert (client_of(first) == client_of(second)) is one_client


def test_a_request_without_an_address_is_counted_as_one_unknown_client() -> None:
    assert client_of(None) == client_of("") == "unknown"


def test_windows_are_whole_hours_and_days_and_retry_after_rounds_up() -> None:
    reports = Limit(LimitKind.REPORTS, 10)
    window = reports.window_at(datetime(2026, 11, 24, 1, 59, 59, 400_000, tzinfo=UTC))

    assert (window.start, window.end) == (
        datetime(2026, 11, 24, 1, tzinfo=UTC),
        datetime(2026, 11, 24, 2, tzinfo=UTC),
    )
    assert window.retry_after(datetime(2026, 11, 24, 1, 59, 59, 400_000, tzinfo=UTC)) == 1
    day = Limit(LimitKind.ACKNOWLEDGEMENTS, 3).window_at(datetime(2026, 11, 24, 23, tzinfo=UTC))
    assert (day.start, day.end) == (
        datetime(2026, 11, 24, tzinfo=UTC),
        datetime(2026, 11, 25, tzinfo=UTC),
    )
    assert reports.allows(9) and not reports.allows(10)


# Upload grants per client


def test_a_client_past_its_upload_grants_of_the_hour_is_answered_429(
    client: Client,
    clock: Clock,
    set_limits: Callable[..., None],
    source_address: Callable[[str], None],
) -> None:
    set_limits(uploads=2)
    source_address(ADDRESS)
    assert [grant(client).status_code for _ in range(2)] == [201, 201]

    refused = grant(client)

    assert_too_many(refused, 600, "granted 2 uploads in the current hour", "2026-11-24T02:00:00")
    assert len(of_kind("UPLOAD#")) == 2  # nothing was granted or recorded for the refused one
    source_address(OTHER_ADDRESS)
    assert grant(client).status_code == 201
    source_address(ADDRESS)
    clock.advance(minutes=10)
    assert grant(client).status_code == 201


def test_a_malformed_upload_request_is_refused_before_it_counts(
    client: Client, clock: Clock, set_limits: Callable[..., None]
) -> None:
    set_limits(uploads=1)
    assert post_json(client, "/v1/uploads", {"filename": "a.png"}).status_code == 422
    assert grant(client).status_code == 201


# Acknowledgements per recipient


def test_past_its_acknowledgements_of_the_day_a_report_is_received_and_says_no_mail_was_sent(
    client: Client, clock: Clock, set_limits: Callable[..., None]
) -> None:
    set_limits(acknowledgements=2)
    answers = [file_report(client) for _ in range(3)]

    assert [a.status_code for a in answers] == [201, 201, 201]
    assert [a.json_body["acknowledgement_mailed"] for a in answers] == [True, True, False]
    assert mails_to("minji@example.com") == 2
    assert len([i for i in of_kind("CASE#") if i["sk"]["S"] == "CASE"]) == 3
    # The same mailbox, written otherwise, is the same recipient.
    again = file_report(client, claimant=claimant(" MinJi+again@EXAMPLE.com"))
    assert again.json_body["acknowledgement_mailed"] is False
    # Another recipient is still acknowledged.
    other = file_report(client, claimant=claimant("jisoo@example.com"))
    assert other.json_body["acknowledgement_mailed"] is True
    assert mails_to("jisoo@example.com") == 1
    # The next day (UTC) the first recipient is acknowledged again.
    clock.advance(days=1)
    assert file_report(client).json_body["acknowledgement_mailed"] is True
    assert mails_to("minji@example.com") == 3


@pytest.mark.parametrize(
    ("written", "mailbox"),
    [
        ("minji@example.com", "minji@example.com"),
        ("  MinJi@Example.COM ", "minji@example.com"),
        ("minji+reports@example.com", "minji@example.com"),
    ],
)
def test_a_recipient_is_its_mailbox(written: str, mailbox: str) -> None:
    assert recipient_of(written) == mailbox


def test_reports_racing_for_the_last_acknowledgement_send_it_once(
    client: Client, clock: Clock, set_limits: Callable[..., None]
) -> None:
    set_limits(acknowledgements=1)
    # Each report reads the count as if no other had been mailed yet, as racing reports would.
    wiring.use(build(Intake, repository=StaleCounts(), clock=clock))

    answers = [file_report(client) for _ in range(3)]

    assert [a.status_code for a in answers] == [201, 201, 201]
    assert [a.json_body["acknowledgement_mailed"] for a in answers] == [True, False, False]
    assert taken(LimitKind.ACKNOWLEDGEMENTS) == 1
    assert mails_to("minji@example.com") == 1


def test_a_report_racing_past_its_clients_limit_is_429_not_500(
    client: Client,
    clock: Clock,
    set_limits: Callable[..., None],
    source_address: Callable[[str], None],
) -> None:
    set_limits(reports=1)
    source_address(ADDRESS)
    wiring.use(build(Intake, repository=StaleCounts(), clock=clock))
    assert file_report(client).status_code == 201

    # The read says no report was counted; the transaction's condition refuses it all the same.
    assert_too_many(file_report(client), 600, "submitted 1 reports")
    assert taken(LimitKind.REPORTS) == 1
    assert len([i for i in of_kind("CASE#") if i["sk"]["S"] == "CASE"]) == 1


# Idempotent replays


def test_a_replay_of_an_accepted_report_is_neither_counted_nor_refused(
    client: Client, clock: Clock, set_limits: Callable[..., None]
) -> None:
    set_limits(reports=1, acknowledgements=1)
    body = report([upload(client, PNG)])
    first = post_json(client, "/v1/reports", body, {"Idempotency-Key": KEY})

    replayed = post_json(client, "/v1/reports", body, {"Idempotency-Key": KEY})

    assert first.status_code == replayed.status_code == 201
    assert header(replayed, "idempotent-replayed") == "true"
    assert replayed.json_body == first.json_body
    assert taken(LimitKind.REPORTS) == taken(LimitKind.ACKNOWLEDGEMENTS) == 1
    assert mails_to("minji@example.com") == 1
    assert file_report(client, key=KEY.replace("6b0e", "7c1f")).status_code == 429


def test_a_replay_says_again_that_no_mail_was_sent(
    client: Client, clock: Clock, set_limits: Callable[..., None]
) -> None:
    set_limits(acknowledgements=1)
    assert file_report(client).json_body["acknowledgement_mailed"] is True
    body = report([upload(client, PNG)])
    first = post_json(client, "/v1/reports", body, {"Idempotency-Key": KEY})

    replayed = post_json(client, "/v1/reports", body, {"Idempotency-Key": KEY})

    assert first.json_body["acknowledgement_mailed"] is False
    assert replayed.json_body == first.json_body


def test_a_retry_racing_its_first_request_at_the_limit_is_answered_as_the_first(
    client: Client, clock: Clock, set_limits: Callable[..., None]
) -> None:
    set_limits(reports=1)
    body = report([upload(client, PNG)])
    first = post_json(client, "/v1/reports", body, {"Idempotency-Key": KEY})
    # The retry reads neither the record nor the count its twin just committed.
    wiring.use(build(Intake, repository=StaleEverything(), clock=clock))

    racing = post_json(client, "/v1/reports", body, {"Idempotency-Key": KEY})

    assert first.status_code == racing.status_code == 201
    assert racing.json_body == first.json_body
    assert taken(LimitKind.REPORTS) == 1


# What is kept


def test_no_item_holds_a_client_address_or_a_mail_address_in_plain_text(
    client: Client,
    clock: Clock,
    set_limits: Callable[..., None],
    source_address: Callable[[str], None],
) -> None:
    set_limits(acknowledgements=1)
    source_address(ADDRESS)
    assert file_report(client).json_body["acknowledgement_mailed"] is True
    assert file_report(client).json_body["acknowledgement_mailed"] is False
    deliver_effects()  # the mail leaves, and its address with it
    email = "minji@example.com"
    # An unkeyed hash of an address is no secret: every IPv4 address can be hashed in minutes.
    plain = [ADDRESS, email, *(hashlib.sha256(s.encode()).hexdigest() for s in (ADDRESS, email))]

    cases, audit = table_items(), table_items(settings().audit_table)

    limits = [i for i in cases if i["pk"]["S"].startswith("LIMIT#")]
    assert {i["pk"]["S"].split("#")[1] for i in limits} == {
        "uploads",
        "reports",
        "acknowledgements",
    }
    for item in [*cases, *audit]:
        stored = json.dumps(item)
        assert ADDRESS not in stored and plain[2] not in stored
    for item in limits:
        assert not [s for s in plain if s in json.dumps(item)]
        assert set(item) == {"pk", "sk", "taken", "expires_at_epoch"}
    # The only items that still know the address are the cases the claimant opened.
    holders = {i["sk"]["S"] for i in cases if email in json.dumps(item_text(i))}
    assert holders == {"CASE"}


def item_text(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k not in ("pk", "sk")}


def test_a_count_expires_with_its_window(
    client: Client, clock: Clock, source_address: Callable[[str], None]
) -> None:
    source_address(ADDRESS)
    file_report(client)

    expiries = {
        i["pk"]["S"].split("#")[1]: int(i["expires_at_epoch"]["N"]) for i in of_kind("LIMIT#")
    }

    hour_end = int(datetime(2026, 11, 24, 2, tzinfo=UTC).timestamp())
    day_end = int(datetime(2026, 11, 25, tzinfo=UTC).timestamp())
    assert expiries == {"uploads": hour_end, "reports": hour_end, "acknowledgements": day_end}
    ttl = boto3.client("dynamodb").describe_time_to_live(TableName=settings().cases_table)
    assert ttl["TimeToLiveDescription"]["AttributeName"] == "expires_at_epoch"


# What the answer and the pages say


def test_openapi_documents_the_429_and_the_acknowledgement_field(client: Client) -> None:
    document = client.http.get("/openapi.json").json_body

    receipt = document["components"]["schemas"]["Receipt"]
    assert "acknowledgement_mailed" in receipt["required"]
    assert (
        "most acknowledgements a day"
        in receipt["properties"]["acknowledgement_mailed"]["description"]
    )
    for path in ("/v1/uploads", "/v1/reports"):
        refused = document["paths"][path]["post"]["responses"]["429"]
        assert "Retry-After" in refused["headers"]
        assert "application/problem+json" in refused["content"]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_receipt_can_say_in_either_language_that_no_mail_was_sent(
    client: Client, lang: str
) -> None:
    html = bytes(client.http.get(f"/?lang={lang}").body).decode()
    texts = TEXTS[lang]

    assert '<div class="notice notice-warning" id="receipt-no-mail" hidden>' in html
    assert str(escape(texts["receipt_no_mail"])) in html
    assert str(escape(texts["receipt_no_mail_title"])) in html
    for key in ("limit_reports", "limit_uploads"):
        assert "{time}" in texts["js"][key]


def test_the_forms_say_when_to_retry_a_refused_report_or_upload(client: Client) -> None:
    scripts = {
        name: bytes(client.http.get(f"/assets/{name}").body).decode()
        for name in ("form.js", "forms.js")
    }

    assert "response.status === 429" in scripts["form.js"]
    assert "M.limit_reports" in scripts["form.js"]
    assert "acknowledgement_mailed !== false" in scripts["form.js"]
    assert "M.limit_uploads" in scripts["forms.js"]
    assert 'response.headers.get("Retry-After")' in scripts["forms.js"]


# The deployed limits


def public_posts() -> set[str]:
    """Return the paths of every POST route anyone may call, as MethodSettings write them."""
    from app import app

    return {
        "/" + path.replace("/", "~1")
        for path, methods in app.routes.items()
        if "POST" in methods and methods["POST"].authorizer is None
    }


def test_every_public_write_has_its_own_stage_throttle() -> None:
    settings_by_method = {
        (s["ResourcePath"], s["HttpMethod"]): s
        for s in RESOURCES["RestAPI"]["Properties"]["MethodSettings"]
    }

    assert {path for path, method in settings_by_method if method == "POST"} == public_posts()
    assert ("/*", "*") in settings_by_method
    for setting in settings_by_method.values():
        for limit in ("ThrottlingRateLimit", "ThrottlingBurstLimit"):
            assert PARAMETERS[setting[limit]["Ref"]]["Default"] > 0
    reports = settings_by_method[("/~1v1~1reports", "POST")]
    everything = settings_by_method[("/*", "*")]
    rate = PARAMETERS[reports["ThrottlingRateLimit"]["Ref"]]["Default"]
    assert rate < PARAMETERS[everything["ThrottlingRateLimit"]["Ref"]]["Default"]


def test_a_waf_rate_rule_per_client_address_guards_the_stage() -> None:
    acl = RESOURCES["ApiWebAcl"]
    association = RESOURCES["ApiWebAclAssociation"]["Properties"]

    assert acl["Type"] == "AWS::WAFv2::WebACL" and acl["Properties"]["Scope"] == "REGIONAL"
    assert acl["Properties"]["DefaultAction"] == {"Allow": {}}
    rules = acl["Properties"]["Rules"]
    assert rules
    for rule in rules:
        rate = rule["Statement"]["RateBasedStatement"]
        assert rate["AggregateKeyType"] == "IP"
        assert PARAMETERS[rate["Limit"]["Ref"]]["Default"] >= 100
        refusal = rule["Action"]["Block"]["CustomResponse"]
        assert refusal["ResponseCode"] == 429
        assert {"Name": "Retry-After", "Value": "60"} in refusal["ResponseHeaders"]
        body = acl["Properties"]["CustomResponseBodies"][refusal["CustomResponseBodyKey"]]
        assert json.loads(body["Content"])["status"] == 429
    assert association["WebACLArn"] == {"Fn::GetAtt": ["ApiWebAcl", "Arn"]}
    arn, variables = association["ResourceArn"]["Fn::Sub"]
    assert arn.endswith("::/restapis/${RestAPI}/stages/${ApiStage}")
    assert variables == {"ApiStage": {"Ref": "RestAPI.Stage"}}


def test_the_api_function_has_reserved_concurrency() -> None:
    reserved = RESOURCES[FUNCTION_LOGICAL_ID]["Properties"]["ReservedConcurrentExecutions"]

    assert PARAMETERS[reserved["Ref"]]["Default"] >= 1


def test_the_apps_limits_are_template_parameters_with_the_apps_defaults(
    aws: LocalStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    variables = RESOURCES[FUNCTION_LOGICAL_ID]["Properties"]["Environment"]["Variables"]
    for name in ("REPORTS_PER_CLIENT_PER_HOUR", "UPLOADS_PER_CLIENT_PER_HOUR"):
        monkeypatch.delenv(name)
    monkeypatch.delenv("ACKNOWLEDGEMENTS_PER_RECIPIENT_PER_DAY")
    settings.cache_clear()

    defaults = {
        "REPORTS_PER_CLIENT_PER_HOUR": settings().reports_per_client_per_hour,
        "UPLOADS_PER_CLIENT_PER_HOUR": settings().uploads_per_client_per_hour,
        "ACKNOWLEDGEMENTS_PER_RECIPIENT_PER_DAY": settings().acknowledgements_per_recipient_per_day,
    }
    assert defaults == {
        "REPORTS_PER_CLIENT_PER_HOUR": 10,
        "UPLOADS_PER_CLIENT_PER_HOUR": 60,
        "ACKNOWLEDGEMENTS_PER_RECIPIENT_PER_DAY": 3,
    }
    for name, default in defaults.items():
        assert PARAMETERS[variables[name]["Ref"]]["Default"] == default
    # `make run` keeps the template's defaults; only the test suite and the benchmark lift them.
    assert not set(LOCAL_PARAMETERS) & set(GENEROUS_LIMITS)
    assert set(GENEROUS_LIMITS) <= set(PARAMETERS)


def test_the_local_stack_leaves_out_only_the_waf(aws: LocalStack) -> None:
    assert aws.not_created == ["ApiWebAcl", "ApiWebAclAssociation"]
    assert (
        aws.environment["REPORTS_PER_CLIENT_PER_HOUR"] == GENEROUS_LIMITS["ReportsPerClientPerHour"]
    )
