"""Failures told honestly: AWS busy is a 503 with Retry-After; no 5xx says nothing happened."""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from botocore.exceptions import (
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
)
from chalice.test import Client

from chalicelib import wiring
from chalicelib.adapters.aws import client as aws_client
from chalicelib.api.problems import RETRY_AFTER_SECONDS, aws_unavailable
from chalicelib.web.texts import TEXTS
from tests.conftest import PNG, header, post_json, report, upload
from tests.test_pages import FORM_POST, ask_status, body_of, open_case, page_of

SECRET = "minji@example.com 01JDXYZ0000000000000000000"
CASE_ID = "01JDXYZ0000000000000000000"
RETRY_WITH_THE_KEY = "Retry it with the same Idempotency-Key"
Heal = Callable[[], None]
Failing = Callable[[str, BaseException], Heal]


def throttled(
    code: str = "ProvisionedThroughputExceededException", operation: str = "GetItem"
) -> ClientError:
    """Return the error botocore raises when AWS answers with `code`, quoting request data."""
    return ClientError({"Error": {"Code": code, "Message": SECRET}}, operation)


@pytest.fixture
def fail_dynamodb(client: Client) -> Iterator[Failing]:
    """Make the app's DynamoDB calls of an event (e.g. before-call.dynamodb) raise an error."""
    events = aws_client("dynamodb").meta.events
    heals: list[Heal] = []

    def fail(event: str, error: BaseException) -> Heal:
        def handler(**_: Any) -> None:
            raise error

        def heal() -> None:
            if handler in handlers:
                handlers.remove(handler)
                events.unregister(event, handler)

        handlers = [handler]
        events.register(event, handler)
        heals.append(heal)
        return heal

    yield fail
    for heal in heals:
        heal()


def lost_answer() -> ReadTimeoutError:
    """Return the error of a call whose answer never came back (it may have been carried out)."""
    return ReadTimeoutError(endpoint_url="https://dynamodb.us-east-1.amazonaws.com")


def read_report(client: Client) -> Any:
    return client.http.get(f"/v1/reports/{CASE_ID}", headers={"X-Receipt-Token": "secret-token"})


def assert_busy_problem(response: Any) -> dict[str, Any]:
    """Check a 503 problem with Retry-After that tells the client how to retry; return it."""
    assert response.status_code == 503, response.body
    assert header(response, "Content-Type") == "application/problem+json"
    assert header(response, "Retry-After") == str(RETRY_AFTER_SECONDS)
    assert header(response, "Cache-Control") == "no-store"
    body: dict[str, Any] = json.loads(response.body)
    assert body["type"] == "/problems/service-unavailable"
    assert body["status"] == 503
    assert RETRY_WITH_THE_KEY in body["detail"]
    assert_honest(response)
    return body


def assert_honest(response: Any) -> None:
    """Check that a failure quotes neither the error nor a trace, and claims nothing undone."""
    text = body_of(response)
    assert "Nothing was recorded" not in text
    assert "nothing was recorded" not in text
    assert "Traceback" not in text
    assert SECRET not in text


@pytest.mark.parametrize(
    "code",
    [
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "InternalServerError",
    ],
)
def test_a_throttled_read_answers_503_with_retry_after(
    client: Client, fail_dynamodb: Failing, code: str
) -> None:
    fail_dynamodb("before-call.dynamodb", throttled(code))

    assert_busy_problem(read_report(client))


@pytest.mark.parametrize(
    "error",
    [
        EndpointConnectionError(endpoint_url="https://dynamodb.us-east-1.amazonaws.com"),
        ConnectTimeoutError(endpoint_url="https://dynamodb.us-east-1.amazonaws.com"),
        ReadTimeoutError(endpoint_url="https://dynamodb.us-east-1.amazonaws.com"),
        ConnectionClosedError(endpoint_url="https://dynamodb.us-east-1.amazonaws.com"),
    ],
    ids=type,
)
def test_an_unreachable_dynamodb_answers_503_with_retry_after(
    client: Client, fail_dynamodb: Failing, error: Exception
) -> None:
    fail_dynamodb("before-call.dynamodb", error)

    assert_busy_problem(read_report(client))


def test_a_report_whose_answer_was_lost_is_answered_on_retry_with_the_same_key(
    client: Client, fail_dynamodb: Failing
) -> None:
    evidence = upload(client, PNG)
    body = report([evidence])
    key = {"Idempotency-Key": "7f9c2a4e-0000-4000-8000-00000000feed"}
    # The case is written; only the answer of the write is lost on the way back.
    heal = fail_dynamodb("after-call.dynamodb.TransactWriteItems", lost_answer())

    lost = post_json(client, "/v1/reports", body, key)
    heal()
    retried = post_json(client, "/v1/reports", body, key)

    assert_busy_problem(lost)
    assert retried.status_code == 201, retried.body
    assert header(retried, "Idempotent-Replayed") == "true"


