"""The log lines as they are written: one JSON object each, with ids, never personal data."""

from __future__ import annotations

import json
import logging
from types import SimpleNamespace
from typing import Any

import boto3
import pytest
import yaml
from chalice.local import LambdaContext
from chalice.test import Client
from chalice.utils import to_cfn_resource_name

from chalicelib import logs
from chalicelib.api.problems import problem_details
from chalicelib.config import settings
from tests.conftest import PNG, deliver_effects, post_json, report, sign_in, upload
from tests.review_helpers import decision
from tools.provision import DEFAULT_TEMPLATE, LocalStack

CANARY = {
    "name": "한카나리",
    "email": "canary.k7q@example.org",
    "phone": "+82 10-9753-1864",
    "relationship": "self",
}
CANARY_TRACES = ("한카나리", "canary.k7q", "9753-1864", "97531864")


@pytest.fixture
def invocation_ids(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Return the Lambda request ids the test client gives its invocations, as they are made."""
    made: list[str] = []
    build = LambdaContext.__init__

    def record(context: LambdaContext, *args: Any, **kwargs: Any) -> None:
        build(context, *args, **kwargs)
        made.append(context.aws_request_id)

    monkeypatch.setattr(LambdaContext, "__init__", record)
    return made


def lines(captured: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    """Return every line written to stderr so far, each parsed as the JSON object it must be."""
    written = captured.readouterr().err.splitlines()
    parsed = [json.loads(line) for line in written if line.strip()]
    assert all(isinstance(line, dict) for line in parsed)
    return parsed


def the_line(logged: list[dict[str, Any]], message: str) -> dict[str, Any]:
    [line] = [line for line in logged if line["message"] == message]
    return line


def test_each_line_names_the_case_and_the_request_and_no_claimant(
    client: Client,
    aws: LocalStack,
    capsys: pytest.CaptureFixture[str],
    invocation_ids: list[str],
) -> None:
    boto3.client("ses").delete_identity(Identity=settings().mail_sender)  # log the failure too
    capsys.readouterr()
    body = report([upload(client, PNG)], claimant=CANARY)
    invocation_ids.clear()
    filed = post_json(client, "/v1/reports", body)
    filing_ids = list(invocation_ids)
    assert filed.status_code == 201, filed.body
    case_id = filed.json_body["case_id"]
    refused = post_json(client, "/v1/reports", {**body, "statement": "short"})
    assert refused.status_code == 422
    reviewer = {"Authorization": f"Bearer {sign_in(aws, 'reviewer')}"}
    block = {"type": "block_content", "days": 30}
    invocation_ids.clear()
    decided = post_json(client, f"/v1/cases/{case_id}/decisions", decision(1, block), reviewer)
    deciding_ids = list(invocation_ids)
    assert decided.status_code == 201, decided.body
    deliver_effects()  # the mails fail in the relay, which logs it

    written = capsys.readouterr().err
    logged = [json.loads(line) for line in written.splitlines() if line.strip()]
    received = the_line(logged, "case received")
    assert received["level"] == "INFO" and received["logger"] == "irc.intake"
    assert received["case_id"] == case_id and received["evidence"] == 1
    assert received["request_id"] in filing_ids
    recorded = the_line(logged, "decision recorded")
    assert recorded["case_id"] == case_id
    assert recorded["decision_id"] == decided.json_body["decision"]["decision_id"]
    assert recorded["request_id"] in deciding_ids
    failed = [line for line in logged if line["message"] == "effect not delivered"]
    assert failed and {line["case_id"] for line in failed} == {case_id}
    assert {line["level"] for line in failed} == {"WARNING"}
    for trace in CANARY_TRACES:
        assert trace not in written
        assert trace not in json.dumps(logged, ensure_ascii=False)


def test_a_scheduled_run_logs_under_its_invocation_id(
    client: Client, capsys: pytest.CaptureFixture[str], invocation_ids: list[str]
) -> None:
    assert post_json(client, "/v1/reports", report([upload(client, PNG)])).status_code == 201
    capsys.readouterr()
    invocation_ids.clear()
    tick = client.events.generate_cw_event("aws.events", "Scheduled Event", {}, [])
    run = client.lambda_.invoke("seal_checkpoints", tick).payload
    sealed = [line for line in lines(capsys) if line["message"] == "checkpoint sealed"]
    assert [line["seq"] for line in sealed] == run["seqs"] and run["seqs"]
    assert {line["request_id"] for line in sealed} == set(invocation_ids) and invocation_ids


def test_a_line_outside_any_request_carries_no_stale_request_id(
    client: Client, capsys: pytest.CaptureFixture[str]
) -> None:
    assert client.http.get("/v1/cases").status_code == 401  # a request came and went
    logging.getLogger("irc.test").info("after", extra={"case_id": "01JDX3F6Y2P4Q8R9S0T1V2W3XZ"})
    after = the_line(lines(capsys), "after")
    assert after["request_id"] is None and after["case_id"] == "01JDX3F6Y2P4Q8R9S0T1V2W3XZ"


def test_an_unhandled_error_is_logged_with_its_frames_but_not_its_message(
    capsys: pytest.CaptureFixture[str],
) -> None:
    logs.install()

    @problem_details
    def view() -> Any:
        raise ValueError(f"{CANARY['email']} is not a phone number")

    with logs.serving("req-1"):
        assert view().status_code == 500
    line = the_line(lines(capsys), "unhandled ValueError")
    assert line["level"] == "ERROR" and line["error"] == "ValueError"
    assert line["request_id"] == "req-1"
    assert "in view" in line["traceback"] and "raise ValueError" in line["traceback"]
    assert "canary.k7q" not in json.dumps(line)


def test_every_function_is_deployed_to_keep_our_json_lines_from_info_up() -> None:
    from app import app

    names = [source.name for source in app.event_sources]
    names += [authorizer.name for authorizer in app.builtin_auth_handlers]
    names += [function.name for function in app.pure_lambda_functions]
    logical_ids = ["APIHandler", *(to_cfn_resource_name(name) for name in names)]
    resources = yaml.safe_load(DEFAULT_TEMPLATE.read_text())["Resources"]
    logging_of = {
        logical_id: resources.get(logical_id, {}).get("Properties", {}).get("LoggingConfig")
        for logical_id in logical_ids
    }
    wanted = {"LogFormat": "JSON", "ApplicationLogLevel": "INFO", "SystemLogLevel": "INFO"}
    assert len(logging_of) == 6 and logging_of == dict.fromkeys(logical_ids, wanted)


def test_an_error_chalice_itself_logs_is_a_json_line_without_its_message(
    client: Client, capsys: pytest.CaptureFixture[str]
) -> None:
    from app import app

    capsys.readouterr()
    try:
        raise KeyError(CANARY["email"])
    except KeyError:
        app.log.error("Caught exception for path %s", "/v1/reports", exc_info=True)
    line = the_line(lines(capsys), "Caught exception for path /v1/reports")
    assert line["level"] == "ERROR" and line["error"] == "KeyError"
    assert "canary.k7q" not in json.dumps(line)


def test_in_lambda_the_runtimes_handler_gives_way_but_its_request_id_stays(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    class RuntimeRequestId(logging.Filter):
        def filter(self, record: logging.LogRecord) -> bool:
            record.aws_request_id = "runtime-request-id"
            return True

    runtime = logging.StreamHandler()
    runtime.addFilter(RuntimeRequestId())
    root = logging.getLogger()
    before = list(root.handlers)
    monkeypatch.setenv("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9001")
    for handler in before:
        root.removeHandler(handler)
    root.addHandler(runtime)
    try:
        logs.install()
        assert runtime not in root.handlers
        logging.getLogger("irc.auth").info("staff token refused: expired")
        line = the_line(lines(capsys), "staff token refused: expired")
        assert line["request_id"] == "runtime-request-id" and "aws_request_id" not in line
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in before:
            root.addHandler(handler)


@pytest.mark.parametrize(
    ("lambda_id", "expected"), [("lambda-id", "lambda-id"), (None, "gateway-id")]
)
def test_a_request_is_logged_under_lambdas_id_else_the_gateways(
    lambda_id: str | None, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    logs.install()
    request = SimpleNamespace(
        context={"requestId": "gateway-id"},
        lambda_context=SimpleNamespace(aws_request_id=lambda_id) if lambda_id else None,
    )

    def view(event: Any) -> None:
        logging.getLogger("irc.test").info("served")

    logs.bind_request(request, view)
    line = the_line(lines(capsys), "served")
    assert line["request_id"] == expected and line["api_request_id"] == "gateway-id"
