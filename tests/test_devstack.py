"""`make run` serves the app and its local AWS, and stops cleanly on Ctrl-C."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import time
import urllib.error
import urllib.request

import pytest
import requests

from tests.localstack import RunningStack, free_port, port_is_free, running_stack

pytestmark = pytest.mark.e2e


def test_make_run_serves_the_form_and_local_aws_then_stops_on_ctrl_c() -> None:
    port, aws_port = free_port(), free_port()

    with running_stack(port, aws_port, via_make=True) as stack:
        assert stack.app_url == f"http://127.0.0.1:{port}"
        assert stack.aws_endpoint == f"http://127.0.0.1:{aws_port}"
        assert f"App:        http://127.0.0.1:{port}/" in stack.output
        assert any(line.startswith(f"Local AWS:  {stack.aws_endpoint}") for line in stack.output)
        with urllib.request.urlopen(stack.url("/"), timeout=10) as response:  # noqa: S310
            assert response.status == 200
            assert response.headers["Content-Type"].startswith("text/html")
            assert "<form" in response.read().decode()
        with urllib.request.urlopen(stack.url("/openapi.json"), timeout=10) as response:  # noqa: S310
            assert json.load(response)["openapi"].startswith("3.1")

        tables = stack.client("dynamodb").list_tables()["TableNames"]
        assert {stack.environment["CASES_TABLE"], stack.environment["AUDIT_TABLE"]} <= set(tables)
        buckets = {bucket["Name"] for bucket in stack.client("s3").list_buckets()["Buckets"]}
        assert {
            stack.environment["UPLOADS_BUCKET"],
            stack.environment["EVIDENCE_BUCKET"],
        } <= buckets
        pool = stack.client("cognito-idp").describe_user_pool(
            UserPoolId=stack.environment["USER_POOL_ID"]
        )
        assert pool["UserPool"]["Id"] == stack.environment["USER_POOL_ID"]
        assert set(stack.demo_users) == {"reviewer", "auditor", "admin", "trusted_flagger"}

        started = time.monotonic()
        exit_code = stack.stop(timeout=10)
        stopped_after = time.monotonic() - started

    # make itself reports the interrupt (killed by SIGINT); the stack under it stopped cleanly.
    assert exit_code in (0, -signal.SIGINT), "\n".join(stack.output[-20:])
    assert "Stopping (SIGINT)." in stack.output
    assert not any("Traceback" in line for line in stack.output)
    assert stopped_after < 10
    with pytest.raises(ProcessLookupError):
        os.killpg(stack.process.pid, 0)
    assert port_is_free(port)
    assert port_is_free(aws_port)


def test_the_local_stack_fires_the_scheduled_functions_itself() -> None:
    with running_stack(extra_args=("--timer-seconds", "0.5")) as stack:
        assert any(line.startswith("Schedule:   run_timers every") for line in stack.output)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if any(line.startswith("run_timers ran: {") for line in stack.output):
                break
            time.sleep(0.2)
        ran = [line for line in stack.output if line.startswith("run_timers ran: {")]
        assert ran, "\n".join(stack.output[-20:])
        assert "'due': 0" in ran[0] and "'changed': 0" in ran[0]


def test_the_local_stacks_access_log_holds_no_token_of_a_query(local_stack: RunningStack) -> None:
    secret = secrets.token_urlsafe(24)
    case_id = "01JDX3F6Y2P4Q8R9S0T1V2W3XZ"
    asked = [
        f"/notices/{case_id}?token={secret}",
        f"/notices/{case_id}?lang=en&notice_token={secret}",
        f"/v1/cases?X-Amz-Signature={secret}&X-Amz-Credential={secret}",
    ]
    for path in asked:
        with contextlib.suppress(urllib.error.HTTPError):
            urllib.request.urlopen(local_stack.url(path), timeout=10).close()  # noqa: S310

    logged = _lines_naming(local_stack, [path.split("?")[0] for path in asked])

    assert not [line for line in local_stack.output if secret in line]
    assert any(f"/notices/{case_id}?token=[redacted] HTTP/1.1" in line for line in logged)
    assert any("?lang=en&notice_token=[redacted] HTTP/1.1" in line for line in logged)
    assert any("X-Amz-Signature=[redacted]&X-Amz-Credential=[redacted]" in line for line in logged)


def test_the_local_stack_refuses_as_the_gateway_does(local_stack: RunningStack) -> None:
    nobody = requests.get(local_stack.url("/v1/cases"), timeout=10)
    query = requests.request("QUERY", local_stack.url("/v1/reports"), timeout=10)
    trace = requests.request("TRACE", local_stack.url("/v1/uploads"), timeout=10)

    # As infra/template.yaml's gateway responses word it, not Chalice's {"message": ...}.
    assert nobody.status_code == 401
    assert nobody.headers["Content-Type"] == "application/problem+json"
    assert nobody.headers["WWW-Authenticate"] == "Bearer"
    assert nobody.json()["type"] == "/problems/unauthorized"
    # The app answers a method no route takes (the standard library would say 501 in HTML).
    assert (query.status_code, trace.status_code) == (405, 405)
    assert trace.headers["Content-Type"] == "application/problem+json"


def _lines_naming(stack: RunningStack, paths: list[str], timeout: float = 10) -> list[str]:
    """Wait until the stack has logged a request line of each path; return the lines."""
    deadline = time.monotonic() + timeout
    while True:
        lines = [line for line in stack.output if any(f" {p}?" in line for p in paths)]
        if len(lines) >= len(paths) or time.monotonic() > deadline:
            return lines
        time.sleep(0.1)