def test_an_unexpected_failure_says_the_outcome_is_unknown_and_how_to_retry(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(case_id: str, receipt_token: str | None) -> None:
        raise RuntimeError(f"bug while reading {SECRET} with {receipt_token}")

    monkeypatch.setattr(wiring.intake(), "claimant_view", broken)
    response = read_report(client)

    assert response.status_code == 500
    assert header(response, "Content-Type") == "application/problem+json"
    assert header(response, "Retry-After") is None
    body = json.loads(response.body)
    assert body["type"] == "/problems/internal-error"
    assert body["title"] == "Outcome unknown"
    assert "is not known" in body["detail"]
    assert RETRY_WITH_THE_KEY in body["detail"]
    assert_honest(response)


def test_an_aws_refusal_that_waiting_does_not_cure_is_a_500(
    client: Client, fail_dynamodb: Failing
) -> None:
    fail_dynamodb("before-call.dynamodb", throttled("AccessDeniedException"))

    response = read_report(client)

    assert response.status_code == 500
    assert header(response, "Retry-After") is None
    assert_honest(response)


def cancelled(*reasons: str) -> ClientError:
    return ClientError(
        {
            "Error": {"Code": "TransactionCanceledException", "Message": SECRET},
            "CancellationReasons": [{"Code": reason} for reason in reasons],
        },
        "TransactWriteItems",
    )


def answered(status: int, code: str = "Unknown") -> ClientError:
    return ClientError(
        {
            "Error": {"Code": code, "Message": SECRET},
            "ResponseMetadata": {"HTTPStatusCode": status},
        },
        "PutObject",
    )


@pytest.mark.parametrize(
    ("error", "busy"),
    [
        (throttled("ThrottlingException"), True),
        (throttled("Throttling"), True),
        (throttled("ThrottledException"), True),
        (throttled("TooManyRequestsException"), True),
        (throttled("SlowDown", "PutObject"), True),
        (throttled("RequestThrottled"), True),
        (throttled("RequestThrottledException"), True),
        (throttled("TransactionInProgressException"), True),
        (throttled("ServiceUnavailable"), True),
        (throttled("LimitExceededException", "Sign"), True),
        (throttled("LimitExceededException", "CreateGroup"), False),
        (cancelled("None", "ThrottlingError"), True),
        (cancelled("TransactionConflict", "None"), True),
        (cancelled("ConditionalCheckFailed", "None"), False),
        (cancelled("ConditionalCheckFailed", "ThrottlingError"), False),
        (answered(503), True),
        (answered(500), True),
        (answered(400, "ValidationException"), False),
        (throttled("ResourceNotFoundException"), False),
        (RuntimeError("ThrottlingException"), False),
        (TimeoutError(), False),
    ],
    ids=lambda value: value if isinstance(value, bool) else str(value)[:60],
)
def test_one_rule_tells_aws_busy_from_other_failures(error: Exception, busy: bool) -> None:
    assert aws_unavailable(error) is busy


# The pages follow the same rule, in the reader's words.


def assert_busy_page(response: Any) -> None:
    assert response.status_code == 503
    assert header(response, "Content-Type") == "text/html; charset=utf-8"
    assert header(response, "Retry-After") == str(RETRY_AFTER_SECONDS)
    assert header(response, "Cache-Control") == "no-store"
    assert_honest(response)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_throttled_status_page_asks_to_try_again_in_a_moment(
    client: Client, fail_dynamodb: Failing, lang: str
) -> None:
    fail_dynamodb("before-call.dynamodb", throttled())

    response = ask_status(client, case_id=CASE_ID, receipt_token="secret-token", lang=lang)

    assert_busy_page(response)
    assert TEXTS[lang]["status_busy"] in page_of(response).text


def test_a_throttled_notice_page_asks_to_open_it_again_in_a_moment(
    client: Client, fail_dynamodb: Failing
) -> None:
    fail_dynamodb("before-call.dynamodb", throttled())

    response = client.http.get(f"/notices/{CASE_ID}?token=secret-token&lang=en")

    assert_busy_page(response)
    assert TEXTS["en"]["notice_busy"] in page_of(response).text


def test_a_withdrawal_lost_on_the_way_back_is_not_said_to_have_failed(
    client: Client, fail_dynamodb: Failing
) -> None:
    receipt = open_case(client)
    asked = {"case_id": receipt["case_id"], "receipt_token": receipt["receipt_token"]}
    heal = fail_dynamodb("after-call.dynamodb.TransactWriteItems", lost_answer())

    response = client.http.post(
        "/status/withdrawal",
        headers=FORM_POST,
        body=urllib.parse.urlencode({**asked, "confirm": "yes"}),
    )
    heal()
    status = ask_status(client, **asked)

    assert_busy_page(response)
    assert TEXTS["ko"]["withdraw_unknown"] in page_of(response).text
    assert receipt["receipt_token"] not in body_of(response)
    # The withdrawal stood, as the page allowed.
    assert TEXTS["ko"]["statuses"]["withdrawn"]["label"] in page_of(status).text


@pytest.mark.parametrize("form", ["reposting-request", "appeal"])
def test_a_poster_whose_request_failed_is_told_its_fate_is_unknown(
    client: Client, monkeypatch: pytest.MonkeyPatch, form: str
) -> None:
    def broken(*args: Any) -> None:
        raise RuntimeError(f"bug while sending {SECRET}")

    monkeypatch.setattr(wiring.review(), "request_reposting", broken)
    monkeypatch.setattr(wiring.review(), "file_appeal", broken)
    response = client.http.post(
        f"/notices/{CASE_ID}/{form}",
        headers=FORM_POST,
        body=urllib.parse.urlencode(
            {"notice_token": "secret-token", "statement": "x", "measure_id": "m", "lang": "en"}
        ),
    )

    assert response.status_code == 500
    assert header(response, "Retry-After") is None
    text = page_of(response).text
    assert TEXTS["en"]["notice_unknown_title"] in text
    assert TEXTS["en"]["notice_send_unknown"] in text
    assert_honest(response)
